"""The conformance suite: a test function per surface (`test_<surface>`), one case per catalogue row and target.

The functions are generated from the catalogue, in surface-name order. Each case carries the markers `conformance`,
its surface and its tier (registered by the plugin), so `-m "core and not realtime"` selects rows.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from conformance.catalogue import FEATURES, Feature, Surface


def _case(feature: Feature) -> object:
    mark = pytest.mark
    marks = [mark.conformance, getattr(mark, feature.surface.value), getattr(mark, feature.tier.value)]
    return pytest.param(feature, marks=marks, id=feature.id)


def _surface_test(surface: Surface) -> Callable[..., None]:
    @pytest.mark.parametrize("feature", [_case(f) for f in FEATURES.by_surface(surface)])
    def test(feature: Feature, conformance_target) -> None:
        """The observed verdict agrees with the target's documented claim (evidence on failure)."""
        result = conformance_target.check(feature)
        assert result.feature == feature.id

    test.__name__ = test.__qualname__ = f"test_{surface.value}"
    return test


for _surface in sorted(Surface, key=lambda s: s.value):
    globals()[f"test_{_surface.value}"] = _surface_test(_surface)
