"""Conversations API checks: the conversation object, its items, and responses attached to it."""

from __future__ import annotations

from typing import Any

from ..failures import Ignored
from ..verdicts import Severity
from ..wire.exchange import Exchange
from ._registry import check
from .context import CheckContext
from .flow import fail, last_segment, page_ids, require_echo, step_body
from .needs import Need
from .responses import code_word, echoed, mentions, output_text


def _texts(item: dict[str, Any]) -> str:
    content = item.get("content")
    if isinstance(content, str):
        return content
    return "".join(p.get("text", "") for p in content or [] if isinstance(p, dict) and isinstance(p.get("text"), str))


def _sent_texts(exchange: Exchange, key: str = "items") -> list[str]:
    return [_texts(i) for i in exchange.request_json.get(key) or [] if isinstance(i, dict)]


@check("conversations.created", Severity.MUST, "create returns a conversation object echoing its metadata",
       needs=(Need.FLOW,))
def created(ctx: CheckContext) -> None:
    """object conversation, an id, metadata as sent."""
    create_ex, value = step_body(ctx, "create")
    if value.get("object") != "conversation" or not isinstance(value.get("id"), str):
        shown = {k: value.get(k) for k in ("object", "id")}
        raise fail(create_ex, "create $", "{object: conversation, id: str}", shown)
    sent = create_ex.request_json.get("metadata") or {}
    if value.get("metadata") != sent:
        raise fail(create_ex, "create $.metadata", sent, value.get("metadata"))


@check("conversations.update_applied", Severity.MUST, "update replaces the conversation's metadata", needs=(Need.FLOW,))
def update_applied(ctx: CheckContext) -> None:
    """The answer to update shows the new metadata."""
    require_echo(ctx, "update", "metadata")


@check("conversations.items_listed", Severity.MUST, "Items added to a conversation are listed with their text",
       needs=(Need.FLOW,))
def items_listed(ctx: CheckContext) -> None:
    """Every id returned by items.create appears in items.list, with the text that was sent."""
    add_ex, added = step_body(ctx, "add")
    ids = page_ids(added)
    if len(ids) != len(_sent_texts(add_ex)):
        raise fail(add_ex, "add $.data", f"{len(_sent_texts(add_ex))} created items", ids)
    list_ex, listed = step_body(ctx, "list")
    rows = {row.get("id"): row for row in listed.get("data") or [] if isinstance(row, dict)}
    missing = [i for i in ids if i not in rows]
    if missing:
        raise fail(list_ex, "list $.data[*].id", f"includes {ids}", list(rows))
    for ident, text in zip(ids, _sent_texts(add_ex), strict=True):
        if _texts(rows[ident]) != text:
            raise fail(list_ex, f"list item {ident} text", text, _texts(rows[ident]))


@check("conversations.item_retrieved", Severity.MUST, "An item is retrieved by id from its conversation",
       needs=(Need.FLOW,))
def item_retrieved(ctx: CheckContext) -> None:
    """The retrieved item has the id asked for and the text that was added."""
    _add_ex, added = step_body(ctx, "add")
    get_ex, item = step_body(ctx, "retrieve_item")
    asked = last_segment(get_ex)
    if item.get("id") != asked:
        raise fail(get_ex, "retrieve_item $.id", asked, item.get("id"))
    first = next((row for row in added.get("data") or [] if isinstance(row, dict) and row.get("id") == asked), None)
    if first is not None and _texts(item) != _texts(first):
        raise fail(get_ex, "retrieve_item text", _texts(first), _texts(item))


@check("conversations.item_deleted", Severity.MUST, "A deleted item disappears from the conversation's items",
       needs=(Need.FLOW,))
def item_deleted(ctx: CheckContext) -> None:
    """delete_item answers with the conversation; the next list no longer has the item."""
    delete_ex, value = step_body(ctx, "delete_item")
    if value.get("object") != "conversation":
        raise fail(delete_ex, "delete_item $.object", "conversation", value.get("object"))
    list_ex, listed = step_body(ctx, "list_after_delete")
    gone = last_segment(delete_ex)
    if gone in page_ids(listed):
        raise fail(list_ex, "list_after_delete $.data[*].id", f"no {gone} (deleted)", page_ids(listed))


def _turns(ctx: CheckContext) -> tuple[Exchange, dict[str, Any], Exchange, dict[str, Any]]:
    first_ex, first = step_body(ctx, "first")
    second_ex, second = step_body(ctx, "second")
    return first_ex, first, second_ex, second


@check("conversations.response_items", Severity.MUST, "A response with conversation= appends its input and output "
       "to the conversation's items", needs=(Need.FLOW,))
def response_items(ctx: CheckContext) -> None:
    """After two turns the items end with both user inputs, in order, and an assistant message after each.

    Items the conversation held before the turns (it may have been created with some) come first and are not
    graded: a response appends to the conversation, so only the tail is its effect.
    """
    first_ex, _first, second_ex, _second = _turns(ctx)
    items_ex, listed = step_body(ctx, "items")
    rows = [row for row in listed.get("data") or [] if isinstance(row, dict)]
    if "order=asc" not in items_ex.url:
        rows.reverse()  # the default order is newest first
    sent = [first_ex.request_json.get("input"), second_ex.request_json.get("input")]
    at = [i for i, row in enumerate(rows) if row.get("role") == "user"][-len(sent):]
    users = [_texts(rows[i]) for i in at]
    if users != sent:
        raise Ignored("items $.data[role=user]", f"ends with {sent}", users, items_ex.summary())
    roles = [row.get("role") for row in rows[at[0]:]]
    if roles.count("assistant") < 2 or roles[-1] != "assistant":
        raise fail(items_ex, "items $.data[*].role (from the first turn)", "user, assistant, user, assistant",
                   roles)


@check("conversations.response_context", Severity.MUST, "A conversation carries context between responses",
       needs=(Need.FLOW,))
def response_context(ctx: CheckContext) -> None:
    """The second turn only names the conversation; answering the code word proves it was read."""
    first_ex, _first, second_ex, second = _turns(ctx)
    code = code_word(first_ex)
    text = output_text(second)
    if not mentions(text, code):
        raise Ignored("second output_text", f"contains {code} (said earlier in the conversation)", text,
                      second_ex.summary())


@check("conversations.response_echo", Severity.SHOULD, "A response created in a conversation names it",
       needs=(Need.FLOW,))
def response_echo(ctx: CheckContext) -> None:
    """$.conversation.id of each turn is the conversation's id."""
    _create_ex, conversation = step_body(ctx, "create")
    for label in ("first", "second"):
        turn_ex, turn = step_body(ctx, label)
        found = echoed(ctx, turn, "conversation")
        ident = found.get("id") if isinstance(found, dict) else None
        if ident != conversation.get("id"):
            raise fail(turn_ex, f"{label} $.conversation.id", conversation.get("id"), found)
