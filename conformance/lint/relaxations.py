"""Documented relaxations: non-PASS check results on recordings that are not deviations, each with its reason.

A relaxation turns a failed/ignored check into a skipped one with the reason as evidence, for every provider
(they describe what a recording cannot show or what OpenAI documents), and lists the recordings it explains;
tests/test_lint_openai.py proves each one fires on those recordings and that nothing else on genuine
api.openai.com traffic is non-PASS.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..runner.results import CheckResult
from .exchanges import RecordedExchange

Predicate = Callable[[RecordedExchange, CheckResult], bool]


@dataclass(frozen=True)
class Relaxation:
    """A check outcome that is explained, not a deviation."""

    id: str
    check: str
    description: str
    reason: str
    recordings: tuple[str, ...]
    applies: Predicate


def _message(ex: RecordedExchange) -> dict[str, Any]:
    try:
        message = ex.json()["choices"][0]["message"]
    except (ValueError, KeyError, IndexError, TypeError):
        return {}
    return message if isinstance(message, dict) else {}


def _refused(ex: RecordedExchange, result: CheckResult) -> bool:
    message = _message(ex)
    return message.get("content") is None and isinstance(message.get("refusal"), str) and bool(message["refusal"])


_REFUSAL_REASON = ("OpenAI documents refusals for Structured Outputs: the model's refusal arrives in "
                   "message.refusal and content is null, so there is no text or JSON to check")
_MIRASCOPE = "mirascope/python/tests/e2e/"

RELAXATIONS: tuple[Relaxation, ...] = (
    Relaxation(
        "refusal-replaces-content", "chat.assistant_message",
        "message.content is null while message.refusal holds the refusal text", _REFUSAL_REASON,
        (f"{_MIRASCOPE}output/cassettes/test_refusal/openai_gpt_4o_completions/sync.yaml#1",), _refused),
    Relaxation(
        "refusal-replaces-json", "chat.json_schema_valid",
        "json_schema output is null because message.refusal holds the refusal text", _REFUSAL_REASON,
        tuple(f"{_MIRASCOPE}output/cassettes/test_refusal/openai_gpt_4o_completions/{name}.yaml#1"
              for name in ("async_stream", "stream", "sync")), _refused),
)


def relaxation_for(ex: RecordedExchange, result: CheckResult) -> Relaxation | None:
    """The first relaxation explaining this non-passing result, if any."""
    for relax in RELAXATIONS:
        if relax.check == result.id and relax.applies(ex, result):
            return relax
    return None
