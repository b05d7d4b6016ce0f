"""Routing of the stateful endpoints (responses, conversations, files, vector stores) by method and path pattern."""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import parse_qs, unquote, urlsplit

from . import conversations_api, files_api, responses_api, vector_stores_api
from .calls import Call, Handler
from .fault_types import ActiveFaults
from .responses import Response
from .store import Store

PREFIX = "/v1"


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile("^" + pattern.replace("{}", "([^/]+)") + "$")


# `{}` is one path segment captured as a parameter; the first matching route wins.
ROUTES: tuple[tuple[str, re.Pattern[str], Handler], ...] = tuple(
    (method, _compile(pattern), handler)
    for module in (responses_api, conversations_api, files_api, vector_stores_api)
    for method, pattern, handler in module.ROUTES
)


def dispatch(method: str, path: str, headers: Mapping[str, str], body: bytes, faults: ActiveFaults,
             store: Store) -> Response | None:
    """Answer a request to a stateful endpoint, or None when no route matches (the caller routes it)."""
    parts = urlsplit(path)
    if not parts.path.startswith(PREFIX + "/"):
        return None
    rest = parts.path[len(PREFIX):].rstrip("/")
    for verb, pattern, handler in ROUTES:
        match = pattern.match(rest)
        if verb == method and match:
            call = Call(tuple(unquote(g) for g in match.groups()), parse_qs(parts.query), headers, body, faults,
                        store)
            with store.lock:
                return handler(call)
    return None
