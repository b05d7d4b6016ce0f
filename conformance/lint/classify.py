"""Map a recorded interaction to catalogue features and the checks that only need what was recorded.

Rules (passive mode):
- endpoint by method + path (wire.endpoints); models only under a versioned OpenAI-style prefix (`/v1/models`).
- which rows a recorded request exercises is the route table (lint.routes); which of a row's checks run is derived
  from the row and the needs its checks declare (lint.derive). A 2xx stream is also assembled into a completion so
  the behaviour rows read it like a non-streamed answer.
- an error answer grades the rows that expect one (`chat.errors`: the envelope; `errors.status_4xx` too when the
  request is invalid, as OpenAI must refuse it); an invalid request answered 2xx fails `errors.status_4xx`;
  429/5xx make the request's other rows ERROR; a clean 4xx to a valid request makes them REJECTED (graded on the
  MUST envelope check), except on OpenAI itself, whose 4xx define what is invalid; 401/403/404 say nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..catalogue import FEATURES
from ..catalogue.vocabulary import CHAT_ROLES, KNOWN_TOOL_CHOICES
from ..checks.errors import unknown_params
from ..grading import passive_not_graded, passive_status_decision
from ..verdicts import Verdict
from ..wire.endpoints import Endpoint, names_resource
from ..wire.exchange import error_about_reference
from .derive import jobs_for, refusal_checks
from .exchanges import RecordedExchange
from .readings import Reading, readings
from .routes import GRADED, routed

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


_DEPLOYMENT = re.compile(r"/deployments/[^/]+/")


def invalid_reason(req: dict[str, Any], path: str = "") -> str:
    """Why OpenAI must refuse this chat request whatever the model ("" when it is well-formed).

    A URL that routes by deployment carries the model itself (dialect azure-deployment-routing).
    """
    if not isinstance(req.get("model"), str) and not _DEPLOYMENT.search(path):
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


def graded_jobs(routes: list[tuple[str, Reading]]) -> list[Job]:
    """One Job per routed row left with a passive check on its reading."""
    return [Job(feature, checks, reading.exchange) for feature, checks, reading in jobs_for(routes)]


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
    """Every job for one recorded exchange of one provider.

    Principle 3: an auth failure or a missing route grades nothing (not even the error envelope: a gateway's or a
    framework's answer is not the API's). Principle 1: a request the recording did not keep (no JSON body) is
    judged by nothing it may have said: only the rows every request of its endpoint exercises are graded, and it is
    never called invalid.
    """
    endpoint = _endpoint(ex)
    if endpoint not in GRADED:
        return Plan(endpoint.value, not_graded=_not_graded(ex, endpoint))
    if ex.status is None or ex.status < 200 or 300 <= ex.status < 400:
        return Plan(endpoint.value, not_graded=f"HTTP status {ex.status} (not a final answer)")
    silent = passive_not_graded(ex.status, names_resource=names_resource(endpoint),
                                about_model=error_about_reference(ex))
    if silent:
        return Plan(endpoint.value, not_graded=silent)
    chat = endpoint is Endpoint.CHAT_COMPLETIONS
    known = ex.request_known
    req = ex.request_json
    invalid = invalid_reason(req, ex.path) if chat and known else ""
    routes = [(feature, reading) for reading in readings(ex, endpoint, bool(invalid))
              for feature in routed(endpoint, reading.form, req, known)]
    if 200 <= ex.status < 300:
        return Plan(endpoint.value, graded_jobs(routes))
    why = f"HTTP {ex.status}: {_error_message(ex)}"
    exercised = [f for f, _ in routes if not FEATURES.get(f).expects_error]
    decision = passive_status_decision(ex.status, provider_is_reference=provider == "openai")
    if decision.verdict is Verdict.ERROR:  # 429/5xx: inconclusive for the rows, and no refusal to grade
        return Plan(endpoint.value, [Job(f, (), ex, decision.verdict, f"{why} (inconclusive)") for f in exercised])
    jobs = graded_jobs([(f, r) for f, r in routes if FEATURES.get(f).expects_error])
    if invalid or (chat and unknown_params(req)):
        return Plan(endpoint.value, jobs)
    if decision.verdict is not None:
        checks = refusal_checks(c for job in jobs for c in job.checks)
        jobs += [Job(f, checks, ex, decision.verdict, why) for f in exercised]
    return Plan(endpoint.value, jobs)
