"""The Responses stream as a state machine, plus per-event schema validation dispatched on each event's `type`.

The rules are pure functions over the decoded events (tests feed them hand-built lists); each returns the first
Problem it finds or None. The checks below run them on a captured stream.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ..failures import Failure, Skip, grouped, short
from ..schemas import schema_dir, violations
from ..verdicts import Severity
from ..wire.exchange import Exchange
from ._registry import check
from .context import CheckContext
from .flow import body, step
from .needs import Need
from .responses import output_text

TERMINAL = ("response.completed", "response.failed", "response.incomplete")
PART_EVENTS = ("response.output_text.delta", "response.output_text.done", "response.output_text.annotation.added",
               "response.refusal.delta", "response.refusal.done")
CARRIED = {"response": "response", "item": "response.output_item"}
Event = dict[str, Any]


@dataclass(frozen=True)
class Problem:
    """Where a stream breaks a rule: event number, expected, observed."""

    event: int
    expected: str
    observed: Any


def created_first(events: list[Event]) -> Problem | None:
    """The first event is response.created."""
    if not events:
        return Problem(0, "response.created", "no events")
    if events[0].get("type") != "response.created":
        return Problem(0, "response.created first", events[0].get("type"))
    return None


def sequence(events: list[Event]) -> Problem | None:
    """Every event has an integer sequence_number, strictly increasing."""
    last = None
    for n, event in enumerate(events):
        number = event.get("sequence_number")
        if not isinstance(number, int) or isinstance(number, bool):
            return Problem(n, "an integer sequence_number", number)
        if last is not None and number <= last:
            return Problem(n, f"sequence_number > {last}", number)
        last = number
    return None


@dataclass
class _Item:
    index: int
    done: bool = False
    parts: dict[int, bool] = field(default_factory=dict)  # content_index -> done


class _Machine:
    """Items and content parts opened and closed by the events, in order."""

    def __init__(self) -> None:
        self.items: dict[str, _Item] = {}

    def item(self, n: int, event: Event, ident: Any) -> _Item | Problem:
        state = self.items.get(ident) if isinstance(ident, str) else None
        if state is None:
            return Problem(n, f"item_id of an item opened by response.output_item.added ({event.get('type')})", ident)
        if state.done:
            return Problem(n, f"no {event.get('type')} after response.output_item.done of {ident}", "more events")
        if event.get("output_index") != state.index:
            return Problem(n, f"output_index {state.index} (of item {ident})", event.get("output_index"))
        return state

    def step(self, n: int, event: Event) -> Problem | None:
        kind = event.get("type")
        raw = event.get("item")
        item: dict[str, Any] = raw if isinstance(raw, dict) else {}
        if kind == "response.output_item.added":
            return self._added(n, event, item)
        if kind == "response.output_item.done":
            state = self.item(n, event, item.get("id"))
            if isinstance(state, Problem):
                return state
            open_parts = [i for i, done in state.parts.items() if not done]
            if open_parts:
                return Problem(n, "content_part.done before output_item.done", f"parts {open_parts} still open")
            state.done = True
            return None
        if kind in TERMINAL:
            open_items = [i for i, s in self.items.items() if not s.done]
            return Problem(n, "every item done before the terminal event", open_items) if open_items else None
        if "item_id" not in event:
            return None
        state = self.item(n, event, event.get("item_id"))
        if isinstance(state, Problem):
            return state
        return self._part(n, event, state) if kind == "response.content_part.added" or kind in PART_EVENTS or \
            kind == "response.content_part.done" else None

    def _added(self, n: int, event: Event, item: dict[str, Any]) -> Problem | None:
        ident = item.get("id")
        if not isinstance(ident, str) or not ident:
            return Problem(n, "output_item.added with an item id", ident)
        if ident in self.items:
            return Problem(n, "a new item id", ident)
        if event.get("output_index") != len(self.items):
            return Problem(n, f"output_index {len(self.items)} (the next item)", event.get("output_index"))
        self.items[ident] = _Item(len(self.items))
        return None

    def _part(self, n: int, event: Event, state: _Item) -> Problem | None:
        kind, index = event.get("type"), event.get("content_index")
        if kind == "response.content_part.added":
            if index != len(state.parts):
                return Problem(n, f"content_index {len(state.parts)} (the next part)", index)
            state.parts[index] = False
            return None
        if index not in state.parts:
            return Problem(n, f"content_index of a part opened by content_part.added ({kind})", index)
        if state.parts[index]:
            return Problem(n, f"no {kind} after content_part.done", f"part {index} already done")
        if kind == "response.content_part.done":
            state.parts[index] = True
        return None


def items(events: list[Event]) -> Problem | None:
    """output_item / content_part / delta / done events agree on item_id, output_index and content_index."""
    machine = _Machine()
    for n, event in enumerate(events):
        problem = machine.step(n, event)
        if problem is not None:
            return problem
    return None


def _final_text(events: list[Event], item_id: str, index: int) -> str | None:
    final = next((e.get("response") for e in reversed(events) if e.get("type") in TERMINAL), None)
    for item in (final or {}).get("output") or []:
        if isinstance(item, dict) and item.get("id") == item_id and isinstance(item.get("content"), list):
            parts = item["content"]
            return parts[index].get("text") if index < len(parts) and isinstance(parts[index], dict) else None
    return None


def deltas_join(events: list[Event]) -> Problem | None:
    """Joined output_text.delta equal output_text.done, content_part.done and the final response's text."""
    joined: dict[tuple[Any, Any], str] = {}
    for n, event in enumerate(events):
        key = (event.get("item_id"), event.get("content_index"))
        kind = event.get("type")
        if kind == "response.output_text.delta":
            joined[key] = joined.get(key, "") + str(event.get("delta", ""))
        elif kind == "response.output_text.done" and event.get("text") != joined.get(key, ""):
            return Problem(n, f"text = joined deltas {joined.get(key, '')!r}", event.get("text"))
        elif kind == "response.content_part.done" and key in joined:
            text = (event.get("part") or {}).get("text")
            if text != joined[key]:
                return Problem(n, f"part.text = joined deltas {joined[key]!r}", text)
    for (item_id, index), text in joined.items():
        final = _final_text(events, item_id, index) if isinstance(index, int) else None
        if final is not None and final != text:
            return Problem(len(events) - 1, f"final output text = joined deltas {text!r}", final)
    return None


