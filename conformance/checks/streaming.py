"""SSE stream checks for Chat Completions: framing, [DONE], per-chunk schema, ids, roles, finish, usage, tools."""

from __future__ import annotations

import copy
import json
from typing import Any

from jsonschema import Draft202012Validator

from ..catalogue.vocabulary import EVENT_STREAM
from ..failures import Failure, Ignored, Skip, short
from ..schemas import violations
from ..verdicts import Severity
from ..wire.exchange import Exchange
from ._registry import check
from .common import headers_recorded
from .context import CheckContext
from .needs import Need

DONE = "[DONE]"


def annotation(chunk: dict[str, Any]) -> bool:
    """An out-of-band annotation event, not a chunk: `object` is "" (Azure OpenAI's asynchronous content filter).

    The official SDK's stream helper skips exactly these (openai/lib/streaming/chat/_completions.py,
    `_is_valid_chat_completion_chunk_weak`); dialect `azure-filter-annotations` in catalogue.dialects.
    """
    return chunk.get("object") == ""


def chunks(ctx: CheckContext, exchange: Exchange | None = None) -> list[tuple[int, dict[str, Any]]]:
    """(event number, chunk) for every JSON data event but annotations; Failure on an undecodable event.

    Decoded once per complete exchange (every stream check reads them); a failure is raised afresh each time.
    """
    ex = exchange or ctx.primary
    cached = ex.__dict__.get("_chunks") if ex.complete else None
    if isinstance(cached, Failure):
        raise Failure(cached.evidence.where, cached.evidence.expected, cached.evidence.observed,
                      cached.evidence.request)
    if cached is not None:
        return list(cached)
    try:
        found = _decode_chunks(ex)
    except Failure as exc:
        if ex.complete:
            ex.__dict__["_chunks"] = exc
        raise
    if ex.complete:
        ex.__dict__["_chunks"] = found
    return list(found)


def _decode_chunks(ex: Exchange) -> list[tuple[int, dict[str, Any]]]:
    found = []
    for event in ex.sse().events:
        if event.data == DONE:
            continue
        try:
            value = json.loads(event.data)
        except ValueError:
            raise Failure(f"event #{event.index}", "JSON or [DONE]", event.data, ex.summary()) from None
        if not isinstance(value, dict):
            raise Failure(f"event #{event.index}", "a JSON object", value, ex.summary())
        if not annotation(value):
            found.append((event.index, value))
    return found


def _deltas(ctx: CheckContext) -> list[tuple[int, int, dict[str, Any], Any]]:
    """(event number, choice index, delta, finish_reason) for every choice in every chunk."""
    rows = []
    for n, chunk in chunks(ctx):
        for choice in chunk.get("choices") or []:
            if isinstance(choice, dict):
                rows.append((n, choice.get("index", 0), choice.get("delta") or {}, choice.get("finish_reason")))
    return rows


@check("sse.framing", Severity.MUST, "The body is a well-framed text/event-stream of JSON data events",
       needs=(Need.STREAM,))
def framing(ctx: CheckContext) -> None:
    """Media type (when headers were recorded), no stray lines, no unterminated event, JSON or [DONE] payloads."""
    ex = ctx.primary
    if not ex.framing_as_sent:
        raise Skip("the fixture kept the stream's chunks, not its SSE framing: absence of evidence")
    if headers_recorded(ex) and ex.content_type != EVENT_STREAM:
        raise ctx.fail("header content-type", EVENT_STREAM, ex.content_type or "(none)")
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
    if not ctx.primary.framing_as_sent:
        raise Skip("the fixture kept the stream's chunks, not its SSE framing (nor [DONE]): absence of evidence")
    events = ctx.primary.sse().events
    marks = [e.index for e in events if e.data == DONE]
    if not marks:
        raise ctx.fail("last event", "data: [DONE]", f"{len(events)} events, none [DONE]")
    if len(marks) > 1 or marks[0] != events[-1].index:
        raise ctx.fail(f"event #{marks[0]}", "[DONE] once, as the last event", f"[DONE] at events {marks}")


@check("stream.chunk_schema", Severity.MUST, "Every chunk validates against the chat.completion.chunk schema",
       needs=(Need.STREAM,))
