"""Named requests (probes) sent through the official SDK; importing this package registers them all."""

from . import (
    capabilities,
    chat,
    chat_params,
    conversations,
    embeddings,
    files,
    generated,
    other,
    realtime,
    responses,
    responses_state,
    responses_ws,
    vector_stores,
)
from ._flows import max_polls
from ._io import ProbeIO, Resource
from ._registry import REQUESTS, RequestSpec

__all__ = [
    "REQUESTS",
    "ProbeIO",
    "RequestSpec",
    "Resource",
    "capabilities",
    "chat",
    "chat_params",
    "conversations",
    "embeddings",
    "files",
    "generated",
    "max_polls",
    "other",
    "realtime",
    "responses",
    "responses_state",
    "responses_ws",
    "vector_stores",
]
