"""The other endpoints' existence check: the route answered as the endpoint (catalogue.other_rows)."""

from __future__ import annotations

import json

from ..failures import Skip
from ..verdicts import Severity
from ._registry import check
from .context import CheckContext
from .needs import Need


def _message(text: str) -> str:
    """The error message of a JSON error body, else the body's start."""
    try:
        error = json.loads(text).get("error")
    except (ValueError, AttributeError):
        error = None
    message = error.get("message") if isinstance(error, dict) else None
    return str(message if message is not None else text)[:120]


@check("other.route_present", Severity.MUST, "The endpoint answers an empty request as itself: 2xx JSON, or a 4xx "
       "refusing the body (404/405 is the endpoint absent)", needs=(Need.INVALID_REQUEST,))
def route_present(ctx: CheckContext) -> None:
    """PRESENT is a 2xx JSON answer or a 4xx about the body; a 2xx that is not JSON is a catch-all page that only
    looks like the endpoint (FAIL); 404/405 never get here (graded REJECTED "endpoint absent" before any check)."""
    ex = ctx.primary
    status = ex.status or 0
    if status == 501:
        raise Skip(f"HTTP 501 Not Implemented ({_message(ex.text)}): the route is there but refuses the "
                   "operation (its build or model lacks it), so neither present nor absent is shown")
    if 400 <= status < 500:
        return
    if 200 <= status < 300:
        try:
            ex.json()
        except ValueError:
            raise ctx.fail("body", "a JSON answer from the endpoint, or a 4xx refusing the empty body",
                           f"HTTP {status} {ex.content_type or '(no content-type)'}: {ex.text[:80]!r}") from None
        return
    raise ctx.fail("HTTP status", "2xx, or a 4xx refusing the empty body", status)
