"""openai-compat-conformance: how far an "OpenAI-compatible" API really is compatible, with evidence."""

from ._version import __version__
from .catalogue import FEATURES, Feature, Surface, Tier
from .checks import CHECKS, CheckContext, check
from .errors import CassetteError, ConformanceError, ProfileError, UsageError
from .failures import Evidence, Failure, Ignored, Inconclusive, Skip
from .grading import assess, grade
from .profiles import TargetProfile, load_profile
from .runner import AttemptPolicy, CheckResult, Endpoints, FeatureResult, Mode, RunSettings, TargetRun
from .verdicts import Agreement, Claim, Outcome, Severity, Verdict

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
