"""Recorded interactions as wire Exchanges (cached decoding, `file#N` in every summary) and streams assembled."""

from __future__ import annotations

import json
from functools import cached_property
from typing import Any, ClassVar

from ..checks.streaming import annotation, sdk_join
from ..wire.exchange import Exchange
from ..wire.sse import SSEParser
from .model import Interaction

_MISSING = object()
_BLOCK = 2048


class RecordedExchange(Exchange):
    """An Exchange read from a recording: decoded once, parsed once; the summary names the recording."""

    ref: str = ""
    note: str = ""
    headers_as_sent: ClassVar[bool] = False  # recorders drop or filter headers: a missing one is not evidence

    @cached_property
    def body(self) -> bytes:
        """The recorded body (loaders already removed any content-encoding)."""
        return bytes(self.raw)

    def json(self) -> Any:
        """Parsed once; raises ValueError (a fresh one each time) when the body is not JSON."""
        cached = self.__dict__.get("_json", _MISSING)
        if cached is _MISSING:
            try:
                cached = super().json()
            except ValueError as exc:
                cached = exc
            self.__dict__["_json"] = cached
        if isinstance(cached, ValueError):
            raise ValueError(str(cached))
        return cached

    def sse(self) -> SSEParser:
        """Parsed once, fed in blocks cut after a line end (the parser is incremental; small buffers are fast)."""
        if "_sse" not in self.__dict__:
            parser, body, start = SSEParser(), self.body, 0
            while start < len(body):
                cut = body.find(b"\n", start + _BLOCK)
                end = len(body) if cut < 0 else cut + 1
                parser.feed(body[start:end])
                start = end
            parser.finish()
            self.__dict__["_sse"] = parser
        return self.__dict__["_sse"]

    def summary(self) -> str:
        """`file#N: METHOD /path {params}` plus a note such as `(assembled from the stream)`."""
        note = f" ({self.note})" if self.note else ""
        try:
            line = super().summary()
        except (TypeError, AttributeError, ValueError):  # a recorded request of an unexpected shape
            line = f"{self.method} {self.path}"
        return f"{self.ref}: {line}{note}"


def recorded_exchange(item: Interaction) -> RecordedExchange:
    """The Exchange the checks read, built from a recorded interaction."""
    ex = RecordedExchange(name=item.ref, method=item.method, url=item.url, request_body=item.request_body,
                          status=item.status, response_headers=dict(item.response_headers),
                          raw=bytearray(item.body), complete=True)
    ex.ref = item.ref
    ex.framing_as_sent = item.framing
    return ex


def _index(value: Any, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def assemble(ex: RecordedExchange) -> RecordedExchange | None:
    """Join a chat stream's chunks into the chat.completion the official SDK's accumulator builds (None: nothing to
    join, or deltas it cannot join: the stream checks report those)."""
    first: dict[str, Any] = {}
    usage = None
    deltas: dict[int, list[dict[str, Any]]] = {}
    finish: dict[int, Any] = {}
    count = 0
    for event in ex.sse().events:
        try:
            chunk = json.loads(event.data)
        except ValueError:
            continue
        if not isinstance(chunk, dict) or ("error" in chunk and "choices" not in chunk) or annotation(chunk):
            continue
        count += 1
        first = first or chunk
        usage = chunk.get("usage") or usage
        for choice in _list(chunk.get("choices")):
            if isinstance(choice, dict):
                index = _index(choice.get("index"), 0)
                delta = choice.get("delta")
                deltas.setdefault(index, []).append(delta if isinstance(delta, dict) else {})
                if choice.get("finish_reason") is not None:
                    finish[index] = choice["finish_reason"]
    if not deltas:
        return None
    try:
        messages = {index: sdk_join(found) for index, found in deltas.items()}
    except ValueError:
        return None
    for message in messages.values():
        message.setdefault("role", None)
        message.setdefault("content", None)
    choices = [{"index": i, "message": messages[i], "finish_reason": finish.get(i)} for i in sorted(messages)]
    body = {"id": first.get("id"), "object": "chat.completion", "created": first.get("created"),
            "model": first.get("model"), "choices": choices, "usage": usage}
    out = RecordedExchange(name=ex.name, method=ex.method, url=ex.url, request_body=ex.request_body,
                           status=ex.status, response_headers={"content-type": "application/json"},
                           raw=bytearray(json.dumps(body).encode("utf-8")), complete=True)
    out.ref, out.note = ex.ref, f"assembled from {count} stream chunks"
    return out
