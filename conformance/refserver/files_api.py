"""Files API: multipart upload, list, retrieve, content and delete, kept in the server's store."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from . import faults as F
from .calls import RETRIEVES, Call, Endpoint, created_at, not_found, page, remove
from .fault_types import Scope
from .responses import CREATED, ApiError, Reply, Response
from .store import StoredFile

PURPOSES = ("assistants", "batch", "fine-tune", "vision", "user_data", "evals")
_DISPOSITION = re.compile(r'(\w+)="([^"]*)"')


@dataclass(frozen=True)
class Part:
    """One multipart form field: its name, filename (files only) and bytes."""

    name: str
    filename: str | None
    data: bytes


def parse_multipart(content_type: str, body: bytes) -> dict[str, Part]:
    """Form fields by name; 400 when the body is not multipart/form-data with a boundary."""
    kind, _, params = content_type.partition(";")
    boundary = dict(p.strip().split("=", 1) for p in params.split(";") if "=" in p).get("boundary", "").strip('"')
    if kind.strip().lower() != "multipart/form-data" or not boundary:
        raise ApiError(400, "The request must be multipart/form-data with a boundary.", code="invalid_content_type")
    fields: dict[str, Part] = {}
    for chunk in body.split(b"--" + boundary.encode())[1:]:
        if chunk.startswith(b"--"):
            break
        chunk = chunk.removeprefix(b"\r\n").removesuffix(b"\r\n")
        head, _, data = chunk.partition(b"\r\n\r\n")
        disposition = next((line for line in head.decode("utf-8", "replace").split("\r\n")
                            if line.lower().startswith("content-disposition")), "")
        attrs = dict(_DISPOSITION.findall(disposition))
        if "name" in attrs:
            fields[attrs["name"]] = Part(attrs["name"], attrs.get("filename"), data)
    return fields


def _expires_at(fields: dict[str, Part]) -> int | None:
    anchor = fields.get("expires_after[anchor]")
    seconds = fields.get("expires_after[seconds]")
    if anchor is None and seconds is None:
        return None
    try:
        value = int(seconds.data) if seconds else -1
    except ValueError:
        value = -1
    if anchor is None or anchor.data != b"created_at" or not 3600 <= value <= 2592000:
        raise ApiError(400, "Invalid 'expires_after': anchor must be 'created_at' and seconds between 3600 and "
                       "2592000.", param="expires_after", code="invalid_value")
    return CREATED + value


def file_body(stored: StoredFile, call: Call) -> dict[str, Any]:
    """The FileObject as sent (faults applied)."""
    body = dict(stored.body, created_at=created_at(call.faults))
    if call.has(F.FILE_BYTES_WRONG):
        body["bytes"] += 1
    return body


def get_file(call: Call, ident: str) -> StoredFile:
    """The stored file (404 otherwise)."""
    stored = call.store.files.get(ident)
    if stored is None:
        raise not_found("file", ident)
    return stored


def upload(call: Call) -> Reply:
    """POST /files (multipart: file, purpose, expires_after)."""
    fields = parse_multipart(call.headers.get("content-type", ""), call.body)
    part = fields.get("file")
    if part is None or part.filename is None:
        raise ApiError(400, "Missing required parameter: 'file'.", param="file", code="missing_required_parameter")
    purpose = fields["purpose"].data.decode("utf-8", "replace") if "purpose" in fields else ""
    if purpose not in PURPOSES:
        raise ApiError(400, f"Invalid value for 'purpose': {purpose!r}. Supported values are {', '.join(PURPOSES)}.",
                       param="purpose", code="invalid_value")
    expires = _expires_at(fields)
    ident = call.store.mint("file-", part.data + part.filename.encode() + purpose.encode())
    body = {"id": ident, "object": "file", "bytes": len(part.data), "created_at": CREATED, "filename": part.filename,
            "purpose": purpose, "status": "processed", "status_details": None, "expires_at": expires}
    call.store.files[ident] = StoredFile(body, part.data)
    return file_body(call.store.files[ident], call)


def list_files(call: Call) -> Reply:
    """GET /files (newest first)."""
    purpose = call.arg("purpose")
    stored = [s for s in call.store.files.values() if purpose in (None, s.body["purpose"])]
    if call.has(F.LIST_OMITS_NEW):
        stored = stored[:-1]
    return page([file_body(s, call) for s in stored], call, default_limit=10000)


def retrieve(call: Call) -> Reply:
    """GET /files/{id}."""
    return file_body(get_file(call, call.params[0]), call)


def content(call: Call) -> Reply:
    """GET /files/{id}/content: the bytes as uploaded."""
    data = get_file(call, call.params[0]).content
    if call.has(F.FILE_CONTENT_ALTERED):
        data = data.upper()
    return Response(200, {"Content-Type": "application/octet-stream"}, data)


def delete(call: Call) -> Reply:
    """DELETE /files/{id}."""
    ident = call.params[0]
    get_file(call, ident)
    return remove(call, call.store.files, ident, "file")


FILES = Scope.FILES
ROUTES: tuple[Endpoint, ...] = (
    Endpoint("POST", "/files", upload, FILES),
    Endpoint("GET", "/files", list_files, FILES),
    Endpoint("GET", "/files/{}", retrieve, FILES, RETRIEVES),
    Endpoint("GET", "/files/{}/content", content, FILES),
    Endpoint("DELETE", "/files/{}", delete, FILES),
)
