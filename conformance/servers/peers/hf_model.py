"""The tiny Hugging Face model directory (conformance.servers.tiny_hf) as a peer's model."""

from __future__ import annotations

from pathlib import Path

from .recipe import ModelInfo, PeerContext, tree_sha256

CHAT_NAME = "conformance-tiny-hf"
EMBED_NAME = "conformance-tiny-hf-embed"


def tiny_hf_model(cache: Path) -> ModelInfo:
    """Build (or reuse) the tiny Llama model directory under `cache`: the same bytes on every machine."""
    from ..tiny_hf import ensure_model, recipe

    path = ensure_model(cache)
    return ModelInfo(path, recipe(), tree_sha256(path))


def linked_model(ctx: PeerContext) -> str:
    """The model as the relative name `conformance-tiny-hf`: a symlink in the peer's folder (every process's working
    directory), so what a server echoes about its model (vLLM's `root`, transformers' model id) names no path of
    this machine."""
    link = ctx.cache / CHAT_NAME
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(ctx.model.path, target_is_directory=True)
    return CHAT_NAME


# Switches every Hugging Face-based server honours: never reach the hub, send no telemetry.
HF_OFFLINE_ENV = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HF_HUB_DISABLE_TELEMETRY": "1",
                  "HF_HUB_DISABLE_UPDATE_CHECK": "1", "DO_NOT_TRACK": "1"}

__all__ = ["CHAT_NAME", "EMBED_NAME", "HF_OFFLINE_ENV", "linked_model", "tiny_hf_model"]
