"""Runner: executes named requests once per target, runs each feature's checks, grades verdicts."""

from .engine import Mode, TargetRun
from .results import CheckResult, FeatureResult, TargetInfo

__all__ = ["CheckResult", "FeatureResult", "Mode", "TargetInfo", "TargetRun"]
