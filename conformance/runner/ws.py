"""The WebSocket half of the runner: one WebSocket probe through the official SDK, as a WsSession.

The SDK always talks to 127.0.0.1: `client.realtime.connect(model=...)` (or `client.responses.connect()`, the
Responses API's WebSocket mode) with `websocket_base_url` pointed at the recording proxy (live and record: the
proxy forwards to the target's real URL for that API) or at the replay server (replay: no outside connection).
Either local server captures the frames, so the session record is built the same way in every mode. Record mode
writes `cassettes/<target>/<surface>/<request>.yaml` through a `.partial` file, committed only for a conclusive
session (handshake 101 or a clean 4xx).
Attempts, delays and inconclusive statuses follow the runner's one policy (`RunSettings.policy`, `grading`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openai
from websockets.exceptions import ConnectionClosed, InvalidHandshake

from ..grading import Problem, is_transient, problem_verdict, transient_problem
from ..probes import ProbeIO, RequestSpec
from ..realtime import cassette as ws_cassette
from ..realtime.events import REALTIME
from ..realtime.frames import WsSession
from ..realtime.loopback import Capture
from ..realtime.proxy import DEADLINE_REACHED, PROXY, RecordingProxy, realtime_url
from ..realtime.replay import ReplayServer
from ..recording.cassettes import commit, discard
from ..verdicts import Verdict
from .policy import first_line
from .settings import RunSettings

REBASED = "ws://target.invalid"


@dataclass
class WsOutcome:
    """The session (None when nothing was attempted) or why there is none: SKIP or ERROR with a reason (`kind`)."""

    session: WsSession | None
    problem: str = ""
    verdict: Verdict | None = None
    kind: Problem | None = None


def _failed(session: WsSession | None, kind: Problem, problem: str, *, skip_missing: bool = False) -> WsOutcome:
    return WsOutcome(session, problem, problem_verdict(kind, skip_missing=skip_missing), kind)


@dataclass(frozen=True)
class WsTarget:
    """What the WebSocket path needs from its target run, passed explicitly (no reach into the engine).

    `segment` is the SDK's path segment of the API the probe speaks (events.REALTIME or events.RESPONSES).
    """

    settings: RunSettings
    client: openai.OpenAI
    model: str | None
    models: Mapping[str, str]
    options: Mapping[str, Any]
    base_url: str
    cassette: Path | None
    scrub: Callable[[str], str]
    restore: Mapping[str, str]
    sent: Callable[[], None]
    recorded: Callable[[str], None]
    segment: str = REALTIME


def probe(target: WsTarget, spec: RequestSpec, model: str, local_url: str, capture: Capture) -> WsSession:
    """Run the probe with an SDK client whose websocket_base_url is the local server; wait for the capture."""
    client = target.client.with_options(websocket_base_url=local_url)
    options: dict[str, Any] = {**target.options, "realtime_timeout": target.settings.idle}
    io = ProbeIO(client, model, options, dict(target.models), target.settings.replay, lambda _label: None,
                 target.settings.sleep)
    sdk_error, result = None, None
    try:
        result = spec.call(io)
    except (InvalidHandshake, ConnectionClosed):
        pass  # a refused handshake or a dropped connection is in the capture
    except Exception as exc:  # noqa: BLE001 - whatever the SDK raised is evidence
        sdk_error = first_line(exc)
    capture.done.wait(timeout=10)
    session = capture.session(spec.name, REBASED + (capture.path or "/"))
    session.sdk_error, session.sdk_result = sdk_error, result
    if not capture.path and session.transport_error is None:
        session.transport_error = sdk_error or "the SDK never reached the local realtime server"
    return session


def _judge(session: WsSession, attempts: int, total: float) -> WsOutcome:
    session.attempts = attempts
    if session.status is None:
        return _failed(session, Problem.TRANSPORT, f"transport error: {session.transport_error or 'no handshake'}")
    if is_transient(session.status):
        return _failed(session, Problem.TRANSIENT, transient_problem(session.status, attempts))
    if session.closed_by == PROXY and session.close_reason == DEADLINE_REACHED:
        return _failed(session, Problem.TRANSPORT, f"transport error: the session was not over within the {total:g} s "
                                                   f"deadline; {len(session.frames)} frame(s) exchanged")
    return WsOutcome(session)


def _where(path: Path) -> Path:
    return path.relative_to(path.parents[2]) if len(path.parents) > 2 else path


def run_ws(target: WsTarget, spec: RequestSpec) -> WsOutcome:
    """Send (or replay) one WebSocket request."""
    if target.model is None:
        missing = "no realtime model configured ([options] realtime_model)" if target.segment == REALTIME else \
            f"no model configured for capability {spec.capability!r}"
        return _failed(None, Problem.NOT_CONFIGURED, missing)
    if target.settings.replay and target.cassette is not None:
        return _replay(target, spec, target.model, target.cassette)
    return _live(target, spec, target.model, target.cassette)


def _replay(target: WsTarget, spec: RequestSpec, model: str, path: Path) -> WsOutcome:
    try:
        recorded = ws_cassette.load(path, dict(target.restore))
    except Exception as exc:  # noqa: BLE001 - CassetteError: one line naming the file
        return _failed(None, Problem.UNREADABLE, str(exc))
    if recorded is None:
        return _failed(None, Problem.NO_RECORDING, f"no recording for {spec.name} in {_where(path)}",
                       skip_missing=target.settings.skip_missing)
    with ReplayServer(recorded, target.scrub, strict=True, deadline=target.settings.timeout) as server:
        session = probe(target, spec, model, server.url, server.capture)
    if server.mismatch is not None:
        return _failed(session, Problem.UNREADABLE, f"cassette {path}: {server.mismatch}")
    return _judge(session, 1, target.settings.timeout)


def _live(target: WsTarget, spec: RequestSpec, model: str, path: Path | None) -> WsOutcome:
    url = realtime_url(target.base_url, target.segment)
    settings = target.settings
    attempt = 0
    while True:
        attempt += 1
        with RecordingProxy(url, deadline=settings.timeout, open_timeout=settings.idle,
                            segment=target.segment) as proxy:
            session = probe(target, spec, model, proxy.url, proxy.capture)
        target.sent()
        if not settings.policy.again(attempt, session.status, True, spec.retry):
            break
        settings.wait(settings.policy.delay(session.response_headers, attempt))
    outcome = _judge(session, attempt, settings.timeout)
    if path is not None and settings.records:
        if outcome.verdict is None:
            ws_cassette.write(path, ws_cassette.dump(session, target.scrub))
            if commit(path):
                target.recorded(spec.name)
        else:
            discard(path)
    return outcome
