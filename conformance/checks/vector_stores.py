"""Vector Store API checks: the store object, attached files and batches, asynchronous indexing, search."""

from __future__ import annotations

from ..failures import Ignored, Skip
from ..verdicts import Severity
from ._registry import check
from .context import CheckContext
from .flow import NONCE, fail, page_ids, require_echo, require_fields, require_listed, step, step_body, upload_of
from .needs import Need

STATUSES = ("in_progress", "completed")


@check("vector_stores.created", Severity.MUST, "create returns a vector_store with the sent name and file counts",
       needs=(Need.FLOW,))
def created(ctx: CheckContext) -> None:
    """object vector_store, name as sent, status in_progress/completed, integer file_counts."""
    create_ex, value = step_body(ctx, "create")
    name = create_ex.request_json.get("name")
    if value.get("object") != "vector_store":
        raise fail(create_ex, "create $.object", "vector_store", value.get("object"))
    if value.get("name") != name:
        raise fail(create_ex, "create $.name", name, value.get("name"))
    if value.get("status") not in STATUSES:
        raise fail(create_ex, "create $.status", " or ".join(STATUSES), value.get("status"))
    counts = value.get("file_counts")
    if not isinstance(counts, dict) or not all(isinstance(counts.get(k), int) for k in ("total", "completed")):
        raise fail(create_ex, "create $.file_counts", "integer total/completed/...", counts)


@check("vector_stores.update_applied", Severity.MUST, "update renames the vector store", needs=(Need.FLOW,))
def update_applied(ctx: CheckContext) -> None:
    """The answer to update carries the new name."""
    require_echo(ctx, "update", "name")


@check("vector_stores.listed", Severity.MUST, "A new vector store is listed", needs=(Need.FLOW,))
def listed(ctx: CheckContext) -> None:
    """GET /vector_stores includes the new store's id (first page, newest first)."""
    require_listed(ctx, "create")


@check("vector_stores.file_attached", Severity.MUST, "Attaching a file returns a vector_store.file for that file "
       "and store", needs=(Need.FLOW,))
def file_attached(ctx: CheckContext) -> None:
    """id is the file's id, vector_store_id the store's."""
    _upload_ex, uploaded = step_body(ctx, "upload")
    _create_ex, store = step_body(ctx, "create")
    attach_ex, value = step_body(ctx, "attach")
    expected = {"object": "vector_store.file", "id": uploaded.get("id"), "vector_store_id": store.get("id")}
    require_fields(attach_ex, "attach", value, expected)


@check("vector_stores.indexing_completes", Severity.MUST, "Indexing reaches completed within options.poll_timeout",
       needs=(Need.FLOW,))
def indexing_completes(ctx: CheckContext) -> None:
    """The last poll of the store, file or batch says completed, with every file counted as completed."""
    poll_ex, value = step_body(ctx, "poll")
    if value.get("status") != "completed":
        raise fail(poll_ex, "last poll $.status", "completed within poll_timeout", value.get("status"))
    counts = value.get("file_counts")
    if isinstance(counts, dict) and counts.get("completed") != counts.get("total"):
        raise fail(poll_ex, "last poll $.file_counts", "completed = total", counts)


@check("vector_stores.files_listed", Severity.MUST, "An attached file is listed in the store's files",
       needs=(Need.FLOW,))
def files_listed(ctx: CheckContext) -> None:
    """GET /vector_stores/{id}/files includes the attached file."""
    _upload_ex, uploaded = step_body(ctx, "upload")
    list_ex, page = step_body(ctx, "list")
    if uploaded.get("id") not in page_ids(page):
        raise fail(list_ex, "list $.data[*].id", f"includes {uploaded.get('id')}", page_ids(page))


@check("vector_stores.file_detached", Severity.MUST, "A detached file is no longer listed in the store",
       needs=(Need.FLOW,))
def file_detached(ctx: CheckContext) -> None:
    """After a successful detach the list no longer has the file."""
    detach_ex = step(ctx, "detach")
    if not detach_ex.ok:
        raise Skip("the detach itself was refused")
    _upload_ex, uploaded = step_body(ctx, "upload")
    list_ex, page = step_body(ctx, "list_after_detach")
    if uploaded.get("id") in page_ids(page):
        raise fail(list_ex, "list_after_detach $.data[*].id", f"no {uploaded.get('id')}", page_ids(page))


@check("vector_stores.batch_files", Severity.MUST, "A file batch indexes every file it was given", needs=(Need.FLOW,))
def batch_files(ctx: CheckContext) -> None:
    """list_files of the batch has both uploaded files; the batch counts them all."""
    batch_ex = step(ctx, "batch")
    sent = batch_ex.request_json.get("file_ids") or []
    list_ex, page = step_body(ctx, "list_files")
    missing = [f for f in sent if f not in page_ids(page)]
    if missing:
        raise fail(list_ex, "list_files $.data[*].id", f"includes {sent}", page_ids(page))
    poll_ex, polled = step_body(ctx, "poll")
    total = (polled.get("file_counts") or {}).get("total")
    if total != len(sent):
        raise fail(poll_ex, "last poll $.file_counts.total", len(sent), total)


@check("vector_stores.search_hits", Severity.MUST, "Search finds the chunk only the uploaded file holds",
       needs=(Need.FLOW,))
def search_hits(ctx: CheckContext) -> None:
    """The top result is the uploaded file, its content has the file's code word, scores are numbers."""
    upload_ex, uploaded = step_body(ctx, "upload")
    codes = NONCE.findall(upload_of(upload_ex)[1].decode("utf-8", "replace"))
    search_ex, page = step_body(ctx, "search")
    data = page.get("data")
    if not isinstance(data, list) or not data:
        raise Ignored("search $.data", "at least one result", data, search_ex.summary())
    top = data[0] if isinstance(data[0], dict) else {}
    if top.get("file_id") != uploaded.get("id"):
        raise fail(search_ex, "search $.data[0].file_id", uploaded.get("id"), top.get("file_id"))
    if not all(isinstance(r, dict) and isinstance(r.get("score"), (int, float)) for r in data):
        scores = [r.get("score") for r in data if isinstance(r, dict)]
        raise fail(search_ex, "search $.data[*].score", "numbers", scores)
    texts = " ".join(str(c.get("text")) for c in top.get("content") or [] if isinstance(c, dict))
    if codes and codes[0] not in texts:
        raise fail(search_ex, "search $.data[0].content[*].text", f"contains {codes[0]}", texts)
