"""Target profiles: bundled TOML files, user-supplied paths, and ad-hoc targets built from command-line flags."""

from .adhoc import ADHOC_NAME, TargetFlags, adhoc_profile, adjust
from .load import BUILTIN_DIR, builtin_names, load_profile, parse_profile, profile_path
from .model import BudgetLimits, ClaimEntry, KeyKind, TargetProfile, Var

__all__ = ["ADHOC_NAME", "BUILTIN_DIR", "BudgetLimits", "ClaimEntry", "KeyKind", "TargetFlags", "TargetProfile", "Var",
           "adhoc_profile", "adjust", "builtin_names", "load_profile", "parse_profile", "profile_path"]
