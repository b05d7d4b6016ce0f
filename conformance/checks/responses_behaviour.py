"""Responses API behaviour forced by the request: context carried, tools called, formats and limits applied."""

from __future__ import annotations

import json
from typing import Any

from jsonschema import Draft202012Validator

from ..failures import Ignored, Skip
from ..verdicts import Severity
from ..wire.exchange import Exchange
from ._registry import check
from .chat import TokenLimit, token_limit
from .context import CheckContext
from .flow import fail, step, step_body
from .needs import Need
from .responses import code_word, echoed, items_of, mentions, output_text, primary_response


def _declared(exchange: Exchange) -> dict[str, dict[str, Any]]:
    tools = exchange.request_json.get("tools") or []
    return {t["name"]: t.get("parameters") or {} for t in tools if isinstance(t, dict) and t.get("type") == "function"}


def _calls(exchange: Exchange, value: dict[str, Any], expected: str) -> list[dict[str, Any]]:
    calls = items_of(value, "function_call")
    if not calls:
        kinds = [i.get("type") for i in value.get("output") or [] if isinstance(i, dict)]
        raise Ignored("$.output", expected, f"no function_call (items {kinds})", exchange.summary())
    return calls


def _check_call(exchange: Exchange, n: int, call: dict[str, Any]) -> None:
    declared = _declared(exchange)
    where = f"function_call {n}"
    if not isinstance(call.get("call_id"), str) or not call["call_id"]:
        raise fail(exchange, f"{where} $.call_id", "a non-empty string", call.get("call_id"))
    if call.get("name") not in declared:
        raise fail(exchange, f"{where} $.name", f"one of {sorted(declared)}", call.get("name"))
    args = call.get("arguments")
    if not isinstance(args, str):
        raise fail(exchange, f"{where} $.arguments", "a JSON string", args)
    try:
        value = json.loads(args)
    except ValueError:
        raise fail(exchange, f"{where} $.arguments", "valid JSON", args) from None
    errors = list(Draft202012Validator(declared[call["name"]]).iter_errors(value))
    if errors:
        raise fail(exchange, f"{where} $.arguments", f"valid per {call['name']} parameters", errors[0].message)


@check("responses.previous_context", Severity.MUST, "previous_response_id carries the earlier turn (its code word)",
       needs=(Need.FLOW,))
def previous_context(ctx: CheckContext) -> None:
    """The second turn only references the first; answering the code word proves the context was used."""
    code = code_word(step(ctx, "first"))
    second_ex, second = step_body(ctx, "second")
    text = output_text(second)
    if not mentions(text, code):
        raise Ignored("second output_text", f"contains {code} (said in the referenced turn)", text,
                      second_ex.summary())


@check("responses.previous_echo", Severity.SHOULD, "A chained response echoes previous_response_id", needs=(Need.FLOW,))
def previous_echo(ctx: CheckContext) -> None:
    """previous_response_id of the second response is the first response's id."""
    _first_ex, first = step_body(ctx, "first")
    second_ex, second = step_body(ctx, "second")
    found = echoed(ctx, second, "previous_response_id")
    if found != first.get("id"):
        raise fail(second_ex, "second $.previous_response_id", first.get("id"), found)


@check("responses.function_call", Severity.MUST, "A function tool is called: call_id, declared name, JSON arguments "
       "valid against its parameters", needs=(Need.FLOW,))
def function_call(ctx: CheckContext) -> None:
    """The prompt needs the weather tool; every function_call item must be well formed."""
    call_ex, value = step_body(ctx, "call")
    for n, call in enumerate(_calls(call_ex, value, "a function_call (the prompt asks for the tool)")):
        _check_call(call_ex, n, call)


@check("responses.call_ids", Severity.SHOULD, "function_call call_ids are unique and not just the function name",
       needs=(Need.FLOW,))
def call_ids(ctx: CheckContext) -> None:
    """The call_id pairs a function_call_output with its call; the bare name cannot tell two calls apart."""
    call_ex, value = step_body(ctx, "call")
    calls = items_of(value, "function_call")
    if not calls:
        raise Skip("no function_call")
    ids = [c.get("call_id") for c in calls]
    if len(set(ids)) != len(ids):
        raise fail(call_ex, "$.output[*].call_id", "unique call_ids", ids)
    for n, call in enumerate(calls):
        if call.get("call_id") == call.get("name"):
            raise fail(call_ex, f"function_call {n} $.call_id", "a call id distinct from the function name",
                       call.get("call_id"))


