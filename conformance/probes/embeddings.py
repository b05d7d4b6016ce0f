"""Embeddings and Models requests."""

from __future__ import annotations

from typing import Any

from . import fixtures as fx
from ._io import ProbeIO
from ._registry import request


@request("embeddings.float", "embeddings", prompt_tokens=100)
def embed_float(io: ProbeIO) -> Any:
    """One string, encoding_format float (explicit: the SDK would otherwise ask for base64)."""
    return io.client.embeddings.create(model=io.model, input=fx.EMBED_ONE, encoding_format="float")


@request("embeddings.batch", "embeddings", prompt_tokens=100)
def embed_batch(io: ProbeIO) -> Any:
    """A list of three inputs."""
    return io.client.embeddings.create(model=io.model, input=fx.EMBED_MANY, encoding_format="float")


@request("embeddings.base64", "embeddings", prompt_tokens=100)
def embed_base64(io: ProbeIO) -> Any:
    """Same input as embeddings.float, base64-encoded float32."""
    return io.client.embeddings.create(model=io.model, input=fx.EMBED_ONE, encoding_format="base64")


@request("embeddings.dimensions", "embeddings", prompt_tokens=100)
def embed_dimensions(io: ProbeIO) -> Any:
    """Ask for a shortened vector."""
    dims = int(io.options.get("embedding_dimensions", 16))
    return io.client.embeddings.create(model=io.model, input=fx.EMBED_ONE, encoding_format="float", dimensions=dims)


@request("models.retrieve", "chat")
def models_retrieve(io: ProbeIO) -> Any:
    """GET /models/{chat model}."""
    return io.client.models.retrieve(io.model)
