"""Render README sections from the catalogue so the feature list can never drift (`python -m conformance.docs`)."""

from __future__ import annotations

import sys
from pathlib import Path

from .catalogue import FEATURES
from .checks import CHECKS

README = Path(__file__).resolve().parent.parent / "README.md"
BEGIN, END = "<!-- features:begin -->", "<!-- features:end -->"


def feature_table() -> str:
    """Markdown table of every catalogue row with its checks."""
    lines = ["| feature | surface | tier | what is verified | checks (must / should) | source |",
             "|---|---|---|---|---|---|"]
    for f in FEATURES:
        checks = [CHECKS.get(c) for c in f.checks]
        must = ", ".join(f"`{c.id}`" for c in checks if c.severity.value == "must")
        should = ", ".join(f"`{c.id}`" for c in checks if c.severity.value == "should")
        lines.append(f"| `{f.id}` | {f.surface.value} | {f.tier.value} | {f.title} | {must} / {should or '—'} | "
                     f"{f.source} |")
    return "\n".join(lines)


def updated(text: str) -> str:
    """README text with the generated section replaced."""
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    return f"{head}{BEGIN}\n{feature_table()}\n{END}{tail}"


def main() -> int:
    """Rewrite the README's generated section in place."""
    README.write_text(updated(README.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"README feature table: {len(FEATURES)} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
