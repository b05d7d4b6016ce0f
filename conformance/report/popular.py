"""The README's "Compatibility of popular servers": the real servers' columns of a report, with a summary each.

Made from a report document (reports/compat.json) and the servers' profiles by `python -m conformance.docs`; a
self-test keeps the README in sync. Per server: what its documentation claims against what was observed (the
broken claims and the worst cells first, leaving out what only the tiny model decided), and the rows its tiny
model cannot exercise (the profile's `[model_limits]`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from ..grading import RANK
from ..profiles.model import TargetProfile
from ..verdicts import Verdict
from .escape import md_code, md_text
from .markdown import evidence_anchor, has_evidence

# Cells a summary never counts as the server's deviation: nothing was decided about the server there.
_NEUTRAL = {Verdict.PASS.value, Verdict.SKIP.value}
_TIER_ORDER = {"core": 0, "optional": 1, "extension": 2}
HIGHLIGHTS = 3
_SHORT = 100  # characters of expected/observed text in a summary line


def _esc(text: str) -> str:
    return md_text(text).replace("|", "\\|")


def _link(row: dict[str, Any], text: str, report: str) -> str:
    return f"[{text}]({report}#{evidence_anchor(row['target'], row['feature'])})" if has_evidence(row) else text


def _model_only(row: dict[str, Any], profile: TargetProfile) -> bool:
    """Whether the cell says more about the tiny model than about the server."""
    if row["feature"] in profile.model_limits:
        return True
    return bool(row.get("model_dependent")) and row.get("server_verdict") in (None, Verdict.PASS.value)


def _cell(row: dict[str, Any] | None, profile: TargetProfile, report: str) -> str:
    if row is None:
        return "·"
    if row["verdict"] == Verdict.SKIP.value:
        return "SKIP"
    text = row["verdict"]
    if row["agreement"] == "broken":
        text += " ✗"
    if row["feature"] in profile.model_limits:
        text += " (tiny model)"
    elif row.get("model_dependent"):
        server = row.get("server_verdict")
        text += f" (model; server {server})" if server else " (model)"
    return _link(row, text, report)


def _problem(row: dict[str, Any]) -> str:
    """The first server check that did not pass, as Markdown: its title and id, expected vs observed (shortened)."""
    for check in row.get("checks") or []:
        if check.get("outcome") in ("passed", "skipped") or check["id"] in (row.get("model_dependent") or ()):
            continue
        text = f"{_esc(check['title'])} ({md_code(check['id'])})"
        evidence = check.get("evidence") or {}
        if evidence.get("expected") or evidence.get("observed"):
            observed = str(evidence.get("observed", ""))
            observed = observed if len(observed) <= _SHORT else observed[:_SHORT] + "…"
            text += f": expected {_esc(str(evidence.get('expected', ''))[:_SHORT])}, observed {md_code(observed)}"
        return text
    return _esc(row.get("reason") or "")


def highlights(rows: list[dict[str, Any]], profile: TargetProfile, tiers: dict[str, str]) -> list[dict[str, Any]]:
    """The server's most important deviations: broken claims first, then core rows, then the lowest verdicts.

    A REJECTED row counts only when the documentation claimed the feature: an endpoint a server never offered is
    its scope, not a deviation (the matrix still shows it)."""
    own = [r for r in rows if r["verdict"] not in _NEUTRAL and not _model_only(r, profile)
           and (r["verdict"] != Verdict.REJECTED.value or r["agreement"] == "broken")]
    return sorted(own, key=lambda r: (r["agreement"] != "broken", _TIER_ORDER.get(tiers.get(r["feature"], ""), 3),
                                      RANK.get(Verdict(r["verdict"]), 9), r["feature"]))


def _counts(rows: list[dict[str, Any]]) -> str:
    counts = Counter(r["verdict"] for r in rows)
    order = [v.value for v in Verdict]
    return ", ".join(f"{counts[v]} {v}" for v in order if counts[v])


def _network(target: dict[str, Any]) -> str:
    local = (target.get("cassettes") or {}).get("local_server") or {}
    return str(local.get("network") or "")


def servers_section(doc: dict[str, Any], profiles: Sequence[TargetProfile], report: str = "reports/compat.md") -> str:
    """The section's Markdown body: the matrix of the given servers' columns, then one summary per server."""
    targets = {t["name"]: t for t in doc.get("targets", [])}
    shown = [p for p in profiles if p.name in targets]
    index = {(r["target"], r["feature"]): r for r in doc.get("results", [])}
    tiers = {f["id"]: f["tier"] for f in doc.get("features", [])}
    if not shown:
        return "_No real server has shipped recordings yet._"
    out = ["| feature | tier | " + " | ".join(_esc(targets[p.name].get("label") or p.column) for p in shown) + " |",
           "|---|---|" + "---|" * len(shown)]
    for feature in doc.get("features", []):
        cells = [index.get((p.name, feature["id"])) for p in shown]
        if all(c is None or c["verdict"] == Verdict.SKIP.value for c in cells):
            continue
        out.append(f"| `{feature['id']}` | {feature['tier']} | "
                   + " | ".join(_cell(c, p, report) for c, p in zip(cells, shown, strict=True)) + " |")
    for profile in shown:
        target = targets[profile.name]
        rows = [r for r in doc["results"] if r["target"] == profile.name and r["verdict"] != Verdict.SKIP.value]
        broken = sum(1 for r in rows if r["agreement"] == "broken")
        network = _network(target)
        out += ["", f"#### {_esc(target.get('label') or profile.column)}", "",
                f"{_esc(profile.title)}: {len(rows)} rows applicable ({_counts(rows)}); {broken} documented "
                f"claim(s) broken." + (f" Recorded {_esc(network)}." if network else "")]
        top = highlights(rows, profile, tiers)[:HIGHLIGHTS]
        if top:
            out += ["", "Most important deviations (the documentation's claim against what the server did):", ""]
            for row in top:
                problem = _problem(row)
                out.append(f"- `{row['feature']}`: documented *{row['claim']}*, observed "
                           f"{_link(row, '**' + row['verdict'] + '**', report)}"
                           + (f" — {problem}" if problem else ""))
        else:
            absent = sum(1 for r in rows if r["verdict"] == Verdict.REJECTED.value)
            tail = f"; the {absent} REJECTED row(s) are endpoints it neither offers nor claims." if absent else "."
            out += ["", "No deviation of the server's own: every applicable row passed or depended on the model only"
                    + tail]
        if profile.model_limits:
            out += ["", "Rows the tiny model cannot exercise (their verdicts describe the model, not the server):", ""]
            out += [f"- `{fid}`: {_esc(why)}" for fid, why in sorted(profile.model_limits.items())]
        else:
            out += ["", "Rows the tiny model cannot exercise: none declared (the profile has no `[model_limits]`)."]
    return "\n".join(out)
