"""Conversations API flows: the conversation's lifecycle, its items, and responses attached to it."""

from __future__ import annotations

from typing import Any

from openai.types.responses import Response, ResponseInputItemParam

from . import material as m
from ._flows import attempt, confirm_deleted, track_response
from ._io import ProbeIO
from ._registry import request


def _conversation(io: ProbeIO, **params: Any) -> Any:
    """Create a conversation (step create) and track it."""
    with io.step("create"):
        conversation = io.client.conversations.create(metadata=m.METADATA, **params)
    io.track("conversation", conversation.id, lambda: io.client.conversations.delete(conversation.id))
    return conversation


@request("conversations.lifecycle", "none", retry=False, calls=7)
def lifecycle(io: ProbeIO) -> Any:
    """Steps create (with one item), retrieve, update (metadata), delete, after_delete (must be 404)."""
    conversation = _conversation(io, items=[{"type": "message", "role": "user", "content": m.HELLO}])
    ident = conversation.id
    with io.step("retrieve"):
        attempt(lambda: io.client.conversations.retrieve(ident))
    with io.step("update"):
        attempt(lambda: io.client.conversations.update(ident, metadata=m.UPDATED_METADATA))
    with io.step("delete"):
        attempt(lambda: io.client.conversations.delete(ident))
    confirm_deleted(io, "conversation", ident, lambda: io.client.conversations.retrieve(ident),
                    lambda: io.client.conversations.delete(ident))
    return conversation


@request("conversations.items", "none", retry=False, calls=7)
def items(io: ProbeIO) -> Any:
    """Steps add (two items), list, retrieve_item, delete_item, list_after_delete."""
    ident = _conversation(io).id
    new: list[ResponseInputItemParam] = [{"type": "message", "role": "user", "content": m.REMEMBER},
                                         {"type": "message", "role": "assistant", "content": "OK."}]
    with io.step("add"):
        added = attempt(lambda: io.client.conversations.items.create(ident, items=new))
    with io.step("list"):
        attempt(lambda: io.client.conversations.items.list(ident))
    first = added.data[0].id if added is not None and added.data else None
    if first is None:
        return added
    with io.step("retrieve_item"):
        attempt(lambda: io.client.conversations.items.retrieve(first, conversation_id=ident))
    with io.step("delete_item"):
        attempt(lambda: io.client.conversations.items.delete(first, conversation_id=ident))
    with io.step("list_after_delete"):
        return attempt(lambda: io.client.conversations.items.list(ident))


def _ask(io: ProbeIO, conversation: str, text: str) -> Response | None:
    """One short Responses turn attached to the conversation (None when cleanly refused)."""
    return attempt(lambda: io.client.responses.create(
        model=io.model, input=text, conversation=conversation, max_output_tokens=32, temperature=0))


@request("conversations.with_responses", "chat", retry=False, calls=7, max_tokens=64, prompt_tokens=400)
def with_responses(io: ProbeIO) -> Any:
    """Steps first (a code word) and second (asks for it) attached to one conversation, then items."""
    ident = _conversation(io).id
    for label, text in (("first", m.REMEMBER), ("second", m.RECALL)):
        with io.step(label):
            response = _ask(io, ident, text)
        if response is None:
            return None
        track_response(io, response.id)
    with io.step("items"):
        return attempt(lambda: io.client.conversations.items.list(ident, order="asc"))
