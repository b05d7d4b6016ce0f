"""Tool-calling checks: forced tool_choice must produce the call, arguments must match the tool's schema."""

from __future__ import annotations

import json
from typing import Any

from jsonschema import Draft202012Validator

from ..failures import Ignored, NotDiscriminating, Skip
from ..verdicts import Severity
from ._registry import check
from .chat import first_choice, message_of
from .context import CheckContext
from .needs import Need


def tool_calls(ctx: CheckContext) -> list[dict[str, Any]]:
    """choices[0].message.tool_calls as a list (empty when absent)."""
    calls = message_of(ctx).get("tool_calls") or []
    if not isinstance(calls, list):
        raise ctx.fail("$.choices[0].message.tool_calls", "a list", calls)
    return calls


def declared_tools(ctx: CheckContext) -> dict[str, dict[str, Any]]:
    """Function name -> parameters schema, from the request."""
    tools = ctx.primary.request_json.get("tools") or []
    return {t["function"]["name"]: t["function"].get("parameters") or {} for t in tools if "function" in t}


def _require_calls(ctx: CheckContext, expected: str) -> list[dict[str, Any]]:
    calls = tool_calls(ctx)
    if not calls:
        finish = first_choice(ctx).get("finish_reason")
        raise Ignored("$.choices[0].message.tool_calls", expected, f"no tool call (finish_reason={finish})",
                      ctx.primary.summary())
    return calls


@check("tools.call_shape", Severity.MUST, "Each tool call names a declared function with JSON-string arguments that "
       "match its parameters", needs=(Need.BODY,))
def call_shape(ctx: CheckContext) -> None:
    """id, type function, declared name, arguments a JSON string valid against the tool's schema."""
    calls = tool_calls(ctx)
    if not calls:
        raise Skip("no tool call to inspect")
    declared = declared_tools(ctx)
    for i, call in enumerate(calls):
        where = f"$.choices[0].message.tool_calls[{i}]"
        if call.get("type") != "function":
            raise ctx.fail(f"{where}.type", "function", call.get("type"))
        if not isinstance(call.get("id"), str) or not call["id"]:
            raise ctx.fail(f"{where}.id", "a non-empty string", call.get("id"))
        fn = call.get("function") or {}
        if fn.get("name") not in declared:
            raise ctx.fail(f"{where}.function.name", f"one of {sorted(declared)}", fn.get("name"))
        args = fn.get("arguments")
        if not isinstance(args, str):
            raise ctx.fail(f"{where}.function.arguments", "a JSON string", args)
        try:
            value = json.loads(args)
        except ValueError:
            raise ctx.fail(f"{where}.function.arguments", "valid JSON", args) from None
        errors = list(Draft202012Validator(declared[fn["name"]]).iter_errors(value))
        if errors:
            raise ctx.fail(f"{where}.function.arguments", f"valid per {fn['name']} parameters", errors[0].message)


@check("tools.finish_reason", Severity.MUST, "An answer with tool calls has finish_reason tool_calls (stop is "
       "what OpenAI sends for a named tool_choice)", needs=(Need.ANSWER,))
def finish_reason(ctx: CheckContext) -> None:
    """Clients loop on finish_reason; stop with tool calls breaks them."""
    if not tool_calls(ctx):
        raise Skip("no tool call")
    finish = first_choice(ctx).get("finish_reason")
    named = isinstance(ctx.primary.request_json.get("tool_choice"), dict)
    allowed = ("tool_calls", "stop") if named else ("tool_calls",)
    if finish not in allowed:
        raise ctx.fail("$.choices[0].finish_reason", " or ".join(allowed), finish)


@check("tools.unique_ids", Severity.SHOULD, "Tool call ids are unique and are not just the function name",
       needs=(Need.ANSWER,))
def unique_ids(ctx: CheckContext) -> None:
    """Ids must identify the call so tool results can be matched to it."""
    calls = tool_calls(ctx)
    if not calls:
        raise Skip("no tool call")
    ids = [c.get("id") for c in calls]
    names = [(c.get("function") or {}).get("name") for c in calls]
    if len(set(ids)) != len(ids):
        raise ctx.fail("$.choices[0].message.tool_calls[*].id", "unique ids", ids)
    for i, (ident, name) in enumerate(zip(ids, names, strict=True)):
        if ident == name:
            raise ctx.fail(f"$.choices[0].message.tool_calls[{i}].id", "a call id distinct from the function name",
                           ident)


