"""The recording proxy: the SDK talks to 127.0.0.1, the proxy talks to the target's real WebSocket URL.

The SDK builds `<websocket_base_url>/<segment>[?query]`: `realtime?model=…` for the Realtime API, `responses` for
the Responses API's WebSocket mode. Real endpoints differ (Yandex legacy `…/v1/realtime/openai`, the seed's bare
`?realtime-250923` key). The proxy maps the SDK's path onto the target URL, keeps the target's own query verbatim,
forwards the client's headers (Authorization included) upstream, and captures every frame with its direction and
time. Header values are held in memory only, never written.
"""

from __future__ import annotations

import threading
import time
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.http11 import Request, Response
from websockets.sync.client import ClientConnection, connect
from websockets.sync.server import ServerConnection

from .events import REALTIME
from .frames import CLIENT, SERVER
from .loopback import Capture, LoopbackServer, close_code, http_response

# Handshake headers that belong to one hop and are rebuilt by the upstream client.
HOP_HEADERS = frozenset({"host", "upgrade", "connection", "sec-websocket-key", "sec-websocket-version",
                         "sec-websocket-extensions", "sec-websocket-protocol", "content-length"})
_KEPT_RESPONSE_HEADERS = ("content-type", "retry-after")
_UNSENDABLE = (None, 1005, 1006, 1015)
PROXY = "proxy"  # `closed_by` of a session the proxy ended itself
DEADLINE_REACHED = "session deadline reached"  # its close reason when the session's total deadline passed


def realtime_url(base: str, segment: str = REALTIME) -> str:
    """The target's WebSocket URL from a profile's `realtime` value or REST base URL: ws(s) scheme, `/<segment>`.

    A path that already names the segment (`…/v1/realtime/openai`) is kept; otherwise `/<segment>` is appended, as
    the SDK does. The target's own query string is kept verbatim.
    """
    parts = urlsplit(base)
    scheme = {"http": "ws", "https": "wss"}.get(parts.scheme, parts.scheme)
    path = parts.path.rstrip("/")
    if segment not in path.split("/"):
        path += "/" + segment
    return urlunsplit((scheme, parts.netloc, path, parts.query, ""))


def map_url(target: str, sdk_path: str, segment: str = REALTIME) -> str:
    """Map the SDK's handshake `…/<segment>[/more]?query` onto the target URL (target query keys win)."""
    path, _, query = sdk_path.partition("?")
    mark = "/" + segment
    suffix = path.split(mark, 1)[1] if mark in path else ""
    base, _, target_query = target.partition("?")
    pairs = [p for p in target_query.split("&") if p]
    keys = {p.split("=", 1)[0] for p in pairs}
    pairs += [p for p in query.split("&") if p and p.split("=", 1)[0] not in keys]
    return base.rstrip("/") + suffix.rstrip("/") + ("?" + "&".join(pairs) if pairs else "")


def send_close(ws: Any, code: int | None, reason: str) -> None:
    """Pass a close on: the same code when it may be sent, a dropped socket for 1006."""
    try:
        if code == 1006:
            ws.close_socket()
        elif code in _UNSENDABLE:
            ws.close()
        else:
            ws.close(code, reason)
    except Exception:  # noqa: BLE001 - the other side is already gone
        pass


class RecordingProxy:
    """One session through the proxy; `capture` holds what went over the wire."""

    def __init__(self, target: str, *, deadline: float = 120.0, open_timeout: float = 30.0,
                 segment: str = REALTIME) -> None:
        self.target = target
        self.segment = segment
        self.deadline = deadline
        self.open_timeout = open_timeout
        self.capture = Capture()
        self.upstream_url = ""
        self._upstream: ClientConnection | None = None
        self.server = LoopbackServer(self._request, self._session, open_timeout=open_timeout + 5)

    def __enter__(self) -> RecordingProxy:
        self.server.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._upstream is not None:
            send_close(self._upstream, 1000, "")
        self.server.stop()

    @property
    def url(self) -> str:
        """websocket_base_url for the SDK."""
        return self.server.url

    def _request(self, conn: ServerConnection, request: Request) -> Response | None:
        """Open the upstream connection first; its refusal (status and body) is the client's refusal."""
        self.capture.path = request.path
        self.upstream_url = map_url(self.target, request.path, self.segment)
        headers = [(k, v) for k, v in request.headers.raw_items() if k.lower() not in HOP_HEADERS]
        try:
            self._upstream = connect(self.upstream_url, additional_headers=headers, open_timeout=self.open_timeout,
                                     close_timeout=2, max_size=None, compression=None, user_agent_header=None,
                                     ping_interval=None)
        except InvalidStatus as exc:
            got = exc.response
            self.capture.status, self.capture.body = got.status_code, bytes(got.body or b"")
            self.capture.headers = {k: got.headers[k] for k in _KEPT_RESPONSE_HEADERS if k in got.headers}
            self.capture.done.set()
            return http_response(got.status_code, self.capture.body, got.headers.get("content-type", "text/plain"))
        except Exception as exc:  # noqa: BLE001 - DNS, TLS, refused, timeout: a transport error, never a verdict
            self.capture.transport_error = f"{type(exc).__name__}: {exc}"[:300]
            self.capture.done.set()
            return http_response(502, b'{"error":{"message":"upstream unreachable","type":"proxy_error"}}')
        self.capture.accepted()
        return None

    def _session(self, conn: ServerConnection) -> None:
        up = self._upstream
        assert up is not None
        ends = time.monotonic() + self.deadline
        pump = threading.Thread(target=self._downstream, args=(up, conn, ends), daemon=True, name="ws-proxy-down")
        pump.start()
        try:
            while True:
                try:
                    message = conn.recv(timeout=max(0.0, ends - time.monotonic()))
                except TimeoutError:
                    self.capture.closed(None, DEADLINE_REACHED, PROXY)
                    break
                except ConnectionClosed as exc:
                    code, reason = close_code(exc)
                    self.capture.closed(code, reason, CLIENT)
                    send_close(up, code, reason)
                    break
                self.capture.add(CLIENT, message)
                try:
                    up.send(message)
                except ConnectionClosed:
                    break
        finally:
            send_close(up, 1000, "")
            pump.join(timeout=5)
            self.capture.done.set()

    def _downstream(self, up: ClientConnection, conn: ServerConnection, ends: float) -> None:
        try:
            while True:
                message = up.recv(timeout=max(0.0, ends - time.monotonic()))
                self.capture.add(SERVER, message)
                try:
                    conn.send(message)
                except ConnectionClosed:
                    return
        except TimeoutError:
            self.capture.closed(None, DEADLINE_REACHED, PROXY)
            send_close(conn, 1000, "")
        except ConnectionClosed as exc:
            code, reason = close_code(exc)
            self.capture.closed(code, reason, SERVER)
            send_close(conn, code, reason)
