"""The tiny llama GGUF (conformance.servers.tiny_gguf) as a peer's model, and llama.cpp's server as a backend."""

from __future__ import annotations

from pathlib import Path

from ..llamacpp import CHAT_ALIAS, EMBED_ALIAS, server_argv
from .recipe import ModelInfo, tree_sha256


def tiny_gguf_model(cache: Path) -> ModelInfo:
    """Build (or reuse) the tiny GGUF under `cache`: the same deterministic bytes the llamacpp target runs."""
    from ..tiny_gguf import ensure_model, recipe

    path = ensure_model(cache)
    return ModelInfo(path, recipe(), tree_sha256(path))


def llamacpp_backend(model: Path, port: int, embedding: bool) -> tuple[str, ...]:
    """argv of llama.cpp's C++ server (the project's xllamacpp, its own interpreter) serving the tiny model on `port`.

    A gateway peer fronts it, so the gateway's column shows what it does to a real server's answers.
    """
    return tuple(server_argv(model, EMBED_ALIAS if embedding else CHAT_ALIAS, port, embedding))


__all__ = ["CHAT_ALIAS", "EMBED_ALIAS", "llamacpp_backend", "tiny_gguf_model"]
