"""`nox -s drift`: changed SDK types and the shipped cells a newer SDK would change, told apart from providers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conformance import drift

ROOT = Path(__file__).resolve().parent.parent


def doc(*cells: tuple[str, str, str]) -> dict[str, Any]:
    return {"tool": {"openai_sdk": "3.57"},
            "results": [{"target": t, "feature": f, "verdict": v} for t, f, v in cells]}


def test_changed_cells_lists_verdict_changes_of_cells_in_both() -> None:
    before = doc(("r", "a", "PASS"), ("r", "b", "PASS"))
    after = doc(("r", "a", "FAIL"), ("r", "b", "PASS"), ("r", "c", "FAIL"))
    assert drift.changed_cells(before, after) == ["r a: PASS -> FAIL"]


def test_drift_names_sdk_changes_and_the_cells_they_move(monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    shipped = json.loads((ROOT / "reports" / "compat.json").read_text(encoding="utf-8"))
    moved = json.loads(json.dumps(shipped))
    moved["results"][0]["verdict"] = "FAIL" if moved["results"][0]["verdict"] != "FAIL" else "PASS"

    def replay(_report_dir: Path, schemas: Path | None) -> dict[str, Any]:
        return moved if schemas is not None else shipped

    monkeypatch.setattr(drift, "_replay", replay)
    monkeypatch.setattr(drift, "changed_types", lambda built, directory: ["chat.completion"])
    assert drift.main() == 1
    out = capsys.readouterr().out
    first = shipped["results"][0]
    assert "types whose shape changed: chat.completion" in out
    assert "cells the installed SDK's parser changes on the shipped cassettes: 0" in out
    assert f"{first['target']} {first['feature']}: {first['verdict']} ->" in out
    assert "SDK changes, not provider changes" in out
