"""Evidence a reader can act on: every deviation listed (grouped, most specific first) and requests shown by what
makes them meaningful (the invalid field, the input, extra_body, parallel_tool_calls, stream_options)."""

from __future__ import annotations

import json

from conformance import FEATURES, CheckContext, Outcome
from conformance.failures import grouped
from conformance.runner.checking import run_check
from conformance.schemas import violations
from conformance.wire.exchange import Exchange

CHUNK = {"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1, "model": "m",
         "choices": [{"index": 0, "delta": {"content": "a"}, "finish_reason": None}]}


def exchange(request: dict[str, object], body: bytes = b"{}", path: str = "/v1/chat/completions",
             content_type: str = "application/json") -> Exchange:
    """A captured exchange with these bodies."""
    return Exchange(name="x", method="POST", url=f"https://h{path}", request_body=json.dumps(request).encode(),
                    status=200, response_headers={"content-type": content_type}, raw=bytearray(body))


def stream(chunks: list[dict[str, object]]) -> bytes:
    """An SSE body of these chunks and [DONE]."""
    return ("".join(f"data: {json.dumps(c)}\n\n" for c in chunks) + "data: [DONE]\n\n").encode()


def test_grouped_folds_event_numbers_and_keeps_every_place() -> None:
    lines = grouped([("event #3 $.id", "x"), ("event #4 $.id", "x"), ("event #9 $.id", "x"), ("$.a", "y")])
    assert lines == ("events #3-#4, #9 $.id: x", "$.a: y")


def test_schema_violations_are_all_listed_most_specific_first() -> None:
    usage = {"input_tokens": 1, "output_tokens": 1, "total_tokens": 2, "input_tokens_details": {"cached_tokens": 0}}
    body = {"id": "resp_1", "object": "response", "created_at": "soon", "status": "completed", "model": "m",
            "output": [{"type": "message", "id": "m", "role": "assistant", "status": "completed", "content": "Hi"}],
            "parallel_tool_calls": True, "tool_choice": "auto", "tools": [], "usage": usage}
    found = violations("response", body)
    paths = [p for p, _ in found]
    assert paths[0] == "$.output[0].content"  # deepest first, not "not valid under any of the given schemas"
    assert "$.usage" in paths and "$.created_at" in paths
    assert any("output_tokens_details" in m for p, m in found if p == "$.usage")


def test_schema_body_names_every_violation_in_details() -> None:
    feature = FEATURES.get("responses.basic")
    usage = {"input_tokens": 1, "output_tokens": 1, "total_tokens": 2}
    ex = exchange({"model": "m", "input": "hi"}, json.dumps(
        {"id": "resp_1", "object": "response", "created_at": "soon", "status": "completed", "model": "m",
         "output": [], "parallel_tool_calls": True, "tool_choice": "auto", "tools": [], "usage": usage}).encode(),
        "/v1/responses")
    result = run_check("schema.body", CheckContext(feature, {feature.primary: ex}))
    assert result.outcome is Outcome.FAILED and result.evidence is not None
    assert "more, listed" in result.evidence.observed and "+" not in result.evidence.observed
    assert len(result.evidence.details) >= 2 and any("$.created_at" in d for d in result.evidence.details)


def test_stream_checks_report_every_failing_event() -> None:
    feature = FEATURES.get("chat.stream")
    chunks = [CHUNK, {**CHUNK, "id": "other"}, {**CHUNK, "id": "other"}, {**CHUNK, "id": "third"},
              {**CHUNK, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}]
    ex = exchange({"model": "m", "stream": True, "messages": []}, stream(chunks), content_type="text/event-stream")
    result = run_check("stream.same_id", CheckContext(feature, {feature.primary: ex}))
    assert result.outcome is Outcome.FAILED and result.evidence is not None
    assert result.evidence.where == "event #1 $.id"
    assert result.evidence.details == ('events #1-#2 $.id: expected chatcmpl-1; observed other',
                                       'event #3 $.id: expected chatcmpl-1; observed third')


