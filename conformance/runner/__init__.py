"""Runner: executes named requests once per target, runs each feature's checks, grades verdicts.

Names are imported on first use (PEP 562): `conformance.runner.settings` (the mode and run settings) stays cheap
to import for the option declarations, while the engine pulls in the SDK only when a run needs it.
"""

import typing as _typing

from .._lazy import lazy_exports as _lazy_exports

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

__getattr__, __dir__ = _lazy_exports(__name__, _HOMES, __all__, globals())
