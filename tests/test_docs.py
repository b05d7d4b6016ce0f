"""The README's feature list is generated from the catalogue and in sync with it."""

from __future__ import annotations

from conformance import FEATURES
from conformance.docs import README, updated


def test_readme_feature_table_is_in_sync_with_the_catalogue() -> None:
    text = README.read_text(encoding="utf-8")
    assert updated(text) == text, "run: python -m conformance.docs"
    for feature in FEATURES:
        assert f"| `{feature.id}` |" in text


def test_readme_profile_reference_documents_every_key_the_loader_accepts() -> None:
    from conformance.profiles import load
    from conformance.profiles.schema import SCHEMA

    text = README.read_text(encoding="utf-8")
    assert "<!-- profile:begin -->" in text, "the README lost its generated profile reference"
    for table in SCHEMA:
        for key in table.keys:
            assert f"| `{key.name}` |" in text, (table.name, key.name)
    assert "default_key" in text
    assert {t.name for t in SCHEMA if t.name} | {"extends"} == load._TOP_KEYS
