"""POST /chat/completions: validate, answer deterministically, and send a body or SSE chunks when stream is true."""

from __future__ import annotations

from . import chat, chat_params
from .calls import Call, Endpoint
from .fault_types import Scope
from .responses import Reply
from .stream import stream_response


def valid(call: Call) -> None:
    """Refuse what OpenAI refuses with 400, before any fault of every valid request."""
    chat.validate(chat.lenient(call.json(), call.faults), call.faults)


def create(call: Call) -> Reply:
    """POST /chat/completions."""
    req = chat.lenient(call.json(), call.faults)
    ans = chat.answer(req, call.body, call.faults)
    if req.get("stream") is True:
        return stream_response(ans, req, call.faults)
    return chat_params.shape(chat.completion_body(ans, call.faults), req, call.faults, chat.tokens)


ROUTES: tuple[Endpoint, ...] = (
    Endpoint("POST", "/chat/completions", create, Scope.CHAT, validate=valid, stateful=False),
)
