"""`python -m conformance.drift` (run by `nox -s drift` with the newest SDK allowed): what a new SDK would change.

1. Regenerates the wire schemas from the installed SDK into a temporary folder and names the types whose shape
   differs from the shipped schemas/.
2. Replays the shipped cassettes twice, with the shipped schemas and with the new ones, and lists every cell whose
   verdict differs from the shipped report. The cassettes are the same in every replay, so each change listed is
   the SDK's (its shapes, or what its parser accepts), never the provider's: a provider change shows up only when
   a target is re-recorded.
Exit status: 0 nothing changes, 1 some type or cell changes (a report, not a failure of the suite), 2 usage error.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path
from typing import Any

from .schemagen import build, changed_types, render
from .schemas import schema_dir

ROOT = Path(__file__).resolve().parent.parent


def _replay(report_dir: Path, schemas: Path | None) -> dict[str, Any]:
    """Replay every shipped cassette set (network blocked) and return its report."""
    env = dict(os.environ)
    if schemas is not None:
        env["CONFORMANCE_SCHEMA_DIR"] = str(schemas)
    subprocess.run([sys.executable, "-m", "conformance", "run", "--baseline", "none", "--report-dir",
                    str(report_dir), "-q"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=900,
                   check=False)
    doc: dict[str, Any] = json.loads((report_dir / "compat.json").read_text(encoding="utf-8"))
    return doc


def changed_cells(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """`target feature: VERDICT -> VERDICT` for each cell whose verdict differs (present in both)."""
    old = {(r["target"], r["feature"]): r["verdict"] for r in before["results"]}
    return [f"{r['target']} {r['feature']}: {old[(r['target'], r['feature'])]} -> {r['verdict']}"
            for r in after["results"] if old.get((r["target"], r["feature"]), r["verdict"]) != r["verdict"]]


def main() -> int:
    """Print the changed types and the cells a move to the installed SDK would change."""
    shipped_report = ROOT / "reports" / "compat.json"
    if not shipped_report.is_file():
        print(f"drift: {shipped_report} not found (run from a checkout)", file=sys.stderr)
        return 2
    shipped = json.loads(shipped_report.read_text(encoding="utf-8"))
    print(f"drift: installed openai {version('openai')}; shipped report made with openai "
          f"{shipped['tool']['openai_sdk']}")
    with tempfile.TemporaryDirectory(prefix="conformance-drift-") as tmp:
        new_schemas = Path(tmp) / "schemas"
        new_schemas.mkdir()
        built = build()
        for name, schema in built.items():
            (new_schemas / f"{name}.json").write_text(render(schema), encoding="utf-8")
        types = changed_types(built, schema_dir())
        print(f"types whose shape changed: {', '.join(types) if types else 'none'}")
        with_shipped = _replay(Path(tmp) / "old", None)
        with_new = _replay(Path(tmp) / "new", new_schemas)
    parser_cells = changed_cells(shipped, with_shipped)
    shape_cells = changed_cells(with_shipped, with_new)
    print(f"cells the installed SDK's parser changes on the shipped cassettes: {len(parser_cells)}")
    for line in parser_cells:
        print(f"  {line}")
    print(f"cells the new shapes change on the shipped cassettes: {len(shape_cells)}")
    for line in shape_cells:
        print(f"  {line}")
    if types or parser_cells or shape_cells:
        print("these are SDK changes, not provider changes (same cassettes); to adopt the SDK: python -m "
              "conformance.schemagen, then conformance run --baseline none to accept the report")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
