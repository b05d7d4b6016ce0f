"""Deterministic instances of small JSON schemas, for structured outputs and tool-call arguments."""

from __future__ import annotations

from typing import Any

_BY_TYPE: dict[str, Any] = {"string": "Ada", "integer": 36, "number": 1.5, "boolean": True, "null": None}
# Property-name hints, used only when they fit the declared type: `{"city": "Paris"}`, `add(a=2, b=3)`.
_BY_NAME: dict[str, Any] = {"city": "Paris", "name": "Ada", "a": 2, "b": 3}


def _fits(value: Any, kind: Any) -> bool:
    if isinstance(kind, list):
        return any(_fits(value, k) for k in kind)
    if kind == "string":
        return isinstance(value, str)
    if kind in ("integer", "number"):
        return isinstance(value, int) and not isinstance(value, bool)
    return False


def _first_type(schema: dict[str, Any]) -> str | None:
    kind = schema.get("type")
    if isinstance(kind, list):
        return next((k for k in kind if k != "null"), kind[0] if kind else None)
    if isinstance(kind, str):
        return kind
    if "properties" in schema:
        return "object"
    return None


def instance(schema: Any, name: str = "") -> Any:
    """A value valid against `schema` (const, enum, anyOf/oneOf, objects with all properties, scalars)."""
    if not isinstance(schema, dict):
        return {}
    if "const" in schema:
        return schema["const"]
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        return schema["enum"][0]
    for key in ("anyOf", "oneOf"):
        if isinstance(schema.get(key), list) and schema[key]:
            return instance(schema[key][0], name)
    kind = _first_type(schema)
    if name in _BY_NAME and _fits(_BY_NAME[name], schema.get("type")):
        return _BY_NAME[name]
    if kind == "object":
        props = schema.get("properties") or {}
        return {key: instance(sub, key) for key, sub in props.items()}
    if kind == "array":
        return []
    return _BY_TYPE.get(kind or "", {})