@check("responses.tool_result_answer", Severity.MUST, "After function_call_output the model answers with a message",
       needs=(Need.FLOW,))
def tool_result_answer(ctx: CheckContext) -> None:
    """The tool output is consumed: an assistant message, no repeated function_call."""
    result_ex, value = step_body(ctx, "result")
    calls = items_of(value, "function_call")
    if calls:
        raise Ignored("result $.output", "an assistant message (function_call_output consumed)",
                      f"{len(calls)} new function_call item(s)", result_ex.summary())
    if not output_text(value):
        raise fail(result_ex, "result output_text", "a non-empty answer", output_text(value))


@check("responses.named_call", Severity.MUST, "A named tool_choice yields calls to exactly that function",
       needs=(Need.FLOW,))
def named_call(ctx: CheckContext) -> None:
    """The prompt is about weather, the choice names add_numbers: the name must win."""
    named_ex, value = step_body(ctx, "named")
    choice = named_ex.request_json.get("tool_choice") or {}
    wanted = choice.get("name") if isinstance(choice, dict) else None
    calls = _calls(named_ex, value, f"a call to {wanted}")
    found: set[Any] = {c.get("name") for c in calls}  # the names as answered (any JSON value)
    names = sorted(found)
    if names != [wanted]:
        raise Ignored("named $.output[*].name", [wanted], names, named_ex.summary())
    for n, call in enumerate(calls):
        _check_call(named_ex, n, call)


@check("responses.required_call", Severity.MUST, "tool_choice required yields at least one function_call",
       needs=(Need.FLOW,))
def required_call(ctx: CheckContext) -> None:
    """required makes a call mandatory."""
    required_ex, value = step_body(ctx, "required")
    for n, call in enumerate(_calls(required_ex, value, "a function_call (tool_choice required)")):
        _check_call(required_ex, n, call)


def _json_output(ctx: CheckContext, label: str) -> tuple[Exchange, Any]:
    exchange, value = step_body(ctx, label)
    text = output_text(value)
    try:
        return exchange, json.loads(text)
    except ValueError:
        raise Ignored(f"{label} output_text", "JSON text (text.format applied)", text, exchange.summary()) from None


@check("responses.json_schema_valid", Severity.MUST, "text.format json_schema (strict) output validates",
       needs=(Need.FLOW,))
def json_schema_valid(ctx: CheckContext) -> None:
    """Validate the output text against the schema sent in text.format."""
    exchange, value = _json_output(ctx, "json_schema")
    schema = ((exchange.request_json.get("text") or {}).get("format") or {}).get("schema")
    if not isinstance(schema, dict):
        raise Skip("request carried no json_schema")
    errors = list(Draft202012Validator(schema).iter_errors(value))
    if errors:
        raise fail(exchange, "json_schema output_text", "valid per the request's schema", f"{errors[0].message}")


@check("responses.json_object_valid", Severity.MUST, "text.format json_object output is a JSON object",
       needs=(Need.FLOW,))
def json_object_valid(ctx: CheckContext) -> None:
    """The output parses and is an object."""
    exchange, value = _json_output(ctx, "json_object")
    if not isinstance(value, dict):
        raise fail(exchange, "json_object output_text", "a JSON object", value)


@check("responses.incomplete_max_tokens", Severity.MUST, "A max_output_tokens limit the answer reached ends status "
       "incomplete, reason max_output_tokens, within the limit", needs=(Need.ANSWER,))
def incomplete_max_tokens(ctx: CheckContext) -> None:
    """Principle 2: a short answer under the limit proves nothing (not discriminating); a longer one must stop.

    Every condition is evaluated and each failed one reported (usage over the limit, status, reason).
    """
    value = primary_response(ctx)
    status = value.get("status")
    reason = (value.get("incomplete_details") or {}).get("reason") \
        if isinstance(value.get("incomplete_details"), dict) else None
    answer = TokenLimit(token_limit(ctx.primary.request_json, "max_output_tokens"), "max_output_tokens", "output",
                        TokenLimit.count(value.get("usage"), "output_tokens"), output_text(value))
    ctx.fail_all(answer.ignored("$.usage.output_tokens", "$.status", "incomplete", status), kind=Ignored)
    if status == "incomplete" and reason != "max_output_tokens" and answer.used is not None \
            and answer.used >= answer.limit:
        raise ctx.fail("$.incomplete_details.reason", "max_output_tokens (the limit was reached)", reason)
    if status != "incomplete":
        raise answer.not_discriminating(f"status {status}")
