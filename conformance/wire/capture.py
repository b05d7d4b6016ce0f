"""An httpx2 transport wrapper that records every exchange byte for byte as the SDK reads it."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import httpx2

from .chunks import CHUNK_HEADER, ChunkLog, decode, split
from .exchange import Exchange


class _TeeStream(httpx2.SyncByteStream):
    """Pass chunks through to the SDK while appending them to the Exchange."""

    def __init__(self, inner: httpx2.SyncByteStream, exchange: Exchange, started: float) -> None:
        self._inner = inner
        self._exchange = exchange
        self._started = started

    def __iter__(self) -> Iterator[bytes]:
        try:
            for chunk in self._inner:
                self._exchange.raw.extend(chunk)
                self._exchange.chunks.append((time.monotonic() - self._started, len(chunk)))
                yield chunk
            self._exchange.complete = True
        except httpx2.HTTPError as exc:
            self._exchange.transport_error = f"{type(exc).__name__}: {exc}"
            raise
        finally:
            self._exchange.elapsed = time.monotonic() - self._started

    def close(self) -> None:
        self._inner.close()


class _ReplayedStream(httpx2.SyncByteStream):
    """A replayed body fed to the SDK in its recorded pieces."""

    def __init__(self, pieces: list[bytes]) -> None:
        self._pieces = pieces

    def __iter__(self) -> Iterator[bytes]:
        yield from self._pieces


class CaptureTransport(httpx2.BaseTransport):
    """Wrap a transport; `take()` returns the exchanges recorded since the last call.

    `chunk_log` (set while recording under vcrpy) supplies the network chunk boundaries that vcrpy hides;
    `on_headers` sees every response's headers before the SDK does (the scrubber learns Set-Cookie values there).
    """

    def __init__(self, inner: httpx2.BaseTransport, chunk_log: ChunkLog | None = None,
                 on_headers: Callable[[httpx2.Headers], None] | None = None) -> None:
        self._inner = inner
        self._log: list[Exchange] = []
        self.label = ""
        self.chunk_log = chunk_log
        self.on_headers = on_headers

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        """Forward the request and tee the response body into a new Exchange."""
        body = request.read()
        exchange = Exchange(name=self.label, method=request.method, url=str(request.url), request_body=body)
        self._log.append(exchange)
        started = time.monotonic()
        try:
            response = self._inner.handle_request(request)
        except Exception as exc:
            exchange.transport_error = f"{type(exc).__name__}: {exc}"
            exchange.elapsed = time.monotonic() - started
            raise
        exchange.status = response.status_code
        headers = httpx2.Headers(response.headers)
        if self.on_headers is not None:
            self.on_headers(headers)
        stream = response.stream
        assert isinstance(stream, httpx2.SyncByteStream)
        recorded = headers.get(CHUNK_HEADER)
        if recorded is not None:
            del headers[CHUNK_HEADER]
            log = decode(recorded)
            stream = _ReplayedStream(split(response.read(), log))
            exchange.wire_chunks = log
        elif self.chunk_log is not None and self.chunk_log.last:
            exchange.wire_chunks = self.chunk_log.last
        exchange.response_headers = {k.lower(): v for k, v in headers.items()}
        return httpx2.Response(
            response.status_code,
            headers=headers,
            stream=_TeeStream(stream, exchange, started),
            extensions=response.extensions,
            request=request,
        )

    def take(self) -> list[Exchange]:
        """Return and forget the exchanges captured so far."""
        taken, self._log = self._log, []
        return taken

    def close(self) -> None:
        self._inner.close()
