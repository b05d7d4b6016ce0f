"""POST /responses without HTTP: validation, input items, the turn history and the deterministic answer.

The answer is decided by structure, in this order: a function_call_output is acknowledged; a function tool is
called when tool_choice forces it or the prompt names its topic; file_search quotes the best matching chunk;
text.format is honoured; a code word in `instructions` is replied; asked for "the code word", an earlier code word
from the history is repeated; "count from 1 to N" counts; anything else gets the fixed greeting.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from ..catalogue.vocabulary import RESPONSE_FORMATS, RESPONSES_INPUT_ROLES
from . import faults as F
from .chat import ANSWER, SERVED_MODELS, SHORT, check_temperature, served, tokens, unknown_model
from .fault_types import ActiveFaults
from .instances import instance
from .responses import ApiError
from .search import keyword_search
from .store import Store

ROLES = RESPONSES_INPUT_ROLES
NONCE = re.compile(r"\b[A-Z0-9]{2,}(?:-[A-Z0-9]{2,}){2,}\b")
COUNT = re.compile(r"count from 1 to (\d+)", re.IGNORECASE)
_KEYWORDS = (("weather", "get_weather"), ("add", "add_numbers"))


def _dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def text_of(item: dict[str, Any]) -> str:
    """The text of a message item (all text parts joined), or the output of a function_call_output."""
    if item.get("type") == "function_call_output":
        return str(item.get("output", ""))
    content = item.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(p["text"] for p in content if isinstance(p, dict) and isinstance(p.get("text"), str))
    return ""


def _message(store: Store, raw: dict[str, Any], where: str, lenient: bool) -> dict[str, Any]:
    role = raw.get("role")
    if role not in ROLES and not lenient:
        raise ApiError(400, f"Invalid value: '{role}'. Supported values are: 'assistant', 'system', 'developer', "
                       "and 'user'.", param=f"{where}.role", code="invalid_value")
    kind = "output_text" if role == "assistant" else "input_text"
    part: dict[str, Any] = {"type": kind, "text": text_of(raw)}
    if kind == "output_text":
        part["annotations"] = []
    return {"id": raw.get("id") or store.mint("msg_", _dumps(raw)), "type": "message", "role": role,
            "status": "completed", "content": [part]}


def input_items(store: Store, value: Any, lenient: bool, where: str = "input") -> list[dict[str, Any]]:
    """Normalise `input` (a string or a list of items) into stored items with ids; 400 on a malformed item."""
    if isinstance(value, str):
        return [_message(store, {"role": "user", "content": value}, where, lenient)]
    if not isinstance(value, list) or not value:
        raise ApiError(400, f"Invalid '{where}': expected a string or a non-empty array of input items.",
                       param=where, code="invalid_value")
    items = []
    for i, raw in enumerate(value):
        at = f"{where}[{i}]"
        if not isinstance(raw, dict):
            raise ApiError(400, f"Invalid type for '{at}': expected an object.", param=at, code="invalid_type")
        kind = raw.get("type", "message")
        if kind == "message":
            items.append(_message(store, raw, at, lenient))
        elif kind == "function_call_output" and isinstance(raw.get("call_id"), str):
            items.append({"id": raw.get("id") or store.mint("fco_", _dumps(raw)), "type": kind,
                          "call_id": raw["call_id"], "output": raw.get("output", ""), "status": "completed"})
        elif kind == "function_call" and isinstance(raw.get("call_id"), str):
            items.append({"id": raw.get("id") or store.mint("fc_", _dumps(raw)), "type": kind,
                          "call_id": raw["call_id"], "name": raw.get("name"), "arguments": raw.get("arguments", ""),
                          "status": "completed"})
        else:
            raise ApiError(400, f"Invalid value for '{at}.type': {kind!r} is not a supported input item type.",
                           param=f"{at}.type", code="invalid_value")
    return items


def check_outputs_answer_calls(history: list[dict[str, Any]]) -> None:
    """Every function_call_output answers a function_call earlier in the history (this input or the chain it
    continues); OpenAI refuses an output it cannot pair with 400."""
    calls: set[Any] = set()
    for item in history:
        if item.get("type") == "function_call":
            calls.add(item.get("call_id"))
        elif item.get("type") == "function_call_output" and item.get("call_id") not in calls:
            raise ApiError(400, f"No tool call found for function call output with call_id {item.get('call_id')}.",
                           param="input", code=None)


def function_tools(req: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Function name -> parameters schema, in declaration order (flat Responses tool format)."""
    return {t["name"]: t.get("parameters") or {"type": "object", "properties": {}}
            for t in req.get("tools") or [] if t.get("type") == "function"}


