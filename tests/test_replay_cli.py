"""End to end through the `conformance` command: offline replay, missing and broken cassettes, record, usage errors."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conformance.probes import REQUESTS
from conformance.refserver import RefServer

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "cassettes"


def conformance(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the CLI in a subprocess, as users do."""
    return subprocess.run([sys.executable, "-m", "conformance", *args], capture_output=True, text=True, timeout=300,
                          cwd=ROOT, env=env)


def report(directory: Path) -> dict:  # type: ignore[type-arg]
    return json.loads((directory / "compat.json").read_text(encoding="utf-8"))


@pytest.fixture
def cassettes(tmp_path: Path) -> Path:
    """A private copy of the shipped reference cassettes."""
    target = tmp_path / "cassettes"
    shutil.copytree(SHIPPED / "reference", target / "reference")
    return target


def test_run_replays_every_shipped_target_offline_side_by_side(tmp_path: Path) -> None:
    out = conformance("run", "--report-dir", str(tmp_path))
    doc = report(tmp_path)
    assert {t["name"] for t in doc["targets"]} >= {"reference", "llamacpp"}
    assert all(t["requests_sent"] == 0 for t in doc["targets"])
    # llama.cpp's documented claims do not all hold (evidence in the report): exit 1, not a crash
    assert out.returncode == doc["summary"]["exit_code"] == 1, out.stdout[-3000:] + out.stderr[-2000:]
    assert "inconclusive" not in {r["agreement"] for r in doc["results"] if r["target"] == "llamacpp"}
    rows = [r for r in doc["results"] if r["target"] == "reference"]
    assert len(rows) == len(doc["features"])
    assert {r["agreement"] for r in rows} == {"agrees"}
    target = next(t for t in doc["targets"] if t["name"] == "reference")
    assert target["mode"] == "replay" and target["requests_sent"] == 0
    assert "local server" in target["cassettes"]["recorded_against"]
    assert "compatibility matrix" in out.stdout and "chat.tool_choice.first" in out.stdout
    assert (tmp_path / "compat.md").read_text(encoding="utf-8").startswith("# OpenAI compatibility matrix")
    assert "<testsuite" in (tmp_path / "junit.xml").read_text(encoding="utf-8")
    # Behaviour is pinned: every replayed cell equals the shipped report's cell (evidence included), and the
    # targets' facts too, timestamps aside.
    shipped = report(ROOT / "reports")
    cells = {(r["target"], r["feature"]): r for r in shipped["results"]}
    assert [r for r in doc["results"] if cells.get((r["target"], r["feature"])) != r] == []
    facts = {t["name"]: t for t in shipped["targets"]}
    assert [t["name"] for t in doc["targets"] if facts.get(t["name"]) != t] == []


def test_missing_recording_is_error_with_a_readable_line(tmp_path: Path, cassettes: Path) -> None:
    (cassettes / "reference" / "chat" / "chat.basic.yaml").unlink()
    out = conformance("run", "--target", "reference", "--cassette-dir", str(cassettes), "--report-dir",
                      str(tmp_path), "-k", "chat")
    assert out.returncode == 3, out.stdout[-2000:]
    row = next(r for r in report(tmp_path)["results"] if r["feature"] == "chat.basic")
    assert row["verdict"] == "ERROR"
    assert row["reason"] == "no recording for chat.basic in reference/chat/chat.basic.yaml"
    assert "Traceback" not in out.stdout + out.stderr


def test_missing_recording_can_be_skipped_on_request(tmp_path: Path, cassettes: Path) -> None:
    (cassettes / "reference" / "embeddings" / "embeddings.batch.yaml").unlink()
    out = conformance("run", "--target", "reference", "--cassette-dir", str(cassettes), "--report-dir",
                      str(tmp_path), "--skip-missing", "-k", "embeddings")
    assert out.returncode == 0, out.stdout[-2000:]
    row = next(r for r in report(tmp_path)["results"] if r["feature"] == "embeddings.batch")
    assert row["verdict"] == "SKIP"


