"""TargetProfile: where a target lives, how to authenticate, which models to use, what its docs claim."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from ..verdicts import Claim

_VAR = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
# Local servers a profile may ask for (`[target] local_server`); conformance.servers knows how to start each.
# Real servers ("peers", conformance.servers.peers) are kinds too, installed by `python -m conformance.servers.peers`.
PEER_KINDS = ("vllm", "transformers-serve", "litellm", "llama-cpp-python", "infinity", "open-responses-server")
LOCAL_SERVER_KINDS = ("reference", "llamacpp", "prism", "yandex-stand-in", *PEER_KINDS)
# Capabilities that use the chat model when the profile names none of their own.
MODEL_FALLBACK = {"tools": "chat", "structured": "chat"}


@dataclass(frozen=True)
class ClaimEntry:
    """One documented statement about a feature, with its source."""

    claim: Claim
    source: str


@dataclass(frozen=True)
class BudgetLimits:
    """A profile's default budget for live and record runs (`[budget]`); None means no limit."""

    max_requests: int | None = None
    max_tokens: int | None = None


@dataclass(frozen=True)
class Var:
    """A template variable filled from the environment; secret ones are scrubbed from recordings.

    `pattern` (a regular expression) and `kind` describe what a right value looks like, for `conformance doctor`.
    """

    name: str
    env: str
    secret: bool
    placeholder: str
    default: str | None = None
    pattern: str = ""
    kind: str = ""


@dataclass(frozen=True)
class KeyKind:
    """A kind of credential told by its prefix (`[auth.keys]`), and the auth schemes it may be sent with."""

    prefix: str
    kind: str
    schemes: tuple[str, ...]
    source: str = ""


@dataclass(frozen=True)
class TargetProfile:
    """A parsed target profile (see conformance/profiles/builtin/*.toml for the documented format)."""

    name: str
    title: str
    path: str
    docs: str
    origin: str
    auth_scheme: str
    key_env: tuple[str, ...]
    default_key: str | None
    endpoints: dict[str, dict[str, str]]
    default_endpoint: str
    headers: dict[str, str]
    models: dict[str, str]
    variables: tuple[Var, ...]
    options: dict[str, int | str | bool]
    claims: dict[str, tuple[ClaimEntry, ...]] = field(default_factory=dict)
    local_server: str = ""  # a conformance.servers kind started for live/record runs ("" = none)
    label: str = ""  # the report column's label ("" = the name)
    key_kinds: tuple[KeyKind, ...] = ()  # [auth.keys]: credential kinds by prefix, for `conformance doctor`
    roles: str = ""  # [auth] roles: the roles and scopes a key needs (explains a 403)
    budget: BudgetLimits = field(default_factory=lambda: BudgetLimits())  # [budget]: live/record default limits
    # Literal secret values (e.g. command-line header values) -> placeholder, scrubbed like the key.
    literal_secrets: dict[str, str] = field(default_factory=dict)
    # [model_limits]: feature id -> why the local server's tiny model cannot exercise that row.
    model_limits: dict[str, str] = field(default_factory=dict)

    @property
    def column(self) -> str:
        """The label of this target's report column."""
        return self.label or self.name

    def claim(self, feature_id: str) -> Claim:
        """The primary claim for a feature (UNDOCUMENTED when the profile says nothing)."""
        entries = self.claims.get(feature_id)
        return entries[0].claim if entries else Claim.UNDOCUMENTED

    def claim_entries(self, feature_id: str) -> tuple[ClaimEntry, ...]:
        """All documented statements for a feature, primary first."""
        return self.claims.get(feature_id, ())

    def var_values(self, *, replay: bool) -> dict[str, str]:
        """Variable values from the environment; in replay missing ones become their placeholders."""
        values: dict[str, str] = {}
        for var in self.variables:
            value = os.environ.get(var.env) or var.default
            if not value:
                value = var.placeholder if replay else ""
            values[var.name] = value
        return values

    def missing_env(self) -> list[str]:
        """Environment variables a live run needs but that are not set."""
        missing = [v.env for v in self.variables if not (os.environ.get(v.env) or v.default)]
        if self.key_env and not self.default_key and not any(os.environ.get(e) for e in self.key_env):
            missing.append(" or ".join(self.key_env))
        return missing

    def model_template(self, capability: str) -> str | None:
        """The model template for a capability (tools and structured fall back to chat; "none" needs none)."""
        if capability == "none":
            return ""
        return self.models.get(capability) or self.models.get(MODEL_FALLBACK.get(capability, ""))

    def key_kind(self, key: str) -> KeyKind | None:
        """The credential kind a key's prefix says it is (None when no declared prefix matches)."""
        return next((k for k in self.key_kinds if key.startswith(k.prefix)), None)

    def auth_header(self, key: str) -> str:
        """The Authorization header value sent with `key` (the SDK sends Bearer; api-key replaces it)."""
        return f"Api-Key {key}" if self.auth_scheme == "api-key" else f"Bearer {key}"

    def request_headers(self, values: dict[str, str], key: str) -> dict[str, str]:
        """Headers added to every request: the rendered [headers], and Authorization when the SDK's Bearer is wrong."""
        headers = {k: self.render(v, values) for k, v in self.headers.items()}
        if self.auth_scheme == "api-key":
            headers["Authorization"] = self.auth_header(key)
        return headers

    def api_key(self, *, replay: bool) -> str:
        """The API key from the first set env var; a dummy in replay; the profile default otherwise."""
        for env in self.key_env:
            if os.environ.get(env):
                return os.environ[env]
        if self.default_key:
            return self.default_key
        return "replay-without-key" if replay else ""

    def key_source(self) -> str:
        """Where the API key comes from, for messages: `YC_API_KEY`, `the profile's default_key` or `no key set`."""
        for env in self.key_env:
            if os.environ.get(env):
                return env
        if self.default_key:
            return "the profile's default_key"
        return f"no key set ({' or '.join(self.key_env)} empty)" if self.key_env else "no key configured"

    def render(self, template: str, values: dict[str, str]) -> str:
        """Fill `{var}` placeholders in a template."""
        return _VAR.sub(lambda m: values.get(m.group(1), m.group(0)), template)

    def base_url(self, surface: str, endpoint: str | None = None) -> str:
        """Base URL for a surface under an endpoint generation (falls back to the generation's base_url)."""
        generation = self.endpoints[endpoint or self.default_endpoint]
        return generation.get(surface) or generation["base_url"]

    def secrets(self, *, replay: bool) -> dict[str, str]:
        """Secret values (key, secret vars) mapped to the placeholder that replaces them in recordings."""
        found: dict[str, str] = {}
        key = self.api_key(replay=replay)
        if key and key != self.default_key:
            found[key] = "<API_KEY>"
        for var in self.variables:
            value = os.environ.get(var.env)
            if var.secret and value:
                found[value] = var.placeholder
        found.update(self.literal_secrets)
        return found
