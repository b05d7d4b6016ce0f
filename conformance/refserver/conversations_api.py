"""Conversations API: create, retrieve, update, delete, and the conversation's items (create, list, get, delete)."""

from __future__ import annotations

from typing import Any

from . import faults as F
from .calls import RETRIEVES, Call, Endpoint, created_at, not_found, page, remove
from .fault_types import Scope
from .responses import CREATED, ApiError, Reply
from .responses_logic import input_items
from .store import StoredConversation


def _metadata(req: dict[str, Any]) -> dict[str, str]:
    value = req.get("metadata") or {}
    if not isinstance(value, dict) or len(value) > 16 or not all(
            isinstance(k, str) and len(k) <= 64 and isinstance(v, str) and len(v) <= 512 for k, v in value.items()):
        raise ApiError(400, "Invalid 'metadata': at most 16 string pairs, keys <= 64 and values <= 512 characters.",
                       param="metadata", code="invalid_value")
    return value


def _body(conversation: StoredConversation, call: Call) -> dict[str, Any]:
    body = dict(conversation.body, created_at=created_at(call.faults))
    if call.has(F.CONVERSATION_METADATA_DROPPED):
        body["metadata"] = {}
    return body


def _conversation(call: Call) -> StoredConversation:
    found = call.store.conversations.get(call.params[0])
    if found is None:
        raise not_found("conversation", call.params[0])
    return found


def _items(call: Call, req: dict[str, Any], where: str) -> list[dict[str, Any]]:
    raw = req.get("items")
    if raw is None or raw == []:
        return []
    if len(raw) > 20:
        raise ApiError(400, f"Invalid '{where}': at most 20 items can be added at once.", param=where,
                       code="invalid_value")
    return input_items(call.store, raw, call.has(F.ERROR_STATUS_200), where)


def create(call: Call) -> Reply:
    """POST /conversations {metadata, items}."""
    req = call.json()
    metadata = _metadata(req)
    items = _items(call, req, "items")
    ident = call.store.mint("conv_", call.body)
    conversation = StoredConversation({"id": ident, "object": "conversation", "created_at": CREATED,
                                       "metadata": metadata}, items)
    call.store.conversations[ident] = conversation
    return _body(conversation, call)


def retrieve(call: Call) -> Reply:
    """GET /conversations/{id}."""
    return _body(_conversation(call), call)


def update(call: Call) -> Reply:
    """POST /conversations/{id} {metadata}."""
    conversation = _conversation(call)
    metadata = _metadata(call.json())
    if not call.has(F.UPDATE_IGNORED):
        conversation.body["metadata"] = metadata
    return _body(conversation, call)


def delete(call: Call) -> Reply:
    """DELETE /conversations/{id}."""
    _conversation(call)
    return remove(call, call.store.conversations, call.params[0], "conversation.deleted")


def add_items(call: Call) -> Reply:
    """POST /conversations/{id}/items {items}: the created items, in order."""
    conversation = _conversation(call)
    items = _items(call, call.json(), "items")
    if not items:
        raise ApiError(400, "Missing required parameter: 'items'.", param="items", code="missing_required_parameter")
    if not call.has(F.CONVERSATION_ITEMS_NOT_STORED):
        conversation.items.extend(items)
    return page(items, call, default_order="asc")


def list_items(call: Call) -> Reply:
    """GET /conversations/{id}/items (newest first by default)."""
    return page(_conversation(call).items, call)


def _item(call: Call, conversation: StoredConversation) -> dict[str, Any]:
    found = next((i for i in conversation.items if i.get("id") == call.params[1]), None)
    if found is None:
        raise not_found("conversation item", call.params[1])
    return found


def retrieve_item(call: Call) -> Reply:
    """GET /conversations/{id}/items/{item_id}."""
    return dict(_item(call, _conversation(call)))


def delete_item(call: Call) -> Reply:
    """DELETE /conversations/{id}/items/{item_id}: answers with the conversation."""
    conversation = _conversation(call)
    item = _item(call, conversation)
    if not call.has(F.DELETE_DOES_NOT_DELETE):
        conversation.items.remove(item)
    return _body(conversation, call)


CONV = Scope.CONVERSATIONS
ROUTES: tuple[Endpoint, ...] = (
    Endpoint("POST", "/conversations", create, CONV),
    Endpoint("GET", "/conversations/{}", retrieve, CONV, RETRIEVES),
    Endpoint("POST", "/conversations/{}", update, CONV),
    Endpoint("DELETE", "/conversations/{}", delete, CONV),
    Endpoint("POST", "/conversations/{}/items", add_items, CONV),
    Endpoint("GET", "/conversations/{}/items", list_items, CONV),
    Endpoint("GET", "/conversations/{}/items/{}", retrieve_item, CONV, RETRIEVES),
    Endpoint("DELETE", "/conversations/{}/items/{}", delete_item, CONV),
)
