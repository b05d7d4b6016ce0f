"""CheckContext: the read-only view a check gets of one feature's exchanges on one target."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..catalogue import Feature
from ..failures import Failure, Skip, grouped, short
from ..wire.exchange import Exchange


@dataclass
class CheckContext:
    """Exchanges by request name, plus the profile options that shaped the requests."""

    feature: Feature
    exchanges: dict[str, Exchange]
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def primary(self) -> Exchange:
        """The feature's own request."""
        return self.exchanges[self.feature.primary]

    def auxiliary(self, name: str) -> Exchange:
        """Another request to compare with; Skip when it did not succeed."""
        exchange = self.exchanges.get(name)
        if exchange is None or not exchange.ok:
            raise Skip(f"comparison request {name} did not succeed")
        return exchange

    def body(self, exchange: Exchange | None = None) -> dict[str, Any]:
        """The JSON object body of an exchange; Failure when it is not a JSON object."""
        ex = exchange or self.primary
        try:
            value = ex.json()
        except ValueError:
            raise Failure("body", "a JSON object", ex.text[:120] or "(empty body)", ex.summary()) from None
        if not isinstance(value, dict):
            raise Failure("body", "a JSON object", value, ex.summary())
        return value

    def fail(self, where: str, expected: Any, observed: Any, exchange: Exchange | None = None) -> Failure:
        """Build a Failure with the primary request as evidence (raise it)."""
        return Failure(where, expected, observed, (exchange or self.primary).summary())

    def fail_all(self, found: list[tuple[str, Any, Any]], exchange: Exchange | None = None,
                 kind: type[Failure] = Failure) -> None:
        """Raise one Failure (or Ignored) for every (where, expected, observed) found: the first in front, all
        grouped in details. Nothing when `found` is empty. Checks that walk events, items or several conditions
        report every deviation this way, never only the first.
        """
        if not found:
            return
        where, expected, observed = found[0]
        details = grouped((w, f"expected {short(e)}; observed {short(o)}") for w, e, o in found) \
            if len(found) > 1 else ()
        raise kind(where, expected, observed, (exchange or self.primary).summary(), details)
