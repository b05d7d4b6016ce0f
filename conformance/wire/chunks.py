"""Chunk boundaries and timing of streamed bodies: logged under vcrpy while recording, replayed chunk by chunk.

vcrpy stores a body as one string. While recording, a wrapper around the transport's connection pool logs every
network chunk (time since the request, size); the recorder stores that log in the cassette as the response header
`x-conformance-chunks: 0.012:120,0.020:88,...`, and on replay the capture transport removes the header and feeds the
SDK the body in those pieces. A body whose size differs from the log (e.g. it was gzip on the wire) is re-split
proportionally.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from typing import Any

CHUNK_HEADER = "x-conformance-chunks"
Chunks = list[tuple[float, int]]


def encode(chunks: Chunks) -> str:
    """Header value for a chunk log."""
    return ",".join(f"{t:.3f}:{n}" for t, n in chunks)


def decode(value: str) -> Chunks:
    """Parse a header value; malformed entries are dropped."""
    chunks: Chunks = []
    for item in value.split(","):
        t, _, n = item.partition(":")
        try:
            chunks.append((float(t), int(n)))
        except ValueError:
            continue
    return chunks


def split(body: bytes, chunks: Chunks) -> list[bytes]:
    """Cut a body into the logged pieces (proportionally when the sizes do not add up)."""
    if not chunks:
        return [body] if body else []
    total = sum(n for _, n in chunks) or 1
    scale = len(body) / total
    pieces, start, acc = [], 0, 0
    for i, (_t, n) in enumerate(chunks):
        acc += n
        end = len(body) if i == len(chunks) - 1 else round(acc * scale)
        pieces.append(body[start:end])
        start = end
    return [p for p in pieces if p]


class ChunkLog:
    """Chunk logs of responses read from the network, oldest first; `last` is the most recent one."""

    def __init__(self) -> None:
        self.pending: list[Chunks] = []
        self.last: Chunks = []

    def push(self, chunks: Chunks) -> None:
        """A response body was read to the end."""
        self.pending.append(chunks)
        self.last = chunks

    def pop(self) -> Chunks:
        """The oldest unclaimed log (what the recorder attaches to the response it is writing)."""
        return self.pending.pop(0) if self.pending else []


class _LoggedStream:
    def __init__(self, inner: Iterable[bytes], log: ChunkLog, started: float) -> None:
        self._inner = inner
        self._log = log
        self._started = started

    def __iter__(self) -> Iterator[bytes]:
        chunks: Chunks = []
        try:
            for chunk in self._inner:
                chunks.append((time.monotonic() - self._started, len(chunk)))
                yield chunk
        finally:
            self._log.push(chunks)

    def close(self) -> None:
        close = getattr(self._inner, "close", None)
        if close is not None:
            close()


class LoggingPool:
    """Wraps an httpcore connection pool so every response stream logs its chunks."""

    def __init__(self, inner: Any, log: ChunkLog) -> None:
        self._inner = inner
        self._log = log

    def handle_request(self, request: Any) -> Any:
        """Forward and wrap the response stream."""
        started = time.monotonic()
        response = self._inner.handle_request(request)
        response.stream = _LoggedStream(response.stream, self._log, started)
        return response

    def close(self) -> None:
        self._inner.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)
