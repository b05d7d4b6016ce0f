"""Chat Completions parameter checks (issue 13 part A): developer role, n, stop, seed, logprobs, sampling ranges, and
the empty answer. Each judges the parameter's observable effect, never the model's wording (principle 4).
"""

from __future__ import annotations

import math
from typing import Any

from ..failures import Failure, Ignored, Inconclusive, NotDiscriminating, Skip
from ..verdicts import Severity
from ..wire.exchange import Exchange
from ._registry import check
from .chat import answer_form, first_choice, message_of
from .context import CheckContext
from .flow import NONCE, TRANSIENT, step_body
from .needs import Need
from .responses import mentions

Found = list[tuple[str, Any, Any]]
REASONING_KEYS = ("reasoning_content", "reasoning")  # where vLLM, llama.cpp, DeepSeek put a reasoning model's text


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _choices(ctx: CheckContext, exchange: Exchange | None = None) -> list[Any]:
    choices = ctx.body(exchange).get("choices")
    if not isinstance(choices, list) or not choices:
        raise ctx.fail("$.choices", "a non-empty list", choices, exchange)
    return choices


@check("chat.developer_applied", Severity.MUST, "A developer message steers the answer like a system message (it "
       "replies the code word it asks for)", needs=(Need.ANSWER, Need.TEXT_REPLY, Need.PROBE))
def developer_applied(ctx: CheckContext) -> None:
    """The developer message asks for a code word; an answer without it ignored the message (model-dependent)."""
    asked = [m.get("content") for m in ctx.primary.request_json.get("messages") or []
             if isinstance(m, dict) and m.get("role") == "developer"]
    codes = [c for text in asked if isinstance(text, str) for c in NONCE.findall(text)]
    if not codes:
        raise Skip("the request carried no developer message with a code word")
    content = message_of(ctx).get("content")
    if not mentions(content if isinstance(content, str) else "", codes[0]):
        raise Ignored("$.choices[0].message.content", f"contains {codes[0]} (asked by the developer message)",
                      content, ctx.primary.summary())


@check("chat.n_choices", Severity.MUST, "n=2 gives two choices with indexes 0 and 1, each an assistant message",
       needs=(Need.ANSWER,))
def n_choices(ctx: CheckContext) -> None:
    """One choice for n > 1 ignored the parameter; a wrong count, repeated indexes or a non-assistant choice fail."""
    asked = ctx.primary.request_json.get("n")
    if not isinstance(asked, int) or isinstance(asked, bool) or asked < 2:
        raise Skip("the request asked for one choice")
    n = asked
    choices = _choices(ctx)
    if len(choices) == 1:
        raise Ignored("$.choices", f"{n} choices (n={n})", "1 choice", ctx.primary.summary())
    found: Found = []
    if len(choices) != n:
        found.append(("$.choices", f"{n} choices (n={n})", f"{len(choices)} choices"))
    indexes = [c.get("index") if isinstance(c, dict) else None for c in choices]
    if sorted(i for i in indexes if isinstance(i, int)) != list(range(len(choices))):
        found.append(("$.choices[*].index", list(range(len(choices))), indexes))
    for i, choice in enumerate(choices):
        message = choice.get("message") if isinstance(choice, dict) else None
        if not isinstance(message, dict) or message.get("role") != "assistant":
            found.append((f"$.choices[{i}].message", "an assistant message", message))
    ctx.fail_all(found)


def stop_sequences(req: dict[str, Any]) -> list[str]:
    """The request's stop sequences (a string or a list of strings)."""
    stop = req.get("stop")
    return [stop] if isinstance(stop, str) else [s for s in stop or [] if isinstance(s, str) and s]


