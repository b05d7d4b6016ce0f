"""The README's feature list is generated from the catalogue and in sync with it."""

from __future__ import annotations

from conformance import FEATURES
from conformance.docs import README, updated


def test_readme_feature_table_is_in_sync_with_the_catalogue() -> None:
    text = README.read_text(encoding="utf-8")
    assert updated(text) == text, "run: python -m conformance.docs"
    for feature in FEATURES:
        assert f"| `{feature.id}` |" in text
