"""The matrix every renderer draws, read from a report document: targets, rows in catalogue order, cells, counts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..grading import PASSING
from ..verdicts import Agreement, Verdict

# Verdicts in the order people read them, best first; SKIP and ERROR say nothing either way.
VERDICT_ORDER = ("PASS", "DEVIATION", "FLAKY", "IGNORED", "REJECTED", "FAIL", "ERROR", "SKIP")
SHORT = {"PASS": "PASS", "DEVIATION": "DEV", "FLAKY": "FLAKY", "IGNORED": "IGN", "REJECTED": "REJ", "FAIL": "FAIL",
         "ERROR": "ERR", "SKIP": "skip"}
# How an observed verdict compares with the documented claim, as a mark next to the verdict.
MARK = {"agrees": "✓", "better": "★", "broken": "✗", "inconclusive": "?", "n/a": ""}
ASCII_MARK = {"agrees": "ok", "better": "+", "broken": "X", "inconclusive": "?", "n/a": ""}
AGREEMENT_WORDS = {"agrees": "claim holds", "better": "better than documented", "broken": "claim broken",
                   "inconclusive": "inconclusive", "n/a": "not applicable"}
PASSING_VERDICTS = frozenset(v.value for v in PASSING)


@dataclass(frozen=True)
class Row:
    """One catalogue row that has at least one cell in the document."""

    id: str
    surface: str
    title: str
    tier: str


@dataclass
class TargetCounts:
    """One target's cells counted: verdicts, claims broken and better, the core tier's passing share."""

    verdicts: Counter[str] = field(default_factory=Counter)
    agreements: Counter[str] = field(default_factory=Counter)
    core_passing: int = 0
    core_graded: int = 0

    @property
    def broken(self) -> int:
        """Cells whose documented claim does not hold."""
        return self.agreements[Agreement.BROKEN.value]

    @property
    def cells(self) -> int:
        """Every cell of the target."""
        return sum(self.verdicts.values())


@dataclass
class Matrix:
    """Targets (columns) x rows, each cell the report's result row."""

    doc: dict[str, Any]
    targets: list[dict[str, Any]]
    rows: list[Row]
    cells: dict[tuple[str, str], dict[str, Any]]

    @classmethod
    def of(cls, doc: dict[str, Any]) -> Matrix:
        """Index a report document; rows keep catalogue order and drop rows no target has."""
        cells = {(r["target"], r["feature"]): r for r in doc["results"]}
        names = [t["name"] for t in doc["targets"]]
        rows = [Row(f["id"], f["surface"], f["title"], f["tier"]) for f in doc["features"]
                if any((n, f["id"]) in cells for n in names)]
        return cls(doc, list(doc["targets"]), rows, cells)

    def cell(self, target: str, feature: str) -> dict[str, Any] | None:
        """The result row of one cell, or None when the target did not run that row."""
        return self.cells.get((target, feature))

    def surfaces(self) -> list[str]:
        """Surfaces in the order of their first row."""
        return list(dict.fromkeys(r.surface for r in self.rows))

    def grouped(self) -> list[tuple[str, list[Row]]]:
        """Rows grouped by surface, catalogue order kept inside each group."""
        return [(s, [r for r in self.rows if r.surface == s]) for s in self.surfaces()]

    def counts(self, target: str) -> TargetCounts:
        """Counts for one target."""
        tiers = {r.id: r.tier for r in self.rows}
        out = TargetCounts()
        for (name, feature), row in self.cells.items():
            if name != target:
                continue
            out.verdicts[row["verdict"]] += 1
            out.agreements[row["agreement"]] += 1
            if tiers.get(feature) == "core" and row["verdict"] != Verdict.SKIP.value:
                out.core_graded += 1
                out.core_passing += row["verdict"] in PASSING_VERDICTS
        return out

    def verdicts_present(self) -> list[str]:
        """The verdicts that occur, in reading order."""
        found = {r["verdict"] for r in self.cells.values()}
        return [v for v in VERDICT_ORDER if v in found]


def counts_line(counts: TargetCounts) -> str:
    """PASS n / DEVIATION n / … / claims broken n: every verdict that occurs, the claims broken, cells better."""
    parts = [f"{v} {counts.verdicts[v]}" for v in VERDICT_ORDER if counts.verdicts[v]]
    parts.append(f"claims broken {counts.broken}")
    if counts.agreements[Agreement.BETTER.value]:
        parts.append(f"better {counts.agreements[Agreement.BETTER.value]}")
    return " / ".join(parts)


def core_share(counts: TargetCounts) -> str:
    """The core tier as "core 17/19": cells PASS or DEVIATION out of core cells that applied (not SKIP)."""
    return f"core {counts.core_passing}/{counts.core_graded}"
