"""Pure incremental Server-Sent Events decoder: bytes in, events out, no I/O.

Follows the WHATWG event-stream rules: CR, LF and CRLF line ends, `:` comments, multi-line `data`,
UTF-8 split across chunks. Lines that are not fields are kept as `stray` so framing checks can see them.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

_utf8 = codecs.getincrementaldecoder("utf-8")
_EOL = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class SSEEvent:
    """One dispatched event; `index` counts events from 0."""

    index: int
    data: str
    event: str | None = None
    id: str | None = None


@dataclass
class SSEParser:
    """Feed bytes, get events; `stray` collects lines that are neither fields nor comments."""

    events: list[SSEEvent] = field(default_factory=list)
    stray: list[str] = field(default_factory=list)
    comments: int = 0
    _decoder: codecs.IncrementalDecoder = field(default_factory=lambda: _utf8("replace"))
    _buffer: str = ""
    _data: list[str] = field(default_factory=list)
    _event: str | None = None
    _id: str | None = None
    _pending_cr: bool = False

    def feed(self, chunk: bytes) -> list[SSEEvent]:
        """Decode a chunk and return the events it completed."""
        before = len(self.events)
        text = self._decoder.decode(chunk)
        if self._pending_cr and text.startswith("\n"):
            text = text[1:]
        self._pending_cr = False
        self._buffer += text
        self._drain()
        return self.events[before:]

    def finish(self) -> list[SSEEvent]:
        """Flush at end of stream; an event without its blank line is not dispatched (per spec)."""
        before = len(self.events)
        self._buffer += self._decoder.decode(b"", final=True)
        if self._buffer:
            self._line(self._buffer)
            self._buffer = ""
        return self.events[before:]

    @property
    def unterminated(self) -> bool:
        """True when data was buffered but never dispatched by a blank line."""
        return bool(self._data)

    def _drain(self) -> None:
        buffer, start = self._buffer, 0
        while True:
            match = _EOL.search(buffer, start)
            if match is None:
                break
            self._line(buffer[start:match.start()])
            start = match.end()
            if match.group() == "\r" and start == len(buffer):
                self._pending_cr = True
        self._buffer = buffer[start:]

    def _line(self, line: str) -> None:
        if line == "":
            self._dispatch()
            return
        if line.startswith(":"):
            self.comments += 1
            return
        name, sep, value = line.partition(":")
        if not sep:
            value = ""
        if value.startswith(" "):
            value = value[1:]
        if name == "data":
            self._data.append(value)
        elif name == "event":
            self._event = value
        elif name == "id":
            self._id = value
        elif name == "retry":
            pass
        else:
            self.stray.append(line)

    def _dispatch(self) -> None:
        if self._data:
            self.events.append(SSEEvent(len(self.events), "\n".join(self._data), self._event, self._id))
        self._data = []
        self._event = None


def parse_sse(body: bytes) -> SSEParser:
    """Parse a whole stream body at once and return the finished parser."""
    parser = SSEParser()
    parser.feed(body)
    parser.finish()
    return parser