def _check_tools(req: dict[str, Any], store: Store) -> None:
    tools = req.get("tools") or []
    if not isinstance(tools, list):
        raise ApiError(400, "Invalid type for 'tools': expected an array.", param="tools", code="invalid_type")
    for i, tool in enumerate(tools):
        kind = tool.get("type") if isinstance(tool, dict) else None
        if kind == "function" and isinstance(tool.get("name"), str):
            continue
        if kind == "file_search" and isinstance(tool.get("vector_store_ids"), list):
            for vs_id in tool["vector_store_ids"]:
                if vs_id not in store.vector_stores:
                    raise ApiError(400, f"Vector store with id '{vs_id}' not found.",
                                   param=f"tools[{i}].vector_store_ids", code="invalid_value")
            continue
        raise ApiError(400, f"Invalid 'tools[{i}]': expected a function tool with a name or a file_search tool.",
                       param=f"tools[{i}]", code="invalid_value")
    choice = req.get("tool_choice", "auto")
    names = function_tools(req)
    if choice in ("none", "auto", "required") or (isinstance(choice, dict) and (
            choice.get("type") == "file_search" or (choice.get("type") == "function" and choice.get("name") in names))):
        return
    raise ApiError(400, "Invalid value for 'tool_choice': expected 'none', 'auto', 'required' or a declared tool.",
                   param="tool_choice", code="invalid_value")


def _check_format(req: dict[str, Any]) -> None:
    fmt = (req.get("text") or {}).get("format")
    if fmt is None:
        return
    kind = fmt.get("type") if isinstance(fmt, dict) else None
    if kind not in RESPONSE_FORMATS:
        raise ApiError(400, "Invalid value for 'text.format.type': supported values are 'text', 'json_object' and "
                       "'json_schema'.", param="text.format.type", code="invalid_value")
    if kind == "json_schema" and not (isinstance(fmt.get("name"), str) and isinstance(fmt.get("schema"), dict)):
        raise ApiError(400, "Missing required parameter: 'text.format.name' or 'text.format.schema'.",
                       param="text.format", code="missing_required_parameter")


def lenient(req: dict[str, Any], faults: ActiveFaults) -> dict[str, Any]:
    """The request as a server that does not validate it would read it (faults accepts_*); unchanged otherwise."""
    found = dict(req)
    if "model" not in found and faults.has(F.ACCEPTS_MISSING_REQUIRED):
        found["model"] = SERVED_MODELS[0]
    if isinstance(found.get("input"), (int, float)) and faults.has(F.ACCEPTS_WRONG_TYPE):
        found["input"] = str(found["input"])
    model = found.get("model")
    if isinstance(model, str) and not served(model, faults) and faults.has(F.ACCEPTS_UNKNOWN_MODEL):
        found["model"] = SERVED_MODELS[0]
    return found


def validate(req: dict[str, Any], store: Store, faults: ActiveFaults) -> None:
    """Refuse what OpenAI refuses with 400 (the parts of the request the reference server understands)."""
    if not isinstance(req.get("model"), str):
        raise ApiError(400, "Missing required parameter: 'model'.", param="model", code="missing_required_parameter")
    if not served(req["model"], faults):
        raise unknown_model(req["model"])
    limit = req.get("max_output_tokens")
    if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 16):
        raise ApiError(400, f"Invalid 'max_output_tokens': integer below minimum value. Expected a value >= 16, but "
                       f"got {limit!r} instead.", param="max_output_tokens", code="integer_below_min_value")
    check_temperature(req, faults)
    if req.get("truncation", "disabled") not in ("auto", "disabled"):
        raise ApiError(400, "Invalid value for 'truncation': expected 'auto' or 'disabled'.", param="truncation",
                       code="invalid_value")
    if req.get("background") and req.get("store") is False:
        raise ApiError(400, "Background responses must be stored (store=true).", param="background",
                       code="invalid_value")
    if req.get("previous_response_id") and req.get("conversation"):
        raise ApiError(400, "Mutually exclusive parameters: 'previous_response_id' and 'conversation'.",
                       param="conversation", code="invalid_value")
    _check_tools(req, store)
    _check_format(req)


@dataclass
class Turn:
    """What the model 'said': output items (without ids), status, why incomplete, token counts."""

    output: list[dict[str, Any]]
    status: str = "completed"
    reason: str | None = None
    input_tokens: int = 0
    output_tokens: int = 0
    notes: dict[str, Any] = field(default_factory=dict)


def _keyword_tool(text: str, names: list[str]) -> str | None:
    lowered = text.lower()
    return next((name for keyword, name in _KEYWORDS if keyword in lowered and name in names), None)


def _pick_tool(req: dict[str, Any], last_user: str, faults: ActiveFaults) -> str | None:
    names = list(function_tools(req))
    choice = req.get("tool_choice", "auto")
    if not names or choice == "none" or faults.has(F.RESPONSES_TOOL_CHOICE_IGNORED):
        return None
    if isinstance(choice, dict):
        return choice.get("name") if choice.get("type") == "function" else None
    found = _keyword_tool(last_user, names)
    return found or (names[0] if choice == "required" else None)


