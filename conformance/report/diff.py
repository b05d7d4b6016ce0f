"""`conformance diff OLD NEW`: the cells that changed, worse first, each with its evidence (a PR comment's text).

Whether a change is better or worse is `grading.cell_change`; this module only reads the two documents and writes
Markdown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..grading import CellChange, cell_change, regression_exit_code
from ..verdicts import Verdict
from .escape import md_code, md_text
from .evidence import headline, reproduction

ORDER = (CellChange.WORSE, CellChange.INCONCLUSIVE, CellChange.CHANGED, CellChange.BETTER, CellChange.ADDED)
HEADINGS = {CellChange.WORSE: "Worse", CellChange.INCONCLUSIVE: "Now inconclusive (ERROR)",
            CellChange.CHANGED: "Changed, neither better nor worse", CellChange.BETTER: "Better",
            CellChange.ADDED: "New cells"}


@dataclass(frozen=True)
class CellDiff:
    """One cell that changed: its old and new result rows (None where the report lacks it)."""

    target: str
    feature: str
    change: CellChange
    old: dict[str, Any] | None
    new: dict[str, Any] | None

    def verdicts(self) -> str:
        """OLD -> NEW, with the claim's agreement."""
        def one(row: dict[str, Any] | None) -> str:
            return "(absent)" if row is None else f"{row['verdict']} ({row['agreement']})"
        return f"{one(self.old)} → {one(self.new)}"


def _key(row: dict[str, Any]) -> tuple[str, str]:
    return row["target"], row["feature"]


def compared_targets(old: dict[str, Any], new: dict[str, Any]) -> tuple[set[str], list[str]]:
    """Targets both reports have (compared), and the old report's targets the new one lacks (not compared)."""
    names = {t["name"] for t in new["targets"]}
    return names & {t["name"] for t in old["targets"]}, [t["name"] for t in old["targets"] if t["name"] not in names]


def diff_documents(old: dict[str, Any], new: dict[str, Any]) -> list[CellDiff]:
    """Every cell whose verdict or claim changed, worse first, then in the new report's order.

    Only the new report's targets are compared (a re-record of one target against the shipped matrix); inside a
    target, a cell the new report lacks counts as worse.
    """
    new_targets = {t["name"] for t in new["targets"]}
    before = {_key(r): r for r in old["results"] if r["target"] in new_targets}
    after = {_key(r): r for r in new["results"]}
    keys = list(after) + [k for k in before if k not in after]
    found = []
    for key in keys:
        o, n = before.get(key), after.get(key)
        claim_changed = o is not None and n is not None and (o["claim"], o["agreement"]) != (n["claim"],
                                                                                           n["agreement"])
        change = cell_change(Verdict(o["verdict"]) if o else None, Verdict(n["verdict"]) if n else None,
                             claim_changed=claim_changed)
        if change is not CellChange.UNCHANGED:
            found.append(CellDiff(key[0], key[1], change, o, n))
    return sorted(found, key=lambda d: ORDER.index(d.change))


def diff_exit_code(diffs: list[CellDiff]) -> int:
    """1 when a cell got worse, 3 when cells only became inconclusive, else 0 (grading's regression policy)."""
    worse = sum(d.change is CellChange.WORSE for d in diffs)
    inconclusive = sum(d.change is CellChange.INCONCLUSIVE for d in diffs)
    return regression_exit_code(worse, inconclusive)


def _evidence(d: CellDiff) -> list[str]:
    row = d.new if d.new is not None else d.old
    if d.new is None:
        return ["  - the new report has no result for this cell"]
    assert row is not None
    lines = []
    if row["verdict"] != "PASS" and headline(row):
        lines.append(f"  - evidence: {md_code(headline(row))}")
    rep = reproduction(row)
    if row["verdict"] != "PASS" and rep.text:
        label = "request" if rep.kind == "request" else f"reproduce ({md_text(rep.kind)})"
        lines.append(f"  - {label}: {md_code(rep.text.replace(chr(10), ' · '))}")
    return lines


def render_diff(diffs: list[CellDiff], old_label: str, new_label: str, not_compared: Sequence[str] = ()) -> str:
    """Markdown: a one-line count, then one section per kind of change, each cell with its evidence."""
    counts = {c: sum(d.change is c for d in diffs) for c in ORDER}
    head = ", ".join(f"{n} {c.value}" for c, n in counts.items() if n) or "no cell changed"
    out = [f"### Conformance diff: {head}", "", f"{md_code(old_label)} → {md_code(new_label)}", ""]
    if not_compared:
        out += ["Not in the new report, so not compared: " + ", ".join(md_text(n) for n in not_compared), ""]
    for change in ORDER:
        group = [d for d in diffs if d.change is change]
        if not group:
            continue
        out += [f"#### {HEADINGS[change]} ({len(group)})", ""]
        for d in group:
            out.append(f"- **{md_text(d.target)}** · {md_code(d.feature)}: {md_text(d.verdicts())}")
            out += _evidence(d)
        out.append("")
    return "\n".join(out).rstrip() + "\n"
