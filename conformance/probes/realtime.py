"""Realtime probes: one WebSocket session each, driven through the official SDK's `client.realtime.connect`.

Probes never wait for `session.created` before speaking (as SDK users often do not); they wait only for the
answer to what they sent, with a bounded timeout, so a server that skips an event costs no time. The checks
read the whole session from the wire (conformance.realtime.WsSession), not from what the probe saw.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from openai.resources.realtime.realtime import RealtimeConnection
from openai.types.realtime import (
    RealtimeConversationItemFunctionCallOutputParam,
    RealtimeConversationItemUserMessageParam,
)

from ..realtime.audio import chunks, tone_pcm16
from ..realtime.listen import Listener, field
from ..realtime.material import (
    AUDIO_SESSION,
    INVALID_EVENT,
    TEXT_SESSION,
    TONE_SECONDS,
    TOOL_OUTPUT,
    TOOLS_SESSION,
    UPDATE_SESSION,
)
from ._io import ProbeIO
from ._registry import request


def _timeout(io: ProbeIO) -> float:
    return float(io.options.get("realtime_timeout", 30.0))


def _user_text(text: str) -> RealtimeConversationItemUserMessageParam:
    return {"type": "message", "role": "user", "content": [{"type": "input_text", "text": text}]}


def function_call(done: Any) -> Any:
    """The first function_call item of a response.done event (SDK object or dict), or None."""
    response = field(done, "response")
    for item in field(response, "output", None) or []:
        if field(item, "type") == "function_call":
            return item
    return None


@contextmanager
def _configured(io: ProbeIO, session: dict[str, Any]) -> Iterator[tuple[RealtimeConnection, Listener]]:
    """Connect, send session.update and wait for session.updated; yields the connection and its listener."""
    with io.client.realtime.connect(model=io.model) as conn:
        listener = Listener(conn, _timeout(io))
        conn.session.update(session=session)  # type: ignore[arg-type]  # plain JSON, also read by the checks
        listener.until("session.updated", stop_on_error=True)
        yield conn, listener


@request("realtime.connect", "realtime", kind="ws")
def connect(io: ProbeIO) -> None:
    """Open a session and send a minimal session.update; the server must have said session.created first."""
    with _configured(io, {"type": "realtime"}):
        pass  # the handshake, session.created and session.updated are the evidence


@request("realtime.noauth", "realtime", kind="ws")
def noauth(io: ProbeIO) -> None:
    """Open a session with an empty Authorization header: the handshake (or the session) must be refused."""
    with io.client.realtime.connect(model=io.model, extra_headers={"Authorization": ""}) as conn:
        Listener(conn, _timeout(io)).until("session.created", stop_on_error=True)


@request("realtime.session_update", "realtime", kind="ws")
def session_update(io: ProbeIO) -> None:
    """Set instructions, text-only output, a tool and tool_choice required; read session.updated."""
    with _configured(io, UPDATE_SESSION):
        pass  # the handshake, session.created and session.updated are the evidence


@request("realtime.text", "realtime", kind="ws", max_tokens=64, prompt_tokens=100)
def text(io: ProbeIO) -> None:
    """Text in, text out: one user message, one response.create, read until response.done."""
    with _configured(io, TEXT_SESSION) as (conn, listener):
        conn.conversation.item.create(item=_user_text("Say hello in five words."))
        conn.response.create()
        listener.until("response.done", stop_on_error=True)


@request("realtime.tools", "realtime", kind="ws", max_tokens=128, prompt_tokens=600)
def tools(io: ProbeIO) -> None:
    """A function-call round under a forced tool_choice: call, function_call_output, tool_choice none, answer."""
    with _configured(io, TOOLS_SESSION) as (conn, listener):
        conn.conversation.item.create(item=_user_text("What is the weather in Paris?"))
        conn.response.create()
        call = function_call(listener.until("response.done", stop_on_error=True))
        if call is None:
            return
        output: RealtimeConversationItemFunctionCallOutputParam = {
            "type": "function_call_output", "call_id": field(call, "call_id"), "output": TOOL_OUTPUT}
        conn.conversation.item.create(item=output)
        conn.session.update(session={"type": "realtime", "tool_choice": "none"})
        listener.until("session.updated", stop_on_error=True)
        conn.response.create()
        listener.until("response.done", stop_on_error=True)


@request("realtime.audio", "realtime", kind="ws", max_tokens=256, prompt_tokens=200)
def audio(io: ProbeIO) -> None:
    """Append a synthetic 0.5 s PCM16 tone in pieces, commit it (no VAD), ask for an audio response."""
    with _configured(io, AUDIO_SESSION) as (conn, listener):
        for piece in chunks(tone_pcm16(TONE_SECONDS), 8000):
            conn.input_audio_buffer.append(audio=base64.b64encode(piece).decode())
        conn.input_audio_buffer.commit()
        conn.response.create()
        listener.until("response.done", stop_on_error=True)


@request("realtime.invalid", "realtime", kind="ws")
def invalid(io: ProbeIO) -> None:
    """Send an event type that does not exist, then a valid session.update: error event, session goes on."""
    with _configured(io, {"type": "realtime"}) as (conn, listener):
        conn.send(INVALID_EVENT)  # type: ignore[arg-type]  # deliberately an event type that does not exist
        conn.session.update(session={"type": "realtime", "instructions": "Still here."})
        listener.until("session.updated")
