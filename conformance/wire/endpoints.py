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
    UNKNOWN = "unknown"


_RULES: tuple[tuple[str, re.Pattern[str], Endpoint], ...] = (
    ("GET", re.compile(r"/models/?$"), Endpoint.MODELS_LIST),
    ("GET", re.compile(r"/models/.+"), Endpoint.MODELS_RETRIEVE),
    ("POST", re.compile(r"/chat/completions/?$"), Endpoint.CHAT_COMPLETIONS),
    ("POST", re.compile(r"/embeddings/?$"), Endpoint.EMBEDDINGS),
)


def classify(method: str, path: str) -> Endpoint:
    """Map a method and URL path to an endpoint (UNKNOWN when nothing matches)."""
    for verb, pattern, endpoint in _RULES:
        if method.upper() == verb and pattern.search(path.split("?", 1)[0]):
            return endpoint
    return Endpoint.UNKNOWN
