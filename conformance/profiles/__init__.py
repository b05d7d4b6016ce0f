"""Target profiles: bundled TOML files plus user-supplied paths."""

from .load import BUILTIN_DIR, builtin_names, load_profile, parse_profile
from .model import BudgetLimits, ClaimEntry, KeyKind, TargetProfile, Var

__all__ = ["BUILTIN_DIR", "BudgetLimits", "ClaimEntry", "KeyKind", "TargetProfile", "Var", "builtin_names",
           "load_profile", "parse_profile"]
