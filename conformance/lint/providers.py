"""Which provider served a recorded interaction: by host, then by the provenance caveats of FORMATS.md."""

from __future__ import annotations

import json
import re
from typing import Any

from ..profiles import builtin_names, load_profile
from ..wire.reproduce import Access, curl, realtime_snippet
from .formats import UNKNOWN_HOST
from .model import Interaction
from .redact import scrub

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


def access(provider: str) -> Access:
    """How to resend a recorded request of this provider: a bundled profile's key variable and scheme, Azure's
    `api-key` header, else `<PROVIDER>_API_KEY` as a bearer token."""
    if provider in builtin_names():
        profile = load_profile(provider)
        prefix = "Api-Key " if profile.auth_scheme == "api-key" else "Bearer "
        refs = {var.placeholder: var.env for var in profile.variables if var.secret}  # as recordings scrub them
        return Access(profile.key_env[0] if profile.key_env else "OPENAI_API_KEY", "Authorization", prefix,
                      refs=refs)
    if provider == "azure-openai":
        return Access("AZURE_OPENAI_API_KEY", "api-key", "")
    return Access(re.sub(r"\W", "_", provider).upper().strip("_") + "_API_KEY")


def reproduction(exchange: Any, provider: str) -> str:
    """The command that resends one recorded request (a Python snippet for a Realtime session log)."""
    refs = access(provider)  # a bundled profile maps its secret placeholders (e.g. <FOLDER_ID>) to their variables
    if hasattr(exchange, "client_frames"):
        events = [f.event for f in exchange.client_frames()]
        return realtime_snippet("https://api.openai.com/v1", exchange.model, events, refs)
    body = scrub(exchange.request_body.decode("utf-8", "replace")).encode("utf-8")  # folder ids -> placeholder
    return curl(exchange.method, scrub(exchange.url), body, refs)
