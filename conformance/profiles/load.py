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
from .schema import AUTH_SCHEMES, CAPABILITIES, TABLES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

BUILTIN_DIR = Path(__file__).parent / "builtin"
_TOP_KEYS = {name for name in TABLES if name} | set(TABLES[""].key_names)
_CAPABILITIES = set(CAPABILITIES)
_SCHEMES = set(AUTH_SCHEMES)
_MAX_EXTENDS = 8
# [target] keys a profile never inherits through `extends`: what makes it a different target.
_OWN_TARGET_KEYS = ("name", "title", "label", "origin", "local_server")
_BUDGET_KEYS = TABLES["budget"].key_names


def builtin_names() -> list[str]:
    """Names of the profiles shipped in the package."""
    return sorted(p.stem for p in BUILTIN_DIR.glob("*.toml"))


def profile_path(name_or_path: str, relative_to: Path | None = None) -> Path:
    """The file of a bundled profile name, or a path (relative to `relative_to`'s folder when given)."""
    path = Path(name_or_path)
    if not path.suffix and (BUILTIN_DIR / f"{name_or_path}.toml").exists():
        return BUILTIN_DIR / f"{name_or_path}.toml"
    if relative_to is not None and not path.is_absolute():
        return relative_to.parent / path
    return path


def _read(path: Path, where: str) -> dict[str, Any]:
    if not path.is_file():
        raise ProfileError(where, "target" if where == str(path) else "extends",
                           f"no such profile {str(path)!r} (bundled: {', '.join(builtin_names())})")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ProfileError(str(path), "toml", f"not valid TOML: {exc}") from None


def load_profile(name_or_path: str) -> TargetProfile:
    """Load a bundled profile by name, or a user profile by path (following `extends`)."""
    path = profile_path(name_or_path)
    return parse_profile(resolve_extends(_read(path, str(path)), path), str(path))


def resolve_extends(data: dict[str, Any], path: Path, depth: int = 0) -> dict[str, Any]:
    """The profile data with its `extends` base merged in (recursively); this file wins key by key.

    `extends` stands at the top level; `[target] extends` is accepted as the same key, written inside [target].
    """
    key = "extends"
    target = data.get("target")
    if isinstance(target, dict) and "extends" in target:
        if "extends" in data:
            raise ProfileError(str(path), "target.extends", "give `extends` once, at the top level")
        key = "target.extends"
        data = {**data, "extends": target["extends"], "target": {k: v for k, v in target.items() if k != "extends"}}
    base_ref = data.get("extends")
    if base_ref is None:
        return data
    if not isinstance(base_ref, str) or not base_ref:
        raise ProfileError(str(path), key, "must be a bundled profile name or a path (a string)")
    if depth >= _MAX_EXTENDS:
        raise ProfileError(str(path), key, f"more than {_MAX_EXTENDS} levels (a cycle?)")
    base_path = profile_path(base_ref, relative_to=path)
    if not base_path.is_file():
        raise ProfileError(str(path), key, f"no such profile {base_ref!r} (bundled: {', '.join(builtin_names())})")
    base = resolve_extends(_read(base_path, str(path)), base_path, depth + 1)
    return merge_profile_data(base, data)


