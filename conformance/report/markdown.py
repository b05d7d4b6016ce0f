"""compat.md: the matrix with the claim beside each verdict, target provenance, then evidence per non-PASS cell."""

from __future__ import annotations

import re
from typing import Any

from .escape import escape_controls, md_code, md_text

_MARK = {"agrees": "✓", "better": "★ better than documented", "broken": "✗ claim broken",
         "inconclusive": "? inconclusive", "n/a": "(not applicable)"}


def _esc(text: str) -> str:
    return md_text(text)


def _cell(row: dict[str, Any] | None) -> str:
    if row is None:
        return "·"
    rep = row.get("repeat")
    runs = f" ({rep['passed']}/{rep['conclusive']} runs passed)" if rep else ""
    notes = "".join(f" ({note})" for note in _notes(row))
    return f"**{row['verdict']}**{runs}{notes} · claimed {row['claim']} {_MARK[row['agreement']]}"


def _notes(row: dict[str, Any]) -> list[str]:
    """What the verdict rests on: not discriminating (could not have failed), model-dependent checks."""
    notes = ["not discriminating"] if row.get("not_discriminating") else []
    notes += ["also affected by a shape finding"] if row.get("also_affected_by") else []
    if row.get("model_dependent"):
        server = row.get("server_verdict")
        notes.append(f"model-dependent; server's own checks: {server}" if server else "model-dependent")
    return notes


def _provenance(target: dict[str, Any]) -> str:
    cas = target.get("cassettes") or {}
    parts = [f"mode {target['mode']}", f"endpoint {target['endpoint']}"]
    if target.get("origin"):
        parts.append(target["origin"])
    if cas:
        parts.append(f"cassettes recorded {cas.get('recorded_at', '?')} against {cas.get('recorded_against', '?')} "
                     f"with openai {cas.get('openai_sdk', '?')}")
    if target.get("mode") == "passive":  # nothing was sent: say what was read, not what a run would have cost
        return "; ".join([*parts, _read(target.get("interactions") or {})])
    parts.append(f"{target.get('requests_sent', 0)} live requests, {target.get('prompt_tokens', 0)}+"
                 f"{target.get('completion_tokens', 0)} tokens")
    used = {s: u for s, u in (target.get("usage") or {}).items() if any(u.values())}
    if used:
        parts.append("per surface: " + ", ".join(
            f"{surface} {u['requests']} requests {u['prompt_tokens']}+{u['completion_tokens']} tokens"
            for surface, u in sorted(used.items())))
    budget = target.get("budget")
    if budget:
        limits = [f"{budget['charged_requests']} of {budget['max_requests']} requests"] if budget["max_requests"] \
            else [f"{budget['charged_requests']} requests"]
        limits.append(f"{budget['charged_tokens']} of {budget['max_tokens']} tokens" if budget["max_tokens"]
                      else f"{budget['charged_tokens']} tokens")
        skipped = budget.get("not_sent") or []
        parts.append(f"budget charged {' and '.join(limits)}"
                     + (f"; not sent for the budget: {', '.join(skipped)}" if skipped else ""))
    leftovers = target.get("leftovers") or []
    parts.append(f"LEFT BEHIND on the provider: {', '.join(leftovers)}" if leftovers else "nothing left behind")
    not_stored = target.get("not_stored") or []
    if not_stored:
        parts.append(f"not stored (the create answered, the delete found nothing: 404): {', '.join(not_stored)}")
    return "; ".join(parts)


def _read(counts: dict[str, Any]) -> str:
    """A passive column's interactions: graded, skipped with their reasons, unreadable."""
    skipped = counts.get("skipped") or {}
    reasons = ", ".join(f"{n} {why}" for why, n in skipped.items())
    orphans = counts.get("unreadable_files_of_unknown_provider")
    return (f"{counts.get('graded', 0)} interactions graded, {sum(skipped.values())} skipped"
            + (f" ({reasons})" if reasons else "") + f", {counts.get('unreadable', 0)} unreadable"
            + (f" (and {orphans} unreadable file(s) of unknown provider)" if orphans else ""))


