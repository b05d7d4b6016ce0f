"""Checks over hypothesis-generated cases: every case's forced output validates against that case's schema."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from jsonschema import Draft202012Validator

from ..failures import Failure, Ignored, Skip
from ..verdicts import Severity
from ..wire.exchange import Exchange
from ._registry import check
from .context import CheckContext
from .needs import Need


def cases(ctx: CheckContext) -> Iterator[tuple[str, Exchange, dict[str, Any]]]:
    """(case label, exchange, choices[0].message) for every generated case; Failure on a non-2xx or bad body."""
    found = sorted((name, ex) for name, ex in ctx.exchanges.items() if ":case" in name)
    if not found:
        raise Skip("no generated case was sent")
    for name, ex in found:
        label = name.rpartition(":")[2]
        if not ex.ok:
            raise Failure(label, "a 2xx answer to a request within the documented subset",
                          f"HTTP {ex.status}: {ex.text[:160]}", ex.summary())
        try:
            message = ex.json()["choices"][0]["message"]
        except (ValueError, KeyError, IndexError, TypeError):
            raise Failure(f"{label} $.choices[0].message", "an assistant message", ex.text[:160],
                          ex.summary()) from None
        yield label, ex, message


def _validate(label: str, ex: Exchange, schema: dict[str, Any], text: Any, where: str) -> None:
    if not isinstance(text, str):
        raise Failure(f"{label} {where}", "JSON text", text, ex.summary())
    try:
        value = json.loads(text)
    except ValueError:
        raise Ignored(f"{label} {where}", "JSON text (the format was applied)", text, ex.summary()) from None
    errors = list(Draft202012Validator(schema).iter_errors(value))
    if errors:
        path = "".join(f"[{p!r}]" for p in errors[0].absolute_path)
        raise Failure(f"{label} {where}{path}", f"valid per the generated schema {json.dumps(schema)[:200]}",
                      f"{errors[0].message} in {text[:160]}", ex.summary())


@check("generated.json_schema_valid", Severity.MUST, "Every generated strict json_schema case gets content valid "
       "against its own schema", needs=(Need.FLOW,))
def json_schema_valid(ctx: CheckContext) -> None:
    """Schemas, Unicode prompts and parameters come from hypothesis; outputs must validate."""
    for label, ex, message in cases(ctx):
        schema = ex.request_json["response_format"]["json_schema"]["schema"]
        _validate(label, ex, schema, message.get("content"), "content")


@check("generated.tool_args_valid", Severity.MUST, "Every generated named tool is called with arguments valid "
       "against its generated parameters", needs=(Need.FLOW,))
def tool_args_valid(ctx: CheckContext) -> None:
    """The named tool_choice forces the call; its arguments must match the generated schema."""
    for label, ex, message in cases(ctx):
        tool = ex.request_json["tools"][0]["function"]
        calls = message.get("tool_calls") or []
        if not calls:
            raise Ignored(f"{label} tool_calls", f"a call to {tool['name']}", "no tool call", ex.summary())
        fn = calls[0].get("function") or {}
        if fn.get("name") != tool["name"]:
            raise Ignored(f"{label} tool_calls[0].function.name", tool["name"], fn.get("name"), ex.summary())
        _validate(label, ex, tool["parameters"], fn.get("arguments"), "tool_calls[0].function.arguments")
