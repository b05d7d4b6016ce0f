"""The Responses API's WebSocket mode: one session through the official SDK's `client.responses.connect()`.

Two sequential turns on one socket: a tiny `response.create`, then one that continues it with
`previous_response_id` once the first turn's terminal event arrived. Both use `store: false` (WebSocket mode keeps
the previous response in the connection's memory, so nothing is left stored and no cleanup request is needed) and
a small `max_output_tokens`. The checks read the whole session from the wire (conformance.realtime.WsSession).
"""

from __future__ import annotations

from typing import Any

from ..realtime.listen import Listener, field
from ._io import ProbeIO
from ._registry import request

TERMINAL = ("response.completed", "response.failed", "response.incomplete")
CAP = 16  # max_output_tokens of each turn (OpenAI's minimum)
FIRST_INPUT = "Say hello in five words."
SECOND_INPUT = "Once more."  # shorter than the first: only the carried first turn makes turn 2's prompt larger


def _turn(io: ProbeIO, conn: Any, listener: Listener, text: str, previous: str | None = None) -> Any:
    """Send one response.create and wait for its terminal event (or an `error`, a timeout, a close)."""
    extra = {"previous_response_id": previous} if previous else {}
    conn.response.create(model=io.model, input=text, max_output_tokens=CAP, store=False, **extra)
    return listener.until(*TERMINAL, stop_on_error=True)


@request("responses.websocket", "chat", kind="ws", calls=1, max_tokens=2 * CAP, prompt_tokens=200)
def websocket(io: ProbeIO) -> None:
    """Turn 1 answers a tiny prompt; turn 2 continues it with previous_response_id = turn 1's id."""
    with io.client.responses.connect() as conn:
        listener = Listener(conn, float(io.options.get("realtime_timeout", 30.0)))
        first = _turn(io, conn, listener, FIRST_INPUT)
        ident = field(field(first, "response"), "id")
        if field(first, "type") not in TERMINAL or not isinstance(ident, str) or not ident:
            return  # refused, cut or without an id: there is nothing to continue
        _turn(io, conn, listener, SECOND_INPUT, ident)
