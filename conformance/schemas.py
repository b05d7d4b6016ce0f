"""Cached validators over the generated wire schemas; validation returns violations, never raises."""

from __future__ import annotations

import json
import os
import re
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

_CANDIDATES = (
    Path(__file__).resolve().parent / "_data" / "schemas",  # installed wheel
    Path(__file__).resolve().parent.parent / "schemas",  # source checkout
)


def schema_dir() -> Path:
    """Where the schema files are ($CONFORMANCE_SCHEMA_DIR first: `nox -s drift` grades with newer shapes)."""
    override = os.environ.get("CONFORMANCE_SCHEMA_DIR")
    if override:
        return Path(override)
    for candidate in _CANDIDATES:
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("schemas/ not found next to the conformance package")


@cache
def schema(name: str) -> dict[str, Any]:
    """The parsed schemas/<name>.json."""
    loaded: dict[str, Any] = json.loads((schema_dir() / f"{name}.json").read_text(encoding="utf-8"))
    return loaded


@cache
def validator(name: str) -> Draft202012Validator:
    """A compiled validator for schemas/<name>.json."""
    return Draft202012Validator(schema(name))


def json_path(parts: Any) -> str:
    """`$.a[0].b` for a jsonschema path deque."""
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts)


def _type_only(errors: list[ValidationError], depth: int) -> bool:
    """A branch the instance is not even of the type of (a `type` error at the parent's own path)."""
    return all(e.validator == "type" and len(e.absolute_path) == depth for e in errors)


def _leaves(error: ValidationError) -> list[ValidationError]:
    """A failed anyOf/oneOf is replaced by the errors of its closest branch (one the value's type fits, fewest
    errors), recursively; so `usage` that misses a sub-object says which, not "not valid under any schema"."""
    if not error.context:
        return [error]
    branches: dict[Any, list[ValidationError]] = {}
    for sub in error.context:
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    depth = len(error.absolute_path)
    fitting = [errors for errors in branches.values() if not _type_only(errors, depth)]
    if not fitting:
        return [error]
    closest = min(fitting, key=len)
    return [leaf for sub in closest for leaf in _leaves(sub)]


def violations(name: str, instance: Any, limit: int | None = None) -> list[tuple[str, str]]:
    """(JSON path, message) for every way the instance breaks the schema, the most specific (deepest) first.

    Nothing is dropped unless `limit` asks for it: reports group them by path (failures.grouped).
    """
    found: list[tuple[int, str, str]] = []
    for error in validator(name).iter_errors(instance):
        for leaf in _leaves(error):
            found.append((len(leaf.absolute_path), json_path(leaf.absolute_path), leaf.message))
    ordered = [(path, message) for _depth, path, message in sorted(found, key=lambda f: -f[0])]
    unique = list(dict.fromkeys(ordered))
    return unique if limit is None else unique[:limit]


Defect = tuple[str, str, str]  # (path with list indices as [*], schema keyword, what the schema asks there)


def defects(name: str, instance: Any) -> frozenset[Defect]:
    """Every way the instance breaks the schema, independent of the instance's values: two answers with the same
    shape defect (a missing sub-object, a wrong type at one place) give the same entries, whatever they hold."""
    found = set()
    for error in validator(name).iter_errors(instance):
        for leaf in _leaves(error):
            where = re.sub(r"\[\d+\]", "[*]", json_path(leaf.absolute_path))
            found.add((where, str(leaf.validator), json.dumps(leaf.validator_value, sort_keys=True, default=str)[:200]))
    return frozenset(found)
