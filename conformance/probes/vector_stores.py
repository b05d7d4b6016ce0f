"""Vector Store API flows: the store's lifecycle, attached files, file batches and search (indexing is polled)."""

from __future__ import annotations

from typing import Any

from . import material as m
from ._flows import attempt, confirm_deleted, poll, status_is, store_ready, upload, vector_store
from ._io import ProbeIO
from ._registry import request

INDEXED = ("completed", "failed", "cancelled")


@request("vector_stores.lifecycle", "none", retry=False, calls=8)
def lifecycle(io: ProbeIO) -> Any:
    """Steps create, retrieve, update (name), list, delete, after_delete (must be 404)."""
    store = vector_store(io, "create", "conformance-lifecycle")
    ident = store.id
    with io.step("retrieve"):
        attempt(lambda: io.client.vector_stores.retrieve(ident))
    with io.step("update"):
        attempt(lambda: io.client.vector_stores.update(ident, name="conformance-renamed"))
    with io.step("list"):
        attempt(lambda: io.client.vector_stores.list())
    with io.step("delete"):
        attempt(lambda: io.client.vector_stores.delete(ident))
    confirm_deleted(io, "vector_store", ident, lambda: io.client.vector_stores.retrieve(ident),
                    lambda: io.client.vector_stores.delete(ident))
    return store


@request("vector_stores.attach", "none", retry=False, calls=8, polls=1)
def attach(io: ProbeIO) -> Any:
    """Steps upload, create, attach, poll (until indexed), list, detach, list_after_detach."""
    uploaded = upload(io, "upload", m.HERON_NAME, m.HERON)
    store = vector_store(io, "create", "conformance-attach")
    files = io.client.vector_stores.files
    with io.step("attach"):
        attached = attempt(lambda: files.create(store.id, file_id=uploaded.id))
    if attached is None:
        return None
    poll(io, "poll", lambda: files.retrieve(uploaded.id, vector_store_id=store.id), status_is(*INDEXED))
    with io.step("list"):
        attempt(lambda: files.list(store.id))
    with io.step("detach"):
        attempt(lambda: files.delete(uploaded.id, vector_store_id=store.id))
    with io.step("list_after_detach"):
        return attempt(lambda: files.list(store.id))


@request("vector_stores.batch", "none", retry=False, calls=8, polls=1)
def batch(io: ProbeIO) -> Any:
    """Steps upload_a, upload_b, create, batch (both files), poll (until done), list_files."""
    first = upload(io, "upload_a", m.HERON_NAME, m.HERON)
    second = upload(io, "upload_b", m.OSPREY_NAME, m.OSPREY)
    store = vector_store(io, "create", "conformance-batch")
    batches = io.client.vector_stores.file_batches
    with io.step("batch"):
        created = attempt(lambda: batches.create(store.id, file_ids=[first.id, second.id]))
    if created is None:
        return None
    poll(io, "poll", lambda: batches.retrieve(created.id, vector_store_id=store.id), status_is(*INDEXED))
    with io.step("list_files"):
        return attempt(lambda: batches.list_files(created.id, vector_store_id=store.id))


@request("vector_stores.search", "none", retry=False, calls=5, polls=1, prompt_tokens=50)
def search(io: ProbeIO) -> Any:
    """Steps upload, create (with the file), poll (until indexed), search for what only the file says."""
    uploaded = upload(io, "upload", m.HERON_NAME, m.HERON)
    store = vector_store(io, "create", "conformance-search", [uploaded.id])
    poll(io, "poll", lambda: io.client.vector_stores.retrieve(store.id), store_ready)
    with io.step("search"):
        return attempt(lambda: io.client.vector_stores.search(store.id, query=m.HERON_ASK, max_num_results=5))
