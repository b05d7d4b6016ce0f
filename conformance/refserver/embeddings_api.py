"""POST /embeddings: one deterministic vector per input, float or base64, with the embeddings faults applied."""

from __future__ import annotations

from typing import Any

from . import faults as F
from .calls import Call, Endpoint
from .embeddings import count_tokens, embedding, validate
from .fault_types import Scope
from .responses import Reply


def valid(call: Call) -> None:
    """Refuse what OpenAI refuses with 400, before any fault of every valid request."""
    validate(call.json())


def create(call: Call) -> Reply:
    """POST /embeddings: the embeddings list."""
    req = call.json()
    items, is_list, dims, fmt = validate(req)
    if call.has(F.EMBEDDINGS_DIMENSIONS_IGNORED):
        dims = None
    data = [{"object": "embedding", "index": i, "embedding": embedding(i, item, dims, fmt, call.faults)}
            for i, item in enumerate(items)]
    if call.has(F.EMBEDDINGS_WRONG_COUNT):
        data = data[:-1] if is_list else [{**data[0], "index": 1}]
    prompt = sum(count_tokens(item) for item in items)
    body: dict[str, Any] = {"object": "list", "data": data, "model": req["model"]}
    if not call.has(F.EMBEDDINGS_USAGE_MISSING):
        body["usage"] = {"prompt_tokens": prompt, "total_tokens": prompt}
    return body


ROUTES: tuple[Endpoint, ...] = (
    Endpoint("POST", "/embeddings", create, Scope.EMBEDDINGS, validate=valid, stateful=False),
)
