"""Classify an HTTP request as an OpenAI endpoint (used to pick wire schemas and by passive lint)."""

from __future__ import annotations

import re
from enum import Enum


class Endpoint(str, Enum):
    """OpenAI REST endpoints the suite knows."""

    MODELS_LIST = "models.list"
    MODELS_RETRIEVE = "models.retrieve"
    CHAT_COMPLETIONS = "chat.completions"
    EMBEDDINGS = "embeddings"
    RESPONSES_CREATE = "responses.create"
    RESPONSES_RETRIEVE = "responses.retrieve"
    RESPONSES_DELETE = "responses.delete"
    RESPONSES_CANCEL = "responses.cancel"
    RESPONSES_INPUT_ITEMS = "responses.input_items"
    RESPONSES_COMPACT = "responses.compact"
    CONVERSATIONS_CREATE = "conversations.create"
    CONVERSATIONS_RETRIEVE = "conversations.retrieve"
    CONVERSATIONS_UPDATE = "conversations.update"
    CONVERSATIONS_DELETE = "conversations.delete"
    CONVERSATION_ITEMS_CREATE = "conversations.items.create"
    CONVERSATION_ITEMS_LIST = "conversations.items.list"
    CONVERSATION_ITEM_RETRIEVE = "conversations.items.retrieve"
    CONVERSATION_ITEM_DELETE = "conversations.items.delete"
    FILES_CREATE = "files.create"
    FILES_LIST = "files.list"
    FILES_RETRIEVE = "files.retrieve"
    FILES_CONTENT = "files.content"
    FILES_DELETE = "files.delete"
    VECTOR_STORES_CREATE = "vector_stores.create"
    VECTOR_STORES_LIST = "vector_stores.list"
    VECTOR_STORES_RETRIEVE = "vector_stores.retrieve"
    VECTOR_STORES_UPDATE = "vector_stores.update"
    VECTOR_STORES_DELETE = "vector_stores.delete"
    VECTOR_STORES_SEARCH = "vector_stores.search"
    VECTOR_STORE_FILES_CREATE = "vector_stores.files.create"
    VECTOR_STORE_FILES_LIST = "vector_stores.files.list"
    VECTOR_STORE_FILES_RETRIEVE = "vector_stores.files.retrieve"
    VECTOR_STORE_FILES_DELETE = "vector_stores.files.delete"
    FILE_BATCHES_CREATE = "vector_stores.file_batches.create"
    FILE_BATCHES_RETRIEVE = "vector_stores.file_batches.retrieve"
    FILE_BATCHES_CANCEL = "vector_stores.file_batches.cancel"
    FILE_BATCHES_FILES = "vector_stores.file_batches.files"
    UNKNOWN = "unknown"


