"""Run one realtime probe through the official SDK and return its WsSession (the engine's `kind="ws"` branch).

The SDK always talks to 127.0.0.1: `client.realtime.connect(model=...)` with `websocket_base_url` pointed at
the recording proxy (live and record: the proxy forwards to the target's real realtime URL) or at the replay
server (replay: no outside connection). Either local server captures the frames, so the session record is
built the same way in every mode. Record mode writes `cassettes/<target>/realtime/<request>.yaml` through a
`.partial` file, committed only for a conclusive session (handshake 101 or a clean 4xx).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from websockets.exceptions import ConnectionClosed, InvalidHandshake

from ..grading import is_transient, transient_problem
from ..probes import ProbeIO, RequestSpec
from ..recording.cassettes import commit, discard
from ..verdicts import Verdict
from . import cassette as ws_cassette
from .frames import WsSession
from .loopback import Capture
from .proxy import RecordingProxy, realtime_url
from .replay import ReplayServer

if TYPE_CHECKING:
    from ..runner.engine import TargetRun

REBASED = "ws://target.invalid"


@dataclass
class WsOutcome:
    """The session (None when nothing was attempted) or why there is none: SKIP or ERROR with a reason."""

    session: WsSession | None
    problem: str = ""
    verdict: Verdict | None = None


def realtime_model(run: TargetRun) -> str | None:
    """The realtime model: `[models] realtime` when the profile format allows it, else `[options] realtime_model`."""
    model = run.models.get("realtime") or run.options.get("realtime_model")
    if not model:
        return None
    replay = run.mode.value == "replay"
    return run.profile.render(str(model), run.profile.var_values(replay=replay))


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}"[:300]


def probe(run: TargetRun, spec: RequestSpec, model: str, local_url: str, capture: Capture) -> WsSession:
    """Run the probe with an SDK client whose websocket_base_url is the local server; wait for the capture."""
    client = run.client("chat").with_options(websocket_base_url=local_url)
    options: dict[str, Any] = {**run.options, "realtime_timeout": getattr(run, "_timeout", 30.0)}
    replay = run.mode.value == "replay"
    io = ProbeIO(client, model, options, dict(run.models), replay, lambda _label: None, run._sleep)
    sdk_error, result = None, None
    try:
        result = spec.call(io)
    except (InvalidHandshake, ConnectionClosed):
        pass  # a refused handshake or a dropped connection is in the capture
    except Exception as exc:  # noqa: BLE001 - whatever the SDK raised is evidence
        sdk_error = _first_line(exc)
    capture.done.wait(timeout=10)
    session = capture.session(spec.name, REBASED + (capture.path or "/"))
    session.sdk_error, session.sdk_result = sdk_error, result
    if not capture.path and session.transport_error is None:
        session.transport_error = sdk_error or "the SDK never reached the local realtime server"
    return session


def _judge(session: WsSession, attempts: int) -> WsOutcome:
    session.attempts = attempts
    if session.status is None:
        return WsOutcome(session, f"transport error: {session.transport_error or 'no handshake'}", Verdict.ERROR)
    if is_transient(session.status):
        return WsOutcome(session, transient_problem(session.status, attempts), Verdict.ERROR)
    return WsOutcome(session)


def _where(path: Path) -> Path:
    return path.relative_to(path.parents[2]) if len(path.parents) > 2 else path


def run_ws(run: TargetRun, spec: RequestSpec) -> WsOutcome:
    """Send (or replay) one realtime request of a TargetRun."""
    model = realtime_model(run)
    if model is None:
        return WsOutcome(None, "no realtime model configured ([options] realtime_model)", Verdict.SKIP)
    path = run.recorder.path_for(spec.name) if run.recorder is not None else None
    if run.mode.value == "replay" and path is not None:
        return _replay(run, spec, model, path)
    return _live(run, spec, model, path)


def _replay(run: TargetRun, spec: RequestSpec, model: str, path: Path) -> WsOutcome:
    restore = {ph: val for val, ph in run.profile.secrets(replay=False).items()}
    try:
        recorded = ws_cassette.load(path, restore)
    except Exception as exc:  # noqa: BLE001 - CassetteError: one line naming the file
        return WsOutcome(None, str(exc), Verdict.ERROR)
    if recorded is None:
        verdict = Verdict.SKIP if getattr(run, "_skip_missing", False) else Verdict.ERROR
        return WsOutcome(None, f"no recording for {spec.name} in {_where(path)}", verdict)
    with ReplayServer(recorded, run.scrubber.text, strict=True) as server:
        session = probe(run, spec, model, server.url, server.capture)
    if server.mismatch is not None:
        return WsOutcome(session, f"cassette {path}: {server.mismatch}", Verdict.ERROR)
    return _judge(session, 1)


def _live(run: TargetRun, spec: RequestSpec, model: str, path: Path | None) -> WsOutcome:
    target = realtime_url(run.base_url("realtime"))
    timeout = float(getattr(run, "_timeout", 30.0))
    retries = int(getattr(run, "_retries", 0))
    attempt = 0
    while True:
        attempt += 1
        with RecordingProxy(target, deadline=max(60.0, 6 * timeout), open_timeout=timeout) as proxy:
            session = probe(run, spec, model, proxy.url, proxy.capture)
        run.info.requests_sent += 1
        transient = session.status is None or is_transient(session.status)
        if not transient or attempt > retries or not spec.retry:
            break
        run._sleep(_delay(session, attempt))
    outcome = _judge(session, attempt)
    if path is not None and run.mode.value == "record":
        if outcome.verdict is None:
            ws_cassette.write(path, ws_cassette.dump(session, run.scrubber.text))
            if commit(path):
                run.recorded.append(spec.name)
        else:
            discard(path)
    return outcome


def _delay(session: WsSession, attempt: int) -> float:
    try:
        return min(float(session.response_headers.get("retry-after", "").strip()), 10.0)
    except ValueError:
        return min(0.5 * 2 ** (attempt - 1), 10.0)
