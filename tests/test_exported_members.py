"""The public surface is declared: __all__ has no duplicates, resolves, and covers every public re-export."""

from __future__ import annotations

import types

import conformance


def test_all_is_unique_and_resolvable() -> None:
    names = conformance.__all__
    assert len(names) == len(set(names))
    assert all(hasattr(conformance, n) for n in names)


def test_every_public_non_module_name_is_exported() -> None:
    public = {n for n, v in vars(conformance).items() if not n.startswith("_") and not isinstance(v, types.ModuleType)}
    assert public <= set(conformance.__all__)
