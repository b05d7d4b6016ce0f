"""Hand-written fixtures are not evidence about a provider: the documented rule that marks an answer "synthetic?".

An answer is synthetic? when an id the server mints (the answer's own id, a stream's chunk id, a tool call's id, a
Realtime session's id) ends in a word people type into fixtures (`-test`, `_fake`, `-mock`, `-example`,
`-fixture1`, `_abc123`, `xxx`; not bare digits, which Ollama really sends), or when its `created` / `created_at`
time is impossible (before 2015, when no OpenAI API object existed, or later than a day from now, e.g.
milliseconds). Such interactions are listed as skipped with the reason and excluded from the provider's verdict
(README "Passive lint").
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from typing import Any

# Not bare digits: Ollama really answers `chatcmpl-674`.
_MARKER = re.compile(r"(?:^|[-_])(?:tests?|fake|mock(?:ed)?|dummy|example|sample|fixture\d*|placeholder|x{3,}|"
                     r"abc\d*)$", re.IGNORECASE)
EARLIEST = 1_420_070_400  # 2015-01-01T00:00:00Z
_DAY = 86_400


def _minted(value: Any) -> Iterator[str]:
    """Ids the server mints in one answer, chunk or event."""
    if not isinstance(value, dict):
        return
    for key in ("id",):
        if isinstance(value.get(key), str):
            yield value[key]
    for choice in value.get("choices") or [] if isinstance(value.get("choices"), list) else []:
        part = (choice.get("message") or choice.get("delta") or {}) if isinstance(choice, dict) else {}
        for call in part.get("tool_calls") or [] if isinstance(part, dict) else []:
            if isinstance(call, dict) and isinstance(call.get("id"), str):
                yield call["id"]
    for key in ("response", "session"):
        if isinstance(value.get(key), dict) and isinstance(value[key].get("id"), str):
            yield value[key]["id"]


def _times(value: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for key in ("created", "created_at"):
            if key in value:
                yield key, value[key]
        for key in ("response", "session"):
            if isinstance(value.get(key), dict):
                yield from _times(value[key])


def reason(value: Any, now: float | None = None) -> str:
    """Why one answer (or first stream event) looks hand-written ("" when it does not)."""
    latest = (now if now is not None else time.time()) + _DAY
    for ident in _minted(value):
        if _MARKER.search(ident):
            return f"id {ident!r} looks hand-written"
    for key, moment in _times(value):
        if isinstance(moment, (int, float)) and not isinstance(moment, bool) and moment > 0 and (
                moment < EARLIEST or moment > latest):
            return f"{key} {moment} is impossible (before 2015 or in the future)"
    return ""


def first_answer(exchange: Any) -> Any:
    """The JSON answer, or the first JSON data event of a stream ({} when there is none); the exchange's own
    parses are reused (a RecordedExchange caches them for the checks)."""
    if exchange.body.lstrip()[:1] == b"{":
        try:
            return exchange.json()
        except ValueError:
            return {}
    for event in exchange.sse().events:
        if event.data.lstrip().startswith("{"):
            try:
                return json.loads(event.data)
            except ValueError:
                return {}
    return {}


def session_reason(frames: list[tuple[str, object]], now: float | None = None) -> str:
    """Why a WebSocket session log looks hand-written: its session.created (or first server event) says so."""
    first = next((data for direction, data in frames if direction == "received" and isinstance(data, dict)), None)
    return reason(first, now) if first is not None else ""
