"""The package's import graph: no cycle anywhere, and the layers contract in pyproject.toml holds."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_no_import_cycle_in_the_package() -> None:
    graph = grimp.build_graph("conformance")
    cycles = []
    for module in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            back = graph.find_shortest_chain(importer=imported, imported=module)
            if back is not None and module < imported:
                cycles.append(" -> ".join((module, *back)))
    assert cycles == [], "import cycles:\n" + "\n".join(cycles)


@pytest.mark.skipif(shutil.which("lint-imports") is None, reason="import-linter is not installed (pip install .[dev])")
def test_layers_contract_holds() -> None:
    out = subprocess.run(["lint-imports"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout[-3000:]
