"""A tiny deterministic keyword search over the indexed files of vector stores (structure, not relevance)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .store import Store

_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset({"the", "and", "what", "which", "who", "with", "for", "from", "use", "using", "tool", "file",
                   "files", "search", "reply", "only", "this", "that", "please", "answer", "tell"})


def terms(text: str) -> set[str]:
    """Lower-case words of three letters or more, stop words dropped."""
    return {w for w in _WORD.findall(text.lower()) if len(w) >= 3 and w not in _STOP}


@dataclass(frozen=True)
class Hit:
    """One matching chunk: which file, its score in [0, 1] and the chunk text."""

    vector_store_id: str
    file_id: str
    filename: str
    score: float
    text: str
    attributes: dict[str, Any]


def keyword_search(store: Store, vector_store_ids: list[str], query: str, limit: int = 10) -> list[Hit]:
    """Chunks (non-empty lines) of indexed files sharing words with the query, best first."""
    wanted = terms(query)
    hits: list[Hit] = []
    for vs_id in vector_store_ids:
        vector_store = store.vector_stores.get(vs_id)
        if vector_store is None or not wanted:
            continue
        for file_id, attachment in vector_store.files.items():
            stored = store.files.get(file_id)
            if not attachment.ready or stored is None:
                continue
            for line in stored.content.decode("utf-8", "replace").splitlines():
                score = round(len(terms(line) & wanted) / len(wanted), 4)
                if score > 0 and line.strip():
                    hits.append(Hit(vs_id, file_id, stored.body["filename"], score, line.strip(),
                                    dict(attachment.body.get("attributes") or {})))
    hits.sort(key=lambda h: (-h.score, h.file_id, h.text))
    return hits[:limit]
