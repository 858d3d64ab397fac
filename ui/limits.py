"""Heavy work (training, decoding a zip or an .h5) one at a time per session, and a few at a time per process.

Streamlit runs every visitor's script in a thread of one server process. Each heavy call holds the
GIL between its NumPy and Pillow calls, so several at once thrash it (measured with 6 concurrent
visitors: a 1 s digits run took 120 s) and stack their memory. :func:`heavy_slot` queues them:
at most :data:`PROCESS_SLOTS` run in the process at once, and a session never takes a second slot
while it holds one (a session's own reruns run in its one script thread).
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

import streamlit as st

#: Heavy jobs running at once in this server process (the hosts this app targets have 1-2 cores).
PROCESS_SLOTS = 1
#: How long a job waits for a slot before the visitor is told to try again (seconds).
WAIT_S = 120.0
_HELD = "_heavy_slot_held"


class ServerBusy(RuntimeError):
    """No slot became free in time."""


@st.cache_resource
def process_slots() -> threading.BoundedSemaphore:
    """The process-wide slots, one object shared by every session."""
    return threading.BoundedSemaphore(PROCESS_SLOTS)


@contextmanager
def heavy_slot(what: str):
    """Run the ``with`` body holding one of the process's slots (re-entrant within a session).

    Raises
    ------
    ServerBusy
        if no slot frees up within :data:`WAIT_S` seconds.
    """
    if st.session_state.get(_HELD):
        yield
        return
    slots = process_slots()
    if not slots.acquire(blocking=False):
        with st.spinner(f"Another visitor's {what} is running on this server; yours starts as soon as it ends…"):
            if not slots.acquire(timeout=WAIT_S):
                raise ServerBusy(f"the server stayed busy for {WAIT_S:.0f} s; try again in a minute")
    st.session_state[_HELD] = True
    try:
        yield
    finally:
        st.session_state[_HELD] = False
        slots.release()
