"""pytest plugin: wires options, target parametrization and reports; the work is in conformance.session.

The options come from `conformance.options` (declared once). The `conformance` command hands its typed options in
through a `Preset` plugin object and reads the typed result back from it; plain pytest reads --conformance-*.
"""

from __future__ import annotations

import sys
from collections.abc import Generator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from .options import RunOptions
    from .report.terminal import RunProgress
    from .session import ConformanceSession

SESSION_KEY = pytest.StashKey["ConformanceSession"]()
MATRIX_WIDTH = 120  # the matrix never gets wider than this, whatever the terminal


@dataclass(eq=False)
class Preset:
    """Options given by the `conformance` command; after the run, `session` holds its typed result."""

    options: RunOptions
    session: ConformanceSession | None = None


def pytest_addoption(parser: pytest.Parser) -> None:
    """Register --conformance-* options (pytest-recording supplies --record-mode and --block-network)."""
    from .options import add_pytest_options

    add_pytest_options(parser.getgroup("conformance", "OpenAI-compatibility conformance"))


def _preset(config: pytest.Config) -> Preset | None:
    return next((p for p in config.pluginmanager.get_plugins() if isinstance(p, Preset)), None)


def pytest_configure(config: pytest.Config) -> None:
    """Create the session state lazily used by the suite's tests."""
    from .options import from_pytest
    from .session import ConformanceSession

    preset = _preset(config)
    options = preset.options if preset is not None else from_pytest(config)
    session = ConformanceSession.from_config(config, options)
    config.stash[SESSION_KEY] = session
    if preset is not None:
        preset.session = session


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrize the `conformance_target` fixture over the selected targets."""
    if "conformance_target" in metafunc.fixturenames:
        session = metafunc.config.stash[SESSION_KEY]
        names = session.target_names()
        ids = [session.profile(n).name for n in names]
        metafunc.parametrize("conformance_target", names, ids=ids, indirect=True)


def _remember_selection(session: pytest.Session) -> None:
    """Remember the selected cells (after -k and deselection): the report must hold each of them."""
    state = session.config.stash.get(SESSION_KEY, None)
    if state is None:
        return
    for item in session.items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        feature = params.get("feature")
        if "conformance_target" in params and feature is not None:
            state.select(item.nodeid, str(params["conformance_target"]), str(getattr(feature, "id", feature)))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """A selected test that failed without producing its cell: keep one line of why (its cell becomes ERROR)."""
    report = yield
    state = item.config.stash.get(SESSION_KEY, None) if report.failed else None
    if state is not None:
        crash = getattr(report.longrepr, "reprcrash", None)
        lines = str(getattr(crash, "message", "") or report.longreprtext or "failed").strip().splitlines()
        state.test_gave_no_result(item.nodeid, f"{report.when} failed: {lines[0] if lines else ''}"[:300])
    return report


@pytest.fixture
def conformance_target(request: pytest.FixtureRequest) -> object:
    """The TargetVerifier for the parametrized target name."""
    return request.config.stash[SESSION_KEY].verifier(request.param)


@dataclass(eq=False)
class ProgressReporter:
    """Registered for live and record runs on a terminal: a progress bar instead of pytest's letters."""

    progress: RunProgress
    failed: int = 0

    def pytest_runtest_logstart(self, nodeid: str) -> None:
        """Name the cell the bar is waiting for."""
        self.progress.show(nodeid.rsplit("[", 1)[-1].rstrip("]"))

    @pytest.hookimpl(wrapper=True)
    def pytest_report_teststatus(self, report: pytest.TestReport) -> Generator[None, object, object]:
        """No letter per test while the bar shows (the outcome still counts in pytest's summary)."""
        status = yield
        if isinstance(status, tuple) and len(status) == 3:
            return status[0], "", "" if isinstance(status[2], str) else status[2]
        return status

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Advance once per test: after its call, or after a setup that did not pass."""
        if report.when == "call" or (report.when == "setup" and not report.passed):
            self.failed += report.failed
            self.progress.advance(self.failed)

    def pytest_sessionfinish(self) -> None:
        """Remove the bar before the summary is printed."""
        self.progress.stop()


def pytest_collection_finish(session: pytest.Session) -> None:
    """Remember the selected cells; live and record runs on a terminal get a progress bar unless -v is given."""
    from .runner import Mode

    _remember_selection(session)
    state = session.config.stash.get(SESSION_KEY, None)
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if (state is None or state.mode is Mode.REPLAY or not session.items or reporter is None
            or session.config.get_verbosity() > 0 or not sys.stderr.isatty()):
        return
    from .report.terminal import RunProgress

    reporter.showfspath = False
    title = f"{state.mode.value} {', '.join(state.target_names())}"
    session.config.pluginmanager.register(ProgressReporter(RunProgress(len(session.items), sys.stderr, title)),
                                          "conformance-progress")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    """Print the compatibility matrix (coloured when pytest colours) and a line per target after the run."""
    session = config.stash.get(SESSION_KEY, None)
    if session is not None and session.results:
        writer = config.get_terminal_writer()
        width = min(writer.fullwidth, MATRIX_WIDTH) if sys.stdout.isatty() else MATRIX_WIDTH  # logs do not wrap
        terminalreporter.section("compatibility matrix")
        terminalreporter.write(session.matrix(width=width, color=writer.hasmarkup))
        if _preset(config) is None and session.options.report_dir is not None:
            terminalreporter.write_line(f"reports: {session.options.report_dir}/compat.html, compat.md, compat.json,"
                                        " summary.md, badges/")


def pytest_unconfigure(config: pytest.Config) -> None:
    """Stop local servers; write reports when plain pytest asked for them (the command writes its own)."""
    session = config.stash.get(SESSION_KEY, None)
    if session is not None:
        session.finish(None if _preset(config) is not None else session.options.report_dir)
