"""Hostile-server faults: bodies that lie (garbage, 50 MB, false gzip, 503) and timing that hangs or stalls.

Body faults rewrite a finished Response; timing faults are applied by the HTTP handler while sending.
The suite must end every check within a bounded time with a verdict and evidence, never crash or hang.
"""

from __future__ import annotations

import json

from . import faults as F
from .fault_types import ActiveFaults
from .responses import Response

HANG_SECONDS = 3.0  # longer than the self-tests' client timeout, short enough to free the thread
STALL_SECONDS = 3.0
HUGE_BYTES = 50 * 1024 * 1024
GARBAGE = b"\x00\xffnot json at all\x9c\x88<html>"


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
