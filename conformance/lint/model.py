"""Plain records of what a recording holds: HTTP interactions, WebSocket sessions, and what could not be read."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit


class Format:
    """Names of the recording formats (FORMATS.md), as counted in the lint summary."""

    VCR_PLAIN = "vcrpy-yaml"
    VCR_GZIP = "vcrpy-yaml-gzip-binary"
    PARSED_BODY = "pydantic-ai-parsed-body"
    PRETTY_JSON = "pretty-printed-json"
    HTTPX_STUB = "vcrpy-httpx-stub"
    ONE_JSON = "one-interaction-json"
    PYTHON_TAGS = "yaml-python-tags"
    GZIP_FILE = "gzip-cassette"
    WEBSOCKET = "websocket-session"
    RUBY_VCR = "ruby-vcr"
    GO_VCR = "go-vcr"
    HTTPRR = "httprr-trace"
    SSE_FILE = "raw-sse-body"
    JSONL = "jsonl-stream-fixture"
    BARE_JSON = "bare-json-body"


@dataclass
class Interaction:
    """One recorded HTTP request and its response, normalised: lower-case headers, decoded body bytes."""

    file: str
    number: int
    fmt: str
    method: str
    url: str
    request_headers: dict[str, str] = field(default_factory=dict)
    request_body: bytes = b""
    status: int | None = None
    response_headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    framing: bool = True  # False when the stream's SSE framing was not kept (a JSON-lines fixture)

    @property
    def ref(self) -> str:
        """`file#N`: how evidence names the interaction (N counts from 1)."""
        return f"{self.file}#{self.number}"

    @property
    def host(self) -> str:
        """host[:port] of the request URL, lower-case."""
        return urlsplit(self.url).netloc.lower()

    @property
    def path(self) -> str:
        """URL path of the request."""
        return urlsplit(self.url).path


@dataclass
class Session:
    """A recorded WebSocket session: frames in order as (direction sent|received, event), counts by type."""

    file: str
    sent: int = 0
    received: int = 0
    closes: int = 0
    event_types: Counter[str] = field(default_factory=Counter)
    frames_log: list[tuple[str, object]] = field(default_factory=list)
    close_code: int | None = None

    @property
    def ref(self) -> str:
        """`file#1`: a session log holds one session."""
        return f"{self.file}#1"

    @property
    def frames(self) -> int:
        """Message frames in both directions."""
        return self.sent + self.received


@dataclass
class Loaded:
    """Everything read from one file."""

    file: str
    interactions: list[Interaction] = field(default_factory=list)
    sessions: list[Session] = field(default_factory=list)


class Unreadable(Exception):
    """A recording this tool cannot read (broken YAML, undecodable bytes, a malformed record); one line."""


class NotRecording(Exception):
    """A file that is no recording at all (documentation, configuration, code): skipped with this reason."""
