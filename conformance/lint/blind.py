"""Which JSON keys a schema checks by type only, so that two values of the same type validate the same way.

A string (or integer) value is judged only by the keywords at its own schema position: `type`, and the
branches of anyOf/oneOf/allOf/not/$ref/if-then-else; `properties` and `items` apply to objects and arrays only.
A key is *blind* when, at every position the schema gives it, none of those keywords looks at the content
(enum, const, pattern, format, lengths for strings; enum, const, bounds, multipleOf for integers). Keys the
schema never names are blind too, unless some additionalProperties/patternProperties schema could judge them.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from ..schemas import validator

STRING_WORDS = frozenset({"enum", "const", "pattern", "format", "minLength", "maxLength", "contentEncoding",
                          "contentMediaType"})
INTEGER_WORDS = frozenset({"enum", "const", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
                           "multipleOf"})
_BRANCHES = ("anyOf", "oneOf", "allOf")
Schema = bool | Mapping[str, Any]  # a JSON Schema document: an object, or true / false


def _resolve(root: Schema, ref: str) -> Any:
    node: Any = root
    for part in ref.lstrip("#/").split("/"):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _blind(root: Schema, node: Any, words: frozenset[str], seen: frozenset[str] = frozenset()) -> bool:
    """True when no keyword at this position (following branches and refs) looks at a scalar's content."""
    if not isinstance(node, dict):
        return isinstance(node, bool)
    if words & node.keys():
        return False
    ref = node.get("$ref")
    if isinstance(ref, str):
        if not ref.startswith("#") or ref in seen:
            return ref in seen
        if not _blind(root, _resolve(root, ref), words, seen | {ref}):
            return False
    branches = [b for key in _BRANCHES for b in node.get(key) or []]
    branches += [node[key] for key in ("not", "if", "then", "else") if key in node]
    return all(_blind(root, b, words, seen) for b in branches)


def _walk(node: Any) -> list[dict[str, Any]]:
    found, stack = [], [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            found.append(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


@cache
def blind_keys(schema_name: str) -> tuple[frozenset[str], frozenset[str], frozenset[str], bool]:
    """(keys blind for strings, keys blind for integers, every key named, whether unnamed keys are blind)."""
    root = validator(schema_name).schema
    strings: dict[str, bool] = {}
    integers: dict[str, bool] = {}
    unnamed = True
    for node in _walk(root):
        for key, sub in (node.get("properties") or {}).items() if isinstance(node.get("properties"), dict) else ():
            strings[key] = strings.get(key, True) and _blind(root, sub, STRING_WORDS)
            integers[key] = integers.get(key, True) and _blind(root, sub, INTEGER_WORDS)
        extra = node.get("additionalProperties")
        if "patternProperties" in node or "propertyNames" in node or (
                isinstance(extra, dict) and not (_blind(root, extra, STRING_WORDS) and
                                                 _blind(root, extra, INTEGER_WORDS))):
            unnamed = False
    return (frozenset(k for k, v in strings.items() if v), frozenset(k for k, v in integers.items() if v),
            frozenset(strings), unnamed)
