"""Check registry and the single import site that registers every check module."""

from . import (
    chat,
    common,
    conversations,
    embeddings,
    errors,
    files,
    flow,
    generated,
    models,
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

__all__ = ["CHECKS", "Check", "CheckContext", "CheckRegistry", "chat", "check", "common", "conversations", "embeddings",
           "errors", "files", "flow", "generated", "models", "realtime", "responses", "responses_async",
           "responses_behaviour", "responses_stream", "streaming", "tools", "vector_stores"]
