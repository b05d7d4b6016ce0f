"""A WebSocket server on 127.0.0.1 (free port) for the recording proxy and the replay server, plus frame capture."""

from __future__ import annotations

import http
import socket
import socketserver
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

from websockets.datastructures import Headers
from websockets.http11 import Request, Response
from websockets.protocol import OPEN
from websockets.server import ServerProtocol
from websockets.sync.server import ServerConnection

from .frames import ACCEPTED, Frame, WsSession

HOST = "127.0.0.1"
OnRequest = Callable[[ServerConnection, Request], "Response | None"]
OnSession = Callable[[ServerConnection], None]


def http_response(status: int, body: bytes, content_type: str = "application/json") -> Response:
    """A plain HTTP answer that refuses the upgrade."""
    phrase = http.HTTPStatus(status).phrase if status in http.HTTPStatus._value2member_map_ else "Error"
    headers = Headers([("Connection", "close"), ("Content-Length", str(len(body))), ("Content-Type", content_type)])
    return Response(status, phrase, headers, body)


class Capture:
    """What a local server saw of one session: handshake, frames in order with times, close."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.frames: list[Frame] = []
        self.status: int | None = None
        self.body = b""
        self.headers: dict[str, str] = {}
        self.close_code: int | None = None
        self.close_reason = ""
        self.closed_by = ""
        self.transport_error: str | None = None
        self.path = ""
        self.done = threading.Event()
        self._lock = threading.Lock()

    def accepted(self) -> None:
        """The handshake succeeded: frame times count from now."""
        self.status = ACCEPTED
        self.started = time.monotonic()

    def add(self, direction: str, data: str | bytes) -> Frame:
        """Append a frame (thread-safe) and return it."""
        with self._lock:
            frame = Frame.of(direction, time.monotonic() - self.started, data)
            self.frames.append(frame)
            return frame

    def closed(self, code: int | None, reason: str, by: str) -> None:
        """Record the first close seen."""
        with self._lock:
            if not self.closed_by:
                self.close_code, self.close_reason, self.closed_by = code, reason, by

    def session(self, name: str, url: str) -> WsSession:
        """The WsSession record of what was captured."""
        with self._lock:
            return WsSession(name, url, self.status, list(self.frames), self.close_code, self.close_reason,
                             self.closed_by, self.body, dict(self.headers), self.transport_error,
                             elapsed=time.monotonic() - self.started)


def close_code(exc: Any) -> tuple[int | None, str]:
    """(code, reason) of a websockets ConnectionClosed; 1006 when no close frame arrived."""
    rcvd = getattr(exc, "rcvd", None)
    if rcvd is None:
        return 1006, ""
    return int(rcvd.code), str(rcvd.reason)


class _TCP(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    block_on_close = False

    def __init__(self, owner: LoopbackServer) -> None:
        self.owner = owner
        super().__init__((HOST, 0), _Handler)


class _Handler(socketserver.BaseRequestHandler):
    server: _TCP

    def handle(self) -> None:
        self.server.owner.serve_socket(self.request)


class LoopbackServer:
    """Accepts WebSocket connections on 127.0.0.1; `on_request` may refuse the handshake, `on_session` runs it."""

    def __init__(self, on_request: OnRequest | None, on_session: OnSession, open_timeout: float = 10.0) -> None:
        self._on_request = on_request
        self._on_session = on_session
        self._open_timeout = open_timeout
        self._tcp: _TCP | None = None
        self._thread: threading.Thread | None = None
        self.errors: list[BaseException] = []

    @property
    def url(self) -> str:
        """ws://127.0.0.1:PORT/v1, the form the SDK takes as websocket_base_url."""
        if self._tcp is None:
            raise RuntimeError("server not started")
        return f"ws://{HOST}:{self._tcp.server_address[1]}/v1"

    def start(self) -> LoopbackServer:
        """Bind a free port and accept in a daemon thread."""
        self._tcp = _TCP(self)
        self._thread = threading.Thread(target=self._tcp.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True,
                                        name="conformance-ws")
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop accepting and release the port (idempotent)."""
        if self._tcp is None:
            return
        self._tcp.shutdown()
        self._tcp.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._tcp, self._thread = None, None

    def __enter__(self) -> LoopbackServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def serve_socket(self, sock: socket.socket) -> None:
        """Handshake (bounded), then run the session; every failure is kept in `errors`."""
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, True)
        conn = ServerConnection(sock, ServerProtocol(max_size=None), ping_interval=None, close_timeout=2)
        try:
            conn.handshake(self._on_request, None, None, self._open_timeout)
        except Exception as exc:  # noqa: BLE001 - a failed handshake is reported, never raised in a thread
            self.errors.append(exc)
            conn.close_socket()
            conn.recv_events_thread.join(timeout=5)
            return
        if conn.protocol.state is not OPEN:
            conn.close_socket()
            conn.recv_events_thread.join(timeout=5)
            return
        try:
            self._on_session(conn)
        except Exception as exc:  # noqa: BLE001 - kept for the runner, the connection is closed below
            self.errors.append(exc)
        finally:
            conn.close()
            conn.recv_events_thread.join(timeout=5)
