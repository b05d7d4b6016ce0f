"""Embeddings and Models requests."""

from __future__ import annotations

from typing import Any

from openai import OpenAI

from . import fixtures as fx
from ._registry import request


@request("embeddings.float", "embeddings")
def embed_float(client: OpenAI, model: str, opts: dict[str, Any]) -> Any:
    """One string, encoding_format float (explicit: the SDK would otherwise ask for base64)."""
    return client.embeddings.create(model=model, input=fx.EMBED_ONE, encoding_format="float")


@request("embeddings.batch", "embeddings")
def embed_batch(client: OpenAI, model: str, opts: dict[str, Any]) -> Any:
    """A list of three inputs."""
    return client.embeddings.create(model=model, input=fx.EMBED_MANY, encoding_format="float")


@request("embeddings.base64", "embeddings")
def embed_base64(client: OpenAI, model: str, opts: dict[str, Any]) -> Any:
    """Same input as embeddings.float, base64-encoded float32."""
    return client.embeddings.create(model=model, input=fx.EMBED_ONE, encoding_format="base64")


@request("embeddings.dimensions", "embeddings")
def embed_dimensions(client: OpenAI, model: str, opts: dict[str, Any]) -> Any:
    """Ask for a shortened vector."""
    dims = int(opts.get("embedding_dimensions", 16))
    return client.embeddings.create(model=model, input=fx.EMBED_ONE, encoding_format="float", dimensions=dims)


@request("models.list", "none")
def models_list(client: OpenAI, model: str, opts: dict[str, Any]) -> Any:
    """GET /models (first page only)."""
    return client.models.list()


@request("models.retrieve", "chat")
def models_retrieve(client: OpenAI, model: str, opts: dict[str, Any]) -> Any:
    """GET /models/{chat model}."""
    return client.models.retrieve(model)
