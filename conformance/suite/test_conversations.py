"""Conversations conformance: one test per catalogue row of the `conversations` surface and selected target."""

from __future__ import annotations

import pytest

from conformance.catalogue import FEATURES, Feature


@pytest.mark.parametrize("feature", FEATURES.by_surface("conversations"), ids=lambda f: f.id)
def test_conversations(feature: Feature, conformance_target) -> None:  # type: ignore[no-untyped-def]
    """The observed verdict agrees with the target's documented claim (evidence on failure)."""
    result = conformance_target.check(feature)
    assert result.feature == feature.id
