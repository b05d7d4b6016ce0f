"""What the reference server's WebSocket endpoints (Realtime, the Responses WebSocket) share: a session's lifetime
and its receive loop."""

from __future__ import annotations

import time
from collections.abc import Callable

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import ServerConnection

SESSION_SECONDS = 300.0


def receive(conn: ServerConnection, handle: Callable[[str | bytes], bool | None]) -> None:
    """Hand each client frame to `handle` until the client leaves, the session expires, or `handle` says False."""
    ends = time.monotonic() + SESSION_SECONDS
    while True:
        try:
            raw = conn.recv(timeout=max(0.0, ends - time.monotonic()))
        except (TimeoutError, ConnectionClosed):
            return
        if handle(raw) is False:
            return
