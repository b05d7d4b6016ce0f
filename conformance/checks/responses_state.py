"""Responses checks of issue 13 (part C): store:false keeps nothing, an unknown previous_response_id is refused, a
forced call streams as function_call events, and a chain keeps the function_call its output answers."""

from __future__ import annotations

from typing import Any

from ..failures import Failure, Ignored, NotDiscriminating, Skip, grouped
from ..verdicts import Severity
from ..wire.exchange import Exchange
from ._registry import check
from .context import CheckContext
from .flow import fail, find, step, step_body
from .needs import Need
from .responses import items_of, output_text
from .responses_stream import TERMINAL, decoded

NOT_FOUND_CODE = "previous_response_not_found"  # OpenAI's code for an unknown previous_response_id
CHAIN_STEPS = ("chain_unstored", "chain_unknown")
TEXT_EVENTS = ("response.output_text.delta", "response.output_text.done")


def _witness_ok(ctx: CheckContext, label: str) -> bool | None:
    """Whether the row's auxiliary step `label` (the same operation on a stored response) was answered 2xx; None when
    the row does not carry it."""
    found = find(ctx, label)
    return None if found is None else found[1].ok


@check("responses.unstored_not_retrievable", Severity.MUST, "A response created with store false is not retrievable "
       "(404)", needs=(Need.FLOW,))
def unstored_not_retrievable(ctx: CheckContext) -> None:
    """store: false (OAS CreateResponse.store) keeps nothing: GET /responses/{id} answers 404, as for any unknown id.
    Not discriminating when retrieving a stored response fails too (the 404 would then say nothing)."""
    created_ex, created = step_body(ctx, "unstored")
    after = step(ctx, "retrieve_unstored")
    if after.ok:
        raise Ignored("retrieve_unstored: HTTP status", "404 (store: false keeps nothing)",
                      f"{after.status}: response {created.get('id')} was stored", created_ex.summary())
    if after.status != 404:
        raise fail(after, "retrieve_unstored: HTTP status", "404 (not found)", after.status)
    if _witness_ok(ctx, "retrieve") is False:
        raise NotDiscriminating("retrieving a stored response (responses.lifecycle:retrieve) fails too: the 404 "
                                "does not show that store: false was honoured")


@check("responses.unstored_chain_refused", Severity.MUST, "previous_response_id naming a store-false response is "
       "refused with 4xx and an error envelope", needs=(Need.FLOW,))
def unstored_chain_refused(ctx: CheckContext) -> None:
    """A response that was not stored cannot be continued; answering the chain means it was kept after all.
    Not discriminating when chaining on a stored response is refused too."""
    chain = step(ctx, "chain_unstored")
    if chain.ok:
        raise Ignored("chain_unstored: HTTP status", "4xx (the referenced response was not stored)",
                      f"{chain.status}: the chain was answered", chain.summary())
    _refused_with_envelope(chain, "chain_unstored")
    if _witness_ok(ctx, "second") is False:
        raise NotDiscriminating("previous_response_id on a stored response (responses.previous:second) is refused "
                                "too: the refusal does not show that store: false was honoured")


def _refused_with_envelope(exchange: Exchange, label: str) -> None:
    """A 4xx whose body is an OpenAI error envelope with a string message; Failure otherwise."""
    if exchange.status is None or not 400 <= exchange.status < 500:
        raise fail(exchange, f"{label}: HTTP status", "4xx", exchange.status)
    try:
        error = exchange.json().get("error")
    except (ValueError, AttributeError):
        error = None
    if not isinstance(error, dict) or not isinstance(error.get("message"), str):
        raise fail(exchange, f"{label} $.error", "an error object with a string message",
                   exchange.text[:120] or "(empty body)")


def _chain_refusals(ctx: CheckContext) -> list[tuple[str, Exchange]]:
    """The row's own refused chain steps (chain_unstored, chain_unknown), as listed in its requests."""
    found = []
    for name in ctx.feature.requests:
        label = name.partition(":")[2]
        exchange = ctx.exchanges.get(name)
        if label in CHAIN_STEPS and exchange is not None and exchange.status is not None \
                and 400 <= exchange.status < 500:
            found.append((label, exchange))
    if not found:
        raise Skip("no refused previous_response_id request (graded by the row's other checks)")
    return found


