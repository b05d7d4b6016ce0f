"""Vector Store API: stores, attached files, file batches and search, kept in the server's store.

Indexing is asynchronous as on OpenAI: files and batches start `in_progress` and are `completed` from the first
time the vector store, the file or the batch is read again (vector_store_never_completes: never).
"""

from __future__ import annotations

from typing import Any

from . import faults as F
from .calls import RETRIEVES, Call, Endpoint, created_at, not_found, page, remove
from .fault_types import Scope
from .responses import CREATED, ApiError, Reply
from .search import keyword_search
from .store import Attachment, StoredVectorStore

STATIC = {"type": "static", "static": {"max_chunk_size_tokens": 800, "chunk_overlap_tokens": 400}}
DAY = 86400


def _vector_store(call: Call) -> StoredVectorStore:
    found = call.store.vector_stores.get(call.params[0])
    if found is None:
        raise not_found("vector store", call.params[0])
    return found


def _index(call: Call, attachments: list[Attachment]) -> None:
    """Reading an object lets its indexing finish (unless the vector_store_never_completes fault is on)."""
    if not call.has(F.VECTOR_STORE_NEVER_COMPLETES):
        for attachment in attachments:
            attachment.ready = True


def _counts(attachments: list[Attachment]) -> dict[str, int]:
    done = sum(a.ready for a in attachments)
    return {"in_progress": len(attachments) - done, "completed": done, "failed": 0, "cancelled": 0,
            "total": len(attachments)}


def _file_body(attachment: Attachment, call: Call) -> dict[str, Any]:
    body = dict(attachment.body, created_at=created_at(call.faults))
    body["status"] = "completed" if attachment.ready else "in_progress"
    body["usage_bytes"] = body["usage_bytes"] if attachment.ready else 0
    if call.has(F.ATTACH_WRONG_STORE_ID):
        body["vector_store_id"] = "vs_" + "0" * 24
    return body


def _store_body(stored: StoredVectorStore, call: Call) -> dict[str, Any]:
    attachments = list(stored.files.values())
    body = dict(stored.body, created_at=created_at(call.faults), file_counts=_counts(attachments))
    body["status"] = "completed" if all(a.ready for a in attachments) else "in_progress"
    body["usage_bytes"] = sum(a.body["usage_bytes"] for a in attachments if a.ready)
    if call.has(F.VECTOR_STORE_NAME_DROPPED):
        body["name"] = ""
    return body


def _expires(req: dict[str, Any]) -> tuple[Any, int | None]:
    spec = req.get("expires_after")
    if spec is None:
        return None, None
    days = spec.get("days") if isinstance(spec, dict) else None
    if not isinstance(spec, dict) or spec.get("anchor") != "last_active_at" or not isinstance(days, int) \
            or not 1 <= days <= 365:
        raise ApiError(400, "Invalid 'expires_after': anchor must be 'last_active_at' and days between 1 and 365.",
                       param="expires_after", code="invalid_value")
    return {"anchor": "last_active_at", "days": days}, CREATED + days * DAY


def _attach(call: Call, stored: StoredVectorStore, file_id: Any, attributes: Any = None) -> Attachment:
    if not isinstance(file_id, str) or file_id not in call.store.files:
        raise ApiError(404, f"No file found with id '{file_id}'.", param="file_id", code="not_found")
    size = call.store.files[file_id].body["bytes"]
    body = {"id": file_id, "object": "vector_store.file", "created_at": CREATED, "usage_bytes": size,
            "vector_store_id": stored.body["id"], "status": "in_progress", "last_error": None,
            "attributes": attributes if isinstance(attributes, dict) else {}, "chunking_strategy": STATIC}
    stored.files[file_id] = Attachment(body)
    return stored.files[file_id]


