"""Named requests (probes) sent through the official SDK; importing this package registers them all."""

from . import chat, chat_params, conversations, embeddings, files, generated, realtime, responses, vector_stores
from ._flows import max_polls
from ._io import ProbeIO, Resource
from ._registry import REQUESTS, RequestSpec

__all__ = ["REQUESTS", "ProbeIO", "RequestSpec", "Resource", "chat", "chat_params", "conversations", "embeddings",
           "files", "generated", "max_polls", "realtime", "responses", "vector_stores"]