_ID = r"[^/]+"
_RULES: tuple[tuple[str, re.Pattern[str], Endpoint], ...] = (
    ("GET", re.compile(r"/models/?$"), Endpoint.MODELS_LIST),
    ("GET", re.compile(r"/models/.+"), Endpoint.MODELS_RETRIEVE),
    ("POST", re.compile(r"/chat/completions/?$"), Endpoint.CHAT_COMPLETIONS),
    ("POST", re.compile(r"/embeddings/?$"), Endpoint.EMBEDDINGS),
    # Responses, Conversations, Files, Vector Stores: `_ID` is one path segment; deeper paths come first.
    ("POST", re.compile(r"/responses/compact/?$"), Endpoint.RESPONSES_COMPACT),
    ("GET", re.compile(rf"/responses/{_ID}/input_items/?$"), Endpoint.RESPONSES_INPUT_ITEMS),
    ("POST", re.compile(rf"/responses/{_ID}/cancel/?$"), Endpoint.RESPONSES_CANCEL),
    ("GET", re.compile(rf"/responses/{_ID}/?$"), Endpoint.RESPONSES_RETRIEVE),
    ("DELETE", re.compile(rf"/responses/{_ID}/?$"), Endpoint.RESPONSES_DELETE),
    ("POST", re.compile(r"/responses/?$"), Endpoint.RESPONSES_CREATE),
    ("GET", re.compile(rf"/conversations/{_ID}/items/{_ID}/?$"), Endpoint.CONVERSATION_ITEM_RETRIEVE),
    ("DELETE", re.compile(rf"/conversations/{_ID}/items/{_ID}/?$"), Endpoint.CONVERSATION_ITEM_DELETE),
    ("POST", re.compile(rf"/conversations/{_ID}/items/?$"), Endpoint.CONVERSATION_ITEMS_CREATE),
    ("GET", re.compile(rf"/conversations/{_ID}/items/?$"), Endpoint.CONVERSATION_ITEMS_LIST),
    ("GET", re.compile(rf"/conversations/{_ID}/?$"), Endpoint.CONVERSATIONS_RETRIEVE),
    ("POST", re.compile(rf"/conversations/{_ID}/?$"), Endpoint.CONVERSATIONS_UPDATE),
    ("DELETE", re.compile(rf"/conversations/{_ID}/?$"), Endpoint.CONVERSATIONS_DELETE),
    ("POST", re.compile(r"/conversations/?$"), Endpoint.CONVERSATIONS_CREATE),
    ("GET", re.compile(rf"/vector_stores/{_ID}/file_batches/{_ID}/files/?$"), Endpoint.FILE_BATCHES_FILES),
    ("POST", re.compile(rf"/vector_stores/{_ID}/file_batches/{_ID}/cancel/?$"), Endpoint.FILE_BATCHES_CANCEL),
    ("GET", re.compile(rf"/vector_stores/{_ID}/file_batches/{_ID}/?$"), Endpoint.FILE_BATCHES_RETRIEVE),
    ("POST", re.compile(rf"/vector_stores/{_ID}/file_batches/?$"), Endpoint.FILE_BATCHES_CREATE),
    ("GET", re.compile(rf"/vector_stores/{_ID}/files/{_ID}/?$"), Endpoint.VECTOR_STORE_FILES_RETRIEVE),
    ("DELETE", re.compile(rf"/vector_stores/{_ID}/files/{_ID}/?$"), Endpoint.VECTOR_STORE_FILES_DELETE),
    ("POST", re.compile(rf"/vector_stores/{_ID}/files/?$"), Endpoint.VECTOR_STORE_FILES_CREATE),
    ("GET", re.compile(rf"/vector_stores/{_ID}/files/?$"), Endpoint.VECTOR_STORE_FILES_LIST),
    ("POST", re.compile(rf"/vector_stores/{_ID}/search/?$"), Endpoint.VECTOR_STORES_SEARCH),
    ("GET", re.compile(rf"/vector_stores/{_ID}/?$"), Endpoint.VECTOR_STORES_RETRIEVE),
    ("POST", re.compile(rf"/vector_stores/{_ID}/?$"), Endpoint.VECTOR_STORES_UPDATE),
    ("DELETE", re.compile(rf"/vector_stores/{_ID}/?$"), Endpoint.VECTOR_STORES_DELETE),
    ("POST", re.compile(r"/vector_stores/?$"), Endpoint.VECTOR_STORES_CREATE),
    ("GET", re.compile(r"/vector_stores/?$"), Endpoint.VECTOR_STORES_LIST),
    ("GET", re.compile(rf"/files/{_ID}/content/?$"), Endpoint.FILES_CONTENT),
    ("GET", re.compile(rf"/files/{_ID}/?$"), Endpoint.FILES_RETRIEVE),
    ("DELETE", re.compile(rf"/files/{_ID}/?$"), Endpoint.FILES_DELETE),
    ("POST", re.compile(r"/files/?$"), Endpoint.FILES_CREATE),
    ("GET", re.compile(r"/files/?$"), Endpoint.FILES_LIST),
)


# Endpoints whose path names one resource by id: a 404 there may be "no such object", not "no such route".
COLLECTIONS = frozenset({
    Endpoint.MODELS_LIST, Endpoint.CHAT_COMPLETIONS, Endpoint.EMBEDDINGS, Endpoint.RESPONSES_CREATE,
    Endpoint.RESPONSES_COMPACT,
    Endpoint.CONVERSATIONS_CREATE, Endpoint.FILES_CREATE, Endpoint.FILES_LIST, Endpoint.VECTOR_STORES_CREATE,
    Endpoint.VECTOR_STORES_LIST, Endpoint.UNKNOWN,
})


def names_resource(endpoint: Endpoint) -> bool:
    """Whether the endpoint's path names a resource id (retrieve, update, delete, items of one object)."""
    return endpoint not in COLLECTIONS


def classify(method: str, path: str) -> Endpoint:
    """Map a method and URL path to an endpoint (UNKNOWN when nothing matches)."""
    for verb, pattern, endpoint in _RULES:
        if method.upper() == verb and pattern.search(path.split("?", 1)[0]):
            return endpoint
    return Endpoint.UNKNOWN