@check("responses.previous_not_found_code", Severity.SHOULD, "A refused previous_response_id carries OpenAI's code "
       "previous_response_not_found", needs=(Need.FLOW,))
def previous_not_found_code(ctx: CheckContext) -> None:
    """OpenAI's code lets clients tell a lost chain from another 400. The OAS types error.code as a free string, so
    another provider's code is a deviation (SHOULD), never a failure."""
    refusals = _chain_refusals(ctx)
    if _witness_ok(ctx, "second") is False:
        raise NotDiscriminating("previous_response_id is refused on a stored response too "
                                "(responses.previous:second): the code names that refusal, not a lost response")
    found: list[tuple[Exchange, str, Any]] = []
    for label, exchange in refusals:
        try:
            error = exchange.json().get("error")
        except (ValueError, AttributeError):
            error = None
        code = error.get("code") if isinstance(error, dict) else None
        if code != NOT_FOUND_CODE:
            found.append((exchange, f"{label} $.error.code", code))
    if found:
        exchange, where, code = found[0]
        raise Failure(where, NOT_FOUND_CODE, code, exchange.summary(),
                      grouped((w, f"code {c!r}") for _x, w, c in found) if len(found) > 1 else ())


def _call_items(events: list[tuple[int, str | None, dict[str, Any]]]) -> dict[str, int]:
    """item id -> SSE event number of every function_call item the stream opened."""
    found: dict[str, int] = {}
    for n, _name, event in events:
        item = event.get("item")
        if event.get("type") == "response.output_item.added" and isinstance(item, dict) \
                and item.get("type") == "function_call" and isinstance(item.get("id"), str):
            found[item["id"]] = n
    return found


