"""ConformanceSession: one pytest session's targets, runs and typed results (RunResult); reports are written from it."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from .catalogue import FEATURES, Feature
from .errors import ConformanceError, UsageError
from .grading import claims_exit_code, disagrees
from .options import RunOptions
from .profiles import TargetProfile, builtin_names, load_profile
from .recording.meta import read_meta, write_meta
from .report import build_document, escape_controls, render_terminal, write_report_files
from .runner import FeatureResult, Mode, TargetInfo, TargetRun, resolve_endpoints
from .runner.engine import error_cell
from .runner.repeat import combine
from .verdicts import Verdict

REPO_ROOT = Path(__file__).resolve().parent.parent


def default_cassette_root() -> Path:
    """./cassettes when it exists, else the checkout's cassettes/ next to the package."""
    here = Path("cassettes")
    return here if here.is_dir() else REPO_ROOT / "cassettes"


def resolve_mode(config: pytest.Config, explicit: Mode | None = None) -> Mode:
    """An explicit mode (--conformance-mode) wins; else pytest-recording's flags; else replay."""
    explicit = explicit or (Mode(config.getoption("--conformance-mode")) if config.getoption("--conformance-mode")
                            else None)
    if explicit:
        return explicit
    if config.getoption("--disable-recording", default=False):
        return Mode.LIVE
    record_mode = config.getoption("--record-mode", default="none") or "none"
    return Mode.REPLAY if record_mode == "none" else Mode.RECORD


def explain(result: FeatureResult) -> str:
    """Readable multi-line evidence for a pytest failure message (and so JUnit's), control characters escaped."""
    lines = [f"{result.target} {result.feature}: observed {result.verdict.value}, claimed {result.claim.value} "
             f"({result.agreement.value})"]
    if result.reason:
        lines.append(f"  reason: {result.reason}")
    for chk in result.problems():
        ev = chk.evidence
        lines.append(f"  [{chk.severity.value}] {chk.id} {chk.outcome.value}: {ev.line() if ev else ''}")
    return "\n".join(escape_controls(line) for line in lines)


@dataclass
class RunResult:
    """What a run produced: every cell and every target's facts; the exit code follows grading's policy."""

    results: list[FeatureResult]
    targets: list[TargetInfo]

    def document(self) -> dict[str, Any]:
        """The compat.json document."""
        return build_document(self.results, self.targets)

    def exit_code(self) -> int:
        """The claims exit code of this run."""
        return claims_exit_code(r.agreement for r in self.results)


def write_reports(doc: dict[str, Any], report_dir: Path) -> list[Path]:
    """Write compat.json, compat.md, compat.html, summary.md and badges/ (nothing for a run without results)."""
    return write_report_files(doc, report_dir)


@dataclass
class TargetVerifier:
    """Runs features of one target and turns disagreements into pytest outcomes."""

    session: ConformanceSession
    run: TargetRun

    def check(self, feature: Feature) -> FeatureResult:
        """Run the feature, record the result, fail on a broken claim or an inconclusive run."""
        runs = [self.run.run_feature(feature)]
        for _ in range(self.session.repeat - 1):
            self.run.forget(feature.requests)
            runs.append(self.run.run_feature(feature))
        result = combine(runs) if len(runs) > 1 else runs[0]
        self.session.results.append(result)
        if result.not_sent:  # target stopped or run out of time: its first such row fails, the rest are skipped
            if result.target not in self.session.stops_reported:
                self.session.stops_reported.add(result.target)
                pytest.fail(explain(result), pytrace=False)
            pytest.skip(f"{feature.id}: not run (ERROR): {result.target} was stopped, see its first failed row")
        if result.verdict is Verdict.SKIP:
            pytest.skip(f"{feature.id}: {result.reason or 'not applicable'}")
        if disagrees(result.agreement):
            pytest.fail(explain(result), pytrace=False)
        return result