def _plain_content(ctx: CheckContext) -> str | None:
    """The content of the row's unstopped twin (another of its requests without stop), when it was answered."""
    for name in ctx.feature.requests[1:]:
        exchange = ctx.exchanges.get(name)
        if exchange is not None and exchange.ok and not stop_sequences(exchange.request_json):
            try:
                content = (_choices(ctx, exchange)[0].get("message") or {}).get("content")
            except (AssertionError, AttributeError):
                return None
            return content if isinstance(content, str) else None
    return None


@check("chat.stop_applied", Severity.MUST, "A stop sequence ends the answer before it: not in the content, "
       "finish_reason stop", needs=(Need.ANSWER, Need.TEXT_REPLY))
def stop_applied(ctx: CheckContext) -> None:
    """The content never holds a stop sequence (that would be an ignored stop); a cut answer ends with stop.

    Not discriminating when the unstopped twin's answer never held the sequence either (nothing was there to cut).
    """
    sequences = stop_sequences(ctx.primary.request_json)
    if not sequences:
        raise Skip("the request set no stop sequence")
    choice = first_choice(ctx)
    content = (choice.get("message") or {}).get("content") if isinstance(choice.get("message"), dict) else None
    text = content if isinstance(content, str) else ""
    found: Found = [("$.choices[0].message.content", f"no {s!r} (stop={sequences})", content)
                    for s in sequences if s in text]
    ctx.fail_all(found, kind=Ignored)
    finish = choice.get("finish_reason")
    if finish not in ("stop", "length"):
        raise ctx.fail("$.choices[0].finish_reason", "stop (the answer met a stop sequence)", finish)
    plain = _plain_content(ctx)
    if plain is not None and not any(s in plain for s in sequences):
        raise NotDiscriminating(f"the unstopped answer {plain!r} never held {sequences}: nothing was there to cut")


def _content(value: dict[str, Any]) -> Any:
    choices = value.get("choices")
    first = choices[0] if isinstance(choices, list) and choices and isinstance(choices[0], dict) else {}
    message = first.get("message")
    return message.get("content") if isinstance(message, dict) else None


@check("chat.seed_repeatable", Severity.MUST, "The same seeded request at temperature 0 gets the same answer twice",
       needs=(Need.FLOW,))
def seed_repeatable(ctx: CheckContext) -> None:
    """Two answers to one seeded request agree (model-dependent: OpenAI promises best effort for one backend)."""
    first_ex, first = step_body(ctx, "first")
    second_ex, second = step_body(ctx, "second")
    if first_ex.request_json.get("seed") is None:
        raise Skip("the request set no seed")
    prints = (first.get("system_fingerprint"), second.get("system_fingerprint"))
    if all(prints) and prints[0] != prints[1]:
        raise NotDiscriminating(f"the backend changed between the two answers (system_fingerprint {prints[0]} then "
                                f"{prints[1]}): OpenAI promises determinism only for one fingerprint")
    if _content(first) != _content(second):
        raise Ignored("second answer $.choices[0].message.content",
                      f"{_content(first)!r} (the first answer to the same seed={first_ex.request_json.get('seed')})",
                      _content(second), second_ex.summary())


def _token_problems(where: str, entry: Any, top: bool) -> Found:
    """Every deviation of one logprobs entry (token, logprob <= 0, bytes, top_logprobs)."""
    if not isinstance(entry, dict):
        return [(where, "an object with token, logprob, bytes, top_logprobs", entry)]
    found: Found = []
    if not isinstance(entry.get("token"), str):
        found.append((f"{where}.token", "a string", entry.get("token")))
    logprob = entry.get("logprob")
    if not isinstance(logprob, (int, float)) or isinstance(logprob, bool) or not math.isfinite(logprob) or logprob > 0:
        found.append((f"{where}.logprob", "a finite number <= 0", logprob))
    raw = entry.get("bytes")
    if raw is not None and not (isinstance(raw, list) and all(_is_int(b) and 0 <= b <= 255 for b in raw)):
        found.append((f"{where}.bytes", "null or a list of byte values 0..255", raw))
    if top and not isinstance(entry.get("top_logprobs"), list):
        found.append((f"{where}.top_logprobs", "a list", entry.get("top_logprobs")))
    return found


