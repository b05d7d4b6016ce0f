"""Responses API endpoints: create (plain, streamed, background), retrieve, delete, cancel, input_items.

A background response is `queued` when created, `in_progress` on the first retrieve and `completed` on the next
(background_stuck: never); a stored response remembers its whole turn history for `previous_response_id`.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from . import faults as F
from . import responses_logic as logic
from .calls import RETRIEVES, Call, Endpoint, not_found, page, remove
from .fault_types import ActiveFaults, Scope
from .responses import CREATED, ApiError, Reply
from .responses_events import stream_response
from .store import StoredConversation, StoredResponse


def _item(store_mint: Any, seed: str, index: int, item: dict[str, Any], faults: ActiveFaults) -> dict[str, Any]:
    """An output item of the turn with its ids (the wire shape)."""
    key = f"{seed}/{index}"
    if item["type"] == "function_call":
        call_id = item["name"] if faults.has(F.RESPONSES_CALL_ID_IS_NAME) else store_mint("call_", key)
        return {"id": store_mint("fc_", key), "type": "function_call", "status": "completed",
                "call_id": call_id, "name": item["name"], "arguments": item["arguments"]}
    if item["type"] == "file_search_call":
        return {"id": store_mint("fs_", key), **item}
    part = {"type": "output_text", "text": item["text"], "annotations": item.get("annotations", []), "logprobs": []}
    content: Any = item["text"] if faults.has(F.RESPONSES_OUTPUT_CHAT_SHAPE) else [part]
    return {"id": store_mint("msg_", key), "type": "message", "status": item.get("status", "completed"),
            "role": "assistant", "content": content}


def _tool_echo(tool: dict[str, Any]) -> dict[str, Any]:
    if tool.get("type") == "function":
        return {"type": "function", "name": tool["name"], "description": tool.get("description"),
                "parameters": tool.get("parameters"), "strict": tool.get("strict", True)}
    return {"type": "file_search", "vector_store_ids": tool["vector_store_ids"], "filters": tool.get("filters"),
            "max_num_results": tool.get("max_num_results", 20),
            "ranking_options": {"ranker": "auto", "score_threshold": 0.0}}


def _created_at(faults: ActiveFaults) -> Any:
    if faults.has(F.RESOURCE_CREATED_AT_STRING):
        return str(CREATED)
    return CREATED * 1000.0 if faults.has(F.RESPONSES_CREATED_AT_MS) else CREATED


def body(ident: str, req: dict[str, Any], turn: logic.Turn, output: list[dict[str, Any]], faults: ActiveFaults,
         conversation: str | None = None) -> dict[str, Any]:
    """The Response object for a finished turn (faults applied)."""
    fmt = (req.get("text") or {}).get("format") or {"type": "text"}
    usage = {"input_tokens": turn.input_tokens, "input_tokens_details": {"cached_tokens": 0},
             "output_tokens": turn.output_tokens, "output_tokens_details": {"reasoning_tokens": 0},
             "total_tokens": turn.input_tokens + turn.output_tokens}
    temperature = req.get("temperature", 1.0)
    found: dict[str, Any] = {
        "id": ident,
        "object": "response", "created_at": _created_at(faults), "status": turn.status,
        "background": bool(req.get("background")), "error": None,
        "incomplete_details": {"reason": turn.reason} if turn.reason else None,
        "instructions": None if faults.has(F.INSTRUCTIONS_IGNORED) else req.get("instructions"),
        "max_output_tokens": req.get("max_output_tokens"), "max_tool_calls": None, "model": req["model"],
        "output": output, "parallel_tool_calls": req.get("parallel_tool_calls", True),
        "previous_response_id": None if faults.has(F.PREVIOUS_RESPONSE_ID_IGNORED) else req.get("previous_response_id"),
        "reasoning": {"effort": None, "summary": None}, "service_tier": "default", "store": req.get("store", True),
        "temperature": min(temperature, 1.0) if faults.has(F.TEMPERATURE_CLAMPED) else temperature,
        "text": {"format": fmt, "verbosity": "medium"}, "tool_choice": req.get("tool_choice", "auto"),
        "tools": [_tool_echo(t) for t in req.get("tools") or []], "top_p": req.get("top_p", 1.0),
        "truncation": "disabled" if faults.has(F.TRUNCATION_IGNORED) else req.get("truncation", "disabled"),
        "usage": None if faults.has(F.RESPONSES_USAGE_NULL) else usage, "user": None,
        "metadata": req.get("metadata") or {},
        "conversation": {"id": conversation} if conversation else None,
    }
    if faults.has(F.RESPONSES_STATUS_MISSING):
        del found["status"]
    if faults.has(F.RESPONSES_USAGE_SHAPE) and isinstance(found.get("usage"), dict):
        found["usage"] = {k: v for k, v in found["usage"].items() if k != "output_tokens_details"}
    if faults.has(F.ECHO_OMITTED):
        for key in ("instructions", "temperature", "truncation", "previous_response_id", "conversation"):
            found.pop(key, None)
    return found


def _history(call: Call, req: dict[str, Any], current: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], Any]:
    """Earlier items (previous response or conversation) + this input; and the conversation, when one is used."""
    previous = req.get("previous_response_id")
    if previous:
        stored = call.store.responses.get(previous)
        if stored is None and not call.has(F.PREVIOUS_NOT_FOUND_ANSWERED):
            code = None if call.has(F.PREVIOUS_NOT_FOUND_CODE_MISSING) else "previous_response_not_found"
            raise ApiError(404 if call.has(F.PREVIOUS_NOT_FOUND_404) else 400,
                           f"Previous response with id '{previous}' not found.", param="previous_response_id",
                           code=code)
        earlier = [] if stored is None or call.has(F.PREVIOUS_RESPONSE_ID_IGNORED) else stored.history
        if call.has(F.CHAIN_DROPS_FUNCTION_CALLS):
            earlier = [i for i in earlier if i.get("type") != "function_call"]
        return [*earlier, *current], None
    ref = req.get("conversation")
    if ref:
        conv_id = ref.get("id") if isinstance(ref, dict) else ref
        conversation = call.store.conversations.get(conv_id) if isinstance(conv_id, str) else None
        if conversation is None:
            raise ApiError(404, f"Conversation with id '{conv_id}' not found.", param="conversation", code="not_found")
        if call.has(F.CONVERSATION_IGNORED):
            return list(current), None
        return [*conversation.items, *current], conversation
    return list(current), None


def create(call: Call) -> Reply:
    """POST /responses."""
    req = logic.lenient(call.json(), call.faults)
    lenient = call.has(F.ERROR_STATUS_200)
    current = logic.input_items(call.store, req.get("input"), lenient)
    logic.validate(req, call.store, call.faults)
    history, conversation = _history(call, req, current)
    logic.check_outputs_answer_calls(history)
    turn = logic.answer(req, history, current, call.store, call.faults)
    seed = hashlib.sha256(call.body).hexdigest()
    ident = call.store.mint("resp_", call.body)
    if call.has(F.RESPONSES_BARE_UUID):  # stored under the id it answers, so retrieving and chaining still work
        ident = str(uuid.UUID(ident[5:].ljust(32, "0")[:32]))
    output = [_item(call.store.mint, f"{ident}/{seed}", i, item, call.faults) for i, item in enumerate(turn.output)]
    conv_id = conversation.body["id"] if isinstance(conversation, StoredConversation) else None
    final = body(ident, req, turn, output, call.faults, conv_id)
    if conversation is not None:
        conversation.items.extend([*current, *output])
    stored = StoredResponse(final, current, [*history, *output])
    if req.get("background") and not call.has(F.BACKGROUND_IGNORED):
        stored.final = final
        stored.body = dict(final, status="queued", output=[], usage=None, incomplete_details=None)
    if req.get("store", True) or call.has(F.STORE_FALSE_IGNORED):
        call.store.responses[ident] = stored
    if req.get("stream") is True:
        return stream_response(final, call.faults)
    return stored.body


def _stored(call: Call) -> StoredResponse:
    found = call.store.responses.get(call.params[0])
    if found is None:
        raise not_found("response", call.params[0])
    return found


def _progress(stored: StoredResponse, faults: ActiveFaults) -> None:
    """One more look at a background response moves it on: queued -> in_progress -> completed."""
    if stored.final is None or stored.body.get("status") not in ("queued", "in_progress"):
        return
    if faults.has(F.BACKGROUND_STUCK):
        return
    stored.reads += 1
    stored.body = dict(stored.body, status="in_progress") if stored.reads == 1 else stored.final


def retrieve(call: Call) -> Reply:
    """GET /responses/{id}."""
    stored = _stored(call)
    _progress(stored, call.faults)
    return dict(stored.body)


def delete(call: Call) -> Reply:
    """DELETE /responses/{id}."""
    _stored(call)
    return remove(call, call.store.responses, call.params[0], "response")


def cancel(call: Call) -> Reply:
    """POST /responses/{id}/cancel: a queued or running background response becomes cancelled."""
    stored = _stored(call)
    if stored.final is None and not stored.body.get("background"):
        raise ApiError(400, "Cannot cancel a synchronous response.", param="response_id", code="invalid_value")
    if call.has(F.CANCEL_REFUSED):
        raise ApiError(400, "Cancelling is not supported.", param="response_id", code="invalid_value")
    if call.has(F.CANCEL_FINISHED_REFUSED) and stored.final is not None:  # it finished before the cancel came
        stored.body, stored.final = stored.final, None
        raise ApiError(400, "Cannot cancel a response that is not in progress.", param="response_id",
                       code="invalid_value")
    if stored.body.get("status") in ("queued", "in_progress") and not call.has(F.CANCEL_IGNORED):
        stored.body = dict(stored.body, status="cancelled", output=[], usage=None)
        stored.final = None
    return stored.body


def list_input_items(call: Call) -> Reply:
    """GET /responses/{id}/input_items (newest first)."""
    stored = _stored(call)
    items = [] if call.has(F.INPUT_ITEMS_EMPTY) else stored.input_items
    return page(items, call)


def compact(call: Call) -> Reply:
    """POST /responses/compact: the user messages of the history, then one opaque compaction item (nothing stored);
    compact_not_compacted hands the history back unchanged, compact_absent has no such route (404)."""
    if call.has(F.COMPACT_ABSENT):
        raise ApiError(404, "Invalid URL (POST /v1/responses/compact)")
    req = call.json()
    logic.validate({k: v for k, v in req.items() if k in ("model", "instructions")}, call.store, call.faults)
    history = logic.input_items(call.store, req.get("input"), False)
    if req.get("previous_response_id"):
        history = [*_history(call, {"previous_response_id": req["previous_response_id"]}, [])[0], *history]
    kept = [i for i in history if i.get("role") == "user"]
    words = sum(len(logic.text_of(i).split()) for i in history) or 1
    if call.has(F.COMPACT_NOT_COMPACTED):
        output = history
    else:
        summary = hashlib.sha256(call.body).hexdigest()
        output = [*kept, {"id": call.store.mint("cmp_", call.body), "type": "compaction",
                          "encrypted_content": f"gAAAA{summary}"}]
    usage = {"input_tokens": words, "input_tokens_details": {"cached_tokens": 0}, "output_tokens": 8,
             "output_tokens_details": {"reasoning_tokens": 0}, "total_tokens": words + 8}
    return {"id": call.store.mint("resp_", call.body), "object": "response.compaction", "created_at": CREATED,
            "output": output, "usage": usage}


RESP = Scope.RESPONSES
ROUTES: tuple[Endpoint, ...] = (
    Endpoint("POST", "/responses", create, RESP),
    Endpoint("POST", "/responses/compact", compact, RESP),
    Endpoint("GET", "/responses/{}", retrieve, RESP, RETRIEVES),
    Endpoint("DELETE", "/responses/{}", delete, RESP),
    Endpoint("POST", "/responses/{}/cancel", cancel, RESP),
    Endpoint("GET", "/responses/{}/input_items", list_input_items, RESP),
)
