"""LiteLLM's proxy (the OpenAI-compatible gateway) in front of llama.cpp's real C++ server, on the tiny GGUF.

Three processes: llama.cpp's chat and embedding servers (the project's own xllamacpp, started with the project's
interpreter exactly as the llamacpp target starts them) and the LiteLLM proxy from its own venv, configured by a
file that routes each alias to its backend through LiteLLM's generic `openai/` provider. The column therefore shows
what the gateway does to a real server's answers. The proxy's master key is a fixed, public test value (never a
real secret); it needs no database. `LITELLM_LOCAL_MODEL_COST_MAP=True` keeps it from downloading its cost map.

Routes that name no configured model (Files, Vector Stores, ...) go to LiteLLM's default OpenAI base URL: left at
its default that is api.openai.com, an outward connection the namespace refuses and the recording counts. The proxy
gets `OPENAI_BASE_URL`/`OPENAI_API_BASE` set to the llama.cpp chat backend instead, as a deployment in front of one
server would set them, so those routes reach the real backend and show what it answers there.
"""

from __future__ import annotations

import yaml

from .gguf_model import CHAT_ALIAS, EMBED_ALIAS, llamacpp_backend, tiny_gguf_model
from .recipe import PeerContext, PeerRecipe, ProcessSpec

VERSION = "1.108.12"
# `litellm[proxy]==1.108.12` pins litellm-enterprise==0.1.79.post2, which the package registry lacks (it has
# 0.1.79.post1): so the proxy extra's own requirements are listed here instead, each at the version pip resolved
# for them (exact pins), with the enterprise package at 0.1.79.post1. The extra's list is 1.108.12's metadata.
PROXY_EXTRA = (
    "APScheduler==3.11.3", "Expression==5.8.0", "PyJWT==2.15.1", "PyNaCl==1.6.2", "PyYAML==6.0.4",
    "RestrictedPython==8.5", "azure-identity==1.27.0", "azure-storage-blob==12.31.1", "backoff==2.2.1",
    "boto3==1.44.8", "cryptography==50.0.2", "fastapi==0.165.0", "fastapi-sso==0.23.0", "granian==2.8.9",
    "gunicorn==23.0.0", "hiredis==3.5.0", "httpx2==2.16.2", "inquirerpy==0.3.4", "litellm-enterprise==0.1.79.post1",
    "litellm-proxy-extras==0.4.110", "mcp==2.3.0", "orjson==3.13.0", "polars==1.44.2", "pydantic==2.14.4",
    "pyroscope-io==0.8.16", "python-multipart==0.0.34", "rich==13.9.4", "rq==2.12.0", "soundfile==0.14.0",
    "starlette==1.10.0", "tomlkit==0.15.2", "uvicorn==0.54.0", "uvloop==0.23.0", "websockets==15.0.1",
)
# A fixed local test key: the proxy refuses to run its key checks without one. Public, like llamacpp's "no-key".
MASTER_KEY = "sk-conformance-local-test"


def config(ctx: PeerContext) -> dict[str, object]:
    """The proxy's config: one model entry per alias, each forwarded to its llama.cpp backend; defaults otherwise."""
    chat, embed = (f"http://127.0.0.1:{port}/v1" for port in ctx.ports[1:3])
    return {
        "model_list": [
            {"model_name": CHAT_ALIAS,
             "litellm_params": {"model": f"openai/{CHAT_ALIAS}", "api_base": chat, "api_key": "no-key"}},
            {"model_name": EMBED_ALIAS,
             "litellm_params": {"model": f"openai/{EMBED_ALIAS}", "api_base": embed, "api_key": "no-key"},
             "model_info": {"mode": "embedding"}},
        ],
        "general_settings": {"master_key": MASTER_KEY},
    }


def processes(ctx: PeerContext) -> list[ProcessSpec]:
    """The two llama.cpp backends first, then the proxy (the only process whose URL the suite talks to)."""
    path = ctx.cache / "litellm-config.yaml"
    path.write_text(yaml.safe_dump(config(ctx), sort_keys=True), encoding="utf-8")
    proxy, chat, embed = ctx.ports[:3]
    model = ctx.model.path
    default_base = f"http://127.0.0.1:{chat}/v1"
    proxy_env = {"OPENAI_BASE_URL": default_base, "OPENAI_API_BASE": default_base, "OPENAI_API_KEY": "no-key"}
    return [
        ProcessSpec("llamacpp-chat", llamacpp_backend(model, chat, False), {}, chat, "/health", (), 90.0),
        ProcessSpec("llamacpp-embeddings", llamacpp_backend(model, embed, True), {}, embed, "/health", (), 90.0),
        ProcessSpec("proxy", (str(ctx.python), "-m", "litellm.proxy.proxy_cli", "--config", str(path),
                              "--host", "127.0.0.1", "--port", str(proxy), "--num_workers", "1"),
                    proxy_env, proxy, "/health/liveliness", ("base_url",), 300.0),
    ]


RECIPE = PeerRecipe(
    name="litellm",
    title="LiteLLM proxy",
    distribution="litellm",
    requirements=(f"litellm=={VERSION}", *PROXY_EXTRA),
    env={"LITELLM_LOCAL_MODEL_COST_MAP": "True"},
    build_model=tiny_gguf_model,
    processes=processes,
    ports=3,
)
