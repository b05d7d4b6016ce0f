"""Hypothesis-generated requests: the same examples in every process, replayable, drift explained, explore live-only."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from conformance import FEATURES, Mode, RunSettings, TargetRun, Verdict, load_profile
from conformance.probes.generation import REPLAY_EXAMPLES, examples
from conformance.refserver import RefServer

from .test_replay_cli import SHIPPED, conformance

DIGEST = ("from conformance.probes.generation import examples; import hashlib, json; "
          "print(hashlib.sha256(json.dumps(examples(), ensure_ascii=False).encode()).hexdigest())")


def test_examples_do_not_depend_on_the_calling_process() -> None:
    """In-process hypothesis drew differently once other plugins were loaded; the clean interpreter does not."""
    in_pytest = examples()
    assert DIGEST and in_pytest == [tuple(c) for c in examples()]


def test_examples_are_identical_across_processes() -> None:
    runs = {subprocess.run([sys.executable, "-c", DIGEST], capture_output=True, text=True, check=True).stdout
            for _ in range(2)}
    assert len(runs) == 1
    cases = examples()
    assert len(cases) == REPLAY_EXAMPLES and cases == examples()
    assert any(any("\u0400" <= ch <= "\u04ff" for ch in prompt) for _schema, prompt, _params in cases)


def test_explore_draws_more_random_examples() -> None:
    assert len(examples(explore=10)) > REPLAY_EXAMPLES


def test_generated_rows_replay_from_shipped_cassettes() -> None:
    target = TargetRun(load_profile("reference"), RunSettings(Mode.REPLAY, cassette_root=SHIPPED))
    for fid in ("chat.json_schema.generated", "chat.tools.generated"):
        assert target.run_feature(FEATURES.get(fid)).verdict is Verdict.PASS


def test_drifted_examples_say_to_rerecord(tmp_path: Path) -> None:
    root = tmp_path / "cassettes"
    shutil.copytree(SHIPPED / "reference", root / "reference")
    cassette = root / "reference" / "chat" / "chat.generated_json.yaml"
    cassette.write_text(cassette.read_text(encoding="utf-8").replace("Reply with JSON only", "Reply in JSON"),
                        encoding="utf-8")
    result = TargetRun(load_profile("reference"), RunSettings(Mode.REPLAY, cassette_root=root)).run_feature(
        FEATURES.get("chat.json_schema.generated"))
    assert result.verdict is Verdict.ERROR
    assert "differ from the recorded ones" in result.reason and "conformance record --target reference" in result.reason


def test_explore_is_refused_outside_live_mode(tmp_path: Path) -> None:
    out = conformance("run", "--target", "reference", "--explore", "20", "--report-dir", str(tmp_path))
    assert out.returncode == 2 and "live only" in out.stdout + out.stderr


def test_explore_runs_live_against_the_reference_server(tmp_path: Path) -> None:
    with RefServer() as server:
        out = conformance("run", "--mode", "live", "--target", "reference", "--base-url", server.url, "--explore",
                          "8", "--report-dir", str(tmp_path), "-k", "generated")
        assert server.requests > 2 * REPLAY_EXAMPLES
    assert out.returncode == 0, out.stdout[-2000:]
