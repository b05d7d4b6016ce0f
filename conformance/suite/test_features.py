"""The conformance suite: a test function per surface (`test_<surface>`), one case per catalogue row and target.

The functions are generated from the catalogue, in surface-name order (the order reports list cells in).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from conformance.catalogue import FEATURES, Feature, Surface


def _surface_test(surface: Surface) -> Callable[..., None]:
    @pytest.mark.parametrize("feature", FEATURES.by_surface(surface), ids=lambda f: f.id)
    def test(feature: Feature, conformance_target) -> None:
        """The observed verdict agrees with the target's documented claim (evidence on failure)."""
        result = conformance_target.check(feature)
        assert result.feature == feature.id

    test.__name__ = test.__qualname__ = f"test_{surface.value}"
    return test


for _surface in sorted(Surface, key=lambda s: s.value):
    globals()[f"test_{_surface.value}"] = _surface_test(_surface)
