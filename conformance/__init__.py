"""openai-compat-conformance: how far an "OpenAI-compatible" API really is compatible, with evidence."""

from ._version import __version__
from .catalogue import FEATURES, Feature, Surface, Tier
from .checks import CHECKS, CheckContext, check
from .errors import CassetteError, ConformanceError, ProfileError, UsageError
from .failures import Evidence, Failure, Ignored, Inconclusive, Skip
from .grading import assess, grade
from .profiles import TargetProfile, load_profile
from .runner import CheckResult, FeatureResult, Mode, TargetRun
from .verdicts import Agreement, Claim, Outcome, Severity, Verdict

__all__ = [
    "CHECKS",
    "FEATURES",
    "Agreement",
    "CassetteError",
    "CheckContext",
    "CheckResult",
    "Claim",
    "ConformanceError",
    "Evidence",
    "Failure",
    "Feature",
    "FeatureResult",
    "Ignored",
    "Inconclusive",
    "Mode",
    "Outcome",
    "ProfileError",
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
