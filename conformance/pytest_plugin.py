"""pytest plugin: wires options, target parametrization, markers and reports; the work is in conformance.session.

pytest loads this module (entry point `pytest11`) in every project of the environment, so it does nothing until
the suite is asked for: the `conformance` command's Preset, a `--conformance-*` option, or the suite's own tests
(`pytest --pyargs conformance.suite`) among the arguments. Until then it imports neither the SDK, vcrpy nor the
engine, and leaves pytest-recording's flags to the projects that use them.

The options come from `conformance.options` (declared once). The `conformance` command hands its typed options in
through a `Preset` plugin object and reads the typed result back from it; plain pytest reads --conformance-*.
"""

from __future__ import annotations

import sys
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from .options import RunOptions
    from .report.terminal import RunProgress
    from .session import ConformanceSession

SESSION_KEY = pytest.StashKey["ConformanceSession"]()
MATRIX_WIDTH = 120  # the matrix never gets wider than this, whatever the terminal
SUITE_MODULE = "conformance.suite"
SUITE_DIR = Path(__file__).resolve().parent / "suite"
# Markers the suite's tests carry: the feature's surface and tier (`-m "core and not realtime"`).
TIERS = ("core", "optional", "extension")


@dataclass(eq=False)
class Preset:
    """Options given by the `conformance` command, with the session it prepared (validated before pytest started);
    after the run, `session` holds its typed result."""

    options: RunOptions
    session: ConformanceSession | None = None


def pytest_addoption(parser: pytest.Parser) -> None:
    """Register --conformance-* options (pytest-recording supplies --record-mode and --block-network)."""
    from .options import add_pytest_options

    add_pytest_options(parser.getgroup("conformance", "OpenAI-compatibility conformance"))


def _preset(config: pytest.Config) -> Preset | None:
    return next((p for p in config.pluginmanager.get_plugins() if isinstance(p, Preset)), None)


def _names_suite(arg: str, rootdir: Path) -> bool:
    """An argument that selects the suite: `conformance.suite[...]` (--pyargs) or a path inside its folder."""
    head = arg.split("::", 1)[0]
    if head == SUITE_MODULE or head.startswith(SUITE_MODULE + "."):
        return True
    try:
        path = (rootdir / head).resolve() if not Path(head).is_absolute() else Path(head).resolve()
    except (OSError, ValueError):
        return False
    return path == SUITE_DIR or SUITE_DIR in path.parents


def asked_for(config: pytest.Config) -> bool:
    """Whether this pytest run is a conformance run (otherwise the plugin stays out of the way)."""
    if _preset(config) is not None:
        return True
    from .options import RUN_OPTIONS

    for opt in RUN_OPTIONS:
        value = config.getoption(f"conformance_{opt.name}", default=None)
        if value not in (None, [], opt.default):
            return True
    cwd = Path(config.invocation_params.dir)
    return any(_names_suite(str(arg), cwd) for arg in config.invocation_params.args if not str(arg).startswith("-"))


def pytest_configure(config: pytest.Config) -> None:
    """When the suite is asked for: register its markers and create the session state its tests use."""
    if not asked_for(config):
        return
    from .options import from_pytest
    from .session import ConformanceSession

    config.addinivalue_line("markers", "conformance: a conformance suite cell (feature x target)")
    for tier in TIERS:
        config.addinivalue_line("markers", f"{tier}: a conformance feature of the {tier} tier")
    from .catalogue import Surface

    for surface in Surface:
        config.addinivalue_line("markers", f"{surface.value}: a conformance feature of the {surface.value} surface")
    preset = _preset(config)
    options = preset.options if preset is not None else from_pytest(config)
    session = preset.session if preset is not None and preset.session is not None else \
        ConformanceSession.from_config(config, options)
    config.stash[SESSION_KEY] = session
    if preset is not None:
        preset.session = session


def _session(config: pytest.Config) -> ConformanceSession | None:
    return config.stash.get(SESSION_KEY, None)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrize the `conformance_target` fixture over the selected targets."""
    if "conformance_target" not in metafunc.fixturenames:
        return
    session = _session(metafunc.config)
    if session is None:
        raise pytest.UsageError("the conformance suite runs under its plugin: pass --conformance-target NAME "
                                "(or run `conformance run`)")
    names = session.target_names()
    ids = [session.profile(n).name for n in names]
    metafunc.parametrize("conformance_target", names, ids=ids, indirect=True)


def _cell(item: pytest.Item) -> tuple[Any, str] | None:
    """The (feature, target name) of a suite test item, None for any other test."""
    params = getattr(getattr(item, "callspec", None), "params", {})
    if "feature" in params and "conformance_target" in params:
        return params["feature"], str(params["conformance_target"])
    return None


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Apply --surface (after -k and -m), and remember which cells were selected."""
    session = _session(config)
    if session is None:
        return
    wanted = set(session.options.surface)
    kept, dropped = [], []
    for item in items:
        cell = _cell(item)
        if cell is None:
            kept.append(item)
            continue
        feature, target = cell
        if wanted and feature.surface.value not in wanted:
            dropped.append(item)
            continue
        kept.append(item)
        session.selected.add((session.profile(target).name, feature.id))
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


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


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Write cassette provenance and (for plain pytest with --conformance-report-dir) the reports."""
    state = _session(session.config)
    if state is not None:
        state.conclude(None if _preset(session.config) is not None else state.options.report_dir)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    """Print the matrix (coloured when pytest colours), cassette hygiene, where reports went and why the run exits."""
    session = _session(config)
    if session is None or not session.results:
        return
    writer = config.get_terminal_writer()
    width = min(writer.fullwidth, MATRIX_WIDTH) if sys.stdout.isatty() else MATRIX_WIDTH  # logs do not wrap
    terminalreporter.section("compatibility matrix")
    terminalreporter.write(session.matrix(width=width, color=writer.hasmarkup))
    for line in session.hygiene():
        terminalreporter.write_line(line)
    if _preset(config) is None:
        for line in session.published.lines if session.published else ():
            terminalreporter.write_line(line)
        terminalreporter.write_line(session.result().conclusion())


def pytest_unconfigure(config: pytest.Config) -> None:
    """Stop the local servers the session started."""
    session = _session(config)
    if session is not None:
        session.close()
