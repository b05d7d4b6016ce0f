"""TargetProfile: where a target lives, how to authenticate, which models to use, what its docs claim."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from ..verdicts import Claim

_VAR = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
# Local servers a profile may ask for (`[target] local_server`); conformance.servers knows how to start each.
LOCAL_SERVER_KINDS = ("reference", "llamacpp", "prism")


@dataclass(frozen=True)
class ClaimEntry:
    """One documented statement about a feature, with its source."""

    claim: Claim
    source: str


@dataclass(frozen=True)
class Var:
    """A template variable filled from the environment; secret ones are scrubbed from recordings."""

    name: str
    env: str
    secret: bool
    placeholder: str
    default: str | None = None


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
    # Literal secret values (e.g. command-line header values) -> placeholder, scrubbed like the key.
    literal_secrets: dict[str, str] = field(default_factory=dict)

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

    def api_key(self, *, replay: bool) -> str:
        """The API key from the first set env var; a dummy in replay; the profile default otherwise."""
        for env in self.key_env:
            if os.environ.get(env):
                return os.environ[env]
        if self.default_key:
            return self.default_key
        return "replay-without-key" if replay else ""

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
