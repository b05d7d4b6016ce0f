"""The streamed encoding of an answer: chat.completion.chunk objects framed as Server-Sent Events."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from . import faults as F
from .chat import Answer, ToolCall, tokens
from .fault_types import ActiveFaults
from .responses import CREATED, JSON, SSE, Response, dumps

Delta = tuple[dict[str, Any], str | None]
DONE = b"data: [DONE]\n\n"


def _pieces(text: str, count: int = 3) -> list[str]:
    """Split a string into up to `count` non-empty consecutive pieces."""
    size = max(1, -(-len(text) // count))
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]


def _other_arguments(arguments: str) -> str:
    """stream_tool_args_differ: the same keys with other values (strings get a suffix, numbers one more)."""
    value = json.loads(arguments)
    if not isinstance(value, dict):
        return arguments
    bent = {k: v + " Nord" if isinstance(v, str) else v + 1 if isinstance(v, int) else v for k, v in value.items()}
    return json.dumps(bent, separators=(",", ":"))


def _tool_deltas(index: int, call: ToolCall, faults: ActiveFaults) -> list[Delta]:
    first = {"index": index, "id": call.id, "type": "function", "function": {"name": call.name, "arguments": ""}}
    arguments = _other_arguments(call.arguments) if faults.has(F.STREAM_TOOL_ARGS_DIFFER) else call.arguments
    pieces = _pieces(arguments)
    if faults.has(F.STREAM_TOOL_ARGS_BROKEN):
        pieces = pieces[:-1] or ["{"]
    rows: list[Delta] = [({"tool_calls": [first]}, None)]
    for piece in pieces:
        more: dict[str, Any] = {"index": index, "function": {"arguments": piece}}
        if faults.has(F.STREAM_TOOL_EMPTY_STRINGS):
            more = {"index": index, "id": "", "type": "", "function": {"name": "", "arguments": piece}}
        if faults.has(F.STREAM_TOOL_REPEATED_ID):
            more = {"index": index, "id": call.id, "type": "function",
                    "function": {"name": call.name, "arguments": piece}}
        rows.append(({"tool_calls": [more]}, None))
    if faults.has(F.STREAM_TOOL_NO_INDEX):
        for delta, _finish in rows:
            for entry in delta["tool_calls"]:
                entry.pop("index", None)
    return rows


REASONING = "The user wants a short greeting."


def _reasoning_deltas(req: dict[str, Any], faults: ActiveFaults) -> list[Delta]:
    """Reasoning streamed before the answer: reasoning_content strings (faithful, as vLLM or DeepSeek send them),
    or reasoning_details lists without index when reasoning_effort was asked (reasoning_details_unindexed)."""
    if faults.has(F.REASONING_DETAILS_UNINDEXED) and req.get("reasoning_effort") is not None:
        return [({"reasoning_details": [{"type": "reasoning.text", "text": piece}]}, None)
                for piece in tokens(REASONING)]
    if faults.has(F.REASONING_CONTENT_STREAMED):
        return [({"reasoning_content": piece}, None) for piece in tokens(REASONING)]
    return []


def deltas(ans: Answer, faults: ActiveFaults, req: dict[str, Any] | None = None) -> list[Delta]:
    """(delta, finish_reason) for every choice chunk, faults applied."""
    rows: list[Delta] = [({"role": "assistant", "content": "" if ans.content is not None else None}, None)]
    rows += _reasoning_deltas(req or {}, faults)
    for piece in tokens(ans.content or ""):
        rows.append(({"content": piece.upper() if faults.has(F.STREAM_CONTENT_DIFFERS) else piece}, None))
    for index, call in enumerate(ans.tool_calls):
        rows.extend(_tool_deltas(index, call, faults))
    rows.append(({}, ans.finish))
    if faults.has(F.STREAM_ROLE_EVERY_CHUNK):
        rows = [({"role": "assistant", **delta}, finish) for delta, finish in rows]
    if faults.has(F.STREAM_FINISH_TWICE):
        rows[-2] = (rows[-2][0], ans.finish)
    return rows


def _wants_usage(req: dict[str, Any], faults: ActiveFaults) -> bool:
    if faults.has(F.STREAM_USAGE_UNASKED):
        return True
    options = req.get("stream_options")
    asked = isinstance(options, dict) and options.get("include_usage") is True
    return asked and not faults.has(F.STREAM_USAGE_MISSING)


def chunks(ans: Answer, req: dict[str, Any], faults: ActiveFaults) -> list[dict[str, Any]]:
    """Every chat.completion.chunk of the stream, in order."""
    kind = "chat.completion" if faults.has(F.STREAM_CHUNK_OBJECT_WRONG) else "chat.completion.chunk"
    found = []
    rows: list[tuple[list[dict[str, Any]], dict[str, int] | None]] = [
        ([{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}], None)
        for delta, finish in deltas(ans, faults, req)
    ]
    if _wants_usage(req, faults):
        if faults.has(F.STREAM_USAGE_EVERY_CHUNK):
            rows = [(choices, ans.usage()) for choices, _usage in rows]
        rows.append(([], ans.usage()))
    for n, (choices, usage) in enumerate(rows):
        ident = ans.id
        if faults.has(F.STREAM_ID_CHANGES):
            ident = "chatcmpl-" + hashlib.sha256(f"{ans.id}/{n}".encode()).hexdigest()[:24]
        chunk: dict[str, Any] = {"id": ident, "object": kind, "created": CREATED, "model": ans.model,
                                 "system_fingerprint": "fp_reference", "choices": choices}
        if usage is not None:
            chunk["usage"] = usage
        found.append(chunk)
    return found


def frames(objects: list[dict[str, Any]], faults: ActiveFaults) -> list[bytes]:
    """SSE byte chunks for the chunk objects, with the framing faults applied."""
    prefix = b"" if faults.has(F.STREAM_BAD_FRAMING) else b"data: "
    events = [prefix + dumps(obj) + b"\n\n" for obj in objects]
    if faults.has(F.SDK_UNPARSABLE_STREAM):
        events.insert(1, b"data: " + dumps({"error": {"message": "boom"}}) + b"\n\n")
    if faults.has(F.STREAM_TRUNCATED):
        return [*events[:-1], events[-1][: len(events[-1]) // 2]]
    if faults.has(F.STREAM_NO_DONE):
        return events
    # Both marks in one chunk: the SDK stops reading at the first, so a separate second one might never be read.
    return [*events, DONE * 2 if faults.has(F.STREAM_DONE_TWICE) else DONE]


def stream_response(ans: Answer, req: dict[str, Any], faults: ActiveFaults) -> Response:
    """The whole streamed answer."""
    kind = JSON if faults.has(F.STREAM_WRONG_CONTENT_TYPE) else SSE
    headers = {"Content-Type": kind, "Cache-Control": "no-cache"}
    return Response(200, headers, chunks=frames(chunks(ans, req, faults), faults))
