"""Cached validators over the generated wire schemas; validation returns violations, never raises."""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

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


def violations(name: str, instance: Any, limit: int = 5) -> list[tuple[str, str]]:
    """(JSON path, message) for each way the instance breaks the schema, first `limit` only."""
    found = []
    for error in validator(name).iter_errors(instance):
        path = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
        found.append((path, error.message))
        if len(found) >= limit:
            break
    return found
