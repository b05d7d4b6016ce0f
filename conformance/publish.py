"""Writing a run's reports into a report folder without losing what is already there.

- Merged, not replaced: columns (targets) and cells this run did not select are kept from the report it replaces,
  so a `-k` run or a run of one target does not drop the passive columns `conformance lint` produced.
- The baseline is never replaced by a worse report: when the run compared against the very file it would write
  and some cell got worse (or became inconclusive), that file stays and the new report goes beside it as
  `compat.new.json` / `compat.new.md`.
- Files are written through a temporary file and renamed, so a reader never sees half a report.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import UsageError
from .recording.meta import atomic_write
from .report import load_documents, merge_documents, render_markdown, write_report_files
from .verdicts import Verdict

REPORT = "compat.json"
NEW = "compat.new"


@dataclass(frozen=True)
class Baseline:
    """A known report the run is compared with: its path, document and verdict per (target, feature)."""

    path: Path
    doc: dict[str, Any]
    verdicts: dict[tuple[str, str], Verdict] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> Baseline:
        """Read a baseline report; a missing or malformed file is one UsageError line."""
        if not path.is_file():
            raise UsageError(f"--baseline {path}: no such report (give a compat.json, or 'none')")
        doc = load_documents([path])[0]
        verdicts = {}
        for row in doc.get("results") or []:
            try:
                verdicts[(str(row["target"]), str(row["feature"]))] = Verdict(row["verdict"])
            except (KeyError, TypeError, ValueError):
                raise UsageError(f"--baseline {path}: a result row without a valid target, feature and verdict: "
                                 f"{str(row)[:120]}") from None
        return cls(path, doc, verdicts)

    def verdict(self, target: str, feature: str) -> Verdict | None:
        """The baseline's verdict for a cell, None when it has no such cell."""
        return self.verdicts.get((target, feature))


@dataclass
class Published:
    """Where a run's report went and what it kept or held back, as lines for the terminal."""

    path: Path
    held_back: bool = False
    lines: list[str] = field(default_factory=list)


def read_previous(report_dir: Path) -> dict[str, Any] | None:
    """The report a run will merge into (None when there is none); unreadable is one line, before the run."""
    path = report_dir / REPORT
    if not path.exists():
        return None
    try:
        return load_documents([path])[0]
    except UsageError as exc:
        raise UsageError(f"{exc}; this run would merge into it: move it away or pass --report-dir") from None


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def write_document(doc: dict[str, Any], json_path: Path) -> None:
    """Write a report document and its Markdown rendering beside it (`.md`), each atomically."""
    json_path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(json_path, json.dumps(doc, indent=1, ensure_ascii=False) + "\n")
    atomic_write(json_path.with_suffix(".md"), render_markdown(doc))


def merged_with(previous: dict[str, Any] | None, current: dict[str, Any],
                selected: set[tuple[str, str]]) -> tuple[dict[str, Any], list[str]]:
    """The current report with the previous one's unselected cells and columns kept; lines saying what was kept."""
    if previous is None:
        return current, []
    ran = {t["name"] for t in current["targets"]}
    keep_rows = [r for r in previous["results"] if (r["target"], r["feature"]) not in selected
                 and (r["target"] not in ran or r["feature"] in {f["id"] for f in current["features"]})]
    keep_targets = [t for t in previous["targets"] if t["name"] not in ran]
    base = dict(previous, targets=keep_targets, results=keep_rows)
    merged = merge_documents([base, current])
    lines = []
    if keep_targets:
        lines.append(f"kept {len(keep_targets)} column(s) this run did not produce: "
                     f"{', '.join(t['name'] for t in keep_targets)}")
    kept_cells = [r for r in keep_rows if r["target"] in ran]
    if kept_cells:
        lines.append(f"kept {len(kept_cells)} cell(s) of this run's targets that it did not select")
    return merged, lines


def publish(current: dict[str, Any], report_dir: Path, previous: dict[str, Any] | None, *,
            selected: set[tuple[str, str]], baseline: Path | None = None, worse: int = 0) -> Published:
    """Write compat.json and compat.md into `report_dir`, merged with `previous`; never over a worse baseline.

    `worse` counts the cells that got worse than (or inconclusive after) `baseline`.
    """
    target = report_dir / REPORT
    doc, lines = merged_with(previous, current, selected)
    if baseline is not None and worse and _same(baseline, target):
        new = report_dir / f"{NEW}.json"
        write_document(doc, new)
        lines.append(f"{target} kept as the baseline: {worse} cell(s) worse or inconclusive; this run's report is "
                     f"{new} (re-run with --baseline none to accept it)")
        return Published(new, True, lines)
    write_document(doc, target)
    views = write_report_files(doc, report_dir, with_json=False)  # compat.md again, compat.html, summary, badges
    for stale in (report_dir / f"{NEW}.json", report_dir / f"{NEW}.md"):
        stale.unlink(missing_ok=True)
    shown = ", ".join(str(p.relative_to(report_dir)) for p in views if p.parent == report_dir)
    return Published(target, False, [*lines, f"reports in {report_dir}/: compat.json, {shown}, junit.xml, badges/"])
