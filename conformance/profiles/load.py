"""Load and validate target profiles from TOML; every problem is one ProfileError naming file and key."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from ..catalogue import FEATURES
from ..errors import ProfileError
from ..verdicts import Claim
from .model import LOCAL_SERVER_KINDS as SERVER_KINDS
from .model import BudgetLimits, ClaimEntry, KeyKind, TargetProfile, Var
from .options import option_problem

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

BUILTIN_DIR = Path(__file__).parent / "builtin"
_TOP_KEYS = {"target", "auth", "vars", "headers", "endpoints", "models", "options", "claims", "budget"}
_BUDGET_KEYS = ("max_requests", "max_tokens")
# [target] keys a profile never inherits through `extends`: what makes it a different target.
_OWN_TARGET_KEYS = ("name", "title", "label", "origin", "local_server")
_CAPABILITIES = {"chat", "tools", "structured", "embeddings", "embeddings_query", "realtime"}
_SCHEMES = {"bearer", "api-key"}


def builtin_names() -> list[str]:
    """Names of the profiles shipped in the package."""
    return sorted(p.stem for p in BUILTIN_DIR.glob("*.toml"))


def _locate(name_or_path: str, relative_to: Path | None = None) -> Path:
    """A bundled profile by name, else a path (relative to the extending profile's folder when given)."""
    path = Path(name_or_path)
    if not path.suffix and (BUILTIN_DIR / f"{name_or_path}.toml").exists():
        return BUILTIN_DIR / f"{name_or_path}.toml"
    if relative_to is not None and not path.is_absolute():
        path = relative_to / path
    if not path.exists():
        raise ProfileError(str(path), "target", f"no such profile (bundled: {', '.join(builtin_names())})")
    return path


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ProfileError(str(path), "toml", f"not valid TOML: {exc}") from None


def _inherit(parent: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    """`child` over `parent`, table by table (a child's key wins); [target] keeps only the child's own identity."""
    merged = {key: dict(value) if isinstance(value, dict) else value for key, value in parent.items()}
    own_target = {k: v for k, v in merged.get("target", {}).items() if k not in _OWN_TARGET_KEYS}
    merged["target"] = own_target
    for key, value in child.items():
        base = merged.get(key)
        merged[key] = {**base, **value} if isinstance(base, dict) and isinstance(value, dict) else value
    merged["target"].pop("extends", None)
    return merged


def load_profile(name_or_path: str) -> TargetProfile:
    """Load a bundled profile by name, or a user profile by path; `[target] extends` inherits one other profile."""
    path = _locate(name_or_path)
    data = _read(path)
    parent = data.get("target", {}).get("extends") if isinstance(data.get("target"), dict) else None
    if parent is not None:
        if not isinstance(parent, str) or not parent:
            raise ProfileError(str(path), "target.extends", "must name a bundled profile or a profile path")
        try:
            parent_path = _locate(parent, path.parent)
        except ProfileError:
            raise ProfileError(str(path), "target.extends", f"no such profile {parent!r} (bundled: "
                                                            f"{', '.join(builtin_names())})") from None
        parent_data = _read(parent_path)
        if isinstance(parent_data.get("target"), dict) and "extends" in parent_data["target"]:
            raise ProfileError(str(path), "target.extends", f"{parent} extends another profile (one level only)")
        data = _inherit(parent_data, data)
    return parse_profile(data, str(path))


def _table(data: dict[str, Any], key: str, path: str, required: bool = True) -> dict[str, Any]:
    value = data.get(key)
    if value is None:
        if required:
            raise ProfileError(path, key, "missing table")
        return {}
    if not isinstance(value, dict):
        raise ProfileError(path, key, f"must be a table, got {type(value).__name__}")
    return value


def _str(table: dict[str, Any], key: str, where: str, path: str, default: str | None = None) -> str:
    value = table.get(key, default)
    if not isinstance(value, str) or (default is None and not value):
        raise ProfileError(path, f"{where}.{key}", "must be a non-empty string")
    return value


def parse_profile(data: dict[str, Any], path: str) -> TargetProfile:
    """Validate a parsed TOML document and build the profile."""
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise ProfileError(path, sorted(unknown)[0], f"unknown table (allowed: {', '.join(sorted(_TOP_KEYS))})")
    target = _table(data, "target", path)
    local_server = _str(target, "local_server", "target", path, "")
    if local_server and local_server not in SERVER_KINDS:
        raise ProfileError(path, "target.local_server", f"unknown local server {local_server!r} "
                                                        f"(known: {', '.join(SERVER_KINDS)})")
    auth = _table(data, "auth", path)
    scheme = _str(auth, "scheme", "auth", path)
    if scheme not in _SCHEMES:
        raise ProfileError(path, "auth.scheme", f"must be one of {sorted(_SCHEMES)}, got {scheme!r}")
    key_env = auth.get("key_env", [])
    if not isinstance(key_env, list) or not all(isinstance(e, str) for e in key_env):
        raise ProfileError(path, "auth.key_env", "must be a list of environment variable names")
    variables = tuple(_parse_var(name, spec, path) for name, spec in _table(data, "vars", path, False).items())
    key_kinds = tuple(_parse_key_kind(prefix, spec, path) for prefix, spec in _table(auth, "keys", path, False).items())
    roles = _str(auth, "roles", "auth", path, "")
    endpoints_raw = _table(data, "endpoints", path)
    default = _str(endpoints_raw, "default", "endpoints", path)
    endpoints: dict[str, dict[str, str]] = {}
    for gen, spec in endpoints_raw.items():
        if gen == "default":
            continue
        if not isinstance(spec, dict) or not isinstance(spec.get("base_url"), str):
            raise ProfileError(path, f"endpoints.{gen}.base_url", "must be a string URL")
        if not all(isinstance(v, str) for v in spec.values()):
            raise ProfileError(path, f"endpoints.{gen}", "every value must be a URL string")
        endpoints[gen] = dict(spec)
    if default not in endpoints:
        raise ProfileError(path, "endpoints.default", f"names no endpoint generation (have: {sorted(endpoints)})")
    models = _table(data, "models", path, False)
    for cap, model in models.items():
        if cap not in _CAPABILITIES:
            raise ProfileError(path, f"models.{cap}", f"unknown capability (allowed: {sorted(_CAPABILITIES)})")
        if not isinstance(model, str):
            raise ProfileError(path, f"models.{cap}", "must be a model id string")
    headers = _table(data, "headers", path, False)
    if not all(isinstance(v, str) for v in headers.values()):
        raise ProfileError(path, "headers", "every header value must be a string")
    options = _table(data, "options", path, False)
    budget = _table(data, "budget", path, False)
    for key, value in budget.items():
        if key not in _BUDGET_KEYS:
            raise ProfileError(path, f"budget.{key}", f"unknown key (allowed: {', '.join(_BUDGET_KEYS)})")
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ProfileError(path, f"budget.{key}", "must be a whole number of 1 or more")
    for name, value in options.items():
        problem = option_problem(name, value)
        if problem:
            raise ProfileError(path, f"options.{name}", problem)
    claims = {fid: _parse_claims(fid, spec, path) for fid, spec in _table(data, "claims", path, False).items()}
    return TargetProfile(
        name=_str(target, "name", "target", path),
        title=_str(target, "title", "target", path),
        path=path,
        docs=_str(target, "docs", "target", path, ""),
        origin=_str(target, "origin", "target", path, ""),
        local_server=local_server,
        label=_str(target, "label", "target", path, ""),
        key_kinds=key_kinds,
        roles=roles,
        budget=BudgetLimits(budget.get("max_requests"), budget.get("max_tokens")),
        auth_scheme=scheme,
        key_env=tuple(key_env),
        default_key=auth.get("default_key"),
        endpoints=endpoints,
        default_endpoint=default,
        headers=dict(headers),
        models=dict(models),
        variables=variables,
        options=dict(options),
        claims=claims,
    )


def _parse_var(name: str, spec: Any, path: str) -> Var:
    if not isinstance(spec, dict):
        raise ProfileError(path, f"vars.{name}", "must be a table like { env = \"NAME\", secret = true }")
    env = _str(spec, "env", f"vars.{name}", path)
    pattern = _str(spec, "pattern", f"vars.{name}", path, "")
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ProfileError(path, f"vars.{name}.pattern", f"not a regular expression ({exc})") from None
    return Var(name, env, bool(spec.get("secret", True)), spec.get("placeholder", f"<{name.upper()}>"),
               spec.get("default"), pattern, _str(spec, "kind", f"vars.{name}", path, ""))


def _parse_key_kind(prefix: str, spec: Any, path: str) -> KeyKind:
    where = f"auth.keys.{prefix}"
    if not isinstance(spec, dict):
        raise ProfileError(path, where, "must be a table like { kind = \"API key\", schemes = [\"bearer\"] }")
    schemes = spec.get("schemes", [])
    if not isinstance(schemes, list) or not schemes or any(s not in _SCHEMES for s in schemes):
        raise ProfileError(path, f"{where}.schemes", f"must list schemes among {sorted(_SCHEMES)}")
    return KeyKind(prefix, _str(spec, "kind", where, path), tuple(schemes), _str(spec, "source", where, path, ""))


def _parse_claims(feature_id: str, spec: Any, path: str) -> tuple[ClaimEntry, ...]:
    if feature_id not in FEATURES:
        raise ProfileError(path, f"claims.{feature_id}", "not a catalogue feature id")
    items = spec if isinstance(spec, list) else [spec]
    entries = []
    for item in items:
        if not isinstance(item, dict) or "claim" not in item:
            raise ProfileError(path, f"claims.{feature_id}", "must be { claim = \"...\", source = \"...\" }")
        try:
            claim = Claim(item["claim"])
        except ValueError:
            allowed = ", ".join(c.value for c in Claim)
            problem = f"{item['claim']!r} is not one of {allowed}"
            raise ProfileError(path, f"claims.{feature_id}.claim", problem) from None
        entries.append(ClaimEntry(claim, str(item.get("source", ""))))
    return tuple(entries)
