"""Recorded interactions as wire Exchanges (cached decoding, `file#N` in every summary) and streams assembled."""

from __future__ import annotations

import json
from functools import cached_property
from typing import Any

from ..wire.exchange import Exchange
from ..wire.sse import SSEParser
from .model import Interaction

_MISSING = object()
_BLOCK = 2048


class RecordedExchange(Exchange):
    """An Exchange read from a recording: decoded once, parsed once; the summary names the recording."""

    ref: str = ""
    note: str = ""

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
    return ex


def _index(value: Any, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _join_tool_call(calls: dict[int, dict[str, Any]], delta: dict[str, Any]) -> None:
    index = _index(delta.get("index"), len(calls))
    call = calls.setdefault(index, {"id": "", "type": "", "function": {"name": "", "arguments": ""}})
    fn = _dict(delta.get("function"))
    for key, target, value in (("id", call, delta.get("id")), ("type", call, delta.get("type")),
                               ("name", call["function"], fn.get("name"))):
        if isinstance(value, str) and value and not target[key]:
            target[key] = value
    if isinstance(fn.get("arguments"), str):
        call["function"]["arguments"] += fn["arguments"]


def _join_choice(choices: dict[int, dict[str, Any]], calls: dict[int, dict[int, dict[str, Any]]],
                 choice: dict[str, Any]) -> None:
    index = _index(choice.get("index"), 0)
    row = choices.setdefault(index, {"index": index, "message": {"role": None, "content": None},
                                     "finish_reason": None})
    message = row["message"]
    delta = _dict(choice.get("delta"))
    if isinstance(delta.get("role"), str) and delta["role"] and message["role"] is None:
        message["role"] = delta["role"]
    for key in ("content", "refusal"):
        if isinstance(delta.get(key), str):
            message[key] = (message.get(key) or "") + delta[key]
    for call in _list(delta.get("tool_calls")):
        if isinstance(call, dict):
            _join_tool_call(calls.setdefault(index, {}), call)
    if choice.get("finish_reason") is not None:
        row["finish_reason"] = choice["finish_reason"]


def assemble(ex: RecordedExchange) -> RecordedExchange | None:
    """Join a chat stream's chunks into the chat.completion a tolerant client builds (None: nothing to join)."""
    first: dict[str, Any] = {}
    usage = None
    choices: dict[int, dict[str, Any]] = {}
    calls: dict[int, dict[int, dict[str, Any]]] = {}
    count = 0
    for event in ex.sse().events:
        try:
            chunk = json.loads(event.data)
        except ValueError:
            continue
        if not isinstance(chunk, dict) or ("error" in chunk and "choices" not in chunk):
            continue
        count += 1
        first = first or chunk
        usage = chunk.get("usage") or usage
        for choice in _list(chunk.get("choices")):
            if isinstance(choice, dict):
                _join_choice(choices, calls, choice)
    if not choices:
        return None
    for index, joined in calls.items():
        choices[index]["message"]["tool_calls"] = [joined[i] for i in sorted(joined)]
    body = {"id": first.get("id"), "object": "chat.completion", "created": first.get("created"),
            "model": first.get("model"), "choices": [choices[i] for i in sorted(choices)], "usage": usage}
    out = RecordedExchange(name=ex.name, method=ex.method, url=ex.url, request_body=ex.request_body,
                           status=ex.status, response_headers={"content-type": "application/json"},
                           raw=bytearray(json.dumps(body).encode("utf-8")), complete=True)
    out.ref, out.note = ex.ref, f"assembled from {count} stream chunks"
    return out