def terminal(events: list[Event]) -> Problem | None:
    """Exactly one terminal event, last, about the response that response.created announced."""
    ends = [n for n, e in enumerate(events) if e.get("type") in TERMINAL]
    if len(ends) != 1:
        return Problem(ends[1] if len(ends) > 1 else len(events), "exactly one of " + "/".join(TERMINAL),
                       f"{len(ends)} terminal events")
    if ends[0] != len(events) - 1:
        return Problem(ends[0] + 1, "nothing after the terminal event", events[ends[0] + 1].get("type"))
    created = next((e.get("response") for e in events if e.get("type") == "response.created"), None) or {}
    final = events[ends[0]].get("response") or {}
    if created.get("id") != final.get("id"):
        return Problem(ends[0], f"response.id {created.get('id')} (from response.created)", final.get("id"))
    return None


def decoded(exchange: Exchange) -> list[tuple[int, str | None, Event]]:
    """(SSE event number, SSE event name, JSON event) for every data event except [DONE]; Failure otherwise."""
    found = []
    for sse in exchange.sse().events:
        if sse.data == "[DONE]":
            continue
        try:
            value = json.loads(sse.data)
        except ValueError:
            raise Failure(f"event #{sse.index}", "a JSON event", sse.data[:120], exchange.summary()) from None
        if not isinstance(value, dict):
            raise Failure(f"event #{sse.index}", "a JSON object", value, exchange.summary())
        found.append((sse.index, sse.event, value))
    return found


def _rule(ctx: CheckContext, rule: Any) -> None:
    rows = decoded(ctx.primary)
    problem = rule([event for _n, _name, event in rows])
    if problem is not None:
        number = rows[problem.event][0] if problem.event < len(rows) else len(rows)
        kind = rows[problem.event][2].get("type") if problem.event < len(rows) else "end of stream"
        raise ctx.fail(f"event #{number} ({kind})", problem.expected, problem.observed)


@check("responses.stream.event_schema", Severity.MUST, "Every stream event validates against the schema of its type",
       needs=(Need.STREAM,))
