"""RefServer: the reference app on 127.0.0.1 in a background thread, with faults switchable between requests."""

from __future__ import annotations

import secrets
import sys
import threading
import time
from collections.abc import Iterable, Iterator, MutableSet
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from . import faults as F
from . import hostile, yandex
from .app import handle
from .fault_types import ActiveFaults
from .faults import FAULTS, NO_FAULTS
from .responses import ApiError, Response, error_response
from .store import Store

HOST = "127.0.0.1"
_DISCONNECTS = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError)


class FaultSet(MutableSet[str]):
    """The server's switched-on fault names: a mutable set that refuses unknown names (ValueError naming the name)."""

    def __init__(self, names: Iterable[str] = ()) -> None:
        self._names: set[str] = FAULTS.validate(names)

    def __contains__(self, name: object) -> bool:
        return name in self._names

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def __repr__(self) -> str:
        return f"FaultSet({sorted(self._names)!r})"

    def add(self, name: str) -> None:
        """Add a registered fault name."""
        self._names.add(FAULTS.get(name).name)

    def discard(self, name: str) -> None:
        """Remove a fault name if present."""
        self._names.discard(name)

    def update(self, *others: Iterable[str]) -> None:
        """Add several registered fault names (none when one is unknown)."""
        for other in others:
            self._names.update(FAULTS.validate(other))


def _read_chunked(rfile: Any) -> bytes:
    """A chunked request body."""
    body = bytearray()
    while True:
        size = int(rfile.readline().split(b";", 1)[0].strip() or b"0", 16)
        if size == 0:
            while rfile.readline() not in (b"\r\n", b"\n", b""):
                pass
            return bytes(body)
        body.extend(rfile.read(size))
        rfile.readline()


