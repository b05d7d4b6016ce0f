"""compat.html: one self-contained page (inline CSS and script, no network) with the matrix, filters and evidence.

Rendered with Jinja2 from the package's `templates/compat.html.j2`. Autoescape is on, and every value the
template prints first goes through `escape_controls` (the environment's `finalize`), so no server-chosen text
reaches the page raw.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

import jinja2

from .escape import escape_controls
from .evidence import problem_checks, reproduction, rerun_command
from .matrix import AGREEMENT_WORDS, MARK, SHORT, VERDICT_ORDER, Matrix, core_share, counts_line

TEMPLATE = "compat.html.j2"


@dataclass
class Cell:
    """One cell as the page shows it: the button text and the evidence panel."""

    target: int
    row: int
    result: dict[str, Any]
    short: str
    mark: str
    problems: list[dict[str, Any]]
    reproduce_kind: str
    reproduce: str
    rerun: str


@dataclass
class Line:
    """One matrix row with a cell (or None) per target."""

    id: str
    title: str
    tier: str
    surface: str
    cells: list[Cell | None] = field(default_factory=list)


def _finalize(value: Any) -> Any:
    """Every printed value: control characters escaped (newlines kept for <pre> blocks), None as nothing."""
    if value is None:
        return ""
    return escape_controls(value, multiline=True)


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.PackageLoader("conformance.report", "templates"),
                              autoescape=True, finalize=_finalize, undefined=jinja2.ChainableUndefined,
                              trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def flatten(value: Any, prefix: str = "") -> list[tuple[str, str]]:
    """Nested provenance (the cassettes' _meta.json) as (dotted key, text) pairs, lists joined by commas."""
    if isinstance(value, dict):
        return [pair for key, item in value.items() for pair in flatten(item, f"{prefix}{key}.")]
    if isinstance(value, list):
        return [(prefix.rstrip("."), ", ".join(str(v) for v in value))]
    return [(prefix.rstrip("."), "" if value is None else str(value))]


def _provenance(target: dict[str, Any]) -> list[tuple[str, str]]:
    facts = [("mode", target.get("mode", "")), ("endpoint", target.get("endpoint", "")),
             ("origin", target.get("origin", ""))]
    facts += flatten(target.get("cassettes") or {}, "cassettes.")
    facts.append(("live requests sent", str(target.get("requests_sent", 0))))
    facts.append(("tokens", f"{target.get('prompt_tokens', 0)} prompt + {target.get('completion_tokens', 0)} "
                            "completion"))
    leftovers = target.get("leftovers") or []
    facts.append(("left behind on the provider", ", ".join(leftovers) if leftovers else "nothing"))
    known = {"name", "title", "mode", "endpoint", "origin", "cassettes", "requests_sent", "prompt_tokens",
             "completion_tokens", "leftovers"}
    facts += flatten({k: v for k, v in target.items() if k not in known})
    return [(k, v) for k, v in facts if v != ""]


def _lines(matrix: Matrix) -> list[Line]:
    lines = []
    for ri, row in enumerate(matrix.rows):
        line = Line(row.id, row.title, row.tier, row.surface)
        for ti, target in enumerate(matrix.targets):
            result = matrix.cell(target["name"], row.id)
            if result is None:
                line.cells.append(None)
                continue
            rep = reproduction(result)
            line.cells.append(Cell(ti, ri, result, SHORT.get(result["verdict"], result["verdict"]),
                                   MARK.get(result["agreement"], ""), problem_checks(result), rep.kind, rep.text,
                                   rerun_command(result, target)))
        lines.append(line)
    return lines


def render_html(doc: dict[str, Any]) -> str:
    """The whole page for a report document."""
    matrix = Matrix.of(doc)
    targets = []
    for target in matrix.targets:
        counts = matrix.counts(target["name"])
        targets.append({"name": target["name"], "label": target.get("label") or "", "title": target.get("title", ""),
                        "mode": target.get("mode", ""),
                        "core": core_share(counts), "counts": counts_line(counts), "broken": counts.broken,
                        "provenance": _provenance(target)})
    lines = _lines(matrix)
    by_id = {line.id: line for line in lines}
    surfaces = [(s, [by_id[r.id] for r in rows]) for s, rows in matrix.grouped()]
    present = set(matrix.verdicts_present())
    return _environment().get_template(TEMPLATE).render(
        doc=doc, targets=targets, surfaces=surfaces, verdicts=[v for v in VERDICT_ORDER if v in present],
        agreements=[(a, MARK[a], AGREEMENT_WORDS[a]) for a in AGREEMENT_WORDS], short=SHORT)
