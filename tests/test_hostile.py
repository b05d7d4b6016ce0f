"""Hostile and broken servers: every check ends with a verdict and evidence, in bounded time, without a crash.

Deadlines here are generous for a loaded 2-core machine: the total deadline is far above what a faithful answer
needs (so the 50 MB body never races it), and each bound asserted is about twice the deadline plus a margin.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from conformance import FEATURES, AttemptPolicy, FeatureResult, Mode, RunSettings, TargetRun, Verdict, load_profile
from conformance.cli import main
from conformance.refserver import RefServer
from conformance.runner.breaker import THRESHOLD

ROWS = ("chat.basic", "chat.stream", "chat.tool_choice.required", "embeddings.float")
TOTAL = 10.0  # total deadline of one exchange
IDLE = 1.0  # idle deadline: below the 3 s hangs and stalls of the hostile faults
MARGIN = 3.0  # seconds of scheduling slack on a loaded machine


def settings(retries: int = 0, total: float = TOTAL, idle: float = IDLE, **extra: object) -> RunSettings:
    return RunSettings(Mode.LIVE, policy=AttemptPolicy(retries), timeout=total, idle_timeout=idle,
                       **extra)  # type: ignore[arg-type]


def run_rows(server: RefServer, run: RunSettings, rows: tuple[str, ...] = ROWS,
             profile: str = "reference") -> tuple[dict[str, FeatureResult], dict[str, float]]:
    """Run rows against a started server; results and seconds per row."""
    from dataclasses import replace

    target = TargetRun(load_profile(profile), replace(run, base_url=server.url))
    results, times = {}, {}
    for fid in rows:
        started = time.monotonic()
        results[fid] = target.run_feature(FEATURES.get(fid))
        times[fid] = time.monotonic() - started
    server.check()
    return results, times


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
        ("sse_comment_drip", {"chat.stream": Verdict.ERROR, "chat.basic": Verdict.PASS}),
        ("black_hole", {fid: Verdict.ERROR for fid in ROWS}),
        ("cookie_echo", {fid: Verdict.PASS for fid in ROWS}),
        ("key_refused", {fid: Verdict.ERROR for fid in ROWS}),
    ],
)
def test_hostile_server_gets_a_bounded_verdict_with_evidence(fault: str, expected: dict[str, Verdict]) -> None:
    started = time.monotonic()
    with RefServer(faults={fault}) as server:
        results, times = run_rows(server, settings())
    elapsed = time.monotonic() - started
    assert elapsed < 4 * TOTAL, f"{fault} took {elapsed:.1f}s"
    assert all(t < 2 * TOTAL + MARGIN for t in times.values()), times
    for fid, verdict in expected.items():
        result = results[fid]
        assert result.verdict is verdict, (fid, result.verdict, result.reason)
        if verdict is Verdict.ERROR:
            assert result.reason
        elif verdict is not Verdict.PASS:
            problems = result.problems()
            assert problems and all(p.evidence and (p.evidence.observed or p.evidence.where) for p in problems)


def test_retries_are_bounded_and_honour_retry_after() -> None:
    started = time.monotonic()
    with RefServer(faults={"rate_limited"}) as server:
        results, _ = run_rows(server, settings(retries=2), rows=("chat.basic",))
        assert server.requests == 1 + 3  # the preflight (answered 429: the target answers) and three attempts
    result = results["chat.basic"]
    assert result.verdict is Verdict.ERROR and result.reason == "HTTP 429 after 3 attempt(s) (inconclusive)"
    assert time.monotonic() - started < 5


def test_a_stream_of_comment_lines_ends_at_the_idle_deadline_with_what_arrived() -> None:
    with RefServer(faults={"sse_comment_drip"}, drip_seconds=0.2) as server:
        results, times = run_rows(server, settings(idle=1.5), rows=("chat.stream", "responses.stream"))
    for fid, result in results.items():
        assert result.verdict is Verdict.ERROR, (fid, result.reason)
        assert "no event in 1.5 s;" in result.reason and "comment line(s), 0 event(s)" in result.reason, result.reason
        comments = int(result.reason.split("no event in 1.5 s; ")[1].split(" ")[0])
        assert comments >= 3
        assert times[fid] < 2 * 1.5 + MARGIN, times
        assert all(c.evidence and c.evidence.request.startswith("POST /") for c in result.checks)


def test_a_body_sent_byte_by_byte_ends_at_the_total_deadline() -> None:
    with RefServer(faults={"byte_drip"}, drip_seconds=0.2) as server:
        results, times = run_rows(server, settings(total=2.0), rows=("chat.basic", "embeddings.float"))
    for fid, result in results.items():
        assert result.verdict is Verdict.ERROR, (fid, result.reason)
        assert "body not complete within the 2 s deadline;" in result.reason and "byte(s) received" in result.reason
        assert times[fid] < 2 * 2.0 + MARGIN, times


def test_a_black_hole_is_reported_within_seconds_and_nothing_else_is_sent() -> None:
    started = time.monotonic()
    with RefServer(faults={"black_hole"}) as server:
        results, _ = run_rows(server, settings(retries=2), rows=tuple(f.id for f in FEATURES))
        assert server.requests == 1  # the preflight only
    assert time.monotonic() - started < IDLE + MARGIN
    assert {r.verdict for r in results.values()} == {Verdict.ERROR}
    reasons = {r.reason for r in results.values()}
    assert len(reasons) == 1 and next(iter(reasons)).startswith("target not answering: preflight GET /models: "
                                                                "ReadTimeout"), reasons
    assert all(r.not_sent for r in results.values())


def test_the_breaker_stops_a_target_that_stops_answering_mid_run() -> None:
    rows = ("chat.basic", "chat.max_tokens", "chat.json_schema", "chat.json_object", "chat.tools.auto",
            "embeddings.float")
    with RefServer() as server:
        target = TargetRun(load_profile("reference"), settings(idle=0.5, base_url=server.url))
        first = target.run_feature(FEATURES.get("chat.basic"))
        server.faults = {"black_hole"}
        rest = {fid: target.run_feature(FEATURES.get(fid)) for fid in rows[1:]}
        sent = server.requests
    assert first.verdict is Verdict.PASS
    failing, stopped = list(rest.values())[:THRESHOLD], list(rest.values())[THRESHOLD:]
    assert all(r.verdict is Verdict.ERROR and r.reason.startswith("transport error: ReadTimeout") for r in failing)
    assert all(r.verdict is Verdict.ERROR and r.not_sent for r in stopped)
    assert stopped[0].reason.startswith(f"target not answering: {THRESHOLD} consecutive transport failures (last: "
                                        f"transport error: ReadTimeout")
    assert sent == 3 + THRESHOLD  # preflight, chat.basic and its stop step, then the failing attempts; nothing after


def test_a_refused_key_stops_the_target_with_one_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONFORMANCE_REFERENCE_KEY", "sk-wrongKEY0123456789abcdefXYZ")
    with RefServer(faults={"key_refused"}) as server:
        results, _ = run_rows(server, settings(), rows=tuple(f.id for f in FEATURES))
        assert server.requests == 1
    reasons = {r.reason for r in results.values()}
    assert reasons == {"authentication failed (scheme bearer, key from CONFORMANCE_REFERENCE_KEY): HTTP 401 on "
                       "preflight GET /models: Incorrect API key provided."}
    assert {r.verdict for r in results.values()} == {Verdict.ERROR} and all(r.not_sent for r in results.values())


def test_an_api_key_scheme_the_server_refuses_names_the_scheme_and_the_variable(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from conformance.profiles import BUILTIN_DIR

    text = (BUILTIN_DIR / "reference.toml").read_text(encoding="utf-8")
    text = text.replace('scheme = "bearer"', 'scheme = "api-key"')
    text = text.replace('"CONFORMANCE_REFERENCE_KEY"', '"YC_API_KEY"')
    profile = tmp_path / "apikey.toml"
    profile.write_text(text, encoding="utf-8")
    monkeypatch.setenv("YC_API_KEY", "AQVNwrongKEY0123456789abcdefXYZ")
    with RefServer() as server:
        results, _ = run_rows(server, settings(), rows=("chat.basic", "embeddings.float"), profile=str(profile))
    for result in results.values():
        assert result.reason.startswith("authentication failed (scheme api-key, key from YC_API_KEY): HTTP 401")
        assert "AQVN" not in result.reason


def test_max_time_stops_sending_and_says_so() -> None:
    with RefServer() as server:
        results, _ = run_rows(server, settings(run_ends=time.monotonic(), max_time=0.5), rows=("chat.basic",))
        assert server.requests == 0
    result = results["chat.basic"]
    assert result.verdict is Verdict.ERROR and result.not_sent
    assert result.reason == "not sent: the run reached its --max-time of 0.5 s"


def test_ansi_escapes_in_an_error_message_change_no_verdict() -> None:
    rows = ("chat.errors", "chat.tool_choice.first", "chat.basic")
    with RefServer(faults={"ansi_error_message"}) as server:
        results, _ = run_rows(server, settings(), rows=rows)
    assert {fid: r.verdict for fid, r in results.items()} == {
        "chat.errors": Verdict.PASS, "chat.tool_choice.first": Verdict.REJECTED, "chat.basic": Verdict.PASS}
    assert "Invalid value: 'first'" in results["chat.tool_choice.first"].reason


def test_a_cookie_is_never_carried_and_never_written(tmp_path: Path) -> None:
    with RefServer(faults={"cookie_echo"}) as server:
        run = RunSettings(Mode.RECORD, policy=AttemptPolicy(0), cassette_root=tmp_path / "cassettes")
        results, _ = run_rows(server, run, rows=ROWS)
        secret, received = server.session_cookie, list(server.cookies_received)
    assert {r.verdict for r in results.values()} == {Verdict.PASS}
    assert received == []  # the session cookie was set on every answer and sent back on none
    written = [p.read_text(encoding="utf-8") for p in (tmp_path / "cassettes").rglob("*.yaml")]
    assert len(written) == len({r for f in ROWS for r in FEATURES.get(f).requests})
    assert all(secret not in text for text in written)
    assert any('conformance_session=<COOKIE>' in text for text in written)  # learnt from Set-Cookie, then scrubbed
    assert secret not in json.dumps([r.to_dict() for r in results.values()])


def test_a_dead_server_is_one_line_exit_3_and_a_full_report(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    started = time.monotonic()
    with RefServer(faults={"black_hole"}) as server:
        code = main(["run", "--mode", "live", "--target", "reference", "--base-url", server.url, "--timeout", "2",
                     "--report-dir", str(tmp_path), "-q"])
    elapsed = time.monotonic() - started
    err = [ln for ln in capsys.readouterr().err.splitlines() if ln.strip()]
    doc = json.loads((tmp_path / "compat.json").read_text(encoding="utf-8"))
    assert code == 3 and elapsed < 2 * 2 + 10, elapsed
    assert len(err) == 1 and err[0].startswith("conformance: reference: target not answering: preflight GET /models")
    assert err[0].endswith(f"; {len(FEATURES)} row(s) not run (ERROR)")
    assert len(doc["results"]) == len(FEATURES) and doc["summary"]["verdicts"] == {"ERROR": len(FEATURES)}
