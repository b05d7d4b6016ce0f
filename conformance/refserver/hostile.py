"""Hostile-server faults: bodies that lie (garbage, 50 MB, false gzip, 503) and timing that hangs or stalls.

Body faults rewrite a finished Response; timing faults are applied by the HTTP handler while sending.
The suite must end every check within a bounded time with a verdict and evidence, never crash or hang.
Drips and the black hole hold their thread at most `hold_seconds`, and end as soon as the client goes away.
"""

from __future__ import annotations

import json
import select
import socket
import time

from . import faults as F
from .fault_types import ActiveFaults
from .responses import Response

HANG_SECONDS = 3.0  # longer than the self-tests' client timeout, short enough to free the thread
STALL_SECONDS = 3.0
HUGE_BYTES = 50 * 1024 * 1024
GARBAGE = b"\x00\xffnot json at all\x9c\x88<html>"
DRIP_SECONDS = 0.2  # default pause between drip comment lines / body bytes (RefServer(drip_seconds=...))
HOLD_SECONDS = 120.0  # default for the longest a drip or the black hole keeps a connection (hold_seconds=...)
COMMENT = b": keepalive\n\n"
COOKIE_NAME = "conformance_session"


def _huge(response: Response) -> Response:
    pad = "x" * (HUGE_BYTES - 200)
    body = json.dumps({"id": "chatcmpl-huge", "object": "chat.completion", "padding": pad}).encode()
    return Response(response.status, dict(response.headers), body)


def bend(response: Response, faults: ActiveFaults) -> Response:
    """Apply the body-level hostile faults to a 2xx answer."""
    if not 200 <= response.status < 300:
        return response
    if faults.has(F.UNAVAILABLE):
        body = json.dumps({"error": {"message": "The engine is currently overloaded", "type": "server_error",
                                     "param": None, "code": None}}).encode()
        return Response(503, {"Content-Type": "application/json", "Retry-After": "0"}, body)
    if faults.has(F.GARBAGE_BODY):
        return Response(response.status, {"Content-Type": "application/json"}, GARBAGE)
    if faults.has(F.HUGE_BODY) and not response.is_stream:
        return _huge(response)
    if faults.has(F.GZIP_LIE):
        headers = {**response.headers, "Content-Encoding": "gzip"}
        return Response(response.status, headers, response.body, response.chunks)
    return response


def hang_before_headers(faults: ActiveFaults) -> float:
    """Seconds to wait before sending anything."""
    return HANG_SECONDS if faults.has(F.HANG_BEFORE_HEADERS) else 0.0


def stall_between_events(faults: ActiveFaults) -> float:
    """Seconds to wait after the first streamed event."""
    return STALL_SECONDS if faults.has(F.STALL_MID_STREAM) else 0.0


def drips_comments(faults: ActiveFaults) -> bool:
    """True when a stream sends only comment lines (sse_comment_drip)."""
    return faults.has(F.SSE_COMMENT_DRIP)


def drips_bytes(response: Response, faults: ActiveFaults) -> bool:
    """True when a non-streamed 2xx body is sent byte by byte (byte_drip)."""
    return faults.has(F.BYTE_DRIP) and not response.is_stream and 200 <= response.status < 300


def with_cookie(response: Response, faults: ActiveFaults, secret: str, received: str | None) -> Response:
    """cookie_echo: set a session cookie; a JSON object body echoes the cookie set and the Cookie header received."""
    if not faults.has(F.COOKIE_ECHO):
        return response
    headers = {**response.headers, "Set-Cookie": f"{COOKIE_NAME}={secret}; Path=/; HttpOnly"}
    body = response.body
    if response.chunks is None and headers.get("Content-Type", "").startswith("application/json"):
        try:
            doc = json.loads(body)
        except ValueError:
            doc = None
        if isinstance(doc, dict):
            doc["cookie_echo"] = {"set": f"{COOKIE_NAME}={secret}", "received": received or ""}
            body = json.dumps(doc, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return Response(response.status, headers, body, response.chunks)


def client_gone(conn: socket.socket, wait: float) -> bool:
    """Wait up to `wait` seconds; True when the client closed its side (or the socket broke)."""
    try:
        ready, _, _ = select.select([conn], [], [], wait)
        if ready and conn.recv(1, socket.MSG_PEEK):
            time.sleep(wait)  # the client sent more bytes: still there
            return False
        return bool(ready)
    except (OSError, ValueError):
        return True


def hold(conn: socket.socket, seconds: float = HOLD_SECONDS) -> None:
    """black_hole: keep the connection open, answering nothing, until the client leaves or `seconds` pass."""
    ends = time.monotonic() + seconds
    while time.monotonic() < ends:
        if client_gone(conn, 0.2):
            return
