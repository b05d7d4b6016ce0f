"""Responses API checks that span time or other surfaces: background runs (poll, cancel) and file_search."""

from __future__ import annotations

from ..failures import Ignored, Skip
from ..verdicts import Severity
from ._registry import check
from .context import CheckContext
from .flow import NONCE, fail, find, step, step_body, upload_of
from .needs import Need
from .responses import items_of, mentions, output_text

QUEUED = ("queued", "in_progress")


@check("responses.background_queued", Severity.MUST, "background=true answers at once with status queued/in_progress",
       needs=(Need.FLOW,))
def background_queued(ctx: CheckContext) -> None:
    """A server that runs the request synchronously ignored background."""
    created_ex, created = step_body(ctx, "create")
    if created.get("status") not in QUEUED:
        raise Ignored("create $.status", "queued or in_progress (background)", created.get("status"),
                      created_ex.summary())
    if created.get("background") is not True:
        raise fail(created_ex, "create $.background", True, created.get("background"))


@check("responses.background_completes", Severity.MUST, "A background response reaches completed when polled",
       needs=(Need.FLOW,))
def background_completes(ctx: CheckContext) -> None:
    """The last poll (within options.poll_timeout) shows completed with output text."""
    polled_ex = step(ctx, "poll")
    if not polled_ex.ok:
        raise Skip(f"the response cannot be retrieved (HTTP {polled_ex.status}; graded by responses.retrieve)")
    polled_ex, polled = step_body(ctx, "poll")
    if polled.get("status") != "completed":
        raise fail(polled_ex, "last poll $.status", "completed within poll_timeout", polled.get("status"))
    if not output_text(polled):
        raise fail(polled_ex, "last poll output_text", "the finished answer", output_text(polled))


@check("responses.background_cancel", Severity.MUST, "Cancelling a queued background response makes it cancelled",
       needs=(Need.FLOW,))
def background_cancel(ctx: CheckContext) -> None:
    """status cancelled after cancel (a response that already finished cannot be judged). A refused cancel (4xx) is
    judged by step after_cancel: finished by then, not judged (servers answer a finished response unchanged or
    refuse it); still queued or running, the cancel was refused while there was something to cancel."""
    _target_ex, target = step_body(ctx, "cancel_create")
    if target.get("status") not in QUEUED:
        raise Skip(f"background was not honoured (status {target.get('status')}): nothing to cancel")
    cancel_ex = step(ctx, "cancel")
    if cancel_ex.status is not None and 400 <= cancel_ex.status < 500 and find(ctx, "after_cancel") is not None:
        _after_ex, after = step_body(ctx, "after_cancel")
        if after.get("status") not in QUEUED:
            raise Skip(f"the cancel was refused (HTTP {cancel_ex.status}) once the response had finished "
                       f"({after.get('status')}): nothing left to cancel")
        raise fail(cancel_ex, "cancel: HTTP status", f"2xx (the response was still {after.get('status')} after it)",
                   cancel_ex.status)
    cancel_ex, cancelled = step_body(ctx, "cancel")
    status = cancelled.get("status")
    if status in ("completed", "incomplete", "failed"):
        raise Skip(f"the response finished ({status}) before it could be cancelled")
    if status != "cancelled":
        raise Ignored("cancel $.status", "cancelled", status, cancel_ex.summary())


def _uploaded_code(ctx: CheckContext) -> tuple[str, str]:
    """The uploaded file id and the code word only that file holds."""
    upload_ex, uploaded = step_body(ctx, "upload")
    _name, content = upload_of(upload_ex)
    found = NONCE.findall(content.decode("utf-8", "replace"))
    if not found:
        raise Skip("the uploaded file holds no code word")
    return str(uploaded.get("id")), found[0]


@check("responses.file_search_call", Severity.MUST, "file_search runs: a completed file_search_call whose results "
       "cite the uploaded file", needs=(Need.FLOW,))
def file_search_call(ctx: CheckContext) -> None:
    """The output has a file_search_call; with results included they name the indexed file."""
    file_id, _code = _uploaded_code(ctx)
    search_ex, value = step_body(ctx, "search")
    calls = items_of(value, "file_search_call")
    if not calls:
        kinds = [i.get("type") for i in value.get("output") or [] if isinstance(i, dict)]
        raise Ignored("search $.output", "a file_search_call item", kinds, search_ex.summary())
    call = calls[0]
    if call.get("status") != "completed":
        raise fail(search_ex, "file_search_call $.status", "completed", call.get("status"))
    results = call.get("results")
    if isinstance(results, list) and file_id not in [r.get("file_id") for r in results if isinstance(r, dict)]:
        raise fail(search_ex, "file_search_call $.results[*].file_id", f"includes {file_id}",
                   [r.get("file_id") for r in results if isinstance(r, dict)])


@check("responses.file_search_answer", Severity.SHOULD, "The answer carries the fact only the uploaded file holds",
       needs=(Need.FLOW,))
def file_search_answer(ctx: CheckContext) -> None:
    """The code word comes from the synthetic file and nowhere else."""
    _file_id, code = _uploaded_code(ctx)
    search_ex, value = step_body(ctx, "search")
    text = output_text(value)
    if not mentions(text, code):
        raise Ignored("search output_text", f"contains {code} (from the file)", text, search_ex.summary())