def _final_calls(events: list[tuple[int, str | None, dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    """item id -> function_call item of the terminal event's response."""
    final = next((e.get("response") for _n, _name, e in reversed(events) if e.get("type") in TERMINAL), None)
    items = (final or {}).get("output") or [] if isinstance(final, dict) else []
    return {i["id"]: i for i in items if isinstance(i, dict) and i.get("type") == "function_call"
            and isinstance(i.get("id"), str)}


@check("responses.stream.function_call_events", Severity.MUST, "A forced function call streams as "
       "function_call_arguments.delta/done events on a function_call item, not as output_text", needs=(Need.STREAM,))
def function_call_events(ctx: CheckContext) -> None:
    """OAS ResponseFunctionCallArgumentsDeltaEvent/DoneEvent: the SDK's stream helpers build the call from them.
    Joined deltas equal the done event's arguments and the final item's; no output_text event carries the call."""
    events = decoded(ctx.primary)
    opened = _call_items(events)
    final = _final_calls(events)
    texts = [n for n, _name, e in events if e.get("type") in TEXT_EVENTS]
    if not opened:
        if final:
            raise ctx.fail("response.output_item.added", "a function_call item opened in the stream",
                           f"none; the final response holds function_call {sorted(final)}"
                           + (f" and text came as output_text events #{texts[0]}.." if texts else ""))
        raise Ignored("stream events", "a function_call item (tool_choice forces the call)",
                      f"no function_call item{'; output_text events' if texts else ''}", ctx.primary.summary())
    problems: list[tuple[str, str, str]] = []
    joined: dict[str, str] = {ident: "" for ident in opened}
    done: dict[str, Any] = {}
    for n, _name, event in events:
        kind, ident = event.get("type"), event.get("item_id")
        if kind in TEXT_EVENTS and ident in opened:
            problems.append((f"event #{n} ({kind})", "no output_text event on a function_call item", str(ident)))
        elif kind == "response.function_call_arguments.delta" and ident in joined:
            joined[ident] += str(event.get("delta", ""))
        elif kind == "response.function_call_arguments.done" and ident in joined:
            done[ident] = event.get("arguments")
            if event.get("arguments") != joined[ident]:
                problems.append((f"event #{n} ({kind}) $.arguments", f"joined deltas {joined[ident]!r}",
                                 repr(event.get("arguments"))))
    for ident, n in opened.items():
        if ident not in done:
            problems.append((f"item {ident} (opened at event #{n})", "a response.function_call_arguments.done event",
                             "none"))
        elif not joined[ident]:
            problems.append((f"item {ident} (opened at event #{n})", "response.function_call_arguments.delta events",
                             "none"))
        item = final.get(ident)
        if item is not None and ident in done and item.get("arguments") != done[ident]:
            problems.append((f"terminal response item {ident} $.arguments", f"{done[ident]!r} (the done event)",
                             repr(item.get("arguments"))))
    if problems:
        where, expected, observed = problems[0]
        raise Failure(where, expected, observed, ctx.primary.summary(),
                      grouped((w, f"expected {e}, observed {o}") for w, e, o in problems) if len(problems) > 1 else ())


def _message(exchange: Exchange) -> str:
    """The error message of a refused step (or its first characters)."""
    try:
        error = exchange.json().get("error")
    except (ValueError, AttributeError):
        error = None
    message = error.get("message") if isinstance(error, dict) else None
    return message if isinstance(message, str) else exchange.text[:120]


@check("responses.chain_call_answered", Severity.MUST, "A function_call_output sent with only previous_response_id "
       "is accepted: the chain holds the function_call it answers", needs=(Need.FLOW,))
def chain_call_answered(ctx: CheckContext) -> None:
    """The forced call must exist to be answered; the output's call_id is only in the earlier response, so a 4xx
    (OpenAI: 400 "No tool call found for function call output") means the chain lost the function_call item.
    Not graded when previous_response_id is refused on any response (responses.previous_response_id says so)."""
    call_ex = step(ctx, "call")
    found = find(ctx, "answer")
    if found is None:
        raise Ignored("call: stream events", "a function_call item to answer (tool_choice names get_weather)",
                      "no function_call item: nothing to answer", call_ex.summary())
    answer_ex = step(ctx, "answer")
    if answer_ex.ok:
        return
    if _witness_ok(ctx, "second") is False:
        raise Skip("previous_response_id is refused on a plain stored response too (responses.previous:second): "
                   "graded once, by responses.previous_response_id")
    raise fail(answer_ex, "answer: HTTP status", "2xx (the chain holds the function_call)",
               f"{answer_ex.status}: {_message(answer_ex)}")


@check("responses.chain_reply", Severity.MUST, "After a chained function_call_output the model replies instead of "
       "calling the tool again", needs=(Need.FLOW,))
def chain_reply(ctx: CheckContext) -> None:
    """Calling the same tool again means the output was not paired with the call (model-dependent: a model may call
    again of its own accord)."""
    answer_ex = step(ctx, "answer")
    if not answer_ex.ok:
        raise Skip(f"the chained output was refused (HTTP {answer_ex.status}): graded by chain_call_answered")
    _ex, value = step_body(ctx, "answer")
    answered = [o.get("call_id") for o in answer_ex.request_json.get("input") or [] if isinstance(o, dict)]
    again = items_of(value, "function_call")
    if again:
        raise Ignored("answer $.output", f"an assistant message answering call {answered}",
                      f"{len(again)} new function_call item(s) ({again[0].get('name')}): the output was not paired "
                      "with the call", answer_ex.summary())
    if not output_text(value):
        raise fail(answer_ex, "answer output_text", "a non-empty reply to the tool output", output_text(value))


@check("responses.compacted", Severity.MUST, "/responses/compact returns a response.compaction whose output ends "
       "with one compaction item", needs=(Need.ANSWER,))
def compacted(ctx: CheckContext) -> None:
    """SDK CompactedResponse.output: "all user messages, followed by a single compaction item" (OAS CompactResource).
    The input handed back without a compaction item is a 200 that compacted nothing."""
    value = ctx.body()
    if value.get("object") != "response.compaction":
        raise ctx.fail("$.object", "response.compaction", value.get("object"))
    output = value.get("output")
    items = [i for i in output if isinstance(i, dict)] if isinstance(output, list) else []
    kinds = [i.get("type") for i in items]
    found = [n for n, kind in enumerate(kinds) if kind == "compaction"]
    if not found:
        raise Ignored("$.output[*].type", "a compaction item", f"none (items {kinds})", ctx.primary.summary())
    if found != [len(kinds) - 1]:
        raise ctx.fail("$.output[*].type", "exactly one compaction item, last", kinds)
    if not isinstance(items[-1].get("encrypted_content"), str) or not items[-1]["encrypted_content"]:
        raise ctx.fail(f"$.output[{found[0]}].encrypted_content", "a non-empty string",
                       items[-1].get("encrypted_content"))
