"""`conformance init`: find out what a server answers (one cheap request per surface) and write a commented profile.

Discovery never writes claims: claims are what a provider's documentation says, and the suite compares them with
what it observes. The written profile lists the observations as comments, next to claim templates to fill in.
"""

from __future__ import annotations

import json
import os
import re
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

from .catalogue import FEATURES
from .errors import UsageError
from .profiles import load_profile
from .profiles.adhoc import NO_KEY, TargetFlags, parse_headers

TIMEOUT = 10.0
PROMPT = "Reply with the word OK."


@dataclass(frozen=True)
class Probe:
    """One surface's discovery request and what came back."""

    surface: str
    method: str
    path: str
    status: int | None
    note: str

    def line(self) -> str:
        """`surface  answers (HTTP 200)`-style summary."""
        return f"{self.surface:14} {self.method} {self.path}: {self.note}"

    @property
    def answers(self) -> bool:
        """The surface answered a valid request with 2xx."""
        return self.status is not None and 200 <= self.status < 300


@dataclass
class Discovery:
    """What a server answered: its models and one probe per surface."""

    base_url: str
    models: list[str] = field(default_factory=list)
    probes: list[Probe] = field(default_factory=list)
    chat_model: str | None = None
    embedding_model: str | None = None


def _describe(status: int | None, body: bytes, error: str = "") -> str:
    if status is None:
        return f"no answer ({error})"
    message = ""
    try:
        message = str(json.loads(body)["error"]["message"])[:100]
    except (ValueError, KeyError, TypeError):
        message = body[:100].decode("utf-8", "replace").strip()
    if 200 <= status < 300:
        return f"answers (HTTP {status})"
    if status in (404, 405):
        return f"absent (HTTP {status})"
    if status in (401, 403):
        return f"authentication refused (HTTP {status}: {message})"
    return f"refused (HTTP {status}: {message})"


class _Client:
    """A tiny stdlib HTTP client with the target's auth and headers."""

    def __init__(self, flags: TargetFlags, key: str, headers: dict[str, str]) -> None:
        self.base = (flags.base_url or "").rstrip("/")
        self.headers = {"Content-Type": "application/json", "User-Agent": "openai-compat-conformance init",
                        **headers}
        if flags.auth != "none" and key:
            self.headers["Authorization"] = f"{'Api-Key' if flags.auth == 'api-key' else 'Bearer'} {key}"

    def call(self, method: str, path: str, body: dict[str, object] | None = None) -> tuple[int | None, bytes, str]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, headers=self.headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as resp:
                return resp.status, resp.read(1 << 20), ""
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read(1 << 16), ""
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            return None, b"", f"{type(exc).__name__}: {reason}"[:160]


def discover(flags: TargetFlags, key: str) -> Discovery:
    """List models, then send one cheap request per surface (chat, embeddings, responses, files, vector stores)."""
    headers, variables, _ = parse_headers(flags.headers)
    if variables:
        values = {v.name: os.environ.get(v.env, "") for v in variables}
        headers = {k: re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), ""), v) for k, v in headers.items()}
    client = _Client(flags, key, headers)
    found = Discovery(flags.base_url or "")
    status, body, error = client.call("GET", "/models")
    try:
        found.models = [str(m["id"]) for m in json.loads(body)["data"]] if status == 200 else []
    except (ValueError, KeyError, TypeError):
        found.models = []
    note = _describe(status, body, error)
    if found.models:
        note += f": {len(found.models)} model(s): {', '.join(found.models[:6])}{' …' if len(found.models) > 6 else ''}"
    found.probes.append(Probe("models", "GET", "/models", status, note))
    if status is None:
        raise UsageError(f"init: {flags.base_url} does not answer ({error}); is the server running?")
    embedders = [m for m in found.models if "embed" in m.lower()]
    found.chat_model = flags.model or next((m for m in found.models if m not in embedders), None)
    found.embedding_model = flags.embedding_model or (embedders[0] if embedders else None)
    if not found.chat_model:
        raise UsageError(f"init: no model found at {flags.base_url}/models; pass --model M")
    requests: list[tuple[str, str, str, dict[str, object] | None]] = [
        ("chat", "POST", "/chat/completions",
         {"model": found.chat_model, "messages": [{"role": "user", "content": PROMPT}], "max_tokens": 1}),
        ("responses", "POST", "/responses", {"model": found.chat_model, "input": PROMPT, "max_output_tokens": 16}),
        ("files", "GET", "/files", None),
        ("vector_stores", "GET", "/vector_stores", None),
    ]
    if found.embedding_model:
        requests.insert(1, ("embeddings", "POST", "/embeddings", {"model": found.embedding_model, "input": "OK"}))
    for surface, method, path, body_json in requests:
        status, body, error = client.call(method, path, body_json)
        found.probes.append(Probe(surface, method, path, status, _describe(status, body, error)))
    return found


