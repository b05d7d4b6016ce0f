"""The Exchange record: one request and its response as they went over the wire."""

from __future__ import annotations

import gzip
import json
import zlib
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, ClassVar
from urllib.parse import urlsplit

from ..catalogue.vocabulary import KNOWN_PARAMS
from .endpoints import Endpoint, classify
from .sse import SSEParser, parse_sse

# What makes a request meaningful, in this order: the input, the parameters the rows are about, then sampling.
_SUMMARY_KEYS = (
    "model", "messages", "input", "instructions", "conversation", "previous_response_id", "stream", "stream_options",
    "max_tokens", "max_completion_tokens", "max_output_tokens", "tool_choice", "parallel_tool_calls",
    "response_format", "text", "truncation", "background", "encoding_format", "dimensions", "modalities",
    "temperature", "top_p", "n", "stop", "seed", "logprobs", "top_logprobs", "reasoning_effort",
)
_LONG = 120  # characters of a long value (messages, input, instructions) shown before it is cut


def _shown(value: Any) -> str:
    """Compact JSON, cut after _LONG characters (the cut says how much is left out)."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return text if len(text) <= _LONG else f"{text[:_LONG]}…(+{len(text) - _LONG} chars)"


def error_about_model(exchange: Any) -> bool:
    """Whether an error answer is about the requested model (unknown model), not about a missing route: its code
    is `model_not_found`, its param is `model`, or its message names the model the request asked for."""
    try:
        error = exchange.json().get("error")
    except (ValueError, AttributeError):
        error = None
    model = exchange.request_json.get("model")
    if isinstance(error, dict):
        message = error.get("message")
        return error.get("code") == "model_not_found" or error.get("param") == "model" or (
            isinstance(model, str) and bool(model) and isinstance(message, str) and model in message)
    return isinstance(model, str) and bool(model) and model in exchange.text


# Request fields that name something the server may not have: an answer about one of them is about the request,
# not a missing route (a 404 saying "previous response not found" is not "no /responses endpoint").
REFERENCES = ("model", "previous_response_id")
REFERENCE_CODES = ("model_not_found", "previous_response_not_found")


def error_about_reference(exchange: Any) -> bool:
    """Whether an error answer is about something the request named (the model, or the previous response it
    continues), not about a missing route: its code is one of REFERENCE_CODES, its param one of REFERENCES, or its
    message names a value the request gave one of them."""
    if error_about_model(exchange):
        return True
    try:
        error = exchange.json().get("error")
    except (ValueError, AttributeError):
        return False
    if not isinstance(error, dict):
        return False
    named = [v for k in REFERENCES if isinstance(v := exchange.request_json.get(k), str) and v]
    message = error.get("message")
    return error.get("code") in REFERENCE_CODES or error.get("param") in REFERENCES or (
        isinstance(message, str) and any(v in message for v in named))


@dataclass
class Exchange:
    """A captured HTTP exchange; the body grows as the SDK consumes the stream."""

    name: str
    method: str
    url: str
    request_body: bytes = b""
    status: int | None = None
    response_headers: dict[str, str] = field(default_factory=dict)
    raw: bytearray = field(default_factory=bytearray)
    chunks: list[tuple[float, int]] = field(default_factory=list)
    wire_chunks: list[tuple[float, int]] = field(default_factory=list)
    elapsed: float = 0.0
    transport_error: str | None = None
    sdk_error: str | None = None
    sdk_result: Any = None
    attempts: int = 1
    complete: bool = False
    replayed: bool = False
    # Live capture and the suite's own cassettes keep every response header; a third-party recording may not
    # (RecordedExchange says False): then a missing header is absence of evidence, not a missing header.
    headers_as_sent: ClassVar[bool] = True
    framing_as_sent = True  # False for a fixture that kept a stream's chunks but not its SSE framing

    @property
    def network_chunks(self) -> list[tuple[float, int]]:
        """(seconds since the request, bytes) per network chunk: recorded ones when known, else as read."""
        return self.wire_chunks or self.chunks

    def timing(self) -> str:
        """`N chunks, first after T ms` for reports; a replay without a recorded chunk log has no timing evidence."""
        if self.replayed and not self.wire_chunks:
            return "timing not recorded"
        chunks = self.network_chunks
        if not chunks:
            return "no body"
        return f"{len(chunks)} chunks, first after {chunks[0][0] * 1000:.0f} ms"

    @property
    def path(self) -> str:
        """URL path (without scheme, host or query)."""
        return urlsplit(self.url).path

    @property
    def endpoint(self) -> Endpoint:
        """Which OpenAI endpoint this exchange hit."""
        return classify(self.method, self.path)

    @cached_property
    def request_json(self) -> dict[str, Any]:
        """The request body as parsed JSON ({} when absent or not JSON)."""
        try:
            value = json.loads(self.request_body or b"{}")
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}

    @property
    def request_known(self) -> bool:
        """Whether the request's parameters are known: a JSON object body, or a method that sends none."""
        if self.method.upper() in ("GET", "DELETE", "HEAD"):
            return True
        try:
            return isinstance(json.loads(self.request_body or b""), dict)
        except ValueError:
            return False

    @property
    def content_type(self) -> str:
        """Response media type, lower-case, without parameters."""
        return self.response_headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def is_stream(self) -> bool:
        """True when the request asked for a stream."""
        return bool(self.request_json.get("stream"))

    @property
    def ok(self) -> bool:
        """2xx and no transport error."""
        return self.transport_error is None and self.status is not None and 200 <= self.status < 300

    @property
    def body(self) -> bytes:
        """Response body with any content-encoding removed (raw bytes when the claimed coding is false)."""
        raw = bytes(self.raw)
        coding = self.response_headers.get("content-encoding", "").strip().lower()
        try:
            if coding == "gzip":
                return gzip.decompress(raw)
            if coding == "deflate":
                return zlib.decompress(raw)
        except (OSError, zlib.error, EOFError):
            return raw
        return raw

    @property
    def text(self) -> str:
        """Response body decoded as UTF-8 (lossy)."""
        return self.body.decode("utf-8", "replace")

    def json(self) -> Any:
        """Response body parsed as JSON; raises ValueError when it is not JSON."""
        return json.loads(self.body)

    def sse(self) -> SSEParser:
        """The response body parsed as an SSE stream."""
        return parse_sse(self.body)

    def summary(self) -> str:
        """A one-line description of the request for evidence: the input (cut), the parameters that make it
        meaningful, the number of tools, and whatever the SDK does not know (sent through `extra_body`).

        Secrets never appear: the body carries none, and reports scrub every line again.
        """
        params = self.request_json
        shown = []
        for key in _SUMMARY_KEYS:
            if key in params:
                value = params[key]
                if key == "response_format" and isinstance(value, dict):
                    value = value.get("type")
                shown.append(f"{key}={_shown(value)}")
        if isinstance(params.get("tools"), list):
            shown.append(f"tools={len(params['tools'])}")
        known = KNOWN_PARAMS.get(self.endpoint.value)
        extra = {k: v for k, v in params.items() if known is not None and k not in known}
        if extra:
            shown.append(f"extra_body={_shown(extra)}")
        suffix = f" {{{', '.join(shown)}}}" if shown else ""
        return f"{self.method} {self.path}{suffix}"
