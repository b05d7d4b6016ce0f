"""Passive lint on any real recording: the wider ecosystem's formats, files that are no recording, hand-written
fixtures, per-column counts, and the provider mistakes lint used to miss."""

from __future__ import annotations

import base64
import json
import struct
from pathlib import Path

import pytest

from conformance.lint import Format, document, lint_paths, load_file
from conformance.lint.classify import plan
from conformance.lint.exchanges import recorded_exchange
from conformance.lint.model import Interaction, NotRecording
from conformance.lint.runner import _run_job

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "data" / "formats"
LOADED = {
    "ruby_vcr.yml": (Format.RUBY_VCR, "/v1/chat/completions", 200),
    "go_vcr.yaml": (Format.GO_VCR, "/v1/embeddings", 200),
    "trace.httprr": (Format.HTTPRR, "/v1/chat/completions", 200),
    "stream.sse": (Format.SSE_FILE, "/v1/chat/completions", 200),
    "chunks.jsonl": (Format.JSONL, "/v1/chat/completions", 200),
    "completion.json": (Format.BARE_JSON, "/v1/chat/completions", 200),
}
CREATED = 1733011200


@pytest.mark.parametrize(("name", "expected"), LOADED.items(), ids=list(LOADED))
def test_each_ecosystem_format_loads_with_its_body_decoded(name: str, expected: tuple[str, str, int]) -> None:
    (item,) = load_file(FIXTURES / name, name).interactions
    fmt, path, status = expected
    assert (item.fmt, item.path, item.status) == (fmt, path, status)
    body = item.body.decode("utf-8")
    assert "chatcmpl-AeKq3Zt8vN2pL5wXy7R" in body or '"embedding"' in body


def test_a_request_the_recording_did_not_keep_is_unknown_not_invalid() -> None:
    (item,) = load_file(FIXTURES / "completion.json", "c").interactions
    ex = recorded_exchange(item)
    assert not ex.request_known and ex.request_json == {}
    planned = plan(ex, "unknown")
    assert [job.feature for job in planned.jobs] == ["chat.basic"]  # no row a request condition selects
    found = {r.id: r.outcome.value for job in planned.jobs for r in _run_job(job)}
    assert "errors.status_4xx" not in found and found["http.json_content_type"] == "skipped"


def test_a_jsonl_fixture_is_not_graded_on_framing_it_did_not_keep() -> None:
    (item,) = load_file(FIXTURES / "chunks.jsonl", "j").interactions
    jobs = plan(recorded_exchange(item), "unknown").jobs
    found = {r.id: r.outcome.value for job in jobs for r in _run_job(job)}
    assert found["sse.framing"] == found["sse.done"] == "skipped"
    assert found["stream.chunk_schema"] == found["stream.same_id"] == "passed"


def test_every_file_is_read_or_skipped_with_a_reason() -> None:
    run = lint_paths([FIXTURES])
    assert run.files == len(list(FIXTURES.iterdir()))
    assert sorted(f for f, _ in run.skipped_files) == ["README.md", "settings.yaml"]
    assert run.unreadable == []
    with pytest.raises(NotRecording, match="no recording format"):
        load_file(FIXTURES / "README.md", "README.md")


def test_a_hand_written_fixture_is_synthetic_and_not_evidence() -> None:
    run = lint_paths([FIXTURES])
    synthetic = {why: n for why, n in run.not_graded.items() if why.startswith("synthetic?")}
    assert synthetic == {"synthetic? id 'chatcmpl-test' looks hand-written": 1}
    doc = document(run)
    column = next(t for t in doc["targets"] if t["name"] == "unknown (passive)")
    assert column["interactions"]["skipped"]["synthetic? id 'chatcmpl-test' looks hand-written"] == 1
    assert column["interactions"]["graded"] >= 3 and column["interactions"]["unreadable"] == 0


def test_passive_columns_say_what_was_read_not_what_a_run_would_cost() -> None:
    from conformance.report import render_markdown

    md = render_markdown(document(lint_paths([FIXTURES])))
    line = next(line for line in md.splitlines() if line.startswith("- **openai (passive)**"))
    assert "interactions graded" in line and "skipped" in line and "unreadable" in line
    assert "live requests" not in line and "tokens" not in line and "left behind" not in line.lower()


def _chat(body: bytes, request: dict[str, object], status: int = 200, stream: bool = False) -> list[dict[str, str]]:
    """(feature, check, outcome) of every job a recorded chat interaction plans."""
    item = Interaction("mem.yaml", 1, Format.VCR_PLAIN, "POST", "https://api.example.test/v1/chat/completions",
                       request_body=json.dumps(request).encode(), status=status,
                       response_headers={"content-type": "text/event-stream" if stream else "application/json"},
                       body=body)
    found = []
    for job in plan(recorded_exchange(item), "example").jobs:
        for result in _run_job(job):
            found.append({"feature": job.feature, "check": result.id, "outcome": result.outcome.value,
                          "where": result.evidence.where if result.evidence else ""})
    return found


def _sse(chunks: list[dict[str, object]]) -> bytes:
    return ("".join(f"data: {json.dumps(c)}\n\n" for c in chunks) + "data: [DONE]\n\n").encode()


