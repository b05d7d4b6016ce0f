"""Regression check against a baseline report: which cells got worse since a known-good run."""

from __future__ import annotations

from collections.abc import Callable
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

    @property
    def missing(self) -> bool:
        """The cell is not in the new report at all."""
        return self.after == MISSING

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


MISSING = "MISSING"


def _passive(doc: dict[str, Any]) -> set[str]:
    return {t["name"] for t in doc.get("targets") or [] if t.get("mode") == "passive"}


def compare(baseline: dict[str, Any], current: dict[str, Any],
            in_scope: Callable[[str, str], bool] | None = None) -> list[Change]:
    """Cells now ranked lower or now ERROR, and baseline cells missing from the new report (always worse).

    A baseline cell counts as missing when `in_scope(target, feature)` says the run was asked for it (default: its
    target is in the new report); passive columns (`conformance lint`, merged by `conformance report`) are never run,
    so they are never missing.
    """
    targets = {r["target"] for r in current["results"]}
    scope = in_scope or (lambda target, _feature: target in targets)
    now = {(r["target"], r["feature"]): r for r in current["results"]}
    passive = _passive(baseline)
    changes = []
    for row in baseline["results"]:
        key = (row["target"], row["feature"])
        new = now.get(key)
        if new is None:
            if row["target"] not in passive and scope(*key) and grading.regressed(Verdict(row["verdict"]), None):
                changes.append(Change(*key, row["verdict"], MISSING, " (the cell is missing from the new report)"))
            continue
        if grading.regressed(Verdict(row["verdict"]), Verdict(new["verdict"])) is not False:
            changes.append(Change(*key, row["verdict"], new["verdict"], _evidence(new)))
    return changes


def regression_exit_code(changes: list[Change]) -> int:
    """The regression exit code (policy: grading.regression_exit_code)."""
    inconclusive = sum(c.inconclusive for c in changes)
    return grading.regression_exit_code(len(changes) - inconclusive, inconclusive)
