"""What one recorded exchange offers the checks: its readings (as recorded; a 2xx chat stream also assembled) and
the needs (conformance.checks.needs) each reading meets."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..catalogue.vocabulary import EVENT_STREAM
from ..checks.needs import Need
from ..wire.endpoints import Endpoint
from .exchanges import RecordedExchange, assemble
from .routes import Form

# Every need a reading of each form may meet (which ones depends on the exchange); coverage is judged by these.
CAN_PROVIDE: Mapping[Form, frozenset[Need]] = {
    Form.BODY: frozenset({Need.BODY, Need.ANSWER, Need.TEXT_REPLY, Need.TOOL_CALL, Need.ERROR_ANSWER,
                          Need.INVALID_REQUEST}),
    Form.STREAM: frozenset({Need.STREAM, Need.TOOL_CALL, Need.ERROR_ANSWER, Need.INVALID_REQUEST}),
    Form.ASSEMBLED: frozenset({Need.ANSWER, Need.TEXT_REPLY, Need.TOOL_CALL, Need.INVALID_REQUEST}),
    Form.SESSION: frozenset({Need.SESSION}),
}


@dataclass(frozen=True)
class Reading:
    """One way to read a recorded exchange: what the checks get, its form, and the needs it meets."""

    exchange: Any  # a RecordedExchange, or a recorded WsSession for realtime logs
    form: Form
    provided: frozenset[Need]


def _message(body: Any) -> dict[str, Any]:
    try:
        message = body["choices"][0]["message"]
    except (TypeError, KeyError, IndexError):
        return {}
    return message if isinstance(message, dict) else {}


def has_calls(ex: RecordedExchange) -> bool:
    """True when the answer's first choice holds tool calls."""
    try:
        return bool(_message(ex.json()).get("tool_calls"))
    except ValueError:
        return False


def forces_call(req: dict[str, Any]) -> bool:
    """tool_choice required, or a named function: the answer must hold a tool call."""
    choice = req.get("tool_choice")
    return choice == "required" or isinstance(choice, dict)


def streamed(ex: RecordedExchange, endpoint: Endpoint) -> bool:
    """A chat request that asked for a stream, or a chat answer sent as one (the only stream lint grades)."""
    return endpoint is Endpoint.CHAT_COMPLETIONS and (ex.request_json.get("stream") is True
                                                      or ex.content_type == EVENT_STREAM)


def _answer(ex: RecordedExchange, req: dict[str, Any]) -> set[Need]:
    calls = has_calls(ex)
    return {Need.ANSWER} | ({Need.TOOL_CALL} if calls or forces_call(req) else set()) | (
        set() if calls else {Need.TEXT_REPLY})


def readings(ex: RecordedExchange, endpoint: Endpoint, invalid: bool) -> list[Reading]:
    """The recorded answer (an error, a body or a stream), then, for a 2xx chat stream, its assembled completion."""
    req = ex.request_json
    base = {Need.INVALID_REQUEST} if invalid else set()
    stream = streamed(ex, endpoint)
    form = Form.STREAM if stream else Form.BODY
    if ex.status is None or not 200 <= ex.status < 300:
        return [Reading(ex, form, frozenset(base | {Need.ERROR_ANSWER}))]
    if not stream:
        return [Reading(ex, form, frozenset(base | {Need.BODY} | _answer(ex, req)))]
    deltas = {Need.TOOL_CALL} if forces_call(req) or b'"tool_calls"' in ex.body else set()
    found = [Reading(ex, form, frozenset(base | {Need.STREAM} | deltas))]
    joined = assemble(ex)
    if joined is not None:
        found.append(Reading(joined, Form.ASSEMBLED, frozenset(base | _answer(joined, req))))
    return found


def session_reading(ws: Any) -> Reading:
    """A recorded WebSocket session log, read as a whole."""
    return Reading(ws, Form.SESSION, frozenset({Need.SESSION}))
