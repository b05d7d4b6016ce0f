"""Issue 13 part A: the chat parameter rows grade effects, not acceptance, and never blame the server for the model.

The mutation test proves each new check can fail (one fault each); these tests prove the other direction: a clean
refusal of an optional parameter is REJECTED, and an empty answer, a stop sequence or a seed the model explains is
not discriminating rather than a deviation.
"""

from __future__ import annotations

import json
from typing import Any

from conformance import FEATURES, CheckContext, Outcome, Verdict
from conformance.runner.checking import run_check
from conformance.wire.exchange import Exchange

from .conftest import RunAll

HELLO = [{"role": "user", "content": "Say hello."}]


def exchange(request: dict[str, Any], body: dict[str, Any], status: int = 200, name: str = "x") -> Exchange:
    """A captured chat exchange with these bodies."""
    return Exchange(name=name, method="POST", url="https://h/v1/chat/completions", status=status,
                    request_body=json.dumps({"model": "m", "messages": HELLO, **request}).encode(),
                    response_headers={"content-type": "application/json"}, raw=bytearray(json.dumps(body).encode()))


def completion(content: str | None, finish: str = "stop", completion_tokens: int = 3, **message: Any) -> dict[str, Any]:
    """A chat.completion body with one choice."""
    return {"id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "m",
            "choices": [{"index": 0, "finish_reason": finish,
                         "message": {"role": "assistant", "content": content, **message}}],
            "usage": {"prompt_tokens": 5, "completion_tokens": completion_tokens,
                      "total_tokens": 5 + completion_tokens}}


def outcome(check_id: str, feature_id: str, exchanges: dict[str, Exchange]) -> tuple[Outcome, str]:
    """The check's outcome and its one line of evidence or reason."""
    result = run_check(check_id, CheckContext(FEATURES.get(feature_id), exchanges))
    return result.outcome, result.evidence.line() if result.evidence else result.not_discriminating


def test_a_clean_refusal_of_n_is_rejected_and_changes_nothing_else(run_all: RunAll) -> None:
    faithful = {fid: r.verdict for fid, r in run_all().items()}
    results = run_all("n_refused")
    assert results["chat.n"].verdict is Verdict.REJECTED
    assert "n > 1" in results["chat.n"].reason
    changed = {fid for fid, r in results.items() if fid != "chat.n" and r.verdict is not faithful[fid]}
    assert changed == set()


def test_an_empty_answer_with_tokens_spent_is_flagged_with_evidence() -> None:
    found, line = outcome("chat.empty_answer", "chat.basic",
                          {"chat.basic": exchange({"max_tokens": 16}, completion("", completion_tokens=4))})
    assert found is Outcome.FAILED
    assert "finish_reason stop, 4 completion tokens counted" in line and "$.choices[0].message.content" in line


def test_an_empty_answer_the_model_explains_is_not_a_deviation() -> None:
    """Principle 4: the limit, the model's own end of turn, a stop sequence at the start, or reasoning explain it."""
    cases = {
        "limit": ({"max_tokens": 1}, completion("", finish="length", completion_tokens=1)),
        "end of turn": ({"max_tokens": 16}, completion(None, completion_tokens=0)),
        "stop at the start": ({"max_tokens": 16, "stop": ["Hello"]}, completion("")),
        "reasoning": ({"max_tokens": 16}, completion("", reasoning_content="Let me think")),
    }
    for what, (request, body) in cases.items():
        found, reason = outcome("chat.empty_answer", "chat.basic", {"chat.basic": exchange(request, body)})
        assert found is Outcome.SKIPPED, what
        assert "model explains" in reason, what


def test_an_answer_with_content_or_tool_calls_is_not_empty() -> None:
    call = [{"id": "call_1", "type": "function", "function": {"name": "f", "arguments": "{}"}}]
    for body in (completion("Hi"), completion(None, tool_calls=call)):
        assert outcome("chat.empty_answer", "chat.basic", {"chat.basic": exchange({}, body)})[0] is Outcome.PASSED


def test_a_stop_sequence_the_plain_answer_never_held_is_not_discriminating() -> None:
    plain = exchange({"max_tokens": 16}, completion("Hi there"), name="chat.basic")
    stopped = exchange({"max_tokens": 16, "stop": ["NO-STOP-SEQUENCE"]}, completion("Hi there"))
    found, reason = outcome("chat.stop_applied", "chat.stop", {"chat.basic:stop": stopped, "chat.basic": plain})
    assert found is Outcome.SKIPPED and "nothing was there to cut" in reason


def test_a_stop_sequence_in_the_content_is_ignored_with_the_sequence_named() -> None:
    stopped = exchange({"max_tokens": 16, "stop": ["there"]}, completion("Hi there"))
    found, line = outcome("chat.stop_applied", "chat.stop", {"chat.basic:stop": stopped})
    assert found is Outcome.IGNORED and "stop=['there']" in line


def test_seeded_answers_from_two_backends_are_not_discriminating() -> None:
    first = exchange({"seed": 7}, {**completion("Hi"), "system_fingerprint": "fp_a"})
    second = exchange({"seed": 7}, {**completion("Hello"), "system_fingerprint": "fp_b"})
    found, reason = outcome("chat.seed_repeatable", "chat.seed", {"chat.seed:first": first, "chat.seed:second": second})
    assert found is Outcome.SKIPPED and "system_fingerprint" in reason


def test_top_logprobs_refused_while_logprobs_answers_is_a_deviation() -> None:
    entry = {"token": "Hi", "logprob": -0.1, "bytes": [72, 105], "top_logprobs": []}
    plain = exchange({"logprobs": True}, {**completion("Hi"), "choices": [
        {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "Hi"},
         "logprobs": {"content": [entry], "refusal": None}}]})
    top = exchange({"logprobs": True, "top_logprobs": 2}, {"error": {"message": "no", "type": "invalid_request_error"}},
                   status=400, name="chat.logprobs:top")
    exchanges = {"chat.logprobs:plain": plain, "chat.logprobs:top": top}
    assert outcome("chat.logprobs_shape", "chat.logprobs", exchanges)[0] is Outcome.PASSED
    found, line = outcome("chat.top_logprobs", "chat.logprobs", exchanges)
    assert found is Outcome.FAILED and "top_logprobs=2" in line


def test_out_of_range_values_accepted_are_all_listed_as_ignored() -> None:
    bounds = exchange({"temperature": 2, "top_p": 1}, completion("Hi"))
    over = exchange({"top_p": 1.5}, completion("Hi"))
    temperature = exchange({"temperature": 5}, completion("Hi"))
    found, line = outcome("chat.sampling_out_of_range_refused", "chat.sampling_ranges",
                          {"chat.sampling:bounds": bounds, "chat.sampling:top_p_over": over,
                           "chat.invalid_cases:out_of_range": temperature})
    assert found is Outcome.IGNORED and "top_p=1.5" in line
    result = run_check("chat.sampling_out_of_range_refused", CheckContext(
        FEATURES.get("chat.sampling_ranges"), {"chat.sampling:bounds": bounds, "chat.sampling:top_p_over": over,
                                               "chat.invalid_cases:out_of_range": temperature}))
    assert result.evidence is not None and any("temperature=5" in d for d in result.evidence.details)
