"""responses.websocket: the Responses API's WebSocket mode, one session of two turns (issue 13).

The probe against the reference server (one session, two capped store-false turns, the second chained), every
`responses_ws_*` fault (each kills its check; absent and refused are REJECTED, never FAIL; the faithful variant
changes nothing), record and offline replay, the checks on hand-built sessions, the grading decision, the proxy's
URL mapping and the reproduction snippet.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conformance import FEATURES, AttemptPolicy, Mode, RunSettings, TargetRun, Verdict, load_profile
from conformance.checks import CheckContext
from conformance.checks.responses_ws import turns
from conformance.grading import extension_socket_problem, no_socket_route
from conformance.realtime.events import RESPONSES
from conformance.realtime.frames import CLIENT, SERVER, Frame, WsSession
from conformance.realtime.proxy import map_url, realtime_url
from conformance.refserver import RefServer
from conformance.runner.checking import run_check
from conformance.runner.results import FeatureResult
from conformance.verdicts import Outcome
from conformance.wire.reproduce import Access, realtime_snippet

ROW = FEATURES.get("responses.websocket")
SHIPPED = Path(__file__).resolve().parent.parent / "cassettes"


def live(*faults: str) -> tuple[FeatureResult, TargetRun, RefServer]:
    """Run the row live against the reference server with these faults."""
    with RefServer(faults=faults) as server:
        run = TargetRun(load_profile("reference"), RunSettings(Mode.LIVE, base_url=server.url, policy=AttemptPolicy(0)))
        result = run.run_feature(ROW)
        server.check()
    return result, run, server


def outcomes(result: FeatureResult) -> dict[str, Outcome]:
    """Check id -> outcome."""
    return {c.id: c.outcome for c in result.checks}


def test_one_session_carries_two_capped_turns_the_second_chained() -> None:
    result, run, server = live()
    assert result.verdict is Verdict.PASS, result.reason
    assert set(outcomes(result).values()) == {Outcome.PASSED}
    assert run.info.requests_sent == server.requests == 2  # the preflight and the one WebSocket session
    session = run.send("responses.websocket").exchange
    assert isinstance(session, WsSession) and session.channel == RESPONSES and session.path == "/v1/responses"
    first, second = turns(session)
    assert [t.create.get("max_output_tokens") for t in (first, second)] == [16, 16]
    assert [t.create.get("store") for t in (first, second)] == [False, False]
    assert "previous_response_id" not in first.create
    assert second.create["previous_response_id"] == (first.final() or {})["id"] != (second.final() or {})["id"]
    assert server.store.responses == {}  # store false: nothing left on the server


KILLS = [
    ("responses_ws_keepalive_text", "realtime.frames_json", Outcome.FAILED, Verdict.FAIL),
    ("responses_ws_part_untyped", "responses.ws.event_schema", Outcome.FAILED, Verdict.FAIL),
    ("responses_ws_no_created", "responses.ws.turn_events", Outcome.FAILED, Verdict.FAIL),
    ("responses_ws_failed", "responses.ws.completed", Outcome.FAILED, Verdict.FAIL),
    ("responses_ws_previous_ignored", "responses.ws.continuation", Outcome.IGNORED, Verdict.IGNORED),
    ("responses_ws_same_id", "responses.ws.continuation", Outcome.FAILED, Verdict.FAIL),
]


@pytest.mark.parametrize(("fault", "check_id", "outcome", "verdict"), KILLS, ids=[k[0] for k in KILLS])
def test_each_fault_kills_its_check_with_evidence(fault: str, check_id: str, outcome: Outcome,
                                                  verdict: Verdict) -> None:
    result, _run, _server = live(fault)
    assert result.verdict is verdict
    found = {c.id: c for c in result.checks}[check_id]
    assert found.outcome is outcome
    assert found.evidence is not None and found.evidence.request.startswith("WS /v1/responses")
    assert "server frame #" in found.evidence.where
    assert found.evidence.expected and found.evidence.observed
    assert "client.responses.connect()" in result.reproduce


def test_continuation_evidence_names_the_chained_turn_and_both_token_counts() -> None:
    result, _run, _server = live("responses_ws_previous_ignored")
    evidence = {c.id: c for c in result.checks}["responses.ws.continuation"].evidence
    assert evidence is not None
    assert "turn 2 (previous_response_id=resp_" in evidence.where and "usage.input_tokens" in evidence.where
    assert "turn 1's 5" in evidence.expected and evidence.observed == "2"


@pytest.mark.parametrize(("fault", "reason"), [
    ("responses_ws_absent", "endpoint absent: the WebSocket upgrade was answered HTTP 404 to WS /v1/responses"),
    ("responses_absent", "endpoint absent: the WebSocket upgrade was answered HTTP 404 to WS /v1/responses"),
    ("responses_ws_chain_refused", "error event at server frame #14 (status 400) answering response.create "
                                   "(previous_response_id=resp_"),
])
def test_an_absent_or_refused_websocket_mode_is_rejected_never_fail(fault: str, reason: str) -> None:
    result, _run, _server = live(fault)
    assert result.verdict is Verdict.REJECTED
    assert result.reason.startswith(reason)
    assert set(outcomes(result).values()) == {Outcome.SKIPPED}


@pytest.mark.parametrize("fault", ["responses_ws_sequence_continues", "echo_omitted"])
def test_faithful_variants_keep_the_pass(fault: str) -> None:
    result, _run, _server = live(fault)
    assert result.verdict is Verdict.PASS, result.reason


@pytest.mark.parametrize(("fault", "reason"), [("server_error", "HTTP 500"), ("rate_limited", "HTTP 429"),
                                               ("key_refused", "authentication failed")])
def test_transient_and_auth_failures_are_error(fault: str, reason: str) -> None:
    result, _run, _server = live(fault)
    assert result.verdict is Verdict.ERROR and reason in result.reason


def test_record_then_replay_offline(tmp_path: Path, connects: list[object]) -> None:
    with RefServer() as server:
        TargetRun(load_profile("reference"), RunSettings(Mode.RECORD, base_url=server.url, cassette_root=tmp_path,
                                                         policy=AttemptPolicy(0))).run_feature(ROW)
    path = tmp_path / "reference" / "responses" / "responses.websocket.yaml"
    assert path.is_file() and "kind: realtime-websocket" in path.read_text(encoding="utf-8")
    for root in (tmp_path, SHIPPED):
        run = TargetRun(load_profile("reference"), RunSettings(Mode.REPLAY, cassette_root=root,
                                                               policy=AttemptPolicy(0)))
        assert run.run_feature(ROW).verdict is Verdict.PASS
        assert run.info.requests_sent == 0
    assert connects and all(isinstance(p, tuple) and p[0] == "127.0.0.1" for p in connects)


@pytest.mark.parametrize(("target", "verdict", "reason"), [
    ("llamacpp", Verdict.REJECTED, "endpoint absent: the WebSocket upgrade was answered HTTP 404"),
    ("vllm", Verdict.REJECTED, "endpoint absent: the WebSocket upgrade was answered HTTP 403"),
    ("litellm", Verdict.ERROR, "the server closed the WebSocket with 1011"),
])
def test_shipped_recordings_of_servers_without_websocket_mode(target: str, verdict: Verdict, reason: str) -> None:
    run = TargetRun(load_profile(target), RunSettings(Mode.REPLAY, cassette_root=SHIPPED, policy=AttemptPolicy(0)))
    result = run.run_feature(ROW)
    assert result.verdict is verdict and result.reason.startswith(reason), result.reason


def session(*frames: tuple[str, dict[str, Any]], status: int = 101) -> WsSession:
    """A hand-built Responses WebSocket session."""
    built = [Frame(d, float(i), json.dumps(e), event=e) for i, (d, e) in enumerate(frames)]
    return WsSession("responses.websocket", "ws://target.invalid/v1/responses", status, built)


def stream(rid: str, input_tokens: int | None) -> list[tuple[str, dict[str, Any]]]:
    """The events of one finished turn: created, completed (no output)."""
    usage = {"input_tokens": input_tokens, "output_tokens": 1} if input_tokens is not None else None
    return [(SERVER, {"type": "response.created", "sequence_number": 0, "response": {"id": rid}}),
            (SERVER, {"type": "response.completed", "sequence_number": 1, "response": {"id": rid, "usage": usage}})]


def check(built: WsSession, check_id: str) -> Any:
    """Run one check on a hand-built session."""
    return run_check(check_id, CheckContext(ROW, {"responses.websocket": built}, {}))


def test_turns_split_at_each_response_create_and_number_server_frames() -> None:
    built = session((SERVER, {"type": "ping"}), (CLIENT, {"type": "response.create", "input": "a"}),
                    *stream("resp_1", 5), (CLIENT, {"type": "response.create", "previous_response_id": "resp_1"}),
                    *stream("resp_2", 9))
    first, second = turns(built)
    assert [n for n, _ in first.events] == [2, 3] and [n for n, _ in second.events] == [4, 5]
    assert second.label() == "turn 2 (previous_response_id=resp_1)"
    assert check(built, "responses.ws.continuation").outcome is Outcome.PASSED
    assert check(built, "responses.ws.turn_events").outcome is Outcome.PASSED


def test_no_usage_means_continuation_is_not_observable_not_a_fault() -> None:
    built = session((CLIENT, {"type": "response.create"}), *stream("resp_1", None),
                    (CLIENT, {"type": "response.create", "previous_response_id": "resp_1"}), *stream("resp_2", None))
    assert check(built, "responses.ws.continuation").outcome is Outcome.SKIPPED


def test_a_turn_without_a_terminal_event_fails_turn_events_and_completed() -> None:
    built = session((CLIENT, {"type": "response.create"}), stream("resp_1", 5)[0])
    for check_id in ("responses.ws.turn_events", "responses.ws.completed"):
        result = check(built, check_id)
        assert result.outcome is Outcome.FAILED and "turn 1" in result.evidence.where


def test_an_incomplete_turn_at_its_own_limit_is_finished() -> None:
    cut = {"type": "response.incomplete", "sequence_number": 1,
           "response": {"id": "resp_1", "incomplete_details": {"reason": "max_output_tokens"}}}
    built = session((CLIENT, {"type": "response.create"}), stream("resp_1", 5)[0], (SERVER, cut))
    assert check(built, "responses.ws.completed").outcome is Outcome.PASSED


def test_the_websocket_error_event_is_validated_against_its_own_schema() -> None:
    good = {"type": "error", "status": 400, "error": {"type": "invalid_request_error", "message": "no"}}
    bad = {"type": "error", "message": "no"}  # the HTTP stream's error shape: no error object
    assert check(session((SERVER, good)), "responses.ws.event_schema").outcome is Outcome.PASSED
    assert check(session((SERVER, bad)), "responses.ws.event_schema").outcome is Outcome.FAILED


def test_session_refusal_names_the_frame_the_turn_and_the_message() -> None:
    built = session((CLIENT, {"type": "response.create"}), *stream("resp_1", 5),
                    (CLIENT, {"type": "response.create", "previous_response_id": "resp_1"}),
                    (SERVER, {"type": "error", "status": 400, "error": {"type": "invalid_request_error",
                                                                         "message": "previous_response_not_found"}}))
    assert built.refusal() == (400, "error event at server frame #3 (status 400) answering response.create "
                                    "(previous_response_id=resp_1): previous_response_not_found")
    assert session((CLIENT, {"type": "response.create"}), *stream("resp_1", 5)).refusal() is None


@pytest.mark.parametrize(("handshake", "bare", "refusal", "close", "verdict"), [
    (426, False, None, None, Verdict.REJECTED), (400, False, None, None, Verdict.REJECTED),
    (200, True, None, None, Verdict.REJECTED), (404, False, None, None, Verdict.REJECTED),
    (403, True, None, None, Verdict.REJECTED), (403, False, None, None, Verdict.ERROR),
    (401, True, None, None, Verdict.ERROR),
    (101, True, (400, "refused"), None, Verdict.REJECTED), (101, True, (0, "refused"), None, Verdict.REJECTED),
    (101, True, (500, "failed"), None, Verdict.ERROR), (101, True, (429, "limited"), None, Verdict.ERROR),
    (101, True, None, 1011, Verdict.ERROR), (101, True, None, 1000, None), (101, True, None, None, None),
    (None, True, None, None, None),
])
def test_grading_of_an_extension_socket(handshake: int | None, bare: bool, refusal: tuple[int, str] | None,
                                        close: int | None, verdict: Verdict | None) -> None:
    decided = extension_socket_problem(handshake, bare, refusal, close, "what")
    assert (decided.verdict if decided else None) is verdict
    if verdict is Verdict.REJECTED and refusal is None:
        assert decided is not None and decided.reason.startswith("endpoint absent")


def test_the_proxy_maps_the_sdk_path_onto_the_targets_responses_url() -> None:
    assert realtime_url("https://api.example.test/v1", RESPONSES) == "wss://api.example.test/v1/responses"
    assert realtime_url("http://127.0.0.1:8080/v1/", RESPONSES) == "ws://127.0.0.1:8080/v1/responses"
    assert map_url("wss://api.example.test/v1/responses", "/v1/responses", RESPONSES) == \
        "wss://api.example.test/v1/responses"
    assert realtime_url("https://api.example.test/v1") == "wss://api.example.test/v1/realtime"  # unchanged default


def test_the_reproduction_replays_the_turns_chaining_the_ids_it_gets() -> None:
    access = Access("OPENAI_API_KEY", "Authorization", "Bearer ", {}, {})
    program = realtime_snippet("https://api.example.test/v1", "m", [{"type": "response.create"}], access, RESPONSES)
    assert "client.responses.connect()" in program and "previous_response_id" in program
    compile(program, "<reproduce>", "exec")


def test_an_empty_403_upgrade_reads_alike_on_every_websocket_row() -> None:
    """vLLM answers both /v1/realtime and /v1/responses upgrades with an empty 403 (ASGI: no WebSocket route): the
    Realtime rows are REJECTED "endpoint absent" like the Responses WebSocket row, not an auth failure; a 403 that
    says something is still one."""
    run = TargetRun(load_profile("vllm"), RunSettings(Mode.REPLAY, cassette_root=SHIPPED, policy=AttemptPolicy(0)))
    result = run.run_feature(FEATURES.get("realtime.connect"))
    assert result.verdict is Verdict.REJECTED, result.reason
    assert result.reason.startswith("endpoint absent: the WebSocket upgrade was answered HTTP 403")
    assert no_socket_route(403, False, "HTTP 403") is None and no_socket_route(401, True, "HTTP 401") is None
