"""POST /chat/completions: validation, the deterministic answer, and the non-streamed body."""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from ..catalogue.vocabulary import CHAT_PARAMS, CHAT_ROLES, RESPONSE_FORMATS, TOOL_CHOICES
from . import chat_params
from . import faults as F
from .fault_types import ActiveFaults
from .instances import instance
from .models_api import MODELS as SERVED_MODELS
from .responses import CREATED, ApiError

ANSWER = "Hello from the reference server."
SHORT = "Hello."  # short_answer: a model that answers briefly, under any token limit
ROLES = CHAT_ROLES
_FIRST_FAULTS = (F.ACCEPT_TOOL_CHOICE_FIRST, F.FIRST_CALLS_LAST)
_LENIENT_FAULTS = (F.TOOL_CHOICE_IGNORED, F.ERROR_STATUS_200)
_CITY = re.compile(r"\bin ([A-Z][\w-]*)")


@dataclass
class ToolCall:
    """One function call of the answer; `arguments` is the JSON text."""

    id: str
    name: str
    arguments: str


@dataclass
class Answer:
    """The assistant turn, independent of how it is encoded (body or stream)."""

    id: str
    model: str
    content: str | None
    finish: str
    prompt_tokens: int
    completion_tokens: int
    tool_calls: list[ToolCall] = field(default_factory=list)

    def usage(self) -> dict[str, int]:
        """The faithful usage object."""
        total = self.prompt_tokens + self.completion_tokens
        return {"prompt_tokens": self.prompt_tokens, "completion_tokens": self.completion_tokens, "total_tokens": total}


def tokens(text: str) -> list[str]:
    """Whitespace tokens with their leading whitespace, so that joining them gives the text back."""
    return re.findall(r"\s*\S+", text)


def _digest(raw: bytes, salt: str = "") -> str:
    return hashlib.sha256(raw + salt.encode()).hexdigest()


# --- validation -----------------------------------------------------------------------------------------------


def _check_messages(req: dict[str, Any], lenient: bool) -> None:
    messages = req.get("messages")
    if not isinstance(messages, list) or not messages:
        raise ApiError(400, "'messages' must be a non-empty array.", param="messages", code="invalid_value")
    for i, message in enumerate(messages):
        if not isinstance(message, dict):
            raise ApiError(400, f"Invalid type for 'messages[{i}]': expected an object.", param=f"messages[{i}]",
                           code="invalid_type")
        role = message.get("role")
        if role not in ROLES and not lenient:
            raise ApiError(400, f"Invalid value: '{role}'. Supported values are: 'system', 'developer', 'user', "
                           "'assistant', 'tool', and 'function'.", param=f"messages[{i}].role", code="invalid_value")


def _check_limits(req: dict[str, Any]) -> None:
    for key in ("max_tokens", "max_completion_tokens"):
        value = req.get(key)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
            raise ApiError(400, f"Invalid '{key}': expected an integer >= 1, got {value!r}.", param=key,
                           code="invalid_value")