def _structured(req: dict[str, Any], faults: ActiveFaults) -> str | None:
    fmt = (req.get("text") or {}).get("format") or {}
    if faults.has(F.TEXT_FORMAT_IGNORED):
        return None
    if fmt.get("type") == "json_object":
        return _dumps({"ok": True})
    if fmt.get("type") == "json_schema":
        return _dumps(instance(fmt.get("schema") or {}))
    return None


def _recall(history: list[dict[str, Any]], current: list[dict[str, Any]]) -> str | None:
    asked = " ".join(text_of(i) for i in current if i.get("role") == "user").lower()
    if "code word" not in asked:
        return None
    earlier = [NONCE.findall(text_of(i)) for i in history[: len(history) - len(current)]]
    found = [n for names in earlier for n in names]
    return found[-1] if found else None


def _text(req: dict[str, Any], history: list[dict[str, Any]], current: list[dict[str, Any]],
          faults: ActiveFaults) -> str:
    structured = _structured(req, faults)
    if structured is not None:
        return structured
    instructions = req.get("instructions") if not faults.has(F.INSTRUCTIONS_IGNORED) else None
    if isinstance(instructions, str) and NONCE.search(instructions):
        return NONCE.findall(instructions)[0]
    recalled = _recall(history, current)
    if recalled:
        return recalled
    counted = COUNT.search(" ".join(text_of(i) for i in current))
    brief = faults.has(F.SHORT_ANSWER)
    if counted:
        return " ".join(str(n) for n in range(1, min(int(counted.group(1)), 3 if brief else 1000) + 1))
    return SHORT if brief else ANSWER


def _file_search(req: dict[str, Any], store: Store, query: str, faults: ActiveFaults) -> list[dict[str, Any]] | None:
    tools = [t for t in req.get("tools") or [] if t.get("type") == "file_search"]
    if not tools or req.get("tool_choice") == "none" or faults.has(F.FILE_SEARCH_IGNORED):
        return None
    tool = tools[0]
    hits = keyword_search(store, tool["vector_store_ids"], query, int(tool.get("max_num_results") or 10))
    results = [{"file_id": h.file_id, "filename": h.filename, "score": h.score, "text": h.text,
                "attributes": h.attributes, "vector_store_id": h.vector_store_id} for h in hits]
    wanted = "file_search_call.results" in (req.get("include") or [])
    call = {"type": "file_search_call", "status": "completed", "queries": [query],
            "results": results if wanted else None}
    text = hits[0].text if hits else "No matching content was found."
    notes = [{"type": "file_citation", "file_id": h.file_id, "filename": h.filename, "index": len(text)}
             for h in hits[:1]]
    return [call, {"type": "message", "role": "assistant", "text": text, "annotations": notes}]


def answer(req: dict[str, Any], history: list[dict[str, Any]], current: list[dict[str, Any]], store: Store,
           faults: ActiveFaults) -> Turn:
    """The deterministic turn for a validated request; `history` already ends with the `current` input items."""
    prompt = sum(len(text_of(i).split()) for i in history) or 1
    last_user = next((text_of(i) for i in reversed(current) if i.get("role") == "user"), "")
    tools = function_tools(req)
    answered = bool(current) and current[-1].get("type") == "function_call_output" and any(
        i.get("type") == "function_call" and i.get("call_id") == current[-1].get("call_id") for i in history)
    if answered and not faults.has(F.TOOL_OUTPUT_IGNORED):
        text = f"The tool returned: {current[-1].get('output', '')}"
        return _limited(req, [{"type": "message", "role": "assistant", "text": text}], prompt, faults)
    name = _pick_tool(req, last_user, faults)
    if current and current[-1].get("type") == "function_call_output":  # ignored, or not paired with its call
        name = name or next(iter(tools), None)
    if name is not None:
        arguments = _dumps(instance(tools[name]))
        call = {"type": "function_call", "status": "completed", "name": name, "arguments": arguments}
        return Turn([call], input_tokens=prompt, output_tokens=len(arguments.split()))
    searched = _file_search(req, store, last_user, faults)
    if searched is not None:
        return _limited(req, searched, prompt, faults)
    text = _text(req, history, current, faults)
    return _limited(req, [{"type": "message", "role": "assistant", "text": text}], prompt, faults)


def _limited(req: dict[str, Any], output: list[dict[str, Any]], prompt: int, faults: ActiveFaults) -> Turn:
    """Apply max_output_tokens to the message text (max_output_tokens_ignored: never)."""
    message = output[-1]
    words = tokens(message["text"])
    limit = None if faults.has(F.MAX_OUTPUT_TOKENS_IGNORED) else req.get("max_output_tokens")
    turn = Turn(output, input_tokens=prompt, output_tokens=len(words))
    if limit is not None and len(words) > limit:
        message["text"] = "".join(words[:limit])
        message["status"] = "incomplete"
        turn.status, turn.reason, turn.output_tokens = "incomplete", "max_output_tokens", limit
    return turn
