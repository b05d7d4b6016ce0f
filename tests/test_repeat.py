"""Nondeterminism: --repeat k runs each feature k times live; mixed outcomes are FLAKY with pass@k and pass^k."""

from __future__ import annotations

import json
from pathlib import Path

from conformance.refserver import RefServer

from .test_replay_cli import conformance


def test_alternating_server_is_flaky_with_pass_at_k(tmp_path: Path) -> None:
    with RefServer(faults={"flaky_tool_choice"}) as server:
        out = conformance("run", "--mode", "live", "--target", "reference", "--base-url", server.url, "--repeat", "2",
                          "--report-dir", str(tmp_path), "-k", "tool_choice.required")
    assert out.returncode == 1, out.stdout[-2000:]
    row = json.loads((tmp_path / "compat.json").read_text(encoding="utf-8"))["results"][0]
    assert row["verdict"] == "FLAKY" and row["agreement"] == "broken"
    assert row["repeat"] == {"k": 2, "conclusive": 2, "passed": 1, "pass_at_k": True, "pass_all_k": False,
                             "verdicts": row["repeat"]["verdicts"]}
    assert sorted(row["repeat"]["verdicts"]) == ["IGNORED", "PASS"]
    assert "(1/2 runs passed)" in (tmp_path / "compat.md").read_text(encoding="utf-8")


def test_repeat_is_refused_outside_live_mode(tmp_path: Path) -> None:
    out = conformance("run", "--target", "reference", "--repeat", "3", "--report-dir", str(tmp_path))
    assert out.returncode == 2
    assert "--repeat K" in out.stdout + out.stderr
