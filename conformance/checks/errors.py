"""Error checks: an invalid request gets a 4xx with OpenAI's error envelope."""

from __future__ import annotations

from typing import Any

from ..catalogue.invalid import CASES, SHAPE, VALUE, InvalidCase
from ..catalogue.vocabulary import CHAT_PARAMS
from ..failures import Ignored, Skip, short
from ..verdicts import Severity
from ..wire.exchange import Exchange
from ._registry import check
from .context import CheckContext
from .flow import find, step
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


def _cases(ctx: CheckContext, kinds: tuple[str, ...]) -> list[tuple[InvalidCase, Exchange]]:
    """The row's invalid cases of these kinds that were sent (Skip when none: lint, or a flow that sent none)."""
    found = []
    for case in CASES.get(ctx.feature.surface.value, ()):
        hit = find(ctx, case.label) if case.kind in kinds else None
        if hit is not None:
            found.append((case, step(ctx, case.label)))
    if not found:
        raise Skip(f"no {' or '.join(kinds)} case of invalid request was sent for this row")
    return found


def _envelope_problem(exchange: Exchange, complete: bool) -> tuple[str, str] | None:
    """(expected, observed) when a refused answer's error envelope falls short, else None."""
    try:
        error = exchange.json().get("error")
    except (ValueError, AttributeError):
        return "an OpenAI error envelope", exchange.text[:120] or "(empty body)"
    if not isinstance(error, dict) or not isinstance(error.get("message"), str):
        return "an error object with a string message", short(error)
    if not isinstance(error.get("type"), (str, type(None))):
        return "error.type a string or null", short(error.get("type"))
    if complete:
        missing = [k for k in ("type", "param", "code") if k not in error]
        wrong = [k for k in ("param", "code") if k in error and not isinstance(error[k], (str, type(None)))]
        if missing or wrong:
            return "keys type, param, code (strings or null)", f"missing {missing}, wrong type {wrong}"
    return None


def _refusals(ctx: CheckContext, kinds: tuple[str, ...], complete: bool = False) -> None:
    """Every case of these kinds refused with 4xx and an error envelope (complete: all four keys, on the refused
    ones); each failing case is reported with its own request."""
    found: list[tuple[Exchange, str, Any, Any]] = []
    for case, exchange in _cases(ctx, kinds):
        where = f"case {case.label} ({case.what}): {exchange.summary()}"
        status = exchange.status
        if status is None or not 400 <= status < 500:
            if not complete:
                found.append((exchange, f"{where} HTTP status", "4xx (refused)", status))
            continue
        problem = _envelope_problem(exchange, complete)
        if problem is not None:
            found.append((exchange, f"{where} $.error", *problem))
    if found:
        ctx.fail_all([(w, e, o) for _x, w, e, o in found], exchange=found[0][0])


@check("errors.cases_refused", Severity.MUST, "Malformed requests (a required field missing, a wrong type) are "
       "refused with 4xx and an error envelope", needs=(Need.FLOW,))
def cases_refused(ctx: CheckContext) -> None:
    """A server that accepts a request no server may accept does not validate requests (catalogue.invalid)."""
    _refusals(ctx, (SHAPE,))


@check("errors.values_refused", Severity.SHOULD, "Requests with a value OpenAI refuses (out of range, an unknown "
       "model) are refused with 4xx and an error envelope", needs=(Need.FLOW,))
def values_refused(ctx: CheckContext) -> None:
    """Clamping a temperature or substituting a model silently leaves the caller misinformed."""
    _refusals(ctx, (VALUE,))


@check("errors.cases_envelope_complete", Severity.SHOULD, "Every refused invalid case carries all of type, param "
       "and code (strings or null)", needs=(Need.FLOW,))
def cases_envelope_complete(ctx: CheckContext) -> None:
    """OAS Error: all four keys on every refusal, not only on some."""
    _refusals(ctx, (SHAPE, VALUE), complete=True)
