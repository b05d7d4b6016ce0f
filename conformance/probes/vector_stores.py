"""The Vector Store stages of the `files.store` flow: the store's lifecycle, an attached file, search, a Responses
file_search over the store, a file batch.

One store serves every stage, called at the vector_stores surface's URL (the file_search turn at the responses
surface's); indexing is polled. The stages run inside `files.store` (conformance.probes.files), which uploads the
file they attach.
"""

from __future__ import annotations

from openai.types.responses import FileSearchToolParam

from . import material as m
from ._flows import attempt, confirm_deleted, poll, status_is, upload, vector_store
from ._io import ProbeIO

INDEXED = ("completed", "failed", "cancelled")
FILE_SEARCH_LIMIT = 128  # output tokens of the file_search turn
FILE_SEARCH_STEP = "file_search/search"


def lifecycle(io: ProbeIO, file_id: str | None) -> None:
    """Steps store/create, retrieve, update (name), list; the file stages when there is a file; store/delete and
    store/after_delete (must be 404)."""
    client = io.client_for("vector_stores")
    stores = client.vector_stores
    created = attempt(lambda: vector_store(io, "store/create", "conformance-store", client=client))
    if created is None:
        return
    ident = created.id
    with io.step("store/retrieve"):
        attempt(lambda: stores.retrieve(ident))
    with io.step("store/update"):
        attempt(lambda: stores.update(ident, name="conformance-renamed"))
    with io.step("store/list"):
        attempt(lambda: stores.list())
    if file_id is not None:
        attach_and_search(io, ident, file_id)
        batch(io, ident, file_id)
    with io.step("store/delete"):
        attempt(lambda: stores.delete(ident))
    confirm_deleted(io, "vector_store", ident, lambda: stores.retrieve(ident), lambda: stores.delete(ident),
                    "store/after_delete")


def attach_and_search(io: ProbeIO, store_id: str, file_id: str) -> None:
    """Steps attach/attach, attach/poll (until indexed), attach/list, search/search and file_search/search (while the
    store holds only this file), attach/detach, attach/list_after_detach."""
    files = io.client_for("vector_stores").vector_stores.files
    with io.step("attach/attach"):
        attached = attempt(lambda: files.create(store_id, file_id=file_id))
    if attached is None:
        return
    poll(io, "attach/poll", lambda: files.retrieve(file_id, vector_store_id=store_id), status_is(*INDEXED))
    with io.step("attach/list"):
        attempt(lambda: files.list(store_id))
    with io.step("search/search"):
        attempt(lambda: io.client_for("vector_stores").vector_stores.search(store_id, query=m.HERON_ASK,
                                                                              max_num_results=5))
    file_search(io, store_id)
    with io.step("attach/detach"):
        attempt(lambda: files.delete(file_id, vector_store_id=store_id))
    with io.step("attach/list_after_detach"):
        attempt(lambda: files.list(store_id))


def file_search(io: ProbeIO, store_id: str) -> None:
    """Step file_search/search: a Responses turn (store false) whose file_search tool searches this store while it
    holds only the indexed file, asking what only that file knows."""
    model = io.models.get("chat")
    if not model:
        return  # files.store marked the step not configured
    tool: FileSearchToolParam = {"type": "file_search", "vector_store_ids": [store_id]}
    responses = io.client_for("responses").responses
    with io.step(FILE_SEARCH_STEP):
        attempt(lambda: responses.create(model=model, input=m.HERON_ASK, tools=[tool], temperature=0, store=False,
                                         include=["file_search_call.results"], max_output_tokens=FILE_SEARCH_LIMIT))


def batch(io: ProbeIO, store_id: str, file_id: str) -> None:
    """Steps batch/upload (a second file), batch/batch (both files: the detached one is added again, as the API
    allows), batch/poll (until done), batch/list_files."""
    second = attempt(lambda: upload(io, "batch/upload", m.OSPREY_NAME, m.OSPREY))
    if second is None:
        return
    batches = io.client_for("vector_stores").vector_stores.file_batches
    with io.step("batch/batch"):
        created = attempt(lambda: batches.create(store_id, file_ids=[file_id, second.id]))
    if created is None:
        return
    poll(io, "batch/poll", lambda: batches.retrieve(created.id, vector_store_id=store_id), status_is(*INDEXED))
    with io.step("batch/list_files"):
        attempt(lambda: batches.list_files(created.id, vector_store_id=store_id))