def chunk_schema(ctx: CheckContext) -> None:
    """Dispatch on `object`; an in-band error object is reported as such; every bad chunk is listed."""
    found: list[tuple[str, Any, Any]] = []
    for n, chunk in chunks(ctx):
        if "error" in chunk and "choices" not in chunk:
            found.append((f"event #{n}", "a chat.completion.chunk", f"in-band error {short(chunk['error'])}"))
        elif chunk.get("object") != "chat.completion.chunk":
            found.append((f"event #{n} $.object", "chat.completion.chunk", chunk.get("object")))
        else:
            found += [(f"event #{n} {path}", "valid per chat.completion.chunk", message)
                      for path, message in violations("chat.completion.chunk", chunk)]
    ctx.fail_all(found)


@check("stream.same_id", Severity.MUST, "All chunks of one stream carry the same non-empty string id",
       needs=(Need.STREAM,))
def same_id(ctx: CheckContext) -> None:
    """Clients group chunks by id: an id that changes, is missing or empty breaks that (every such chunk listed)."""
    items = chunks(ctx)
    if not items:
        raise Skip("no chunks")
    first = items[0][1].get("id")
    found: list[tuple[str, Any, Any]] = []
    if not isinstance(first, str) or not first:
        found.append((f"event #{items[0][0]} $.id", "a non-empty string id", first))
    found += [(f"event #{n} $.id", first, chunk.get("id")) for n, chunk in items[1:] if chunk.get("id") != first]
    ctx.fail_all(found)


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
    ctx.fail_all([(f"choice {index} finish_reason", "exactly one chunk with finish_reason",
                   f"{len(seen.get(index, []))} (events {seen.get(index, [])})")
                  for index in sorted(indices) or [0] if len(seen.get(index, [])) != 1])


@check("stream.role_first_only", Severity.SHOULD, "delta.role appears in the first delta of a choice only",
       needs=(Need.STREAM,))
def role_first_only(ctx: CheckContext) -> None:
    """OpenAI sends role once, first."""
    first_seen: set[int] = set()
    found: list[tuple[str, Any, Any]] = []
    for n, index, delta, _finish in _deltas(ctx):
        if index not in first_seen:
            first_seen.add(index)
            if delta.get("role") != "assistant":
                found.append((f"event #{n} delta.role", "assistant in the first delta", delta.get("role")))
        elif "role" in delta and delta["role"] is not None:
            found.append((f"event #{n} delta.role", "absent after the first delta", delta["role"]))
    ctx.fail_all(found)


@check("stream.no_usage_unasked", Severity.SHOULD, "usage is null on every chunk but the final usage chunk, which "
       "only stream_options.include_usage asks for", needs=(Need.STREAM,))
def no_usage_unasked(ctx: CheckContext) -> None:
    """OAS CreateChatCompletionStreamOptions: all other chunks carry usage null; an unasked usage chunk with choices
    [] breaks clients that index choices[0], and usage on every chunk makes clients that sum it over-count."""
    if not ctx.primary.request_known:
        raise Skip("the recording did not keep the request: whether include_usage was asked is unknown")
    ctx.fail_all(stray_usage(ctx, ctx.primary))


def stray_usage(ctx: CheckContext, exchange: Exchange) -> list[tuple[str, Any, Any]]:
    """(where, expected, observed) for every chunk of a stream that carries usage where it should not: any chunk
    when include_usage was not asked, every chunk but the final `choices: []` one when it was."""
    items = chunks(ctx, exchange)
    asked = bool((exchange.request_json.get("stream_options") or {}).get("include_usage"))
    final = items[-1][0] if asked and items and items[-1][1].get("choices") == [] else None
    expected = "null (only the final choices [] chunk carries usage)" if asked else \
        "null or absent (include_usage not sent)"
    return [(f"event #{n} $.usage", expected, chunk["usage"])
            for n, chunk in items if chunk.get("usage") is not None and n != final]


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
            if isinstance(call, dict):
                rows.append((n, call))
    return rows


