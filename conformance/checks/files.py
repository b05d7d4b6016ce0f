"""Files API checks: the uploaded file object, its listing and a byte-exact download."""

from __future__ import annotations

import re

from ..verdicts import Severity
from ._registry import check
from .context import CheckContext
from .flow import fail, require_fields, require_listed, step, step_body, upload_of
from .needs import Need

_PURPOSE = re.compile(rb'name="purpose"\r\n\r\n([^\r]*)')


@check("files.uploaded", Severity.MUST, "An upload returns a file object with the sent name, size and purpose",
       needs=(Need.FLOW,))
def uploaded(ctx: CheckContext) -> None:
    """object file, bytes = the uploaded length, filename and purpose as sent."""
    upload_ex, value = step_body(ctx, "upload")
    filename, content = upload_of(upload_ex)
    purpose = _PURPOSE.search(upload_ex.request_body)
    expected = {"object": "file", "bytes": len(content), "filename": filename,
                "purpose": purpose.group(1).decode() if purpose else value.get("purpose")}
    require_fields(upload_ex, "upload", value, expected)


@check("files.listed", Severity.MUST, "A freshly uploaded file is listed", needs=(Need.FLOW,))
def listed(ctx: CheckContext) -> None:
    """GET /files includes the new file's id."""
    require_listed(ctx, "upload")


@check("files.content_roundtrip", Severity.MUST, "The file content downloads byte for byte as uploaded",
       needs=(Need.FLOW,))
def content_roundtrip(ctx: CheckContext) -> None:
    """GET /files/{id}/content returns exactly the uploaded bytes."""
    _filename, content = upload_of(step(ctx, "upload"))
    download = step(ctx, "content")
    if not download.ok:
        raise fail(download, "content: HTTP status", "2xx", download.status)
    if download.body != content:
        raise fail(download, "content body", content.decode("utf-8", "replace"), download.text)
