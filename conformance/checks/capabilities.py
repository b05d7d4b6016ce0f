"""Checks of issue 13 part B on non-streamed chat answers: the image was read, every listed chat model works."""

from __future__ import annotations

from typing import Any

from ..failures import Ignored, Inconclusive, NotDiscriminating, Skip
from ..verdicts import Severity
from ..wire.exchange import Exchange, error_about_model
from ._registry import check
from .context import CheckContext
from .needs import Need

TRANSIENT = frozenset({429, 500, 502, 503, 504})
IMAGE = "an 8x8 PNG image_url data URL beside chat.basic's text"


def _prompt_tokens(exchange: Exchange) -> int | None:
    """usage.prompt_tokens of a 2xx JSON answer, or None when it reports none."""
    try:
        usage = exchange.json().get("usage")
    except (ValueError, AttributeError):
        return None
    value = usage.get("prompt_tokens") if isinstance(usage, dict) else None
    return value if type(value) is int else None


@check("chat.image_counted", Severity.MUST, "The image part counts in usage.prompt_tokens (more than the same text "
       "alone)", needs=(Need.BODY, Need.SECOND_REQUEST))
def image_counted(ctx: CheckContext) -> None:
    """Effect over echo: a model that reads the image is charged input tokens for it (OpenAI, vLLM and llama.cpp
    count them), so the answer's prompt tokens exceed chat.basic's, whose text and system message are the same.
    A server that drops the part silently answers with the text's count: IGNORED. No usage: not graded."""
    with_image = _prompt_tokens(ctx.primary)
    text_only = _prompt_tokens(ctx.auxiliary("chat.basic"))
    if with_image is None or text_only is None:
        raise Skip("usage.prompt_tokens is not reported by both answers: absence of evidence")
    if with_image <= text_only:
        raise Ignored("$.usage.prompt_tokens", f"more than {text_only} (chat.basic: the same text without the "
                      f"image)", f"{with_image} ({IMAGE}: the image was not counted, so not read)",
                      ctx.primary.summary())


def _message(exchange: Exchange) -> str:
    try:
        return str(exchange.json()["error"]["message"])[:160]
    except (ValueError, KeyError, TypeError):
        return exchange.text[:160]


@check("models.usable", Severity.MUST, "Every chat-capable id GET /models lists answers a chat request that names "
       "it unchanged", needs=(Need.FLOW, Need.OPTIONS))
def usable(ctx: CheckContext) -> None:
    """One tiny request per listed id the profile marks chat-capable (`[options] chat_models`); a refusal about the
    model (404, model_not_found, param model, or the id named in the message) is a listed model that does not
    work. A refusal about something else (the request's max_tokens, say) proves nothing about the id."""
    if not ctx.options.get("chat_models"):
        raise Skip("the profile marks no listed id chat-capable ([options] chat_models is not set)")
    prefix = f"{ctx.feature.primary.partition(':')[0]}:model:"
    tried = {name[len(prefix):]: ex for name, ex in ctx.exchanges.items() if name.startswith(prefix)}
    if not tried:
        raise NotDiscriminating("no id GET /models listed matches [options] chat_models (nothing was tried)")
    found: list[tuple[str, Any, Any]] = []
    first: Exchange | None = None
    decided = 0
    for ident, ex in sorted(tried.items()):
        if ex.status is None or ex.status in TRANSIENT:
            raise Inconclusive(f"model {ident}: {ex.transport_error or f'HTTP {ex.status}'}")
        if ex.ok:
            decided += 1
        elif ex.status == 404 or error_about_model(ex):
            decided += 1
            first = first or ex
            found.append((f"model {ident!r}", "a 2xx chat completion (the id as GET /models listed it)",
                          f"HTTP {ex.status}: {_message(ex)}"))
    if not decided:
        raise NotDiscriminating(f"every tried id was refused for something other than the model ({len(tried)} id(s))")
    ctx.fail_all(found, first)
