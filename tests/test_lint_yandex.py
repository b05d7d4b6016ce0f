"""The Yandex passive column (reports/yandex-passive.*) names every quirk listed in the recordings' INDEX.md."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from conformance.lint import document, lint_paths

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "reports" / "yandex-passive.json"
RECORDINGS = ROOT.parent / "shared" / "reference" / "yandex" / "recordings"
LABEL = "yandex-ai-studio (passive, public recordings 2025)"
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"

# INDEX.md quirk -> (check id, outcome, regex the evidence must match)
QUIRKS = {
    "bare-UUID completion ids": ("chat.id_format", "failed", rf"observed {UUID}$"),
    "tool call id equal to the function name": ("tools.unique_ids", "failed", r"distinct from the function name; "
                                                r"observed (something|calculator)$"),
    "usage chunk sent unasked": ("stream.no_usage_unasked", "failed", r"include_usage not sent\); observed \{"),
    "empty-string tool-call deltas": ("stream.tool_delta_keys", "failed", r"absent in a continuation delta; "
                                      r'observed ""$'),
    'type: "" on a tool-call delta': ("stream.tool_delta_keys", "failed", r"tool_calls\[0\]\.type: expected function"),
    "error envelope without code/param": ("errors.envelope_complete", "failed", r"missing \['param', 'code'\]"),
    "parallel_tool_calls false ignored": ("tools.parallel_false", "ignored", r"observed 2 calls"),
    "unknown parameters accepted silently": ("errors.unknown_param_rejected", "ignored",
                                             r"400 refusing \['top_k'\]; observed 200 \(accepted silently\)"),
}


def named(doc: dict[str, Any], check: str, outcome: str, pattern: str) -> list[str]:
    """Findings of the report that show this quirk."""
    return [f["ref"] for f in doc["lint"]["findings"]
            if f["check"] == check and f["outcome"] == outcome and re.search(pattern, f["detail"])]


def test_shipped_report_names_every_index_quirk() -> None:
    doc = json.loads(SHIPPED.read_text(encoding="utf-8"))
    assert [t["name"] for t in doc["targets"]] == [LABEL] and doc["targets"][0]["mode"] == "passive"
    missing = [quirk for quirk, spec in QUIRKS.items() if not named(doc, *spec)]
    assert missing == []
    markdown = SHIPPED.with_suffix(".md").read_text(encoding="utf-8")
    for check, _outcome, _pattern in QUIRKS.values():
        assert f"`{check}`" in markdown


def test_shipped_report_verdicts_follow_the_quirks() -> None:
    doc = json.loads(SHIPPED.read_text(encoding="utf-8"))
    verdicts = {r["feature"]: r["verdict"] for r in doc["results"]}
    assert verdicts["chat.parallel_tool_calls"] == "IGNORED"
    assert verdicts["chat.unknown_params"] == "DEVIATION"
    assert verdicts["chat.errors"] == "DEVIATION"
    assert verdicts["chat.basic"] == "DEVIATION"


def test_shipped_report_quotes_no_folder_id() -> None:
    for path in (SHIPPED, SHIPPED.with_suffix(".md")):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\bb1g[a-z0-9]{17}\b", text) and "gpt://<FOLDER_ID>/" in text


@pytest.mark.skipif(not RECORDINGS.is_dir(), reason=f"{RECORDINGS} is absent (CI has it beside the clone)")
def test_fresh_lint_matches_the_shipped_column() -> None:
    fresh = document(lint_paths([RECORDINGS]), LABEL)
    shipped = json.loads(SHIPPED.read_text(encoding="utf-8"))
    assert {r["feature"]: r["verdict"] for r in fresh["results"]} == \
        {r["feature"]: r["verdict"] for r in shipped["results"]}
    assert [quirk for quirk, spec in QUIRKS.items() if not named(fresh, *spec)] == []
