"""Conversations API in one flow: one conversation serves its lifecycle, its items and the responses attached to it.

Steps are scoped by what they exercise (`conv/…`, `items/…`, `turns/…`) and each row names the steps it reads. The
conversation is deleted last, so its delete also proves that a conversation holding items and responses goes.
"""

from __future__ import annotations

from typing import Any

from openai.types.responses import Response, ResponseInputItemParam

from . import material as m
from ._flows import attempt, confirm_deleted, track_response
from ._io import ProbeIO
from ._registry import request


@request("conversations.shared", "chat", retry=False, calls=17, max_tokens=64, prompt_tokens=330,
         surfaces=("responses",))
def shared(io: ProbeIO) -> Any:
    """Steps conv/create (with one item), conv/retrieve, conv/update (metadata); the items and turns stages;
    conv/delete, conv/after_delete (must be 404)."""
    with io.step("conv/create"):
        conversation = io.client.conversations.create(
            metadata=m.METADATA, items=[{"type": "message", "role": "user", "content": m.HELLO}])
    ident = conversation.id
    io.track("conversation", ident, lambda: io.client.conversations.delete(ident))
    with io.step("conv/retrieve"):
        attempt(lambda: io.client.conversations.retrieve(ident))
    with io.step("conv/update"):
        attempt(lambda: io.client.conversations.update(ident, metadata=m.UPDATED_METADATA))
    items(io, ident)
    turns(io, ident)
    with io.step("conv/delete"):
        attempt(lambda: io.client.conversations.delete(ident))
    confirm_deleted(io, "conversation", ident, lambda: io.client.conversations.retrieve(ident),
                    lambda: io.client.conversations.delete(ident), "conv/after_delete")
    return conversation


def items(io: ProbeIO, ident: str) -> None:
    """Steps items/add (two items), items/list, items/retrieve_item, items/delete_item, items/list_after_delete."""
    new: list[ResponseInputItemParam] = [{"type": "message", "role": "user", "content": m.REMEMBER},
                                         {"type": "message", "role": "assistant", "content": "OK."}]
    with io.step("items/add"):
        added = attempt(lambda: io.client.conversations.items.create(ident, items=new))
    with io.step("items/list"):
        attempt(lambda: io.client.conversations.items.list(ident))
    first = added.data[0].id if added is not None and added.data else None
    if first is None:
        return
    with io.step("items/retrieve_item"):
        attempt(lambda: io.client.conversations.items.retrieve(first, conversation_id=ident))
    with io.step("items/delete_item"):
        attempt(lambda: io.client.conversations.items.delete(first, conversation_id=ident))
    with io.step("items/list_after_delete"):
        attempt(lambda: io.client.conversations.items.list(ident))


def _ask(io: ProbeIO, conversation: str, text: str) -> Response | None:
    """One short Responses turn attached to the conversation (None when cleanly refused)."""
    return attempt(lambda: io.client_for("responses").responses.create(
        model=io.model, input=text, conversation=conversation, max_output_tokens=32, temperature=0))


def turns(io: ProbeIO, ident: str) -> None:
    """Steps turns/first (a code word) and turns/second (asks for it) attached to the conversation, then
    turns/items (the conversation's items, oldest first)."""
    for label, text in (("turns/first", m.REMEMBER), ("turns/second", m.RECALL)):
        with io.step(label):
            response = _ask(io, ident, text)
        if response is None:
            return
        track_response(io, response.id, io.client_for("responses"))
    with io.step("turns/items"):
        attempt(lambda: io.client.conversations.items.list(ident, order="asc"))
