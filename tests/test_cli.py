"""The command line: one-line usage errors, targets listing, report merging."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conformance.cli import main
from conformance.report.document import SCHEMA_VERSION

ROOT = Path(__file__).resolve().parent.parent


def test_bad_flag_is_one_line_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["run", "--mode", "sideways"])
    assert info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "--mode" in err and "sideways" in err


def test_targets_lists_bundled_profiles(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["targets"]) == 0
    out = capsys.readouterr().out
    assert "reference" in out and "yandex-ai-studio" in out and "current, legacy" in out


def doc(target: str, verdict: str, agreement: str) -> dict:  # type: ignore[type-arg]
    return {"schema_version": SCHEMA_VERSION, "generated_at": "t", "tool": {"name": "x", "version": "0",
            "openai_sdk": "0"}, "features": [{"id": "chat.basic", "surface": "chat", "title": "t", "tier": "core",
            "source": "s"}], "targets": [{"name": target, "title": target, "mode": "replay", "endpoint": "e"}],
            "results": [{"target": target, "feature": "chat.basic", "claim": "supported", "verdict": verdict,
                         "agreement": agreement, "checks": []}], "summary": {}}


def test_report_merges_columns_and_sets_exit_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(json.dumps(doc("alpha", "PASS", "agrees")), encoding="utf-8")
    b.write_text(json.dumps(doc("beta", "FAIL", "broken")), encoding="utf-8")
    assert main(["report", str(a), str(b), "--out-dir", str(tmp_path / "out")]) == 1
    merged = json.loads((tmp_path / "out" / "compat.json").read_text(encoding="utf-8"))
    assert [t["name"] for t in merged["targets"]] == ["alpha", "beta"]
    assert "| `chat.basic` t | core | **PASS**" in (tmp_path / "out" / "compat.md").read_text(encoding="utf-8")
    assert "alpha" in capsys.readouterr().out


def test_report_with_wrong_schema_version_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "old.json"
    bad.write_text(json.dumps({"schema_version": "0.1"}), encoding="utf-8")
    assert main(["report", str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and str(bad) in err and "schema_version" in err


@pytest.mark.parametrize(("args", "names"), [
    (["--retries", "-5"], "--retries -5"),
    (["--cassette-dir", "/nonexistent/cassettes"], "--cassette-dir /nonexistent/cassettes"),
    (["--endpoint", "nonsense"], "'nonsense' names no endpoint generation"),
    (["--explore", "3"], "--explore N is live only"),
])
def test_bad_run_option_is_one_line_before_anything_runs(args: list[str], names: str, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--target", "reference", "--report-dir", str(tmp_path), "-q", *args]) == 2
    captured = capsys.readouterr()
    lines = [ln for ln in (captured.out + captured.err).splitlines() if ln.strip()]
    assert len(lines) == 1 and names in lines[0], lines[:5]
    assert not (tmp_path / "compat.json").exists()
