"""Error checks: an invalid request gets a 4xx with OpenAI's error envelope."""

from __future__ import annotations

from ..verdicts import Severity
from ._registry import check
from .context import CheckContext


@check("errors.status_4xx", Severity.MUST, "An invalid request is refused with a 4xx status")
def status_4xx(ctx: CheckContext) -> None:
    """2xx accepts garbage; 5xx blames the server for the client's mistake."""
    status = ctx.primary.status
    if status is None or not 400 <= status < 500:
        raise ctx.fail("HTTP status", "4xx", status)


@check("errors.envelope", Severity.MUST, "The error body is {\"error\": {\"message\": str, \"type\": str, ...}}")
def envelope(ctx: CheckContext) -> None:
    """The SDK reads error.message and error.type."""
    error = ctx.body().get("error")
    if not isinstance(error, dict):
        raise ctx.fail("$.error", "an object", error)
    for key in ("message", "type"):
        if not isinstance(error.get(key), str):
            raise ctx.fail(f"$.error.{key}", "a string", error.get(key))


@check("errors.envelope_complete", Severity.SHOULD, "The error object also carries param and code (null allowed)")
def envelope_complete(ctx: CheckContext) -> None:
    """OpenAI always sends all four keys."""
    error = ctx.body().get("error")
    if not isinstance(error, dict):
        raise ctx.fail("$.error", "an object", error)
    missing = [k for k in ("param", "code") if k not in error]
    if missing:
        raise ctx.fail("$.error", "keys message, type, param, code", f"missing {missing}")
