"""Smoke tests: the faultless reference server answers the official openai SDK with schema-valid OpenAI shapes."""

from __future__ import annotations

import base64
import json
import struct
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import openai
import pytest

from conformance.probes import fixtures as fx
from conformance.refserver import FAULTS, Fault, RefServer
from conformance.refserver.chat import ANSWER
from conformance.schemas import violations
from conformance.wire.sse import parse_sse

CHAT = "ref-chat-1"
EMBED = "ref-embed-1"


@pytest.fixture(scope="module")
def server() -> Iterator[RefServer]:
    with RefServer() as srv:
        yield srv
        srv.check()


@pytest.fixture
def client(server: RefServer) -> Iterator[openai.OpenAI]:
    server.faults = ()
    with openai.OpenAI(base_url=server.url, api_key="x", max_retries=0, timeout=10) as sdk:
        yield sdk
    server.faults = ()


def _chat(client: openai.OpenAI, **params: Any) -> dict[str, Any]:
    raw = client.chat.completions.with_raw_response.create(**params)
    assert raw.headers["content-type"] == "application/json"
    return json.loads(raw.http_response.read())


def _stream(client: openai.OpenAI, **params: Any) -> list[dict[str, Any]]:
    raw = client.chat.completions.with_raw_response.create(stream=True, **params)
    assert raw.headers["content-type"] == "text/event-stream"
    parser = parse_sse(raw.http_response.read())
    assert not parser.stray and not parser.unterminated
    assert [e.data for e in parser.events].count("[DONE]") == 1 and parser.events[-1].data == "[DONE]"
    chunks = [json.loads(e.data) for e in parser.events[:-1]]
    for chunk in chunks:
        assert violations("chat.completion.chunk", chunk) == []
    assert len({c["id"] for c in chunks}) == 1
    return chunks


def _joined(chunks: list[dict[str, Any]]) -> str:
    return "".join(ch["delta"].get("content") or "" for c in chunks for ch in c["choices"])


def test_chat_basic_and_max_tokens(client: openai.OpenAI) -> None:
    body = _chat(client, model=CHAT, messages=fx.HELLO, max_tokens=16)
    assert violations("chat.completion", body) == []
    assert body["id"].startswith("chatcmpl-") and body["choices"][0]["message"]["content"] == ANSWER
    usage = body["usage"]
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]
    short = _chat(client, model=CHAT, messages=fx.HELLO, max_tokens=1)
    assert short["choices"][0]["finish_reason"] == "length" and short["usage"]["completion_tokens"] == 1


def test_stream_joins_to_the_plain_answer(client: openai.OpenAI) -> None:
    plain = _chat(client, model=CHAT, messages=fx.HELLO, max_tokens=16)["choices"][0]["message"]["content"]
    chunks = _stream(client, model=CHAT, messages=fx.HELLO, max_tokens=16)
    assert _joined(chunks) == plain
    assert all("usage" not in c for c in chunks)
    assert [ch["finish_reason"] for c in chunks for ch in c["choices"] if ch["finish_reason"]] == ["stop"]
    with_usage = _stream(client, model=CHAT, messages=fx.HELLO, stream_options={"include_usage": True})
    assert with_usage[-1]["choices"] == [] and with_usage[-1]["usage"]["completion_tokens"] == 5
    assert len(list(client.chat.completions.create(model=CHAT, messages=fx.HELLO, stream=True))) == len(chunks)


def test_structured_outputs(client: openai.OpenAI) -> None:
    fmt = {"type": "json_schema", "json_schema": {"name": "person", "strict": True, "schema": fx.PERSON_SCHEMA}}
    body = _chat(client, model=CHAT, messages=fx.PERSON_ASK, response_format=fmt)
    assert json.loads(body["choices"][0]["message"]["content"]) == {"name": "Ada", "age": 36}
    body = _chat(client, model=CHAT, messages=fx.JSON_ASK, response_format={"type": "json_object"})
    assert json.loads(body["choices"][0]["message"]["content"]) == {"ok": True}


@pytest.mark.parametrize(("choice", "messages", "name", "args"), [
    ("auto", fx.WEATHER_ASK, "get_weather", {"city": "Paris"}),
    ("required", fx.ADD_ASK, "add_numbers", {"a": 2, "b": 3}),
    ({"type": "function", "function": {"name": "add_numbers"}}, fx.WEATHER_ASK, "add_numbers", {"a": 2, "b": 3}),
])
def test_tool_calls(client: openai.OpenAI, choice: Any, messages: Any, name: str, args: dict[str, Any]) -> None:
    body = _chat(client, model=CHAT, messages=messages, tools=fx.TOOLS, tool_choice=choice)
    assert violations("chat.completion", body) == []
    choice0 = body["choices"][0]
    call = choice0["message"]["tool_calls"][0]
    named = isinstance(choice, dict)  # OpenAI ends a named forced call with finish_reason stop
    assert choice0["finish_reason"] == ("stop" if named else "tool_calls") and choice0["message"]["content"] is None
    assert call["id"].startswith("call_") and call["function"]["name"] == name
    assert json.loads(call["function"]["arguments"]) == args
    none = _chat(client, model=CHAT, messages=messages, tools=fx.TOOLS, tool_choice="none")
    assert "tool_calls" not in none["choices"][0]["message"]


