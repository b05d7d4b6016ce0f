"""Chat Completions checks on non-streamed answers: message shape, usage, ids, forced limits and formats."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft202012Validator

from ..failures import Ignored, NotDiscriminating, Skip
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
    message = message_of(ctx)
    content = message.get("content")
    if content is None and answer_form(message) == "refusal":
        raise Skip("the model refused (message.refusal, dialect answer-forms): there is no JSON to validate")
    if not isinstance(content, str):
        raise ctx.fail("$.choices[0].message.content", "a JSON string", content)
    try:
        return json.loads(content)
    except ValueError:
        raise Ignored("$.choices[0].message.content", "JSON text (response_format applied)", content,
                      ctx.primary.summary()) from None


def answer_form(message: dict[str, Any]) -> str | None:
    """Which field carries an answer whose content is null (dialect answer-forms), or None."""
    for key, kind in (("refusal", str), ("audio", dict), ("tool_calls", list), ("function_call", dict)):
        value = message.get(key)
        if isinstance(value, kind) and value:
            return key
    return None


@check("chat.assistant_message", Severity.MUST, "choices[0].message is an assistant message with text content (or "
       "null content with a refusal, audio or tool calls)", needs=(Need.ANSWER, Need.TEXT_REPLY))
def assistant_message(ctx: CheckContext) -> None:
    """Role assistant; content a string, or null while another answer form carries the answer (any wording)."""
    message = message_of(ctx)
    if message.get("role") != "assistant":
        raise ctx.fail("$.choices[0].message.role", "assistant", message.get("role"))
    content = message.get("content")
    if isinstance(content, str) or (content is None and answer_form(message)):
        return
    raise ctx.fail("$.choices[0].message.content", "a string (or null with refusal, audio or tool_calls)", content)


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


def words(text: Any) -> int:
    """Whitespace-separated words of a text (0 for anything else)."""
    return len(text.split()) if isinstance(text, str) else 0


def over_limit(used: int | None, text: Any, limit: int) -> bool | None:
    """Whether an answer is longer than `limit` tokens: by its usage count, else only when its words are clearly
    more (over twice the limit: a word is at least one token in practice); None when that cannot be told."""
    if used is not None:
        return used > limit
    return True if words(text) > 2 * limit else None


@dataclass(frozen=True)
class TokenLimit:
    """An answer against the token limit its request set: principle 2, "a limit that was not reached proves nothing".

    `param` names the limit in evidence (max_tokens, max_output_tokens); `unit` the usage count (completion, output).
    """

    limit: int
    param: str
    unit: str
    used: int | None
    text: Any

    @staticmethod
    def count(usage: Any, key: str) -> int | None:
        """An integer token count from a usage object (None when absent or not an integer)."""
        value = usage.get(key) if isinstance(usage, dict) else None
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    def ignored(self, usage_path: str, stop_path: str, expected: str, observed: Any) -> list[tuple[str, Any, Any]]:
        """Every condition the answer broke: usage over the limit; an answer longer than the limit that did not stop."""
        found: list[tuple[str, Any, Any]] = []
        if self.used is not None and self.used > self.limit:
            found.append((usage_path, f"<= {self.limit} ({self.param}={self.limit})", self.used))
        if observed != expected and over_limit(self.used, self.text, self.limit):
            why = f"{self.used} {self.unit} tokens" if self.used is not None else f"{words(self.text)} words"
            found.append((stop_path, f"{expected} (the answer, {why}, is longer than {self.limit})", observed))
        return found

    def not_discriminating(self, ended: str) -> NotDiscriminating:
        """The answer ended on its own under the limit: it shows nothing about whether the limit is applied."""
        told = f"{self.used} of {self.limit} tokens" if self.used is not None else f"{words(self.text)} words, no usage"
        return NotDiscriminating(f"the answer ended on its own ({told}, {ended}): the limit was not exceeded, so it "
                                 f"shows nothing about whether {self.param} is applied")


def token_limit(req: dict[str, Any], *keys: str) -> int:
    """The request's token limit (the first of `keys` that is a positive integer); Skip when there is none."""
    for key in keys:
        value = req.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
    raise Skip(f"the request set no {' or '.join(keys)}")


@check("chat.finish_length", Severity.MUST, "A max_tokens limit the answer reached ends with finish_reason length, "
       "within the limit", needs=(Need.ANSWER,))
def finish_length(ctx: CheckContext) -> None:
    """Principle 2: a short answer under the limit proves nothing (not discriminating); a longer one must stop at
    the limit with finish_reason length. Every condition is evaluated and each failed one reported."""
    choice = first_choice(ctx)
    finish = choice.get("finish_reason")
    content = (choice.get("message") or {}).get("content") if isinstance(choice.get("message"), dict) else None
    req = ctx.primary.request_json
    param = "max_completion_tokens" if req.get("max_completion_tokens") is not None else "max_tokens"
    answer = TokenLimit(token_limit(req, "max_completion_tokens", "max_tokens"), param,
                        "completion", TokenLimit.count(ctx.body().get("usage"), "completion_tokens"), content)
    ctx.fail_all(answer.ignored("$.usage.completion_tokens", "$.choices[0].finish_reason", "length", finish),
                 kind=Ignored)
    if finish != "length":
        raise answer.not_discriminating(f"finish_reason {finish}")


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