def event_schema(ctx: CheckContext) -> None:
    """Dispatch on `type`; a carried response or item is validated against its own schema."""
    found: list[tuple[str, str]] = []
    first: tuple[str, str, str] | None = None
    for n, _name, event in decoded(ctx.primary):
        kind = event.get("type")
        schema = f"responses.event.{kind}"
        problems = event_problems(event, schema)
        if problems is None:
            first = first or (f"event #{n} $.type", "a Responses stream event type", short(kind))
            found.append((f"event #{n} $.type", f"{short(kind)} is not a Responses stream event type"))
            continue
        for path, message in problems:
            first = first or (f"event #{n} ({kind}) {path}", f"valid per {schema}", message)
            found.append((f"event #{n} {path}", message))
    if first is not None:
        raise Failure(*first, ctx.primary.summary(), grouped(found) if len(found) > 1 else ())


def event_problems(event: Event, schema: str) -> list[tuple[str, str]] | None:
    """(JSON path, message) of each violation of `schema` by one event, its carried response or item validated
    against their own schemas; None when there is no such schema (not a Responses stream event type)."""
    if not (schema_dir() / f"{schema}.json").is_file():
        return None
    problems = violations(schema, event)
    for key, target in CARRIED.items():
        if not problems and isinstance(event.get(key), dict):
            problems = [(f"$.{key}{p[1:]}", m) for p, m in violations(target, event[key])]
    return problems


@check("responses.stream.event_names", Severity.SHOULD, "The SSE event: field, when sent, names the event's type",
       needs=(Need.STREAM,))
def event_names(ctx: CheckContext) -> None:
    """OpenAI sends `event: <type>` before each data line; the SDK reads data only."""
    for n, name, event in decoded(ctx.primary):
        if name is not None and name != event.get("type"):
            raise ctx.fail(f"event #{n} event:", event.get("type"), name)


@check("responses.stream.created_first", Severity.MUST, "The stream starts with response.created", needs=(Need.STREAM,))
def stream_created_first(ctx: CheckContext) -> None:
    """Clients take the response id from the first event."""
    _rule(ctx, created_first)


@check("responses.stream.sequence", Severity.MUST, "sequence_number is present and strictly increasing",
       needs=(Need.STREAM,))
def stream_sequence(ctx: CheckContext) -> None:
    """Resuming a stream relies on sequence numbers."""
    _rule(ctx, sequence)


@check("responses.stream.items", Severity.MUST, "Item, content-part and delta events agree on item_id, output_index "
       "and content_index, in order", needs=(Need.STREAM,))
def stream_items(ctx: CheckContext) -> None:
    """output_item.added opens an item, content_part.added a part; deltas and done events address open ones."""
    _rule(ctx, items)


@check("responses.stream.deltas_join", Severity.MUST, "Joined output_text deltas equal the done text and the final "
       "output_text", needs=(Need.STREAM,))
def stream_deltas_join(ctx: CheckContext) -> None:
    """Clients that render deltas must end with the same text as those that read the final response."""
    _rule(ctx, deltas_join)


@check("responses.stream.terminal", Severity.MUST, "Exactly one terminal event (completed/failed/incomplete), last",
       needs=(Need.STREAM,))
def stream_terminal(ctx: CheckContext) -> None:
    """Without it a client cannot tell a finished stream from a cut one."""
    _rule(ctx, terminal)


@check("responses.stream.matches_retrieve", Severity.MUST, "The terminal event's response is what retrieve returns",
       needs=(Need.STREAM, Need.FLOW))
def matches_retrieve(ctx: CheckContext) -> None:
    """Same id, status and output text as the stored response."""
    retrieved_ex = step(ctx, "retrieve")
    name = "retrieve"
    if not retrieved_ex.ok:
        raise Skip(f"retrieve refused with HTTP {retrieved_ex.status} (graded by responses.retrieve)")
    events = [event for _n, _name, event in decoded(ctx.primary)]
    final = next((e.get("response") for e in reversed(events) if e.get("type") in TERMINAL), None)
    if not isinstance(final, dict):
        raise Skip("the stream has no terminal event")
    stored = body(retrieved_ex, name)
    for key, a, b in (("id", final.get("id"), stored.get("id")), ("status", final.get("status"), stored.get("status")),
                      ("output_text", output_text(final), output_text(stored))):
        if a != b:
            raise Failure(f"{name} $.{key}", f"{a!r} (terminal event)", b, retrieved_ex.summary())
