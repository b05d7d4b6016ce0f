"""Checks every JSON endpoint shares: the SDK parses it, the wire JSON matches the schema, the media type."""

from __future__ import annotations

from ..failures import Skip
from ..schemas import violations
from ..verdicts import Severity
from ..wire.endpoints import Endpoint
from ..wire.exchange import Exchange
from ._registry import check
from .context import CheckContext

_SCHEMA = {
    Endpoint.CHAT_COMPLETIONS: "chat.completion",
    Endpoint.EMBEDDINGS: "embeddings.response",
    Endpoint.MODELS_LIST: "models.list",
    Endpoint.MODELS_RETRIEVE: "model",
}


def schema_for(exchange: Exchange) -> str:
    """The wire schema name for a non-streamed 2xx response of this exchange."""
    try:
        return _SCHEMA[exchange.endpoint]
    except KeyError:
        raise Skip(f"no schema for {exchange.method} {exchange.path}") from None


@check("sdk.parse", Severity.MUST, "The official openai SDK parses the response without error")
def sdk_parse(ctx: CheckContext) -> None:
    """The SDK call (and, for streams, its iteration) raised no parsing error."""
    if ctx.primary.sdk_error:
        raise ctx.fail("openai SDK", "response parsed by the SDK", ctx.primary.sdk_error)


@check("schema.body", Severity.MUST, "The raw response JSON validates against the OpenAI wire schema")
def schema_body(ctx: CheckContext) -> None:
    """Validate the wire JSON, not the SDK's lenient objects."""
    name = schema_for(ctx.primary)
    problems = violations(name, ctx.body())
    if problems:
        path, message = problems[0]
        more = f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""
        raise ctx.fail(f"{path} [{name}]", "valid per schema", message + more)


@check("http.json_content_type", Severity.SHOULD, "A JSON response says Content-Type: application/json")
def json_content_type(ctx: CheckContext) -> None:
    """Media type of a non-streamed answer."""
    if ctx.primary.content_type != "application/json":
        raise ctx.fail("header content-type", "application/json", ctx.primary.content_type or "(none)")
