"""Responses, Conversations, Files and Vector Stores: cleanup, deterministic ids, multipart replay, bounded polling."""

from __future__ import annotations

from pathlib import Path

import openai
import pytest
from vcr.request import Request

from conformance import FEATURES, AttemptPolicy, Mode, Outcome, RunSettings, TargetRun, Verdict, load_profile
from conformance.probes import REQUESTS
from conformance.probes import material as m
from conformance.recording.cassettes import json_body_matcher
from conformance.refserver import RefServer
from conformance.resource_schemas import CARRIERS, RELAXATIONS, event_models
from conformance.schemas import violations
from conformance.wire.endpoints import Endpoint, classify

SHIPPED = Path(__file__).resolve().parent.parent / "cassettes"
SURFACES = ("responses", "conversations", "files", "vector_stores")
STATEFUL = [f for f in FEATURES if f.surface.value in SURFACES]


def _run(server: RefServer, *features: str, sleep=None) -> tuple[TargetRun, dict[str, object]]:  # type: ignore[no-untyped-def]
    settings = RunSettings(Mode.LIVE, base_url=server.url,
                           policy=AttemptPolicy(0), **({"sleep": sleep} if sleep else {}))
    run = TargetRun(load_profile("reference"), settings)
    chosen = [f for f in STATEFUL if not features or f.id in features]
    return run, {f.id: run.run_feature(f) for f in chosen}


