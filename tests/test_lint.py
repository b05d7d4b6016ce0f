"""`conformance lint`: every cassette format loads safely, bad files are one line, verdict semantics are passive."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conformance import FEATURES, CheckContext
from conformance.lint import Format, SafeCassetteLoader, Unreadable, document, lint_paths, load_file
from conformance.lint.classify import plan
from conformance.lint.distinct import distinct_stream, screened, shape
from conformance.lint.exchanges import RecordedExchange, assemble, recorded_exchange
from conformance.lint.loaders import interaction
from conformance.lint.model import Interaction, NotRecording
from conformance.lint.runner import LintRun, _lint_interaction, _run_job
from conformance.runner.checking import run_check
from conformance.verdicts import Outcome, Verdict

from .test_replay_cli import ROOT, conformance

DATA = ROOT / "tests" / "data" / "lint"
SHARED = ROOT.parent / "shared" / "reference"
needs_shared = pytest.mark.skipif(not (SHARED / "recordings").is_dir(), reason=f"{SHARED} is absent (CI has it "
                                  "beside the clone at ../shared)")

FORMATS = {
    "plain.yaml": (Format.VCR_PLAIN, 2),
    "gzip_binary.yaml": (Format.VCR_GZIP, 1),
    "parsed_body.yaml": (Format.PARSED_BODY, 2),
    "pretty.yaml": (Format.PRETTY_JSON, 1),
    "httpx_stub.yaml": (Format.HTTPX_STUB, 1),
    "one_interaction.json": (Format.ONE_JSON, 1),
    "python_tags.yaml": (Format.PYTHON_TAGS, 1),
}


def chat(body: dict, request: dict, status: int = 200, host: str = "api.example.test",
         content_type: str = "application/json") -> RecordedExchange:
    """A recorded chat exchange built in memory."""
    item = Interaction("mem.yaml", 1, Format.VCR_PLAIN, "POST", f"https://{host}/v1/chat/completions",
                       request_body=json.dumps(request).encode(), status=status,
                       response_headers={"content-type": content_type},
                       body=body if isinstance(body, bytes) else json.dumps(body).encode())
    return recorded_exchange(item)


def completion(message: dict, finish: str = "stop") -> dict:
    return {"id": "chatcmpl-1", "object": "chat.completion", "created": 1733000000, "model": "m",
            "choices": [{"index": 0, "message": {"role": "assistant", **message}, "finish_reason": finish}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}


def outcomes(ex: RecordedExchange, provider: str = "example") -> dict[tuple[str, str], str]:
    """(feature, check) -> outcome for every job the interaction plans."""
    found = {}
    for job in plan(ex, provider).jobs:
        for result in _run_job(job):
            found[(job.feature, result.id)] = result.outcome.value
        if job.verdict is not None:
            found[(job.feature, "status")] = job.verdict.value
    return found


@pytest.mark.parametrize(("name", "expected"), FORMATS.items(), ids=list(FORMATS))
def test_each_cassette_format_loads_with_decoded_bodies(name: str, expected: tuple[str, int]) -> None:
    loaded = load_file(DATA / name, name)
    fmt, count = expected
    assert [i.fmt for i in loaded.interactions] == [fmt] * count
    first = loaded.interactions[0]
    assert first.status == 200 and first.method in ("GET", "POST") and first.host == "api.openai.com"
    assert first.body.lstrip()[:1] in (b"{", b"d")  # JSON or an SSE `data:` line, never gzip bytes
    assert "content-encoding" not in first.response_headers
    json.loads(first.request_body or b"{}")


def test_gzip_binary_body_is_gunzipped_by_magic_bytes() -> None:
    item = load_file(DATA / "gzip_binary.yaml", "g").interactions[0]
    assert json.loads(item.body)["id"] == "chatcmpl-fixture1"


def test_one_interaction_json_keeps_plain_body_despite_gzip_header() -> None:
    item = load_file(DATA / "one_interaction.json", "o").interactions[0]
    assert item.url.endswith("/v1/embeddings") and len(json.loads(item.body)["data"]) == 2


def test_parsed_body_is_reserialised_and_sse_block_kept() -> None:
    plain, streamed = load_file(DATA / "parsed_body.yaml", "p").interactions
    assert json.loads(plain.request_body)["messages"][0]["content"] == "Say hello."
    assert streamed.body.startswith(b"data: {") and streamed.body.rstrip().endswith(b"data: [DONE]")


def test_python_tags_become_strings_and_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = f"a: !!python/object/apply:os.system [\"touch {marker}\"]\nb: !!python/name:os.system ''\n"
    loader = SafeCassetteLoader(text)
    try:
        data = loader.get_single_data()
    finally:
        loader.dispose()
    assert data == {"a": f"touch {marker}", "b": ""} and not marker.exists()
    item = load_file(DATA / "python_tags.yaml", "t").interactions[0]
    assert item.request_headers == {"accept": "application/json", "content-type": "application/json"}
    assert item.response_headers["x-hostile"] == "echo this must never run"
    with pytest.raises(yaml.constructor.ConstructorError):
        yaml.safe_load((DATA / "python_tags.yaml").read_text(encoding="utf-8"))


def test_whole_gzip_cassette_reads_like_its_content(tmp_path: Path) -> None:
    packed = tmp_path / "plain.yaml.gz"
    packed.write_bytes(gzip.compress((DATA / "plain.yaml").read_bytes()))
    loaded = load_file(packed, packed.name)
    assert [i.fmt for i in loaded.interactions] == [Format.GZIP_FILE] * 2


def test_websocket_log_is_a_session_not_an_interaction() -> None:
    loaded = load_file(DATA / "openai_ws_session.yaml", "w")
    assert loaded.interactions == []
    (session,) = loaded.sessions
    assert (session.sent, session.received, session.closes) == (1, 3, 1)
    assert session.event_types["session.created"] == 1


@pytest.mark.parametrize(("name", "kind", "reason"), [("broken.yaml", Unreadable, "not valid YAML"),
                                                      ("not_a_cassette.json", NotRecording, "no `interactions`")])
def test_unreadable_or_skipped_file_is_one_reason(name: str, kind: type[Exception], reason: str) -> None:
    """A broken recording is unreadable; a file that is no recording at all is skipped, each with one line."""
    with pytest.raises(kind) as caught:
        load_file(DATA / name, name)
    assert str(caught.value).startswith(reason) and "\n" not in str(caught.value)


def test_lint_cli_reports_bad_files_in_one_line_each_and_goes_on(tmp_path: Path) -> None:
    out = conformance("lint", str(DATA), "--out", str(tmp_path / "fx.json"))
    assert out.returncode == 0, out.stdout + out.stderr
    assert "Traceback" not in out.stdout + out.stderr
    bad = [line for line in out.stderr.splitlines() if line.startswith("lint: ")]
    assert sorted(line.split(":")[1].strip() for line in bad) == ["broken.yaml"]
    doc = json.loads((tmp_path / "fx.json").read_text(encoding="utf-8"))
    assert [s["file"] for s in doc["lint"]["skipped_files"]] == ["not_a_cassette.json"]
    assert {t["mode"] for t in doc["targets"]} == {"passive"}
    assert doc["lint"]["per_format"] == {fmt: count for fmt, count in FORMATS.values()} | {Format.WEBSOCKET: 1}
    assert (tmp_path / "fx.md").read_text(encoding="utf-8").startswith("# OpenAI compatibility matrix")


def test_lint_cli_usage_errors_exit_2(tmp_path: Path) -> None:
    missing = conformance("lint", str(tmp_path / "nope"))
    assert missing.returncode == 2 and "no such file or folder" in missing.stderr
    empty = conformance("lint", str(DATA / "broken.yaml"))
    assert empty.returncode == 2 and "nothing to grade" in empty.stderr


def test_lint_cli_exits_1_when_a_cell_fails(tmp_path: Path) -> None:
    body = completion({"role": "model", "content": "hi"})
    cassette = {"interactions": [{"request": {"method": "POST", "uri": "https://api.example.test/v1/chat/completions",
                                              "body": json.dumps({"model": "m", "messages": [{"role": "user",
                                                                                              "content": "x"}]})},
                                  "response": {"status": {"code": 200}, "body": {"string": json.dumps(body)},
                                               "headers": {"Content-Type": ["application/json"]}}}]}
    (tmp_path / "fail.yaml").write_text(yaml.safe_dump(cassette), encoding="utf-8")
    out = conformance("lint", str(tmp_path / "fail.yaml"), "-q", "--out", str(tmp_path / "r.json"))
    assert out.returncode == 1, out.stdout + out.stderr
    row = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["results"][0]
    assert (row["feature"], row["verdict"]) == ("chat.basic", "FAIL")
    failed = {c["id"] for c in row["checks"] if c["outcome"] == "failed"}
    assert "chat.assistant_message" in failed
    assert "fail.yaml#1" in next(c for c in row["checks"] if c["id"] == "chat.assistant_message")["evidence"]["request"]
    assert row["reproduce"].startswith("curl -sS -X POST https://api.example.test/v1/chat/completions")
    assert '"${API_EXAMPLE_TEST_API_KEY}"' in row["reproduce"]  # a passive cell resends the recorded request


def test_target_name_needs_a_single_provider(tmp_path: Path) -> None:
    run = lint_paths([DATA])
    assert document(run, "openai (passive, fixtures)")["targets"][0]["name"] == "openai (passive, fixtures)"
    other = (DATA / "plain.yaml").read_text(encoding="utf-8").replace("api.openai.com", "api.groq.com")
    (tmp_path / "groq.yaml").write_text(other, encoding="utf-8")
    shutil.copy(DATA / "plain.yaml", tmp_path / "openai.yaml")
    out = conformance("lint", str(tmp_path), "--target-name", "x")
    assert out.returncode == 2 and "--target-name needs recordings of one provider" in out.stderr
    only = conformance("lint", str(tmp_path), "--target-name", "x", "--provider", "groq")
    assert only.returncode == 0 and "x" in only.stdout.splitlines()[0]


def test_valid_request_refused_with_clean_400_is_rejected_elsewhere_but_not_on_openai() -> None:
    request = {"model": "m", "messages": [{"role": "user", "content": "x"}]}
    refusal = {"error": {"message": "no", "type": "invalid_request_error", "param": None, "code": None}}
    assert outcomes(chat(refusal, request, 400))[("chat.basic", "status")] == "REJECTED"
    assert ("chat.basic", "status") not in outcomes(chat(refusal, request, 400), "openai")
    assert outcomes(chat(refusal, request, 429))[("chat.basic", "status")] == "ERROR"
    assert ("chat.basic", "status") not in outcomes(chat(refusal, request, 401))


def test_invalid_request_answered_200_fails_chat_errors() -> None:
    found = outcomes(chat(completion({"content": "hi"}), {"model": "m", "messages": [{"role": "wizard",
                                                                                        "content": "x"}]}))
    assert found[("chat.errors", "errors.status_4xx")] == "failed"


def test_unknown_parameter_accepted_is_a_deviation_and_refused_is_a_pass() -> None:
    request = {"model": "m", "messages": [{"role": "user", "content": "x"}], "top_k": 3}
    assert outcomes(chat(completion({"content": "hi"}), request))[("chat.unknown_params",
                                                                   "errors.unknown_param_rejected")] == "ignored"
    refused = {"error": {"message": "Unrecognized request argument supplied: top_k", "type": "invalid_request_error",
                         "param": None, "code": None}}
    found = outcomes(chat(refused, request, 400))
    assert found[("chat.unknown_params", "errors.unknown_param_rejected")] == "passed"
    assert ("chat.basic", "status") not in found


def test_recorded_request_forces_behaviour_checks() -> None:
    tools = [{"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}]
    base = {"model": "m", "messages": [{"role": "user", "content": "x"}], "tools": tools}
    no_call = completion({"content": "plain text"})
    assert outcomes(chat(no_call, {**base, "tool_choice": "required"}))[
        ("chat.tool_choice.required", "tools.forced_call")] == "ignored"
    two = completion({"content": None, "tool_calls": [
        {"id": f"c{i}", "type": "function", "function": {"name": "f", "arguments": "{}"}} for i in (1, 2)]},
        "tool_calls")
    assert outcomes(chat(two, {**base, "parallel_tool_calls": False}))[
        ("chat.parallel_tool_calls", "tools.parallel_false")] == "ignored"
    schema = {"type": "json_schema", "json_schema": {"name": "p", "strict": True, "schema": {
        "type": "object", "properties": {"age": {"type": "integer"}}, "required": ["age"]}}}
    wrong = completion({"content": json.dumps({"age": "old"})})
    assert outcomes(chat(wrong, {**base, "response_format": schema}))[
        ("chat.json_schema", "chat.json_schema_valid")] == "failed"


def test_stream_is_assembled_for_behaviour_checks() -> None:
    chunk = {"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1, "model": "m"}
    deltas = [({"role": "assistant", "tool_calls": [{"index": 0, "id": "c1", "type": "function",
                                                     "function": {"name": "f", "arguments": ""}}]}, None),
              ({"tool_calls": [{"index": 0, "function": {"arguments": "{}"}}]}, None),
              ({"tool_calls": [{"index": 1, "id": "c2", "type": "function",
                                "function": {"name": "f", "arguments": "{}"}}]}, None), ({}, "tool_calls")]
    body = "".join(f"data: {json.dumps({**chunk, 'choices': [{'index': 0, 'delta': d, 'finish_reason': f}]})}\n\n"
                   for d, f in deltas) + "data: [DONE]\n\n"
    tools = [{"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}]
    request = {"model": "m", "stream": True, "messages": [{"role": "user", "content": "x"}], "tools": tools,
               "tool_choice": "required", "parallel_tool_calls": False}
    ex = chat(body.encode(), request, content_type="text/event-stream")
    joined = assemble(ex)
    assert joined is not None and "assembled from 4 stream chunks" in joined.summary()
    calls = joined.json()["choices"][0]["message"]["tool_calls"]
    assert [(c["id"], c["function"]["arguments"]) for c in calls] == [("c1", "{}"), ("c2", "{}")]
    found = outcomes(ex)
    assert found[("chat.stream", "stream.chunk_schema")] == "passed"
    assert found[("chat.tool_choice.required", "tools.forced_call")] == "passed"
    assert found[("chat.parallel_tool_calls", "tools.parallel_false")] == "ignored"


def test_distinct_chunks_keep_the_first_failure_and_its_event_number() -> None:
    good = {"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1, "model": "m",
            "choices": [{"index": 0, "delta": {"content": "a"}, "finish_reason": None}]}
    bad = {**good, "choices": [{"index": 0, "delta": {"content": 5}, "finish_reason": None}]}
    events = [good, {**good, "obfuscation": "x"}, good, bad, good, bad]
    body = "".join(f"data: {json.dumps(e)}\n\n" for e in events) + "data: [DONE]\n\n"
    ex = chat(body.encode(), {"model": "m", "stream": True, "messages": []}, content_type="text/event-stream")
    short, numbers = distinct_stream(ex)
    assert numbers == [0, 1, 3, 6] and len(short.sse().events) == 4
    assert shape('{"content":"Hi \\"x\\""}') == '{"content":""}'
    (job,) = [j for j in plan(ex, "example").jobs if j.feature == "chat.stream"]
    full = next(r for r in _run_job(job) if r.id == "stream.chunk_schema")
    assert full.outcome is Outcome.FAILED and full.evidence is not None
    assert full.evidence.where.startswith("event #3 ")
    feature = FEATURES.get("chat.stream")
    assert full == run_check("stream.chunk_schema", CheckContext(feature, {feature.primary: ex}))
    assert full.evidence.details and "events #3, #5" in full.evidence.details[0]  # every failing event is named


def test_passive_report_is_the_run_format_with_a_lint_block() -> None:
    doc = document(lint_paths([DATA]))
    assert doc["schema_version"] == "1.0" and doc["targets"][0]["name"] == "openai (passive)"
    assert {r["verdict"] for r in doc["results"]} == {Verdict.PASS.value}
    websocket = doc["lint"]["websocket"]
    assert websocket["sessions"] == 1 and websocket["frames"] == 4
    assert websocket["status"].startswith("frames checked" if websocket["graded_sessions"] else "not linted yet")


@needs_shared
def test_lint_runs_over_the_whole_shared_corpus_without_a_crash(tmp_path: Path) -> None:
    out = conformance("lint", str(SHARED / "recordings"), "--out", str(tmp_path / "all.json"), "-q")
    assert out.returncode in (0, 1) and "Traceback" not in out.stdout + out.stderr, out.stderr[-2000:]
    doc = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
    lint = doc["lint"]
    assert lint["unreadable"] == [] and lint["interactions"] >= 200
    assert not any(c["outcome"] == "error" for r in doc["results"] for c in r["checks"])
    assert {Format.VCR_PLAIN, Format.VCR_GZIP, Format.PARSED_BODY, Format.PRETTY_JSON,
            Format.WEBSOCKET} <= set(lint["per_format"])


@needs_shared
def test_copied_corpus_with_a_broken_file_still_lints_the_rest(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(SHARED / "recordings" / "mirascope", corpus)
    victim = next(corpus.rglob("*.yaml"))
    victim.write_bytes(b"\x00\xff" * 32)
    run = lint_paths([corpus])
    assert [f for f, _ in run.unreadable] == [victim.relative_to(corpus).as_posix()]
    assert run.interactions > 20


@needs_shared
def test_distinct_validation_equals_full_validation_on_every_recorded_stream_and_session() -> None:
    from conformance.lint.loaders import recording_files
    from conformance.lint.sessions import available, ws_session

    compared = 0
    for root in (SHARED / "recordings", SHARED / "yandex" / "recordings"):
        for file in recording_files(root):
            try:
                loaded = load_file(file, file.name)
            except (Unreadable, NotRecording):
                continue
            for item in loaded.interactions:
                ex = recorded_exchange(item)
                if ex.content_type != "text/event-stream" or "/chat/completions" not in ex.path:
                    continue
                feature = FEATURES.get("chat.stream")
                full = run_check("stream.chunk_schema", CheckContext(feature, {feature.primary: ex}))
                assert screened("stream.chunk_schema", feature, ex) == full, item.ref
                compared += 1
            for session in loaded.sessions if available() else []:
                ws = ws_session(session)
                feature = FEATURES.get("realtime.connect")
                full = run_check("realtime.schema", CheckContext(feature, {feature.primary: ws}))
                assert screened("realtime.schema", feature, ws) == full, session.ref
                compared += 1
    assert compared >= 45


_JSON = st.recursive(st.none() | st.booleans() | st.integers(-3, 3) | st.text(max_size=4),
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
                         st.sampled_from(["index", "delta", "tool_calls", "function", "id", "type", "choices",
                                          "message", "content", "error", "usage", "role", "arguments", "name",
                                          "finish_reason", "data", "embedding"]), inner, max_size=4),
                     max_leaves=12)
_REQUEST = st.fixed_dictionaries({}, optional={
    "model": st.sampled_from(["m", 3]), "stream": st.booleans(), "messages": _JSON, "tools": _JSON,
    "tool_choice": _JSON | st.sampled_from(["required", "none", "first", "foo"]), "response_format": _JSON,
    "parallel_tool_calls": st.booleans(), "stream_options": _JSON, "max_tokens": _JSON, "input": _JSON,
    "encoding_format": st.sampled_from(["float", "base64"]), "top_k": st.integers(), "dimensions": _JSON})


@settings(derandomize=True, max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(path=st.sampled_from(["/v1/chat/completions", "/v1/embeddings", "/v1/models", "/v1/models/x", "/v1/other"]),
       status=st.sampled_from([200, 400, 401, 429, 500, 302]), request=_REQUEST,
       body=st.lists(_JSON, max_size=4), stream=st.booleans(), host=st.sampled_from(["api.openai.com", "x.test"]))
def test_lint_never_raises_on_arbitrary_recorded_shapes(path: str, status: int, request: dict, body: list,
                                                        stream: bool, host: str) -> None:
    text = "".join(f"data: {json.dumps(b)}\n\n" for b in body) + "data: [DONE]\n\n" if stream else \
        json.dumps(body[0] if body else {})
    item = {"request": {"method": "GET" if "models" in path else "POST", "uri": f"https://{host}{path}",
                        "body": json.dumps(request)},
            "response": {"status": {"code": status}, "body": {"string": text},
                         "headers": {"Content-Type": ["text/event-stream" if stream else "application/json"]}}}
    run = LintRun(["fuzz"])
    _lint_interaction(run, interaction(item, "fuzz.yaml", 1, None), None)
    doc = document(run) if run.cells else None
    assert run.interactions == 1 and (doc is None or doc["schema_version"] == "1.0")


@pytest.mark.parametrize(("url", "body", "provider"), [
    ("https://api.openai.com/v1/chat/completions", b'{"id":"chatcmpl-1"}', "openai"),
    ("https://api.openai.com/v1/chat/completions", b'data: {"id":"gen-1","provider":"Novita","choices":[]}\n\n',
     "openrouter"),
    ("http://localhost:8000/v1/completions", b"{}", "vllm"),
    ("http://localhost:11434/v1/chat/completions", b"{}", "ollama"),
    ("https://llm.api.cloud.yandex.net/v1/chat/completions", b"{}", "yandex-ai-studio"),
    ("https://my-res.openai.azure.com/openai/deployments/d/chat/completions", b"{}", "azure-openai"),
    ("https://new.example.test/v1/chat/completions", b"{}", "new.example.test"),
])
def test_provider_comes_from_host_and_formats_md_caveats(url: str, body: bytes, provider: str) -> None:
    from conformance.lint.providers import provider_of

    assert provider_of(Interaction("f.yaml", 1, Format.VCR_PLAIN, "POST", url, body=body)) == provider
