"""Wire schemas of Responses (objects and one per stream event type), Conversations, Files and Vector Stores.

Generated from the pinned SDK's pydantic types like the chat ones; `conformance.schemagen` writes them to
schemas/. Stream events are dispatched on their `type`: schemas/responses.event.<type>.json each. The Response
and the output item that some events carry are validated on their own (schemas/response.json,
response.output_item.json), so those events keep them as plain objects instead of inlining 150 KB six times.
"""

from __future__ import annotations

import json
import typing
from typing import Any

from openai.types import FileDeleted, FileObject, VectorStore, VectorStoreDeleted, VectorStoreSearchResponse
from openai.types.conversations import Conversation, ConversationDeletedResource, ConversationItem, ConversationItemList
from openai.types.responses import (
    CompactedResponse,
    Response,
    ResponseItemList,
    ResponseOutputItem,
    ResponseStreamEvent,
)
from openai.types.vector_stores import VectorStoreFile, VectorStoreFileBatch, VectorStoreFileDeleted
from pydantic import TypeAdapter

EVENT_PREFIX = "responses.event."
_CARRIED = {"response": "response", "item": "response.output_item"}
_NULLABLE_ID = {"type": ["string", "null"]}
# OAS CompactResource.output items are ItemField, whose first member is Message (any role, input content parts);
# the SDK types them as ResponseOutputItem, yet its own docstring says "all user messages, followed by a single
# compaction item". An input message is allowed where the SDK's union has ResponseOutputMessage.
_COMPACTED_MESSAGE = {"anyOf": [
    {"$ref": "#/$defs/ResponseOutputMessage"},
    {"type": "object", "required": ["type", "role", "content"],
     "properties": {"type": {"const": "message"}, "role": {"enum": ["user", "system", "developer"]},
                    "content": {"type": "array", "items": {"anyOf": [{"$ref": "#/$defs/ResponseInputText"},
                                                                      {"$ref": "#/$defs/ResponseInputImage"},
                                                                      {"$ref": "#/$defs/ResponseInputFile"}]}}}},
]}
_EMPTY_PAGE = "an empty page has no first or last item; OpenAI sends null there, the SDK types say str"


def event_models() -> dict[str, Any]:
    """SDK model class per Responses stream event type, read from the ResponseStreamEvent union."""
    union = typing.get_args(ResponseStreamEvent)[0]
    models: dict[str, Any] = {}
    for member in typing.get_args(union):
        (kind,) = typing.get_args(member.model_fields["type"].annotation)
        models[kind] = member
    return models


def event_schema_name(event_type: str) -> str:
    """The schema file stem for one stream event type."""
    return EVENT_PREFIX + event_type


def _events() -> dict[str, dict[str, Any]]:
    return {event_schema_name(kind): model.model_json_schema() for kind, model in event_models().items()}


# Events that carry a whole Response (`response`) or output item (`item`); tests keep this list complete.
CARRIERS: dict[str, str] = {
    **{t: "response" for t in ("response.created", "response.in_progress", "response.completed",
                               "response.failed", "response.incomplete", "response.queued")},
    "response.output_item.added": "item",
    "response.output_item.done": "item",
}

# Reviewed relaxations: (schema, JSON pointer, replacement, reason); applied before unused $defs are pruned.
RELAXATIONS: tuple[tuple[str, str, Any, str], ...] = (
    *((event_schema_name(kind), f"/properties/{key}", {"type": "object"},
       f"the carried {key} is validated separately against schemas/{_CARRIED[key]}.json (dispatch, no 150 KB copy)")
      for kind, key in CARRIERS.items()),
    ("response", "/$defs/InputTokensDetails/required", ["cached_tokens"],
     "usage.input_tokens_details.cache_write_tokens is newer than real OpenAI traffic: the 2025 recordings in "
     "shared/reference/recordings omit it on every response"),
    ("response.compaction", "/$defs/InputTokensDetails/required", ["cached_tokens"],
     "the same ResponseUsage as a response's (see above)"),
    ("response.compaction", "/properties/output/items/anyOf/0", _COMPACTED_MESSAGE,
     "OAS CompactResource.output is ItemField (Message: user messages with input_text); SDK CompactedResponse.output "
     "docstring: all user messages, then one compaction item"),
    ("response.input_items", "/properties/first_id", _NULLABLE_ID, _EMPTY_PAGE),
    ("response.input_items", "/properties/last_id", _NULLABLE_ID, _EMPTY_PAGE),
    ("conversation.item_list", "/properties/first_id", _NULLABLE_ID, _EMPTY_PAGE),
    ("conversation.item_list", "/properties/last_id", _NULLABLE_ID, _EMPTY_PAGE),
)

