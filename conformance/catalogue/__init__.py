"""The feature catalogue: the one source of truth for pytest parametrization, the README and the matrix."""

from __future__ import annotations

from collections.abc import Iterator

from .capability_rows import ROWS as CAPABILITY_ROWS
from .chat_param_rows import ROWS as CHAT_PARAM_ROWS
from .generated_rows import ROWS as GENERATED_ROWS
from .model import Feature, Surface, Tier
from .other_rows import ROWS as OTHER_ROWS
from .realtime_rows import ROWS as REALTIME_ROWS
from .resource_rows import ROWS as RESOURCE_ROWS
from .responses_rows import ROWS as RESPONSES_ROWS
from .responses_state_rows import ROWS as RESPONSES_STATE_ROWS
from .rows import ROWS


class Catalogue:
    """Read-only registry of feature rows; a duplicate id raises."""

    def __init__(self, rows: tuple[Feature, ...]) -> None:
        self._rows: dict[str, Feature] = {}
        for row in rows:
            if row.id in self._rows:
                raise ValueError(f"duplicate feature id {row.id!r}")
            self._rows[row.id] = row

    def __iter__(self) -> Iterator[Feature]:
        return iter(self._rows.values())

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, feature_id: object) -> bool:
        return feature_id in self._rows

    def get(self, feature_id: str) -> Feature:
        """Return the row with this id (KeyError names it)."""
        return self._rows[feature_id]

    def ids(self) -> list[str]:
        """All ids in catalogue order."""
        return list(self._rows)

    def by_surface(self, surface: Surface | str) -> list[Feature]:
        """Rows of one surface, in catalogue order."""
        return [row for row in self if row.surface == Surface(surface)]


FEATURES = Catalogue(ROWS + CHAT_PARAM_ROWS + GENERATED_ROWS + CAPABILITY_ROWS + RESPONSES_ROWS + RESPONSES_STATE_ROWS
                     + RESOURCE_ROWS + REALTIME_ROWS + OTHER_ROWS)

__all__ = ["FEATURES", "Catalogue", "Feature", "Surface", "Tier"]
