"""Yandex's active path, proven offline against the stand-in: record with a fake key and folder, replay, doctor.

The yandex-ai-studio profile itself is recorded (its hosts mapped onto the stand-in's loopback ports): requests carry
its auth scheme and OpenAI-Project, models are gpt://<folder>/... and emb://<folder>/..., each surface goes to its
generation's host, and neither the folder nor the key reaches a cassette, report, log or piece of evidence.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conformance import FEATURES, AttemptPolicy, Mode, RunSettings, TargetRun, Verdict, load_profile
from conformance.catalogue.invalid import UNKNOWN_MODEL
from conformance.doctor import diagnose
from conformance.options import RunOptions
from conformance.probes import REQUESTS
from conformance.recording.meta import write_meta
from conformance.refserver import YandexStandIn
from conformance.refserver.yandex import LABEL, Seen, surface_of
from conformance.report import build_document, render_markdown
from conformance.runner.budget import surface_of as request_surface

from .test_replay_cli import conformance, report

FOLDER = "b1gtrip0folder000007"
KEY = "AQVNroundTripFakeKey0123456789xyz"
SECRETS = (FOLDER, KEY)
HOSTS = {"current": {s: "ai.api" for s in ("models", "chat", "embeddings", "responses", "conversations", "files",
                                             "vector_stores", "realtime")},
         "legacy": {"models": "llm.api", "chat": "llm.api", "embeddings": "llm.api", "responses": "rest-assistant",
                    "conversations": "rest-assistant", "files": "rest-assistant", "vector_stores": "rest-assistant",
                    "realtime": "rest-assistant"}}


def masked(text: str) -> str:
    return text.replace(FOLDER, "<FOLDER_ID>").replace(KEY, "<API_KEY>")


def assert_no_secret(where: str, text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"{secret[:6]}... leaked into {where}"


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YC_API_KEY", KEY)
    monkeypatch.setenv("YC_FOLDER_ID", FOLDER)
    monkeypatch.delenv("YANDEX_CLOUD_API_KEY", raising=False)


def record(tmp_path: Path, generation: str) -> tuple[YandexStandIn, TargetRun, dict[str, Verdict]]:
    """Record every row of yandex-ai-studio against the stand-in, as `conformance record` does."""
    profile = load_profile("yandex-ai-studio")
    with YandexStandIn(folder=FOLDER, key=KEY) as stand_in:
        settings = RunSettings(Mode.RECORD, endpoint=generation, cassette_root=tmp_path / "cassettes",
                               policy=AttemptPolicy(0))
        run = TargetRun(profile, settings, local_urls=stand_in.origins)
        results = [run.run_feature(f) for f in FEATURES]
        write_meta(run.recorder.root, profile.name, run.base_url("chat"), run.endpoint, profile.origin,  # type: ignore[union-attr]
                   run.recorded, stand_in.provenance())
        stand_in.check()
    reports = tmp_path / "reports"
    reports.mkdir()
    doc = build_document(results, [run.info])
    (reports / "compat.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    (reports / "compat.md").write_text(render_markdown(doc), encoding="utf-8")
    return stand_in, run, {r.feature: r.verdict for r in results}


@pytest.mark.parametrize("generation", ["current", "legacy"])
def test_record_sends_yandex_s_auth_folder_models_and_hosts(tmp_path: Path, env: None, generation: str,
                                                            capfd: pytest.CaptureFixture[str]) -> None:
    stand_in, run, verdicts = record(tmp_path, generation)
    seen = stand_in.seen
    assert len(seen) >= 100 and run.recorded, "the stand-in received too little"
    for request in seen:
        surface = surface_of(urlsplit(request.url).path)
        host = urlsplit(request.url).hostname or ""
        assert host.startswith(HOSTS[generation][surface] + "."), f"{surface} went to {host} ({generation})"
        if request.authorization:  # realtime.noauth sends none on purpose
            assert request.authorization == f"Bearer {KEY}", "the SDK's Bearer with the API key (OC-C)"
        assert request.project == FOLDER, f"no OpenAI-Project on {request.method} {masked(request.url)}"
        if request.model and request.model != UNKNOWN_MODEL:  # the *.errors rows send a model nobody serves
            assert re.match(rf"^(gpt|emb)://{FOLDER}/", request.model), masked(request.model)
    assert {urlsplit(r.url).path for r in seen if surface_of(urlsplit(r.url).path) == "realtime"} == \
        {"/v1/realtime" if generation == "current" else "/v1/realtime/openai"}
    assert verdicts["models.list"] is Verdict.PASS and verdicts["chat.basic"] is not Verdict.ERROR
    assert Verdict.ERROR not in verdicts.values(), [f for f, v in verdicts.items() if v is Verdict.ERROR]
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.suffix == ".yaml" for p in written) and (tmp_path / "reports" / "compat.md").exists()
    for path in written:  # cassettes (bodies, headers, URIs incl. model ids in paths and queries), meta, reports
        assert_no_secret(str(path), path.read_text(encoding="utf-8"))
    uris = [line for p in written if p.suffix == ".yaml" for line in p.read_text(encoding="utf-8").splitlines()
            if line.strip().startswith(("uri:", "url:"))]
    assert any("<FOLDER_ID>" in u for u in uris), "the folder sits in paths and queries (models.retrieve, realtime)"
    out, err = capfd.readouterr()
    assert_no_secret("the run's output", out + err)
    for result in run.info.leftovers:
        assert_no_secret("leftovers", result)


@pytest.mark.parametrize("generation", ["current", "legacy"])
def test_doctor_says_what_record_then_sends(tmp_path: Path, env: None, generation: str) -> None:
    stand_in, _, _ = record(tmp_path, generation)
    doctor = diagnose(RunOptions(target=("yandex-ai-studio",), endpoint=generation))
    bases = {view.surface: view.url for view in doctor.surfaces}
    models = {view.surface: set(view.models.values()) for view in doctor.surfaces}
    assert doctor.auth.startswith("Bearer <API_KEY>") and doctor.headers == {"OpenAI-Project": "<FOLDER_ID>"}
    by_surface: dict[str, list[Seen]] = {}
    for request in stand_in.seen:
        by_surface.setdefault(surface_of(urlsplit(request.url).path), []).append(request)
    for surface, requests in by_surface.items():
        for request in requests:
            if surface == "realtime":
                assert masked(request.url) == doctor.realtime, "the WebSocket URL and its query, as doctor said"
                continue
            assert request.url.startswith(bases[surface] + "/"), f"{surface}: {masked(request.url)}"
            if request.model and request.method == "POST" and request.model != UNKNOWN_MODEL:  # *.errors sends it
                assert masked(request.model) in models[surface]
        assert {f"Bearer {masked(r.authorization)[7:]}" for r in requests if r.authorization} == \
            {doctor.auth.split(" (")[0]}
        assert {masked(r.project or "") for r in requests} == {doctor.headers["OpenAI-Project"]}
    assert set(by_surface) == set(bases) | {"realtime"}
    planned = {step.request: step.bound for step in doctor.plan}
    assert len(stand_in.seen) <= doctor.totals.requests
    called = {s for name in planned for s in (request_surface(name), *REQUESTS.get(name).surfaces)}  # shared flows
    assert called == set(by_surface)


def test_replay_restores_the_folder_and_gives_the_same_verdicts(tmp_path: Path, env: None,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    _, _, recorded = record(tmp_path, "current")
    profile = load_profile("yandex-ai-studio")
    replay = TargetRun(profile, RunSettings(Mode.REPLAY, cassette_root=tmp_path / "cassettes"))
    listed = replay.send("models.list").exchange
    assert listed is not None and f"gpt://{FOLDER}/yandexgpt/latest" in listed.text  # the folder is back
    assert {f.id: replay.run_feature(f).verdict for f in FEATURES} == recorded
    monkeypatch.delenv("YC_FOLDER_ID")
    monkeypatch.delenv("YC_API_KEY")
    bare = TargetRun(profile, RunSettings(Mode.REPLAY, cassette_root=tmp_path / "cassettes"))
    assert {f.id: bare.run_feature(f).verdict for f in FEATURES} == recorded  # CI replays without secrets


def test_cli_record_and_replay_of_the_stand_in_target(tmp_path: Path) -> None:
    import os

    env = {**os.environ, "YC_API_KEY": KEY, "YC_FOLDER_ID": FOLDER}
    cassettes = tmp_path / "cassettes"
    out = conformance("record", "--target", "yandex-stand-in", "--cassette-dir", str(cassettes), "--report-dir",
                      str(tmp_path / "rec"), env=env)
    assert out.returncode in (0, 1), out.stdout[-3000:] + out.stderr[-2000:]
    meta = json.loads((cassettes / "yandex-stand-in" / "_meta.json").read_text(encoding="utf-8"))
    assert "NOT Yandex" in meta["recorded_against"] and meta["local_server"]["summary"] == LABEL
    for path in [p for p in tmp_path.rglob("*") if p.is_file()]:
        assert_no_secret(str(path), path.read_text(encoding="utf-8"))
    assert_no_secret("stdout/stderr", out.stdout + out.stderr)
    recorded = {r["feature"]: r["verdict"] for r in report(tmp_path / "rec")["results"]}
    target = report(tmp_path / "rec")["targets"][0]
    assert target["label"] == LABEL and "NOT Yandex" in (tmp_path / "rec" / "compat.md").read_text(encoding="utf-8")
    assert set(target["usage"]) >= {"chat", "responses", "realtime"} and target["budget"]["charged_requests"] > 0
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("YC_", "YANDEX_"))}
    for name, run_env in (("with", env), ("without", clean)):
        replayed = conformance("run", "--target", "yandex-stand-in", "--cassette-dir", str(cassettes),
                               "--report-dir", str(tmp_path / name), env=run_env)
        assert {r["feature"]: r["verdict"] for r in report(tmp_path / name)["results"]} == recorded, \
            f"replay {name} the secrets differs: " + replayed.stdout[-2000:]
        assert_no_secret(f"replay {name}", replayed.stdout + replayed.stderr)
