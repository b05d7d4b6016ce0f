"""Where people look: the terminal matrix, badges, the CI step summary and `conformance diff`."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conformance.catalogue import FEATURES, Tier
from conformance.grading import CellChange, cell_change, regressed
from conformance.report import render_terminal
from conformance.report.badges import badge, badge_filename
from conformance.report.diff import diff_documents, diff_exit_code, render_diff
from conformance.report.matrix import Matrix
from conformance.report.summary import render_summary
from conformance.verdicts import Verdict

from .report_samples import ROOT, shipped

CORE = sum(f.tier is Tier.CORE for f in FEATURES)  # the reference server passes every core row


def _cell(doc: dict[str, Any], target: str, feature: str) -> dict[str, Any]:
    return next(r for r in doc["results"] if r["target"] == target and r["feature"] == feature)


def _many_targets(n: int) -> dict[str, Any]:
    doc = copy.deepcopy(shipped())
    base = doc["targets"][0]
    doc["targets"] = [{**base, "name": f"provider-with-a-long-name-{i} (passive, recordings)"} for i in range(n)]
    rows = [r for r in shipped()["results"] if r["target"] == base["name"]]
    doc["results"] = [{**r, "target": t["name"]} for t in doc["targets"] for r in rows]
    return doc


@pytest.mark.parametrize("doc", [shipped(), _many_targets(11)], ids=["shipped", "11 long-named targets"])
def test_terminal_matrix_fits_120_columns_with_every_cell_and_a_legend(doc: dict[str, Any]) -> None:
    text = render_terminal(doc, width=120)
    assert max(len(line) for line in text.splitlines()) <= 120
    matrix = Matrix.of(doc)
    for row in matrix.rows:
        assert row.id in text
    for target in matrix.targets:  # a long name is abbreviated in the header and spelled out in the legend
        assert target["name"] in text
    cells = sum(text.count(word) for word in ("PASS", "DEV ", "IGN", "REJ", "FAIL", "skip", "ERR", "FLAKY"))
    assert cells >= len(doc["results"])


def test_terminal_has_a_line_per_target_with_counts_and_claims_broken() -> None:
    doc = shipped()
    lines = render_terminal(doc).splitlines()
    starts = [i for i, ln in enumerate(lines) if " core " in ln and "PASS" in ln]
    for target in doc["targets"]:
        counts = Matrix.of(doc).counts(target["name"])
        first = next(i for i in starts if lines[i].startswith(target["name"][:11]))
        # a target line longer than the terminal wraps onto the lines below it, up to the next target line
        end = next((i for i in starts if i > first), first + 3)
        line = " ".join(ln.strip() for ln in lines[first:end])
        assert f"PASS {counts.verdicts['PASS']}" in line and f"claims broken {counts.broken}" in line


def _core_rows() -> int:
    """The catalogue's core rows: the reference server passes every one of them."""
    return sum(1 for f in FEATURES if f.tier is Tier.CORE)


def test_badge_is_a_shields_endpoint_document() -> None:
    doc = shipped()
    ref = badge(doc, "reference")
    assert ref == {"schemaVersion": 1, "label": "OpenAI compat: reference", "message": f"core {CORE}/{CORE}",
                   "color": "brightgreen"}
    llama = badge(doc, "llamacpp")
    counts = Matrix.of(doc).counts("llamacpp")
    assert llama["message"] == f"core {counts.core_passing}/{counts.core_graded}" and llama["color"] == "red"
    assert badge_filename("yandex-ai-studio (passive, public recordings 2025)") == \
        "yandex-ai-studio-passive-public-recordings-2025.json"
    assert badge_filename("../../etc/passwd") == "etc-passwd.json"


def test_step_summary_lists_counts_broken_claims_and_changes() -> None:
    old = shipped()
    new = copy.deepcopy(old)
    _cell(new, "reference", "chat.basic").update(verdict="FAIL", agreement="broken")
    text = render_summary(new, old, "reports/compat.json")
    assert text.startswith("## OpenAI compatibility")
    assert f"| reference | replay | core {CORE - 1}/{CORE} |" in text
    assert "**reference** · `chat.basic` FAIL (claimed supported)" in text
    assert "#### Worse (1)" in text and "PASS (agrees) → FAIL (broken)" in text


def test_cell_change_agrees_with_the_baseline_regression_rule() -> None:
    for before in Verdict:
        for after in Verdict:
            change = cell_change(before, after)
            if before in (Verdict.ERROR, Verdict.SKIP) or before is after:
                continue
            assert (change is CellChange.WORSE) == (regressed(before, after) is True), (before, after)
            assert (change is CellChange.INCONCLUSIVE) == (regressed(before, after) is None), (before, after)
    assert cell_change(Verdict.PASS, None) is CellChange.WORSE  # a vanished cell is never silently fine
    assert cell_change(None, Verdict.FAIL) is CellChange.ADDED
    assert cell_change(Verdict.IGNORED, Verdict.REJECTED) is CellChange.CHANGED
    assert cell_change(Verdict.FAIL, Verdict.PASS) is CellChange.BETTER
    assert cell_change(Verdict.PASS, Verdict.PASS, claim_changed=True) is CellChange.CHANGED


