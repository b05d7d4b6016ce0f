"""SSE stream checks for Chat Completions: framing, [DONE], per-chunk schema, ids, roles, finish, usage, tools."""

from __future__ import annotations

import json
from typing import Any

from jsonschema import Draft202012Validator

from ..failures import Failure, Ignored, Skip
from ..schemas import violations
from ..verdicts import Severity
from ..wire.exchange import Exchange
from ._registry import check
from .context import CheckContext
from .needs import Need

DONE = "[DONE]"


def chunks(ctx: CheckContext, exchange: Exchange | None = None) -> list[tuple[int, dict[str, Any]]]:
    """(event number, chunk) for every JSON data event; Failure on an undecodable event.

    Every stream check reads the chunks: they are decoded once per exchange (a fresh list each call, so a check
    cannot change what the next one sees at the top level).
    """
    ex = exchange or ctx.primary
    cached = ex.__dict__.get(_CHUNKS)
    if cached is None:
        cached = ex.__dict__[_CHUNKS] = _decode(ex)
    if isinstance(cached, Failure):
        raise cached
    return list(cached)


_CHUNKS = "_conformance_chunks"


def _decode(ex: Exchange) -> list[tuple[int, dict[str, Any]]] | Failure:
    """The decoded chunks of an exchange, or the Failure that the first undecodable event gives."""
    found = []
    for event in ex.sse().events:
        if event.data == DONE:
            continue
        try:
            value = json.loads(event.data)
        except ValueError:
            return Failure(f"event #{event.index}", "JSON or [DONE]", event.data, ex.summary())
        if not isinstance(value, dict):
            return Failure(f"event #{event.index}", "a JSON object", value, ex.summary())
        found.append((event.index, value))
    return found


def _deltas(ctx: CheckContext) -> list[tuple[int, int, dict[str, Any], Any]]:
    """(event number, choice index, delta, finish_reason) for every choice in every chunk."""
    rows = []
    for n, chunk in chunks(ctx):
        for choice in chunk.get("choices") or []:
            rows.append((n, choice.get("index", 0), choice.get("delta") or {}, choice.get("finish_reason")))
    return rows


@check("sse.framing", Severity.MUST, "The body is a well-framed text/event-stream of JSON data events",
       needs=(Need.STREAM,))
def framing(ctx: CheckContext) -> None:
    """Media type, no stray lines, no unterminated event, every data payload JSON or [DONE]."""
    ex = ctx.primary
    if ex.content_type != "text/event-stream":
        raise ctx.fail("header content-type", "text/event-stream", ex.content_type or "(none)")
    parser = ex.sse()
    if parser.stray:
        raise ctx.fail("SSE lines", "only data:/event:/id:/retry: fields and : comments", parser.stray[0])
    if not parser.events:
        raise ctx.fail("SSE events", "at least one data event", "none")
    if parser.unterminated:
        raise ctx.fail("end of stream", "every event terminated by a blank line", "a truncated last event")
    chunks(ctx)


@check("sse.done", Severity.MUST, "The stream ends with exactly one data: [DONE]", needs=(Need.STREAM,))
def done(ctx: CheckContext) -> None:
    """The SDK and most clients stop on [DONE]."""
    events = ctx.primary.sse().events
    marks = [e.index for e in events if e.data == DONE]
    if not marks:
        raise ctx.fail("last event", "data: [DONE]", f"{len(events)} events, none [DONE]")
    if len(marks) > 1 or marks[0] != events[-1].index:
        raise ctx.fail(f"event #{marks[0]}", "[DONE] once, as the last event", f"[DONE] at events {marks}")


@check("stream.chunk_schema", Severity.MUST, "Every chunk validates against the chat.completion.chunk schema",
       needs=(Need.STREAM,))
def chunk_schema(ctx: CheckContext) -> None:
    """Dispatch on `object`; an in-band error object is reported as such."""
    for n, chunk in chunks(ctx):
        if "error" in chunk and "choices" not in chunk:
            raise ctx.fail(f"event #{n}", "a chat.completion.chunk", f"in-band error {chunk['error']}")
        if chunk.get("object") != "chat.completion.chunk":
            raise ctx.fail(f"event #{n} $.object", "chat.completion.chunk", chunk.get("object"))
        problems = violations("chat.completion.chunk", chunk)
        if problems:
            raise ctx.fail(f"event #{n} {problems[0][0]}", "valid per chat.completion.chunk", problems[0][1])


@check("stream.same_id", Severity.MUST, "All chunks of one stream carry the same id", needs=(Need.STREAM,))
def same_id(ctx: CheckContext) -> None:
    """Clients group chunks by id."""
    items = chunks(ctx)
    if not items:
        raise Skip("no chunks")
    first = items[0][1].get("id")
    for n, chunk in items:
        if chunk.get("id") != first:
            raise ctx.fail(f"event #{n} $.id", first, chunk.get("id"))


@check("stream.finish_once", Severity.MUST, "Each choice gets a non-null finish_reason exactly once",
       needs=(Need.STREAM,))
def finish_once(ctx: CheckContext) -> None:
    """Zero means the client never learns why it stopped; two is ambiguous."""
    seen: dict[int, list[int]] = {}
    indices = set()
    for n, index, _delta, finish in _deltas(ctx):
        indices.add(index)
        if finish is not None:
            seen.setdefault(index, []).append(n)
    for index in sorted(indices) or [0]:
        events = seen.get(index, [])
        if len(events) != 1:
            raise ctx.fail(f"choice {index} finish_reason", "exactly one chunk with finish_reason",
                           f"{len(events)} (events {events})")


@check("stream.role_first_only", Severity.SHOULD, "delta.role appears in the first delta of a choice only",
       needs=(Need.STREAM,))
