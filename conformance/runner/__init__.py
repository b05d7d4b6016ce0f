"""Runner: executes named requests once per target, runs each feature's checks, grades verdicts.

Names are imported on first use (PEP 562): `conformance.runner.settings` (the mode and run settings) stays cheap
to import for the option declarations, while the engine pulls in the SDK only when a run needs it.
"""

import importlib as _importlib
import typing as _typing

if _typing.TYPE_CHECKING:
    from .endpoints import Endpoints, resolve_endpoints
    from .engine import TargetRun
    from .policy import AttemptPolicy
    from .results import CheckResult, FeatureResult, TargetInfo
    from .settings import Mode, RunSettings

_HOMES = {
    "Endpoints": ".endpoints", "resolve_endpoints": ".endpoints", "TargetRun": ".engine", "AttemptPolicy": ".policy",
    "CheckResult": ".results", "FeatureResult": ".results", "TargetInfo": ".results", "Mode": ".settings",
    "RunSettings": ".settings",
}

__all__ = ["AttemptPolicy", "CheckResult", "Endpoints", "FeatureResult", "Mode", "RunSettings", "TargetInfo",
           "TargetRun", "resolve_endpoints"]


def __getattr__(name: str) -> _typing.Any:
    """Import a public name from its home module on first use."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(_importlib.import_module(home, __name__), name)
    globals()[name] = value
    return value
