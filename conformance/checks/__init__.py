"""Check registry and the single import site that registers every check module."""

from . import (
    chat,
    chat_params,
    common,
    conversations,
    embeddings,
    errors,
    files,
    flow,
    generated,
    models,
    needs,
    realtime,
    responses,
    responses_async,
    responses_behaviour,
    responses_stream,
    streaming,
    tools,
    vector_stores,
)
from ._registry import CHECKS, Check, CheckRegistry, check
from .context import CheckContext
from .needs import UNRECORDED, Need

__all__ = ["CHECKS", "UNRECORDED", "Check", "CheckContext", "CheckRegistry", "Need", "chat", "chat_params", "check",
           "common", "conversations", "embeddings", "errors", "files", "flow", "generated", "models", "needs",
           "realtime", "responses", "responses_async", "responses_behaviour", "responses_stream", "streaming", "tools",
           "vector_stores"]
