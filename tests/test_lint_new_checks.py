"""The two checks the Yandex passive column needed (parallel_tool_calls false, unknown parameters) and the
reference-server behaviour and faults that make each of them pass and fail."""

from __future__ import annotations

import json
from typing import Any

import pytest

from conformance import FEATURES, AttemptPolicy, Mode, RunSettings, TargetRun, Verdict, load_profile
from conformance.catalogue.vocabulary import CHAT_PARAMS as VOCABULARY_CHAT_PARAMS
from conformance.checks.errors import unknown_params
from conformance.probes import fixtures as fx
from conformance.probes.chat import TWO_CITIES
from conformance.refserver import RefServer
from conformance.refserver import chat as refchat
from conformance.refserver.app import handle
from conformance.schemas import schema

AUTH = {"Authorization": "Bearer sk-test"}


def post(body: dict[str, Any], *faults: str) -> tuple[int, Any]:
    """POST /v1/chat/completions to the in-process reference server."""
    response = handle("POST", "/v1/chat/completions", AUTH, json.dumps(body).encode(), frozenset(faults))
    return response.status, response.json()


def weather(**extra: Any) -> dict[str, Any]:
    return {"model": "ref-chat-1", "messages": TWO_CITIES, "tools": fx.TOOLS, "tool_choice": "required", **extra}


def calls(body: Any) -> list[tuple[str, Any]]:
    return [(c["function"]["name"], json.loads(c["function"]["arguments"]).get("city"))
            for c in body["choices"][0]["message"]["tool_calls"]]


def test_two_cities_get_two_calls_when_parallel_calls_are_allowed() -> None:
    status, body = post(weather())
    assert status == 200 and calls(body) == [("get_weather", "Paris"), ("get_weather", "Tokyo")]
    ids = [c["id"] for c in body["choices"][0]["message"]["tool_calls"]]
    assert len(set(ids)) == 2


def test_parallel_tool_calls_false_gets_one_call_unless_ignored() -> None:
    assert len(calls(post(weather(parallel_tool_calls=False))[1])) == 1
    assert len(calls(post(weather(parallel_tool_calls=False), "parallel_ignored")[1])) == 2


def test_one_city_prompt_still_gets_one_call() -> None:
    status, body = post({"model": "ref-chat-1", "messages": fx.WEATHER_ASK, "tools": fx.TOOLS})
    assert status == 200 and calls(body) == [("get_weather", "Paris")]


def test_unknown_top_level_parameter_is_refused_like_openai() -> None:
    status, body = post({"model": "ref-chat-1", "messages": fx.HELLO, "top_k": 3})
    assert status == 400
    assert body == {"error": {"message": "Unrecognized request argument supplied: top_k",
                              "type": "invalid_request_error", "param": None, "code": None}}
    assert post({"model": "ref-chat-1", "messages": fx.HELLO, "top_k": 3}, "unknown_params_accepted")[0] == 200


def test_every_sdk_chat_parameter_is_accepted() -> None:
    CHAT_PARAMS = frozenset(schema("chat.completion.params")["propertyNames"]["enum"])  # generated from the SDK
    assert VOCABULARY_CHAT_PARAMS == CHAT_PARAMS  # the vocabulary (read from the SDK at import) agrees
    assert {"model", "messages", "stream", "stream_options", "tools", "tool_choice", "parallel_tool_calls",
            "response_format", "max_completion_tokens", "seed", "user", "metadata"} <= CHAT_PARAMS
    assert refchat.CHAT_PARAMS == CHAT_PARAMS
    body = {"model": "ref-chat-1", "messages": fx.HELLO, "seed": 1, "user": "u", "metadata": {"k": "v"},
            "temperature": 0, "top_p": 1, "n": 1, "stop": ["x"], "store": False, "logprobs": False,
            "presence_penalty": 0, "frequency_penalty": 0, "service_tier": "auto", "stream": False}
    assert post(body)[0] == 200
    assert unknown_params({**body, "top_k": 3, "repetition_penalty": 1.1}) == ["top_k", "repetition_penalty"]


@pytest.fixture(scope="module")
def server() -> Any:
    with RefServer() as running:
        yield running


@pytest.mark.parametrize(("faults", "feature", "verdict"), [
    ((), "chat.parallel_tool_calls", Verdict.PASS),
    (("parallel_ignored",), "chat.parallel_tool_calls", Verdict.IGNORED),
    ((), "chat.unknown_params", Verdict.PASS),
    (("unknown_params_accepted",), "chat.unknown_params", Verdict.DEVIATION),
])
def test_new_rows_grade_the_reference_server(server: Any, faults: tuple[str, ...], feature: str,
                                             verdict: Verdict) -> None:
    server.faults = set(faults)
    try:
        target = TargetRun(load_profile("reference"),
                           RunSettings(Mode.LIVE, base_url=server.url, policy=AttemptPolicy(0)))
        result = target.run_feature(FEATURES.get(feature))
    finally:
        server.faults = set()
    assert result.verdict is verdict, [c.to_dict() for c in result.problems()]
