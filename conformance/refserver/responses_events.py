"""The streamed encoding of a Response: typed Responses events framed as Server-Sent Events (no [DONE]).

Order, as OpenAI sends it: response.created, response.in_progress; per output item output_item.added, its
content_part.added, deltas, *.done events, content_part.done, output_item.done; one terminal event.
"""

from __future__ import annotations

from typing import Any

from . import faults as F
from .chat import tokens
from .fault_types import ActiveFaults
from .responses import JSON, SSE, Response, dumps

Event = dict[str, Any]
TERMINAL = {"completed": "response.completed", "incomplete": "response.incomplete", "failed": "response.failed"}


def _text(item: dict[str, Any]) -> tuple[str, list[Any]]:
    content = item.get("content")
    if isinstance(content, str):
        return content, []
    part = content[0] if isinstance(content, list) and content else {}
    return str(part.get("text", "")), list(part.get("annotations") or [])


def _message(index: int, item: dict[str, Any]) -> list[Event]:
    text, notes = _text(item)
    where = {"item_id": item["id"], "output_index": index, "content_index": 0}
    empty = {"type": "output_text", "text": "", "annotations": [], "logprobs": []}
    events: list[Event] = [
        {"type": "response.output_item.added", "output_index": index,
         "item": dict(item, status="in_progress", content=[])},
        {"type": "response.content_part.added", **where, "part": empty},
    ]
    events += [{"type": "response.output_text.delta", **where, "delta": piece, "logprobs": []}
               for piece in tokens(text)]
    events += [{"type": "response.output_text.annotation.added", **where, "annotation_index": i, "annotation": note}
               for i, note in enumerate(notes)]
    events += [
        {"type": "response.output_text.done", **where, "text": text, "logprobs": []},
        {"type": "response.content_part.done", **where, "part": dict(empty, text=text, annotations=notes)},
        {"type": "response.output_item.done", "output_index": index, "item": item},
    ]
    return events


def _function_call(index: int, item: dict[str, Any]) -> list[Event]:
    where = {"item_id": item["id"], "output_index": index}
    args = item["arguments"]
    size = max(1, -(-len(args) // 3))
    return [
        {"type": "response.output_item.added", "output_index": index,
         "item": dict(item, status="in_progress", arguments="")},
        *({"type": "response.function_call_arguments.delta", **where, "delta": args[i:i + size]}
          for i in range(0, len(args), size)),
        {"type": "response.function_call_arguments.done", **where, "arguments": args, "name": item["name"]},
        {"type": "response.output_item.done", "output_index": index, "item": item},
    ]


def _file_search(index: int, item: dict[str, Any]) -> list[Event]:
    where = {"item_id": item["id"], "output_index": index}
    return [
        {"type": "response.output_item.added", "output_index": index,
         "item": dict(item, status="in_progress", results=None)},
        {"type": "response.file_search_call.in_progress", **where},
        {"type": "response.file_search_call.searching", **where},
        {"type": "response.file_search_call.completed", **where},
        {"type": "response.output_item.done", "output_index": index, "item": item},
    ]


def _reorder(events: list[Event], faults: ActiveFaults) -> list[Event]:
    if faults.has(F.STREAM_CREATED_NOT_FIRST):
        events[0], events[1] = events[1], events[0]
    if faults.has(F.STREAM_EVENTS_OUT_OF_ORDER):
        added = next((i for i, e in enumerate(events) if e["type"] == "response.content_part.added"), None)
        if added is not None:
            events.insert(added - 1, events.pop(added))
    deltas = [i for i, e in enumerate(events) if e["type"] == "response.output_text.delta"]
    if faults.has(F.STREAM_DELTAS_DONT_JOIN) and deltas:
        del events[deltas[-1]]
    if faults.has(F.STREAM_MISSING_TERMINAL):
        events.pop()
    if faults.has(F.STREAM_EVENT_SCHEMA_BROKEN):
        for event in events:
            if event["type"] == "response.output_text.delta":
                event.pop("logprobs", None)
    return events


def events(final: dict[str, Any], faults: ActiveFaults) -> list[Event]:
    """Every event of the stream for a finished response, sequence-numbered, faults applied."""
    start = dict(final, status="in_progress", output=[], usage=None, incomplete_details=None)
    found: list[Event] = [{"type": "response.created", "response": start},
                          {"type": "response.in_progress", "response": start}]
    for index, item in enumerate(final["output"]):
        kind = item.get("type")
        if kind == "function_call" and faults.has(F.STREAM_CALL_AS_TEXT):
            found += _message(index, {"id": item["id"], "type": "message", "status": "completed", "role": "assistant",
                                      "content": [{"type": "output_text", "text": item["arguments"],
                                                   "annotations": []}]})
            continue
        build = _function_call if kind == "function_call" else _file_search if kind == "file_search_call" else _message
        found += build(index, item)
    found.append({"type": TERMINAL.get(final.get("status", "completed"), "response.completed"), "response": final})
    found = _reorder(found, faults)
    numbered = [{"type": e["type"], "sequence_number": n, **e} for n, e in enumerate(found)]
    if faults.has(F.STREAM_SEQUENCE_REPEATED) and len(numbered) > 3:
        numbered[3]["sequence_number"] = numbered[2]["sequence_number"]
    return numbered


def stream_response(final: dict[str, Any], faults: ActiveFaults) -> Response:
    """The whole stream as SSE chunks, one event per chunk."""
    chunks = []
    for event in events(final, faults):
        name = "message" if faults.has(F.STREAM_EVENT_NAME_WRONG) else event["type"]
        prefix = b"" if faults.has(F.STREAM_BAD_FRAMING) else b"data: "
        chunks.append(b"event: " + name.encode() + b"\n" + prefix + dumps(event) + b"\n\n")
    kind = JSON if faults.has(F.STREAM_WRONG_CONTENT_TYPE) else SSE
    return Response(200, {"Content-Type": kind, "Cache-Control": "no-cache"}, chunks=chunks)
