"""Deadlines: the total and idle deadlines of one exchange, their options, and the WebSocket session deadline."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from conformance import Mode, Verdict
from conformance.options import RunOptions
from conformance.realtime.frames import WsSession
from conformance.realtime.proxy import DEADLINE_REACHED, PROXY
from conformance.runner.settings import DEFAULT_TIMEOUT, RunSettings
from conformance.runner.ws import _judge
from conformance.wire.deadlines import Deadline, Limits


def test_a_body_past_its_total_deadline_is_late_and_says_how_much_arrived() -> None:
    deadline = Deadline(Limits(total=10, idle=1), started=time.monotonic() - 11, sse=False)
    assert deadline.late(b"{") == "body not complete within the 10 s deadline; 1 byte(s) received"
    assert Deadline(Limits(total=10, idle=1), started=time.monotonic(), sse=False).late(b"{") == ""


def test_a_stream_of_comments_is_late_at_the_idle_deadline_an_event_resets_it() -> None:
    deadline = Deadline(Limits(total=60, idle=1), started=time.monotonic(), sse=True)
    assert deadline.late(b": keepalive\n\n") == ""
    deadline.last_event -= 2
    assert deadline.late(b": keepalive\n\n") == ("no event in 1 s; 2 comment line(s), 0 event(s), 26 byte(s) "
                                                 "received")
    deadline.last_event -= 2
    assert deadline.late(b'data: {"a":1}\n\n') == ""  # an event is progress


def test_the_run_limit_caps_an_exchange_budget() -> None:
    now = time.monotonic()
    capped = Deadline(Limits(total=10, idle=1, ends=now - 1), started=now - 0.5, sse=False)
    assert capped.late(b"{}") == "body not complete when the run's --max-time ran out; 2 byte(s) received"
    assert Limits(total=10, idle=1, ends=now + 2).budget(now) == pytest.approx(2)
    assert Limits(total=10, idle=1, ends=now - 5).budget(now) == 0
    assert Limits(total=10, idle=1).budget(now) == 10


def test_timeout_options_reach_the_runner(tmp_path: Path) -> None:
    settings = RunOptions(timeout=7, max_time=30).settings(Mode.LIVE, tmp_path, run_ends=123.0)
    assert (settings.timeout, settings.idle, settings.run_ends, settings.max_time) == (7, 3.5, 123.0, 30)
    assert settings.preflight_timeout == 3.5
    default = RunSettings()
    assert default.timeout == DEFAULT_TIMEOUT == 60 and default.idle == 30 and default.preflight_timeout == 5
    assert not default.out_of_time() and RunSettings(run_ends=time.monotonic() - 1).out_of_time()


def test_a_websocket_session_cut_by_its_deadline_is_inconclusive() -> None:
    session = WsSession("realtime.text", "ws://target.invalid/v1/realtime?model=m", status=101,
                        closed_by=PROXY, close_reason=DEADLINE_REACHED)
    outcome = _judge(session, 1, 2.0)
    assert outcome.verdict is Verdict.ERROR
    assert outcome.problem == "transport error: the session was not over within the 2 s deadline; 0 frame(s) exchanged"
    assert _judge(WsSession("realtime.text", "ws://x/v1/realtime", status=101), 1, 2.0).verdict is None
