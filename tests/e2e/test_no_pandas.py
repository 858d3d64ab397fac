"""A server that has shown every page never loaded pandas or pyarrow: about 80 MB of a process's memory and 0.4 s
of its start, which a class on one small Community Cloud app cannot spare. Tables are markdown
(``ui.widgets.table``); an ``st.table`` or ``st.dataframe`` slipping back in would load both on its first use."""

from __future__ import annotations

from pathlib import Path

from bench.st_client import StreamlitSession

from .conftest import run_async, start_server, stop_server
from .test_a11y import PAGES

LIBRARIES = ("/pandas/", "/pyarrow/")


def loaded(pid: int) -> set[str]:
    """Which of :data:`LIBRARIES` have a compiled module mapped into the process (Linux's /proc/<pid>/maps)."""
    maps = Path(f"/proc/{pid}/maps").read_text()
    return {lib.strip("/") for lib in LIBRARIES if lib in maps}


async def tour(url: str) -> list[str]:
    """Open every page (Classify on its example too) in one session; the exceptions any of them showed."""
    errors = []
    async with StreamlitSession(url, timeout_s=60) as s:
        for path, _ in [*PAGES, ("classify", None)]:
            query = "source=example" if path == "classify" else ""
            errors += (await s.open(path, query)).exceptions
    return errors


def test_showing_every_page_loads_neither_pandas_nor_pyarrow():
    proc, url = start_server()
    try:
        assert not run_async(tour(url))
        assert loaded(proc.pid) == set()
    finally:
        stop_server(proc)
