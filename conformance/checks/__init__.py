"""Check registry and the single import site that registers every check module."""

from . import (
    capabilities,
    chat,
    common,
    conversations,
    embeddings,
    errors,
    files,
    flow,
    generated,
    models,
    needs,
    other,
    realtime,
    responses,
    responses_async,
    responses_behaviour,
    responses_stream,
    stream_joins,
    streaming,
    tools,
    vector_stores,
)
from ._registry import CHECKS, Check, CheckRegistry, check
from .context import CheckContext
from .needs import UNRECORDED, Need

__all__ = ["CHECKS", "UNRECORDED", "Check", "CheckContext", "CheckRegistry", "Need", "capabilities", "chat", "check",
           "common", "conversations", "embeddings", "errors", "files", "flow", "generated", "models", "needs", "other",
           "realtime", "responses", "responses_async", "responses_behaviour", "responses_stream", "stream_joins",
           "streaming", "tools", "vector_stores"]
