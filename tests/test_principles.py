"""The seven grading principles (README "Verdicts"), each proved both ways: a true deviation is caught, and the
faithful variant (a reference-server fault or a recorded fixture) is not flagged."""

from __future__ import annotations

import json

from conformance import FEATURES, Outcome, Verdict
from conformance.lint import Format
from conformance.lint.classify import plan
from conformance.lint.exchanges import recorded_exchange
from conformance.lint.model import Interaction
from conformance.lint.runner import _run_job
from conformance.lint.sessions import ws_session

from .conftest import RunAll

CREATED = 1733011200
ASK = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Say hello."}]}
ANSWER = {"id": "chatcmpl-AeKq3Zt8vN2pL5wXy7Rb", "object": "chat.completion", "created": CREATED, "model": "m",
          "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello."}, "finish_reason": "stop"}],
          "usage": {"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5}}


def recorded(body: object, request: object = ASK, status: int = 200, headers: dict[str, str] | None = None,
             url: str = "https://api.openai.com/v1/chat/completions") -> dict[tuple[str, str], str]:
    """(feature, check) -> outcome for every job lint plans on one recorded interaction ("plan" -> its skip)."""
    item = Interaction("rec.yaml", 1, Format.VCR_PLAIN, "POST", url,
                       request_body=request if isinstance(request, bytes) else json.dumps(request).encode(),
                       status=status,
                       response_headers={"content-type": "application/json"} if headers is None else headers,
                       body=body if isinstance(body, bytes) else json.dumps(body).encode())
    planned = plan(recorded_exchange(item), "openai")
    found = {("plan", "not graded"): planned.not_graded} if planned.not_graded else {}
    for job in planned.jobs:
        found.update({(job.feature, r.id): r.outcome.value for r in _run_job(job)})
    return found


# --- 1. Absence of evidence is not evidence ------------------------------------------------------------------------


def test_p1_an_omitted_echo_is_not_graded_a_wrong_echo_is(run_all: RunAll) -> None:
    rows = ("responses.truncation", "responses.temperature_range", "responses.instructions")
    omitted = run_all("echo_omitted", checks=("responses.truncation_echo", "responses.temperature_echo",
                                              "responses.instructions_echo"))
    assert {fid: omitted[fid].verdict for fid in rows} == dict.fromkeys(rows, Verdict.PASS)
    skipped = next(c for c in omitted["responses.truncation"].checks if c.id == "responses.truncation_echo")
    assert skipped.outcome is Outcome.SKIPPED and skipped.evidence and "does not echo" in skipped.evidence.where
    ignored = run_all("truncation_ignored", checks=("responses.truncation_echo",))["responses.truncation"]
    assert ignored.verdict is Verdict.DEVIATION  # an echo is at most a SHOULD


def test_p1_a_recording_without_headers_says_nothing_about_content_type() -> None:
    stripped = recorded(ANSWER, headers={})
    assert stripped[("chat.basic", "http.json_content_type")] == "skipped"
    assert recorded(ANSWER, headers={"content-type": "text/plain"})[("chat.basic", "http.json_content_type")] \
        == "failed"


def test_p1_a_request_the_recording_did_not_keep_is_never_called_invalid() -> None:
    unknown = recorded(ANSWER, request=b"")
    assert ("chat.errors", "errors.status_4xx") not in unknown and unknown[("chat.basic", "schema.body")] == "passed"
    assert recorded(ANSWER, request={"messages": ASK["messages"]})[("chat.errors", "errors.status_4xx")] == "failed"


# --- 2. A limit that was not reached proves nothing ----------------------------------------------------------------


def test_p2_a_short_answer_under_the_limit_is_not_discriminating(run_all: RunAll) -> None:
    short = run_all("short_answer", checks=("chat.finish_length", "responses.incomplete_max_tokens"))
    for fid in ("chat.max_tokens", "responses.max_output_tokens"):
        assert short[fid].verdict is Verdict.PASS and "ended on its own" in short[fid].not_discriminating
        assert short[fid].to_dict()["not_discriminating"]


def test_p2_a_long_answer_that_ignored_the_limit_reports_every_condition(run_all: RunAll) -> None:
    ignored = run_all("max_tokens_ignored", checks=("chat.finish_length",))["chat.max_tokens"]
    assert ignored.verdict is Verdict.IGNORED and ignored.not_discriminating == ""
    check = next(c for c in ignored.checks if c.id == "chat.finish_length")
    assert check.evidence is not None and len(check.evidence.details) == 2
    assert "completion_tokens" in check.evidence.details[0] and "finish_reason" in check.evidence.details[1]


# --- 3. Auth and routing failures say nothing about features -------------------------------------------------------


def test_p3_a_401_is_no_verdict_on_the_feature(run_all: RunAll) -> None:
    results = run_all("unauthorized_embeddings", checks=("embeddings.float_vectors", "embeddings.base64_decodes",
                                                          "embeddings.dimensions_applied"))
    rows = {fid: r for fid, r in results.items() if fid.startswith("embeddings.")}
    assert rows and {r.verdict for r in rows.values()} == {Verdict.ERROR}
    assert all(r.reason.startswith("auth failure") for r in rows.values())


def test_p3_a_missing_surface_is_endpoint_absent_and_its_errors_row_cannot_pass(run_all: RunAll) -> None:
    results = run_all("responses_absent")
    rows = {fid: r for fid, r in results.items() if fid.startswith("responses.")}
    assert {r.verdict for r in rows.values()} == {Verdict.REJECTED}, {f: r.reason for f, r in rows.items()}
    assert all("endpoint absent" in r.reason for r in rows.values())
    assert run_all(checks=("errors.status_4xx",))["responses.errors"].verdict is Verdict.PASS  # faithful


def test_p3_passive_auth_and_routing_answers_grade_nothing() -> None:
    auth = {"error": {"message": "Incorrect API key provided", "type": "invalid_request_error", "param": None,
                      "code": "invalid_api_key"}}
    assert recorded(auth, status=401) == {("plan", "not graded"): "auth failure"}
    assert recorded(b"<html>404 Not Found</html>", status=404, headers={"content-type": "text/html"}) == {
        ("plan", "not graded"): "endpoint absent"}
    model = {"error": {"message": "The model `gpt-9` does not exist", "type": "invalid_request_error",
                       "param": None, "code": "model_not_found"}}
    assert recorded(model, status=404)[("chat.errors", "errors.envelope")] == "passed"  # about the model: graded


# --- 4. Know the dialects that are still OpenAI --------------------------------------------------------------------


def test_p4_azure_routes_by_deployment_so_no_model_is_valid_there() -> None:
    body = {"messages": ASK["messages"]}
    azure = "https://example.openai.azure.com/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21"
    assert ("chat.errors", "errors.status_4xx") not in recorded(ANSWER, request=body, url=azure)
    assert recorded(ANSWER, request=body)[("chat.errors", "errors.status_4xx")] == "failed"


def test_p4_audio_and_refusals_make_null_content_valid_nothing_else_does() -> None:
    audio = json.loads(json.dumps(ANSWER))
    audio["choices"][0]["message"] = {"role": "assistant", "content": None,
                                      "audio": {"id": "audio_1", "data": "UklGRg==", "expires_at": CREATED + 3600,
                                                "transcript": "Hello."}}
    assert recorded(audio)[("chat.basic", "chat.assistant_message")] == "passed"
    empty = json.loads(json.dumps(ANSWER))
    empty["choices"][0]["message"] = {"role": "assistant", "content": None}
    assert recorded(empty)[("chat.basic", "chat.assistant_message")] == "failed"


def test_p4_azure_filter_annotations_are_not_chunks_but_a_wrong_object_is_flagged() -> None:
    chunk = {"id": "chatcmpl-AeKq3Zt8", "object": "chat.completion.chunk", "created": CREATED, "model": "m"}
    annotation = {"id": "", "object": "", "created": 0, "model": "", "choices": [],
                  "prompt_filter_results": [{"prompt_index": 0, "content_filter_results": {}}]}
    chunks = [annotation,
              {**chunk, "choices": [{"index": 0, "delta": {"role": "assistant", "content": "Hi"},
                                     "finish_reason": None}]},
              {**chunk, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}]

    def stream(events: list[dict[str, object]]) -> dict[tuple[str, str], str]:
        body = ("".join(f"data: {json.dumps(e)}\n\n" for e in events) + "data: [DONE]\n\n").encode()
        return recorded(body, request={**ASK, "stream": True}, headers={"content-type": "text/event-stream"})

    found = stream(chunks)
    assert found[("chat.stream", "stream.chunk_schema")] == found[("chat.stream", "stream.same_id")] == "passed"
    wrong = stream([{**chunks[1], "object": "chat.completion"}, chunks[2]])
    assert wrong[("chat.stream", "stream.chunk_schema")] == "failed"


def test_p4_an_out_of_band_realtime_session_need_not_start_with_session_created(run_all: RunAll) -> None:
    from conformance.lint.model import Session

    log = Session("rt.yaml", frames_log=[("sent", {"type": "session.update", "session": {"type": "realtime"}}),
                                         ("received", {"type": "session.updated", "event_id": "event_Rx1",
                                                       "session": {"type": "realtime", "model": "gpt-realtime"}})])
    feature = FEATURES.get("realtime.connect")
    from conformance import CheckContext
    from conformance.runner.checking import run_check

    result = run_check("realtime.session_created_first", CheckContext(feature, {feature.primary: ws_session(log)}))
    assert result.outcome is Outcome.SKIPPED and "out of band" in (result.evidence.where if result.evidence else "")
    missing = run_all("rt_no_session_created", checks=("realtime.session_created_first",))["realtime.connect"]
    assert missing.verdict is Verdict.FAIL  # a live session with a URL and no call_id must start with it


# --- 5. Report every deviation, not the first ----------------------------------------------------------------------


def test_p5_every_failing_event_and_every_schema_error_is_reported(run_all: RunAll) -> None:
    stream = run_all("stream_id_changes", checks=("stream.same_id",))["chat.stream"]
    check = next(c for c in stream.checks if c.id == "stream.same_id")
    assert check.evidence is not None and check.evidence.details  # every chunk whose id changed, listed
    assert len(check.evidence.details) >= 2 and all(line.startswith("event #") for line in check.evidence.details)
    fine = run_all(checks=("stream.same_id",))["chat.stream"]
    assert next(c for c in fine.checks if c.id == "stream.same_id").outcome is Outcome.PASSED


# --- 6. One root cause, one finding --------------------------------------------------------------------------------


def test_p6_a_surface_wide_shape_defect_is_one_finding_not_a_fail_on_every_row(run_all: RunAll) -> None:
    results = run_all("responses_usage_shape", checks=("schema.body",))
    assert results["responses.basic"].verdict is Verdict.FAIL  # the finding, reported once, on the basic row
    other = results["responses.instructions"]
    assert other.verdict is Verdict.PASS and other.also_affected_by
    assert "output_tokens_details" in other.also_affected_by[0]
    strict = next(c for c in other.checks if c.id == "schema.body").to_dict()
    assert strict["strict_outcome"] == "failed" and strict["evidence"]  # nothing hidden
    own = run_all("tool_args_object", checks=("tools.call_shape",))["chat.tool_choice.required"]
    assert own.verdict is Verdict.FAIL and not own.also_affected_by  # a defect of the row's own answer stays
    assert run_all(checks=("schema.body",))["responses.instructions"].also_affected_by == []


# --- 7. Model-dependent is not server-dependent --------------------------------------------------------------------


def test_p7_model_choices_are_marked_and_a_pass_that_could_not_fail_says_so() -> None:
    from conformance import Mode, RunSettings, TargetRun, load_profile
    from conformance.session import default_cassette_root

    run = TargetRun(load_profile("llamacpp"), RunSettings(Mode.REPLAY, cassette_root=default_cassette_root()))
    auto = run.run_feature(FEATURES.get("chat.tools.auto"))
    none = run.run_feature(FEATURES.get("chat.tool_choice.none"))
    forced = run.run_feature(FEATURES.get("chat.tool_choice.required"))
    assert auto.verdict is Verdict.DEVIATION and auto.model_dependent == ["tools.auto_called"]
    assert auto.server_verdict is Verdict.PASS  # what llama.cpp's server showed by itself: parse, schema, type
    assert none.verdict is Verdict.PASS and "does not call tools unforced" in none.not_discriminating
    assert forced.verdict is Verdict.PASS and forced.model_dependent == [] and forced.not_discriminating == ""
    assert forced.server_verdict is None and none.server_verdict is None


def test_p7_the_server_share_of_a_model_dependent_cell_is_graded_apart() -> None:
    from conformance.grading import server_share
    from conformance.verdicts import Outcome, Severity

    checks = [("sdk.parse", Severity.MUST, Outcome.PASSED), ("tools.auto_called", Severity.SHOULD, Outcome.IGNORED),
              ("schema.body", Severity.MUST, Outcome.FAILED)]
    assert server_share(checks, ["tools.auto_called"]) is Verdict.FAIL  # the server's own defect stays visible
    assert server_share(checks[:2], ["tools.auto_called"]) is Verdict.PASS
    assert server_share(checks[1:2], ["tools.auto_called"]) is None  # nothing but the model's choice was checked
    assert server_share(checks, []) is None


def test_p7_reports_show_the_server_apart_from_the_model() -> None:
    from conformance.report.markdown import _cell

    row = {"verdict": "DEVIATION", "claim": "supported", "agreement": "agrees",
           "model_dependent": ["tools.auto_called"],
           "server_verdict": "PASS"}
    assert "(model-dependent; server's own checks: PASS)" in _cell(row)
    assert "(model-dependent)" in _cell({**row, "server_verdict": None})


def test_p7_a_server_that_ignores_none_is_the_server_not_the_model(run_all: RunAll) -> None:
    ignored = run_all("tool_choice_none_ignored", checks=("tools.none_no_call",))["chat.tool_choice.none"]
    assert ignored.verdict is Verdict.IGNORED and ignored.model_dependent == [] and not ignored.not_discriminating


def test_p7_the_html_report_shows_the_server_apart_from_the_model() -> None:
    from conformance.report.html import render_html
    from tests.report_samples import shipped

    doc = shipped()
    row = next(r for r in doc["results"] if r["target"] == "llamacpp" and r["feature"] == "chat.tools.auto")
    row.update(model_dependent=["tools.auto_called"], server_verdict="PASS")
    page = render_html(doc)
    assert "model; server PASS" in page
    assert "the server's own checks in this cell give <strong>PASS</strong>" in page
