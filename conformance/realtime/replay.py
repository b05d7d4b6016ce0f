"""The replay server: plays a cassette's server frames on 127.0.0.1 and checks each client frame against it.

Ordering: a recorded server frame is sent once every client frame recorded before it has arrived; client frames
are matched in their own order. So a client may send early (the SDK flushing session.update before
session.created arrives) without a false mismatch, and no order is asserted between the two directions where it
is racy. A mismatch (type, or payload without event ids and per-session ids in strict mode), an unexpected or a
missing client frame, or the deadline closes the connection with 1008 and is kept in `mismatch`, never a hang.
A recording the server closed holds every client frame that server received: client frames past them met a closed
connection live (the server rejected the session before reading them), so replay drops them as the live run did.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response
from websockets.sync.server import ServerConnection

from .cassette import WsCassette, blobify, diff, map_strings, strip_volatile
from .events import event_type
from .frames import CLIENT, SERVER, Frame
from .loopback import Capture, LoopbackServer, close_code, http_response
from .proxy import send_close

MISMATCH = 1008


def _where(url: str) -> str:
    rest = url.split("://", 1)[-1]
    return unquote("/" + rest.split("/", 1)[1] if "/" in rest else "/")


class ReplayServer:
    """One replayed session; `capture` holds what was exchanged, `mismatch` why the replay stopped (or None)."""

    def __init__(self, cassette: WsCassette, normalize: Callable[[str], str] = str, *, strict: bool = True,
                 deadline: float = 30.0) -> None:
        self.cassette = cassette
        self.normalize = normalize
        self.strict = strict
        self.deadline = deadline
        self.capture = Capture()
        self.mismatch: str | None = None
        self._received = 0
        self._client_gone = False
        self._cond = threading.Condition()
        self._ends = time.monotonic() + deadline
        self.server = LoopbackServer(self._request, self._session, open_timeout=deadline)

    def __enter__(self) -> ReplayServer:
        self.server.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.stop()

    @property
    def url(self) -> str:
        """websocket_base_url for the SDK."""
        return self.server.url

    def _fail(self, problem: str) -> None:
        with self._cond:
            if self.mismatch is None:
                self.mismatch = problem
            self._cond.notify_all()

    def _request(self, conn: ServerConnection, request: Request) -> Response | None:
        self.capture.path = request.path
        self._ends = time.monotonic() + self.deadline
        recorded, sent = self.normalize(_where(self.cassette.url)), self.normalize(unquote(request.path))
        if recorded != sent:
            self._fail(f"handshake {sent} differs from the recorded {recorded}")
            self.capture.done.set()
            return http_response(400, b'{"error":{"message":"cassette mismatch","type":"replay_error"}}')
        if self.cassette.status != 101:
            self.capture.status, self.capture.body = self.cassette.status, self.cassette.body.encode()
            self.capture.done.set()
            return http_response(self.cassette.status, self.capture.body)
        self.capture.accepted()
        return None

    def _wait(self, count: int, expected: list[dict[str, Any]]) -> bool:
        """Block until `count` client frames matched; False on mismatch, early close or deadline."""
        with self._cond:
            self._cond.wait_for(lambda: self._received >= count or self.mismatch is not None or self._client_gone,
                                timeout=max(0.0, self._ends - time.monotonic()))
            if self.mismatch is not None:
                return False
            if self._received >= count:
                return True
        nxt = expected[self._received]
        kind = event_type(nxt.get("event")) or "non-JSON"
        if self._client_gone:
            self._fail(f"the client closed after {self._received} of {len(expected)} recorded client frames "
                       f"(next recorded: #{self._received + 1} {kind})")
        else:
            self._fail(f"timed out after {self.deadline:.0f}s waiting for recorded client frame "
                       f"#{self._received + 1} ({kind})")
        return False

    def _session(self, conn: ServerConnection) -> None:
        frames = self.cassette.frames
        expected = [f for f in frames if f["dir"] == CLIENT]
        reader = threading.Thread(target=self._reader, args=(conn, expected), daemon=True, name="ws-replay-read")
        reader.start()
        before = 0
        ok = True
        for frame in frames:
            if frame["dir"] == CLIENT:
                before += 1
                continue
            ok = self._wait(before, expected)
            if not ok:
                break
            data = self.cassette.wire(frame)
            self.capture.add(SERVER, data)
            try:
                conn.send(data)
            except ConnectionClosed:
                break
        if ok:
            ok = self._wait(len(expected), expected)
        close = self.cassette.close
        if not ok:
            send_close(conn, MISMATCH, "cassette mismatch")
        elif close.get("by") == SERVER:
            self.capture.closed(close.get("code"), str(close.get("reason") or ""), SERVER)
            send_close(conn, close.get("code"), str(close.get("reason") or ""))
        reader.join(timeout=max(0.0, self._ends - time.monotonic()) + 1)
        if reader.is_alive():
            self._fail(f"the client kept the connection open {self.deadline:.0f}s after the recorded end")
            send_close(conn, MISMATCH, "cassette mismatch")
        self.capture.done.set()

    def _reader(self, conn: ServerConnection, expected: list[dict[str, Any]]) -> None:
        while True:
            try:
                message = conn.recv(timeout=max(0.0, self._ends - time.monotonic()))
            except TimeoutError:
                return
            except ConnectionClosed as exc:
                code, reason = close_code(exc)
                self.capture.closed(code, reason, CLIENT)
                with self._cond:
                    self._client_gone = True
                    self._cond.notify_all()
                return
            index = self._received
            if index >= len(expected) and self.cassette.close.get("by") == SERVER:
                continue  # the recorded server closed first: the live session never received this frame
            frame = self.capture.add(CLIENT, message)
            if index >= len(expected):
                self._fail(f"client frame #{index + 1} ({frame.type or 'non-JSON'}) is not in the recording "
                           f"({len(expected)} client frames recorded)")
            else:
                problem = self._compare(expected[index], frame, index)
                if problem:
                    self._fail(problem)
            if self.mismatch is not None:
                send_close(conn, MISMATCH, "cassette mismatch")
                return
            with self._cond:
                self._received += 1
                self._cond.notify_all()

    def _compare(self, recorded: dict[str, Any], frame: Frame, index: int) -> str:
        """'' when the client frame matches the recorded one, else a one-line diff."""
        want = map_strings(recorded.get("event"), self.normalize)
        got = map_strings(blobify(frame.event), self.normalize) if frame.event is not None else None
        head = f"client frame #{index + 1}"
        if event_type(want) != event_type(got):
            shown = event_type(got) or (frame.text[:60] if not frame.binary else "binary")
            return f"{head}: recorded type {event_type(want) or 'non-JSON'!r}, sent {shown!r}"
        if want is None:
            return "" if self.normalize(str(recorded.get("text", ""))) == self.normalize(frame.text) else \
                f"{head}: non-JSON text differs"
        if not self.strict:
            return ""
        lines = diff(strip_volatile(want), strip_volatile(got))
        return f"{head} ({event_type(want)}) differs from the recording: {'; '.join(lines)}" if lines else ""
