"""Models API checks."""

from __future__ import annotations

from urllib.parse import unquote

from ..verdicts import Severity
from ._registry import check
from .context import CheckContext
from .needs import Need


@check("models.nonempty", Severity.MUST, "GET /models lists at least one model with a string id", needs=(Need.ANSWER,))
def nonempty(ctx: CheckContext) -> None:
    """An empty list makes model discovery impossible."""
    data = ctx.body().get("data")
    if not isinstance(data, list) or not data:
        raise ctx.fail("$.data", "a non-empty list of models", data)


@check("models.configured_listed", Severity.SHOULD, "The configured chat model appears in GET /models",
       needs=(Need.ANSWER, Need.OPTIONS))
def configured_listed(ctx: CheckContext) -> None:
    """Discovery should show the model users are told to call."""
    wanted = ctx.options.get("model.chat")
    data = ctx.body().get("data") or []
    ids = [m.get("id") for m in data if isinstance(m, dict)]
    if wanted and wanted not in ids:
        raise ctx.fail("$.data[*].id", f"contains {wanted!r}", f"{len(ids)} ids, e.g. {ids[:3]}")


@check("models.retrieve_id", Severity.MUST, "GET /models/{id} returns that model", needs=(Need.ANSWER,))
def retrieve_id(ctx: CheckContext) -> None:
    """The retrieved object's id equals the id in the path."""
    asked = unquote(ctx.primary.path.split("/models/", 1)[-1])
    got = ctx.body().get("id")
    if got != asked:
        raise ctx.fail("$.id", asked, got)
