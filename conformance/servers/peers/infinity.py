"""infinity-emb (michaelfeil/infinity): an embeddings server with an OpenAI-aligned /embeddings route.

One process, `python -m infinity_emb.cli v2`, serves the tiny BERT (peers.tiny_bert) on CPU with the torch engine
at the root path (the project documents `OpenAI(base_url="http://localhost:7997/")`). Telemetry is off
(`DO_NOT_TRACK=1`, `INFINITY_ANONYMOUS_USAGE_STATS=0`), the Hugging Face hub is offline, the vector disk cache is
off (a cached answer would not be the server's computation) and one CPU thread keeps the numbers reproducible.
"""

from __future__ import annotations

from .recipe import PeerContext, PeerRecipe, ProcessSpec
from .tiny_bert import build_model

MODEL_NAME = "conformance-tiny-bert"
VERSION = "0.0.77"


def processes(ctx: PeerContext) -> list[ProcessSpec]:
    """The infinity_emb v2 server on the first port."""
    port = ctx.ports[0]
    argv = (str(ctx.python), "-m", "infinity_emb.cli", "v2", "--model-id", str(ctx.model.path),
            "--served-model-name", MODEL_NAME, "--engine", "torch", "--device", "cpu", "--dtype", "float32",
            "--batch-size", "8", "--no-compile", "--no-bettertransformer", "--no-vector-disk-cache",
            "--no-trust-remote-code", "--host", "127.0.0.1", "--port", str(port), "--log-level", "info")
    return [ProcessSpec("infinity", argv, {"HF_HOME": str(ctx.cache / "home" / "hf")}, port, "/health",
                        ("base_url", "embeddings"), start_timeout=180.0, base_path="")]


RECIPE = PeerRecipe(
    name="infinity",
    title="Infinity (infinity-emb)",
    distribution="infinity-emb",
    # torch==2.13.0 resolves to a CPU build where one lies beside the registries (find-links), else the default.
    # click 8.2+ rejects the boolean `--x/--no-x` flags of infinity's typer 0.12 CLI ("Secondary flag is not valid
    # for non-boolean flag"): the last click it starts with is pinned.
    requirements=(f"infinity-emb[server,torch]=={VERSION}", "torch==2.13.0", "click==8.1.8"),
    build_model=build_model,
    processes=processes,
    env={"DO_NOT_TRACK": "1", "INFINITY_ANONYMOUS_USAGE_STATS": "0", "HF_HUB_OFFLINE": "1",
         "TRANSFORMERS_OFFLINE": "1", "HF_HUB_DISABLE_TELEMETRY": "1", "HF_HUB_DISABLE_UPDATE_CHECK": "1",
         "TOKENIZERS_PARALLELISM": "false", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"},
)
