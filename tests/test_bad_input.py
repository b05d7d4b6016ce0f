"""Bad input is one line naming what and where, exit 2, before any request or replay; a bad recording is one ERROR.

Each case of the README's bad-input table has a test here (the flags --retries, --endpoint, --cassette-dir and
--explore are in test_cli.py).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from conformance import FEATURES, Mode, RunSettings, TargetRun, Verdict, load_profile
from conformance.cli import main
from conformance.profiles import BUILTIN_DIR

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "cassettes"


def one_line(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    lines = [ln for ln in (captured.out + captured.err).splitlines() if ln.strip()]
    assert len(lines) == 1, lines[:5]
    return lines[0]


def profile_with(tmp_path: Path, old: str, new: str) -> Path:
    text = (BUILTIN_DIR / "reference.toml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "bad-options.toml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("embedding_dimensions = 16", 'embedding_dimensions = "16"',
     "[options.embedding_dimensions] must be a positive integer, got '16' (str)"),
    ("poll_timeout = 0.5", 'poll_timeout = "soon"',
     "[options.poll_timeout] must be a number of seconds (0 or more), got 'soon' (str)"),
    ("poll_timeout = 0.5", "pol_timeout = 0.5", "[options.pol_timeout] unknown option (known: "),
    ('realtime_model = "ref-realtime-1"', "realtime_model = 1", "[options.realtime_model] must be a non-empty string"),
    ('chat_models = ["ref-chat-*"]', 'chat_models = "ref-chat-*"', "[options.chat_models] must be a list of non-empty "
     "strings, got 'ref-chat-*' (str)"),
    ('chat_models = ["ref-chat-*"]', 'chat_models = ["ref-chat-*"]\nmodels_usable_max = 9',
     "[options.models_usable_max] must be an integer from 0 to 5, got 9 (int)"),
])
def test_an_option_of_the_wrong_type_is_one_line_at_load(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                         old: str, new: str, expected: str) -> None:
    path = profile_with(tmp_path, old, new)
    assert main(["run", "--target", str(path), "--report-dir", str(tmp_path / "r"), "-q"]) == 2
    line = one_line(capsys)
    assert line.startswith(f"conformance: profile {path}: ") and expected in line, line
    assert not (tmp_path / "r" / "compat.json").exists()


@pytest.mark.parametrize(("args", "names"), [
    (["--timeout", "0"], "--timeout 0: must be a number of seconds above 0"),
    (["--timeout", "nan"], "--timeout nan: must be a number of seconds above 0"),
    (["--max-time", "-1"], "--max-time -1: must be a number of seconds above 0"),
    (["--timeout", "soon"], "argument --timeout: invalid float value: 'soon'"),
])
def test_a_bad_deadline_is_one_line(args: list[str], names: str, tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    try:
        code = main(["run", "--target", "reference", "--report-dir", str(tmp_path), "-q", *args])
    except SystemExit as exc:  # argparse's own type errors
        code = int(exc.code or 0)
    assert code == 2
    assert names in one_line(capsys)
    assert not (tmp_path / "compat.json").exists()


def shipped_report() -> dict:  # type: ignore[type-arg]
    return json.loads((ROOT / "reports" / "compat.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(("bend", "where"), [
    (lambda d: d["results"][3].update(verdict="MAYBE"), "$.results[3].verdict: 'MAYBE' is not one of"),
    (lambda d: d.update(results={"chat.basic": "PASS"}), "$.results: {'chat.basic': 'PASS'} is not of type 'array'"),
    (lambda d: d["results"][0].pop("feature"), "$.results[0]: 'feature' is a required property"),
    (lambda d: d.update(targets=None), "$.targets: None is not of type 'array'"),
])
def test_a_baseline_of_the_right_version_but_the_wrong_shape_is_one_line_before_the_run(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], bend, where: str) -> None:  # type: ignore[no-untyped-def]
    doc = shipped_report()
    bend(doc)
    bad = tmp_path / "baseline.json"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    assert main(["run", "--target", "reference", "--baseline", str(bad), "--report-dir", str(tmp_path / "r"),
                 "-q"]) == 2
    line = one_line(capsys)
    assert line.startswith(f"conformance: report {bad}: not a compat.json report of schema 1.0 ({where}"), line
    assert not (tmp_path / "r" / "compat.json").exists()  # refused before anything ran
    assert main(["report", str(bad), "--out-dir", str(tmp_path / "m")]) == 2
    assert where in one_line(capsys)


def test_every_shipped_report_has_the_documented_shape() -> None:
    from conformance.report import load_documents

    docs = load_documents(sorted((ROOT / "reports").glob("*.json")))
    assert docs and all(d["results"] for d in docs)


def replay(cassettes: Path, rows: tuple[str, ...]) -> dict[str, object]:
    run = TargetRun(load_profile("reference"), RunSettings(Mode.REPLAY, cassette_root=cassettes))
    return {fid: run.run_feature(FEATURES.get(fid)) for fid in rows}


def test_a_websocket_cassette_cut_mid_session_is_an_unreadable_recording(tmp_path: Path) -> None:
    cassettes = tmp_path / "cassettes"
    shutil.copytree(SHIPPED / "reference", cassettes / "reference")
    path = cassettes / "reference" / "realtime" / "realtime.text.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[: len(lines) // 2]), encoding="utf-8")  # still valid YAML, frames cut short
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["frames"]
    results = replay(cassettes, ("realtime.text", "realtime.connect"))
    cut = results["realtime.text"]
    assert cut.verdict is Verdict.ERROR, (cut.verdict, cut.reason)  # type: ignore[attr-defined]
    frames = len(yaml.safe_load(path.read_text(encoding="utf-8"))["frames"])
    assert cut.reason == (f"cassette {path}: unreadable (truncated: the session has no complete close "  # type: ignore[attr-defined]
                          f"record after its {frames} frame(s))")
    assert results["realtime.connect"].verdict is Verdict.PASS  # type: ignore[attr-defined]


@pytest.mark.parametrize(("bend", "where"), [
    (lambda i: i["response"]["body"].update(string=[1, 2]),
     "interactions[0].response.body.string: expected text, bytes or null, got list"),
    (lambda i: i["response"].update(status={"code": "200"}),
     "interactions[0].response.status.code: expected an integer, got str"),
    (lambda i: i["request"].update(uri=None), "interactions[0].request.uri: expected text, got null"),
    (lambda i: i["response"]["headers"].update({"content-type": {"a": 1}}),
     "interactions[0].response.headers.content-type: expected text or a list of text, got dict"),
])
def test_a_cassette_of_the_wrong_shape_is_one_error_cell_not_a_lost_row(  # type: ignore[no-untyped-def]
        tmp_path: Path, bend, where: str) -> None:
    cassettes = tmp_path / "cassettes"
    shutil.copytree(SHIPPED / "reference", cassettes / "reference")
    path = cassettes / "reference" / "chat" / "chat.basic.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    bend(doc["interactions"][0])
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    results = replay(cassettes, ("chat.basic", "chat.max_tokens"))
    assert results["chat.basic"].verdict is Verdict.ERROR  # type: ignore[attr-defined]
    assert results["chat.basic"].reason == f"cassette {path}: unreadable ({where})"  # type: ignore[attr-defined]
    assert results["chat.max_tokens"].verdict is Verdict.PASS  # type: ignore[attr-defined]