def evidence_anchor(target: str, feature: str) -> str:
    """The HTML id of a cell's evidence section in compat.md (`ev-<target>-<feature>`, lower-case, dashes)."""
    return "ev-" + re.sub(r"[^a-z0-9]+", "-", f"{target}-{feature}".lower()).strip("-")


def has_evidence(row: dict[str, Any]) -> bool:
    """Whether compat.md has an evidence section for this cell (every cell but a plain PASS)."""
    return not (row["verdict"] == "PASS" and not _notes(row))


def render_markdown(doc: dict[str, Any]) -> str:
    """Render the whole report."""
    targets = [t["name"] for t in doc["targets"]]
    columns = [t.get("label") or t["name"] for t in doc["targets"]]
    index = {(r["target"], r["feature"]): r for r in doc["results"]}
    out = ["# OpenAI compatibility matrix", "",
           f"Generated {doc['generated_at']} by {doc['tool']['name']} {doc['tool']['version']} "
           f"(openai SDK {doc['tool']['openai_sdk']}); report schema {doc['schema_version']}.", "",
           "Each cell: observed verdict · the provider's documented claim · whether the claim holds.", "",
           "| feature | tier | " + " | ".join(_esc(c) for c in columns) + " |", "|---|---|" + "---|" * len(targets)]
    for feature in doc["features"]:
        if not any((t, feature["id"]) in index for t in targets):
            continue
        cells = " | ".join(_cell(index.get((t, feature["id"]))) for t in targets)
        name = md_code(feature["id"], in_table=True)
        out.append(f"| {name} {_esc(feature['title'])} | {feature['tier']} | {cells} |")
    out += ["", "## Targets", ""]
    out += [f"- **{_esc(t.get('label') or t['name'])}** ({_esc(t['title'])}): {_esc(_provenance(t))}"
            for t in doc["targets"]]
    out += ["", "## Deviations and evidence", ""]
    for row in doc["results"]:
        if not has_evidence(row):
            continue
        out.append(f'<a id="{evidence_anchor(row["target"], row["feature"])}"></a>')
        out.append(f"### {_esc(row['target'])} · {md_code(row['feature'])} · {row['verdict']} "
                   f"(claimed {row['claim']}: {row['agreement']})")
        for src in row.get("claim_sources") or []:
            out.append(f"- claim *{src['claim']}*: {_esc(src['source'])}")
        if row.get("reason"):
            out.append(f"- reason: {_esc(row['reason'])}")
        if row.get("not_discriminating"):
            out.append(f"- not discriminating (this PASS could not have failed): {_esc(row['not_discriminating'])}")
        for finding in row.get("also_affected_by") or []:
            out.append(f"- also affected by: {_esc(finding)}")
        if row.get("model_dependent"):
            out.append(f"- model-dependent: {', '.join(f'`{c}`' for c in row['model_dependent'])} depend on the "
                       "model's choice, not on the server; the forced variants carry the server's verdict"
                       + (f"; the server's own checks in this cell give {row['server_verdict']}"
                          if row.get("server_verdict") else ""))
        for chk in row["checks"]:
            if chk["outcome"] in ("passed", "skipped"):
                continue
            ev = chk.get("evidence") or {}
            out.append(f"- {md_code(chk['id'])} ({chk['severity']}, {chk['outcome']}): {_esc(chk['title'])} — "
                       f"request {md_code(ev.get('request', ''))} at {md_code(ev.get('where', ''))}: expected "
                       f"{_esc(ev.get('expected', ''))}; observed {md_code(ev.get('observed', ''))}")
            out += [f"  - {_esc(line)}" for line in ev.get("details") or []]
        if row.get("reproduce"):
            fence = "  ```python" if row["reproduce"].startswith("import ") else "  ```sh"
            out += ["- reproduce:", "", fence,
                    *[f"  {escape_controls(line).replace('```', '` ` `')}" for line in row["reproduce"].splitlines()],
                    "  ```"]
        out.append("")
    return "\n".join(out).rstrip() + "\n"
