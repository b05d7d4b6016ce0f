"""Reports: the compat.json document and its renderings, each escaping server text through `report.escape`."""

from .document import SCHEMA_VERSION, build_document, exit_code, load_documents, merge_documents
from .escape import escape_controls
from .files import write_report_files
from .markdown import render_markdown
from .terminal import render_terminal

__all__ = ["SCHEMA_VERSION", "build_document", "escape_controls", "exit_code", "load_documents", "merge_documents",
           "render_markdown", "render_terminal", "write_report_files"]
