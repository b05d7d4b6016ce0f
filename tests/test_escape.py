"""Server text never reaches a terminal, Markdown, HTML, JUnit or CI summary raw: one escaping, used by all."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from markdown_it import MarkdownIt

from conformance.failures import Evidence
from conformance.report import escape_controls, render_markdown, render_terminal
from conformance.report.badges import badge
from conformance.report.diff import diff_documents, render_diff
from conformance.report.escape import md_code, md_text
from conformance.report.html import render_html
from conformance.report.summary import render_summary
from conformance.runner.results import CheckResult, FeatureResult
from conformance.session import explain
from conformance.verdicts import Agreement, Claim, Outcome, Severity, Verdict

from .report_samples import HOSTILE, ROOT, hostile, raw_controls, shipped


@pytest.mark.parametrize(("raw", "shown"), [
    ("\x1b[2J", "\\x1b[2J"), ("\x1b]0;title\x07", "\\x1b]0;title\\x07"), ("a\x00b", "a\\x00b"),
    ("\r", "\\r"), ("\x7f", "\\x7f"), ("\x9b", "\\x9b"), ("\u202e", "\\u202e"), ("\u2028", "\\u2028"),
    ("\udcff", "\\udcff"), ("tab\there", "tab\\there"), ("two\nlines", "two\\nlines"),
    ("plain ✓ текст 漢字 emoji 🙂", "plain ✓ текст 漢字 emoji 🙂"),
])
def test_control_characters_are_shown_as_escapes(raw: str, shown: str) -> None:
    assert escape_controls(raw) == shown


def test_multiline_keeps_newlines_and_tabs_only() -> None:
    assert escape_controls("a\nb\tc\rd\x1b", multiline=True) == "a\nb\tc\\rd\\x1b"


def test_bytes_and_other_values_become_text() -> None:
    assert escape_controls(b"ok \xff\x1b") == "ok \\xff\\x1b"
    assert escape_controls(42) == "42"


def test_escaped_text_can_be_written_as_utf8() -> None:
    escape_controls(HOSTILE).encode("utf-8")  # a lone surrogate would raise here


def test_md_code_cannot_be_closed_by_its_content() -> None:
    for text in ("a`b", "``x``", "`lead", "trail`", " both "):
        span = md_code(text)
        fence = re.match("`+", span).group()  # type: ignore[union-attr]
        inner = span[len(fence):-len(fence)]
        assert "`" * len(fence) not in inner
        assert inner.strip(" ") == text.strip(" ") or inner == f" {text} "


def test_md_text_makes_markdown_syntax_literal() -> None:
    assert md_text("<b>*x*</b> | [a](b) $m$") == "\\<b\\>\\*x\\*\\</b\\> \\| \\[a\\](b) \\$m\\$"
    assert md_text("max_tokens _em_") == "max_tokens \\_em\\_"  # GitHub never emphasises inside a word


def test_every_renderer_escapes_hostile_server_text() -> None:
    doc = hostile()
    evil = doc["targets"][-1]["name"]
    outputs = {
        "markdown": render_markdown(doc),
        "html": render_html(doc),
        "terminal": render_terminal(doc),
        "summary": render_summary(doc, shipped(), "old"),
        "diff": render_diff(diff_documents(shipped(), doc), "old", "new"),
        "badge": json.dumps(badge(doc, evil), ensure_ascii=False),
    }
    assert {name: raw_controls(text) for name, text in outputs.items()} == {name: [] for name in outputs}
    assert "\\x1b]0;pwned\\x07" in outputs["markdown"] and "\\x1b]0;pwned\\x07" in outputs["html"]
    assert "<script>alert" not in outputs["html"] and "&lt;script&gt;alert" in outputs["html"]
    assert outputs["html"].count("<script>") == 1  # the page's own
    for name in ("markdown", "summary", "diff"):  # rendered as GitHub would (raw HTML allowed), nothing is live
        page = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).render(outputs[name])
        assert "<script>alert" not in page and 'href="javascript' not in page, name


def test_coloured_terminal_output_carries_only_its_own_escape_sequences() -> None:
    text = render_terminal(hostile(), color=True)
    assert "\x1b]" not in text and "\x1b[2J" not in text and "\x07" not in text and "\x00" not in text
    assert set(re.findall(r"\x1b\[[0-9;]*m", text))  # colours are SGR sequences only


def test_pytest_and_junit_messages_are_escaped() -> None:
    ev = Evidence(request="POST /chat/completions", where="$.object", expected='"chat.completion"',
                  observed=HOSTILE)
    result = FeatureResult("reference", "chat.basic", Claim.SUPPORTED, Verdict.FAIL, Agreement.BROKEN,
                           checks=[CheckResult("schema.body", Severity.MUST, Outcome.FAILED, "t", ev)],
                           reason=HOSTILE)
    message = explain(result)
    assert raw_controls(message) == []
    assert "\\x1b[2J" in message and len(message.splitlines()) == 3


def test_a_hostile_answer_reaches_no_output_raw(tmp_path: Path) -> None:
    """End to end: a recorded answer whose field holds escapes; the terminal, junit.xml and every report."""
    cassettes = tmp_path / "cassettes"
    shutil.copytree(ROOT / "cassettes" / "reference", cassettes / "reference")
    path = cassettes / "reference" / "chat" / "chat.max_tokens.yaml"
    cassette = yaml.safe_load(path.read_text(encoding="utf-8"))
    response = cassette["interactions"][0]["response"]
    body = json.loads(response["body"]["string"])
    body["choices"][0]["finish_reason"] = "\x1b]0;pwned\x07\x1b[2J\x00\u202e"  # chat.finish_length shows it
    response["body"]["string"] = json.dumps(body)
    response["headers"]["content-length"] = [str(len(response["body"]["string"].encode()))]
    path.write_text(yaml.safe_dump(cassette), encoding="utf-8")
    reports = tmp_path / "reports"
    for verbose in ([], ["-v"]):
        out = subprocess.run([sys.executable, "-m", "conformance", "run", "--target", "reference", "--cassette-dir",
                              str(cassettes), "--report-dir", str(reports), "-k", "chat.max_tokens]", "--baseline",
                              "none", *verbose],
                             capture_output=True, text=True, timeout=300, cwd=ROOT)
        assert out.returncode == 1, out.stdout[-3000:] + out.stderr[-2000:]
        assert raw_controls(out.stdout + out.stderr) == []
        assert ("= FAILURES =" in out.stdout) is bool(verbose)  # pytest's failure blocks only with -v
    assert "\\x1b]0;pwned\\x07" in out.stdout  # -v shows the failure block, escaped
    row = json.loads((reports / "compat.json").read_text(encoding="utf-8"))["results"][0]
    kept = [value for c in row["checks"] for value in (c["evidence"] or {}).values() if isinstance(value, str)]
    assert any("\x1b]0;pwned\x07\x1b[2J\x00\u202e" in v for v in kept)  # the data keeps the facts; renderings escape
    for name in ("junit.xml", "compat.md", "compat.html", "summary.md"):
        text = (reports / name).read_text(encoding="utf-8")
        assert raw_controls(text) == [], name
    assert "\\x1b]0;pwned\\x07" in (reports / "junit.xml").read_text(encoding="utf-8")
