"""What a cell's evidence says, read once for every renderer: the checks that did not pass and how to reproduce."""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass
from typing import Any

PROBLEM_OUTCOMES = ("failed", "ignored", "error")


@dataclass(frozen=True)
class Reproduction:
    """How to reproduce a cell: `kind` "curl"/"python"/… when the result carries a command, else "request"."""

    kind: str
    text: str


def problem_checks(row: dict[str, Any]) -> list[dict[str, Any]]:
    """Checks that failed, were ignored or were inconclusive, in the row's order."""
    return [c for c in row.get("checks") or [] if c.get("outcome") in PROBLEM_OUTCOMES]


def check_line(check: dict[str, Any]) -> str:
    """One line for a check: id, where, expected vs observed (plain text, not yet escaped)."""
    ev = check.get("evidence") or {}
    parts = [f"{check['id']} ({check.get('severity', '?')}, {check.get('outcome', '?')})"]
    if ev.get("where"):
        parts.append(f"at {ev['where']}")
    line = " ".join(parts)
    if ev.get("expected") or ev.get("observed"):
        line += f": expected {ev.get('expected', '')}; observed {ev.get('observed', '')}"
    return line


def headline(row: dict[str, Any]) -> str:
    """The one line that says why a cell is not PASS: the first problem check, else the reason."""
    problems = problem_checks(row)
    if problems:
        return check_line(problems[0])
    return row.get("reason") or ""


def request_summary(row: dict[str, Any]) -> str:
    """The requests behind a cell, one per line (the evidence's own request first when a check names one)."""
    named = [(c.get("evidence") or {}).get("request", "") for c in problem_checks(row)]
    seen = dict.fromkeys([r for r in named if r] + list(row.get("requests") or []))
    return "\n".join(seen)


def _command_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return str(value.get("command") or value.get("text") or json.dumps(value, ensure_ascii=False, indent=1))
    if isinstance(value, list):
        return "\n".join(_command_text(v) for v in value)
    return json.dumps(value, ensure_ascii=False)


def reproduction(row: dict[str, Any]) -> Reproduction:
    """The result's own reproduction command when it carries one (`reproduce`), else the request summary."""
    given = row.get("reproduce")
    if given:
        kind = given.get("kind", "command") if isinstance(given, dict) else "command"
        text = _command_text(given)
        if text.lstrip().startswith("curl"):
            kind = "curl"
        return Reproduction(kind, text)
    return Reproduction("request", request_summary(row))


def rerun_command(row: dict[str, Any], target: dict[str, Any] | None) -> str:
    """The `conformance` command that runs just this cell again ("" for a passive column: nothing was sent)."""
    mode = (target or {}).get("mode", "replay")
    if mode == "passive":
        return ""
    args = ["conformance", "run", "--target", row["target"]]
    if mode in ("live", "record"):
        args += ["--mode", "live"]
    args += ["-k", f"{row['feature']}]"]  # test ids end in "-<feature>]": exactly this row
    return shlex.join(args)