def sdk_join(deltas: list[dict[str, Any]]) -> dict[str, Any]:
    """The message the official SDK's stream accumulator builds from one choice's deltas (its own code).

    `accumulate_delta` concatenates every string it sees twice (so an `id` or `name` repeated in each delta is
    joined into `call_1call_1`), replaces `type` and `index`, and merges tool calls by index. ValueError names a
    delta it cannot join.
    """
    # The SDK's own join (pinned SDK), imported here: lint that never joins a streamed tool call skips the import.
    from openai.lib.streaming._deltas import accumulate_delta

    message: dict[object, object] = {}
    for delta in deltas:
        fresh: dict[object, object] = {key: copy.deepcopy(value) for key, value in delta.items()}
        try:
            accumulate_delta(message, fresh)
        except (TypeError, RuntimeError, KeyError) as exc:
            raise ValueError(f"the SDK's stream accumulator cannot join {short(delta)}: {exc}") from None
    return {str(key): value for key, value in message.items()}


def _repeats(rows: list[tuple[int, dict[str, Any]]], index: int, key: str) -> int:
    """How many deltas of one tool call carried a non-empty `key` (id, or function name)."""
    return sum(1 for _n, call in rows if call.get("index", 0) == index and
               ((call.get("function") or {}).get("name") if key == "name" else call.get(key)))


@check("stream.tool_deltas", Severity.MUST, "Streamed tool calls join (as the SDK joins them) to a declared function "
       "with JSON arguments", needs=(Need.STREAM, Need.TOOL_CALL))
def tool_deltas(ctx: CheckContext) -> None:
    """Join choice 0's deltas with the SDK's accumulator; every joined call: id, type, declared name, valid JSON."""
    rows = _tool_deltas(ctx)
    if not rows:
        raise Ignored("delta.tool_calls", "a streamed tool call (tool_choice required)", "none",
                      ctx.primary.summary())
    tools = {t["function"]["name"]: t["function"].get("parameters") or {}
             for t in ctx.primary.request_json.get("tools") or [] if isinstance(t, dict) and "function" in t}
    try:
        message = sdk_join([delta for _n, index, delta, _f in _deltas(ctx) if index == 0])
    except ValueError as exc:
        raise ctx.fail("delta.tool_calls", "deltas the SDK can join", str(exc)) from None
    found: list[tuple[str, Any, Any]] = []
    for i, call in enumerate(message.get("tool_calls") or []):
        where = f"joined tool_calls[{i}]"
        fn = call.get("function") or {}
        name = fn.get("name")
        if not call.get("id") or call.get("type") != "function":
            found.append((where, "an id and type function", {"id": call.get("id"), "type": call.get("type")}))
        if name not in tools:
            times = _repeats(rows, call.get("index", i), "name")
            note = f" (the name came in {times} deltas; the SDK concatenates them)" if times > 1 else ""
            found.append((f"{where}.function.name", f"one of {sorted(tools)}", f"{name!r}{note}"))
            continue
        try:
            value = json.loads(fn.get("arguments") or "")
        except ValueError:
            found.append((f"{where}.function.arguments", "valid JSON", fn.get("arguments")))
            continue
        found += [(f"{where}.function.arguments", f"valid per {name}", error.message)
                  for error in Draft202012Validator(tools[name]).iter_errors(value)]
    ctx.fail_all(found)


@check("stream.tool_delta_keys", Severity.SHOULD, "Continuation tool-call deltas omit id/type/name (no empty or "
       "repeated values)", needs=(Need.STREAM,))
def tool_delta_keys(ctx: CheckContext) -> None:
    """Empty strings break strict parsers (type ""); a repeated id or name is concatenated by the SDK's accumulator."""
    rows = _tool_deltas(ctx)
    if not rows:
        raise Skip("no streamed tool call")
    started: set[int] = set()
    found: list[tuple[str, Any, Any]] = []
    for n, call in rows:
        index = call.get("index", 0)
        fn = call.get("function") or {}
        if index in started:
            for key, value in (("id", call.get("id")), ("type", call.get("type")), ("function.name", fn.get("name"))):
                if value == "":
                    found.append((f"event #{n} tool_calls[{index}].{key}", "absent in a continuation delta", '""'))
                elif value is not None and key != "type":
                    found.append((f"event #{n} tool_calls[{index}].{key}", "absent in a continuation delta (the SDK "
                                  "concatenates repeats)", value))
        elif call.get("type", "function") != "function":
            found.append((f"event #{n} tool_calls[{index}].type", "function", call.get("type")))
        started.add(index)
    ctx.fail_all(found)
