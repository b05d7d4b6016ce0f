"""CI regression mode: --baseline fails only on cells that got worse, with evidence."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conformance.refserver import RefServer
from conformance.report.regression import compare, regression_exit_code

from .test_replay_cli import SHIPPED, conformance


def row(target: str, feature: str, verdict: str, **extra: object) -> dict:  # type: ignore[type-arg]
    return {"target": target, "feature": feature, "verdict": verdict, "checks": [], **extra}


def test_only_worse_cells_are_regressions() -> None:
    base = {"results": [row("t", "a", "PASS"), row("t", "b", "FAIL"), row("t", "c", "PASS"), row("t", "d", "PASS")]}
    now = {"results": [row("t", "a", "PASS"), row("t", "b", "PASS"), row("t", "c", "IGNORED"),
                       row("t", "d", "ERROR", reason="HTTP 503"), row("t", "e", "FAIL")]}
    changes = compare(base, now)
    assert [(c.feature, c.before, c.after) for c in changes] == [("c", "PASS", "IGNORED"), ("d", "PASS", "ERROR")]
    assert regression_exit_code(changes) == 1 and regression_exit_code(changes[1:]) == 3


def test_replay_against_its_own_baseline_is_clean(tmp_path: Path) -> None:
    first = conformance("run", "--target", "reference", "--report-dir", str(tmp_path / "a"))
    assert first.returncode == 0
    again = conformance("run", "--target", "reference", "--report-dir", str(tmp_path / "b"), "--baseline",
                        str(tmp_path / "a" / "compat.json"))
    assert again.returncode == 0 and "0 worse than the baseline" in again.stdout


def test_a_regressed_recording_fails_with_evidence(tmp_path: Path) -> None:
    baseline = conformance("run", "--target", "reference", "--report-dir", str(tmp_path / "base"), "-k", "embeddings")
    assert baseline.returncode == 0
    cassettes = tmp_path / "cassettes"
    shutil.copytree(SHIPPED / "reference", cassettes / "reference")
    with RefServer(faults={"embeddings_dimensions_ignored"}) as server:
        conformance("record", "--target", "reference", "--base-url", server.url, "--cassette-dir", str(cassettes),
                    "--report-dir", str(tmp_path / "rec"), "-k", "embeddings.dimensions")
    out = conformance("run", "--target", "reference", "--cassette-dir", str(cassettes), "--report-dir",
                      str(tmp_path / "now"), "-k", "embeddings", "--baseline", str(tmp_path / "base" / "compat.json"))
    assert out.returncode == 1
    line = next(ln for ln in out.stdout.splitlines() if ln.startswith("regression:"))
    assert "reference embeddings.dimensions: PASS -> IGNORED (embeddings.dimensions_applied" in line
    assert json.loads((tmp_path / "now" / "compat.json").read_text(encoding="utf-8"))["summary"]["exit_code"] == 1
