"""Checks of the Responses API's WebSocket mode: each turn's events are the Responses stream, and a turn continued
with previous_response_id is a new response that carries the earlier one.

A turn is one client `response.create` and the server frames after it, up to the next `response.create`. Events
are numbered as server frames of the session (1-based), as the realtime checks number them. The rules of the HTTP
stream (responses_stream: created first, sequence numbers, items, deltas, one terminal event) are reused per turn.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..failures import Failure, Ignored, Skip, grouped, short
from ..realtime.frames import CLIENT, Frame, WsSession
from ..verdicts import Severity
from ._registry import check
from .context import CheckContext
from .needs import Need
from .realtime_events import ws
from .responses_stream import TERMINAL, created_first, deltas_join, event_problems, items, sequence, terminal

RULES = (created_first, sequence, items, deltas_join, terminal)
WS_ERROR_SCHEMA = "responses.ws.error"
WS_ONLY = "response.steer."  # WebSocket-only steering events (SDK ResponsesServerEvent); the probe never steers
LENGTH_CUT = "max_output_tokens"  # response.incomplete for the turn's own small limit: a finished turn


@dataclass
class Turn:
    """One response.create and the typed JSON server events that followed it: (server frame number, event)."""

    number: int
    create: dict[str, Any]
    events: list[tuple[int, dict[str, Any]]] = field(default_factory=list)

    def label(self) -> str:
        """`turn 2 (previous_response_id=resp_…)`: the turn and the part of its request that makes it meaningful."""
        previous = self.create.get("previous_response_id")
        return f"turn {self.number}" + (f" (previous_response_id={previous})" if previous else "")

    def at(self, index: int) -> str:
        """Evidence location of the turn's index-th event (or of its end)."""
        if index < len(self.events):
            number, event = self.events[index]
            return f"{self.label()} server frame #{number} ({event.get('type')})"
        return f"{self.label()} end of its events"

    def final(self) -> dict[str, Any] | None:
        """The response carried by the turn's terminal event (None without one)."""
        found = next((e for _n, e in reversed(self.events) if e.get("type") in TERMINAL), None)
        response = found.get("response") if found else None
        return response if isinstance(response, dict) else None


def turns(session: WsSession) -> list[Turn]:
    """The session's turns, in order; server frames before the first response.create belong to none."""
    found: list[Turn] = []
    number = 0
    for frame in session.frames:
        if frame.dir == CLIENT:
            if frame.type == "response.create" and isinstance(frame.event, dict):
                found.append(Turn(len(found) + 1, frame.event))
            continue
        number += 1
        if found and isinstance(frame.event, dict) and frame.type:
            found[-1].events.append((number, frame.event))
    return found


def _turns(ctx: CheckContext) -> tuple[WsSession, list[Turn]]:
    session = ws(ctx)
    found = turns(session)
    if not found:
        raise Skip("the session sent no response.create")
    return session, found


def _schema(frame: Frame) -> str:
    kind = frame.type
    return WS_ERROR_SCHEMA if kind == "error" else f"responses.event.{kind}"


@check("responses.ws.event_schema", Severity.MUST, "Every Responses WebSocket event validates against the schema of "
       "its type (the HTTP stream's events; the WebSocket `error` event)", needs=(Need.SESSION,))
def event_schema(ctx: CheckContext) -> None:
    """Dispatch on `type`, as the SDK's ResponsesServerEvent does; a carried response or item is validated too."""
    session = ws(ctx)
    found: list[tuple[str, Any, Any]] = []
    for number, frame in enumerate(session.server_frames(), start=1):
        if not isinstance(frame.event, dict) or not frame.type or frame.type.startswith(WS_ONLY):
            continue  # non-JSON or untyped frames: realtime.frames_json
        schema = _schema(frame)
        problems = event_problems(frame.event, schema)
        where = f"server frame #{number} ({frame.type})"
        if problems is None:
            found.append((f"{where} $.type", "a Responses stream event type", short(frame.type)))
        found += [(f"{where} {path}", f"valid per {schema}", message) for path, message in problems or []]
    ctx.fail_all(found)


