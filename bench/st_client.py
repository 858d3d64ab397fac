"""A minimal Streamlit client that speaks the app's own websocket protocol (no browser).

It sends ``BackMsg.rerun_script`` with a ``ClientState`` (page, query string, widget values) and reads
``ForwardMsg``s until the run finishes, as the web frontend does. It records the widgets the page drew
(their ids end with the ``key=`` the page gave them), exceptions shown on the page, and how long the run
took. A widget the page drew inside an ``st.fragment`` is moved with a rerun of that fragment only (the
``fragment_id`` the delta carried), as the frontend does. Enough to simulate many learners for ``bench/classroom.py`` and ``bench/server_cost.py``; it does not
render anything. Loopback only: the URL comes from the server the benchmark started itself.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

FINISHED_EARLY_FOR_RERUN = 2
FINISHED_WITH_COMPILE_ERROR = 1
FINISHED_FRAGMENT_RUN_SUCCESSFULLY = 3
SELECT_SLIDER = 2  # Slider.Type: st.select_slider is drawn as a slider element of this type
#: How the protocol carries each widget's value (Streamlit 1.67's ``value_type`` of the widget).
VALUE_FIELDS = {
    "slider": "double_array_value",
    "select_slider": "string_array_value",  # the option as the slider shows it (its format_func), not its index
    "number_input": "double_value",
    "selectbox": "string_value",
    "radio": "string_value",
    "checkbox": "bool_value",
    "toggle": "bool_value",
    "text_input": "string_value",
    "button": "trigger_value",
}


@dataclass
class Widget:
    kind: str
    id: str
    label: str
    fragment_id: str = ""  # set when the page drew it inside an st.fragment: moving it reruns only that


@dataclass
class RunResult:
    seconds: float
    exceptions: list[str] = field(default_factory=list)
    widgets: dict[str, Widget] = field(default_factory=dict)
    kinds: Counter = field(default_factory=Counter)  # how many elements of each kind the run drew
    fragment_run: bool = False  # the server ran one fragment, not the whole page
    charts: dict[str, str] = field(default_factory=dict)  # the key of each Plotly chart drawn -> its JSON spec


class StreamlitSession:
    """One visitor's websocket session. ``async with StreamlitSession(url) as s: await s.open("sigmoid")``."""

    def __init__(self, base_url: str, *, timeout_s: float = 120.0):
        self.ws_url = base_url.replace("http://", "ws://", 1) + "/_stcore/stream"
        self.timeout_s = timeout_s
        self.page = ""
        self.query_string = ""
        self.widgets: dict[str, Widget] = {}
        self.values: dict[str, tuple[str, object]] = {}  # widget id -> (proto field, value) sent with every rerun
        self._ws = None

    async def __aenter__(self):
        self._ws = await websockets.connect(self.ws_url, subprotocols=["streamlit"], max_size=None,
                                            open_timeout=self.timeout_s)
        return self

    async def __aexit__(self, *exc):
        await self._ws.close()

    async def open(self, page: str, query_string: str = "") -> RunResult:
        """Navigate to ``page`` (its URL path; "" is home) with a query string, as typing the link would."""
        self.page, self.query_string = page, query_string
        self.values.clear()
        self.widgets.clear()
        return await self._rerun()

    async def set(self, key: str, value) -> RunResult:
        """Give the widget drawn with ``key=key`` a new value (a slider's number, a select's label, …)."""
        widget = self.find(key)
        name = VALUE_FIELDS[widget.kind]
        if widget.kind in ("slider", "select_slider") and not isinstance(value, (list, tuple)):
            value = [value]
        self.values[widget.id] = (name, value)
        return await self._rerun(fragment_id=widget.fragment_id)

    async def click(self, key: str) -> RunResult:
        """Press the button drawn with ``key=key`` (a trigger: true for this one run only)."""
        widget = self.find(key)
        return await self._rerun(trigger=widget.id, fragment_id=widget.fragment_id)

    def find(self, key: str) -> Widget:
        for wid, widget in self.widgets.items():
            if wid.endswith("-" + key):
                return widget
        raise KeyError(f"no widget with key {key!r} on page {self.page!r}; have {sorted(self.widgets)}")

    def _client_state(self, msg: BackMsg, trigger: str | None, fragment_id: str) -> None:
        state = msg.rerun_script
        state.query_string = self.query_string
        state.page_name = self.page
        state.fragment_id = fragment_id  # as the web frontend does for a widget inside a fragment ("" otherwise)
        for wid, (name, value) in self.values.items():
            ws = state.widget_states.widgets.add()
            ws.id = wid
            if name == "double_array_value":
                ws.double_array_value.data.extend(float(v) for v in value)
            elif name == "string_array_value":
                ws.string_array_value.data.extend(str(v) for v in value)
            else:
                setattr(ws, name, value)
        if trigger is not None:
            ws = state.widget_states.widgets.add()
            ws.id, ws.trigger_value = trigger, True

    async def _rerun(self, trigger: str | None = None, fragment_id: str = "") -> RunResult:
        msg = BackMsg()
        self._client_state(msg, trigger, fragment_id)
        t0 = time.perf_counter()
        await self._ws.send(msg.SerializeToString())
        result = RunResult(0.0)
        deadline = t0 + self.timeout_s
        while True:
            raw = await asyncio.wait_for(self._ws.recv(), max(0.1, deadline - time.perf_counter()))
            fm = ForwardMsg()
            fm.ParseFromString(raw)
            kind = fm.WhichOneof("type")
            if kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
                self._record(fm.delta.new_element, fm.delta.fragment_id, result)
            elif kind == "script_finished":
                if fm.script_finished == FINISHED_EARLY_FOR_RERUN:
                    continue  # a rerun follows (the entry hand-over, a callback's st.rerun)
                if fm.script_finished == FINISHED_WITH_COMPILE_ERROR:
                    result.exceptions.append("compile error")
                result.fragment_run = fm.script_finished == FINISHED_FRAGMENT_RUN_SUCCESSFULLY
                break
        result.seconds = time.perf_counter() - t0
        self.widgets.update(result.widgets)
        return result

    @staticmethod
    def _record(element, fragment_id: str, result: RunResult) -> None:
        kind = element.WhichOneof("type")
        inner = getattr(element, kind)
        result.kinds[kind] += 1
        if kind == "exception":
            result.exceptions.append(f"{inner.type}: {inner.message}")
        elif kind == "plotly_chart":
            result.charts[inner.id.rsplit("-", 1)[-1]] = inner.spec
        elif kind in VALUE_FIELDS and getattr(inner, "id", ""):
            if kind == "slider" and inner.type == SELECT_SLIDER:
                kind = "select_slider"
            result.widgets[inner.id] = Widget(kind, inner.id, getattr(inner, "label", ""), fragment_id)
