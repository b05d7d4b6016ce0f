"""Cassette hygiene, reported after every run and never failing it: cassettes no request used, stale cassette sets.

A set is stale when some cassette was recorded more than STALE_DAYS ago or with an older openai SDK minor than the
one installed: its verdicts may describe a provider or an SDK that has moved on since.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from .meta import META, cassette_entries

STALE_DAYS = 90


def cassette_names(root: Path) -> set[str]:
    """Names of the cassettes under a target's folder (`chat.basic` for chat/chat.basic.yaml)."""
    if not root.is_dir():
        return set()
    return {p.name.removesuffix(".yaml") for p in root.glob("*/*.yaml")}


def unused(root: Path, requested: set[str]) -> list[str]:
    """Cassettes under `root` that no request of the run asked for."""
    return sorted(cassette_names(root) - requested)


def _minor(text: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in text.split(".")[:2])
    except ValueError:
        return ()


def _when(text: str) -> datetime | None:
    try:
        return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    except ValueError:
        return None


def stale(meta: dict[str, Any], installed_sdk: str, now: datetime | None = None) -> list[str]:
    """Why a cassette set is stale (empty when it is not): its oldest recording's age, an older SDK minor."""
    entries = cassette_entries(meta).values()
    now = now or datetime.now(timezone.utc)
    reasons = []
    dates = [d for e in entries if (d := _when(str(e.get("recorded_at", "")))) is not None]
    if dates and now - min(dates) > timedelta(days=STALE_DAYS):
        reasons.append(f"oldest cassette recorded {min(dates):%Y-%m-%d}, {(now - min(dates)).days} days ago "
                       f"(> {STALE_DAYS})")
    mine = _minor(installed_sdk)
    older = sorted({str(e["openai_sdk"]) for e in entries if e.get("openai_sdk") and mine
                    and () < _minor(str(e["openai_sdk"])) < mine})
    if older:
        reasons.append(f"recorded with openai {', '.join(older)}, an older minor than the installed {installed_sdk}")
    return reasons


__all__ = ["META", "STALE_DAYS", "cassette_names", "stale", "unused"]