def role_first_only(ctx: CheckContext) -> None:
    """OpenAI sends role once, first."""
    first_seen: set[int] = set()
    for n, index, delta, _finish in _deltas(ctx):
        if index not in first_seen:
            first_seen.add(index)
            if delta.get("role") != "assistant":
                raise ctx.fail(f"event #{n} delta.role", "assistant in the first delta", delta.get("role"))
        elif "role" in delta and delta["role"] is not None:
            raise ctx.fail(f"event #{n} delta.role", "absent after the first delta", delta["role"])


@check("stream.no_usage_unasked", Severity.SHOULD, "No usage chunk unless stream_options.include_usage was sent",
       needs=(Need.STREAM,))
def no_usage_unasked(ctx: CheckContext) -> None:
    """An unasked usage chunk with choices [] breaks clients that index choices[0]."""
    if (ctx.primary.request_json.get("stream_options") or {}).get("include_usage"):
        raise Skip("usage was asked for")
    for n, chunk in chunks(ctx):
        if chunk.get("usage") is not None:
            raise ctx.fail(f"event #{n} $.usage", "null or absent (include_usage not sent)", chunk["usage"])


@check("stream.joined_matches", Severity.SHOULD, "Joined deltas equal the non-streamed answer at temperature 0",
       needs=(Need.STREAM, Need.SECOND_REQUEST))
def joined_matches(ctx: CheckContext) -> None:
    """Same request, streamed or not, should give the same text when sampling is greedy."""
    plain = ctx.auxiliary("chat.basic")
    try:
        expected = plain.json()["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError):
        raise Skip("non-streamed answer has no content") from None
    joined = "".join(d.get("content") or "" for _n, i, d, _f in _deltas(ctx) if i == 0)
    if joined != expected:
        raise ctx.fail("joined delta.content", expected, joined)


@check("stream.usage_chunk", Severity.MUST, "include_usage yields a final chunk with choices [] and usage",
       needs=(Need.STREAM,))
def usage_chunk(ctx: CheckContext) -> None:
    """The last chunk carries usage and no choices."""
    items = chunks(ctx)
    with_usage = [(n, c) for n, c in items if c.get("usage") is not None]
    if not with_usage:
        raise Ignored("chunks", "a usage chunk (include_usage=true)", "no chunk with usage", ctx.primary.summary())
    n, last = items[-1]
    if last.get("usage") is None or last.get("choices") != []:
        raise ctx.fail(f"event #{n}", "last chunk has choices [] and usage", {"choices": last.get("choices"),
                                                                               "usage": last.get("usage")})
    usage = last["usage"]
    if not all(isinstance(usage.get(k), int) for k in ("prompt_tokens", "completion_tokens", "total_tokens")):
        raise ctx.fail(f"event #{n} $.usage", "integer prompt/completion/total_tokens", usage)


def _tool_deltas(ctx: CheckContext) -> list[tuple[int, dict[str, Any]]]:
    rows = []
    for n, _index, delta, _finish in _deltas(ctx):
        for call in delta.get("tool_calls") or []:
            rows.append((n, call))
    return rows


@check("stream.tool_deltas", Severity.MUST, "Streamed tool calls join to a declared function with JSON arguments",
       needs=(Need.STREAM, Need.TOOL_CALL))
def tool_deltas(ctx: CheckContext) -> None:
    """First delta per index has id/type/name; joined arguments validate against the tool's parameters."""
    rows = _tool_deltas(ctx)
    if not rows:
        raise Ignored("delta.tool_calls", "a streamed tool call (tool_choice required)", "none",
                      ctx.primary.summary())
    tools = {t["function"]["name"]: t["function"].get("parameters") or {}
             for t in ctx.primary.request_json.get("tools") or []}
    calls: dict[int, dict[str, Any]] = {}
    for n, call in rows:
        index = call.get("index", 0)
        if index not in calls:
            fn = call.get("function") or {}
            if not call.get("id") or call.get("type") != "function" or fn.get("name") not in tools:
                raise ctx.fail(f"event #{n} tool_calls[{index}]", "first delta with id, type function and a "
                               "declared name", call)
            calls[index] = {"name": fn["name"], "args": "", "event": n}
        calls[index]["args"] += (call.get("function") or {}).get("arguments") or ""
    for index, call in calls.items():
        try:
            value = json.loads(call["args"])
        except ValueError:
            raise ctx.fail(f"tool_calls[{index}] joined arguments", "valid JSON", call["args"]) from None
        errors = list(Draft202012Validator(tools[call["name"]]).iter_errors(value))
        if errors:
            raise ctx.fail(f"tool_calls[{index}] joined arguments", f"valid per {call['name']}", errors[0].message)


@check("stream.tool_delta_keys", Severity.SHOULD, "Continuation tool-call deltas omit id/type/name, not empty strings",
       needs=(Need.STREAM,))
def tool_delta_keys(ctx: CheckContext) -> None:
    """Empty strings in continuation deltas break strict parsers (e.g. type "")."""
    rows = _tool_deltas(ctx)
    if not rows:
        raise Skip("no streamed tool call")
    started: set[int] = set()
    for n, call in rows:
        index = call.get("index", 0)
        fn = call.get("function") or {}
        if index in started:
            for key, value in (("id", call.get("id")), ("type", call.get("type")), ("function.name", fn.get("name"))):
                if value == "":
                    raise ctx.fail(f"event #{n} tool_calls[{index}].{key}", "absent in a continuation delta", '""')
        elif call.get("type", "function") != "function":
            raise ctx.fail(f"event #{n} tool_calls[{index}].type", "function", call.get("type"))
        started.add(index)
