"""The compat.json document: a stable, versioned schema (documented in README "Report format")."""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .._version import __version__
from ..catalogue import FEATURES
from ..errors import UsageError
from ..grading import claims_exit_code
from ..runner.results import FeatureResult, TargetInfo
from ..verdicts import Agreement
from . import shape

SCHEMA_VERSION = "1.0"


def exit_code(results: list[dict[str, Any]]) -> int:
    """The claims exit code of report rows (policy: grading.claims_exit_code)."""
    return claims_exit_code(Agreement(r["agreement"]) for r in results)


def _summary(results: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "verdicts": dict(Counter(r["verdict"] for r in results)),
        "agreements": dict(Counter(r["agreement"] for r in results)),
        "exit_code": exit_code(results),
    }


def sdk_minor() -> str:
    """The installed openai SDK as major.minor: a patch release changes no shape, so reports do not churn on it."""
    from importlib.metadata import PackageNotFoundError, version  # not at import: `conformance lint` never needs it

    try:
        return ".".join(version("openai").split(".")[:2])
    except PackageNotFoundError:  # pragma: no cover - the SDK is a dependency
        return "unknown"


def inputs_time(targets: list[dict[str, Any]]) -> str | None:
    """The newest recording time of the targets when every one was replayed or linted (the report's inputs)."""
    times = []
    for target in targets:
        if target.get("mode") not in ("replay", "passive"):
            return None
        recorded = (target.get("cassettes") or {}).get("recorded_at")
        if isinstance(recorded, str) and recorded:
            times.append(recorded.split("..")[-1])
    return max(times) if times else None


def _stamped(doc: dict[str, Any]) -> dict[str, Any]:
    """`generated_at` from the inputs for a replayed report (same cassettes, same file), else the time now."""
    doc["generated_at"] = inputs_time(doc["targets"]) or datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return doc


def build_document(results: list[FeatureResult], targets: list[TargetInfo]) -> dict[str, Any]:
    """Assemble the report document from run results."""
    rows = [r.to_dict() for r in results]
    return canonical(_stamped({
        "schema_version": SCHEMA_VERSION,
        "generated_at": "",
        "tool": {"name": "openai-compat-conformance", "version": __version__, "openai_sdk": sdk_minor()},
        "features": [{"id": f.id, "surface": f.surface.value, "title": f.title, "tier": f.tier.value,
                      "source": f.source} for f in FEATURES],
        "targets": [t.to_dict() for t in targets],
        "results": rows,
        "summary": _summary(rows),
    }))


def canonical(doc: dict[str, Any]) -> dict[str, Any]:
    """Stable order, whatever order cells ran in: targets by name, cells by target then catalogue order."""
    doc["targets"] = sorted(doc["targets"], key=lambda t: str(t["name"]))
    order = {f["id"]: i for i, f in enumerate(doc["features"])}
    names = {t["name"]: i for i, t in enumerate(doc["targets"])}
    doc["results"] = sorted(doc["results"], key=lambda r: (names.get(r["target"], len(names)), str(r["target"]),
                                                           order.get(r["feature"], len(order)), str(r["feature"])))
    return doc


def load_documents(paths: list[Path]) -> list[dict[str, Any]]:
    """Read report documents; a bad file (unreadable, another schema version, a wrong shape) is one UsageError line."""
    docs = []
    for path in paths:
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise UsageError(f"report {path}: cannot read ({type(exc).__name__}: {exc})") from None
        if not isinstance(doc, dict) or doc.get("schema_version") != SCHEMA_VERSION:
            found = doc.get("schema_version") if isinstance(doc, dict) else None
            raise UsageError(f"report {path}: schema_version {found!r} is not {SCHEMA_VERSION}")
        wrong = shape.problem(doc)
        if wrong:
            raise UsageError(f"report {path}: not a compat.json report of schema {SCHEMA_VERSION} ({wrong})")
        docs.append(doc)
    return docs


def merge_documents(docs: list[dict[str, Any]]) -> dict[str, Any]:
    """Merge several documents into one matrix; later documents win per (target, feature)."""
    if not docs:
        raise UsageError("no report documents to merge")
    targets: dict[str, dict[str, Any]] = {}
    results: dict[tuple[str, str], dict[str, Any]] = {}
    for doc in docs:
        for target in doc["targets"]:
            targets[target["name"]] = target
        for row in doc["results"]:
            results[(row["target"], row["feature"])] = row
    merged = dict(docs[-1])
    merged["targets"] = list(targets.values())
    merged["results"] = list(results.values())
    merged["summary"] = _summary(merged["results"])
    return canonical(_stamped(merged) if inputs_time(merged["targets"]) else merged)