CHUNK = {"id": "chatcmpl-Zq81", "object": "chat.completion.chunk", "created": CREATED, "model": "m"}
TOOLS = [{"type": "function", "function": {"name": "get_weather", "parameters": {
    "type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}]


def _failed(found: list[dict[str, str]], check: str) -> bool:
    return any(f["check"] == check and f["outcome"] in ("failed", "ignored") for f in found)


def test_tool_call_deltas_that_repeat_id_and_name_are_joined_as_the_sdk_joins_them() -> None:
    call = {"index": 0, "id": "call_Qx71", "type": "function", "function": {"name": "get_weather"}}
    deltas = [{"role": "assistant", "tool_calls": [{**call, "function": {"name": "get_weather", "arguments": ""}}]},
              {"tool_calls": [{**call, "function": {"name": "get_weather", "arguments": '{"city":'}}]},
              {"tool_calls": [{**call, "function": {"name": "get_weather", "arguments": '"Paris"}'}}]}]
    chunks = [{**CHUNK, "choices": [{"index": 0, "delta": d, "finish_reason": None}]} for d in deltas]
    chunks.append({**CHUNK, "choices": [{"index": 0, "delta": {}, "finish_reason": "tool_calls"}]})
    request = {"model": "m", "messages": [{"role": "user", "content": "weather?"}], "stream": True, "tools": TOOLS,
               "tool_choice": "required"}
    found = _chat(_sse(chunks), request, stream=True)
    assert _failed(found, "stream.tool_deltas") and _failed(found, "stream.tool_delta_keys")
    where = next(f for f in found if f["check"] == "stream.tool_deltas")["where"]
    assert "function.name" in where
    honest = [chunks[0], *[{**CHUNK, "choices": [{"index": 0, "delta": {"tool_calls": [
        {"index": 0, "function": {"arguments": a}}]}, "finish_reason": None}]} for a in ('{"city":', '"Paris"}')],
        chunks[-1]]
    assert not _failed(_chat(_sse(honest), request, stream=True), "stream.tool_deltas")


def test_usage_on_every_chunk_is_flagged_even_when_include_usage_was_asked() -> None:
    usage = {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}
    chunks = [{**CHUNK, "choices": [{"index": 0, "delta": {"role": "assistant", "content": "Hi"},
                                     "finish_reason": None}], "usage": usage},
              {**CHUNK, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}], "usage": usage},
              {**CHUNK, "choices": [], "usage": usage}]
    request = {"model": "m", "messages": [{"role": "user", "content": "hi"}], "stream": True,
               "stream_options": {"include_usage": True}}
    found = _chat(_sse(chunks), request, stream=True)
    flagged = next(f for f in found if f["check"] == "stream.no_usage_unasked")
    assert flagged["outcome"] == "failed" and flagged["where"] == "event #0 $.usage"
    chunks[0] = {**chunks[0], "usage": None}
    chunks[1] = {**chunks[1], "usage": None}
    assert not _failed(_chat(_sse(chunks), request, stream=True), "stream.no_usage_unasked")


def test_a_non_string_error_code_is_a_deviation() -> None:
    request = {"model": "m", "messages": [{"role": "wizard", "content": "hi"}]}
    error = {"error": {"message": "bad role", "type": "invalid_request_error", "param": None, "code": 400}}
    found = _chat(json.dumps(error).encode(), request, status=400)
    assert _failed(found, "errors.envelope_complete") and not _failed(found, "errors.envelope")
    fine = {"error": {**error["error"], "code": "invalid_value"}}
    assert not _failed(_chat(json.dumps(fine).encode(), request, status=400), "errors.envelope_complete")


def test_a_stream_whose_chunk_id_changes_or_is_empty_is_flagged() -> None:
    chunks = [{**CHUNK, "id": "", "choices": [{"index": 0, "delta": {"role": "assistant"}, "finish_reason": None}]},
              {**CHUNK, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}]
    request = {"model": "m", "messages": [{"role": "user", "content": "hi"}], "stream": True}
    assert _failed(_chat(_sse(chunks), request, stream=True), "stream.same_id")


def test_float64_sent_as_base64_is_caught_and_float32_is_not() -> None:
    values = [0.01 * ((i * 37) % 17 - 8) for i in range(64)]

    def embed(fmt: str) -> list[dict[str, str]]:
        vector = base64.b64encode(struct.pack(f"<{len(values)}{fmt}", *values)).decode()
        body = {"object": "list", "model": "e", "usage": {"prompt_tokens": 1, "total_tokens": 1},
                "data": [{"object": "embedding", "index": 0, "embedding": vector}]}
        item = Interaction("mem.yaml", 1, Format.VCR_PLAIN, "POST", "https://api.example.test/v1/embeddings",
                           request_body=json.dumps({"model": "e", "input": "x", "encoding_format": "base64"}).encode(),
                           status=200, response_headers={"content-type": "application/json"},
                           body=json.dumps(body).encode())
        return [{"check": r.id, "outcome": r.outcome.value, "observed": r.evidence.observed if r.evidence else ""}
                for job in plan(recorded_exchange(item), "example").jobs for r in _run_job(job)]

    wrong = next(f for f in embed("d") if f["check"] == "embeddings.base64_decodes")
    assert wrong["outcome"] == "failed" and "float64" in wrong["observed"]
    assert next(f for f in embed("f") if f["check"] == "embeddings.base64_decodes")["outcome"] == "passed"


def test_a_finish_reason_outside_the_enum_is_flagged_in_bodies_and_streams() -> None:
    request = {"model": "m", "messages": [{"role": "user", "content": "hi"}]}
    body = {"id": "chatcmpl-Zq81", "object": "chat.completion", "created": CREATED, "model": "m",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hi"}, "finish_reason": "eos"}]}
    assert _failed(_chat(json.dumps(body).encode(), request), "schema.body")
    chunks = [{**CHUNK, "choices": [{"index": 0, "delta": {"role": "assistant", "content": "Hi"},
                                     "finish_reason": None}]},
              {**CHUNK, "choices": [{"index": 0, "delta": {}, "finish_reason": "end_turn"}]}]
    assert _failed(_chat(_sse(chunks), {**request, "stream": True}, stream=True), "stream.chunk_schema")