def _logprob_entries(ctx: CheckContext, exchange: Exchange) -> list[Any]:
    """choices[0].logprobs.content of a 2xx answer; Ignored when logprobs is absent, Failure when malformed."""
    choice = _choices(ctx, exchange)[0]
    logprobs = choice.get("logprobs") if isinstance(choice, dict) else None
    if logprobs is None:
        raise Ignored("$.choices[0].logprobs", "the logprobs object (logprobs=true)", logprobs, exchange.summary())
    entries = logprobs.get("content") if isinstance(logprobs, dict) else None
    if not isinstance(entries, list):
        raise ctx.fail("$.choices[0].logprobs.content", "a list of token logprobs", entries, exchange)
    message = choice.get("message") if isinstance(choice.get("message"), dict) else {}
    if not entries and isinstance(message.get("content"), str) and message["content"]:
        raise Ignored("$.choices[0].logprobs.content", "one entry per output token", entries, exchange.summary())
    return entries


@check("chat.logprobs_shape", Severity.MUST, "logprobs true gives choices[0].logprobs.content[] with token, logprob, "
       "bytes and top_logprobs", needs=(Need.ANSWER,))
def logprobs_shape(ctx: CheckContext) -> None:
    """Silently absent logprobs is IGNORED; every malformed entry is listed."""
    if ctx.primary.request_json.get("logprobs") is not True:
        raise Skip("the request did not ask for logprobs")
    entries = _logprob_entries(ctx, ctx.primary)
    ctx.fail_all([p for i, e in enumerate(entries)
                  for p in _token_problems(f"$.choices[0].logprobs.content[{i}]", e, top=True)])


def _top_exchange(ctx: CheckContext) -> Exchange:
    """The row's request that set top_logprobs (the primary in a passive reading); Skip when none did."""
    for name in (*ctx.feature.requests[1:], ctx.feature.primary):
        exchange = ctx.exchanges.get(name)
        if exchange is not None and _is_int(exchange.request_json.get("top_logprobs")):
            return exchange
    raise Skip("no request set top_logprobs")


@check("chat.top_logprobs", Severity.SHOULD, "top_logprobs k gives 1..k alternatives per token (or logprobs was "
       "refused as a whole)", needs=(Need.ANSWER,))
def top_logprobs(ctx: CheckContext) -> None:
    """Accepting logprobs but refusing top_logprobs, or answering no alternatives, is a deviation; more than k fails."""
    exchange = _top_exchange(ctx)
    k = exchange.request_json["top_logprobs"]
    if exchange.status is None or exchange.status in TRANSIENT:
        raise Inconclusive(f"{exchange.name}: {exchange.transport_error or f'HTTP {exchange.status}'}")
    if not exchange.ok:
        raise ctx.fail("HTTP status", f"2xx (logprobs without top_logprobs was accepted; top_logprobs={k} is "
                       "documented 0..20)", exchange.status, exchange)
    if k < 1:
        raise Skip("top_logprobs 0 asks for no alternatives")
    entries = _logprob_entries(ctx, exchange)
    found: Found = []
    for i, entry in enumerate(entries):
        alternatives = entry.get("top_logprobs") if isinstance(entry, dict) else None
        where = f"$.choices[0].logprobs.content[{i}].top_logprobs"
        if not isinstance(alternatives, list) or not alternatives:
            found.append((where, f"1..{k} alternatives (top_logprobs={k})", alternatives))
        elif len(alternatives) > k:
            found.append((where, f"at most {k} alternatives (top_logprobs={k})", len(alternatives)))
        else:
            found += [p for j, alt in enumerate(alternatives) for p in _token_problems(f"{where}[{j}]", alt, top=False)]
    ignored = all(str(expected).startswith("1..") for _w, expected, _o in found)  # no alternatives at all: no effect
    ctx.fail_all(found, exchange, kind=Ignored if ignored else Failure)


