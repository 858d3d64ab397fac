"""The work a batch of uploads may cost, shared by its pictures: pixels counted from their headers before they are
decoded, and the CPU time their decoding took (this thread's only: other visitors' work is not counted)."""

from __future__ import annotations

import time

from .decoding import decoded_pixels


class DecodeBudget:
    """Pixels and CPU seconds that the decodes of one batch of uploads share (CPU of this thread only): a batch of
    uploaded pictures, a session's snapshots, the members of one zip.

    Before each picture, :meth:`refusal` says why it may not be decoded (the time is used up, or its pixels,
    counted from its header by :func:`decoded_pixels`, would pass the total), or counts it; :meth:`timed`
    adds a decode's CPU time. Checked between pictures, so a batch costs at most one picture more. A caller that
    counts pixels itself uses :meth:`spent` and :meth:`admit`; one whose picture was then not decoded after all
    returns its pixels with :meth:`give_back`.
    """

    def __init__(self, pixels: int, seconds: float, what: str = "these pictures"):
        self.pixels, self.seconds, self.what = pixels, seconds, what
        self.used_pixels, self.used_seconds = 0, 0.0

    def spent(self) -> str | None:
        """Why nothing more may be decoded (the time is used up), or None."""
        if self.used_seconds >= self.seconds:  # a budget of 0 s decodes nothing
            return f"not decoded: {self.what} used up their {self.seconds:g} s of decoding time; use fewer or smaller pictures"
        return None

    def admit(self, pixels: int) -> str | None:
        """Why a picture of ``pixels`` may not be decoded for its pixels, or None (and then they are counted).
        The time is checked by :meth:`spent`, before the picture's header is read."""
        if self.used_pixels + pixels > self.pixels:
            return (f"not decoded: {self.what} hold more than {self.pixels:,} pixels in all; "
                    "use fewer or smaller pictures")
        self.used_pixels += pixels
        return None

    def give_back(self, pixels: int) -> None:
        """Uncount ``pixels`` that :meth:`admit` counted for a picture that was then not decoded after all."""
        self.used_pixels -= min(pixels, self.used_pixels)

    def refusal(self, data: bytes, draft_size: int | None = None) -> str | None:
        """Why ``data`` may not be decoded, or None (and then its pixels are counted)."""
        if (why := self.spent()) is not None:
            return why
        return self.admit(self.timed(decoded_pixels, data, draft_size))

    def timed(self, fn, *args, **kwargs):
        """``fn(*args, **kwargs)``, its CPU time counted against the budget (also when it raises)."""
        start = time.thread_time()
        try:
            return fn(*args, **kwargs)
        finally:
            self.used_seconds += time.thread_time() - start
