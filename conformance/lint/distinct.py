"""Throughput: validate each distinct event shape once, and map evidence back to the real event number.

Two events that differ only in values the schema checks by type only (blind.py: free text, ids, integers
without bounds) validate the same way. So a stream whose first occurrences of every shape validate is valid as a
whole; only a failing stream is validated event by event, so that its evidence lists every failing event.
Used for stream.chunk_schema and realtime.schema, the two per-event validations.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from ..catalogue import Feature
from ..checks import CheckContext
from ..grading import PROBLEM_OUTCOMES
from ..runner.checking import run_check
from ..runner.results import CheckResult
from ..schemas import schema_dir
from .blind import blind_keys
from .exchanges import RecordedExchange

CHUNK_SCHEMA = "chat.completion.chunk"
# `"key": "string"` or `"key": integer` (not 1.0 or 1e3); keys are identifier-like, so no match spans two strings.
_PAIR = re.compile(r'"([A-Za-z_][\w.\-]*)"(\s*:\s*)("(?:[^"\\]|\\.)*"|-?\d+(?![\d.eE]))')


def shape(data: str, schema_name: str = CHUNK_SCHEMA) -> str:
    """The event text with every value the schema checks by type only blanked (`"content":"Hi"` -> `""`)."""
    strings, integers, named, unnamed = blind_keys(schema_name)

    def blank(match: re.Match[str]) -> str:
        key, value = match.group(1), match.group(3)
        blind = strings if value[0] == '"' else integers
        if key in blind or (unnamed and key not in named):
            return f'"{key}"{match.group(2)}' + ('""' if value[0] == '"' else "0")
        return match.group(0)

    return _PAIR.sub(blank, data)


def distinct_stream(ex: RecordedExchange) -> tuple[RecordedExchange, list[int]]:
    """An exchange holding the first SSE event of every shape, and each one's real event number."""
    kept: list[str] = []
    numbers: list[int] = []
    seen: set[str] = set()
    for event in ex.sse().events:
        key = shape(event.data)
        if key in seen:
            continue
        seen.add(key)
        kept.append("".join(f"data: {line}\n" for line in event.data.split("\n")) + "\n")
        numbers.append(event.index)
    out = RecordedExchange(name=ex.name, method=ex.method, url=ex.url, request_body=ex.request_body,
                           status=ex.status, response_headers=dict(ex.response_headers),
                           raw=bytearray("".join(kept).encode("utf-8")), complete=True)
    out.ref, out.note = ex.ref, ex.note
    return out, numbers


def distinct_session(session: Any) -> tuple[Any, list[int]]:
    """A copy of a recorded WsSession with the first server frame of every (type, shape); real 1-based numbers."""
    from ..realtime.schemas import PREFIX, schema_name

    known = frozenset(p.stem for p in schema_dir().glob(PREFIX + "*.json"))
    kept, numbers, seen, number = [], [], set(), 0
    for frame in session.frames:
        if frame.dir != "server":
            kept.append(frame)
            continue
        number += 1
        name = schema_name(frame.type, known) if frame.type else None
        key = (frame.type, frame.binary, shape(frame.text, name) if name else "")
        if key in seen:
            continue
        seen.add(key)
        kept.append(frame)
        numbers.append(number)
    copy = replace(session, frames=kept)
    copy.ref = getattr(session, "ref", "")
    return copy, numbers


def screened(check_id: str, feature: Feature, exchange: Any) -> CheckResult:
    """Run a per-event schema check on the distinct copy; when that finds a problem, run it on every event.

    A stream whose distinct shapes all validate is valid as a whole (the shapes are equivalent), so the common case
    costs one validation per shape; a failing stream is validated in full, so its evidence lists every event.
    """
    distinct = DISTINCT.get(check_id)
    if distinct is not None:
        short, _numbers = distinct(exchange)
        result = run_check(check_id, CheckContext(feature, {feature.primary: short}))
        if result.outcome not in PROBLEM_OUTCOMES:
            return result
    return run_check(check_id, CheckContext(feature, {feature.primary: exchange}))


DISTINCT: dict[str, Callable[[Any], tuple[Any, list[int]]]] = {
    "stream.chunk_schema": distinct_stream,
    "realtime.schema": distinct_session,
}
