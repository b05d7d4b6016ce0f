"""Targets from command-line flags: an ad-hoc target with no profile file, or flags that adjust a loaded profile.

`conformance run --base-url URL --model M` builds the "ad-hoc" target here: one base URL for every surface,
claims "undocumented" (or a bundled profile's with `--claims openai`), the key from `--api-key-env`.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..errors import UsageError
from .load import load_profile
from .model import TargetProfile, Var
from .schema import AUTH_SCHEMES

ADHOC_NAME = "ad-hoc"
NO_KEY = "sk-no-key"  # sent when no --api-key-env is given: local servers often want some key, any key
_ENV_REF = re.compile(r"^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$")
_HEADER_NAME = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]+$")
MIN_SECRET = 8  # literal header values this long are scrubbed from recordings like a key


@dataclass(frozen=True)
class TargetFlags:
    """The flags that describe an ad-hoc target (no --target) or adjust the one --target names."""

    base_url: str | None = None
    model: str | None = None
    embedding_model: str | None = None
    api_key_env: str | None = None
    auth: str | None = None
    headers: tuple[str, ...] = ()
    claims: str | None = None

    def adjusting(self) -> list[str]:
        """The flags given, by name (for messages)."""
        return [f"--{f.name.replace('_', '-')}" for f in dataclasses.fields(self) if getattr(self, f.name)]


def parse_headers(items: tuple[str, ...]) -> tuple[dict[str, str], tuple[Var, ...], dict[str, str]]:
    """`K=V` items -> header templates, the variables `${ENV}` values refer to, and literal values to scrub."""
    headers: dict[str, str] = {}
    variables: list[Var] = []
    secrets: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not _HEADER_NAME.match(name):
            raise UsageError(f"--header {item!r}: expected NAME=VALUE (e.g. --header 'OpenAI-Project=${{PROJECT}}')")
        ref = _ENV_REF.match(value)
        if ref:
            var = f"header_{len(variables)}"
            variables.append(Var(var, ref.group(1), True, f"<{ref.group(1)}>"))
            headers[name] = "{" + var + "}"
        else:
            headers[name] = value
            if len(value) >= MIN_SECRET:
                secrets[value] = f"<{name.upper().replace('-', '_')}>"
    return headers, tuple(variables), secrets


def _host(url: str) -> str:
    """host[:port] of a URL, never its user info, path or query."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"--base-url {url!r}: expected an http(s) URL such as http://127.0.0.1:8000/v1")
    return f"{parts.hostname}:{parts.port}" if parts.port else parts.hostname


def adhoc_profile(flags: TargetFlags) -> TargetProfile:
    """The ad-hoc target: every surface at --base-url, claims undocumented unless --claims names a profile."""
    if not flags.base_url:
        raise UsageError("an ad-hoc target needs --base-url (or name a profile with --target)")
    host = _host(flags.base_url)
    claims = load_profile(flags.claims).claims if flags.claims else {}
    claimed = f"claims from the {flags.claims} profile" if flags.claims else "claims undocumented"
    profile = TargetProfile(
        name=ADHOC_NAME, title=f"ad-hoc target at {host}", path="(command line)", docs="",
        origin=f"ad-hoc target from command-line flags (no profile file); {claimed}",
        auth_scheme="bearer", key_env=(), default_key=NO_KEY,
        endpoints={"default": {"base_url": flags.base_url}}, default_endpoint="default", headers={}, models={},
        variables=(), options={"embedding_dimensions": 16}, claims=dict(claims),
    )
    return adjust(profile, dataclasses.replace(flags, base_url=None, claims=None))


def adjust(profile: TargetProfile, flags: TargetFlags) -> TargetProfile:
    """A loaded profile with the flags applied: models, auth, key variable, extra headers.

    `--base-url` is not applied here: the run settings point every surface at it (endpoints.resolve_endpoints).
    """
    if flags.claims:
        raise UsageError(f"--claims is for an ad-hoc target (no --target); profile {profile.name} has its own "
                         "[claims] (a profile can `extends = \"...\"` another one's)")
    changes: dict[str, object] = {}
    models = dict(profile.models)
    if flags.model:
        models.update(chat=flags.model, tools=flags.model, structured=flags.model)
    if flags.embedding_model:
        models.update(embeddings=flags.embedding_model, embeddings_query=flags.embedding_model)
    changes["models"] = models
    if flags.auth:
        if flags.auth not in AUTH_SCHEMES:
            raise UsageError(f"--auth {flags.auth!r}: must be one of {', '.join(AUTH_SCHEMES)}")
        changes["auth_scheme"] = flags.auth
    if flags.api_key_env:
        changes.update(key_env=(flags.api_key_env,), default_key=None)
    if flags.headers:
        headers, variables, secrets = parse_headers(flags.headers)
        changes.update(headers={**profile.headers, **headers}, variables=(*profile.variables, *variables),
                       literal_secrets={**profile.literal_secrets, **secrets})
    return dataclasses.replace(profile, **changes)  # type: ignore[arg-type]
