"""summary.md: a short Markdown summary for `$GITHUB_STEP_SUMMARY` (counts per target, broken claims, changes)."""

from __future__ import annotations

from typing import Any

from .diff import compared_targets, diff_documents, render_diff
from .escape import md_code, md_text
from .evidence import headline
from .matrix import Matrix, core_share

MAX_LISTED = 25  # broken claims listed in full; the rest are counted (every one is in compat.html / compat.md)


def render_summary(doc: dict[str, Any], baseline: dict[str, Any] | None = None, baseline_label: str = "") -> str:
    """The step summary: a table of counts per target, the broken claims with evidence, changes since a baseline."""
    matrix = Matrix.of(doc)
    verdicts = matrix.verdicts_present()
    out = ["## OpenAI compatibility", "",
           "| target | mode | core | " + " | ".join(verdicts) + " | claims broken | better |",
           "|---|---|---|" + "---:|" * (len(verdicts) + 2)]
    for target in matrix.targets:
        counts = matrix.counts(target["name"])
        cells = " | ".join(str(counts.verdicts[v]) for v in verdicts)
        out.append(f"| {md_text(target['name'])} | {md_text(target.get('mode', ''))} | {core_share(counts)} | "
                   f"{cells} | {counts.broken} | {counts.agreements['better']} |")
    broken = [r for r in doc["results"] if r["agreement"] == "broken"]
    out += ["", f"### Claims broken ({len(broken)})", ""]
    for row in broken[:MAX_LISTED]:
        evidence = f": {md_code(headline(row))}" if headline(row) else ""
        out.append(f"- **{md_text(row['target'])}** · {md_code(row['feature'])} {row['verdict']} "
                   f"(claimed {md_text(row['claim'])}){evidence}")
    if len(broken) > MAX_LISTED:
        out.append(f"- … and {len(broken) - MAX_LISTED} more: every cell's evidence is in compat.html and compat.md")
    if not broken:
        out.append("- none: every documented claim holds or the verdict is better")
    if baseline is not None:
        skipped = compared_targets(baseline, doc)[1]
        out += ["", render_diff(diff_documents(baseline, doc), baseline_label or "baseline", "this run",
                                skipped).rstrip()]
    out += ["", "Every cell's evidence and reproduction: `compat.html` (open it in a browser) and `compat.md` in the "
            "reports artifact."]
    return "\n".join(out) + "\n"
