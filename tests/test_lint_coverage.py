"""Passive coverage is derived from the catalogue: every check declares what it needs, every row is covered or
listed as active-only with its reason."""

from __future__ import annotations

from conformance.checks import CHECKS


def test_every_check_declares_what_it_needs() -> None:
    undeclared = [c.id for c in CHECKS.all() if c.needs is None]
    assert undeclared == [], f"declare needs=... on @check for {undeclared} (see conformance/checks/needs.py)"
