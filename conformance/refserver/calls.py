"""The request context every endpoint handler gets, the endpoint description, and helpers shared by handlers."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from . import faults as F
from .fault_types import ActiveFaults, Fault, Scope
from .responses import CREATED, ApiError, Reply
from .store import Store


def parse_json(body: bytes) -> dict[str, Any]:
    """The request body as a JSON object; 400 otherwise."""
    try:
        value = json.loads(body or b"")
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "We could not parse the JSON body of your request. (HINT: This likely means you aren't "
                       "using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent "
                       "was not valid JSON.)") from None
    if not isinstance(value, dict):
        raise ApiError(400, "The request body must be a JSON object.", code="invalid_type")
    return value


@dataclass(frozen=True)
class Call:
    """One request to an endpoint: path parameters, query, headers, body, active faults and the server's store."""

    params: tuple[str, ...]
    query: dict[str, list[str]]
    headers: Mapping[str, str]
    body: bytes
    faults: ActiveFaults
    store: Store

    def has(self, fault: Fault) -> bool:
        """Whether a fault (a constant of faults.py) is on for this request."""
        return self.faults.has(fault)

    def json(self) -> dict[str, Any]:
        """The body as a JSON object (400 otherwise)."""
        return parse_json(self.body)

    def arg(self, name: str, default: str | None = None) -> str | None:
        """A single query parameter."""
        values = self.query.get(name) or self.query.get(f"{name}[]")
        return values[-1] if values else default

    def args(self, name: str) -> list[str]:
        """A repeated query parameter (`include[]=a&include[]=b` or `include=a`)."""
        return [*self.query.get(name, []), *self.query.get(f"{name}[]", [])]


Handler = Callable[[Call], Reply]
Validator = Callable[[Call], None]
RETRIEVES = frozenset({Scope.OBJECT_RETRIEVES})


@dataclass(frozen=True)
class Endpoint:
    """One route: method, path pattern, handler, and the scopes whose cross-cutting faults the dispatcher applies.

    In `pattern`, `{}` is one path segment and a trailing `{+}` the rest of the path, each passed as a parameter.
    `validate` refuses an invalid request before the BEFORE-phase faults (a 500 on every *valid* request);
    `stateful` handlers run under the store's lock.
    """

    method: str
    pattern: str
    handler: Handler
    surface: Scope
    kinds: frozenset[Scope] = frozenset()
    validate: Validator | None = None
    stateful: bool = True

    @property
    def scopes(self) -> frozenset[Scope]:
        """Every scope this endpoint is in: all requests, all valid requests, its surface and its kinds."""
        return frozenset({Scope.EVERY_REQUEST, Scope.EVERY_VALID_REQUEST, self.surface, *self.kinds})


def not_found(kind: str, ident: str) -> ApiError:
    """OpenAI's 404 for an unknown object id."""
    return ApiError(404, f"No {kind} found with id '{ident}'.", code="not_found")


def created_at(faults: ActiveFaults) -> Any:
    """The fixed creation time; resource_created_at_string sends it as a string."""
    return str(CREATED) if faults.has(F.RESOURCE_CREATED_AT_STRING) else CREATED


def page(items: list[dict[str, Any]], call: Call, default_order: str = "desc", default_limit: int = 20
         ) -> dict[str, Any]:
    """A cursor page of `items` (oldest first) honouring order, after and limit."""
    order = call.arg("order", default_order)
    rows = list(reversed(items)) if order == "desc" else list(items)
    after = call.arg("after")
    if after:
        ids = [r.get("id") for r in rows]
        rows = rows[ids.index(after) + 1:] if after in ids else []
    limit = int(call.arg("limit") or default_limit)
    shown = rows[:limit]
    return {"object": "list", "data": shown, "first_id": shown[0]["id"] if shown else None,
            "last_id": shown[-1]["id"] if shown else None, "has_more": len(rows) > limit}


def deleted(ident: str, kind: str, faults: ActiveFaults) -> dict[str, Any]:
    """The deletion acknowledgement; delete_not_acknowledged says deleted false."""
    return {"id": ident, "object": kind, "deleted": not faults.has(F.DELETE_NOT_ACKNOWLEDGED)}


def remove(call: Call, table: dict[str, Any], ident: str, kind: str) -> Reply:
    """Delete an entry (unless delete_does_not_delete) and acknowledge it as `kind`."""
    if not call.has(F.DELETE_DOES_NOT_DELETE):
        del table[ident]
    return deleted(ident, kind, call.faults)
