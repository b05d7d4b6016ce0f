"""Chat Completions checks on non-streamed answers: message shape, usage, ids, forced limits and formats."""

from __future__ import annotations

import json
from typing import Any

from jsonschema import Draft202012Validator

from ..failures import Ignored, Skip
from ..verdicts import Severity
from ._registry import check
from .context import CheckContext
from .needs import Need


def first_choice(ctx: CheckContext) -> dict[str, Any]:
    """choices[0] of the primary answer; Failure when absent."""
    choices = ctx.body().get("choices")
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        raise ctx.fail("$.choices", "a non-empty list", choices)
    return choices[0]


def message_of(ctx: CheckContext) -> dict[str, Any]:
    """choices[0].message; Failure when absent."""
    message = first_choice(ctx).get("message")
    if not isinstance(message, dict):
        raise ctx.fail("$.choices[0].message", "an object", message)
    return message


def parse_content_json(ctx: CheckContext) -> Any:
    """The assistant content parsed as JSON; Ignored when it is not JSON (the format was not applied)."""
    content = message_of(ctx).get("content")
    if not isinstance(content, str):
        raise ctx.fail("$.choices[0].message.content", "a JSON string", content)
    try:
        return json.loads(content)
    except ValueError:
        raise Ignored("$.choices[0].message.content", "JSON text (response_format applied)", content,
                      ctx.primary.summary()) from None


@check("chat.assistant_message", Severity.MUST, "choices[0].message is an assistant message with text content",
       needs=(Need.ANSWER, Need.TEXT_REPLY))
def assistant_message(ctx: CheckContext) -> None:
    """Role assistant, string content (any wording)."""
    message = message_of(ctx)
    if message.get("role") != "assistant":
        raise ctx.fail("$.choices[0].message.role", "assistant", message.get("role"))
    if not isinstance(message.get("content"), str):
        raise ctx.fail("$.choices[0].message.content", "a string", message.get("content"))


@check("chat.usage", Severity.SHOULD, "usage reports integer token counts with total = prompt + completion",
       needs=(Need.BODY,))
def usage(ctx: CheckContext) -> None:
    """Token accounting users bill by."""
    usage = ctx.body().get("usage")
    if not isinstance(usage, dict):
        raise ctx.fail("$.usage", "an object with token counts", usage)
    raw = [usage.get(k) for k in ("prompt_tokens", "completion_tokens", "total_tokens")]
    counts = [c for c in raw if isinstance(c, int) and c >= 0]
    if len(counts) != len(raw):
        raise ctx.fail("$.usage", "non-negative integer prompt/completion/total_tokens", usage)
    if counts[0] + counts[1] != counts[2]:
        raise ctx.fail("$.usage.total_tokens", f"{counts[0]} + {counts[1]} = {counts[0] + counts[1]}", counts[2])


@check("chat.id_format", Severity.SHOULD, "The completion id has OpenAI's chatcmpl- prefix", needs=(Need.ANSWER,))
def id_format(ctx: CheckContext) -> None:
    """Clients and logs key on the prefix; a bare UUID is a deviation, not an error."""
    ident = ctx.body().get("id")
    if not (isinstance(ident, str) and ident.startswith("chatcmpl-")):
        raise ctx.fail("$.id", "chatcmpl-...", ident)


@check("chat.finish_length", Severity.MUST, "max_tokens=1 ends with finish_reason length and at most 1 token",
       needs=(Need.ANSWER,))
def finish_length(ctx: CheckContext) -> None:
    """The limit must bite: a 200 that ignored it is IGNORED."""
    choice = first_choice(ctx)
    usage = ctx.body().get("usage") or {}
    tokens = usage.get("completion_tokens") if isinstance(usage, dict) else None
    if isinstance(tokens, int) and tokens > 1:
        raise Ignored("$.usage.completion_tokens", "<= 1 (max_tokens=1)", tokens, ctx.primary.summary())
    if choice.get("finish_reason") != "length":
        raise Ignored("$.choices[0].finish_reason", "length", choice.get("finish_reason"), ctx.primary.summary())


@check("chat.json_schema_valid", Severity.MUST, "Strict json_schema output validates against the request's schema",
       needs=(Need.ANSWER, Need.TEXT_REPLY))
def json_schema_valid(ctx: CheckContext) -> None:
    """Validate the content against the schema sent in the request."""
    fmt = ctx.primary.request_json.get("response_format") or {}
    schema = (fmt.get("json_schema") or {}).get("schema")
    if not isinstance(schema, dict):
        raise Skip("request carried no json_schema")
    value = parse_content_json(ctx)
    errors = list(Draft202012Validator(schema).iter_errors(value))
    if errors:
        where = "content" + "".join(f"[{p!r}]" for p in errors[0].absolute_path)
        raise ctx.fail(where, "valid per the request's json_schema", f"{errors[0].message} in {value}")


@check("chat.json_object_valid", Severity.MUST, "json_object output is a JSON object",
       needs=(Need.ANSWER, Need.TEXT_REPLY))
def json_object_valid(ctx: CheckContext) -> None:
    """Content parses and is an object (not a list or scalar)."""
    value = parse_content_json(ctx)
    if not isinstance(value, dict):
        raise ctx.fail("content", "a JSON object", value)
