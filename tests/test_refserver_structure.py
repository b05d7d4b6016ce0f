"""The reference server's structure: no import cycles, typed faults that declare where they act, one dispatcher."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from conformance.refserver import FAULTS, Fault, hooks
from conformance.refserver import faults as F
from conformance.refserver.app import handle
from conformance.refserver.fault_types import Phase, Scope
from conformance.refserver.routes import ROUTES
from conformance.refserver.store import Store

PACKAGE = Path(__file__).resolve().parents[1] / "conformance" / "refserver"
AUTH = {"Authorization": "Bearer sk-test"}


def _trees() -> dict[str, ast.Module]:
    return {path.stem: ast.parse(path.read_text(), str(path)) for path in sorted(PACKAGE.glob("*.py"))}


def _imports(tree: ast.Module, modules: set[str]) -> set[str]:
    """Sibling modules a module imports, at top level or inside functions."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            found |= {node.module.split(".")[0]} if node.module else {alias.name for alias in node.names}
    return found & modules


def test_the_package_has_no_import_cycle() -> None:
    trees = _trees()
    graph = {name: _imports(tree, set(trees)) - {name} for name, tree in trees.items()}
    done: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        assert name not in path, f"import cycle: {' -> '.join((*path[path.index(name):], name))}"
        if name not in done:
            for dep in sorted(graph[name]):
                visit(dep, (*path, name))
            done.add(name)

    for name in graph:
        visit(name, ())


def test_every_module_has_a_docstring() -> None:
    assert [name for name, tree in _trees().items() if not ast.get_docstring(tree)] == []


def _tests_a_name(node: ast.Compare | ast.Call, names: set[str]) -> bool:
    """`"name" in x`, `"name" not in x` or `x.has("name")` for a fault name."""
    if isinstance(node, ast.Compare) and isinstance(node.left, ast.Constant) and node.left.value in names:
        return any(isinstance(op, (ast.In, ast.NotIn)) for op in node.ops)
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("has", "any") \
        and any(isinstance(arg, ast.Constant) and arg.value in names for arg in node.args)


def test_no_code_tests_a_fault_by_its_name() -> None:
    """`"stream_no_done" in faults` would be silently false on a typo; faults are tested through their constants."""
    names = set(FAULTS.names())
    found = [f"{module}:{node.lineno}" for module, tree in _trees().items()
             for node in ast.walk(tree) if isinstance(node, (ast.Compare, ast.Call)) and _tests_a_name(node, names)]
    assert found == []


def test_each_fault_is_the_module_constant_of_its_name() -> None:
    assert all(getattr(F, fault.name.upper(), None) is fault for fault in FAULTS.all())
    assert all(isinstance(fault.scope, Scope) for fault in FAULTS.all())


def test_a_fault_is_tested_through_a_registered_constant_only() -> None:
    active = FAULTS.active(["stream_no_done"])
    assert active.has(F.STREAM_NO_DONE) and not active.has(F.STREAM_DONE_TWICE)
    with pytest.raises(TypeError):
        active.has("stream_no_done")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="stream_no_done"):
        active.has(Fault("stream_no_done", "a look-alike", ()))
    with pytest.raises(ValueError, match="no_such_fault"):
        FAULTS.active(["no_such_fault"])


def test_every_fault_with_a_phase_has_one_dispatcher_action() -> None:
    assert hooks.unmatched() == []
    hooked = {f.name: (f.scope, f.phase) for f in FAULTS.all() if f.phase is not None}
    assert hooked == {"server_error": (Scope.EVERY_VALID_REQUEST, Phase.BEFORE),
                      "rate_limited": (Scope.EVERY_REQUEST, Phase.ADMIT),
                      "retrieve_id_differs": (Scope.OBJECT_RETRIEVES, Phase.AFTER),
                      "unauthorized_embeddings": (Scope.EMBEDDINGS, Phase.ROUTE),
                      "responses_absent": (Scope.RESPONSES, Phase.ROUTE)}


def test_the_retrieve_id_tweak_acts_on_the_declared_retrieves_only() -> None:
    retrieves = [e.pattern for e, _ in ROUTES if Scope.OBJECT_RETRIEVES in e.scopes]
    assert retrieves == ["/responses/{}", "/conversations/{}", "/conversations/{}/items/{}", "/files/{}",
                         "/vector_stores/{}", "/vector_stores/{}/files/{}"]
    assert all(Scope.EVERY_VALID_REQUEST in e.scopes for e, _ in ROUTES)


def test_server_error_comes_after_an_endpoints_own_validation() -> None:
    store = Store()
    assert handle("GET", "/v1/models/nope", AUTH, b"", {"server_error"}, store).status == 404
    assert handle("GET", "/v1/models/ref-chat-1", AUTH, b"", {"server_error"}, store).status == 500
    assert handle("POST", "/v1/embeddings", AUTH, b"{}", {"server_error"}, store).status == 400
    assert handle("GET", "/v1/files/file-nope", AUTH, b"", {"server_error"}, store).status == 500
    assert handle("GET", "/v1/nowhere", AUTH, b"", {"rate_limited"}, store).status == 429


def test_the_retrieve_id_tweak_leaves_the_stored_object_alone() -> None:
    store = Store()
    created = handle("POST", "/v1/conversations", AUTH, b"{}", (), store).json()
    path = f"/v1/conversations/{created['id']}"
    assert handle("GET", path, AUTH, b"", {"retrieve_id_differs"}, store).json()["id"] == created["id"] + "x"
    assert json.loads(handle("GET", path, AUTH, b"", (), store).body)["id"] == created["id"]
