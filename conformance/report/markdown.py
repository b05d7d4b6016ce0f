"""compat.md: the matrix with the claim beside each verdict, target provenance, then evidence per non-PASS cell."""

from __future__ import annotations

from typing import Any

_MARK = {"agrees": "✓", "better": "★ better than documented", "broken": "✗ claim broken",
         "inconclusive": "? inconclusive", "n/a": "(not applicable)"}


def _esc(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _cell(row: dict[str, Any] | None) -> str:
    if row is None:
        return "·"
    rep = row.get("repeat")
    runs = f" ({rep['passed']}/{rep['conclusive']} runs passed)" if rep else ""
    return f"**{row['verdict']}**{runs} · claimed {row['claim']} {_MARK[row['agreement']]}"


def _provenance(target: dict[str, Any]) -> str:
    cas = target.get("cassettes") or {}
    parts = [f"mode {target['mode']}", f"endpoint {target['endpoint']}"]
    if target.get("origin"):
        parts.append(target["origin"])
    if cas:
        parts.append(f"cassettes recorded {cas.get('recorded_at', '?')} against {cas.get('recorded_against', '?')} "
                     f"with openai {cas.get('openai_sdk', '?')}")
    parts.append(f"{target.get('requests_sent', 0)} live requests, {target.get('prompt_tokens', 0)}+"
                 f"{target.get('completion_tokens', 0)} tokens")
    leftovers = target.get("leftovers") or []
    parts.append(f"LEFT BEHIND on the provider: {', '.join(leftovers)}" if leftovers else "nothing left behind")
    return "; ".join(parts)


def render_markdown(doc: dict[str, Any]) -> str:
    """Render the whole report."""
    targets = [t["name"] for t in doc["targets"]]
    index = {(r["target"], r["feature"]): r for r in doc["results"]}
    out = ["# OpenAI compatibility matrix", "",
           f"Generated {doc['generated_at']} by {doc['tool']['name']} {doc['tool']['version']} "
           f"(openai SDK {doc['tool']['openai_sdk']}); report schema {doc['schema_version']}.", "",
           "Each cell: observed verdict · the provider's documented claim · whether the claim holds.", "",
           "| feature | tier | " + " | ".join(targets) + " |", "|---|---|" + "---|" * len(targets)]
    for feature in doc["features"]:
        if not any((t, feature["id"]) in index for t in targets):
            continue
        cells = " | ".join(_cell(index.get((t, feature["id"]))) for t in targets)
        out.append(f"| `{feature['id']}` {_esc(feature['title'])} | {feature['tier']} | {cells} |")
    out += ["", "## Targets", ""]
    out += [f"- **{t['name']}** ({t['title']}): {_esc(_provenance(t))}" for t in doc["targets"]]
    out += ["", "## Deviations and evidence", ""]
    for row in doc["results"]:
        if row["verdict"] == "PASS":
            continue
        out.append(f"### {row['target']} · `{row['feature']}` · {row['verdict']} "
                   f"(claimed {row['claim']}: {row['agreement']})")
        for src in row.get("claim_sources") or []:
            out.append(f"- claim *{src['claim']}*: {_esc(src['source'])}")
        if row.get("reason"):
            out.append(f"- reason: {_esc(row['reason'])}")
        for chk in row["checks"]:
            if chk["outcome"] in ("passed", "skipped"):
                continue
            ev = chk.get("evidence") or {}
            out.append(f"- `{chk['id']}` ({chk['severity']}, {chk['outcome']}): {_esc(chk['title'])} — "
                       f"request `{_esc(ev.get('request', ''))}` at `{_esc(ev.get('where', ''))}`: expected "
                       f"{_esc(ev.get('expected', ''))}; observed {_esc(ev.get('observed', ''))}")
            out += [f"  - {_esc(line)}" for line in ev.get("details") or []]
        out.append("")
    return "\n".join(out).rstrip() + "\n"
