"""Routing by method and path pattern, and the one dispatcher that runs an endpoint with its cross-cutting faults."""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import parse_qs, unquote, urlsplit

from . import (
    chat_api,
    conversations_api,
    embeddings_api,
    files_api,
    hooks,
    models_api,
    other_api,
    responses_api,
    vector_stores_api,
)
from .calls import Call, Endpoint
from .fault_types import ActiveFaults, Phase
from .responses import ApiError, Reply, Response, encode
from .store import Store

PREFIX = "/v1"
SURFACES = (models_api, chat_api, embeddings_api, responses_api, conversations_api, files_api, vector_stores_api,
            other_api)


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile("^" + pattern.replace("{+}", "(.+)").replace("{}", "([^/]+)") + "$")


# The first route whose method and pattern match wins.
ROUTES: tuple[tuple[Endpoint, re.Pattern[str]], ...] = tuple(
    (endpoint, _compile(endpoint.pattern)) for module in SURFACES for endpoint in module.ROUTES
)


def find(method: str, path: str) -> tuple[Endpoint, tuple[str, ...]] | None:
    """The endpoint for a method and URL path (the /v1 prefix included) and its unquoted path parameters."""
    if not path.startswith(PREFIX + "/"):
        return None
    rest = path[len(PREFIX):].rstrip("/")
    for endpoint, pattern in ROUTES:
        match = pattern.match(rest)
        if endpoint.method == method and match:
            return endpoint, tuple(unquote(g) for g in match.groups())
    return None


def reply(endpoint: Endpoint, call: Call) -> Reply:
    """Apply the ROUTE faults, validate, apply the BEFORE faults of the endpoint's scopes, handle, apply the AFTER
    faults: the endpoint's reply before encoding."""
    hooks.refuse(Phase.ROUTE, endpoint.scopes, call.faults)
    if endpoint.validate is not None:
        endpoint.validate(call)
    hooks.refuse(Phase.BEFORE, endpoint.scopes, call.faults)
    return hooks.bend(endpoint.scopes, call.faults, endpoint.handler(call))


def run(endpoint: Endpoint, call: Call) -> Response:
    """The endpoint's reply (`reply`), encoded."""
    return encode(reply(endpoint, call), call.faults)


def call_for(method: str, path: str, headers: Mapping[str, str], body: bytes, faults: ActiveFaults,
             store: Store) -> tuple[Endpoint, Call]:
    """The endpoint and the Call of an authorised request; 404 when no route matches."""
    parts = urlsplit(path)
    found = find(method, parts.path)
    if found is None:
        raise ApiError(404, f"Invalid URL ({method} {parts.path})")
    endpoint, params = found
    return endpoint, Call(params, parse_qs(parts.query), headers, body, faults, store)


def dispatch(method: str, path: str, headers: Mapping[str, str], body: bytes, faults: ActiveFaults,
             store: Store) -> Response:
    """Answer an authorised request (stateful endpoints under the store's lock); 404 when no route matches."""
    endpoint, call = call_for(method, path, headers, body, faults, store)
    if not endpoint.stateful:
        return run(endpoint, call)
    with store.lock:
        return run(endpoint, call)
