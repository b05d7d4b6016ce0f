"""Files and Vector Stores in one flow: one uploaded file serves the Files rows, every Vector Store row and the
Responses file_search row.

Each surface's calls go to that surface's URL (a profile may give them different ones); the store attaches the
file the Files steps uploaded. Steps are scoped by what they exercise (`files/…`, `store/…`,
`attach/…`, `search/…`, `batch/…`), and each row names the steps it reads. A refused stage does not stop the
stages that do not need it: a server without Vector Stores still gets its Files rows graded, and the reverse.
"""

from __future__ import annotations

from typing import Any

from . import material as m
from . import vector_stores as vs
from ._flows import attempt, confirm_deleted, upload
from ._io import ProbeIO
from ._registry import request
from .vector_stores import FILE_SEARCH_LIMIT


@request("files.store", "none", retry=False, calls=26, polls=2, max_tokens=FILE_SEARCH_LIMIT, prompt_tokens=300,
         surfaces=("vector_stores", "responses"))
def store(io: ProbeIO) -> Any:
    """Upload, list, retrieve, download the file; the vector store's own lifecycle; attach, search, a Responses
    file_search over it, detach and a batch with a second file; then delete the store and the file (each confirmed
    gone)."""
    if not io.models.get("chat"):  # the file_search row is SKIP whichever stage the flow stops at
        io.not_configured(vs.FILE_SEARCH_STEP, "chat")
    heron = attempt(lambda: upload(io, "files/upload", m.HERON_NAME, m.HERON))
    ident = heron.id if heron is not None else None
    if ident is not None:
        with io.step("files/list"):
            attempt(lambda: io.client.files.list())
        with io.step("files/retrieve"):
            attempt(lambda: io.client.files.retrieve(ident))
        with io.step("files/content"):
            attempt(lambda: io.client.files.content(ident).read())
    vs.lifecycle(io, ident)
    if ident is not None:
        with io.step("files/delete"):
            attempt(lambda: io.client.files.delete(ident))
        confirm_deleted(io, "file", ident, lambda: io.client.files.retrieve(ident),
                        lambda: io.client.files.delete(ident), "files/after_delete")
    return heron
