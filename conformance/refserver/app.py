"""Request handling without HTTP plumbing: (method, path, headers, body, faults) -> Response."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any
from urllib.parse import unquote, urlsplit

from . import chat
from . import faults as F
from .auth import authorize
from .calls import parse_json
from .embeddings import handle_embeddings
from .fault_types import ActiveFaults
from .responses import CREATED, ApiError, Response, error_response, json_response, server_error_if
from .routes import dispatch
from .store import DEFAULT_STORE, Store
from .stream import stream_response

CHAT_MODEL = "ref-chat-1"
EMBED_MODEL = "ref-embed-1"
MODELS = (CHAT_MODEL, EMBED_MODEL)
PREFIX = "/v1"

PostHandler = Callable[[dict[str, Any], bytes, ActiveFaults], Response]


def model_object(model_id: str) -> dict[str, Any]:
    """One entry of GET /models."""
    return {"id": model_id, "object": "model", "created": CREATED, "owned_by": "conformance"}


def _rate_limited() -> ApiError:
    return ApiError(429, "Rate limit reached for requests. Please try again in 0s.", kind="requests",
                    code="rate_limit_exceeded", headers={"Retry-After": "0"})


def list_models(faults: ActiveFaults) -> Response:
    """GET /models."""
    server_error_if(faults)
    data = [] if faults.has(F.MODELS_EMPTY) else [model_object(m) for m in MODELS]
    return json_response({"object": "list", "data": data}, faults)


def retrieve_model(model_id: str, faults: ActiveFaults) -> Response:
    """GET /models/{id}."""
    if model_id not in MODELS:
        raise ApiError(404, f"The model '{model_id}' does not exist or you do not have access to it.",
                       code="model_not_found")
    server_error_if(faults)
    shown = f"{model_id}-2024-01-01" if faults.has(F.MODEL_ID_MISMATCH) else model_id
    return json_response(model_object(shown), faults)


def chat_completions(req: dict[str, Any], raw: bytes, faults: ActiveFaults) -> Response:
    """POST /chat/completions: a body, or SSE chunks when stream is true."""
    chat.validate(req, faults)
    server_error_if(faults)
    ans = chat.answer(req, raw, faults)
    if req.get("stream") is True:
        return stream_response(ans, req, faults)
    return json_response(chat.completion_body(ans, faults), faults)


def embeddings(req: dict[str, Any], raw: bytes, faults: ActiveFaults) -> Response:
    """POST /embeddings."""
    return handle_embeddings(req, faults)


POST_ROUTES: dict[str, PostHandler] = {"/chat/completions": chat_completions, "/embeddings": embeddings}


def _not_found(method: str, path: str) -> ApiError:
    return ApiError(404, f"Invalid URL ({method} {path})")


def route(method: str, path: str, body: bytes, faults: ActiveFaults) -> Response:
    """Dispatch an authorised request by method and path (the /v1 prefix included)."""
    if not path.startswith(PREFIX + "/"):
        raise _not_found(method, path)
    rest = path[len(PREFIX):].rstrip("/")
    if method == "GET" and rest == "/models":
        return list_models(faults)
    if method == "GET" and rest.startswith("/models/"):
        return retrieve_model(unquote(rest[len("/models/"):]), faults)
    if method == "POST" and rest in POST_ROUTES:
        return POST_ROUTES[rest](parse_json(body), body, faults)
    raise _not_found(method, path)


def handle(method: str, path: str, headers: Mapping[str, str], body: bytes,
           faults: ActiveFaults | Iterable[str] = (), store: Store | None = None) -> Response:
    """Answer one request; header names are matched case-insensitively; `store` keeps stateful objects.

    `faults` are the active faults, or their names (ValueError naming an unknown one).
    """
    active = faults if isinstance(faults, ActiveFaults) else F.FAULTS.active(faults)
    lowered = {k.lower(): v for k, v in headers.items()}
    try:
        authorize(lowered)
        if active.has(F.RATE_LIMITED):
            raise _rate_limited()
        stateful = dispatch(method.upper(), path, lowered, body, active, DEFAULT_STORE if store is None else store)
        if stateful is not None:
            return stateful
        return route(method.upper(), urlsplit(path).path, body, active)
    except ApiError as err:
        return error_response(err, active)
