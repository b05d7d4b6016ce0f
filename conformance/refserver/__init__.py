"""The project's own OpenAI-compatible reference server: deterministic, 127.0.0.1 only, with switchable faults."""

from __future__ import annotations

from .faults import FAULTS, Fault, FaultRegistry
from .serve import RefServer
from .stand_in import YandexStandIn

__all__ = ["FAULTS", "Fault", "FaultRegistry", "RefServer", "YandexStandIn"]
