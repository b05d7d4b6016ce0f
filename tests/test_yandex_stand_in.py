"""The Yandex stand-in: Yandex's hosts, auth schemes, folder and model URIs, realtime paths and documented limits."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from conformance.refserver import YandexStandIn
from conformance.refserver.yandex import HOSTS, STAND_IN, STAND_IN_FAULTS

FOLDER = "b1gstandinfolder0042"
KEY = "AQVNstandInKey0123456789abcdef"
AI, LLM, ASSISTANT = (h.origin for h in HOSTS)
CHAT = {"model": f"gpt://{FOLDER}/yandexgpt/latest", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 8}


@pytest.fixture(scope="module")
def stand_in() -> Iterator[YandexStandIn]:
    with YandexStandIn(folder=FOLDER) as server:
        yield server
        server.check()


def call(stand_in: YandexStandIn, method: str, url: str, body: dict[str, Any] | None = None,
         auth: str = f"Bearer {KEY}", **headers: str) -> httpx2.Response:
    return httpx2.request(method, stand_in.local(url), json=body, timeout=10,
                          headers={"Authorization": auth, **headers})


def test_every_stand_in_fault_names_its_source() -> None:
    assert all(source for _, source in STAND_IN) and len(set(STAND_IN_FAULTS)) == len(STAND_IN_FAULTS)


@pytest.mark.parametrize(("origin", "path", "status"), [
    (AI, "/v1/chat/completions", 200), (AI, "/v1/models", 200), (AI, "/v1/vector_stores", 200),
    (LLM, "/v1/chat/completions", 200), (LLM, "/v1/models", 200), (LLM, "/v1/responses", 404),
    (LLM, "/v1/files", 404), (ASSISTANT, "/v1/vector_stores", 200), (ASSISTANT, "/v1/chat/completions", 404),
    (AI, "/foundationModels/v1/completion", 404),
])
def test_each_host_serves_its_generation_s_surfaces(stand_in: YandexStandIn, origin: str, path: str,
                                                    status: int) -> None:
    method, body = ("POST", CHAT) if path.endswith("completions") else ("GET", None)
    answer = call(stand_in, method, origin + path, body)
    assert answer.status_code == status, answer.text
    if status == 404:
        assert answer.text == "404 page not found\n"  # ISSUE-934: no JSON envelope


@pytest.mark.parametrize(("auth", "status"), [
    (f"Bearer {KEY}", 200), (f"Api-Key {KEY}", 200), (f"api-key {KEY}", 200), ("Bearer t1.iamTOKEN.abc", 200),
    ("Api-Key t1.iamTOKEN.abc", 401), ("Bearer sk-openai-key-000000", 401), ("", 401), (f"Basic {KEY}", 401),
])
def test_auth_schemes_follow_claims_section_1(stand_in: YandexStandIn, auth: str, status: int) -> None:
    assert call(stand_in, "POST", AI + "/v1/chat/completions", CHAT, auth=auth).status_code == status


def test_models_are_uris_of_the_key_s_folder(stand_in: YandexStandIn) -> None:
    listed = call(stand_in, "GET", AI + "/v1/models").json()["data"]
    assert f"gpt://{FOLDER}/yandexgpt/latest" in {m["id"] for m in listed}
    assert {m["created"] for m in listed} == {0} and {m["owned_by"] for m in listed} >= {"Yandex", "OpenAI"}
    short = call(stand_in, "POST", AI + "/v1/chat/completions", {**CHAT, "model": "yandexgpt"})
    assert (short.status_code, short.json()["error"]["message"]) == (400, "invalid model_uri")
    other = call(stand_in, "POST", AI + "/v1/chat/completions", {**CHAT, "model": "gpt://b1gother/yandexgpt/latest"})
    assert other.status_code == 400 and "does not match" in other.json()["error"]["message"]
    header = call(stand_in, "GET", AI + "/v1/models", **{"OpenAI-Project": "b1gotherfolder000001"})
    assert header.status_code == 400
    echoed = call(stand_in, "POST", AI + "/v1/chat/completions", CHAT).json()
    assert echoed["model"] == CHAT["model"] and "system_fingerprint" not in echoed  # Y-native: echo with folder


def test_documented_limits_are_refused(stand_in: YandexStandIn) -> None:
    emb = {"model": f"emb://{FOLDER}/text-search-doc/latest", "encoding_format": "float"}
    assert call(stand_in, "POST", AI + "/v1/embeddings", {**emb, "input": "one"}).status_code == 200
    assert call(stand_in, "POST", AI + "/v1/embeddings", {**emb, "input": ["one"]}).status_code == 200
    assert call(stand_in, "POST", AI + "/v1/embeddings", {**emb, "input": ["a", "b"]}).status_code == 400
    assert call(stand_in, "POST", AI + "/v1/embeddings", {**emb, "input": "a", "encoding_format": "base64"}
                ).status_code == 400
    hot = {"model": CHAT["model"], "input": "hi", "temperature": 1.5, "max_output_tokens": 16}
    assert call(stand_in, "POST", AI + "/v1/responses", hot).status_code == 400
    answer = call(stand_in, "POST", AI + "/v1/responses", {**hot, "temperature": 0.5})
    assert answer.status_code == 200 and answer.json()["valid"] is True and answer.json()["metadata"] == {}
    error = call(stand_in, "POST", AI + "/v1/chat/completions", {**CHAT, "tool_choice": "foo",
                                                                  "tools": []}).json()["error"]
    assert set(error) == {"message", "type"}  # INDEX.md: no code, no param


def handshake(stand_in: YandexStandIn, url: str, auth: str = f"Api-Key {KEY}") -> dict[str, Any]:
    with connect(stand_in.local(url), additional_headers={"Authorization": auth}, open_timeout=5) as ws:
        return json.loads(ws.recv(timeout=5))


@pytest.mark.parametrize("url", [
    f"wss://ai.api.cloud.yandex.net/v1/realtime?model=gpt://{FOLDER}/speech-realtime-250923",
    f"wss://ai.api.cloud.yandex.net/v1/realtime/openai?model=gpt://{FOLDER}/speech-realtime-250923",
    f"wss://rest-assistant.api.cloud.yandex.net/v1/realtime/openai?model=gpt://{FOLDER}/speech-realtime-250923",
    "wss://rest-assistant.api.cloud.yandex.net/v1/realtime/openai?realtime-250923",  # the seed's bare query
])
def test_realtime_paths_of_both_generations(stand_in: YandexStandIn, url: str) -> None:
    event = handshake(stand_in, url)
    assert event["type"] == "session.created"
    assert event["session"]["model"] == f"gpt://{FOLDER}/speech-realtime-250923"
    assert event["session"]["output_modalities"] == ["text", "audio"]  # TP-RT §1: whatever was asked


@pytest.mark.parametrize(("url", "status"), [
    ("wss://rest-assistant.api.cloud.yandex.net/v1/realtime?model=gpt://F/speech-realtime-250923", 404),
    ("wss://llm.api.cloud.yandex.net/v1/realtime/openai?model=gpt://F/speech-realtime-250923", 404),
    ("wss://ai.api.cloud.yandex.net/v1/realtime?model=speech-realtime-250923", 400),
    ("wss://ai.api.cloud.yandex.net/v1/realtime?model=gpt://F/yandexgpt/latest", 400),
])
def test_realtime_refusals(stand_in: YandexStandIn, url: str, status: int) -> None:
    with pytest.raises(InvalidStatus) as info:
        handshake(stand_in, url.replace("gpt://F/", f"gpt://{FOLDER}/"))
    assert info.value.response.status_code == status


def test_the_stand_in_remembers_what_each_host_received(stand_in: YandexStandIn) -> None:
    call(stand_in, "POST", LLM + "/v1/chat/completions", CHAT, **{"OpenAI-Project": FOLDER})
    seen = stand_in.seen[-1]
    assert seen.url == LLM + "/v1/chat/completions" and seen.method == "POST"
    assert (seen.authorization, seen.project, seen.model) == (f"Bearer {KEY}", FOLDER, CHAT["model"])


def test_permission_denied_is_403_with_a_role_free_message() -> None:
    with YandexStandIn([*STAND_IN_FAULTS, "yandex_permission_denied"], folder=FOLDER) as server:
        answer = call(server, "GET", AI + "/v1/models")
    assert answer.status_code == 403
