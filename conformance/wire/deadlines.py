"""Deadlines of live exchanges, enforced below vcrpy on the connection pool, so live and record runs both end.

Every body must arrive within the total deadline, and a Server-Sent Events stream must bring an event at least
every idle deadline (comment lines such as `: keepalive` are not progress). A missed deadline ends the body with
`httpcore2.ReadTimeout` naming what did arrive, which httpx2 maps to its own ReadTimeout; the wait for any single
byte is httpx's read timeout (the idle deadline, set on the client). Replayed answers never reach the pool.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import httpcore2

from .sse import SSEParser


@dataclass(frozen=True)
class Limits:
    """`total` seconds for a whole exchange, `idle` between stream events; `ends` (a monotonic time, the run's
    --max-time) caps the total."""

    total: float
    idle: float
    ends: float | None = None

    def budget(self, started: float) -> float:
        """Seconds an exchange that started at `started` may last."""
        return self.total if self.ends is None else max(0.0, min(self.total, self.ends - started))


class Deadline:
    """One body checked against its Limits as its chunks arrive."""

    def __init__(self, limits: Limits, started: float, sse: bool) -> None:
        self.limits = limits
        self.started = started
        self.budget = limits.budget(started)
        self.parser = SSEParser() if sse else None
        self.last_event = time.monotonic()
        self.size = 0

    def late(self, chunk: bytes) -> str:
        """'' while the body is within its deadlines, else one line saying which one it missed and what arrived."""
        now = time.monotonic()
        self.size += len(chunk)
        if self.parser is not None:
            if self.parser.feed(chunk):
                self.last_event = now
            elif now - self.last_event > self.limits.idle:
                return (f"no event in {self.limits.idle:g} s; {self.parser.comments} comment line(s), "
                        f"{len(self.parser.events)} event(s), {self.size} byte(s) received")
        if now - self.started > self.budget:
            if self.budget < self.limits.total:
                return f"body not complete when the run's --max-time ran out; {self.size} byte(s) received"
            return f"body not complete within the {self.budget:g} s deadline; {self.size} byte(s) received"
        return ""


class _DeadlineStream:
    def __init__(self, inner: Iterable[bytes], deadline: Deadline) -> None:
        self._inner = inner
        self._deadline = deadline

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._inner:
            late = self._deadline.late(chunk)
            if late:
                self.close()  # drop the connection: the rest of this body will never be read
                raise httpcore2.ReadTimeout(late)
            yield chunk

    def close(self) -> None:
        close = getattr(self._inner, "close", None)
        if close is not None:
            close()


def _is_sse(headers: Iterable[tuple[bytes, bytes]]) -> bool:
    return any(k.lower() == b"content-type" and b"event-stream" in v.lower() for k, v in headers)


class DeadlinePool:
    """Wraps an httpcore connection pool so every response body is held to the Limits."""

    def __init__(self, inner: Any, limits: Limits) -> None:
        self._inner = inner
        self.limits = limits

    def handle_request(self, request: Any) -> Any:
        """Forward and wrap the response stream."""
        started = time.monotonic()
        response = self._inner.handle_request(request)
        response.stream = _DeadlineStream(response.stream, Deadline(self.limits, started, _is_sse(response.headers)))
        return response

    def close(self) -> None:
        self._inner.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)
