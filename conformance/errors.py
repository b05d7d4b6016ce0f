"""Tool errors: one readable line naming what and where.

Exception tree::

    ConformanceError            base; str() is the one line shown to users
     ├── ProfileError           malformed target profile (file and key)
     ├── CassetteError          unreadable cassette (file and reason)
     └── UsageError             bad flag or argument
"""

from __future__ import annotations


class ConformanceError(Exception):
    """Base of all tool errors; the message is a single line."""


class ProfileError(ConformanceError):
    """A target profile is malformed."""

    def __init__(self, path: str, key: str, problem: str) -> None:
        super().__init__(f"profile {path}: [{key}] {problem}")


class CassetteError(ConformanceError):
    """A cassette cannot be read."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"cassette {path}: {problem}")


class UsageError(ConformanceError):
    """A command-line flag or argument is invalid."""
