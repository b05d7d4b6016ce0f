"""Files API flow: upload a small synthetic file, list, retrieve, download, delete, confirm it is gone."""

from __future__ import annotations

from typing import Any

from . import material as m
from ._flows import attempt, confirm_deleted, upload
from ._io import ProbeIO
from ._registry import request


@request("files.lifecycle", "none", retry=False, calls=8)
def lifecycle(io: ProbeIO) -> Any:
    """Steps upload, list, retrieve, content, delete, after_delete (must be 404)."""
    uploaded = upload(io, "upload", m.HERON_NAME, m.HERON)
    ident = uploaded.id
    with io.step("list"):
        attempt(lambda: io.client.files.list())
    with io.step("retrieve"):
        attempt(lambda: io.client.files.retrieve(ident))
    with io.step("content"):
        attempt(lambda: io.client.files.content(ident).read())
    with io.step("delete"):
        attempt(lambda: io.client.files.delete(ident))
    confirm_deleted(io, "file", ident, lambda: io.client.files.retrieve(ident), lambda: io.client.files.delete(ident))
    return uploaded
