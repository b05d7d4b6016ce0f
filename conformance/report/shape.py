"""The shape of a compat.json document (schema version 1.0) as a JSON Schema, checked whenever a report is read.

A report or `--baseline` file with the right `schema_version` but a wrong shape (a verdict that is not one,
`results` that is not a list) is one line naming the file and the JSON path, before anything runs.
"""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from ..verdicts import Agreement, Claim, Outcome, Severity, Verdict

_TEXT = {"type": "string"}
_CHECK = {
    "type": "object",
    "required": ["id", "outcome"],
    "properties": {
        "id": _TEXT, "title": _TEXT,
        "severity": {"enum": [s.value for s in Severity]},
        "outcome": {"enum": [o.value for o in Outcome]},
        "evidence": {"type": ["object", "null"],
                     "properties": {k: _TEXT for k in ("request", "where", "expected", "observed")}},
    },
}
_ROW = {
    "type": "object",
    "required": ["target", "feature", "claim", "verdict", "agreement", "checks"],
    "properties": {
        "target": _TEXT, "feature": _TEXT, "reason": _TEXT,
        "claim": {"enum": [c.value for c in Claim]},
        "verdict": {"enum": [v.value for v in Verdict]},
        "agreement": {"enum": [a.value for a in Agreement]},
        "claim_sources": {"type": "array", "items": {"type": "object", "properties": {"claim": _TEXT,
                                                                                      "source": _TEXT}}},
        "requests": {"type": "array", "items": _TEXT},
        "checks": {"type": "array", "items": _CHECK},
        "repeat": {"type": ["object", "null"],
                   "properties": {"passed": {"type": "integer"}, "conclusive": {"type": "integer"}}},
    },
}
REPORT_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["schema_version", "generated_at", "tool", "features", "targets", "results"],
    "properties": {
        "generated_at": _TEXT,
        "tool": {"type": "object", "required": ["name", "version", "openai_sdk"],
                 "properties": {"name": _TEXT, "version": _TEXT, "openai_sdk": _TEXT}},
        "features": {"type": "array", "items": {"type": "object", "required": ["id", "title", "tier"],
                                                "properties": {"id": _TEXT, "title": _TEXT, "tier": _TEXT}}},
        "targets": {"type": "array", "items": {"type": "object", "required": ["name", "title", "mode", "endpoint"],
                                               "properties": {k: _TEXT for k in ("name", "title", "mode",
                                                                                 "endpoint", "origin")}}},
        "results": {"type": "array", "items": _ROW},
        "summary": {"type": "object"},
    },
}
_VALIDATOR = Draft202012Validator(REPORT_SCHEMA)


def problem(doc: Any) -> str:
    """'' when `doc` has the report's shape, else `<json path>: <what is wrong>` for the most relevant error."""
    error = best_match(_VALIDATOR.iter_errors(doc))
    if error is None:
        return ""
    message = " ".join(error.message.split())
    return f"{error.json_path}: {message[:200]}"
