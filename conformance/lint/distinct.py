"""Throughput: validate each distinct event shape once, and map evidence back to the real event number.

Two events that differ only in values the schema checks by type only (blind.py: free text, ids, integers
without bounds) validate the same way. The first failing event of a stream is always the first occurrence of
its shape, so keeping first occurrences (in order, with their original text) gives exactly the verdict and the
evidence of the full stream. Used for stream.chunk_schema and realtime.schema, the two per-event validations.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from ..runner.results import CheckResult
from ..schemas import schema_dir
from .blind import blind_keys
from .exchanges import RecordedExchange

CHUNK_SCHEMA = "chat.completion.chunk"
# `"key": "string"` or `"key": integer` (not 1.0 or 1e3); keys are identifier-like, so no match spans two strings.
_PAIR = re.compile(r'"([A-Za-z_][\w.\-]*)"(\s*:\s*)("(?:[^"\\]|\\.)*"|-?\d+(?![\d.eE]))')
_WHERE = re.compile(r"^(event #|server frame #)(\d+)")


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


def renumbered(result: CheckResult, numbers: list[int], base: int = 0) -> CheckResult:
    """The result with `event #k` / `server frame #k` of the distinct copy rewritten to the real number."""
    ev = result.evidence
    match = _WHERE.match(ev.where) if ev is not None else None
    if ev is None or match is None or not 0 <= int(match.group(2)) - base < len(numbers):
        return result
    where = f"{match.group(1)}{numbers[int(match.group(2)) - base]}{ev.where[match.end():]}"
    return replace(result, evidence=replace(ev, where=where))