def merge_profile_data(base: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    """Merge a base profile's tables under a child's: key by key, child wins; endpoints are replaced whole.

    The base's identity (`name`, `title`, `label`, `origin`, `local_server`) is dropped: it belongs to that target.
    """
    merged: dict[str, Any] = {}
    child_endpoints = "endpoints" in child or "base_url" in (child.get("target") or {})
    for key in _TOP_KEYS - {"extends"}:
        mine, theirs = child.get(key), base.get(key)
        if key == "endpoints" and child_endpoints:
            theirs = None
        if key == "target" and isinstance(theirs, dict):  # a target's identity is its own, never inherited
            dropped = {*_OWN_TARGET_KEYS, "base_url"} if child_endpoints else set(_OWN_TARGET_KEYS)
            theirs = {k: v for k, v in theirs.items() if k not in dropped}
        if isinstance(mine, dict) and isinstance(theirs, dict):
            merged[key] = {**theirs, **mine}
        elif mine is not None:
            merged[key] = mine
        elif theirs is not None:
            merged[key] = theirs
    merged.update({k: v for k, v in child.items() if k not in merged and k != "extends"})
    return merged


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


def _known_keys(table: dict[str, Any], name: str, path: str) -> None:
    allowed = TABLES[name].key_names
    unknown = sorted(set(table) - set(allowed))
    if unknown:
        raise ProfileError(path, f"{name}.{unknown[0]}", f"unknown key (allowed: {', '.join(allowed)})")


def _endpoints(data: dict[str, Any], target: dict[str, Any], path: str) -> tuple[dict[str, dict[str, str]], str]:
    """Endpoint generations and the default one; a single `[target] base_url` is the generation "default"."""
    single = target.get("base_url")
    if single is not None:
        if "endpoints" in data:
            raise ProfileError(path, "target.base_url", "give either [target] base_url or an [endpoints] table")
        if not isinstance(single, str) or not single:
            raise ProfileError(path, "target.base_url", "must be a non-empty URL string")
        return {"default": {"base_url": single}}, "default"
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
    return endpoints, default


def parse_profile(data: dict[str, Any], path: str) -> TargetProfile:
    """Validate a parsed TOML document (its `extends` already merged) and build the profile."""
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise ProfileError(path, sorted(unknown)[0], f"unknown table (allowed: {', '.join(sorted(_TOP_KEYS))})")
    target = _table(data, "target", path)
    _known_keys(target, "target", path)
    local_server = _str(target, "local_server", "target", path, "")
    if local_server and local_server not in SERVER_KINDS:
        raise ProfileError(path, "target.local_server", f"unknown local server {local_server!r} "
                                                        f"(known: {', '.join(SERVER_KINDS)})")
    auth = _table(data, "auth", path)
    _known_keys(auth, "auth", path)
    scheme = _str(auth, "scheme", "auth", path)
    if scheme not in _SCHEMES:
        raise ProfileError(path, "auth.scheme", f"must be one of {sorted(_SCHEMES)}, got {scheme!r}")
    key_env = auth.get("key_env", [])
    if not isinstance(key_env, list) or not all(isinstance(e, str) for e in key_env):
        raise ProfileError(path, "auth.key_env", "must be a list of environment variable names")
    variables = tuple(_parse_var(name, spec, path) for name, spec in _table(data, "vars", path, False).items())
    key_kinds = tuple(_parse_key_kind(prefix, spec, path) for prefix, spec in _table(auth, "keys", path, False).items())
    roles = _str(auth, "roles", "auth", path, "")
    endpoints, default = _endpoints(data, target, path)
    default_key = auth.get("default_key")
    if default_key is not None and not isinstance(default_key, str):
        raise ProfileError(path, "auth.default_key", "must be a string")
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
    for name, value in options.items():
        problem = option_problem(name, value)
        if problem:
            raise ProfileError(path, f"options.{name}", problem)
    budget = _table(data, "budget", path, False)
    _known_keys(budget, "budget", path)
    for key, value in budget.items():
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ProfileError(path, f"budget.{key}", "must be a whole number of 1 or more")
    claims = {fid: _parse_claims(fid, spec, path) for fid, spec in _table(data, "claims", path, False).items()}
    model_limits = _table(data, "model_limits", path, False)
    for fid, why in model_limits.items():
        if fid not in FEATURES:
            raise ProfileError(path, f"model_limits.{fid}", "not a catalogue feature id")
        if not isinstance(why, str) or not why:
            raise ProfileError(path, f"model_limits.{fid}", "must be a non-empty string saying why")
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
        default_key=default_key,
        endpoints=endpoints,
        default_endpoint=default,
        headers=dict(headers),
        models=dict(models),
        variables=variables,
        options=dict(options),
        claims=claims,
        model_limits=dict(model_limits),
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
