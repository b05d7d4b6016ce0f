"""Chat stream checks of issue 13 part B: tool calls and reasoning joined exactly as the SDK joins them, and where
usage may appear in a stream (with include_usage and without it)."""

from __future__ import annotations

import json
from contextlib import suppress
from typing import Any

from ..failures import Failure, Ignored, Skip
from ..verdicts import Severity
from ..wire.exchange import Exchange
from ._registry import check
from .context import CheckContext
from .needs import Need
from .streaming import chunks, sdk_join, stray_usage

REASONING_KEYS = ("reasoning_content", "reasoning", "reasoning_details")


def choice_deltas(ctx: CheckContext, exchange: Exchange | None = None) -> list[tuple[int, dict[str, Any]]]:
    """(event number, delta) of choice 0 in every chunk, in order."""
    found = []
    for n, chunk in chunks(ctx, exchange):
        for choice in chunk.get("choices") or []:
            if isinstance(choice, dict) and choice.get("index", 0) == 0 and isinstance(choice.get("delta"), dict):
                found.append((n, choice["delta"]))
    return found


def joined(ctx: CheckContext, deltas: list[tuple[int, dict[str, Any]]], what: str) -> dict[str, Any]:
    """The SDK accumulator's message from these deltas; Failure (naming the delta it cannot join) otherwise."""
    try:
        return sdk_join([delta for _n, delta in deltas])
    except ValueError as exc:
        raise ctx.fail(what, "deltas the SDK's stream accumulator (accumulate_delta) joins", str(exc)) from None


def _first(rows: list[tuple[int, dict[str, Any]]], index: int, key: str) -> Any:
    """The first non-empty id (or function name) the deltas of tool call `index` carried."""
    for _n, call in rows:
        value = (call.get("function") or {}).get("name") if key == "name" else call.get(key)
        if call.get("index") == index and value:
            return value
    return None


@check("stream.tool_join", Severity.MUST, "Streamed tool calls carry an integer index and join (as the SDK joins "
       "them) to the id and name their first delta gave", needs=(Need.STREAM, Need.TOOL_CALL))
def tool_join(ctx: CheckContext) -> None:
    """OAS ChatCompletionMessageToolCallChunk requires `index`; the SDK merges by it and concatenates every repeated
    string, so an id or name sent in each delta joins to `call_1call_1`: every such call is listed."""
    deltas = choice_deltas(ctx)
    rows = [(n, call) for n, delta in deltas for call in delta.get("tool_calls") or [] if isinstance(call, dict)]
    if not rows:
        raise Ignored("delta.tool_calls", "a streamed tool call (tool_choice required)", "none",
                      ctx.primary.summary())
    found: list[tuple[str, Any, Any]] = [
        (f"event #{n} delta.tool_calls[].index", "an integer (OAS: required)", call.get("index"))
        for n, call in rows if type(call.get("index")) is not int]
    ctx.fail_all(found)
    message = joined(ctx, deltas, "delta.tool_calls")
    for i, call in enumerate(message.get("tool_calls") or []):
        index = call.get("index", i)
        for key, value in (("id", call.get("id")), ("name", (call.get("function") or {}).get("name"))):
            first = _first(rows, index, key)
            if value != first:
                found.append((f"joined tool_calls[{i}].{'function.' if key == 'name' else ''}{key}",
                              f"{first!r} (as its first delta gave it)", f"{value!r} (repeated in later deltas, "
                              "concatenated by the SDK)"))
    ctx.fail_all(found)


def _calls(message: dict[str, Any]) -> list[tuple[Any, Any]]:
    """(name, arguments parsed as JSON, or the text when it is not JSON) of each tool call of a message."""
    found = []
    for call in message.get("tool_calls") or []:
        fn = call.get("function") or {} if isinstance(call, dict) else {}
        try:
            args = json.loads(fn.get("arguments") or "")
        except (TypeError, ValueError):
            args = fn.get("arguments")
        found.append((fn.get("name"), args))
    return found


@check("stream.tool_join_matches", Severity.SHOULD, "The SDK-joined streamed tool calls have the names and JSON "
       "arguments of the same request not streamed", needs=(Need.STREAM, Need.SECOND_REQUEST))
def tool_join_matches(ctx: CheckContext) -> None:
    """The same forced request (tool_choice required, temperature 0) streamed and not: same calls, same arguments
    (compared as JSON values, so spacing and key order do not matter; ids differ per response by design)."""
    plain = ctx.auxiliary("chat.tool_required")
    try:
        expected = _calls(plain.json()["choices"][0]["message"])
    except (ValueError, KeyError, IndexError, TypeError):
        raise Skip("the non-streamed forced call has no message to compare with") from None
    if not expected:
        raise Skip("the non-streamed forced call made no tool call to compare with")
    try:
        message = sdk_join([delta for _n, delta in choice_deltas(ctx)])
    except ValueError:
        raise Skip("the streamed deltas do not join (stream.tool_join reports it)") from None
    got = _calls(message)
    if not got:
        raise Skip("the stream made no tool call (stream.tool_join reports it)")
    if got != expected:
        raise ctx.fail("joined tool_calls (name, arguments)", expected, got)


@check("stream.reasoning_join", Severity.MUST, "A reasoning stream (reasoning_effort) joins with the SDK's "
       "accumulator, reasoning deltas included", needs=(Need.STREAM,))
def reasoning_join(ctx: CheckContext) -> None:
    """Providers stream reasoning in extra delta fields (`reasoning_content`, `reasoning`, `reasoning_details`); the
    SDK's accumulator joins every field of a delta, so one it cannot join breaks `client.chat.completions.stream`."""
    deltas = choice_deltas(ctx)
    message = joined(ctx, deltas, "choices[0].delta")
    content = message.get("content")
    if content is not None and not isinstance(content, str):
        raise ctx.fail("joined choices[0].delta.content", "text or null", content)


@check("stream.usage_shape", Severity.SHOULD, "With include_usage, usage is null on every chunk but the last "
       "(choices []); without it, on none", needs=(Need.STREAM,))
def usage_shape(ctx: CheckContext) -> None:
    """OAS ChatCompletionStreamOptions.include_usage: the other chunks carry usage null (absent is the same to the
    SDK's Optional field); a stream that did not ask carries none. Clients that sum usage over chunks over-count.
    The twin without include_usage (chat.stream) is read when the run has it; a recording of one stream is graded
    on that stream alone."""
    found = stray_usage(ctx, ctx.primary)
    twin = ctx.exchanges.get("chat.stream")
    if twin is not None and twin.ok and twin.request_known:
        with suppress(Failure):  # the twin's own framing is graded on chat.stream
            found += [(f"chat.stream (no include_usage) {where}", expected, observed)
                      for where, expected, observed in stray_usage(ctx, twin)]
    ctx.fail_all(found)