def test_streamed_tool_call(client: openai.OpenAI) -> None:
    chunks = _stream(client, model=CHAT, messages=fx.WEATHER_ASK, tools=fx.TOOLS, tool_choice="required")
    calls = [t for c in chunks for ch in c["choices"] for t in ch["delta"].get("tool_calls") or []]
    assert calls[0]["id"].startswith("call_") and calls[0]["function"] == {"name": "get_weather", "arguments": ""}
    assert all(set(t) == {"index", "function"} and set(t["function"]) == {"arguments"} for t in calls[1:])
    assert json.loads("".join(t["function"]["arguments"] for t in calls)) == {"city": "Paris"}
    assert chunks[-1]["choices"][0]["finish_reason"] == "tool_calls"


def test_embeddings(client: openai.OpenAI) -> None:
    raw = client.embeddings.with_raw_response.create(model=EMBED, input=fx.EMBED_MANY, encoding_format="float")
    body = json.loads(raw.http_response.read())
    assert violations("embeddings.response", body) == []
    assert [d["index"] for d in body["data"]] == [0, 1, 2] and {len(d["embedding"]) for d in body["data"]} == {48}
    floats = client.embeddings.create(model=EMBED, input=fx.EMBED_ONE, encoding_format="float").data[0].embedding
    raw = client.embeddings.with_raw_response.create(model=EMBED, input=fx.EMBED_ONE, encoding_format="base64")
    encoded = json.loads(raw.http_response.read())["data"][0]["embedding"]
    decoded = struct.unpack("<48f", base64.b64decode(encoded))
    assert decoded == pytest.approx(floats, abs=1e-6)
    short = client.embeddings.create(model=EMBED, input=fx.EMBED_ONE, encoding_format="float", dimensions=16)
    assert len(short.data[0].embedding) == 16
    assert sum(x * x for x in short.data[0].embedding) == pytest.approx(1.0)


def test_models(client: openai.OpenAI) -> None:
    body = json.loads(client.models.with_raw_response.list().http_response.read())
    assert violations("models.list", body) == [] and [m["id"] for m in body["data"]] == [CHAT, EMBED]
    model = json.loads(client.models.with_raw_response.retrieve(CHAT).http_response.read())
    assert violations("model", model) == [] and model["id"] == CHAT
    with pytest.raises(openai.NotFoundError) as info:
        client.models.retrieve("nope")
    assert info.value.code == "model_not_found"


@pytest.mark.parametrize(("params", "param"), [
    ({"messages": [{"role": "wizard", "content": "hi"}]}, "messages[0].role"),
    ({"messages": fx.ADD_ASK, "tools": fx.TOOLS, "tool_choice": "first"}, "tool_choice"),
])
def test_invalid_requests_get_an_envelope(client: openai.OpenAI, params: dict[str, Any], param: str) -> None:
    with pytest.raises(openai.BadRequestError) as info:
        client.chat.completions.create(model=CHAT, **params)
    body = info.value.response.json()
    assert violations("error", body) == []
    assert body["error"]["param"] == param and body["error"]["type"] == "invalid_request_error"


def _raw(server: RefServer, path: str, data: bytes | None = None, auth: bool = True) -> tuple[int, Any]:
    headers = {"Authorization": "Bearer x"} if auth else {}
    request = urllib.request.Request(server.url + path, data=data, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as err:
        with err:
            return err.code, json.loads(err.read())


@pytest.mark.parametrize(("path", "data", "auth", "status"), [
    ("/models", None, False, 401), ("/nowhere", None, True, 404), ("/chat/completions", b"{oops", True, 400),
    ("/embeddings", b'{"model": "ref-embed-1", "input": ""}', True, 400),
])
def test_raw_errors(server: RefServer, path: str, data: bytes | None, auth: bool, status: int) -> None:
    got, body = _raw(server, path, data, auth)
    assert got == status and violations("error", body) == []


def test_faults_registry_and_switching(server: RefServer, client: openai.OpenAI) -> None:
    assert len(FAULTS.names()) == len(set(FAULTS.names())) >= 40
    with pytest.raises(ValueError, match="duplicate"):
        FAULTS.register(Fault("created_string", "again", ()))
    with pytest.raises(ValueError, match="no_such_fault"):
        server.faults.add("no_such_fault")
    with pytest.raises(ValueError, match="no_such_fault"):
        RefServer(faults=["no_such_fault"])
    server.faults.add("created_string")
    body = _chat(client, model=CHAT, messages=fx.HELLO)
    assert body["created"] == "1700000000" and violations("chat.completion", body)
    server.faults = ["stream_no_done"]
    assert _raw(server, "/models")[0] == 200
    server.check()