@check("tools.auto_called", Severity.SHOULD, "tool_choice auto with a prompt that needs a tool yields a tool call",
       needs=(Need.ANSWER, Need.PROBE))
def auto_called(ctx: CheckContext) -> None:
    """Model choice, so only SHOULD."""
    _require_calls(ctx, "a tool call (the prompt asks to use the tool)")


AUTO_TWIN = "chat.tools_auto"  # the same prompt and tools under tool_choice auto


@check("tools.none_no_call", Severity.MUST, "tool_choice none yields no tool call", needs=(Need.ANSWER,))
def none_no_call(ctx: CheckContext) -> None:
    """none forbids tool calls even when the prompt asks for one.

    Principle 7: when the same prompt under `auto` made no call either, this model never calls a tool unforced, so
    no call under none could not have been otherwise: not discriminating (a passing row says so).
    """
    calls = tool_calls(ctx)
    if calls:
        names = [(c.get("function") or {}).get("name") for c in calls]
        raise Ignored("$.choices[0].message.tool_calls", "no tool call (tool_choice none)", names,
                      ctx.primary.summary())
    twin = ctx.exchanges.get(AUTO_TWIN)
    if twin is None or not twin.ok or twin is ctx.primary:
        return
    try:
        message = twin.json()["choices"][0]["message"]
    except (ValueError, KeyError, IndexError, TypeError):
        return
    if isinstance(message, dict) and not message.get("tool_calls"):
        raise NotDiscriminating(f"the same prompt under tool_choice auto ({AUTO_TWIN}) made no tool call either: "
                                "this model does not call tools unforced, so no call under none shows nothing")


@check("tools.forced_call", Severity.MUST, "tool_choice required yields at least one tool call", needs=(Need.ANSWER,))
def forced_call(ctx: CheckContext) -> None:
    """required makes a call mandatory."""
    _require_calls(ctx, "a tool call (tool_choice required)")


@check("tools.named_call", Severity.MUST, "A named tool_choice yields a call to exactly that function",
       needs=(Need.ANSWER,))
def named_call(ctx: CheckContext) -> None:
    """The prompt is about weather, the choice names add_numbers: the name must win."""
    choice = ctx.primary.request_json.get("tool_choice") or {}
    wanted = (choice.get("function") or {}).get("name") if isinstance(choice, dict) else None
    calls = _require_calls(ctx, f"a call to {wanted}")
    names = [(c.get("function") or {}).get("name") for c in calls]
    if names != [wanted]:
        raise Ignored("$.choices[0].message.tool_calls[*].function.name", f"[{wanted!r}]", names,
                      ctx.primary.summary())


@check("tools.first_called", Severity.MUST, "tool_choice \"first\" yields a call to the first declared tool",
       needs=(Need.ANSWER,))
def first_called(ctx: CheckContext) -> None:
    """Seed semantics read as: force the first tool (the prompt asks for the second one)."""
    declared = list(declared_tools(ctx))
    calls = _require_calls(ctx, f"a call to {declared[0] if declared else '?'}")
    name = (calls[0].get("function") or {}).get("name")
    if not declared or name != declared[0]:
        raise Ignored("$.choices[0].message.tool_calls[0].function.name", declared[:1], name, ctx.primary.summary())


@check("tools.parallel_false", Severity.MUST, "parallel_tool_calls false yields at most one tool call",
       needs=(Need.ANSWER,))
def parallel_false(ctx: CheckContext) -> None:
    """Two calls in one turn after `parallel_tool_calls: false` means the parameter was ignored."""
    if ctx.primary.request_json.get("parallel_tool_calls") is not False:
        raise Skip("the request did not send parallel_tool_calls false")
    calls = tool_calls(ctx)
    if len(calls) > 1:
        names = [(c.get("function") or {}).get("name") for c in calls]
        raise Ignored("$.choices[0].message.tool_calls", "at most one tool call (parallel_tool_calls false)",
                      f"{len(calls)} calls {names}", ctx.primary.summary())
