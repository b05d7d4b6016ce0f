"""The generated requests' replayable examples, from a cached, versioned file (`generated_examples.json`).

Computing the examples needs hypothesis and a fresh interpreter (see `generation.py`), about a second on every
run. The file holds them with the key they were computed under: the hypothesis version and a digest of the
strategies' source. When the key matches, replay and record read the file (no hypothesis import, no subprocess);
when it does not, the examples are computed afresh as before. `nox -s examples` rewrites it (`write_cache()`),
and a self-test keeps it equal to a fresh computation.
"""

from __future__ import annotations

import hashlib
import json
from importlib.metadata import version
from pathlib import Path
from typing import Any

CACHE = Path(__file__).with_name("generated_examples.json")
SOURCE = Path(__file__).with_name("generation.py")


def cache_key() -> dict[str, str]:
    """What the examples depend on: the (exactly pinned) hypothesis version and the strategies' source."""
    return {"hypothesis": version("hypothesis"), "strategies": hashlib.sha256(SOURCE.read_bytes()).hexdigest()[:16]}


def cached() -> list[Any] | None:
    """The cached examples when the file's key matches this install, else None."""
    try:
        data = json.loads(CACHE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("key") != cache_key() or not isinstance(data.get("examples"), list):
        return None
    return [tuple(case) for case in data["examples"]]


def fresh() -> list[Any]:
    """Compute the examples in a clean interpreter (generation.replay_examples)."""
    from .generation import replay_examples

    return replay_examples()


def examples(explore: int = 0) -> list[Any]:
    """Replayable examples (cached, else fresh), or `explore` random ones drawn in-process (live only)."""
    if explore:
        from .generation import random_examples

        return random_examples(explore)
    found = cached()
    return found if found is not None else fresh()


def write_cache() -> Path:
    """Recompute the examples in a clean interpreter and store them with their key."""
    data = {"key": cache_key(), "examples": fresh()}
    CACHE.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return CACHE