def create(call: Call) -> Reply:
    """POST /vector_stores."""
    req = call.json()
    file_ids = req.get("file_ids") or []
    if not isinstance(file_ids, list):
        raise ApiError(400, "Invalid type for 'file_ids': expected an array.", param="file_ids", code="invalid_type")
    expires_after, expires_at = _expires(req)
    ident = call.store.mint("vs_", call.body)
    stored = StoredVectorStore({
        "id": ident, "object": "vector_store", "created_at": CREATED, "name": str(req.get("name") or ""),
        "description": req.get("description"), "usage_bytes": 0, "status": "completed", "last_active_at": CREATED,
        "metadata": req.get("metadata") or {}, "expires_after": expires_after, "expires_at": expires_at,
    })
    for file_id in file_ids:
        _attach(call, stored, file_id)
    call.store.vector_stores[ident] = stored
    return _store_body(stored, call)


def list_stores(call: Call) -> Reply:
    """GET /vector_stores (newest first)."""
    stored = list(call.store.vector_stores.values())
    if call.has(F.LIST_OMITS_NEW):
        stored = stored[:-1]
    return page([_store_body(s, call) for s in stored], call)


def retrieve(call: Call) -> Reply:
    """GET /vector_stores/{id}."""
    stored = _vector_store(call)
    _index(call, list(stored.files.values()))
    return _store_body(stored, call)


def update(call: Call) -> Reply:
    """POST /vector_stores/{id}: name, metadata, expires_after."""
    stored = _vector_store(call)
    req = call.json()
    if not call.has(F.UPDATE_IGNORED):
        if "name" in req:
            stored.body["name"] = str(req["name"] or "")
        if "metadata" in req:
            stored.body["metadata"] = req["metadata"] or {}
        if "expires_after" in req:
            stored.body["expires_after"], stored.body["expires_at"] = _expires(req)
    return _store_body(stored, call)


def delete(call: Call) -> Reply:
    """DELETE /vector_stores/{id}."""
    _vector_store(call)
    return remove(call, call.store.vector_stores, call.params[0], "vector_store.deleted")


def attach(call: Call) -> Reply:
    """POST /vector_stores/{id}/files."""
    stored = _vector_store(call)
    req = call.json()
    return _file_body(_attach(call, stored, req.get("file_id"), req.get("attributes")), call)


def _attachment(call: Call, stored: StoredVectorStore) -> Attachment:
    found = stored.files.get(call.params[1])
    if found is None:
        raise not_found("vector store file", call.params[1])
    return found


def list_files(call: Call) -> Reply:
    """GET /vector_stores/{id}/files (newest first)."""
    attachments = list(_vector_store(call).files.values())
    if call.has(F.LIST_OMITS_NEW):
        attachments = attachments[:-1]
    return page([_file_body(a, call) for a in attachments], call)


def retrieve_file(call: Call) -> Reply:
    """GET /vector_stores/{id}/files/{file_id}."""
    attachment = _attachment(call, _vector_store(call))
    _index(call, [attachment])
    return _file_body(attachment, call)


def detach(call: Call) -> Reply:
    """DELETE /vector_stores/{id}/files/{file_id} (the file itself stays)."""
    stored = _vector_store(call)
    _attachment(call, stored)
    return remove(call, stored.files, call.params[1], "vector_store.file.deleted")


def _batch_body(stored: StoredVectorStore, batch: dict[str, Any], call: Call) -> dict[str, Any]:
    attachments = [stored.files[f] for f in batch["file_ids"] if f in stored.files]
    counts = _counts(attachments)
    status = batch["status"]
    if status == "in_progress" and counts["in_progress"] == 0:
        status = "completed"
    body = {k: v for k, v in batch.items() if k != "file_ids"}
    return dict(body, created_at=created_at(call.faults), status=status, file_counts=counts)


def create_batch(call: Call) -> Reply:
    """POST /vector_stores/{id}/file_batches."""
    stored = _vector_store(call)
    req = call.json()
    file_ids = req.get("file_ids") or [f.get("file_id") for f in req.get("files") or [] if isinstance(f, dict)]
    if not isinstance(file_ids, list) or not file_ids:
        raise ApiError(400, "Missing required parameter: 'file_ids'.", param="file_ids",
                       code="missing_required_parameter")
    if call.has(F.BATCH_DROPS_FILE):
        file_ids = file_ids[:1]
    for file_id in file_ids:
        _attach(call, stored, file_id, req.get("attributes"))
    ident = call.store.mint("vsfb_", call.body)
    stored.batches[ident] = {"id": ident, "object": "vector_store.files_batch", "created_at": CREATED,
                             "vector_store_id": stored.body["id"], "status": "in_progress", "file_ids": file_ids}
    return _batch_body(stored, stored.batches[ident], call)


