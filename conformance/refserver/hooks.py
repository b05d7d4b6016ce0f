"""Cross-cutting faults: what each one with a Phase does when the dispatcher applies it to an endpoint in its scope.

ADMIT, ROUTE and BEFORE faults refuse the request (raise ApiError); AFTER faults bend the handler's JSON body. Every
registered fault with a phase has exactly one action here and every action belongs to such a fault (checked on import).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Set
from typing import Any

from . import faults as F
from .fault_types import ActiveFaults, Fault, Phase, Scope
from .responses import ApiError, Reply

Refusal = Callable[[], ApiError]
Bend = Callable[[dict[str, Any]], None]
EVERY_REQUEST = frozenset({Scope.EVERY_REQUEST})


def rate_limited() -> ApiError:
    """OpenAI's 429 with Retry-After: 0."""
    return ApiError(429, "Rate limit reached for requests. Please try again in 0s.", kind="requests",
                    code="rate_limit_exceeded", headers={"Retry-After": "0"})


def server_error() -> ApiError:
    """OpenAI's 500 for a valid request the server failed on."""
    return ApiError(500, "The server had an error while processing your request. Sorry about that!",
                    kind="server_error")


def insufficient_permissions() -> ApiError:
    """OpenAI's 401 for a restricted key that may not use this endpoint."""
    return ApiError(401, "You have insufficient permissions for this operation. Missing scopes: model.request.",
                    kind="invalid_request_error", code="insufficient_permissions")


def no_route() -> ApiError:
    """The 404 of a server without this API at all (what OpenAI answers for an unknown URL)."""
    return ApiError(404, "Invalid URL (no such route on this server)", kind="invalid_request_error")


def other_id(body: dict[str, Any]) -> None:
    """Answer a different id than the one asked for."""
    body["id"] += "x"


REFUSALS: dict[Fault, Refusal] = {F.RATE_LIMITED: rate_limited, F.SERVER_ERROR: server_error,
                                  F.UNAUTHORIZED_EMBEDDINGS: insufficient_permissions, F.RESPONSES_ABSENT: no_route}
BENDS: dict[Fault, Bend] = {F.RETRIEVE_ID_DIFFERS: other_id}
ACTIONS: dict[Phase, Mapping[Fault, Any]] = {Phase.ADMIT: REFUSALS, Phase.ROUTE: REFUSALS, Phase.BEFORE: REFUSALS,
                                             Phase.AFTER: BENDS}


def refuse(phase: Phase, scopes: Set[Scope], faults: ActiveFaults) -> None:
    """Raise the error of the first active fault applied at `phase` (ADMIT, ROUTE or BEFORE) in one of `scopes`."""
    for fault in faults.at(phase):
        if fault.scope in scopes:
            raise REFUSALS[fault]()


def bend(scopes: Set[Scope], faults: ActiveFaults, reply: Reply) -> Reply:
    """The handler's reply with the active AFTER faults of `scopes` applied (to a copy of a JSON body)."""
    if isinstance(reply, dict):
        for fault in faults.at(Phase.AFTER):
            if fault.scope in scopes:
                reply = dict(reply)
                BENDS[fault](reply)
    return reply


def unmatched() -> list[str]:
    """Faults whose phase has no action here, and actions of faults that declare no phase."""
    missing = [f"{f.name}: no {f.phase.name} action" for f in F.FAULTS.all()
               if f.phase is not None and f not in ACTIONS[f.phase]]
    return missing + [f"{f.name}: an action but no phase" for f in {*REFUSALS, *BENDS} if f.phase is None]


if unmatched():
    raise RuntimeError(f"hooks.py and faults.py disagree: {unmatched()}")
