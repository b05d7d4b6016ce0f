"""Shared fixtures: a reference server on a free loopback port and a helper that runs the whole catalogue on it."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from conformance import FEATURES, AttemptPolicy, FeatureResult, Mode, RunSettings, TargetRun, load_profile
from conformance.refserver import RefServer

RunAll = Callable[..., dict[str, FeatureResult]]
MUTATION: dict[str, set[str]] = {}
FAITHFUL_CHANGES: dict[str, int] = {}  # faithful variant -> conclusive verdicts it changed (must be 0)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the mutation score: checks killed by at least one reference-server fault, and faithful variants."""
    if FAITHFUL_CHANGES:
        terminalreporter.write_line(
            f"faithful variants: {len(FAITHFUL_CHANGES)} faults that must not change a verdict, "
            f"{sum(FAITHFUL_CHANGES.values())} verdict change(s)")
    if not MUTATION:
        return
    from conformance import CHECKS

    total = {c.id for c in CHECKS.all()}
    killed = set().union(*MUTATION.values()) & total
    terminalreporter.write_line(
        f"mutation score: {len(killed)}/{len(total)} checks killed by {len(MUTATION)} faults "
        f"({100 * len(killed) / len(total):.0f}%)"
    )


@pytest.fixture(scope="session")
def refserver() -> Iterator[RefServer]:
    """One reference server for the session; tests set `.faults` and must reset it."""
    server = RefServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def run_all(refserver: RefServer) -> Iterator[RunAll]:
    """Run catalogue features live against the reference server with the given faults switched on.

    `checks` limits the run to the rows that contain at least one of those checks (a fault's declared kills).
    """

    def run(*faults: str, checks: tuple[str, ...] = ()) -> dict[str, FeatureResult]:
        refserver.faults = set(faults)
        target = TargetRun(load_profile("reference"),
                           RunSettings(Mode.LIVE, base_url=refserver.url, policy=AttemptPolicy(0)))
        rows = [f for f in FEATURES if not checks or set(checks) & set(f.checks)]
        return {f.id: target.run_feature(f) for f in rows}

    yield run
    refserver.faults = set()
    refserver.check()


@pytest.fixture
def connects(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every address a socket of this test connects to (a replay must name only 127.0.0.1)."""
    import socket

    peers: list[object] = []
    original = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> object:
        peers.append(address)
        return original(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", guarded)
    return peers
