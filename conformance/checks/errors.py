"""Error checks: an invalid request gets a 4xx with OpenAI's error envelope."""

from __future__ import annotations

from typing import Any

from ..catalogue.vocabulary import CHAT_PARAMS
from ..failures import Ignored, Skip
from ..verdicts import Severity
from ._registry import check
from .context import CheckContext
from .needs import Need


@check("errors.status_4xx", Severity.MUST, "An invalid request is refused with a 4xx status",
       needs=(Need.INVALID_REQUEST,))
def status_4xx(ctx: CheckContext) -> None:
    """2xx accepts garbage; 5xx blames the server for the client's mistake."""
    status = ctx.primary.status
    if status is None or not 400 <= status < 500:
        raise ctx.fail("HTTP status", "4xx", status)


@check("errors.envelope", Severity.MUST, "The error body is {\"error\": {\"message\": str, \"type\": str|null, ...}}",
       needs=(Need.ERROR_ANSWER,))
def envelope(ctx: CheckContext) -> None:
    """The SDK reads error.message, and error.type as Optional[str] (dialect error-fields-nullable)."""
    error = ctx.body().get("error")
    if not isinstance(error, dict):
        raise ctx.fail("$.error", "an object", error)
    found: list[tuple[str, Any, Any]] = []
    if not isinstance(error.get("message"), str):
        found.append(("$.error.message", "a string", error.get("message")))
    if not isinstance(error.get("type"), (str, type(None))):
        found.append(("$.error.type", "a string or null", error.get("type")))
    ctx.fail_all(found)


@check("errors.envelope_complete", Severity.SHOULD, "The error object carries all of message, type, param and code, "
       "each a string or null", needs=(Need.ERROR_ANSWER,))
def envelope_complete(ctx: CheckContext) -> None:
    """OAS Error requires all four keys; code and param (and, per the SDK, type) are a string or null: an integer
    code (as some providers send) is a deviation. Every missing key and wrong type is reported."""
    error = ctx.body().get("error")
    if not isinstance(error, dict):
        raise ctx.fail("$.error", "an object", error)
    missing = [k for k in ("message", "type", "param", "code") if k not in error]
    found: list[tuple[str, Any, Any]] = [("$.error", "keys message, type, param, code", f"missing {missing}")] \
        if missing else []
    found += [(f"$.error.{key}", "a string or null", error[key]) for key in ("type", "param", "code")
              if key in error and not isinstance(error[key], (str, type(None)))]
    ctx.fail_all(found)


def unknown_params(request: dict[str, Any]) -> list[str]:
    """Top-level request keys that are not Chat Completions parameters, in request order."""
    return [key for key in request if key not in CHAT_PARAMS]


@check("errors.unknown_param_rejected", Severity.SHOULD, "An unknown top-level parameter is refused with 400 naming "
       "it, as OpenAI does", needs=())
def unknown_param_rejected(ctx: CheckContext) -> None:
    """A silent 200 hides typos and provider-only knobs; OpenAI answers `Unrecognized request argument supplied`."""
    unknown = unknown_params(ctx.primary.request_json)
    if not unknown:
        raise Skip("the request carried no unknown parameter")
    status = ctx.primary.status
    if status is not None and 200 <= status < 300:
        raise Ignored("HTTP status", f"400 refusing {unknown}", f"{status} (accepted silently)", ctx.primary.summary())
    if status != 400:
        raise ctx.fail("HTTP status", f"400 refusing {unknown}", status)
    error = ctx.body().get("error")
    if not isinstance(error, dict) or not isinstance(error.get("message"), str):
        raise ctx.fail("$.error.message", "an error message", error)
    named = [key for key in unknown if key in error["message"] or error.get("param") == key]
    if not named:
        raise ctx.fail("$.error", f"a message or param naming {unknown}", error)
