"""Cassette-set provenance: cassettes/<target>/_meta.json says when, against what and with which SDK each cassette
was recorded.

Each cassette has its own entry under `cassettes`; re-recording some of them updates only theirs. The top-level
fields summarise the entries (a date range when they differ), so a report can print one line per target. The file
is replaced atomically: a reader sees the old file or the new one, never half of one.
"""

from __future__ import annotations

import json
import os
import platform
import tempfile
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .._version import __version__

META = "_meta.json"
PER_CASSETTE = ("recorded_at", "recorded_against", "openai_sdk", "conformance")


def describe_base(base_url: str, origin: str) -> str:
    """Where requests went, without secrets: loopback is labelled as local, otherwise the host."""
    host = urlsplit(base_url).hostname or "?"
    if host in ("127.0.0.1", "localhost", "::1"):
        return f"a local server on {host} ({origin or 'origin not stated'})"
    return host


def cassette_entries(meta: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Per-cassette provenance; a file written before it had entries gives every listed request its top level."""
    entries = meta.get("cassettes")
    if isinstance(entries, dict):
        return {str(k): dict(v) for k, v in entries.items() if isinstance(v, dict)}
    return {str(name): {k: str(meta[k]) for k in PER_CASSETTE if k in meta} for name in meta.get("requests") or ()}


def _summary(values: list[str], dates: bool = False) -> str:
    distinct = sorted(set(values))
    if dates and len(distinct) > 1:
        return f"{distinct[0]}..{distinct[-1]}"
    return ", ".join(distinct)


def write_meta(root: Path, target: str, base_url: str, endpoint: str, origin: str, recorded: list[str],
               extra: dict[str, Any] | None = None, *, present: list[str] | None = None,
               now: datetime | None = None) -> None:
    """Record the provenance of the cassettes `recorded` now; entries of the others are kept as they were.

    `present` names every cassette that exists (entries of deleted ones are dropped); `extra` is the local
    server's own stamp.
    """
    root.mkdir(parents=True, exist_ok=True)
    old = read_meta(root)
    entries = cassette_entries(old)
    against = describe_base(base_url, origin)
    if extra and extra.get("summary"):
        against += f"; {extra['summary']}"
    stamp = {
        "recorded_at": (now or datetime.now(timezone.utc)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "recorded_against": against,
        "openai_sdk": version("openai"),
        "conformance": __version__,
    }
    for name in recorded:
        entries[name] = dict(stamp)
    if present is not None:
        entries = {k: v for k, v in entries.items() if k in set(present) or k in set(recorded)}
    meta: dict[str, Any] = {"target": target, "endpoint": endpoint, "python": platform.python_version()}
    for key in PER_CASSETTE:
        meta[key] = _summary([e[key] for e in entries.values() if key in e], dates=key == "recorded_at")
    meta["requests"] = sorted(entries)
    meta["cassettes"] = dict(sorted(entries.items()))
    local = extra if extra else old.get("local_server")
    if local:
        meta["local_server"] = local
    atomic_write(root / META, json.dumps(meta, indent=1, sort_keys=True) + "\n")


def atomic_write(path: Path, text: str) -> None:
    """Write a temporary file beside `path`, then rename it over `path` (atomic on POSIX and Windows)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_meta(root: Path) -> dict[str, Any]:
    """Provenance of a cassette set ({} when absent or unreadable)."""
    try:
        value = json.loads((root / META).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def report_meta(root: Path) -> dict[str, Any]:
    """The provenance a report prints: the summary fields, without the per-cassette entries."""
    return {k: v for k, v in read_meta(root).items() if k != "cassettes"}
