"""No row ever vanishes: the cells of a report are exactly the selected cells, whatever the cassettes hold.

A hypothesis fuzz bends the structure of an HTTP cassette (vcrpy YAML) and of a WebSocket cassette at random and
replays rows that read them through the session, as `conformance run` does; the report must hold every selected
cell, each with a verdict, and each non-PASS cell with a reason or evidence. A cell missing from a new report is
worse than the baseline.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conformance import FEATURES, Mode, Verdict
from conformance.options import RunOptions
from conformance.report.regression import MISSING, compare, regression_exit_code
from conformance.session import ConformanceSession

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "cassettes" / "reference"
HTTP = "chat/chat.basic.yaml"
WS = "realtime/realtime.connect.yaml"
ROWS = ("chat.basic", "chat.stream", "chat.max_tokens", "realtime.connect", "realtime.event_names")

scalars = st.one_of(st.none(), st.booleans(), st.integers(-3, 700), st.floats(allow_nan=False, width=32),
                    st.text(max_size=8), st.binary(max_size=8))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                       st.dictionaries(st.text(max_size=6), inner, max_size=3)),
                      max_leaves=6)


def paths(doc: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside a parsed YAML document (keys and list indexes)."""
    found = [prefix]
    if isinstance(doc, dict):
        for key, item in doc.items():
            found += paths(item, (*prefix, key))
    elif isinstance(doc, list):
        for index, item in enumerate(doc[:4]):
            found += paths(item, (*prefix, index))
    return found


def bent(doc: Any, path: tuple[Any, ...], value: Any, drop: bool) -> Any:
    """The document with the value at `path` replaced by `value` (or removed)."""
    if not path:
        return value
    parent = doc
    for step in path[:-1]:
        parent = parent[step]
    if drop and isinstance(parent, dict):
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return doc


@st.composite
def bent_cassette(draw: st.DrawFn, relative: str) -> str:
    """A shipped cassette with one value at a random place replaced, dropped, or the text cut short."""
    text = (SHIPPED / relative).read_text(encoding="utf-8")
    how = draw(st.sampled_from(("value", "drop", "cut", "as is")))
    if how == "cut":
        return text[: draw(st.integers(0, len(text)))]
    if how == "as is":
        return text
    doc = yaml.safe_load(text)
    path = draw(st.sampled_from(paths(doc)))
    return yaml.safe_dump(bent(doc, path, draw(values), how == "drop"), allow_unicode=True)


