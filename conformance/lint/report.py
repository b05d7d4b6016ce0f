"""The lint's report: the same compat document as a run (mode passive, one target per provider) plus a `lint` block."""

from __future__ import annotations

import json
from typing import Any

from ..catalogue import FEATURES
from ..checks import CHECKS
from ..errors import UsageError
from ..grading import lint_exit_code
from ..profiles import builtin_names, load_profile
from ..report import build_document, render_markdown
from ..report.escape import md_text
from ..runner.results import FeatureResult, TargetInfo
from ..verdicts import Verdict
from .fold import fold
from .redact import scrub
from .routes import session_rows
from .runner import LintRun, Provenance

NOT_LINTED = "not linted yet: no realtime checks in this install; sessions and frames are only counted"


def _target(label: str, provider: str, prov: Provenance, run: LintRun, title: str) -> TargetInfo:
    dates = sorted(prov.dates)
    span = f"{dates[0]}..{dates[-1]}" if dates else "unknown (no Date headers)"
    clients = ", ".join(sorted(prov.clients)) or "unknown clients"
    counts: dict[str, Any] = {"graded": prov.graded, "skipped": dict(prov.skipped.most_common()),
                              "unreadable": prov.unreadable}
    if run.unreadable:
        counts["unreadable_files_of_unknown_provider"] = len(run.unreadable) - sum(
            p.unreadable for p in run.provenance.values())
    return TargetInfo(
        name=label, title=title, mode="passive", endpoint=", ".join(sorted(prov.hosts)),
        origin=f"passive lint of {prov.interactions} recorded {provider} interactions under {', '.join(run.roots)}; "
               "no request was sent",
        cassettes={"recorded_at": span, "recorded_against": ", ".join(sorted(prov.hosts)),
                   "openai_sdk": f"n/a (recorded by {clients})"}, interactions=counts)


def stats(run: LintRun) -> dict[str, Any]:
    """The `lint` block: what was read, per format, every finding."""
    return {
        "roots": run.roots,
        "files": run.files,
        "unreadable": [{"file": f, "reason": r} for f, r in run.unreadable],
        "skipped_files": [{"file": f, "reason": r} for f, r in run.skipped_files],
        "interactions": run.interactions,
        "graded": run.graded,
        "per_format": dict(sorted(run.formats.items())),
        "websocket": {"sessions": len(run.sessions), "frames": sum(s.frames for s in run.sessions),
                      "graded_sessions": run.graded_sessions,
                      "status": f"frames checked ({', '.join(session_rows())})" if run.graded_sessions
                      else NOT_LINTED if run.sessions else "no session logs"},
        "not_graded": dict(run.not_graded.most_common()),
        "findings": [{"provider": f.provider, "feature": f.feature, "check": f.check, "outcome": f.outcome,
                      "ref": f.ref, "detail": f.detail} for f in run.findings],
        "elapsed_s": round(run.elapsed, 3),
        "interactions_per_s": round(run.rate, 1),
    }


def results(run: LintRun, target_name: str | None = None) -> tuple[list[FeatureResult], list[TargetInfo]]:
    """Folded cells and one TargetInfo per provider that has any (renamed to `target_name` when given)."""
    providers = sorted({p for p, _ in run.cells})
    if target_name and len(providers) > 1:
        raise UsageError(f"lint: --target-name needs recordings of one provider; found {', '.join(providers)} "
                         "(use --provider to pick one)")
    bundled = set(builtin_names())
    rows: list[FeatureResult] = []
    targets: list[TargetInfo] = []
    for provider in providers:
        profile = load_profile(provider) if provider in bundled else None
        label = target_name or f"{provider} (passive)"
        title = f"{profile.title if profile else provider}, passive lint of recordings"
        targets.append(_target(label, provider, run.provenance[provider], run, title))
        rows += [fold(label, f.id, run.cells[(provider, f.id)], profile) for f in FEATURES
                 if (provider, f.id) in run.cells]
    return rows, targets


def document(run: LintRun, target_name: str | None = None) -> dict[str, Any]:
    """The compat document (schema 1.0) with the `lint` block added."""
    rows, targets = results(run, target_name)
    doc = build_document(rows, targets)
    doc["summary"]["exit_code"] = exit_status(doc)
    doc["lint"] = stats(run)
    return json.loads(scrub(json.dumps(doc, ensure_ascii=False)))


def _esc(text: str) -> str:
    return md_text(text)


def markdown(doc: dict[str, Any]) -> str:
    """The usual compat.md, then what the lint read and every finding by interaction."""
    lint = doc["lint"]
    out = [render_markdown(doc).rstrip(), "", "## Passive lint", "",
           f"- read {lint['files']} files under {', '.join(lint['roots'])}: {lint['interactions']} HTTP interactions "
           f"({lint['graded']} graded), {lint['websocket']['sessions']} WebSocket sessions "
           f"({lint['websocket']['frames']} frames, {lint['websocket']['status']})",
           "- interactions per format: " + ", ".join(f"{k} {v}" for k, v in lint["per_format"].items())]
    out += [f"- not graded: {v} x {k}" for k, v in lint["not_graded"].items()]
    out += [f"- unreadable: `{u['file']}`: {_esc(u['reason'])}" for u in lint["unreadable"]]
    out += [f"- skipped, not a recording: `{u['file']}`: {_esc(u['reason'])}" for u in lint.get("skipped_files", [])]
    out += ["", "### Non-passing checks (what the recordings show)", ""]
    out += _by_check(lint["findings"]) or ["- none"]
    out += ["", "### Findings by interaction", ""]
    out += [f"- {f['provider']} · `{f['feature']}` · `{f['check'] or 'status'}` ({f['outcome']}): {_esc(f['detail'])}"
            for f in lint["findings"]] or ["- none"]
    return "\n".join(out) + "\n"


def _by_check(findings: list[dict[str, Any]]) -> list[str]:
    """One line per (provider, check): the check's title, how often, the first evidence."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for f in findings:
        groups.setdefault((f["provider"], f["check"] or f"status {f['outcome']}"), []).append(f)
    lines = []
    for (provider, check), found in groups.items():
        title = CHECKS.get(check).title if check in CHECKS else "verdict decided by the HTTP status"
        outcomes = "/".join(sorted({f["outcome"] for f in found}))
        lines.append(f"- {provider} · `{check}` {_esc(title)} — {outcomes} on {len(found)} interaction(s), e.g. "
                     f"{_esc(found[0]['detail'])}")
    return lines


def exit_status(doc: dict[str, Any]) -> int:
    """The lint's exit code: 0 when no cell is FAIL, 1 otherwise (claims are compared, not enforced)."""
    return lint_exit_code(Verdict(r["verdict"]) for r in doc["results"])
