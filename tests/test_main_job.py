"""The README's main job: `conformance run` exits 0 on a fresh clone, regenerates the matrix byte for byte, fails only
on regressions, never replaces its baseline with a worse report, and keeps columns it did not produce."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conformance.refserver import RefServer

from .test_replay_cli import ROOT, SHIPPED, conformance

SHIPPED_REPORTS = ROOT / "reports"


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    """A copy of the shipped reports/ (what a fresh clone has)."""
    target = tmp_path / "reports"
    target.mkdir()
    for name in ("compat.json", "compat.md"):
        shutil.copy(SHIPPED_REPORTS / name, target / name)
    return target


def cells(path: Path) -> dict[tuple[str, str], str]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    return {(r["target"], r["feature"]): r["verdict"] for r in doc["results"]}


def test_main_job_exits_0_and_regenerates_the_shipped_reports_byte_for_byte(reports: Path) -> None:
    out = conformance("run", "--report-dir", str(reports))
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]
    for name in ("compat.json", "compat.md"):  # deterministic: `git status` stays clean after the main job
        assert (reports / name).read_bytes() == (SHIPPED_REPORTS / name).read_bytes(), name
    lines = out.stdout.strip().splitlines()
    assert lines[-1].startswith("conformance: exit 0 (baseline ") and "known from the baseline" in lines[-1]
    assert "kept 1 column(s) this run did not produce: yandex-ai-studio (passive" in out.stdout
    assert "xfailed" in out.stdout and " failed" not in out.stdout  # known broken claims are xfail, not failures
    assert not (reports / "compat.new.json").exists()


def test_strict_fails_on_third_party_broken_claims_and_says_so_last(reports: Path) -> None:
    out = conformance("run", "--report-dir", str(reports), "--target", "llamacpp", "-k", "responses", "--strict")
    assert out.returncode == 1, out.stdout[-2000:]
    last = out.stdout.strip().splitlines()[-1]
    assert last.startswith("conformance: exit 1 ") and "cell(s) failing" in last


def test_fail_on_fail_gates_a_cell_the_baseline_does_not_know(tmp_path: Path) -> None:
    common = ("run", "--target", "prism", "-k", "vector_stores.crud", "--baseline", "none")
    claims = conformance(*common, "--report-dir", str(tmp_path / "a"))
    assert claims.returncode == 0, claims.stdout[-2000:]  # FAIL, but the claim is "unsupported": agrees
    gated = conformance(*common, "--report-dir", str(tmp_path / "b"), "--fail-on", "fail")
    assert gated.returncode == 1 and "exit 1 (no baseline)" in gated.stdout


def test_a_regression_never_replaces_the_baseline(reports: Path, tmp_path: Path) -> None:
    cassettes = tmp_path / "cassettes"
    shutil.copytree(SHIPPED / "reference", cassettes / "reference")
    with RefServer(faults={"embeddings_dimensions_ignored"}) as server:
        conformance("record", "--target", "reference", "--base-url", server.url, "--cassette-dir", str(cassettes),
                    "--report-dir", str(tmp_path / "rec"), "--baseline", "none", "-k", "embeddings.dimensions")
    before = (reports / "compat.json").read_bytes()
    args = ("run", "--target", "reference", "--cassette-dir", str(cassettes), "--report-dir", str(reports), "-k",
            "embeddings")
    out = conformance(*args)
    assert out.returncode == 1, out.stdout[-2000:]
    assert "regression: reference embeddings.dimensions: PASS -> IGNORED" in out.stdout
    assert (reports / "compat.json").read_bytes() == before  # a second run fails again: nothing was accepted
    assert cells(reports / "compat.new.json")[("reference", "embeddings.dimensions")] == "IGNORED"
    assert conformance(*args).returncode == 1
    explicit = conformance(*args, "--baseline", str(reports / "compat.json"))  # the old README CI command's shape
    assert explicit.returncode == 1 and (reports / "compat.json").read_bytes() == before
    accepted = conformance(*args, "--baseline", "none")  # no baseline: the claim "supported" is broken, exit 1
    assert accepted.returncode == 1 and "exit 1 (no baseline)" in accepted.stdout, accepted.stdout[-2000:]
    assert cells(reports / "compat.json")[("reference", "embeddings.dimensions")] == "IGNORED"
    assert not (reports / "compat.new.json").exists()


def test_a_partial_run_keeps_the_cells_and_columns_it_did_not_select(reports: Path) -> None:
    shipped = cells(reports / "compat.json")
    out = conformance("run", "--target", "reference", "--report-dir", str(reports), "--surface", "embeddings")
    assert out.returncode == 0, out.stdout[-2000:]
    assert cells(reports / "compat.json") == shipped
    others = len({target for target, _ in shipped}) - 1  # every shipped column but reference's
    assert f"kept {others} column(s)" in out.stdout
    assert "cell(s) of this run's targets that it did not select" in out.stdout


def test_an_unreadable_report_to_merge_into_is_one_line_before_the_run(tmp_path: Path) -> None:
    (tmp_path / "compat.json").write_text("{not json", encoding="utf-8")
    out = conformance("run", "--target", "reference", "--report-dir", str(tmp_path), "-k", "models.list")
    lines = [ln for ln in (out.stdout + out.stderr).splitlines() if ln.strip()]
    assert out.returncode == 2 and len(lines) == 1 and "compat.json" in lines[0], lines[:5]
    assert (tmp_path / "compat.json").read_text(encoding="utf-8") == "{not json"
