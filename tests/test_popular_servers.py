"""The README's "Compatibility of popular servers" is derived from a report: claims against verdicts, evidence links,
what the tiny model decided kept apart, and the rows a tiny model cannot exercise."""

from __future__ import annotations

from typing import Any

from conformance.profiles.load import parse_profile
from conformance.report.markdown import evidence_anchor, render_markdown
from conformance.report.popular import highlights, servers_section

_PROFILE = {"target": {"name": "srv", "title": "A server 1.0", "label": "Server 1.0", "local_server": "infinity",
                       "base_url": "http://127.0.0.1:1/v1"},
            "auth": {"scheme": "none"},
            "model_limits": {"chat.parallel_tool_calls": "the tiny model answers one tool call"}}


def _row(feature: str, verdict: str, agreement: str = "agrees", **extra: Any) -> dict[str, Any]:
    check = {"id": "schema.body", "severity": "must", "outcome": "failed" if verdict == "FAIL" else "passed",
             "title": "The raw response JSON validates", "evidence": {"where": "$", "expected": "valid",
                                                                       "observed": "missing id"}}
    return {"target": "srv", "feature": feature, "claim": "supported", "claim_sources": [], "verdict": verdict,
            "agreement": agreement, "reason": "", "requests": [], "checks": [check], "repeat": None,
            "not_discriminating": "", "model_dependent": [], "server_verdict": None, "also_affected_by": [],
            "reproduce": "", **extra}


def _doc() -> dict[str, Any]:
    features = [{"id": f, "title": f, "tier": t, "surface": "chat", "source": ""} for f, t in (
        ("chat.basic", "core"), ("chat.tools.auto", "core"), ("chat.parallel_tool_calls", "optional"),
        ("embeddings.float", "core"), ("realtime.connect", "core"), ("chat.unknown_params", "extension"),
        ("files.crud", "optional"))]
    results = [_row("chat.basic", "PASS"),
               _row("chat.tools.auto", "DEVIATION", model_dependent=["tools.auto_called"], server_verdict="PASS"),
               _row("chat.parallel_tool_calls", "IGNORED"),
               _row("embeddings.float", "FAIL", "broken"),
               _row("realtime.connect", "SKIP"),
               _row("chat.unknown_params", "DEVIATION"),
               _row("files.crud", "REJECTED")]
    target = {"name": "srv", "title": "A server 1.0", "label": "Server 1.0", "mode": "replay", "endpoint": "local",
              "cassettes": {"local_server": {"network": "loopback only, outward connection attempts: 0"}}}
    return {"features": features, "results": results, "targets": [target], "generated_at": "", "schema_version": "1",
            "tool": {"name": "t", "version": "0", "openai_sdk": "0"}, "summary": {}}


def test_the_matrix_links_evidence_and_keeps_the_model_apart() -> None:
    profile = parse_profile(_PROFILE, "srv.toml")
    text = servers_section(_doc(), [profile])
    assert "| feature | tier | Server 1.0 |" in text
    assert "| `chat.basic` | core | PASS |" in text
    assert f"[FAIL ✗](reports/compat.md#{evidence_anchor('srv', 'embeddings.float')})" in text
    assert "DEVIATION (model; server PASS)" in text
    assert "IGNORED (tiny model)" in text
    assert "realtime.connect" not in text  # SKIP everywhere: not applicable, not shown
    assert "Recorded loopback only, outward connection attempts: 0." in text
    assert "- `chat.parallel_tool_calls`: the tiny model answers one tool call" in text


def test_highlights_put_broken_claims_first_and_leave_out_the_model() -> None:
    profile = parse_profile(_PROFILE, "srv.toml")
    doc = _doc()
    tiers = {f["id"]: f["tier"] for f in doc["features"]}
    top = [r["feature"] for r in highlights(doc["results"], profile, tiers)]
    assert top == ["embeddings.float", "chat.unknown_params"]  # files.crud: REJECTED, never claimed
    text = servers_section(doc, [profile])
    assert ("- `embeddings.float`: documented *supported*, observed [**FAIL**](reports/compat.md#ev-srv-embeddings-"
            "float) — The raw response JSON validates (`schema.body`): expected valid, observed `missing id`") in text


def test_every_linked_anchor_exists_in_compat_md() -> None:
    doc = _doc()
    page = render_markdown(doc)
    for row in doc["results"]:
        anchor = f'<a id="{evidence_anchor(row["target"], row["feature"])}"></a>'
        assert (anchor in page) == (row["verdict"] != "PASS" or bool(row["model_dependent"])), row["feature"]


def test_no_server_yet_says_so() -> None:
    assert servers_section({"targets": []}, []) == "_No real server has shipped recordings yet._"