class _Handler(BaseHTTPRequestHandler):
    """HTTP/1.1 plumbing around app.handle; silent on stderr."""

    protocol_version = "HTTP/1.1"
    server_version = "conformance-refserver"
    sys_version = ""
    timeout = 60
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """No access log."""

    def do_GET(self) -> None:
        if self._black_hole():
            return
        if self.headers.get("Upgrade", "").lower() == "websocket":
            from .realtime_ws import serve_upgrade  # the Realtime API shares the REST port, as OpenAI's does

            serve_upgrade(self)
            return
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def do_PUT(self) -> None:
        self._serve()

    def do_PATCH(self) -> None:
        self._serve()

    def _body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return _read_chunked(self.rfile)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _black_hole(self) -> bool:
        """black_hole: read the request, answer nothing, close when the client leaves."""
        if not FAULTS.active(self.server.owner.faults).has(F.BLACK_HOLE):
            return False
        self.server.owner._count()
        self._body()
        hostile.hold(self.connection, self.server.owner.hold_seconds)
        self.close_connection = True
        return True

    def _serve(self) -> None:
        if self._black_hole():
            return
        owner = self.server.owner
        number = owner._count()
        body = self._body()
        faults = FAULTS.active(owner.faults)
        if self.headers.get("Cookie") is not None:
            owner.cookies_received.append(self.headers["Cookie"])
        if faults.has(F.FLAKY_TOOL_CHOICE) and number % 2 == 0:
            faults = faults.plus(F.TOOL_CHOICE_IGNORED)
        try:
            response = handle(self.command, self.path, dict(self.headers.items()), body, faults, owner.store,
                              host=owner.host, account=owner.account)
        except Exception as exc:  # noqa: BLE001 - recorded for RefServer.check(), answered as a 500
            owner.errors.append(exc)
            response = error_response(ApiError(500, f"reference server bug: {exc!r}", kind="server_error"), NO_FAULTS)
        response = hostile.with_cookie(hostile.bend(response, faults), faults, owner.session_cookie,
                                       self.headers.get("Cookie"))
        try:
            time.sleep(hostile.hang_before_headers(faults))
            self._send(response, hostile.stall_between_events(faults), faults)
        except _DISCONNECTS:
            self.close_connection = True

    def _drip(self, pieces: list[bytes]) -> None:
        """Write pieces one drip apart until done, the client leaves (BrokenPipe) or hold_seconds pass."""
        ends = time.monotonic() + self.server.owner.hold_seconds
        for piece in pieces:
            if time.monotonic() > ends or hostile.client_gone(self.connection, self.server.owner.drip_seconds):
                self.close_connection = True
                return
            self.wfile.write(piece)
            self.wfile.flush()

    def _send(self, response: Response, stall: float = 0.0, faults: ActiveFaults = NO_FAULTS) -> None:
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        if response.chunks is None:
            self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            if hostile.drips_bytes(response, faults):
                self._drip([response.body[i:i + 1] for i in range(len(response.body))])
                return
            self.wfile.write(response.body)
            return
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        if hostile.drips_comments(faults):
            comment = b"%x\r\n%s\r\n" % (len(hostile.COMMENT), hostile.COMMENT)
            owner = self.server.owner
            self._drip([comment] * (int(owner.hold_seconds / max(owner.drip_seconds, 0.01)) + 1))
            return
        for index, chunk in enumerate(response.chunks):
            if chunk:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                self.wfile.flush()
            if index == 0 and stall:
                time.sleep(stall)
        self.wfile.write(b"0\r\n\r\n")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, owner: RefServer, port: int) -> None:
        self.owner = owner
        super().__init__((HOST, port), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Record exceptions instead of printing them; client disconnects are not errors."""
        exc = sys.exc_info()[1]
        if isinstance(exc, Exception) and not isinstance(exc, (*_DISCONNECTS, TimeoutError)):
            self.owner.errors.append(exc)


class RefServer:
    """The reference server on http://127.0.0.1:PORT/v1; `faults` may change between requests.

    `host` and `account` make it one host of the Yandex stand-in (yandex.py); `store` may be shared between them.
    `drip_seconds` paces the drip faults; `hold_seconds` bounds how long a drip or the black hole keeps a connection.
    """

    def __init__(self, port: int = 0, faults: Iterable[str] = (), drip_seconds: float = hostile.DRIP_SECONDS,
                 hold_seconds: float = hostile.HOLD_SECONDS, *, store: Store | None = None,
                 host: yandex.Host | None = None, account: yandex.Account | None = None) -> None:
        self._port = port
        self._faults = FaultSet(faults)
        self.drip_seconds = drip_seconds
        self.hold_seconds = hold_seconds
        self.session_cookie = secrets.token_urlsafe(18)  # cookie_echo's secret: must never reach a file
        self.cookies_received: list[str] = []
        self.requests = 0
        self.errors: list[BaseException] = []
        self.store = store or Store()
        self.host = host
        self.account = account
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def faults(self) -> FaultSet:
        """The active fault names (a set that refuses unknown names)."""
        return self._faults

    @faults.setter
    def faults(self, names: Iterable[str]) -> None:
        self._faults = FaultSet(names)

    @property
    def port(self) -> int:
        """The bound port (RuntimeError before start)."""
        if self._server is None:
            raise RuntimeError("RefServer is not started")
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        """Base URL for the openai SDK."""
        return f"http://{HOST}:{self.port}/v1"

    @property
    def ws_url(self) -> str:
        """websocket_base_url for the openai SDK: the Realtime API is GET /v1/realtime upgraded on the same port."""
        return f"ws://{HOST}:{self.port}/v1"

    def _count(self) -> int:
        with self._lock:
            self.requests += 1
            return self.requests

    def start(self) -> RefServer:
        """Bind and serve in a daemon thread; returns self."""
        if self._server is not None:
            raise RuntimeError("RefServer already started")
        self._server = _Server(self, self._port)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"refserver:{self.port}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port (idempotent)."""
        server, thread = self._server, self._thread
        if server is None:
            return
        server.shutdown()
        server.server_close()
        if thread is not None:
            thread.join(timeout=5)
        self._server, self._thread = None, None

    def check(self) -> None:
        """Re-raise the first exception a handler thread raised."""
        if self.errors:
            raise self.errors[0]

    def __enter__(self) -> RefServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
