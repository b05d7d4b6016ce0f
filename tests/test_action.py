"""The GitHub Action: action.yml and examples/ci.yml validate against GitHub's schemas, the inputs reach the
script, and the script (`python -m conformance.action`) runs the suite and writes the step summary and outputs."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conformance.action import Inputs, outputs
from conformance.errors import UsageError
from conformance.report.matrix import VERDICT_ORDER

from .report_samples import ROOT, shipped

ACTION = ROOT / "action.yml"
EXAMPLE = ROOT / "examples" / "ci.yml"


@pytest.mark.skipif(shutil.which("check-jsonschema") is None, reason="check-jsonschema is not installed (.[dev])")
@pytest.mark.parametrize(("path", "schema"), [(ACTION, "vendor.github-actions"),
                                              (EXAMPLE, "vendor.github-workflows")])
def test_yaml_validates_against_githubs_schema(path: Path, schema: str) -> None:
    out = subprocess.run(["check-jsonschema", "--builtin-schema", schema, str(path)], capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr


def test_every_input_reaches_the_script_and_every_output_is_written() -> None:
    action = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    run = next(s for s in steps if s.get("id") == "run")
    assert run["run"] == "python -m conformance.action"
    used = set(re.findall(r"\binputs\.([a-z-]+)", ACTION.read_text(encoding="utf-8")))
    assert used == set(action["inputs"])  # every declared input is used, nothing undeclared is
    fields = set(Inputs.__dataclass_fields__)
    for var, value in run["env"].items():  # what the step passes is what the script reads
        assert var.startswith("INPUT_") and var[6:].lower() in fields, var
        assert value == "${{ inputs." + var[6:].lower().replace("_", "-") + " }}"
    written = set(outputs(shipped(), 0)) | {"report-dir"}
    for name, spec in action["outputs"].items():
        assert spec["value"] == "${{ steps.run.outputs." + name + " }}" and name in written, name
    assert {v.lower() for v in VERDICT_ORDER} <= set(action["outputs"])
    upload = next(s for s in steps if "upload-artifact" in s.get("uses", ""))
    assert upload["if"].startswith("always()")


def test_example_replays_pull_requests_against_a_baseline_and_rerecords_on_a_schedule() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    workflow = yaml.load(text, Loader=yaml.BaseLoader)  # YAML 1.1 would read the key `on` as True
    assert set(workflow["on"]) >= {"pull_request", "schedule"}
    replay = workflow["jobs"]["replay"]["steps"][1]["with"]
    assert replay["mode"] == "replay" and replay["baseline"] == "reports/compat.json"
    rerecord = workflow["jobs"]["rerecord"]["steps"]
    assert rerecord[1]["with"]["mode"] == "record"
    assert "conformance diff reports/compat.json new-reports/compat.json" in rerecord[2]["run"]
    assert "gh pr create" in rerecord[3]["run"] and "--body-file conformance-diff.md" in rerecord[3]["run"]


@pytest.mark.parametrize(("env", "argv"), [
    ({}, ["run", "--mode", "replay", "--report-dir", "conformance-reports"]),
    ({"INPUT_TARGET": "reference", "INPUT_BASELINE": "reports/compat.json", "INPUT_ARGS": "-k 'chat and not x'"},
     ["run", "--mode", "replay", "--target", "reference", "--baseline", "reports/compat.json", "--report-dir",
      "conformance-reports", "-k", "chat and not x"]),
    ({"INPUT_MODE": "record", "INPUT_TARGET": "p.toml", "INPUT_REPORT_DIR": "out"},
     ["record", "--target", "p.toml", "--report-dir", "out"]),
    ({"INPUT_MODE": "live", "INPUT_BASE_URL": "http://127.0.0.1:9/v1", "INPUT_MODEL": "m", "INPUT_FAIL_ON": "fail"},
     ["run", "--mode", "live", "--base-url", "http://127.0.0.1:9/v1", "--model", "m", "--fail-on", "fail",
      "--report-dir", "conformance-reports"]),
])
def test_inputs_become_one_conformance_command(env: dict[str, str], argv: list[str]) -> None:
    assert Inputs.from_env(env).command() == argv


@pytest.mark.parametrize(("env", "message"), [
    ({"INPUT_MODE": "fast"}, "input mode: 'fast' is not one of replay, live, record"),
    ({"INPUT_MODE": "live"}, "input mode live: needs the input target or base-url"),
    ({"INPUT_MODEL": "m", "INPUT_TARGET": "openai"}, "input model: only with base-url"),
])
def test_bad_inputs_are_one_line(env: dict[str, str], message: str) -> None:
    with pytest.raises(UsageError, match=re.escape(message)):
        Inputs.from_env(env).command()


def _action(tmp_path: Path, **inputs: str) -> tuple[subprocess.CompletedProcess[str], dict[str, str], str]:
    out_file, summary = tmp_path / "github_output", tmp_path / "step_summary"
    env = {**os.environ, "GITHUB_OUTPUT": str(out_file), "GITHUB_STEP_SUMMARY": str(summary),
           **{f"INPUT_{k.upper()}": v for k, v in inputs.items()}}
    run = subprocess.run([sys.executable, "-m", "conformance.action"], capture_output=True, text=True, timeout=300,
                         cwd=ROOT, env=env)
    written = dict(line.split("=", 1) for line in out_file.read_text(encoding="utf-8").splitlines()) \
        if out_file.exists() else {}
    return run, written, summary.read_text(encoding="utf-8") if summary.exists() else ""


def test_script_runs_the_suite_and_writes_summary_outputs_and_reports(tmp_path: Path) -> None:
    first = tmp_path / "first"
    run, out, summary = _action(tmp_path, target="reference", report_dir=str(first),
                                args="-k 'chat.basic] or chat.tool_choice.first]'")
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert out == {"exit-code": "0", "cells": "2", "broken": "0", "better": "0", "pass": "1", "deviation": "0",
                   "flaky": "0", "ignored": "0", "rejected": "1", "fail": "0", "error": "0", "skip": "0",
                   "report-dir": str(first)}
    assert summary.startswith("## OpenAI compatibility") and "| reference | replay | core 1/1 |" in summary
    assert {p.name for p in first.iterdir()} >= {"compat.json", "compat.md", "compat.html", "summary.md",
                                                 "junit.xml", "badges"}
    # Against its own report as the baseline: nothing changed, and the summary says so.
    (tmp_path / "github_output").unlink()
    again, out, summary = _action(tmp_path, target="reference", report_dir=str(tmp_path / "second"),
                                  baseline=str(first / "compat.json"),
                                  args="-k 'chat.basic] or chat.tool_choice.first]'")
    assert again.returncode == 0 and out["exit-code"] == "0"
    assert "### Conformance diff: no cell changed" in summary


def test_script_reports_a_failed_run_without_a_report(tmp_path: Path) -> None:
    run, out, summary = _action(tmp_path, target="no-such-profile", report_dir=str(tmp_path / "r"))
    assert run.returncode == 2 and out == {"exit-code": "2"}
    assert "No report was written" in summary
    bad, out, _ = _action(tmp_path, mode="sometimes")
    assert bad.returncode == 2 and bad.stderr.strip() == \
        "conformance action: input mode: 'sometimes' is not one of replay, live, record"
