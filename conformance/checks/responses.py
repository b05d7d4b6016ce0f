"""Responses API checks on a Response object: output shape, status, usage, id and time, echoed parameters."""

from __future__ import annotations

from typing import Any

from ..failures import Ignored, Skip
from ..verdicts import Severity
from ..wire.exchange import Exchange
from ._registry import check
from .context import CheckContext
from .flow import NONCE, body, fail, step, step_body
from .needs import Need

SECONDS = (1e9, 1e10)  # 2001-09-09 .. 2286-11-20 as Unix seconds; milliseconds are 1000x larger


def items_of(value: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    """Output items of one type."""
    output = value.get("output")
    return [i for i in output if isinstance(i, dict) and i.get("type") == kind] if isinstance(output, list) else []


def output_text(value: dict[str, Any]) -> str:
    """All output_text parts of assistant messages, joined (the SDK's `output_text`)."""
    parts = []
    for item in items_of(value, "message"):
        content = item.get("content")
        for part in content if isinstance(content, list) else []:
            if isinstance(part, dict) and part.get("type") == "output_text" and isinstance(part.get("text"), str):
                parts.append(part["text"])
    return "".join(parts)


def primary_response(ctx: CheckContext) -> dict[str, Any]:
    """The primary answer as a Response object."""
    return body(ctx.primary, ctx.feature.primary)


def mentions(text: str, code: str) -> bool:
    """The code word appears in the text (case and surrounding punctuation ignored)."""
    return code.lower() in text.lower()


def code_word(exchange: Exchange, key: str = "input") -> str:
    """The code word a request carried in `input` (text or messages) or `instructions`."""
    value = exchange.request_json.get(key)
    text = value if isinstance(value, str) else str(value)
    found = NONCE.findall(text)
    if not found:
        raise Skip(f"the request carried no code word in {key}")
    return found[0]


@check("responses.output_text", Severity.MUST, "output holds an assistant message with output_text parts",
       needs=(Need.ANSWER,))
def output_message(ctx: CheckContext) -> None:
    """type message, role assistant, content a list of {type: output_text, text: str}."""
    value = primary_response(ctx)
    messages = items_of(value, "message")
    if not messages:
        raise ctx.fail("$.output", "a message item", [i.get("type") for i in value.get("output") or []])
    for n, item in enumerate(messages):
        if item.get("role") != "assistant":
            raise ctx.fail(f"message {n} $.role", "assistant", item.get("role"))
        content = item.get("content")
        texts = [p for p in content if isinstance(p, dict) and p.get("type") == "output_text"] \
            if isinstance(content, list) else []
        if not texts or not all(isinstance(p.get("text"), str) for p in texts):
            raise ctx.fail(f"message {n} $.content", "a list of output_text parts with text", content)


@check("responses.status_completed", Severity.MUST, "A finished response says status completed, no error",
       needs=(Need.ANSWER,))
def status_completed(ctx: CheckContext) -> None:
    """status completed, error and incomplete_details null."""
    value = primary_response(ctx)
    if value.get("status") != "completed":
        raise ctx.fail("$.status", "completed", value.get("status", "(absent)"))
    for key in ("error", "incomplete_details"):
        if value.get(key) is not None:
            raise ctx.fail(f"$.{key}", None, value[key])


@check("responses.usage", Severity.SHOULD, "usage counts input/output tokens, total = input + output, output > 0",
       needs=(Need.ANSWER,))
def usage(ctx: CheckContext) -> None:
    """Token accounting in Responses names (null or all-zero usage is a deviation)."""
    value = primary_response(ctx)
    counts = value.get("usage")
    if not isinstance(counts, dict):
        raise ctx.fail("$.usage", "an object with input/output/total_tokens", counts)
    raw = [counts.get(k) for k in ("input_tokens", "output_tokens", "total_tokens")]
    numbers = [n for n in raw if isinstance(n, int) and not isinstance(n, bool) and n >= 0]
    if len(numbers) != len(raw):
        raise ctx.fail("$.usage", "non-negative integer input/output/total_tokens", counts)
    if numbers[0] + numbers[1] != numbers[2]:
        raise ctx.fail("$.usage.total_tokens", f"{numbers[0]} + {numbers[1]}", numbers[2])
    if output_text(value) and numbers[1] == 0:
        raise ctx.fail("$.usage.output_tokens", "> 0 (the response has output text)", 0)


@check("responses.id_format", Severity.SHOULD, "The response id has OpenAI's resp_ prefix", needs=(Need.ANSWER,))
def id_format(ctx: CheckContext) -> None:
    """A bare UUID works but is a deviation clients and logs notice."""
    ident = primary_response(ctx).get("id")
    if not (isinstance(ident, str) and ident.startswith("resp_")):
        raise ctx.fail("$.id", "resp_...", ident)


@check("responses.created_at_seconds", Severity.SHOULD, "created_at is a Unix time in seconds (not milliseconds)",
       needs=(Need.ANSWER,))
def created_at_seconds(ctx: CheckContext) -> None:
    """Milliseconds put the response 50 000 years in the future."""
    value = primary_response(ctx).get("created_at")
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not SECONDS[0] <= value < SECONDS[1]:
        raise ctx.fail("$.created_at", "Unix seconds (1e9..1e10)", value)


def echoed(ctx: CheckContext, value: dict[str, Any], key: str, where: str = "") -> Any:
    """The response's echo of a request parameter; Skip when the response omits the key (principle 1).

    The SDK's Response type makes these echoes optional: an omitted echo says nothing about whether the parameter
    was applied, so the check is not graded for that exchange (never FAILED or IGNORED).
    """
    if key not in value:
        raise Skip(f"the response does not echo {key}: absence of an echo says nothing about whether it was applied")
    return value[key]


@check("responses.instructions_echo", Severity.SHOULD, "The response echoes the instructions it was given (when it "
       "echoes them at all)", needs=(Need.ANSWER,))
def instructions_echo(ctx: CheckContext) -> None:
    """instructions in the response equal the request's; an omitted echo is not graded."""
    sent = ctx.primary.request_json.get("instructions")
    found = echoed(ctx, primary_response(ctx), "instructions")
    if found != sent:
        raise ctx.fail("$.instructions", sent, found)


@check("responses.instructions_applied", Severity.MUST, "instructions steer the answer (it replies the code word)",
       needs=(Need.ANSWER, Need.PROBE))
def instructions_applied(ctx: CheckContext) -> None:
    """The instructions ask for a code word; an answer without it ignored them."""
    code = code_word(ctx.primary, "instructions")
    text = output_text(primary_response(ctx))
    if not mentions(text, code):
        raise Ignored("output_text", f"contains {code} (asked by instructions)", text, ctx.primary.summary())


def _echo(ctx: CheckContext, key: str) -> None:
    sent = ctx.primary.request_json.get(key)
    found = echoed(ctx, primary_response(ctx), key)
    if found != sent:
        raise Ignored(f"$.{key}", f"{sent!r} (as requested)", found, ctx.primary.summary())


# An echo is at most a SHOULD (principle 1): the effect of truncation (an input over the context window) and of a
# temperature (a distribution of answers) cannot be observed in one cheap request, and the echo is optional.
@check("responses.truncation_echo", Severity.SHOULD, "truncation auto is echoed as auto (when echoed)",
       needs=(Need.ANSWER,))
def truncation_echo(ctx: CheckContext) -> None:
    """The only observable of truncation on a short input is the echo; an omitted echo is not graded."""
    _echo(ctx, "truncation")


@check("responses.temperature_echo", Severity.SHOULD, "temperature 1.5 (OpenAI range 0-2) is echoed, not clamped "
       "(when echoed)", needs=(Need.ANSWER,))
def temperature_echo(ctx: CheckContext) -> None:
    """Sampling is not observable in one answer; the echoed value is, when there is one."""
    _echo(ctx, "temperature")


@check("responses.input_items", Severity.MUST, "input_items lists the input message that was sent", needs=(Need.FLOW,))
def input_items(ctx: CheckContext) -> None:
    """A list page holding a message item with the text of the create request's input."""
    created = step(ctx, "create")
    sent = created.request_json.get("input")
    listed_ex, listed = step_body(ctx, "input_items")
    if listed.get("object") != "list" or not isinstance(listed.get("data"), list):
        raise fail(listed_ex, "input_items $", "a list page", {k: listed.get(k) for k in ("object", "data")})
    texts = [p.get("text") for item in listed["data"] if isinstance(item, dict)
             for p in item.get("content") or [] if isinstance(p, dict)]
    if isinstance(sent, str) and sent not in texts:
        raise fail(listed_ex, "input_items $.data[*].content[*].text", f"contains {sent!r}", texts)
