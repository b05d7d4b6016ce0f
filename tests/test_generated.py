"""Hypothesis-generated requests: the same examples in every process, replayable, drift explained, explore live-only."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conformance import FEATURES, Mode, RunSettings, TargetRun, Verdict, load_profile
from conformance.probes import examples as cache
from conformance.probes.examples import examples
from conformance.probes.generation import REPLAY_EXAMPLES
from conformance.refserver import RefServer

from .test_replay_cli import SHIPPED, conformance

DIGEST = ("from conformance.probes.examples import fresh; import hashlib, json; "
          "print(hashlib.sha256(json.dumps(fresh(), ensure_ascii=False).encode()).hexdigest())")


def test_examples_do_not_depend_on_the_calling_process() -> None:
    """In-process hypothesis drew differently once other plugins were loaded; the clean interpreter does not."""
    assert cache.fresh() == [tuple(c) for c in cache.fresh()]


def test_examples_are_identical_across_processes() -> None:
    runs = {subprocess.run([sys.executable, "-c", DIGEST], capture_output=True, text=True, check=True).stdout
            for _ in range(2)}
    assert len(runs) == 1
    cases = examples()
    assert len(cases) == REPLAY_EXAMPLES and cases == examples()
    assert any(any("\u0400" <= ch <= "\u04ff" for ch in prompt) for _schema, prompt, _params in cases)


def test_the_cached_examples_are_what_a_clean_interpreter_computes() -> None:
    """The shipped cache is current for this install: same key, same examples (else: nox -s examples)."""
    assert cache.cached() is not None, f"{cache.CACHE} is stale for {cache.cache_key()}: run nox -s examples"
    assert cache.cached() == cache.fresh(), f"{cache.CACHE} differs from a fresh computation: run nox -s examples"


def test_replay_reads_the_cache_without_a_subprocess(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_subprocess(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("examples were recomputed in a subprocess")

    monkeypatch.setattr(subprocess, "run", no_subprocess)
    assert len(examples()) == REPLAY_EXAMPLES


def test_a_stale_cache_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stale = tmp_path / "generated_examples.json"
    stale.write_text(json.dumps({"key": {**cache.cache_key(), "hypothesis": "0.0.1"}, "examples": [[{}, "x", {}]]}),
                     encoding="utf-8")
    monkeypatch.setattr(cache, "CACHE", stale)
    assert cache.cached() is None
    assert examples() == cache.fresh() != [({}, "x", {})]


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