def test_request_summary_shows_what_makes_the_request_meaningful() -> None:
    ex = exchange({"model": "m", "messages": [{"role": "wizard", "content": "hi"}], "max_tokens": 4, "top_k": 3,
                   "parallel_tool_calls": False, "stream_options": {"include_usage": True}})
    summary = ex.summary()
    assert 'messages=[{"role":"wizard","content":"hi"}]' in summary  # the invalid role of chat.errors is visible
    assert 'extra_body={"top_k":3}' in summary and "parallel_tool_calls=false" in summary
    assert 'stream_options={"include_usage":true}' in summary
    long = exchange({"model": "m", "input": "word " * 100}, path="/v1/responses").summary()
    assert "…(+" in long and len(long) < 300


def test_a_reproduction_is_a_shell_command_with_secrets_as_references() -> None:
    import subprocess

    from conformance.wire.reproduce import Access, curl

    access = Access("YC_API_KEY", "Authorization", "Api-Key ", {"OpenAI-Project": "b1gSECRET"},
                    {"b1gSECRET": "YC_FOLDER_ID"})
    command = curl("POST", "https://h/v1/chat/completions",
                   json.dumps({"model": "gpt://b1gSECRET/m", "messages": [{"role": "user", "content": "it's"}]})
                   .encode(), access)
    assert "b1gSECRET" not in command and '"${YC_FOLDER_ID}"' in command and '"${YC_API_KEY}"' in command
    echo = command.replace("curl", "printf '[%s]\\n'", 1)
    shown = subprocess.run(["sh", "-c", echo], capture_output=True, text=True, check=True,
                           env={"YC_API_KEY": "K", "YC_FOLDER_ID": "F", "PATH": "/usr/bin:/bin"}).stdout
    assert "[Authorization: Api-Key K]" in shown and '"model":"gpt://F/m"' in shown and "it's" in shown


def test_every_non_pass_cell_carries_a_reproduction() -> None:
    from conformance import AttemptPolicy, Mode, RunSettings, TargetRun, load_profile
    from conformance.refserver import RefServer

    with RefServer(faults={"max_tokens_ignored"}) as server:
        run = TargetRun(load_profile("reference"), RunSettings(Mode.LIVE, base_url=server.url,
                                                               policy=AttemptPolicy(0)))
        broken = run.run_feature(FEATURES.get("chat.max_tokens"))
        passed = run.run_feature(FEATURES.get("chat.basic"))
    assert broken.verdict.value == "IGNORED" and broken.reproduce.startswith("curl -sS -X POST ")
    assert '"max_tokens":1' in broken.reproduce and "sk-reference" not in broken.reproduce
    assert passed.verdict.value == "PASS" and passed.reproduce == ""
    assert broken.to_dict()["reproduce"] == broken.reproduce


def test_token_totals_include_responses_usage() -> None:
    from conformance import AttemptPolicy, Mode, RunSettings, TargetRun, load_profile
    from conformance.refserver import RefServer

    with RefServer() as server:
        run = TargetRun(load_profile("reference"), RunSettings(Mode.LIVE, base_url=server.url,
                                                               policy=AttemptPolicy(0)))
        run.run_feature(FEATURES.get("responses.basic"))  # only input_tokens / output_tokens to count
    assert run.info.prompt_tokens > 0 and run.info.completion_tokens > 0


def test_a_delete_answered_404_is_not_stored_not_left_behind() -> None:
    from conformance import Mode, RunSettings, TargetRun, load_profile
    from conformance.session import default_cassette_root

    run = TargetRun(load_profile("llamacpp"), RunSettings(Mode.REPLAY, cassette_root=default_cassette_root()))
    run.run_feature(FEATURES.get("responses.previous_response_id"))  # its first turn is stored, then deleted
    assert run.info.leftovers == [] and run.info.not_stored and run.info.not_stored[0].startswith("response resp_")


def test_a_check_never_reads_another_step_or_the_cleanup() -> None:
    from conformance import Mode, RunSettings, TargetRun, load_profile
    from conformance.session import default_cassette_root

    run = TargetRun(load_profile("llamacpp"), RunSettings(Mode.REPLAY, cassette_root=default_cassette_root()))
    missing = run.send("responses.lifecycle:no_such_step", stand_in=False)
    assert missing.exchange is None and missing.verdict is not None and "no_such_step" in missing.problem
    stand_in = run.send("responses.lifecycle:no_such_step")  # a row's primary: the refusal that stopped the flow
    assert stand_in.exchange is not None and not stand_in.exchange.name.endswith(":cleanup")
    assert all(not name.endswith(":cleanup") or ex.status == 404 for name, ex in stand_in.steps.items())
