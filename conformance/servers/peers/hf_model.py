"""The tiny Hugging Face model directory (conformance.servers.tiny_hf) as a peer's model."""

from __future__ import annotations

from pathlib import Path

from .recipe import ModelInfo, tree_sha256

CHAT_NAME = "conformance-tiny-hf"
EMBED_NAME = "conformance-tiny-hf-embed"


def tiny_hf_model(cache: Path) -> ModelInfo:
    """Build (or reuse) the tiny Llama model directory under `cache`: the same bytes on every machine."""
    from ..tiny_hf import ensure_model, recipe

    path = ensure_model(cache)
    return ModelInfo(path, recipe(), tree_sha256(path))


# Switches every Hugging Face-based server honours: never reach the hub, send no telemetry.
HF_OFFLINE_ENV = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HF_HUB_DISABLE_TELEMETRY": "1",
                  "HF_HUB_DISABLE_UPDATE_CHECK": "1", "DO_NOT_TRACK": "1"}

__all__ = ["CHAT_NAME", "EMBED_NAME", "HF_OFFLINE_ENV", "tiny_hf_model"]