def _multipart(boundary: str, content: bytes) -> bytes:
    return (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n"
            f"Content-Type: text/plain\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()


def test_every_stateful_surface_has_its_issue_rows() -> None:
    ids = {f.id for f in STATEFUL}
    assert ids >= {"responses.basic", "responses.stream", "responses.retrieve", "responses.delete",
                   "responses.input_items", "responses.previous_response_id", "responses.instructions",
                   "responses.tools.function", "responses.tool_choice", "responses.text_format",
                   "responses.max_output_tokens", "responses.background", "responses.file_search", "responses.errors",
                   "conversations.crud", "conversations.items", "conversations.with_responses", "files.crud",
                   "vector_stores.crud", "vector_stores.files", "vector_stores.file_batches", "vector_stores.search"}


def test_faultless_run_passes_and_leaves_nothing_on_the_server() -> None:
    with RefServer() as server:
        run, results = _run(server)
        assert {fid: r.verdict for fid, r in results.items()} == {f.id: Verdict.PASS for f in STATEFUL}
        assert run.info.leftovers == []
        assert server.store.leftovers() == []
        server.check()


def test_delete_that_does_not_delete_is_caught_and_reported_as_leftover() -> None:
    with RefServer(faults={"delete_does_not_delete"}) as server:
        run, results = _run(server, "files.crud")
        checks = {c.id: c.outcome for c in results["files.crud"].checks}  # type: ignore[attr-defined]
        assert checks["lifecycle.gone_after_delete"] is Outcome.FAILED
        # files.crud's flow also makes the vector store its rows share: each undeletable object is one leftover
        kinds = sorted(leftover.split(" ", 1)[0] for leftover in run.info.leftovers)
        assert kinds == ["file", "vector_store"]
        assert all("still retrievable after delete" in leftover for leftover in run.info.leftovers)


def test_fresh_servers_mint_the_same_ids_for_the_same_requests() -> None:
    ids = []
    for _ in range(2):
        with RefServer() as server:
            client = openai.OpenAI(base_url=server.url, api_key="x", max_retries=0)
            response = client.responses.create(model="ref-chat-1", input=m.HELLO)
            upload = client.files.create(file=(m.HERON_NAME, m.HERON, "text/plain"), purpose="assistants")
            second = client.responses.create(model="ref-chat-1", input=m.HELLO)
            ids.append((response.id, upload.id, second.id))
    assert ids[0] == ids[1] and ids[0][0] != ids[0][2]


def test_multipart_bodies_match_whatever_their_boundary() -> None:
    def request(body: bytes) -> Request:
        return Request("POST", "https://target.invalid/v1/files", body, {})

    json_body_matcher(request(_multipart("aaaa1111", b"same")), request(_multipart("bbbb2222", b"same")))
    with pytest.raises(AssertionError, match="body differs"):
        json_body_matcher(request(_multipart("aaaa1111", b"same")), request(_multipart("bbbb2222", b"other")))


def test_replay_never_sleeps_and_sends_nothing() -> None:
    def forbidden(seconds: float) -> None:
        raise AssertionError(f"replay slept {seconds}s")

    run = TargetRun(load_profile("reference"), RunSettings(Mode.REPLAY, cassette_root=SHIPPED, sleep=forbidden))
    polled = [f for f in STATEFUL if any(r.endswith("poll") for r in f.requests)]
    assert {run.run_feature(f).verdict for f in polled} == {Verdict.PASS}
    assert run.info.requests_sent == 0


def test_polling_is_bounded_by_the_profiles_poll_timeout() -> None:
    waits: list[float] = []
    with RefServer(faults={"vector_store_never_completes"}) as server:
        _, results = _run(server, "vector_stores.files", sleep=waits.append)
    checks = {c.id: c.outcome for c in results["vector_stores.files"].checks}  # type: ignore[attr-defined]
    assert checks["vector_stores.indexing_completes"] is Outcome.FAILED
    budget = float(load_profile("reference").options["poll_timeout"])
    loops: list[list[float]] = []
    for wait in waits:  # each polling loop starts again from its first, shortest wait
        if not loops or wait < loops[-1][-1]:
            loops.append([])
        loops[-1].append(wait)
    assert len(loops) == 2  # the shared flow polls the attached file and the file batch
    assert all(sum(loop[:-1]) < budget <= sum(loop) for loop in loops)


@pytest.mark.parametrize(("method", "path", "endpoint"), [
    ("POST", "/v1/responses", Endpoint.RESPONSES_CREATE),
    ("GET", "/v1/responses/resp_1/input_items", Endpoint.RESPONSES_INPUT_ITEMS),
    ("POST", "/v1/responses/resp_1/cancel", Endpoint.RESPONSES_CANCEL),
    ("DELETE", "/v1/conversations/conv_1/items/msg_1", Endpoint.CONVERSATION_ITEM_DELETE),
    ("GET", "/v1/files/file-1/content", Endpoint.FILES_CONTENT),
    ("GET", "/v1/vector_stores/vs_1/files/file-1", Endpoint.VECTOR_STORE_FILES_RETRIEVE),
    ("GET", "/v1/vector_stores/vs_1/file_batches/vsfb_1/files", Endpoint.FILE_BATCHES_FILES),
    ("POST", "/v1/responses/compact", Endpoint.RESPONSES_COMPACT),
])
def test_stateful_endpoints_are_classified_most_specific_first(method: str, path: str, endpoint: Endpoint) -> None:
    assert classify(method, path) is endpoint


def test_every_event_that_carries_a_response_or_item_is_relaxed_with_a_reason() -> None:
    for kind, model in event_models().items():
        properties = model.model_json_schema().get("properties", {})
        carried = [key for key in ("response", "item") if key in properties]
        assert carried == ([CARRIERS[kind]] if kind in CARRIERS else []), kind
    assert all(len(reason) > 20 for *_rest, reason in RELAXATIONS)


def test_a_2025_openai_response_shape_validates_and_a_chat_shaped_one_does_not() -> None:
    usage = {"input_tokens": 9, "input_tokens_details": {"cached_tokens": 0}, "output_tokens": 3,
             "output_tokens_details": {"reasoning_tokens": 0}, "total_tokens": 12}
    message = {"id": "msg_1", "type": "message", "status": "completed", "role": "assistant",
               "content": [{"type": "output_text", "text": "Hi", "annotations": [], "logprobs": []}]}
    body = {"id": "resp_1", "object": "response", "created_at": 1758034836, "status": "completed",
            "model": "gpt-4o", "output": [message], "parallel_tool_calls": True, "tool_choice": "auto",
            "tools": [], "usage": usage, "valid": True}
    assert violations("response", body) == []
    chat_shaped = dict(body, output=[dict(message, content="Hi")])
    assert violations("response", chat_shaped)[0][0] == "$.output[0].content"  # the most specific path first


def test_yandex_legacy_generation_sends_every_stateful_flow_to_rest_assistant(tmp_path: Path) -> None:
    run = TargetRun(load_profile("yandex-ai-studio"),
                    RunSettings(Mode.REPLAY, endpoint="legacy", cassette_root=tmp_path))
    specs = {REQUESTS.get(r.partition(":")[0]) for f in STATEFUL for r in f.requests}
    surfaces = {s for spec in specs for s in (spec.name.split(".", 1)[0], *spec.surfaces)}  # shared flows too
    assert surfaces == set(SURFACES)
    assert {run.base_url(s) for s in surfaces} == {"https://rest-assistant.api.cloud.yandex.net/v1"}
    assert run.base_url("chat") == "https://llm.api.cloud.yandex.net/v1"
    current = TargetRun(load_profile("yandex-ai-studio"), RunSettings(Mode.REPLAY, cassette_root=tmp_path))
    assert {current.base_url(s) for s in (*surfaces, "chat")} == {"https://ai.api.cloud.yandex.net/v1"}


def test_every_bundled_documented_profile_claims_every_stateful_row_with_a_source() -> None:
    for name in ("reference", "openai", "yandex-ai-studio"):
        profile = load_profile(name)
        for feature in STATEFUL:
            entries = profile.claim_entries(feature.id)
            assert entries and all(e.source for e in entries), (name, feature.id)


def test_yandex_claims_follow_the_reference_pages() -> None:
    profile = load_profile("yandex-ai-studio")
    assert profile.claim("responses.truncation").value == "unsupported"
    assert profile.claim("responses.temperature_range").value == "unsupported"
    assert profile.claim("files.crud").value == "partial"
    assert "RESP-REF" in profile.claim_entries("responses.truncation")[0].source


def test_file_search_rides_on_the_files_flow_and_is_skip_without_a_chat_model() -> None:
    """responses.file_search is a step of files.store (no upload, store or poll of its own); a profile without a chat
    model still gets its Files and Vector Store rows, and file_search is SKIP for want of the model, not REJECTED."""
    import dataclasses

    with RefServer() as server:
        settings = RunSettings(Mode.LIVE, base_url=server.url, policy=AttemptPolicy(0))
        full = TargetRun(load_profile("reference"), settings)
        shared = {fid: full.run_feature(FEATURES.get(fid)) for fid in ("files.crud", "responses.file_search")}
        sent = server.requests
        profile = load_profile("reference")
        bare = TargetRun(dataclasses.replace(profile, models={k: v for k, v in profile.models.items()
                                                              if k not in ("chat", "tools", "structured")}), settings)
        files, search = (bare.run_feature(FEATURES.get(fid)) for fid in ("files.crud", "responses.file_search"))
    assert [shared[f].verdict for f in shared] == [Verdict.PASS, Verdict.PASS]
    assert sent == 1 + 24  # the preflight and one files.store flow serve both rows
    assert files.verdict is Verdict.PASS
    assert search.verdict is Verdict.SKIP and "no model configured for capability 'chat'" in search.reason
