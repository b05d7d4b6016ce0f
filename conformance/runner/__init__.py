"""Runner: executes named requests once per target, runs each feature's checks, grades verdicts."""

from .endpoints import Endpoints, resolve_endpoints
from .engine import TargetRun
from .policy import AttemptPolicy
from .results import CheckResult, FeatureResult, TargetInfo
from .settings import Mode, RunSettings

__all__ = ["AttemptPolicy", "CheckResult", "Endpoints", "FeatureResult", "Mode", "RunSettings", "TargetInfo",
           "TargetRun", "resolve_endpoints"]
