"""Passive lint: verdicts from recordings that already exist (any cassette format), without sending a request."""

from .loaders import SafeCassetteLoader, load_file, recording_files
from .model import Format, Interaction, Loaded, Session, Unreadable
from .report import document, exit_status, markdown
from .runner import Finding, LintRun, lint_paths

__all__ = ["Finding", "Format", "Interaction", "LintRun", "Loaded", "SafeCassetteLoader",
           "Session", "Unreadable", "document", "exit_status", "lint_paths", "load_file", "markdown",
           "recording_files"]
