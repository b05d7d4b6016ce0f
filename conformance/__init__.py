"""openai-compat-conformance: how far an "OpenAI-compatible" API really is compatible, with evidence.

The public names below are imported on first use (PEP 562), so importing a submodule, such as the pytest plugin
that pytest loads in every project of the environment, costs nothing until the suite is actually asked for.
"""

import typing as _typing

from ._lazy import lazy_exports as _lazy_exports
from ._version import __version__

if _typing.TYPE_CHECKING:
    from .catalogue import FEATURES, Feature, Surface, Tier
    from .checks import CHECKS, CheckContext, check
    from .errors import CassetteError, ConformanceError, ProfileError, UsageError
    from .failures import Evidence, Failure, Ignored, Inconclusive, Skip
    from .grading import assess, grade
    from .profiles import TargetProfile, load_profile
    from .runner import AttemptPolicy, CheckResult, Endpoints, FeatureResult, Mode, RunSettings, TargetRun
    from .verdicts import Agreement, Claim, Outcome, Severity, Verdict

# Public name -> the submodule that defines it.
_HOMES = {
    **dict.fromkeys(("FEATURES", "Feature", "Surface", "Tier"), ".catalogue"),
    **dict.fromkeys(("CHECKS", "CheckContext", "check"), ".checks"),
    **dict.fromkeys(("CassetteError", "ConformanceError", "ProfileError", "UsageError"), ".errors"),
    **dict.fromkeys(("Evidence", "Failure", "Ignored", "Inconclusive", "Skip"), ".failures"),
    **dict.fromkeys(("assess", "grade"), ".grading"),
    **dict.fromkeys(("TargetProfile", "load_profile"), ".profiles"),
    **dict.fromkeys(("AttemptPolicy", "CheckResult", "Endpoints", "FeatureResult", "Mode", "RunSettings",
                     "TargetRun"), ".runner"),
    **dict.fromkeys(("Agreement", "Claim", "Outcome", "Severity", "Verdict"), ".verdicts"),
}

__all__ = [
    "CHECKS",
    "FEATURES",
    "Agreement",
    "AttemptPolicy",
    "CassetteError",
    "CheckContext",
    "CheckResult",
    "Claim",
    "ConformanceError",
    "Endpoints",
    "Evidence",
    "Failure",
    "Feature",
    "FeatureResult",
    "Ignored",
    "Inconclusive",
    "Mode",
    "Outcome",
    "ProfileError",
    "RunSettings",
    "Severity",
    "Skip",
    "Surface",
    "TargetProfile",
    "TargetRun",
    "Tier",
    "UsageError",
    "Verdict",
    "__version__",
    "assess",
    "check",
    "grade",
    "load_profile",
]

__getattr__, __dir__ = _lazy_exports(__name__, _HOMES, __all__, globals())
