"""Checks every JSON endpoint shares: the SDK parses it, the wire JSON matches the schema, the media type."""

from __future__ import annotations

from collections.abc import Sequence

from ..failures import Failure, Skip, grouped
from ..schemas import violations
from ..verdicts import Severity
from ..wire.endpoints import Endpoint
from ..wire.exchange import Exchange
from ._registry import check
from .context import CheckContext
from .needs import Need

_SCHEMA = {
    Endpoint.CHAT_COMPLETIONS: "chat.completion",
    Endpoint.EMBEDDINGS: "embeddings.response",
    Endpoint.MODELS_LIST: "models.list",
    Endpoint.MODELS_RETRIEVE: "model",
    Endpoint.RESPONSES_CREATE: "response",
    Endpoint.RESPONSES_RETRIEVE: "response",
    Endpoint.RESPONSES_CANCEL: "response",
    Endpoint.RESPONSES_DELETE: "response.deleted",
    Endpoint.RESPONSES_INPUT_ITEMS: "response.input_items",
    Endpoint.RESPONSES_COMPACT: "response.compaction",
    Endpoint.CONVERSATIONS_CREATE: "conversation",
    Endpoint.CONVERSATIONS_RETRIEVE: "conversation",
    Endpoint.CONVERSATIONS_UPDATE: "conversation",
    Endpoint.CONVERSATIONS_DELETE: "conversation.deleted",
    Endpoint.CONVERSATION_ITEMS_CREATE: "conversation.item_list",
    Endpoint.CONVERSATION_ITEMS_LIST: "conversation.item_list",
    Endpoint.CONVERSATION_ITEM_RETRIEVE: "conversation.item",
    Endpoint.CONVERSATION_ITEM_DELETE: "conversation",
    Endpoint.FILES_CREATE: "file",
    Endpoint.FILES_LIST: "files.list",
    Endpoint.FILES_RETRIEVE: "file",
    Endpoint.FILES_DELETE: "file.deleted",
    Endpoint.VECTOR_STORES_CREATE: "vector_store",
    Endpoint.VECTOR_STORES_LIST: "vector_stores.list",
    Endpoint.VECTOR_STORES_RETRIEVE: "vector_store",
    Endpoint.VECTOR_STORES_UPDATE: "vector_store",
    Endpoint.VECTOR_STORES_DELETE: "vector_store.deleted",
    Endpoint.VECTOR_STORES_SEARCH: "vector_store.search_results.page",
    Endpoint.VECTOR_STORE_FILES_CREATE: "vector_store.file",
    Endpoint.VECTOR_STORE_FILES_LIST: "vector_store.files.list",
    Endpoint.VECTOR_STORE_FILES_RETRIEVE: "vector_store.file",
    Endpoint.VECTOR_STORE_FILES_DELETE: "vector_store.file.deleted",
    Endpoint.FILE_BATCHES_CREATE: "vector_store.file_batch",
    Endpoint.FILE_BATCHES_RETRIEVE: "vector_store.file_batch",
    Endpoint.FILE_BATCHES_CANCEL: "vector_store.file_batch",
    Endpoint.FILE_BATCHES_FILES: "vector_store.files.list",
}


# The named request whose answer is each schema's basic answer on its surface: a schema defect every answer of that
# schema shows is one shape finding, reported on that request's row (principle 6; runner.engine applies it).
SHAPE_REFERENCE: dict[str, str] = {
    "chat.completion": "chat.basic", "response": "responses.lifecycle:create",
    "embeddings.response": "embeddings.float", "models.list": "models.list",
}
SHAPE_CHECKS = ("schema.body", "schema.flow")


def shape_schema(exchange: Exchange | None) -> str | None:
    """The wire schema a 2xx non-streamed JSON answer is validated against (None for anything else)."""
    if exchange is None or exchange.is_stream or not exchange.ok or not exchange.body.strip():
        return None
    try:
        return schema_for(exchange)
    except Skip:
        return None


def headers_recorded(exchange: Exchange) -> bool:
    """Whether the answer's Content-Type is evidence: always for live traffic, for a recording only when stored.

    Principle 1: a recording whose recorder dropped the header says nothing about what the server sent.
    """
    return exchange.headers_as_sent or bool(exchange.content_type)


def schema_for(exchange: Exchange) -> str:
    """The wire schema name for a non-streamed 2xx response of this exchange."""
    try:
        return _SCHEMA[exchange.endpoint]
    except KeyError:
        raise Skip(f"no schema for {exchange.method} {exchange.path}") from None


def schema_failure(name: str, problems: Sequence[tuple[str, str]], request: str, label: str = "") -> Failure:
    """Every schema violation, grouped by path, the most specific first: the first in `where`, all in details."""
    path, message = problems[0]
    details = grouped((f"{label}{p}", m) for p, m in problems) if len(problems) > 1 else ()
    more = f" (and {len(problems) - 1} more, listed)" if len(problems) > 1 else ""
    return Failure(f"{label}{path} [{name}]", "valid per schema", message + more, request, details)


@check("sdk.parse", Severity.MUST, "The official openai SDK parses the response without error", needs=(Need.SDK,))
def sdk_parse(ctx: CheckContext) -> None:
    """The SDK call (and, for streams, its iteration) raised no parsing error."""
    if ctx.primary.sdk_error:
        raise ctx.fail("openai SDK", "response parsed by the SDK", ctx.primary.sdk_error)


@check("schema.body", Severity.MUST, "The raw response JSON validates against the OpenAI wire schema",
       needs=(Need.BODY,))
def schema_body(ctx: CheckContext) -> None:
    """Validate the wire JSON, not the SDK's lenient objects."""
    name = schema_for(ctx.primary)
    problems = violations(name, ctx.body())
    if problems:
        raise schema_failure(name, problems, ctx.primary.summary())


@check("http.json_content_type", Severity.SHOULD, "A JSON response says Content-Type: application/json",
       needs=(Need.BODY,))
def json_content_type(ctx: CheckContext) -> None:
    """Media type of a non-streamed answer (not graded on a recording that stored no Content-Type)."""
    if not headers_recorded(ctx.primary):
        raise Skip("the recording stored no Content-Type header: absence of evidence, not a wrong media type")
    if ctx.primary.content_type != "application/json":
        raise ctx.fail("header content-type", "application/json", ctx.primary.content_type or "(none)")
