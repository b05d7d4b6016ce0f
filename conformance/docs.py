"""Render README sections from their declarations so they can never drift (`python -m conformance.docs`).

The feature table comes from the catalogue, the profile reference from the profile schema (profiles/schema.py), the
"Compatibility of popular servers" section from the shipped report (reports/compat.json) and the servers' profiles.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .catalogue import FEATURES
from .checks import CHECKS
from .profiles.load import builtin_names, load_profile
from .profiles.model import PEER_KINDS
from .profiles.schema import reference_markdown
from .report.popular import servers_section

README = Path(__file__).resolve().parent.parent / "README.md"
BEGIN, END = "<!-- features:begin -->", "<!-- features:end -->"
PROFILE_BEGIN, PROFILE_END = "<!-- profile:begin -->", "<!-- profile:end -->"
SERVERS_BEGIN, SERVERS_END = "<!-- servers:begin -->", "<!-- servers:end -->"
SHIPPED_REPORT = README.parent / "reports" / "compat.json"
# Real servers shown in "Compatibility of popular servers": llama.cpp's own server and every peer kind.
REAL_SERVER_KINDS = ("llamacpp", *PEER_KINDS)


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


def _replaced(text: str, begin: str, end: str, body: str) -> str:
    head, found, rest = text.partition(begin)
    if not found:
        return text
    _, _, tail = rest.partition(end)
    return f"{head}{begin}\n{body}\n{end}{tail}"


def popular_servers() -> str:
    """The "Compatibility of popular servers" body, from the shipped report and the bundled real servers' profiles."""
    try:
        doc = json.loads(SHIPPED_REPORT.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        doc = {}
    profiles = [load_profile(n) for n in builtin_names()]
    return servers_section(doc, [p for p in profiles if p.local_server in REAL_SERVER_KINDS])


def updated(text: str) -> str:
    """README text with the generated sections (feature table, profile reference, popular servers) replaced."""
    text = _replaced(text, BEGIN, END, feature_table())
    text = _replaced(text, PROFILE_BEGIN, PROFILE_END, reference_markdown())
    return _replaced(text, SERVERS_BEGIN, SERVERS_END, popular_servers())


def main() -> int:
    """Rewrite the README's generated section in place."""
    README.write_text(updated(README.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"README feature table: {len(FEATURES)} rows; profile reference and popular servers regenerated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