def _edited(tmp_path: Path) -> tuple[Path, Path]:
    old = shipped()
    new = copy.deepcopy(old)
    _cell(new, "reference", "chat.stream").update(
        verdict="FAIL", agreement="broken",
        checks=[{"id": "sse.done", "severity": "must", "outcome": "failed", "title": "t",
                 "evidence": {"request": "POST /chat/completions {stream=true}", "where": "event 7",
                              "expected": "data: [DONE]", "observed": "end of stream"}}])
    _cell(new, "llamacpp", "chat.errors").update(verdict="PASS", agreement="agrees", checks=[])
    _cell(new, "reference", "embeddings.float").update(verdict="ERROR", agreement="inconclusive",
                                                       reason="HTTP 503 after 3 attempt(s) (inconclusive)")
    new["results"].remove(_cell(new, "reference", "files.crud"))
    paths = tmp_path / "old.json", tmp_path / "new.json"
    for path, doc in zip(paths, (old, new), strict=True):
        path.write_text(json.dumps(doc), encoding="utf-8")
    return paths


def test_diff_lists_changed_cells_worse_first_with_evidence(tmp_path: Path) -> None:
    old, new = (json.loads(p.read_text(encoding="utf-8")) for p in _edited(tmp_path))
    diffs = diff_documents(old, new)
    assert [(d.target, d.feature, d.change.value) for d in diffs] == [
        ("reference", "chat.stream", "worse"), ("reference", "files.crud", "worse"),
        ("reference", "embeddings.float", "inconclusive"), ("llamacpp", "chat.errors", "better")]
    assert diff_exit_code(diffs) == 1
    text = render_diff(diffs, "old.json", "new.json")
    assert text.startswith("### Conformance diff: 2 worse, 1 inconclusive, 1 better")
    assert "`sse.done (must, failed) at event 7: expected data: [DONE]; observed end of stream`" in text
    assert "request: `POST /chat/completions {stream=true} · POST /v1/chat/completions {model=" in text
    assert "the new report has no result for this cell" in text
    assert diff_documents(old, old) == [] and "no cell changed" in render_diff([], "a", "b")


def test_diff_command_prints_and_writes_the_comment(tmp_path: Path) -> None:
    old, new = _edited(tmp_path)
    out = subprocess.run([sys.executable, "-m", "conformance", "diff", str(old), str(new), "--out",
                          str(tmp_path / "comment.md")], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert out.returncode == 1, out.stderr
    assert out.stdout == (tmp_path / "comment.md").read_text(encoding="utf-8")
    same = subprocess.run([sys.executable, "-m", "conformance", "diff", str(old), str(old)], capture_output=True,
                          text=True, timeout=120, cwd=ROOT)
    assert same.returncode == 0 and "no cell changed" in same.stdout
    bad = subprocess.run([sys.executable, "-m", "conformance", "diff", str(old), str(tmp_path / "missing.json")],
                         capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1 and "missing.json" in bad.stderr


def test_diff_compares_only_the_new_reports_targets_and_names_the_others() -> None:
    old = shipped()
    new = copy.deepcopy(old)
    new["targets"] = [t for t in new["targets"] if t["name"] == "reference"]
    new["results"] = [r for r in new["results"] if r["target"] == "reference"]
    diffs = diff_documents(old, new)
    assert diffs == []  # a re-record of one target is not "every other cell vanished"
    names = [t["name"] for t in old["targets"] if t["name"] != "reference"]
    assert "Not in the new report, so not compared: " + ", ".join(names) in render_diff(diffs, "a", "b", names)


def test_renderers_accept_a_minimal_report() -> None:
    """A report from an older or foreign tool: only the keys the schema requires, none of the optional ones."""
    from conformance.report.html import render_html

    doc = {"schema_version": "1.0", "generated_at": "", "tool": {"name": "x", "version": "0", "openai_sdk": "?"},
           "features": [{"id": "chat.basic", "surface": "chat", "title": "t", "tier": "core", "source": ""}],
           "targets": [{"name": "t", "title": "", "mode": "replay", "endpoint": ""}],
           "results": [{"target": "t", "feature": "chat.basic", "claim": "supported", "verdict": "FAIL",
                        "agreement": "broken", "checks": []}], "summary": {}}
    assert "FAIL" in render_terminal(doc) and "FAIL" in render_html(doc)
    assert "chat.basic" in render_summary(doc, doc) and badge(doc, "t")["message"] == "core 0/1"