def slug(url: str) -> str:
    """A profile name from a URL's host and port: `local-8000`, `api-example-com`."""
    parts = urlsplit(url)
    host = parts.hostname or "server"
    host = "local" if host in ("127.0.0.1", "localhost", "::1") else host
    name = re.sub(r"[^a-z0-9]+", "-", f"{host}-{parts.port}" if parts.port else host, flags=re.I).strip("-").lower()
    return name or "my-server"


def _toml(value: str) -> str:
    """A TOML basic string (JSON's escapes are a subset TOML reads)."""
    return json.dumps(value, ensure_ascii=False)


def render_profile(found: Discovery, flags: TargetFlags, name: str, now: datetime | None = None) -> str:
    """The commented profile TOML for a discovered server."""
    when = (now or datetime.now(timezone.utc)).strftime("%Y-%m-%d")
    answered = {p.surface for p in found.probes if p.answers}
    out = [f"# Target profile for {found.base_url}, written by `conformance init` on {when}.",
           "# Edit freely: every key is documented in the README's \"Profile reference\".",
           "# Discovery (one cheap request per surface; observations, not claims):"]
    out += [f"#   {p.line()}" for p in found.probes]
    out += ["#   conversations  not probed (a probe would create a conversation); the suite will tell",
            "#   realtime       not probed (WebSocket); set [models] realtime to test it", "",
            "# To start from a bundled profile's claims, models and options, uncomment:",
            '# extends = "openai"', "",
            "[target]", f"name = {_toml(name)}", f"title = {_toml(f'{name} at {found.base_url}')}",
            f"base_url = {_toml(found.base_url)}",
            f"origin = {_toml('described by conformance init; claims from its documentation, where filled in')}",
            "# docs = \"https://… (where the server documents its OpenAI compatibility)\"", "", "[auth]",
            f"scheme = {_toml(flags.auth or 'bearer')}"]
    refused = any(p.status in (401, 403) for p in found.probes)
    if flags.api_key_env:
        out.append(f"key_env = [{_toml(flags.api_key_env)}]")
    elif refused:
        out += ["# The server refused the dummy key below (HTTP 401/403): name the variable that holds yours.",
                "# key_env = [\"MY_API_KEY\"]", f"default_key = {_toml(NO_KEY)}"]
    else:
        out += ["# The server accepted this dummy key; a live run sends it. Name your key's variable instead:",
                f"default_key = {_toml(NO_KEY)}", "# key_env = [\"MY_API_KEY\"]"]
    headers, _, _ = parse_headers(flags.headers)
    if headers:
        out += ["", "[headers]"] + [f"{_toml(k)} = {_toml(v)}" for k, v in headers.items()]
    out += ["", "[models]", f"chat = {_toml(found.chat_model or '')}"]
    out.append(f"embeddings = {_toml(found.embedding_model)}" if found.embedding_model else
               "# embeddings = \"…\"   (no embedding model found: embeddings rows are SKIP)")
    out.append("# realtime = \"…\"")
    out += ["", "[options]", "embedding_dimensions = 16", "", "[claims]",
            "# What the server's documentation says, one line per feature (supported | partial | unsupported |",
            "# undocumented); features without a line are undocumented. Features of the surfaces that answered:"]
    for feature in FEATURES:
        if feature.surface.value in answered:
            out.append(f"# {_toml(feature.id)} = {{ claim = \"supported\", source = \"<docs page>\" }}")
    return "\n".join(out) + "\n"


def write_profile(path: Path, text: str, force: bool = False) -> None:
    """Write the profile, refusing to replace an existing file without --force; it must load back."""
    if path.exists() and not force:
        raise UsageError(f"init: {path} exists (pass --force to replace it, or --out another path)")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    load_profile(str(path))
