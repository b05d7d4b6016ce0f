"""Badges: a shields.io endpoint JSON per target (`badges/<target>.json`) saying how much of the core tier passes."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from .escape import escape_controls
from .matrix import Matrix, TargetCounts, core_share

LABEL = "OpenAI compat"


def badge_colour(counts: TargetCounts) -> str:
    """brightgreen when every applicable core cell passes; green from 90 %, yellow from 75 %, orange from 50 %.

    red below, lightgrey when no core cell applied.
    """
    if not counts.core_graded:
        return "lightgrey"
    share = counts.core_passing / counts.core_graded
    for floor, colour in ((1.0, "brightgreen"), (0.9, "green"), (0.75, "yellow"), (0.5, "orange")):
        if share >= floor:
            return colour
    return "red"


def badge(doc: dict[str, Any], target: str) -> dict[str, Any]:
    """The shields.io endpoint document for one target: label, message "core 17/19", colour."""
    counts = Matrix.of(doc).counts(target)
    return {"schemaVersion": 1, "label": escape_controls(f"{LABEL}: {target}"), "message": core_share(counts),
            "color": badge_colour(counts)}


def badge_filename(target: str) -> str:
    """A file name for the target's badge: lower case, anything but [a-z0-9._-] becomes one dash."""
    slug = re.sub(r"[^a-z0-9._-]+", "-", target.lower()).strip("-.")
    return f"{slug or 'target'}.json"


def write_badges(doc: dict[str, Any], folder: Path) -> list[Path]:
    """Write one endpoint JSON per target of the document into `folder`; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for target in doc["targets"]:
        path = folder / badge_filename(target["name"])
        path.write_text(json.dumps(badge(doc, target["name"]), ensure_ascii=False, indent=1) + "\n",
                        encoding="utf-8")
        written.append(path)
    return written
