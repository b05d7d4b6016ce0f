"""Terminal matrix: features x targets, verdict plus claim agreement; pure function of the document."""

from __future__ import annotations

from typing import Any

MARK = {"agrees": "ok", "better": "BETTER", "broken": "BROKEN", "inconclusive": "?", "n/a": "-"}


def cell(row: dict[str, Any] | None) -> str:
    """Short cell text: verdict, claimed level, whether the claim holds."""
    if row is None:
        return "."
    return f"{row['verdict']} / {row['claim']} {MARK[row['agreement']]}"


def render_matrix(doc: dict[str, Any]) -> str:
    """Fixed-width matrix with one column per target, then the summary line."""
    targets = [t["name"] for t in doc["targets"]]
    index = {(r["target"], r["feature"]): r for r in doc["results"]}
    features = [f["id"] for f in doc["features"] if any((t, f["id"]) in index for t in targets)]
    width = max([len(f) for f in features] + [7])
    cols = [max([len(t)] + [len(cell(index.get((t, f)))) for f in features]) for t in targets]
    lines = ["feature".ljust(width) + "  " + "  ".join(t.ljust(c) for t, c in zip(targets, cols, strict=True))]
    lines.append("-" * len(lines[0]))
    for feature in features:
        cells = [cell(index.get((t, feature))).ljust(c) for t, c in zip(targets, cols, strict=True)]
        lines.append(feature.ljust(width) + "  " + "  ".join(cells))
    summary = doc["summary"]
    verdicts = ", ".join(f"{k} {v}" for k, v in sorted(summary["verdicts"].items()))
    # No exit code here: what fails a run depends on its baseline and --fail-on (the command's last line says).
    lines.append(f"verdicts: {verdicts}; claims broken {summary['agreements'].get('broken', 0)}")
    return "\n".join(lines)
