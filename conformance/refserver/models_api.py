"""Models API: GET /models lists the reference models, GET /models/{id} retrieves one."""

from __future__ import annotations

from typing import Any

from . import faults as F
from .calls import Call, Endpoint
from .fault_types import Scope
from .responses import CREATED, ApiError, Reply

CHAT_MODEL = "ref-chat-1"
EMBED_MODEL = "ref-embed-1"
MODELS = (CHAT_MODEL, EMBED_MODEL)
UNUSABLE_MODEL = "ref-chat-0"  # listed under listed_model_unusable, never served


def model_object(model_id: str) -> dict[str, Any]:
    """One entry of GET /models."""
    return {"id": model_id, "object": "model", "created": CREATED, "owned_by": "conformance"}


def list_models(call: Call) -> Reply:
    """GET /models."""
    listed = (UNUSABLE_MODEL, *MODELS) if call.has(F.LISTED_MODEL_UNUSABLE) else MODELS
    data = [] if call.has(F.MODELS_EMPTY) else [model_object(m) for m in listed]
    return {"object": "list", "data": data}


def known_model(call: Call) -> None:
    """404 for a model id the server does not serve."""
    if call.params[0] not in MODELS:
        raise ApiError(404, f"The model '{call.params[0]}' does not exist or you do not have access to it.",
                       code="model_not_found")


def retrieve_model(call: Call) -> Reply:
    """GET /models/{id}."""
    model_id = call.params[0]
    return model_object(f"{model_id}-2024-01-01" if call.has(F.MODEL_ID_MISMATCH) else model_id)


ROUTES: tuple[Endpoint, ...] = (
    Endpoint("GET", "/models", list_models, Scope.MODELS, stateful=False),
    Endpoint("GET", "/models/{+}", retrieve_model, Scope.MODELS, validate=known_model, stateful=False),
)
