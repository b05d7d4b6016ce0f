"""Which provider served a recorded interaction: by host, then by the provenance caveats of FORMATS.md."""

from __future__ import annotations

import json

from .formats import UNKNOWN_HOST
from .model import Interaction

HOSTS: dict[str, str] = {
    "api.openai.com": "openai",
    "llm.api.cloud.yandex.net": "yandex-ai-studio",
    "ai.api.cloud.yandex.net": "yandex-ai-studio",
    "rest-assistant.api.cloud.yandex.net": "yandex-ai-studio",
    "openrouter.ai": "openrouter",
    "api.groq.com": "groq",
    "api.deepseek.com": "deepseek",
    "api.cerebras.ai": "cerebras",
    "api.mistral.ai": "mistral",
    "router.huggingface.co": "huggingface",
    "huggingface.co": "huggingface",
    "api-inference.huggingface.co": "huggingface",
    "ollama.com": "ollama",
    "localhost:11434": "ollama",
    "127.0.0.1:11434": "ollama",
    "localhost:8000": "vllm",
    "127.0.0.1:8000": "vllm",
    "api.together.xyz": "together",
    "api.fireworks.ai": "fireworks",
    "api.x.ai": "xai",
    "generativelanguage.googleapis.com": "gemini",
    "us.inference.heroku.com": "heroku",
    "api.moonshot.ai": "moonshot",
}
_SUFFIXES = ((".openai.azure.com", "azure-openai"), (".cognitiveservices.azure.com", "azure-openai"),
             (".services.ai.azure.com", "azure-openai"))


def _first_object(body: bytes) -> dict[str, object]:
    """The response JSON, or the first `data:` event of a stream, as a dict ({} otherwise)."""
    text = body[:4096].decode("utf-8", "replace").lstrip()
    if text.startswith("{"):
        try:
            value = json.loads(body)
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}
    for line in text.splitlines():
        if line.startswith("data:") and line[5:].strip().startswith("{"):
            try:
                value = json.loads(line[5:])
            except ValueError:
                return {}
            return value if isinstance(value, dict) else {}
    return {}


def body_says_openrouter(item: Interaction) -> bool:
    """OpenRouter adds a top-level `provider` to completions; OpenAI never does (FORMATS.md, simonw/llm caveat)."""
    if b'"provider"' not in item.body[:4096]:
        return False
    return isinstance(_first_object(item.body).get("provider"), str)


def provider_of(item: Interaction) -> str:
    """Provider label for an interaction: host table, Azure suffixes, caveats; else the host itself ("unknown"
    when the recording kept no host, as a bare answer or a raw stream does)."""
    host = item.host
    if host in ("", UNKNOWN_HOST):
        return "unknown"
    name = HOSTS.get(host)
    if name is None:
        name = next((label for suffix, label in _SUFFIXES if host.endswith(suffix)), host or "unknown")
    if name == "openai" and body_says_openrouter(item):
        return "openrouter"
    return name
