"""Checks on flows (several labelled requests): every answer's schema, retrieve = create, delete acknowledged and
really gone; plus the helpers the surface checks use to read a flow's steps.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

from ..failures import Failure, Ignored, Inconclusive, Skip
from ..schemas import violations
from ..verdicts import Severity
from ..wire.endpoints import Endpoint
from ..wire.exchange import Exchange
from ._registry import check
from .common import schema_failure, schema_for
from .context import CheckContext
from .needs import Need

TRANSIENT = frozenset({429, 500, 502, 503, 504})
NONCE = re.compile(r"\b[A-Z0-9]{2,}(?:-[A-Z0-9]{2,}){2,}\b")
_NAME = re.compile(rb'name="([^"]*)"')
_FILENAME = re.compile(rb'filename="([^"]*)"')


def find(ctx: CheckContext, label: str) -> tuple[str, Exchange] | None:
    """The exchange labelled `label` that the feature reads, with its name.

    A step the feature names decides first: `<request>:<label>`, or a shared flow's scoped step
    `<request>:<stage>/<label>` (one flow serves several rows, so only the row's own list says which `list` or
    `poll` it means). Otherwise the first unscoped `<request>:<label>` of the feature's flows.
    """
    for name in ctx.feature.requests:
        step_label = name.partition(":")[2]
        if label in (step_label, step_label.rpartition("/")[2]) and name in ctx.exchanges:
            return name, ctx.exchanges[name]
    flows = [name.partition(":")[0] for name in ctx.feature.requests]
    for flow in dict.fromkeys(flows):
        exchange = ctx.exchanges.get(f"{flow}:{label}")
        if exchange is not None:
            return f"{flow}:{label}", exchange
    return None


def step(ctx: CheckContext, label: str) -> Exchange:
    """The exchange labelled `label`; Skip when the flow never sent it; Inconclusive on 429/5xx."""
    found = find(ctx, label)
    if found is None:
        raise Skip(f"the flow sent no {label!r} request")
    name, exchange = found
    if exchange.status is None or exchange.status in TRANSIENT:
        raise Inconclusive(f"{name}: {exchange.transport_error or f'HTTP {exchange.status}'}")
    return exchange


def fail(exchange: Exchange, where: str, expected: Any, observed: Any) -> Failure:
    """A Failure whose evidence names this step's request."""
    return Failure(where, expected, observed, exchange.summary())


def body(exchange: Exchange, what: str = "") -> dict[str, Any]:
    """The 2xx JSON object answer of a step; Failure otherwise."""
    label = what or exchange.path
    if not exchange.ok:
        raise fail(exchange, f"{label}: HTTP status", "2xx", exchange.status)
    try:
        value = exchange.json()
    except ValueError:
        raise fail(exchange, f"{label}: body", "a JSON object", exchange.text[:120] or "(empty)") from None
    if not isinstance(value, dict):
        raise fail(exchange, f"{label}: body", "a JSON object", value)
    return value


def step_body(ctx: CheckContext, label: str) -> tuple[Exchange, dict[str, Any]]:
    """The exchange labelled `label` and its 2xx JSON object answer."""
    exchange = step(ctx, label)
    return exchange, body(exchange, label)


def last_segment(exchange: Exchange) -> str:
    """The last path segment of the request (the id a retrieve or delete named)."""
    return unquote(exchange.path.rstrip("/").rsplit("/", 1)[-1])


def upload_of(exchange: Exchange) -> tuple[str, bytes]:
    """(filename, bytes) of the file part of a multipart upload request."""
    raw = exchange.request_body
    boundary = raw.split(b"\r\n", 1)[0]
    for part in raw.split(boundary)[1:]:
        head, _, data = part.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        name = _NAME.search(head)
        filename = _FILENAME.search(head)
        if name and name.group(1) == b"file" and filename:
            return filename.group(1).decode("utf-8", "replace"), data.removesuffix(b"\r\n")
    raise Skip("the upload request carried no file part")


def require_fields(exchange: Exchange, step_label: str, value: dict[str, Any], expected: dict[str, Any]) -> None:
    """Every expected key of a step's answer has the expected value; Failure names the first that does not."""
    for key, want in expected.items():
        if value.get(key) != want:
            raise fail(exchange, f"{step_label} $.{key}", want, value.get(key))


def require_echo(ctx: CheckContext, step_label: str, key: str) -> None:
    """The step's answer shows the value it sent for `key` (Ignored otherwise: the update had no effect)."""
    exchange, value = step_body(ctx, step_label)
    sent = exchange.request_json.get(key)
    if value.get(key) != sent:
        raise Ignored(f"{step_label} $.{key}", sent, value.get(key), exchange.summary())


def require_listed(ctx: CheckContext, created_label: str, list_label: str = "list") -> None:
    """The id of what `created_label` made appears in the first page of `list_label`."""
    _created_ex, value = step_body(ctx, created_label)
    list_ex, listing = step_body(ctx, list_label)
    if value.get("id") not in page_ids(listing):
        raise fail(list_ex, f"{list_label} $.data[*].id", f"includes {value.get('id')}", page_ids(listing)[:10])


