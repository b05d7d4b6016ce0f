"""Check registry and the single import site that registers every check module."""

from . import chat, common, embeddings, errors, models, streaming, tools
from ._registry import CHECKS, Check, CheckRegistry, check
from .context import CheckContext

__all__ = ["CHECKS", "Check", "CheckContext", "CheckRegistry", "chat", "check", "common", "embeddings", "errors",
           "models", "streaming", "tools"]
