"""Hypothesis strategies for generated requests, and their replayable examples.

Replayable by construction: derandomized, a fixed example count, the generate phase only (no shrinking), no
example database, and computed in a fresh isolated interpreter (`python -I generation.py`) because hypothesis'
derandomized engine was seen to draw differently inside a process that had loaded other plugins; runs read them
from the cached file instead (`conformance.probes.examples`). The live-only `explore` count switches to random,
larger exploration in-process, which is never recorded.
This module imports nothing but hypothesis so that the subprocess stays fast.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

REPLAY_EXAMPLES = 4
_NAMES = st.from_regex(r"[a-z][a-z_]{2,9}", fullmatch=True)
_CYRILLIC = st.text(st.characters(min_codepoint=0x410, max_codepoint=0x44F), min_size=1, max_size=10)
_WORDS = st.one_of(_CYRILLIC, st.sampled_from(["naïve café", "Ελληνικά", "日本語", "emoji 🚀", "Zürich"]))
_LEAF = st.one_of(
    st.just({"type": "string"}), st.just({"type": "integer"}), st.just({"type": "number"}),
    st.just({"type": "boolean"}), st.lists(_WORDS, min_size=1, max_size=3, unique=True).map(
        lambda values: {"type": "string", "enum": values}),
    st.just({"type": "array", "items": {"type": "string"}}),
)


def _object(children: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    """A strict object: every property required, no additional properties (OpenAI's strict subset)."""
    return st.dictionaries(_NAMES, children, min_size=1, max_size=3).map(
        lambda props: {"type": "object", "properties": props, "required": sorted(props),
                       "additionalProperties": False})


SCHEMAS = _object(st.one_of(_LEAF, _object(_LEAF)))
PROMPTS = st.builds(lambda w: f"Заполни каждое поле. Тема: {w}. Reply with JSON only.", _WORDS)
PARAMS = st.fixed_dictionaries({"temperature": st.sampled_from([0.0, 0.3, 0.7, 1.0]),
                                "max_tokens": st.integers(min_value=48, max_value=96)})
CASES = st.tuples(SCHEMAS, PROMPTS, PARAMS)


def _collect(explore: int) -> list[Any]:
    """Draw the cases with the replay settings (explore=0) or `explore` random ones."""
    found: list[Any] = []

    @settings(max_examples=explore or REPLAY_EXAMPLES, derandomize=not explore, database=None,
              phases=[Phase.generate], deadline=None, suppress_health_check=list(HealthCheck))
    @given(CASES)
    def collect(value: Any) -> None:
        if value not in found:
            found.append(value)

    collect()
    return found[: explore or REPLAY_EXAMPLES]


def replay_examples() -> list[Any]:
    """The fixed examples, computed in a clean interpreter so every caller sees the same ones."""
    out = subprocess.run([sys.executable, "-I", __file__], capture_output=True, text=True, check=True, timeout=120)
    return [tuple(case) for case in json.loads(out.stdout)]


def random_examples(explore: int) -> list[Any]:
    """`explore` random examples drawn in this process (live only, never recorded)."""
    return _collect(explore)


if __name__ == "__main__":
    json.dump(_collect(0), sys.stdout, ensure_ascii=False)