def _batch(call: Call, stored: StoredVectorStore) -> dict[str, Any]:
    found = stored.batches.get(call.params[1])
    if found is None:
        raise not_found("vector store file batch", call.params[1])
    return found


def retrieve_batch(call: Call) -> Reply:
    """GET /vector_stores/{id}/file_batches/{batch_id}."""
    stored = _vector_store(call)
    batch = _batch(call, stored)
    _index(call, [stored.files[f] for f in batch["file_ids"] if f in stored.files])
    return _batch_body(stored, batch, call)


def cancel_batch(call: Call) -> Reply:
    """POST /vector_stores/{id}/file_batches/{batch_id}/cancel."""
    stored = _vector_store(call)
    batch = _batch(call, stored)
    if _batch_body(stored, batch, call)["status"] == "in_progress":
        batch["status"] = "cancelled"
    return _batch_body(stored, batch, call)


def batch_files(call: Call) -> Reply:
    """GET /vector_stores/{id}/file_batches/{batch_id}/files."""
    stored = _vector_store(call)
    batch = _batch(call, stored)
    attachments = [stored.files[f] for f in batch["file_ids"] if f in stored.files]
    return page([_file_body(a, call) for a in attachments], call)


def search(call: Call) -> Reply:
    """POST /vector_stores/{id}/search: keyword hits over indexed files."""
    stored = _vector_store(call)
    req = call.json()
    query = req.get("query")
    asked = query if isinstance(query, list) else [query]
    queries = [q for q in asked if isinstance(q, str) and q]
    if not asked or len(queries) != len(asked):
        raise ApiError(400, "Missing required parameter: 'query'.", param="query", code="missing_required_parameter")
    limit = req.get("max_num_results", 10)
    if not isinstance(limit, int) or not 1 <= limit <= 50:
        raise ApiError(400, "Invalid 'max_num_results': expected an integer between 1 and 50.",
                       param="max_num_results", code="invalid_value")
    hits = [] if call.has(F.SEARCH_RETURNS_NOTHING) else \
        keyword_search(call.store, [stored.body["id"]], " ".join(queries), limit)
    data = [{"file_id": h.file_id, "filename": h.filename, "score": h.score, "attributes": h.attributes,
             "content": [{"type": "text", "text": h.text}]} for h in hits]
    return {"object": "vector_store.search_results.page", "search_query": queries, "data": data, "has_more": False,
            "next_page": None}


VS = Scope.VECTOR_STORES
ROUTES: tuple[Endpoint, ...] = (
    Endpoint("POST", "/vector_stores", create, VS),
    Endpoint("GET", "/vector_stores", list_stores, VS),
    Endpoint("GET", "/vector_stores/{}", retrieve, VS, RETRIEVES),
    Endpoint("POST", "/vector_stores/{}", update, VS),
    Endpoint("DELETE", "/vector_stores/{}", delete, VS),
    Endpoint("POST", "/vector_stores/{}/files", attach, VS),
    Endpoint("GET", "/vector_stores/{}/files", list_files, VS),
    Endpoint("GET", "/vector_stores/{}/files/{}", retrieve_file, VS, RETRIEVES),
    Endpoint("DELETE", "/vector_stores/{}/files/{}", detach, VS),
    Endpoint("POST", "/vector_stores/{}/file_batches", create_batch, VS),
    Endpoint("GET", "/vector_stores/{}/file_batches/{}", retrieve_batch, VS),
    Endpoint("POST", "/vector_stores/{}/file_batches/{}/cancel", cancel_batch, VS),
    Endpoint("GET", "/vector_stores/{}/file_batches/{}/files", batch_files, VS),
    Endpoint("POST", "/vector_stores/{}/search", search, VS),
)
