"""Map a recorded interaction to catalogue features and the checks that only need what was recorded.

Rules (passive mode):
- endpoint by method + path (wire.endpoints); models only under a versioned OpenAI-style prefix (`/v1/models`).
- a 2xx answer is graded on every feature its request exercises; the request-aware checks run where the
  recorded request forces behaviour (tool_choice required/none/named/"first", parallel_tool_calls false,
  response_format, max_tokens=1, unknown parameters). A stream is also assembled into a completion so those
  behaviour checks read it like a non-streamed answer.
- every error answer has its envelope checked (`chat.errors`); an invalid request (bad role, no messages, ...)
  must get a 4xx; 429/5xx make the request's features ERROR; a clean 400/422 to a valid request makes them
  REJECTED, except on OpenAI itself, whose 4xx define what is invalid; 401/403/404 say nothing about a feature.
- checks needing something a recording lacks are never run: sdk.parse (an SDK call), stream.joined_matches
  (a second request), models.configured_listed (a configured model).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..catalogue.vocabulary import CHAT_ROLES, EVENT_STREAM, KNOWN_TOOL_CHOICES
from ..checks.errors import unknown_params
from ..grading import passive_status_decision
from ..verdicts import Verdict
from ..wire.endpoints import Endpoint
from .exchanges import RecordedExchange, assemble

JSON_BODY = ("schema.body", "http.json_content_type")
STREAM = ("sse.framing", "sse.done", "stream.chunk_schema", "stream.same_id", "stream.finish_once",
          "stream.role_first_only", "stream.no_usage_unasked")
TOOL_CALL = ("tools.call_shape", "tools.finish_reason", "tools.unique_ids")
ASSEMBLED_TOOL_CALL = ("tools.finish_reason", "tools.unique_ids")
ENVELOPE = ("errors.envelope", "errors.envelope_complete")
GRADED = (Endpoint.CHAT_COMPLETIONS, Endpoint.EMBEDDINGS, Endpoint.MODELS_LIST, Endpoint.MODELS_RETRIEVE)
_VERSIONED_MODELS = re.compile(r"/(v\d+|openai)/models(/|$)")


@dataclass
class Job:
    """Run `checks` of `feature` on `exchange`; `verdict` is set when the status decides (REJECTED, ERROR)."""

    feature: str
    checks: tuple[str, ...]
    exchange: Any  # a RecordedExchange, or a recorded WsSession for realtime logs
    verdict: Verdict | None = None
    reason: str = ""


@dataclass
class Plan:
    """The jobs for one interaction, or why it is not graded."""

    endpoint: str
    jobs: list[Job] = field(default_factory=list)
    not_graded: str = ""


def invalid_reason(req: dict[str, Any]) -> str:
    """Why OpenAI must refuse this chat request whatever the model ("" when it is well-formed)."""
    if not isinstance(req.get("model"), str):
        return "no model"
    messages = req.get("messages")
    if not isinstance(messages, list) or not messages:
        return "messages is not a non-empty list"
    for i, message in enumerate(messages):
        role = message.get("role") if isinstance(message, dict) else None
        if role not in CHAT_ROLES:
            return f"messages[{i}].role {role!r} does not exist"
    for key in ("max_tokens", "max_completion_tokens"):
        value = req.get(key)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
            return f"{key} {value!r} is not an integer >= 1"
    choice = req.get("tool_choice")
    if isinstance(choice, str) and choice not in KNOWN_TOOL_CHOICES:
        return f"tool_choice {choice!r} is neither an OpenAI value nor a known provider extension"
    return ""


def _message(body: Any) -> dict[str, Any]:
    try:
        message = body["choices"][0]["message"]
    except (TypeError, KeyError, IndexError):
        return {}
    return message if isinstance(message, dict) else {}


def _has_calls(ex: RecordedExchange) -> bool:
    try:
        return bool(_message(ex.json()).get("tool_calls"))
    except ValueError:
        return False


def _tool_features(req: dict[str, Any], shape: tuple[str, ...]) -> list[tuple[str, tuple[str, ...]]]:
    if not req.get("tools"):
        return []
    choice = req.get("tool_choice")
    if choice == "none":
        found = [("chat.tool_choice.none", ("tools.none_no_call",))]
    elif choice == "required":
        found = [("chat.tool_choice.required", ("tools.forced_call", *shape))]
    elif choice == "first":
        found = [("chat.tool_choice.first", ("tools.first_called", *shape))]
    elif isinstance(choice, dict) and choice.get("type") == "function":
        found = [("chat.tool_choice.named", ("tools.named_call", *shape))]
    else:
        found = [("chat.tools.auto", shape)]
    if req.get("parallel_tool_calls") is False:
        found.append(("chat.parallel_tool_calls", ("tools.parallel_false",)))
    return found


def forced(req: dict[str, Any], answer: RecordedExchange, shape: tuple[str, ...]) -> list[Job]:
    """Jobs for the behaviour the request forces, read from a (possibly assembled) completion."""
    found: list[tuple[str, tuple[str, ...]]] = []
    if 1 in (req.get("max_tokens"), req.get("max_completion_tokens")):
        found.append(("chat.max_tokens", ("chat.finish_length",)))
    fmt = req.get("response_format")
    kind = fmt.get("type") if isinstance(fmt, dict) else None
    if kind in ("json_schema", "json_object") and not _has_calls(answer):
        found.append((f"chat.{kind}", (f"chat.{kind}_valid",)))
    found += _tool_features(req, shape)
    return [Job(feature, checks, answer) for feature, checks in found]


def _chat(ex: RecordedExchange, ok: bool) -> list[Job]:
    req = ex.request_json
    if req.get("stream") is True or ex.content_type == EVENT_STREAM:
        jobs = [Job("chat.stream", STREAM, ex)]
        options = req.get("stream_options")
        if isinstance(options, dict) and options.get("include_usage"):
            jobs.append(Job("chat.stream.include_usage", ("stream.usage_chunk",), ex))
        if req.get("tools"):
            choice = req.get("tool_choice")
            forcing = choice == "required" or isinstance(choice, dict)
            has_deltas = b'"tool_calls"' in ex.body
            jobs.append(Job("chat.stream.tools", ("stream.tool_delta_keys",) + (
                ("stream.tool_deltas",) if forcing or has_deltas else ()), ex))
        joined = assemble(ex) if ok else None
        return jobs + (forced(req, joined, ASSEMBLED_TOOL_CALL) if joined is not None else [])
    checks = (*JSON_BODY, "chat.usage", "chat.id_format")
    if ok and not _has_calls(ex):
        checks += ("chat.assistant_message",)
    return [Job("chat.basic", checks, ex), *forced(req, ex, TOOL_CALL)]


def _embeddings(ex: RecordedExchange) -> list[Job]:
    req = ex.request_json
    if req.get("encoding_format") == "base64":
        return [Job("embeddings.base64", (*JSON_BODY, "embeddings.base64_decodes"), ex)]
    inputs = req.get("input")
    if isinstance(inputs, list) and len(inputs) > 1 and not all(isinstance(x, int) for x in inputs):
        jobs = [Job("embeddings.batch", (*JSON_BODY, "embeddings.float_vectors", "embeddings.count_index",
                                         "embeddings.consistent_dim"), ex)]
    else:
        jobs = [Job("embeddings.float", (*JSON_BODY, "embeddings.float_vectors", "embeddings.count_index",
                                         "embeddings.usage"), ex)]
    if req.get("dimensions") is not None:
        jobs.append(Job("embeddings.dimensions", ("embeddings.dimensions_applied",), ex))
    return jobs


def _features(ex: RecordedExchange, ok: bool) -> list[Job]:
    endpoint = ex.endpoint
    if endpoint is Endpoint.CHAT_COMPLETIONS:
        return _chat(ex, ok)
    if endpoint is Endpoint.EMBEDDINGS:
        return _embeddings(ex)
    if endpoint is Endpoint.MODELS_LIST:
        return [Job("models.list", (*JSON_BODY, "models.nonempty"), ex)]
    return [Job("models.retrieve", (*JSON_BODY, "models.retrieve_id"), ex)]


def _endpoint(ex: RecordedExchange) -> Endpoint:
    endpoint = ex.endpoint
    if endpoint in (Endpoint.MODELS_LIST, Endpoint.MODELS_RETRIEVE) and not _VERSIONED_MODELS.search(ex.path):
        return Endpoint.UNKNOWN
    return endpoint


def _not_graded(ex: RecordedExchange, endpoint: Endpoint) -> str:
    if endpoint is Endpoint.UNKNOWN:
        return f"{ex.method} to an endpoint outside the catalogue"
    return f"{endpoint.value}: no passive checks yet"


def _error_message(ex: RecordedExchange) -> str:
    try:
        return str(ex.json()["error"]["message"])[:160]
    except (ValueError, KeyError, TypeError):
        return ex.text[:160]


def plan(ex: RecordedExchange, provider: str) -> Plan:
    """Every job for one recorded exchange of one provider."""
    endpoint = _endpoint(ex)
    if endpoint not in GRADED:
        return Plan(endpoint.value, not_graded=_not_graded(ex, endpoint))
    if ex.status is None or ex.status < 200 or 300 <= ex.status < 400:
        return Plan(endpoint.value, not_graded=f"HTTP status {ex.status} (not a final answer)")
    chat = endpoint is Endpoint.CHAT_COMPLETIONS
    req = ex.request_json
    invalid = invalid_reason(req) if chat else ""
    unknown = unknown_params(req) if chat else []
    ok = 200 <= ex.status < 300
    jobs: list[Job] = []
    if not ok:
        jobs.append(Job("chat.errors", ("errors.status_4xx", *ENVELOPE) if invalid else ENVELOPE, ex))
    elif invalid:
        jobs.append(Job("chat.errors", ("errors.status_4xx",), ex))
    if unknown:
        jobs.append(Job("chat.unknown_params", ("errors.unknown_param_rejected",), ex))
    if ok:
        return Plan(endpoint.value, jobs + _features(ex, ok))
    if invalid or unknown:
        return Plan(endpoint.value, jobs)
    why = f"HTTP {ex.status}: {_error_message(ex)}"
    decision = passive_status_decision(ex.status, provider_is_reference=provider == "openai")
    if decision.verdict is Verdict.ERROR:
        jobs += [Job(j.feature, (), ex, decision.verdict, f"{why} (inconclusive)") for j in _features(ex, ok)]
    elif decision.verdict is not None:
        jobs += [Job(j.feature, ("errors.envelope",), ex, decision.verdict, why) for j in _features(ex, ok)]
    return Plan(endpoint.value, jobs)
