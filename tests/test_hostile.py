"""Hostile and broken servers: every check ends with a verdict and evidence, in bounded time, without a crash."""

from __future__ import annotations

import time

import pytest

from conformance import FEATURES, AttemptPolicy, Mode, RunSettings, TargetRun, Verdict, load_profile
from conformance.refserver import RefServer

ROWS = ("chat.basic", "chat.stream", "chat.tool_choice.required", "embeddings.float")
TIMEOUT = 1.0


def run_rows(fault: str, retries: int = 0) -> tuple[dict[str, object], float]:
    """Run a few rows against a server with one hostile fault; return results and elapsed seconds."""
    started = time.monotonic()
    with RefServer(faults={fault}) as server:
        target = TargetRun(load_profile("reference"),
                           RunSettings(Mode.LIVE, base_url=server.url, policy=AttemptPolicy(retries), timeout=TIMEOUT))
        results = {fid: target.run_feature(FEATURES.get(fid)) for fid in ROWS}
        server.check()
    return results, time.monotonic() - started


@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        ("hang_before_headers", {fid: Verdict.ERROR for fid in ROWS}),
        ("stall_mid_stream", {"chat.stream": Verdict.ERROR}),
        ("garbage_body", {fid: Verdict.FAIL for fid in ROWS}),
        ("huge_body", {"chat.basic": Verdict.FAIL, "embeddings.float": Verdict.FAIL}),
        ("gzip_lie", {fid: Verdict.FAIL for fid in ROWS}),
        ("unavailable", {fid: Verdict.ERROR for fid in ROWS}),
        ("rate_limited", {fid: Verdict.ERROR for fid in ROWS}),
        ("server_error", {fid: Verdict.ERROR for fid in ROWS}),
        ("stream_truncated", {"chat.stream": Verdict.FAIL}),
        ("invalid_json_body", {"chat.basic": Verdict.FAIL, "embeddings.float": Verdict.FAIL}),
        ("stream_wrong_content_type", {"chat.stream": Verdict.FAIL}),
        ("tool_args_not_json", {"chat.tool_choice.required": Verdict.FAIL}),
    ],
)
def test_hostile_server_gets_a_bounded_verdict_with_evidence(fault: str, expected: dict[str, Verdict]) -> None:
    results, elapsed = run_rows(fault)
    assert elapsed < 20, f"{fault} took {elapsed:.1f}s"
    for fid, verdict in expected.items():
        result = results[fid]
        assert result.verdict is verdict, (fid, result.verdict, result.reason)  # type: ignore[attr-defined]
        if verdict is Verdict.ERROR:
            assert result.reason  # type: ignore[attr-defined]
        else:
            problems = result.problems()  # type: ignore[attr-defined]
            assert problems and all(p.evidence and (p.evidence.observed or p.evidence.where) for p in problems)


def test_retries_are_bounded_and_honour_retry_after() -> None:
    started = time.monotonic()
    with RefServer(faults={"rate_limited"}) as server:
        target = TargetRun(load_profile("reference"),
                           RunSettings(Mode.LIVE, base_url=server.url, policy=AttemptPolicy(2), timeout=TIMEOUT))
        result = target.run_feature(FEATURES.get("chat.basic"))
        assert server.requests == 3
    assert result.verdict is Verdict.ERROR and result.reason == "HTTP 429 after 3 attempt(s) (inconclusive)"
    assert time.monotonic() - started < 5
