"""Cassette-set provenance: cassettes/<target>/_meta.json says when and against what it was recorded."""

from __future__ import annotations

import json
import platform
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import openai

from .._version import __version__

META = "_meta.json"


def describe_base(base_url: str, origin: str) -> str:
    """Where requests went, without secrets: loopback is labelled as local, otherwise the host."""
    host = urlsplit(base_url).hostname or "?"
    if host in ("127.0.0.1", "localhost", "::1"):
        return f"a local server on {host} ({origin or 'origin not stated'})"
    return host


def write_meta(root: Path, target: str, base_url: str, endpoint: str, origin: str, requests: list[str],
               extra: dict[str, Any] | None = None) -> None:
    """Write the provenance file of a freshly recorded cassette set (`extra`: the local server's own stamp)."""
    root.mkdir(parents=True, exist_ok=True)
    meta: dict[str, Any] = {
        "target": target,
        "recorded_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "recorded_against": describe_base(base_url, origin),
        "endpoint": endpoint,
        "openai_sdk": openai.__version__,
        "conformance": __version__,
        "python": platform.python_version(),
        "requests": sorted(requests),
    }
    if extra:
        meta["local_server"] = extra
        if extra.get("summary"):
            meta["recorded_against"] += f"; {extra['summary']}"
    (root / META).write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def read_meta(root: Path) -> dict[str, Any]:
    """Provenance of a cassette set ({} when absent or unreadable)."""
    try:
        value = json.loads((root / META).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}
