"""The in-memory state of the stateful endpoints (responses, conversations, files, vector stores), per server.

Ids are derived from what was asked plus how often the same thing was asked before on this server, so a fresh
server answers the same sequence of requests with the same ids (stable re-recording) and a long-lived one never
repeats an id. One re-entrant lock guards everything; handlers run under it.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from typing import Any


@dataclass
class StoredResponse:
    """A stored response: its wire body, its input items and the full turn history for later turns."""

    body: dict[str, Any]
    input_items: list[dict[str, Any]]
    history: list[dict[str, Any]]
    reads: int = 0
    final: dict[str, Any] | None = None


@dataclass
class StoredFile:
    """An uploaded file: the FileObject body and the bytes."""

    body: dict[str, Any]
    content: bytes


@dataclass
class Attachment:
    """A file attached to a vector store: the VectorStoreFile body and whether indexing finished."""

    body: dict[str, Any]
    ready: bool = False


@dataclass
class StoredVectorStore:
    """A vector store: its body, attached files by file id, and file batches by batch id."""

    body: dict[str, Any]
    files: dict[str, Attachment] = field(default_factory=dict)
    batches: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass
class StoredConversation:
    """A conversation: its body and its items, oldest first."""

    body: dict[str, Any]
    items: list[dict[str, Any]] = field(default_factory=list)


class Store:
    """Everything the stateful endpoints keep; `lock` must be held while reading or changing it."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.responses: dict[str, StoredResponse] = {}
        self.conversations: dict[str, StoredConversation] = {}
        self.files: dict[str, StoredFile] = {}
        self.vector_stores: dict[str, StoredVectorStore] = {}
        self._seen: dict[str, int] = {}

    def mint(self, prefix: str, seed: bytes | str) -> str:
        """A new id `<prefix><24 hex>` from the seed and how many ids this seed produced before."""
        raw = seed.encode() if isinstance(seed, str) else seed
        key = prefix + hashlib.sha256(raw).hexdigest()
        count = self._seen.get(key, 0)
        self._seen[key] = count + 1
        return prefix + hashlib.sha256(raw + f"#{count}".encode()).hexdigest()[:24]

    def leftovers(self) -> list[str]:
        """Ids of everything still stored, by kind."""
        return [*(f"response {i}" for i in self.responses), *(f"conversation {i}" for i in self.conversations),
                *(f"file {i}" for i in self.files), *(f"vector_store {i}" for i in self.vector_stores)]


DEFAULT_STORE = Store()
