"""Hugging Face transformers' own OpenAI-compatible server (`transformers serve`) on the tiny Hugging Face model.

One process on the CPU build of torch (`torch==2.13.0`, the on-disk CPU wheel), pinned to the generated model (the
FORCE_MODEL argument): a request naming another model is refused. The model is given by a relative name, a
symlink `conformance-tiny-hf` in the peer's folder (the process's working directory), so the id the server echoes
names no path of this machine and nothing is looked up on a hub. `HF_HUB_OFFLINE=1` and
`HF_HUB_DISABLE_UPDATE_CHECK=1` keep it off the network. It has no embeddings endpoint.
"""

from __future__ import annotations

from .hf_model import HF_OFFLINE_ENV, linked_model, tiny_hf_model
from .recipe import PeerContext, PeerRecipe, ProcessSpec

VERSION = "5.23.0"
START_TIMEOUT = 180.0


def processes(ctx: PeerContext) -> list[ProcessSpec]:
    """The server, serving every surface it has on one port."""
    port = ctx.ports[0]
    argv = (str(ctx.python), "-m", "transformers.cli.transformers", "serve", linked_model(ctx), "--host", "127.0.0.1",
            "--port", str(port), "--device", "cpu", "--dtype", "float32", "--default-seed", "0")
    return [ProcessSpec("server", argv, {}, port, "/health", ("base_url",), START_TIMEOUT)]


RECIPE = PeerRecipe(
    name="transformers-serve",
    title="transformers serve (Hugging Face)",
    distribution="transformers",
    requirements=("torch==2.13.0", f"transformers[serving]=={VERSION}", "accelerate==1.15.0"),
    env=HF_OFFLINE_ENV,
    build_model=tiny_hf_model,
    processes=processes,
)