def page_ids(value: dict[str, Any]) -> list[Any]:
    """Ids of the objects of a list page."""
    data = value.get("data")
    return [row.get("id") for row in data if isinstance(row, dict)] if isinstance(data, list) else []


def _schema_name(exchange: Exchange) -> str | None:
    if exchange.is_stream or not exchange.ok or exchange.content_type != "application/json":
        return None
    if not exchange.body.strip():
        return None
    try:
        return schema_for(exchange)
    except Skip:
        return None


@check("schema.flow", Severity.MUST, "Every 2xx JSON answer of the flow validates against its OpenAI wire schema",
       needs=(Need.FLOW,))
def schema_flow(ctx: CheckContext) -> None:
    """Each listed request's body against the schema of its endpoint (objects, lists, deleted objects)."""
    checked = 0
    for name in ctx.feature.requests:
        exchange = ctx.exchanges.get(name)
        schema = _schema_name(exchange) if exchange is not None else None
        if exchange is None or schema is None:
            continue
        try:
            value = exchange.json()
        except ValueError:
            raise fail(exchange, f"{name}: body", "JSON", exchange.text[:120]) from None
        problems = violations(schema, value)
        if problems:
            raise schema_failure(schema, problems, exchange.summary(), f"{name} ")
        checked += 1
    if not checked:
        raise Skip("no 2xx JSON answer to validate")


_STABLE = ("object", "model", "name", "filename", "bytes", "purpose", "metadata", "created_at", "vector_store_id")


def _texts(value: dict[str, Any]) -> list[str]:
    texts = []
    for item in value.get("output") or []:
        for part in (item.get("content") or []) if isinstance(item, dict) else []:
            if isinstance(part, dict) and isinstance(part.get("text"), str):
                texts.append(part["text"])
    return texts


@check("lifecycle.retrieve_matches", Severity.MUST, "Retrieving an object returns the one created (same id, fields)",
       needs=(Need.FLOW,))
def retrieve_matches(ctx: CheckContext) -> None:
    """The id asked for, and the created object's stable fields (and a response's output text) unchanged."""
    created_ex = find(ctx, "create") or find(ctx, "upload")
    if created_ex is None:
        raise Skip("no create step")
    created = body(created_ex[1], created_ex[0])
    retrieved_ex, retrieved = step_body(ctx, "retrieve")
    asked = last_segment(retrieved_ex)
    if retrieved.get("id") != asked or asked != created.get("id"):
        raise fail(retrieved_ex, "retrieve $.id", f"{created.get('id')} (the created id, asked for)",
                   retrieved.get("id"))
    for key in _STABLE:
        if key in created and key in retrieved and created[key] != retrieved[key]:
            raise fail(retrieved_ex, f"retrieve $.{key}", created[key], retrieved[key])
    if created.get("object") == "response" and created.get("status") == retrieved.get("status") \
            and _texts(created) != _texts(retrieved):
        raise fail(retrieved_ex, "retrieve $.output[*].content[*].text", _texts(created), _texts(retrieved))


def _deleted_answer(ctx: CheckContext) -> tuple[Exchange, str]:
    found = find(ctx, "delete") or find(ctx, "detach")
    if found is None:
        raise Skip("no delete step")
    name, exchange = found
    if exchange.status is None or exchange.status in TRANSIENT:
        raise Inconclusive(f"{name}: HTTP {exchange.status}")
    return exchange, name


@check("lifecycle.deleted_ack", Severity.MUST, "A delete answers 2xx with {id, deleted: true}", needs=(Need.FLOW,))
def deleted_ack(ctx: CheckContext) -> None:
    """The deletion acknowledgement names the deleted id (a Responses delete may have no body)."""
    exchange, name = _deleted_answer(ctx)
    if not exchange.ok:
        raise fail(exchange, f"{name}: HTTP status", "2xx", exchange.status)
    if not exchange.body.strip() and exchange.endpoint is Endpoint.RESPONSES_DELETE:
        return
    value = body(exchange, name)
    if value.get("deleted") is not True:
        raise fail(exchange, f"{name} $.deleted", True, value.get("deleted"))
    if value.get("id") != last_segment(exchange):
        raise fail(exchange, f"{name} $.id", last_segment(exchange), value.get("id"))


@check("lifecycle.gone_after_delete", Severity.MUST, "After a successful delete the object is gone (404)",
       needs=(Need.FLOW,))
def gone_after_delete(ctx: CheckContext) -> None:
    """A delete that answers deleted:true must actually delete."""
    deleted, _name = _deleted_answer(ctx)
    if not deleted.ok:
        raise Skip("the delete itself was refused")
    after = step(ctx, "after_delete")
    if after.status != 404:
        raise fail(after, "after_delete: HTTP status", "404 (deleted)", after.status)
