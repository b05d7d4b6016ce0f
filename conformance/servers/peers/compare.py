"""Comparing two recordings of one peer: verdicts cell by cell, and each interaction's response body.

A body difference is explained by the JSON paths that differ: when every one of them is an id or a timestamp
(`id`, `*_id`, `created`, `created_at`, `system_fingerprint`, ...) the difference is "ids/timestamps", which the
verdicts never depend on; anything else is listed as "content".
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

_VOLATILE = re.compile(r"(^|\.)(id|[a-z_]*_id|created|created_at|completed_at|expires_at|system_fingerprint|"
                       r"[a-z_]*_at|timestamp|date)(\[\d+\])?$")
_VOLATILE_HEADERS = ("date", "x-request-id", "request-id", "x-process-time", "server-timing")


@dataclass
class Comparison:
    """The result: verdict changes per cell and body differences per interaction."""

    target: str
    cells: int = 0
    verdict_changes: list[str] = field(default_factory=list)
    body_differences: list[str] = field(default_factory=list)
    interactions: int = 0

    @property
    def same_verdicts(self) -> bool:
        """Whether every cell has the same verdict in both recordings."""
        return not self.verdict_changes

    def lines(self) -> list[str]:
        """A summary line, then one line per verdict change and per differing interaction."""
        head = (f"{self.target}: {self.cells} cells, {len(self.verdict_changes)} verdict(s) differ; "
                f"{self.interactions} interactions, {len(self.body_differences)} response bodies differ")
        return [head, *(f"  verdict {line}" for line in self.verdict_changes),
                *(f"  body {line}" for line in self.body_differences)]


def _cells(report: Path, target: str) -> dict[str, str]:
    doc = json.loads(report.read_text(encoding="utf-8"))
    return {r["feature"]: r["verdict"] for r in doc.get("results", []) if r.get("target") == target}


def _events(body: str) -> list[Any]:
    """A body as JSON values: one document, or one per SSE `data:` line, else the raw text."""
    try:
        return [json.loads(body)]
    except ValueError:
        pass
    events: list[Any] = []
    for line in body.splitlines():
        if line.startswith("data:"):
            data = line[5:].strip()
            try:
                events.append(json.loads(data))
            except ValueError:
                events.append(data)
    return events or [body]


def diff_paths(a: Any, b: Any, path: str = "") -> list[str]:
    """The JSON paths where two values differ (a type change or a leaf change is one path)."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for key in sorted(set(a) | set(b), key=str):
            sub = f"{path}.{key}" if path else str(key)
            out += diff_paths(a.get(key), b.get(key), sub) if key in a and key in b else [sub]
        return out
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{path}[len]"]
        return [p for i, (x, y) in enumerate(zip(a, b, strict=True)) for p in diff_paths(x, y, f"{path}[{i}]")]
    return [] if a == b else [path or "(body)"]


def explain(a: str, b: str) -> tuple[list[str], str]:
    """The differing paths of two bodies and why: "ids/timestamps" or "content"."""
    ea, eb = _events(a), _events(b)
    if len(ea) == len(eb) == 1:
        paths = diff_paths(ea[0], eb[0])
    else:
        paths = diff_paths(ea, eb) if len(ea) == len(eb) else ["(number of events)"]
    volatile = all(_VOLATILE.search(p.split("]", 1)[-1].lstrip(".") or p) for p in paths)
    return paths, "ids/timestamps" if volatile else "content"


def _body(interaction: dict[str, Any]) -> str:
    body = (interaction.get("response") or {}).get("body") or {}
    value = body.get("string", "") if isinstance(body, dict) else body
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def compare_cassettes(first: Path, second: Path) -> tuple[int, list[str]]:
    """Interactions compared and a line per differing response body (cassette, index, paths, why)."""
    count, lines = 0, []
    for file in sorted(first.rglob("*.yaml")):
        rel = file.relative_to(first)
        other = second / rel
        a = (yaml.safe_load(file.read_text(encoding="utf-8")) or {}).get("interactions") or []
        if not other.exists():
            lines.append(f"{rel}: only in the first recording")
            continue
        b = (yaml.safe_load(other.read_text(encoding="utf-8")) or {}).get("interactions") or []
        if len(a) != len(b):
            lines.append(f"{rel}: {len(a)} vs {len(b)} interactions")
        for i, (x, y) in enumerate(zip(a[:len(b)], b[:len(a)], strict=True)):
            count += 1
            ba, bb = _body(x), _body(y)
            if ba != bb:
                paths, why = explain(ba, bb)
                shown = ", ".join(paths[:6]) + (" …" if len(paths) > 6 else "")
                lines.append(f"{rel}#{i}: {why} ({shown})")
    return count, lines


def compare_runs(first: Path, second: Path, target: str) -> Comparison:
    """Compare two record runs laid out as <run>/report/compat.json and <run>/cassettes/<target>/."""
    result = Comparison(target)
    a, b = _cells(first / "report" / "compat.json", target), _cells(second / "report" / "compat.json", target)
    result.cells = len(set(a) | set(b))
    for feature in sorted(set(a) | set(b)):
        if a.get(feature) != b.get(feature):
            result.verdict_changes.append(f"{feature}: {a.get(feature, 'absent')} then {b.get(feature, 'absent')}")
    result.interactions, result.body_differences = compare_cassettes(first / "cassettes" / target,
                                                                     second / "cassettes" / target)
    return result
