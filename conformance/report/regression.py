"""Regression check against a baseline report: which cells got worse since a known-good run."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import grading
from ..verdicts import Verdict


@dataclass(frozen=True)
class Change:
    """One cell whose verdict changed for the worse (or became inconclusive)."""

    target: str
    feature: str
    before: str
    after: str
    evidence: str

    @property
    def inconclusive(self) -> bool:
        """The new verdict is ERROR: it says nothing either way."""
        return self.after == "ERROR"

    def line(self) -> str:
        """One line for the terminal."""
        kind = "inconclusive" if self.inconclusive else "regression"
        return f"{kind}: {self.target} {self.feature}: {self.before} -> {self.after}{self.evidence}"


def _evidence(row: dict[str, Any]) -> str:
    if row.get("reason") and row["verdict"] == "ERROR":
        return f" ({row['reason'][:160]})"
    for chk in row.get("checks") or []:
        if chk["outcome"] in ("failed", "ignored"):
            ev = chk.get("evidence") or {}
            return f" ({chk['id']} at {ev.get('where', '')}: expected {ev.get('expected', '')}; observed " \
                   f"{ev.get('observed', '')})"[:300]
    return ""


def compare(baseline: dict[str, Any], current: dict[str, Any]) -> list[Change]:
    """Cells present in both reports that are now ranked lower, or now ERROR after a conclusive verdict."""
    before = {(r["target"], r["feature"]): r["verdict"] for r in baseline["results"]}
    changes = []
    for row in current["results"]:
        old = before.get((row["target"], row["feature"]))
        new = row["verdict"]
        if old is None:
            continue
        if grading.regressed(Verdict(old), Verdict(new)) is not False:
            changes.append(Change(row["target"], row["feature"], old, new, _evidence(row)))
    return changes


def regression_exit_code(changes: list[Change]) -> int:
    """The regression exit code (policy: grading.regression_exit_code)."""
    inconclusive = sum(c.inconclusive for c in changes)
    return grading.regression_exit_code(len(changes) - inconclusive, inconclusive)
