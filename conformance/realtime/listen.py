"""Listener: reads the SDK's parsed server events with bounded waits; a timeout or a close never raises."""

from __future__ import annotations

import time
from typing import Any

from websockets.exceptions import ConnectionClosed

from .events import canonical

_UNPARSED = object()


def kind_of(event: Any) -> str:
    """The GA type of an SDK event object (or dict)."""
    value = event.get("type") if isinstance(event, dict) else getattr(event, "type", "")
    return canonical(value) if isinstance(value, str) else ""


def field(event: Any, name: str, default: Any = None) -> Any:
    """A field of an SDK event object or dict."""
    if isinstance(event, dict):
        return event.get(name, default)
    return getattr(event, name, default)


class Listener:
    """Wraps a RealtimeConnection: `until(types)` collects events until one of them, the deadline or a close."""

    def __init__(self, conn: Any, timeout: float) -> None:
        self.conn = conn
        self.timeout = timeout
        self.events: list[Any] = []
        self.closed = False
        self.parse_errors: list[str] = []

    def _next(self, timeout: float) -> Any:
        raw = getattr(self.conn, "_connection", None)
        try:
            data = raw.recv(timeout=timeout, decode=False) if raw is not None else self.conn.recv_bytes()
        except TimeoutError:
            return None
        except ConnectionClosed:
            self.closed = True
            return None
        try:
            event = self.conn.parse_event(data)
        except Exception as exc:  # noqa: BLE001 - the frame checks judge non-JSON frames; keep going
            self.parse_errors.append(f"{type(exc).__name__}: {exc}"[:200])
            return _UNPARSED
        self.events.append(event)
        return event

    def until(self, *kinds: str, stop_on_error: bool = False) -> Any:
        """The first event of one of `kinds` (GA names; legacy names match too); None on timeout or close."""
        ends = time.monotonic() + self.timeout
        while not self.closed:
            left = ends - time.monotonic()
            if left <= 0:
                return None
            event = self._next(left)
            if event is None:
                return None
            if event is _UNPARSED:
                continue
            kind = kind_of(event)
            if kind in kinds or (stop_on_error and kind == "error"):
                return event
        return None
