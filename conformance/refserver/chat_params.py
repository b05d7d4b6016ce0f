"""Chat Completions parameters of issue 13 part A: developer messages, n, stop, seed, logprobs, top_p.

Faithful behaviour first (OpenAI's ranges refused with 400, a code word in a system or developer message replied,
the answer cut before a stop sequence, n choices, the logprobs structure), each deviation behind its fault.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from typing import Any

from . import faults as F
from .fault_types import ActiveFaults
from .responses import ApiError

# A code word like MAPLE-2291-DELTA, the same shape responses_logic.NONCE finds (not imported from there: that module
# imports chat, which imports this one).
NONCE = re.compile(r"\b[A-Z0-9]{2,}(?:-[A-Z0-9]{2,}){2,}\b")

_INSTRUCTING = ("system", "developer")
_MAX_N = 128  # OAS CreateChatCompletionRequest.n maximum
_MAX_TOP = 20  # OAS top_logprobs maximum
_takes = itertools.count(1)  # seed_ignored: a different answer on every seeded request


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _invalid(param: str, message: str) -> ApiError:
    return ApiError(400, message, param=param, code="invalid_value")


def _check_n(req: dict[str, Any], faults: ActiveFaults) -> None:
    n = req.get("n")
    if n is None:
        return
    if not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= _MAX_N:
        raise _invalid("n", f"Invalid 'n': expected an integer between 1 and {_MAX_N}, got {n!r}.")
    if n > 1 and faults.has(F.N_REFUSED):
        raise _invalid("n", "n > 1 is not supported by this model.")


def _check_stop(req: dict[str, Any]) -> None:
    stop = req.get("stop")
    if stop is None or isinstance(stop, str):
        return
    if not isinstance(stop, list) or not 1 <= len(stop) <= 4 or not all(isinstance(s, str) for s in stop):
        raise _invalid("stop", "Invalid 'stop': expected a string or an array of 1 to 4 strings.")


def _check_logprobs(req: dict[str, Any]) -> None:
    top = req.get("top_logprobs")
    if top is None:
        return
    if not isinstance(top, int) or isinstance(top, bool) or not 0 <= top <= _MAX_TOP:
        raise _invalid("top_logprobs", f"Invalid 'top_logprobs': expected an integer between 0 and {_MAX_TOP}.")
    if req.get("logprobs") is not True:
        raise _invalid("top_logprobs", "'top_logprobs' requires 'logprobs' to be true.")


def _check_top_p(req: dict[str, Any], faults: ActiveFaults) -> None:
    value = req.get("top_p")
    if value is None or faults.has(F.TOP_P_OUT_OF_RANGE_ACCEPTED):
        return
    if not _number(value) or not 0 <= value <= 1:
        raise ApiError(400, f"Invalid 'top_p': expected a number between 0 and 1, got {value!r} instead.",
                       param="top_p", code="decimal_above_max_value")


def validate(req: dict[str, Any], faults: ActiveFaults) -> None:
    """Refuse what OpenAI refuses with 400: n, stop, top_logprobs and top_p outside their documented ranges."""
    _check_n(req, faults)
    _check_stop(req)
    _check_logprobs(req)
    _check_top_p(req, faults)


def text_of(content: Any) -> str:
    """The text of a message's content: a string, or its text parts joined by spaces."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(p.get("text", "") for p in content if isinstance(p, dict) and isinstance(p.get("text"), str))
    return ""


def steered(req: dict[str, Any], faults: ActiveFaults) -> str | None:
    """The code word a system or developer message asks for (developer_ignored: developer messages are dropped)."""
    roles = ("system",) if faults.has(F.DEVELOPER_IGNORED) else _INSTRUCTING
    for message in req.get("messages") or []:
        if isinstance(message, dict) and message.get("role") in roles:
            found = NONCE.findall(text_of(message.get("content")))
            if found:
                return str(found[0])
    return None


def seeded(text: str, req: dict[str, Any], faults: ActiveFaults) -> str:
    """The answer to a seeded request: the same every time (seed_ignored: it changes per request)."""
    if req.get("seed") is None or not faults.has(F.SEED_IGNORED):
        return text
    return f"{text.rstrip('.')} (take {next(_takes)})."


def stop_cut(text: str, req: dict[str, Any], faults: ActiveFaults) -> tuple[str, bool]:
    """The answer cut before its first stop sequence, and whether one was met (stop_ignored: never cut)."""
    stop = req.get("stop")
    sequences = [stop] if isinstance(stop, str) else [s for s in stop or [] if isinstance(s, str) and s]
    if faults.has(F.STOP_IGNORED):
        return text, False
    found = [text.index(s) for s in sequences if s and s in text]
    return (text[: min(found)], True) if found else (text, False)


def _entry(token: str, rank: int) -> dict[str, Any]:
    return {"token": token, "logprob": round(-0.25 * rank - 0.01, 4), "bytes": list(token.encode())}


def _logprobs(content: str | None, req: dict[str, Any], faults: ActiveFaults,
              split: Callable[[str], list[str]]) -> dict[str, Any] | None:
    if faults.has(F.LOGPROBS_ABSENT):
        return None
    top = req.get("top_logprobs") or 0
    if faults.has(F.TOP_LOGPROBS_IGNORED):
        top = 0
    rows = []
    for token in split(content or ""):
        alternatives = [_entry(token, 0)] + [_entry(f"{token.strip()}{'~' * k}", k) for k in range(1, top)]
        rows.append({**_entry(token, 0), "top_logprobs": alternatives[:top]})
    return {"content": rows, "refusal": None}


def shape(body: dict[str, Any], req: dict[str, Any], faults: ActiveFaults,
          split: Callable[[str], list[str]]) -> dict[str, Any]:
    """The chat.completion body with n choices (n_ignored: one), logprobs when asked, empty_content applied."""
    choices = body.get("choices")
    if not isinstance(choices, list) or not choices:
        return body
    first = choices[0]
    message = first.get("message") if isinstance(first, dict) else None
    if isinstance(message, dict) and isinstance(message.get("content"), str) and faults.has(F.EMPTY_CONTENT):
        message["content"] = ""
    if req.get("logprobs") is True and isinstance(message, dict):
        first["logprobs"] = _logprobs(message.get("content"), req, faults, split)
    n = req.get("n")
    if isinstance(n, int) and n > 1 and not faults.has(F.N_IGNORED):
        body["choices"] = [{**first, "index": i} for i in range(n)]
        usage = body.get("usage")
        if isinstance(usage, dict) and isinstance(usage.get("completion_tokens"), int):
            usage["completion_tokens"] *= n
            usage["total_tokens"] = usage.get("prompt_tokens", 0) + usage["completion_tokens"]
    return body
