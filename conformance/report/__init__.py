"""Reports built from results: the compat.json document, a Markdown matrix and a terminal matrix."""

from .document import SCHEMA_VERSION, build_document, exit_code, load_documents, merge_documents
from .markdown import render_markdown
from .text import render_matrix

__all__ = ["SCHEMA_VERSION", "build_document", "exit_code", "load_documents", "merge_documents", "render_markdown",
           "render_matrix"]