def declared_tools(req: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Function name -> parameters schema, in declaration order; 400 on a malformed tool."""
    tools = req.get("tools")
    if tools is None:
        return {}
    if not isinstance(tools, list):
        raise ApiError(400, "Invalid type for 'tools': expected an array.", param="tools", code="invalid_type")
    found: dict[str, dict[str, Any]] = {}
    for i, tool in enumerate(tools):
        fn = tool.get("function") if isinstance(tool, dict) else None
        if not isinstance(fn, dict) or tool.get("type") != "function" or not isinstance(fn.get("name"), str):
            raise ApiError(400, f"Invalid 'tools[{i}]': expected a function tool with a name.", param=f"tools[{i}]",
                           code="invalid_value")
        found[fn["name"]] = fn.get("parameters") or {"type": "object", "properties": {}}
    return found


def _check_tool_choice(req: dict[str, Any], names: list[str], faults: ActiveFaults) -> None:
    if "tool_choice" not in req or faults.any(*_LENIENT_FAULTS):
        return
    choice = req["tool_choice"]
    if choice == "first" and faults.any(*_FIRST_FAULTS) and names:
        return
    if isinstance(choice, str):
        if choice not in TOOL_CHOICES:
            raise ApiError(400, f"Invalid value: '{choice}'. Supported values are: 'none', 'auto', and 'required'.",
                           param="tool_choice", code="invalid_value")
        if choice != "none" and not names:
            raise ApiError(400, "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are "
                           "specified.", param="tool_choice")
        return
    if isinstance(choice, dict) and choice.get("type") == "function":
        name = (choice.get("function") or {}).get("name")
        if name in names:
            return
        raise ApiError(400, f"Invalid value for 'tool_choice': function {name!r} is not a declared tool.",
                       param="tool_choice", code="invalid_value")
    raise ApiError(400, "Invalid type for 'tool_choice': expected 'none', 'auto', 'required' or a named function.",
                   param="tool_choice", code="invalid_type")


def _check_response_format(req: dict[str, Any]) -> None:
    fmt = req.get("response_format")
    if fmt is None:
        return
    kind = fmt.get("type") if isinstance(fmt, dict) else None
    if kind not in RESPONSE_FORMATS:
        raise ApiError(400, "Invalid value for 'response_format.type': supported values are 'text', 'json_object' "
                       "and 'json_schema'.", param="response_format.type", code="invalid_value")
    if kind == "json_schema" and not isinstance(fmt.get("json_schema"), dict):
        raise ApiError(400, "Missing required parameter: 'response_format.json_schema'.",
                       param="response_format.json_schema", code="missing_required_parameter")


def _check_params(req: dict[str, Any], faults: ActiveFaults) -> None:
    unknown = [key for key in req if key not in CHAT_PARAMS]
    if unknown and not faults.has(F.UNKNOWN_PARAMS_ACCEPTED):
        raise ApiError(400, f"Unrecognized request argument supplied: {', '.join(unknown)}")


def served(model: Any, faults: ActiveFaults) -> bool:
    """A model id the reference server serves (a `gpt://<folder>/ref-chat-1`-style URI names it by its last part).

    As the Yandex stand-in (yandex_model_uris) its admission already checked the model URI: any model that got
    this far is served.
    """
    if faults.has(F.YANDEX_MODEL_URIS):
        return isinstance(model, str)
    return isinstance(model, str) and model.rsplit("/", 1)[-1] in SERVED_MODELS


def unknown_model(model: str) -> ApiError:
    """OpenAI's 404 for a model nobody serves."""
    return ApiError(404, f"The model '{model}' does not exist or you do not have access to it.",
                    code="model_not_found")


def check_temperature(req: dict[str, Any], faults: ActiveFaults) -> None:
    """temperature in OpenAI's 0..2 (accepts_out_of_range: anything)."""
    value = req.get("temperature")
    if value is None or faults.has(F.ACCEPTS_OUT_OF_RANGE):
        return
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 <= value <= 2:
        raise ApiError(400, f"Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got "
                       f"{value!r} instead.", param="temperature", code="decimal_above_max_value")


def lenient(req: dict[str, Any], faults: ActiveFaults) -> dict[str, Any]:
    """The request as a server that does not validate it would read it (faults accepts_*); unchanged otherwise."""
    found = dict(req)
    if "messages" not in found and faults.has(F.ACCEPTS_MISSING_REQUIRED):
        found["messages"] = [{"role": "user", "content": ""}]
    if isinstance(found.get("messages"), str) and faults.has(F.ACCEPTS_WRONG_TYPE):
        found["messages"] = [{"role": "user", "content": found["messages"]}]
    model = found.get("model")
    if isinstance(model, str) and not served(model, faults) and faults.has(F.ACCEPTS_UNKNOWN_MODEL):
        found["model"] = SERVED_MODELS[0]
    return found


def validate(req: dict[str, Any], faults: ActiveFaults) -> None:
    """Refuse what OpenAI refuses with 400 (error_status_200 lets bad roles and tool_choice through)."""
    _check_params(req, faults)
    if not isinstance(req.get("model"), str):
        raise ApiError(400, "you must provide a model parameter", param="model", code="missing_required_parameter")
    _check_messages(req, lenient=faults.has(F.ERROR_STATUS_200))
    _check_limits(req)
    check_temperature(req, faults)
    chat_params.validate(req, faults)
    _check_tool_choice(req, list(declared_tools(req)), faults)
    _check_response_format(req)
    _check_reasoning(req)
    if not served(req["model"], faults):
        raise unknown_model(req["model"])


# --- the answer -----------------------------------------------------------------------------------------------


IMAGE_TOKENS = 85  # what OpenAI charges for one image at detail "low"
REASONING_EFFORTS = ("none", "minimal", "low", "medium", "high", "xhigh", "max")  # SDK shared.ReasoningEffort


def _images(content: Any) -> int:
    """How many image content parts a message carries."""
    if not isinstance(content, list):
        return 0
    return sum(1 for p in content if isinstance(p, dict) and p.get("type") == "image_url")


def _prompt_tokens(req: dict[str, Any], faults: ActiveFaults) -> int:
    """Words of every message, plus IMAGE_TOKENS per image part (image_ignored: images are not read)."""
    per_image = 0 if faults.has(F.IMAGE_IGNORED) else IMAGE_TOKENS
    return sum(len(chat_params.text_of(m.get("content")).split()) + per_image * _images(m.get("content"))
               for m in req["messages"] if isinstance(m, dict))


def _check_reasoning(req: dict[str, Any]) -> None:
    """reasoning_effort is one of the SDK's ReasoningEffort values (400 otherwise, as OpenAI answers)."""
    value = req.get("reasoning_effort")
    if value is not None and value not in REASONING_EFFORTS:
        raise ApiError(400, f"Invalid value: '{value}'. Supported values are: {', '.join(REASONING_EFFORTS)}.",
                       param="reasoning_effort", code="invalid_value")


def _by_keyword(req: dict[str, Any], names: list[str]) -> str:
    users = [m for m in req["messages"] if isinstance(m, dict) and m.get("role") == "user"]
    last = chat_params.text_of(users[-1].get("content")).lower() if users else ""
    for keyword, name in (("weather", "get_weather"), ("add", "add_numbers")):
        if keyword in last and name in names:
            return name
    return names[0]


def pick_tool(req: dict[str, Any], names: list[str], faults: ActiveFaults) -> str | None:
    """Which declared function to call, or None for a text answer."""
    choice = req.get("tool_choice", "auto")
    if not names or faults.has(F.TOOL_CHOICE_IGNORED):
        return None
    if choice == "none":
        return _by_keyword(req, names) if faults.has(F.TOOL_CHOICE_NONE_IGNORED) else None
    if isinstance(choice, dict) and (choice.get("function") or {}).get("name") in names:
        wanted = choice["function"]["name"]
        others = [n for n in names if n != wanted]
        return others[0] if faults.has(F.TOOL_WRONG_NAME) and others else wanted
    if choice == "first" and faults.any(*_FIRST_FAULTS):
        return names[-1] if faults.has(F.FIRST_CALLS_LAST) else names[0]
    return _by_keyword(req, names)


def _structured(req: dict[str, Any], faults: ActiveFaults) -> str | None:
    fmt = req.get("response_format") or {}
    if fmt.get("type") == "json_object":
        return "ok is true" if faults.has(F.JSON_OBJECT_NOT_JSON) else json.dumps({"ok": True}, separators=(",", ":"))
    if fmt.get("type") != "json_schema":
        return None
    if faults.has(F.JSON_SCHEMA_NOT_ENFORCED):
        return "Ada is 36."
    value = instance(fmt["json_schema"].get("schema") or {})
    if faults.has(F.JSON_SCHEMA_WRONG_TYPE) and isinstance(value, dict):
        value = {k: str(v) if isinstance(v, int) and not isinstance(v, bool) else v for k, v in value.items()}
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _limit(req: dict[str, Any], faults: ActiveFaults) -> int | None:
    if faults.has(F.MAX_TOKENS_IGNORED):
        return None
    limit = None if faults.has(F.MAX_COMPLETION_TOKENS_IGNORED) else req.get("max_completion_tokens")
    return req.get("max_tokens") if limit is None else limit


def _tool_call(raw: bytes, index: int, name: str, params: dict[str, Any], faults: ActiveFaults,
               city: str | None = None) -> ToolCall:
    ident = name if faults.has(F.TOOL_ID_IS_NAME) else "call_" + _digest(raw, f"call{index}")[:24]
    args = instance(params)
    if city is not None and isinstance(args, dict) and "city" in args:
        args["city"] = city
    return ToolCall(ident, name, json.dumps(args, separators=(",", ":")))


def _cities(req: dict[str, Any], name: str, faults: ActiveFaults) -> list[str | None]:
    """One get_weather call per city the prompt names, when parallel calls are allowed; otherwise one call."""
    users = [m for m in req["messages"] if isinstance(m, dict) and m.get("role") == "user"]
    found = _CITY.findall(chat_params.text_of(users[-1].get("content"))) if users and name == "get_weather" else []
    parallel = req.get("parallel_tool_calls") is not False or faults.has(F.PARALLEL_IGNORED)
    return list(found) if parallel and len(found) > 1 else [None]


def answer(req: dict[str, Any], raw: bytes, faults: ActiveFaults) -> Answer:
    """The deterministic assistant turn for a validated request."""
    tools = declared_tools(req)
    ident = "chatcmpl-" + _digest(raw)[:24]
    if faults.has(F.BARE_UUID_IDS):
        ident = str(uuid.UUID(bytes=bytes.fromhex(_digest(raw)[:32])))
    prompt = _prompt_tokens(req, faults)
    name = pick_tool(req, list(tools), faults)
    if name is not None:
        cities = _cities(req, name, faults)
        calls = [_tool_call(raw, i, name, tools[name], faults, city) for i, city in enumerate(cities)]
        named = isinstance(req.get("tool_choice"), dict)  # OpenAI ends a named forced call with "stop"
        finish = "stop" if faults.has(F.TOOL_FINISH_STOP) or named else "tool_calls"
        used = sum(len(c.arguments.split()) for c in calls)
        return Answer(ident, req["model"], None, finish, prompt, used, calls)
    text = _structured(req, faults) or chat_params.steered(req, faults) or (
        SHORT if faults.has(F.SHORT_ANSWER) else ANSWER)
    text, _stopped = chat_params.stop_cut(chat_params.seeded(text, req, faults), req, faults)
    words, limit, finish = tokens(text), _limit(req, faults), "stop"
    if limit is not None and len(words) > limit:
        words, finish = words[:limit], "length"
    return Answer(ident, req["model"], "".join(words), finish, prompt, len(words))


# --- the non-streamed body ------------------------------------------------------------------------------------


def _arguments(call: ToolCall, faults: ActiveFaults) -> Any:
    if faults.has(F.TOOL_ARGS_INVALID):
        return "{}"
    if faults.has(F.TOOL_ARGS_NOT_JSON):
        return call.arguments[:-1].replace('"', "'")
    return json.loads(call.arguments) if faults.has(F.TOOL_ARGS_OBJECT) else call.arguments


def _message(ans: Answer, faults: ActiveFaults) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "model" if faults.has(F.NOT_ASSISTANT) else "assistant",
                               "content": ans.content, "refusal": None}
    if ans.tool_calls:
        message["tool_calls"] = [
            {"id": c.id, "type": "function", "function": {"name": c.name, "arguments": _arguments(c, faults)}}
            for c in ans.tool_calls
        ]
    return message


def completion_body(ans: Answer, faults: ActiveFaults) -> dict[str, Any]:
    """The chat.completion object."""
    usage = ans.usage()
    if faults.has(F.USAGE_WRONG_TOTAL):
        usage["total_tokens"] += 1
    return {
        "id": ans.id, "object": "chat.completion", "created": CREATED, "model": ans.model,
        "choices": [{"index": 0, "message": _message(ans, faults), "logprobs": None, "finish_reason": ans.finish}],
        "usage": usage, "system_fingerprint": "fp_reference",
    }

