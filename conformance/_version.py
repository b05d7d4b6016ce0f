"""Package version (single source for the build and the reports)."""

__version__ = "0.1.0"