DELETED_RESPONSE: dict[str, Any] = {
    "type": "object",
    "required": ["id", "deleted"],
    "properties": {"id": {"type": "string"}, "object": {"type": "string"}, "deleted": {"type": "boolean"}},
}


def _list_of(item: dict[str, Any]) -> dict[str, Any]:
    """A cursor page {object: list, data: [item]} whose $refs still resolve."""
    defs = item.get("$defs", {})
    row = {k: v for k, v in item.items() if k != "$defs"}
    schema: dict[str, Any] = {
        "type": "object",
        "required": ["object", "data"],
        "properties": {"object": {"const": "list"}, "data": {"type": "array", "items": row},
                       "first_id": _NULLABLE_ID, "last_id": _NULLABLE_ID, "has_more": {"type": "boolean"}},
    }
    if defs:
        schema["$defs"] = defs
    return schema


def _search_page() -> dict[str, Any]:
    hit = VectorStoreSearchResponse.model_json_schema()
    page = _list_of(hit)
    page["required"] = ["object", "search_query", "data", "has_more", "next_page"]
    page["properties"].update({"object": {"const": "vector_store.search_results.page"},
                               "search_query": {"type": "array", "items": {"type": "string"}},
                               "next_page": {"type": ["string", "null"]}})
    for key in ("first_id", "last_id"):
        del page["properties"][key]
    return page


def set_pointer(schema: dict[str, Any], pointer: str, value: Any) -> None:
    """Replace the node at a JSON pointer (a reviewed relaxation)."""
    parts = [p for p in pointer.split("/") if p]
    node: Any = schema
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node[part]
    if isinstance(node, list):
        node[int(parts[-1])] = value
    else:
        node[parts[-1]] = value


def _refs(node: Any) -> set[str]:
    text = json.dumps(node)
    return {part.split('"', 1)[0] for part in text.split('"$ref": "#/$defs/')[1:]}


def prune(schema: dict[str, Any]) -> dict[str, Any]:
    """Drop $defs no longer reachable from the root (after relaxations replaced what used them)."""
    defs = schema.get("$defs")
    if not defs:
        return schema
    root = {k: v for k, v in schema.items() if k != "$defs"}
    keep: set[str] = set()
    todo = _refs(root)
    while todo:
        name = todo.pop()
        if name in keep or name not in defs:
            continue
        keep.add(name)
        todo |= _refs(defs[name])
    pruned = dict(root)
    if keep:
        pruned["$defs"] = {k: v for k, v in defs.items() if k in keep}
    return pruned


def resource_schemas() -> dict[str, dict[str, Any]]:
    """Schema name -> JSON schema, relaxations applied and unused $defs pruned (prose is stripped by schemagen)."""
    schemas: dict[str, dict[str, Any]] = {
        "response": Response.model_json_schema(),
        "response.deleted": DELETED_RESPONSE,
        "response.input_items": ResponseItemList.model_json_schema(),
        "response.compaction": CompactedResponse.model_json_schema(),
        "response.output_item": TypeAdapter(ResponseOutputItem).json_schema(),
        "conversation": Conversation.model_json_schema(),
        "conversation.deleted": ConversationDeletedResource.model_json_schema(),
        "conversation.item": TypeAdapter(ConversationItem).json_schema(),
        "conversation.item_list": ConversationItemList.model_json_schema(),
        "file": FileObject.model_json_schema(),
        "file.deleted": FileDeleted.model_json_schema(),
        "files.list": _list_of(FileObject.model_json_schema()),
        "vector_store": VectorStore.model_json_schema(),
        "vector_store.deleted": VectorStoreDeleted.model_json_schema(),
        "vector_stores.list": _list_of(VectorStore.model_json_schema()),
        "vector_store.file": VectorStoreFile.model_json_schema(),
        "vector_store.file.deleted": VectorStoreFileDeleted.model_json_schema(),
        "vector_store.files.list": _list_of(VectorStoreFile.model_json_schema()),
        "vector_store.file_batch": VectorStoreFileBatch.model_json_schema(),
        "vector_store.search_results.page": _search_page(),
        **_events(),
    }
    for name, pointer, value, _reason in RELAXATIONS:
        set_pointer(schemas[name], pointer, value)
    return {name: prune(schema) for name, schema in schemas.items()}