def test_malformed_cassette_is_one_line_and_left_untouched(tmp_path: Path, cassettes: Path) -> None:
    broken = cassettes / "reference" / "models" / "models.list.yaml"
    broken.write_text("interactions: [\n  - {request: ", encoding="utf-8")
    before = broken.read_bytes()
    out = conformance("run", "--target", "reference", "--cassette-dir", str(cassettes), "--report-dir",
                      str(tmp_path), "-k", "models")
    row = next(r for r in report(tmp_path)["results"] if r["feature"] == "models.list")
    assert row["verdict"] == "ERROR"
    assert row["reason"].startswith(f"cassette {broken}: unreadable (") and "\n" not in row["reason"]
    assert broken.read_bytes() == before
    assert out.returncode == 3


def test_bad_profile_path_exits_2_with_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[target]\nname = 'x'\n", encoding="utf-8")
    out = conformance("run", "--target", str(bad))
    assert out.returncode == 2
    assert out.stderr.strip().count("\n") == 0 and str(bad) in out.stderr and "[title]" not in out.stderr


def test_record_reference_then_replay_it(tmp_path: Path) -> None:
    cassettes = tmp_path / "cassettes"
    out = conformance("record", "--target", "reference", "--cassette-dir", str(cassettes), "--report-dir",
                      str(tmp_path / "rec"))
    assert out.returncode == 0, out.stdout[-3000:]
    meta = json.loads((cassettes / "reference" / "_meta.json").read_text(encoding="utf-8"))
    assert meta["target"] == "reference" and "NOT a real provider" in meta["recorded_against"]
    assert report(tmp_path / "rec")["targets"][0]["requests_sent"] > 0
    out = conformance("run", "--target", "reference", "--cassette-dir", str(cassettes), "--report-dir",
                      str(tmp_path / "rep"))
    assert out.returncode == 0, out.stdout[-3000:]


def test_failed_record_keeps_previous_cassettes(tmp_path: Path, cassettes: Path) -> None:
    # still a conclusive 400 under server_error, so re-recorded:
    refused = {"chat.invalid", "chat.invalid_cases", "chat.tool_first", "chat.unknown_param",
               *(n for n in REQUESTS.names() if n.startswith("other."))}  # the other endpoints' empty bodies
    before = {p: p.read_bytes() for p in cassettes.rglob("*.yaml") if p.stem not in refused}
    with RefServer(faults={"server_error"}) as server:
        out = conformance("record", "--target", "reference", "--base-url", server.url, "--cassette-dir",
                          str(cassettes), "--report-dir", str(tmp_path), "--retries", "0")
    assert out.returncode == 3
    assert {p: p.read_bytes() for p in cassettes.rglob("*.yaml") if p.stem not in refused} == before
    assert not list(cassettes.rglob("*.partial"))


def test_a_persistent_5xx_without_a_previous_recording_is_recorded_and_replays_as_the_same_error(
        tmp_path: Path) -> None:
    cassettes = tmp_path / "cassettes"
    with RefServer(faults={"server_error"}) as server:
        out = conformance("record", "--target", "reference", "--base-url", server.url, "--cassette-dir",
                          str(cassettes), "--report-dir", str(tmp_path / "rec"), "--retries", "0", "-k", "chat.basic")
    assert out.returncode == 3
    assert (cassettes / "reference" / "chat" / "chat.basic.yaml").exists()
    out = conformance("run", "--target", "reference", "--cassette-dir", str(cassettes), "--report-dir",
                      str(tmp_path / "rep"), "--retries", "0", "-k", "chat.basic")
    assert out.returncode == 3
    recorded, replayed = (next(r for r in report(tmp_path / d)["results"] if r["feature"] == "chat.basic")
                          for d in ("rec", "rep"))
    assert recorded["verdict"] == replayed["verdict"] == "ERROR"
    assert "500" in replayed["reason"] and "no recording" not in replayed["reason"]


def test_live_target_without_credentials_is_one_line_and_sends_nothing(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("YC_API_KEY", "YANDEX_CLOUD_API_KEY", "YC_FOLDER_ID")}
    previous = tmp_path / "compat.json"
    previous.write_text('{"schema_version": "1.0", "kept": true}', encoding="utf-8")
    out = conformance("record", "--target", "yandex-ai-studio", "--report-dir", str(tmp_path), env=env)
    assert out.returncode == 2
    err = (out.stdout + out.stderr).strip().splitlines()
    assert any("YC_FOLDER_ID" in line and "YC_API_KEY or YANDEX_CLOUD_API_KEY" in line for line in err)
    assert previous.read_text(encoding="utf-8") == '{"schema_version": "1.0", "kept": true}'  # nothing lost
