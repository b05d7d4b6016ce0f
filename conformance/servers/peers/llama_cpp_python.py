"""llama-cpp-python's OpenAI-compatible server (`python -m llama_cpp.server`) on the tiny GGUF.

A different HTTP layer (Python, FastAPI) over the same engine as llama.cpp's C++ server. It is built from source
(no prebuilt wheel for this platform; about 5 minutes on 2 cores): `prepare` keeps the built wheel in
`$PEER_DIR/wheels`, so a new venv (a changed pin elsewhere) installs it without building again. One process serves
both aliases from a config file (its documented multi-model mode): the chat alias with the `chatml-function-calling`
chat format (the generic tool-calling format its README names), the embedding alias with `embedding: true`.
"""

from __future__ import annotations

import json

from .gguf_model import CHAT_ALIAS, EMBED_ALIAS, tiny_gguf_model
from .recipe import PeerContext, PeerRecipe, ProcessSpec

VERSION = "0.3.36"
THREADS = 2


def config(ctx: PeerContext) -> dict[str, object]:
    """The server's config file: loopback, one port, the chat and the embedding alias of the same tiny model."""
    common = {"model": str(ctx.model.path), "n_ctx": 2048, "n_threads": THREADS, "n_threads_batch": THREADS,
              "seed": 0, "verbose": False}
    return {"host": "127.0.0.1", "port": ctx.ports[0],
            "models": [{**common, "model_alias": CHAT_ALIAS, "chat_format": "chatml-function-calling"},
                       {**common, "model_alias": EMBED_ALIAS, "embedding": True}]}


def processes(ctx: PeerContext) -> list[ProcessSpec]:
    """One server process for every surface, configured by a file written into the peer's folder."""
    path = ctx.cache / "llama-cpp-python-config.json"
    path.write_text(json.dumps(config(ctx), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    argv = (str(ctx.python), "-m", "llama_cpp.server", "--config_file", str(path))
    return [ProcessSpec("server", argv, {}, ctx.ports[0], "/v1/models", ("base_url",), start_timeout=120.0)]


RECIPE = PeerRecipe(
    name="llama-cpp-python",
    title="llama-cpp-python server",
    distribution="llama-cpp-python",
    requirements=(f"llama-cpp-python[server]=={VERSION}",),
    # A wheel kept beside the venv is used first; otherwise pip builds from source (and caches the build).
    pip_args=("--find-links", "$PEER_DIR/wheels"),
    # Keep the wheel just built (or found) for the next venv of this peer.
    post_install=(("wheel", "--no-deps", "--find-links", "$PEER_DIR/wheels", "-w", "$PEER_DIR/wheels",
                   f"llama-cpp-python=={VERSION}"),),
    build_model=tiny_gguf_model,
    processes=processes,
)