@pytest.fixture(scope="module")
def cassettes() -> Iterator[Path]:
    """A private copy of the shipped reference cassettes, rewritten in place by each example."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "cassettes"
        shutil.copytree(SHIPPED, root / "reference")
        yield root


def replay_cells(root: Path, rows: tuple[str, ...]) -> tuple[set[tuple[str, str]], list[Any]]:
    """Select and run rows through the session as the pytest plugin does; the selected cells and the results."""
    session = ConformanceSession.start(RunOptions(target=("reference",), cassette_dir=root), Mode.REPLAY)
    for fid in rows:
        session.select(f"test[reference-{fid}]", "reference", fid)
    verifier = session.verifier("reference")
    for fid in rows:
        with contextlib.suppress(pytest.skip.Exception, pytest.fail.Exception):  # the cell is recorded either way
            verifier.check(FEATURES.get(fid))
    return {("reference", fid) for fid in rows}, session.result().results


@settings(max_examples=40, derandomize=True, database=None, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(http=bent_cassette(HTTP), ws=bent_cassette(WS))
def test_the_cell_set_is_complete_whatever_the_cassettes_hold(cassettes: Path, http: str, ws: str) -> None:
    (cassettes / "reference" / HTTP).write_text(http, encoding="utf-8")
    (cassettes / "reference" / WS).write_text(ws, encoding="utf-8")
    selected, results = replay_cells(cassettes, ROWS)
    assert {(r.target, r.feature) for r in results} == selected and len(results) == len(selected)
    for result in results:
        assert isinstance(result.verdict, Verdict)
        if result.verdict is not Verdict.PASS:
            assert result.reason or any(c.evidence for c in result.problems()), result.to_dict()
        assert "\n" not in result.reason


def test_a_selected_cell_whose_test_gave_no_result_is_an_error_cell() -> None:
    session = ConformanceSession.start(RunOptions(target=("reference",)), Mode.REPLAY)
    session.select("t1", "reference", "chat.basic")
    session.select("t2", "reference", "models.list")
    session.test_gave_no_result("t2", "setup failed: RuntimeError: fixture broke")
    session.verifier("reference").check(FEATURES.get("chat.basic"))
    cells = {r.feature: r for r in session.result().results}
    assert set(cells) == {"chat.basic", "models.list"}
    assert cells["chat.basic"].verdict is Verdict.PASS
    lost = cells["models.list"]
    assert lost.verdict is Verdict.ERROR and lost.reason == "no result: setup failed: RuntimeError: fixture broke"
    assert all(c.evidence and c.evidence.where == lost.reason for c in lost.checks)


def test_a_crash_inside_a_run_is_an_error_cell_naming_where(monkeypatch: pytest.MonkeyPatch) -> None:
    from conformance.runner import engine

    def broken(*_args: object, **_kwargs: object) -> object:
        raise KeyError("surprise")

    session = ConformanceSession.start(RunOptions(target=("reference",)), Mode.REPLAY)
    run = session.verifier("reference").run
    monkeypatch.setattr(run, "send", broken)
    result = run.run_feature(FEATURES.get("chat.basic"))
    assert result.verdict is Verdict.ERROR and result.feature == "chat.basic"
    assert result.reason == "crashed at test_cell_set.py:" + result.reason.split(":")[1] + ": KeyError: 'surprise'"
    assert engine.Problem.CRASHED.value == "crashed"


def row(target: str, feature: str, verdict: str) -> dict[str, Any]:
    return {"target": target, "feature": feature, "verdict": verdict, "checks": []}


def test_a_cell_missing_from_the_new_report_is_worse_than_the_baseline() -> None:
    base = {"targets": [{"name": "t", "mode": "replay"}, {"name": "lint", "mode": "passive"}],
            "results": [row("t", "a", "PASS"), row("t", "b", "FAIL"), row("t", "c", "SKIP"), row("lint", "a", "PASS"),
                        row("other", "a", "PASS")]}
    now = {"results": [row("t", "a", "PASS")]}
    changes = compare(base, now)
    assert [(c.target, c.feature, c.before, c.after) for c in changes] == [("t", "b", "FAIL", MISSING),
                                                                          ("t", "c", "SKIP", MISSING)]
    assert all(c.missing and "missing from the new report" in c.line() for c in changes)
    assert regression_exit_code(changes) == 1
    # a -k selection: only cells the run was asked for can be missing; passive columns never are
    assert compare(base, now, lambda target, feature: feature == "b")[0].feature == "b"
    assert len(compare(base, now, lambda target, feature: True)) == 3  # t b, t c and other a; never lint a


def test_the_command_reports_a_baseline_cell_the_run_lost(tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from conformance.cli import main

    doc = json.loads((ROOT / "reports" / "compat.json").read_text(encoding="utf-8"))
    doc["results"] = [r for r in doc["results"] if r["target"] == "reference"]
    doc["results"].append({**doc["results"][0], "feature": "models.gone"})
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps(doc), encoding="utf-8")
    run = ["run", "--target", "reference", "--baseline", str(baseline), "--report-dir", str(tmp_path / "r"), "-q"]
    assert main([*run, "-k", "models"]) == 0  # not asked for by -k: not missing
    assert "0 cell(s) worse" in capsys.readouterr().out
    assert main(run) == 1
    out = capsys.readouterr().out
    assert "regression: reference models.gone: PASS -> MISSING (the cell is missing from the new report)" in out
    assert "1 cell(s) worse or inconclusive" in out


def test_a_test_that_breaks_before_its_cell_still_reports_the_cell(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from conformance.cli import main

    def broken(self: ConformanceSession, name: str) -> object:
        raise RuntimeError("fixture broke")

    monkeypatch.setattr(ConformanceSession, "verifier", broken)
    assert main(["run", "--target", "reference", "-k", "models.list or models.retrieve", "--report-dir", str(tmp_path),
                 "-q"]) == 3
    capsys.readouterr()
    doc = json.loads((tmp_path / "compat.json").read_text(encoding="utf-8"))
    assert {(r["feature"], r["verdict"], r["reason"]) for r in doc["results"]} == {
        (fid, "ERROR", "no result: setup failed: RuntimeError: fixture broke") for fid in ("models.list",
                                                                                           "models.retrieve")}
