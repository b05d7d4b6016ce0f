"""Cookies: none is stored or sent by the suite's clients, and every cookie value seen is scrubbed by value."""

from __future__ import annotations

import httpx2

from conformance.recording.scrub import COOKIE, Scrubber
from conformance.refserver import RefServer
from conformance.wire.cookies import no_cookies


def test_a_cookie_value_set_by_the_server_is_learnt_and_scrubbed_everywhere() -> None:
    scrub = Scrubber({})
    headers = httpx2.Headers([("set-cookie", "sid=SECRETcookie0123; Path=/; HttpOnly"),
                              ("Set-Cookie", 'other="QUOTEDvalue456"; Secure'), ("set-cookie", "lang=en")])
    scrub.learn_cookies(headers)
    text = scrub.text('{"echo": "sid=SECRETcookie0123", "o": "QUOTEDvalue456", "lang": "en"}')
    assert text == f'{{"echo": "sid={COOKIE}", "o": "{COOKIE}", "lang": "en"}}'  # short values are not secrets


def test_request_cookie_headers_and_recorded_header_maps_are_learnt_too() -> None:
    scrub = Scrubber({})
    kept = scrub.headers({"Cookie": ["a=PLANTEDcookie77; b=x"], "Content-Type": ["application/json"]}, request=True)
    assert kept == {"Content-Type": ["application/json"]}
    assert scrub.text("body mentions PLANTEDcookie77") == f"body mentions {COOKIE}"


def test_the_suites_http_client_keeps_no_cookie() -> None:
    with RefServer(faults={"cookie_echo"}) as server, httpx2.Client(cookies=no_cookies()) as client:
        for _ in range(3):
            answer = client.get(server.url + "/models", headers={"Authorization": "Bearer x"})
            assert answer.headers["set-cookie"].startswith("conformance_session=")
            assert answer.json()["cookie_echo"]["received"] == ""
        assert server.cookies_received == [] and len(client.cookies) == 0