@check("responses.ws.turn_events", Severity.MUST, "Each turn's events are a Responses stream: response.created "
       "first, increasing sequence_number, items and parts in order, deltas that join, one terminal event last",
       needs=(Need.SESSION,))
def turn_events(ctx: CheckContext) -> None:
    """The HTTP stream's rules, per turn: a client reads each turn exactly as it reads one streamed response."""
    _session, found = _turns(ctx)
    problems: list[tuple[str, Any, Any]] = []
    for turn in found:
        events = [event for _n, event in turn.events]
        for rule in RULES:
            problem = rule(events)
            if problem is not None:
                problems.append((turn.at(problem.event), problem.expected, problem.observed))
                break  # later rules read a stream the first broken one already misreads
    ctx.fail_all(problems)


@check("responses.ws.completed", Severity.MUST, "Every turn ends with response.completed (or response.incomplete "
       "at its own max_output_tokens), not response.failed", needs=(Need.SESSION,))
def completed(ctx: CheckContext) -> None:
    """A turn that fails or never ends cannot be continued; an `error` event is a refusal, graded before checks."""
    _session, found = _turns(ctx)
    problems: list[tuple[str, Any, Any]] = []
    for turn in found:
        end = next(((i, e) for i, (_n, e) in reversed(list(enumerate(turn.events))) if e.get("type") in TERMINAL),
                   None)
        if end is None:
            problems.append((turn.at(len(turn.events)), "response.completed", "no terminal event"))
            continue
        index, event = end
        response = event.get("response") if isinstance(event.get("response"), dict) else {}
        reason = (response.get("incomplete_details") or {}).get("reason") if isinstance(response, dict) else None
        if event.get("type") == "response.completed" or reason == LENGTH_CUT:
            continue
        detail = response.get("error") or response.get("incomplete_details") if isinstance(response, dict) else None
        problems.append((turn.at(index), "response.completed", f"{event.get('type')}: {short(detail)}"))
    ctx.fail_all(problems)


@check("responses.ws.continuation", Severity.MUST, "A turn sent with previous_response_id is a new response that "
       "carries the earlier turn (its input tokens grow), not a fresh answer", needs=(Need.SESSION,))
def continuation(ctx: CheckContext) -> None:
    """Effect, not echo: turn 2's own input is shorter than turn 1's, so only the carried turn 1 (its input and
    output) makes turn 2's usage.input_tokens larger. An echoed previous_response_id proves nothing (principle 3)."""
    session, found = _turns(ctx)
    chained = [t for t in found if t.create.get("previous_response_id")]
    if not chained:
        raise Skip("no turn continued another: turn 1 did not end with a response id")
    turn = chained[0]
    earlier = next((t for t in found if (t.final() or {}).get("id") == turn.create["previous_response_id"]), None)
    first, second = (earlier.final() if earlier else None), turn.final()
    if earlier is None or first is None or second is None:
        raise Skip(f"{turn.label()} has no finished response to compare (responses.ws.completed grades it)")
    if second.get("id") == first.get("id"):
        raise Failure(f"{turn.at(len(turn.events) - 1)} $.response.id", f"a new response id, not turn "
                      f"{earlier.number}'s", second.get("id"), session.summary())
    before, after = _input_tokens(first), _input_tokens(second)
    if before is None or after is None:
        raise Skip("a turn reports no usage.input_tokens: whether turn 2 carried turn 1 is not observable")
    if after <= before:
        raise Ignored(f"{turn.at(len(turn.events) - 1)} $.response.usage.input_tokens",
                      f"more than turn {earlier.number}'s {before} (turn 2 carries turn 1's input and output; its own "
                      "input is shorter)", after, session.summary(),
                      grouped([(f"turn {earlier.number}", f"input_tokens {before}"),
                               (turn.label(), f"input_tokens {after}")]))


def _input_tokens(response: dict[str, Any]) -> int | None:
    usage = response.get("usage")
    value = usage.get("input_tokens") if isinstance(usage, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None
