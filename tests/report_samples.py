"""Report documents for the renderers' tests: the shipped report, and one whose server text is hostile."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# What a hostile server may put in an error message or a field: set the window title, clear the screen, ring,
# NUL, a C1 CSI, a bidi override, a lone surrogate (an undecodable byte), markup for every format we write.
HOSTILE = ("\x1b]0;pwned\x07\x1b[2J\x1b[31mred\x07\x00\x9b6n\u202eevil\udcff "
           "<script>alert(1)</script> | `tick` ** [link](javascript:x) @everyone $x$ &amp;")
RAW = ("\x1b", "\x07", "\x00", "\x9b", "\u202e", "\udcff")


def shipped() -> dict[str, Any]:
    """The shipped reports/compat.json."""
    return json.loads((ROOT / "reports" / "compat.json").read_text(encoding="utf-8"))


def hostile() -> dict[str, Any]:
    """The shipped report with hostile text in a target name, a reason and every field of a failing check."""
    doc = copy.deepcopy(shipped())
    name = "evil" + HOSTILE[:20]
    doc["targets"].append({**doc["targets"][0], "name": name, "title": HOSTILE, "origin": HOSTILE})
    for row in [r for r in doc["results"] if r["target"] == doc["targets"][0]["name"]][:6]:
        row = copy.deepcopy(row)
        row.update(target=name, verdict="FAIL", agreement="broken", reason=HOSTILE)
        row["checks"] = [{"id": "schema.body", "severity": "must", "outcome": "failed", "title": "t",
                          "evidence": {"request": HOSTILE, "where": HOSTILE, "expected": HOSTILE,
                                       "observed": HOSTILE}}]
        doc["results"].append(row)
    return doc


def raw_controls(text: str) -> list[str]:
    """The hostile characters that occur raw in `text`."""
    return [repr(c) for c in RAW if c in text]
