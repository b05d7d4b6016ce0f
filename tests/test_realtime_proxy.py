"""The recording proxy: SDK paths map onto the target's real URL; credentials go upstream, never into a record."""

from __future__ import annotations

import openai
import pytest
from websockets.exceptions import InvalidStatus

from conformance.realtime import cassette
from conformance.realtime.frames import ACCEPTED
from conformance.realtime.listen import Listener
from conformance.realtime.loopback import LoopbackServer
from conformance.realtime.proxy import RecordingProxy, map_url, realtime_url
from conformance.refserver import RefServer

KEY = "sk-plantedREALTIMEkey0123456789"
FOLDER = "b1gPLANTEDrealtimeFolder"
LEGACY = "wss://rest-assistant.api.cloud.yandex.net/v1/realtime/openai"


@pytest.mark.parametrize(("base", "expected"), [
    ("wss://api.openai.com/v1", "wss://api.openai.com/v1/realtime"),
    ("https://ai.api.cloud.yandex.net/v1", "wss://ai.api.cloud.yandex.net/v1/realtime"),
    ("http://127.0.0.1:8765/v1/", "ws://127.0.0.1:8765/v1/realtime"),
    (LEGACY, LEGACY),
    (LEGACY + "?realtime-250923", LEGACY + "?realtime-250923"),
])
def test_realtime_url_appends_realtime_only_when_the_path_lacks_it(base: str, expected: str) -> None:
    assert realtime_url(base) == expected


@pytest.mark.parametrize(("target", "sdk", "expected"), [
    (LEGACY, "/v1/realtime?model=gpt%3A%2F%2Ff%2Fspeech-realtime-250923",
     LEGACY + "?model=gpt%3A%2F%2Ff%2Fspeech-realtime-250923"),
    (LEGACY + "?realtime-250923", "/v1/realtime?model=m", LEGACY + "?realtime-250923&model=m"),
    ("wss://h/v1/realtime?model=fixed", "/v1/realtime?model=m&intent=x", "wss://h/v1/realtime?model=fixed&intent=x"),
    ("wss://h/v1/realtime", "/v1/realtime/translations?model=m", "wss://h/v1/realtime/translations?model=m"),
])
def test_sdk_paths_map_onto_the_targets_real_url(target: str, sdk: str, expected: str) -> None:
    assert map_url(target, sdk) == expected


def test_the_proxy_reaches_a_path_and_bare_query_the_sdk_cannot_produce() -> None:
    seen: list[str] = []

    def on_request(conn, request):  # type: ignore[no-untyped-def]
        seen.append(request.path)

    def on_session(conn):  # type: ignore[no-untyped-def]
        conn.send('{"type":"session.created","event_id":"e","session":{}}')

    with LoopbackServer(on_request, on_session) as upstream:
        target = upstream.url + "/realtime/openai?realtime-250923"
        with RecordingProxy(target, deadline=5, open_timeout=5) as proxy:
            client = openai.OpenAI(api_key=KEY, base_url="http://127.0.0.1:9/v1", websocket_base_url=proxy.url)
            with client.realtime.connect(model="gpt://f/speech-realtime-250923") as conn:
                Listener(conn, 2).until("session.created")
    assert seen == ["/v1/realtime/openai?realtime-250923&model=gpt%3A%2F%2Ff%2Fspeech-realtime-250923"]


def test_credentials_go_upstream_but_never_into_the_capture_or_the_cassette() -> None:
    with RefServer() as server, RecordingProxy(realtime_url(server.url), deadline=5, open_timeout=5) as proxy:
        client = openai.OpenAI(api_key=KEY, base_url=server.url, websocket_base_url=proxy.url,
                               default_headers={"OpenAI-Project": FOLDER, "x-folder-id": FOLDER})
        with client.realtime.connect(model="ref-realtime-1") as conn:
            conn.session.update(session={"type": "realtime", "instructions": "hi"})
            Listener(conn, 2).until("session.updated")
        proxy.capture.done.wait(5)
        session = proxy.capture.session("realtime.connect", "ws://target.invalid" + proxy.capture.path)
    assert session.status == ACCEPTED  # the refserver checked the forwarded Authorization header
    assert [f.type for f in session.server_frames()] == ["session.created", "session.updated"]
    text = cassette.dump(session, lambda s: s)
    for secret in (KEY, FOLDER, "Authorization", "authorization"):
        assert secret not in text
        assert all(secret not in f.text for f in session.frames)


def test_an_upstream_refusal_is_passed_through_with_its_status_and_body() -> None:
    with RefServer() as server, RecordingProxy(realtime_url(server.url), deadline=5, open_timeout=5) as proxy:
        client = openai.OpenAI(api_key=KEY, base_url=server.url, websocket_base_url=proxy.url)
        with pytest.raises(InvalidStatus) as refused, client.realtime.connect(model="no-such-model"):
            pass
        proxy.capture.done.wait(5)
    assert refused.value.response.status_code == 404
    assert proxy.capture.status == 404 and b"model_not_found" in proxy.capture.body