def out_of_range(req: dict[str, Any]) -> list[str]:
    """`temperature=5`-style names of the sampling values outside OpenAI's ranges (temperature 0..2, top_p 0..1)."""
    bounds = {"temperature": 2, "top_p": 1}
    return [f"{key}={req[key]}" for key, high in bounds.items()
            if isinstance(req.get(key), (int, float)) and not isinstance(req.get(key), bool)
            and not 0 <= req[key] <= high]


@check("chat.sampling_out_of_range_refused", Severity.MUST, "temperature and top_p outside OpenAI's ranges are "
       "refused with 4xx, not clamped silently", needs=(Need.FLOW,))
def sampling_out_of_range_refused(ctx: CheckContext) -> None:
    """Every out-of-range request of the row answered 2xx was clamped or ignored silently: IGNORED, all listed."""
    found: Found = []
    seen = 0
    for name in ctx.feature.requests:
        exchange = ctx.exchanges.get(name)
        values = out_of_range(exchange.request_json) if exchange is not None else []
        if exchange is None or not values:
            continue
        if exchange.status is None or exchange.status in TRANSIENT:
            raise Inconclusive(f"{name}: {exchange.transport_error or f'HTTP {exchange.status}'}")
        seen += 1
        if exchange.ok:
            found.append((f"{name}: HTTP status", f"400 ({', '.join(values)} is outside OpenAI's range)",
                          f"{exchange.status}: accepted (clamped or ignored silently)"))
    if not seen:
        raise Skip("no out-of-range request was sent")
    ctx.fail_all(found, kind=Ignored)


def _empty_reason(choice: dict[str, Any], req: dict[str, Any], usage: Any) -> str | None:
    """Why an empty answer is the model's doing (principle 4), or None when the server gives no account of it."""
    found = choice.get("message")
    message: dict[str, Any] = found if isinstance(found, dict) else {}
    if any(isinstance(message.get(k), str) and message[k].strip() for k in REASONING_KEYS):
        return "the model spent its answer reasoning (reasoning text, no final answer)"
    finish = choice.get("finish_reason")
    if finish == "length":
        return "the token limit ended the answer before any visible text"
    if finish == "stop" and stop_sequences(req):
        return "a stop sequence may have met the answer's very start"
    if isinstance(usage, dict) and usage.get("completion_tokens") == 0:
        return "the model ended its turn at once (0 completion tokens)"
    return None


@check("chat.empty_answer", Severity.SHOULD, "A 200 answer whose choice has neither content nor tool calls is "
       "flagged (unless the limit, a stop sequence or the model's own end explains it)",
       needs=(Need.ANSWER, Need.TEXT_REPLY))
def empty_answer(ctx: CheckContext) -> None:
    """Empty content with tokens spent and finish_reason stop: the server lost the answer. Every choice is read."""
    value = ctx.body()
    listed = value.get("choices")
    choices: list[Any] = listed if isinstance(listed, list) else []
    found: Found = []
    excused: list[str] = []
    for i, choice in enumerate(choices):
        message = choice.get("message") if isinstance(choice, dict) else None
        if not isinstance(message, dict) or message.get("content") not in (None, "") or answer_form(message):
            continue
        reason = _empty_reason(choice, ctx.primary.request_json, value.get("usage"))
        if reason:
            excused.append(f"choice {i}: {reason}")
            continue
        tokens = value.get("usage", {}).get("completion_tokens") if isinstance(value.get("usage"), dict) else None
        told = f"{tokens} completion tokens counted" if tokens is not None else "no usage"
        found.append((f"$.choices[{i}].message.content",
                      "text or tool calls (finish_reason " f"{choice.get('finish_reason')}, {told})",
                      message.get("content")))
    ctx.fail_all(found)
    if excused:
        raise NotDiscriminating("an empty answer the model explains, not the server: " + "; ".join(excused))
