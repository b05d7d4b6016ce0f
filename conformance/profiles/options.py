"""The `[options]` a profile may set, declared once: name, what it means, and the value it must have.

A profile is validated against this table when it loads, so a wrong type (`embedding_dimensions = "16"`,
`poll_timeout = "soon"`) or a misspelt name is one line naming the file and the key, before anything is sent.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ProfileOption:
    """One `[options]` key: `ok(value)` says whether a value is acceptable; `expects` says what is, for messages."""

    name: str
    help: str
    expects: str
    ok: Callable[[Any], bool]


def _positive_int(value: Any) -> bool:
    return type(value) is int and value > 0


def _seconds(value: Any) -> bool:
    return type(value) in (int, float) and math.isfinite(value) and value >= 0


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


# chat.models_usable sends one chat request per chat-capable listed model, at most this many (its declared cost).
MODELS_USABLE_DEFAULT = 3
MODELS_USABLE_MOST = 5


def _globs(value: Any) -> bool:
    return isinstance(value, list) and all(_text(v) for v in value)


def _usable_cap(value: Any) -> bool:
    return type(value) is int and 0 <= value <= MODELS_USABLE_MOST


PROFILE_OPTIONS: dict[str, ProfileOption] = {o.name: o for o in (
    ProfileOption("embedding_dimensions", "the `dimensions` asked for by embeddings.dimensions", "a positive integer",
                  _positive_int),
    ProfileOption("poll_timeout", "nominal seconds a flow keeps polling (background runs, vector-store indexing); "
                  "default 60", "a number of seconds (0 or more)", _seconds),
    ProfileOption("realtime_model", "the Realtime model (the [models] table has no realtime capability yet)",
                  "a non-empty string", _text),
    # issue 13 (part B)
    ProfileOption("chat_models", "glob patterns (fnmatch, case-sensitive) of the GET /models ids that are chat models; "
                  "chat.models_usable tries the matching ids", "a list of non-empty strings", _globs),
    ProfileOption("models_usable_max", f"how many chat-capable listed ids chat.models_usable tries (one tiny request "
                  f"each, sorted by id); default {MODELS_USABLE_DEFAULT}", f"an integer from 0 to {MODELS_USABLE_MOST}",
                  _usable_cap),
)}


def option_problem(name: str, value: Any) -> str:
    """'' when `name = value` is a valid option, else what is wrong (unknown name, or the value it must have)."""
    option = PROFILE_OPTIONS.get(name)
    if option is None:
        return f"unknown option (known: {', '.join(sorted(PROFILE_OPTIONS))})"
    if not option.ok(value):
        return f"must be {option.expects}, got {value!r} ({type(value).__name__})"
    return ""