@dataclass
class ConformanceSession:
    """Options, lazily created target runs, collected results."""

    options: RunOptions
    mode: Mode
    cassette_root: Path = field(default_factory=default_cassette_root)
    results: list[FeatureResult] = field(default_factory=list)
    _runs: dict[str, TargetRun] = field(default_factory=dict)
    _profiles: dict[str, TargetProfile] = field(default_factory=dict)
    _servers: list[Any] = field(default_factory=list)
    _local_meta: dict[str, dict[str, Any]] = field(default_factory=dict)
    run_ends: float | None = None
    selected: dict[str, tuple[str, str]] = field(default_factory=dict)  # test id -> (target name or path, feature)
    unfinished: dict[tuple[str, str], str] = field(default_factory=dict)  # cell -> why its test gave no result
    stops_reported: set[str] = field(default_factory=set)  # targets whose stop already failed one pytest test

    @property
    def targets(self) -> list[str]:
        """Targets named by the user (empty: the default selection)."""
        return list(self.options.target)

    @property
    def repeat(self) -> int:
        """How many times each feature runs (live --repeat K)."""
        return self.options.repeat

    @classmethod
    def start(cls, options: RunOptions, mode: Mode) -> ConformanceSession:
        """Validate options and profiles before anything is sent; a problem is a one-line UsageError."""
        root = options.cassette_dir or default_cassette_root()
        session = cls(options=options, mode=mode, cassette_root=root)
        if options.max_time is not None:
            session.run_ends = time.monotonic() + options.max_time
        problems = options.problems(mode)
        if problems:
            raise UsageError(problems[0])
        for name in session.target_names():
            profile = session.profile(name)
            resolve_endpoints(profile, options.endpoint, base_url=options.base_url)  # an unknown --endpoint: one line
            if mode is not Mode.REPLAY and options.base_url is None:
                session.check_local_server(name)
            missing = profile.missing_env() if mode is not Mode.REPLAY else []
            if missing:
                raise UsageError(f"profile {profile.name}: {mode.value} mode needs the environment "
                                 f"variable(s) {', '.join(missing)} (nothing was sent)")
        return session

    @classmethod
    def from_config(cls, config: pytest.Config, options: RunOptions) -> ConformanceSession:
        """Build for a pytest run; a bad option or profile becomes pytest's one-line usage error."""
        try:
            return cls.start(options, resolve_mode(config, options.mode))
        except ConformanceError as exc:
            raise pytest.UsageError(str(exc)) from None

    def target_names(self) -> list[str]:
        """Selected targets; by default every bundled target with cassettes (replay) or reference (live)."""
        if self.targets:
            return self.targets
        if self.mode is not Mode.REPLAY:
            return ["reference"]
        return [n for n in builtin_names() if (self.cassette_root / n / "_meta.json").exists()]

    def check_local_server(self, name: str) -> None:
        """Fail early (one line) when the target's local server cannot run here, e.g. a missing extra."""
        from .servers import LocalServerError, missing_requirement

        problem = missing_requirement(self.profile(name).local_server)
        if problem:
            raise LocalServerError(f"{name}: {problem}")

    def profile(self, name: str) -> TargetProfile:
        """Load (once) the profile for a target name or path."""
        if name not in self._profiles:
            self._profiles[name] = load_profile(name)
        return self._profiles[name]

    def verifier(self, name: str) -> TargetVerifier:
        """The verifier for a target, creating its run (and a local reference server) on first use."""
        if name not in self._runs:
            profile = self.profile(name)
            local = None
            if self.options.base_url is None and profile.local_server and self.mode is not Mode.REPLAY:
                local = self._start_local(profile)
            settings = self.options.settings(self.mode, self.cassette_root, self.run_ends)
            run = TargetRun(profile, settings, local_urls=local)
            if self.mode is Mode.REPLAY:
                run.info.cassettes = read_meta(self.cassette_root / profile.name)
            self._runs[name] = run
        return TargetVerifier(self, self._runs[name])

    def _start_local(self, profile: TargetProfile) -> dict[str, str]:
        """Start the profile's local server (base URL per surface); a failure ends the session in one line."""
        from .servers import LocalServerError, start_server

        try:
            server = start_server(profile.local_server)
        except LocalServerError as exc:
            pytest.exit(f"{profile.name}: {exc}", returncode=pytest.ExitCode.USAGE_ERROR)
        self._servers.append(server)
        self._local_meta[profile.name] = server.provenance
        return server.urls

    def select(self, test_id: str, target: str, feature_id: str) -> None:
        """A collected (and not deselected) test stands for the cell (target, feature): the report must hold it."""
        self.selected[test_id] = (target, feature_id)

    def test_gave_no_result(self, test_id: str, why: str) -> None:
        """A selected test failed before its cell got a result (e.g. in a fixture): remember one line of why."""
        if test_id in self.selected:
            target, feature_id = self.selected[test_id]
            self.unfinished.setdefault((target, feature_id), why)

    def _missing(self) -> list[FeatureResult]:
        """ERROR cells for selected cells that have no result: the report always holds the selected set."""
        done = {(r.target, r.feature) for r in self.results}
        missing = []
        for target, feature_id in dict.fromkeys(self.selected.values()):
            try:
                profile = self.profile(target)
            except ConformanceError:
                continue  # a profile that cannot load stopped the run before collection
            if (profile.name, feature_id) in done or feature_id not in FEATURES:
                continue
            why = self.unfinished.get((target, feature_id), "its test ended without a result")
            missing.append(error_cell(profile, FEATURES.get(feature_id), f"no result: {why}"))
        return missing

    def result(self) -> RunResult:
        """The typed result of everything run so far: every selected cell, an ERROR cell where a test gave none."""
        return RunResult(list(self.results) + self._missing(), [r.info for r in self._runs.values()])

    def in_scope(self, keyword: bool) -> Callable[[str, str], bool]:
        """Which baseline cells this run was asked for: the named targets (else any), the -k features (else any)."""
        targets = {self.profile(n).name for n in self.targets}
        features = {f for _, f in self.selected.values()}
        return lambda target, feature: (not targets or target in targets) and (not keyword or feature in features)

    def stop_lines(self) -> list[str]:
        """One line per target that was stopped (breaker, preflight, authentication) or cut by --max-time."""
        unsent = Counter(r.target for r in self.results if r.not_sent)
        lines = []
        for run in self._runs.values():
            name = run.profile.name
            if run.stopped:
                lines.append(f"{name}: {run.stopped}; {unsent[name]} row(s) not run (ERROR)")
            elif unsent[name]:
                lines.append(f"{name}: --max-time {self.options.max_time or 0:g} s reached; {unsent[name]} row(s) "
                             f"not run (ERROR)")
        return lines

    def matrix(self, *, width: int = 120, color: bool = False) -> str:
        """The terminal matrix and a line per target, `width` columns wide."""
        return render_terminal(self.result().document(), width=width, color=color)

    def finish(self, report_dir: Path | None) -> None:
        """Write cassette provenance (record), reports (when `report_dir` is given) and stop local servers."""
        for run in self._runs.values():
            if self.mode is Mode.RECORD and run.recorder is not None and run.recorded:
                recorded = [p.stem for p in run.recorder.root.rglob("*.yaml")]
                write_meta(run.recorder.root, run.profile.name, run.base_url("chat"), run.endpoint,
                           run.profile.origin, recorded, self._local_meta.get(run.profile.name))
                run.info.cassettes = read_meta(run.recorder.root)
        if report_dir is not None and self.results:
            write_reports(self.result().document(), report_dir)
        for server in self._servers:
            server.stop()
        self._servers.clear()
