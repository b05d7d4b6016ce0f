"""pytest plugin: options, target parametrization and report writing; the work is in conformance.session."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    pass

SESSION_KEY = pytest.StashKey["ConformanceSession"]()


def pytest_addoption(parser: pytest.Parser) -> None:
    """Register --conformance-* options (pytest-recording supplies --record-mode and --block-network)."""
    group = parser.getgroup("conformance", "OpenAI-compatibility conformance")
    group.addoption("--conformance-target", action="append", default=[], metavar="NAME|PATH",
                    help="target profile (bundled name or TOML path); repeatable. Default: every bundled target "
                         "with cassettes (replay) ")
    group.addoption("--conformance-mode", choices=("replay", "record", "live"), default=None,
                    help="replay cassettes (default), record them, or run live without writing")
    group.addoption("--conformance-base-url", default=None, help="override the target's base URL")
    group.addoption("--conformance-endpoint", default=None, help="endpoint generation from the profile")
    group.addoption("--conformance-cassette-dir", default=None, help="cassette root (default: ./cassettes)")
    group.addoption("--conformance-report-dir", default=None, help="write compat.json and compat.md here")
    group.addoption("--conformance-retries", type=int, default=2,
                    help="bounded retries for 429/5xx/transport errors, honouring Retry-After (default 2)")
    group.addoption("--conformance-repeat", type=int, default=1, metavar="K",
                    help="live only: run each feature K times; report pass@k, pass^k and FLAKY")
    group.addoption("--conformance-explore", type=int, default=0, metavar="N",
                    help="live only: N random hypothesis examples per generated row (never recorded)")
    group.addoption("--conformance-skip-missing", action="store_true",
                    help="a request with no recording is SKIP instead of ERROR")


def pytest_configure(config: pytest.Config) -> None:
    """Create the session state lazily used by the suite's tests."""
    from .session import ConformanceSession

    config.stash[SESSION_KEY] = ConformanceSession.from_config(config)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrize the `conformance_target` fixture over the selected targets."""
    if "conformance_target" in metafunc.fixturenames:
        session = metafunc.config.stash[SESSION_KEY]
        names = session.target_names()
        ids = [session.profile(n).name for n in names]
        metafunc.parametrize("conformance_target", names, ids=ids, indirect=True)


@pytest.fixture
def conformance_target(request: pytest.FixtureRequest) -> object:
    """The TargetVerifier for the parametrized target name."""
    return request.config.stash[SESSION_KEY].verifier(request.param)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    """Print the compatibility matrix after the run."""
    session = config.stash.get(SESSION_KEY, None)
    if session is not None and session.results:
        terminalreporter.section("compatibility matrix")
        terminalreporter.write_line(session.matrix())


def pytest_unconfigure(config: pytest.Config) -> None:
    """Write reports and stop any local server."""
    session = config.stash.get(SESSION_KEY, None)
    if session is not None:
        session.finish()
