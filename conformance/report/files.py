"""Every rendering of a report document written into one folder: the files a run leaves for people to read."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..recording.meta import atomic_write
from .badges import write_badges
from .html import render_html
from .markdown import render_markdown
from .summary import render_summary

BADGES = "badges"


def write_report_files(doc: dict[str, Any], folder: Path, *, with_json: bool = True) -> list[Path]:
    """compat.json (unless `with_json` is False), compat.md, compat.html, summary.md and badges/<target>.json."""
    folder.mkdir(parents=True, exist_ok=True)
    texts = {"compat.md": render_markdown(doc), "compat.html": render_html(doc), "summary.md": render_summary(doc)}
    if with_json:
        texts = {"compat.json": json.dumps(doc, indent=1, ensure_ascii=False) + "\n", **texts}
    written = []
    for name, text in texts.items():
        path = folder / name
        atomic_write(path, text)
        written.append(path)
    return written + write_badges(doc, folder / BADGES)
