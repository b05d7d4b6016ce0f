"""ConformanceSession: one pytest session's targets, runs and typed results (RunResult); reports are written from it."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from .catalogue import FEATURES, Feature
from .errors import ConformanceError, UsageError
from .grading import Judgement, combine_exit_codes, judge, run_exit_code
from .options import RunOptions
from .profiles import ADHOC_NAME, TargetProfile, adhoc_profile, adjust, builtin_names, load_profile
from .publish import Baseline, Published, publish, read_previous
from .recording import hygiene
from .recording.meta import read_meta, report_meta, write_meta
from .report import build_document, escape_controls, render_terminal
from .report.document import sdk_minor
from .report.regression import Change, compare, regression_exit_code
from .runner import FeatureResult, Mode, TargetInfo, TargetRun, resolve_endpoints
from .runner.engine import error_cell
from .runner.repeat import combine
from .verdicts import Verdict

REPO_ROOT = Path(__file__).resolve().parent.parent


def default_cassette_root() -> Path:
    """./cassettes when it exists, else the checkout's cassettes/ next to the package (record mode writes your
    own targets' cassettes to ./cassettes instead: ConformanceSession.start)."""
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


def explain(result: FeatureResult, note: str = "") -> str:
    """Readable multi-line evidence for a pytest failure message (and so JUnit's), control characters escaped."""
    lines = [f"{result.target} {result.feature}: observed {result.verdict.value}, claimed {result.claim.value} "
             f"({result.agreement.value}){note}"]
    if result.reason:
        lines.append(f"  reason: {result.reason}")
    for chk in result.problems():
        ev = chk.evidence
        lines.append(f"  [{chk.severity.value}] {chk.id} {chk.outcome.value}: {ev.line() if ev else ''}")
    return "\n".join(escape_controls(line) for line in lines)


@dataclass
class RunResult:
    """What a run produced: every cell, every target's facts, and how each cell counts toward the exit code."""

    results: list[FeatureResult]
    targets: list[TargetInfo]
    judgements: list[Judgement] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    baseline: Path | None = None
    selected: set[tuple[str, str]] = field(default_factory=set)

    def document(self) -> dict[str, Any]:
        """The compat.json document."""
        return build_document(self.results, self.targets)

    def exit_code(self) -> int:
        """The run's exit code (grading's policy): regressions against the baseline, else the --fail-on policy."""
        return combine_exit_codes(run_exit_code(self.judgements), regression_exit_code(self.changes))

    def conclusion(self) -> str:
        """One line that says why the process exits with its code (printed last, so nothing contradicts it)."""
        code = self.exit_code()
        counts = {j: self.judgements.count(j) for j in Judgement}
        known = counts[Judgement.KNOWN]
        against = f"baseline {self.baseline}" if self.baseline else "no baseline"
        parts = [f"{counts[Judgement.FAILS]} cell(s) failing", f"{counts[Judgement.INCONCLUSIVE]} inconclusive"]
        if self.baseline:
            parts.append(f"{sum(not c.inconclusive for c in self.changes)} worse than the baseline")
        if known:
            parts.append(f"{known} known from the baseline (--strict fails on them)")
        return f"conformance: exit {code} ({against}): {', '.join(parts)}"


@dataclass
class TargetVerifier:
    """Runs features of one target and turns each cell's judgement into a pytest outcome."""

    session: ConformanceSession
    run: TargetRun

    def check(self, feature: Feature) -> FeatureResult:
        """Run the feature, record the result; fail on a cell that fails the run, xfail a known one."""
        runs = [self.run.run_feature(feature)]
        for _ in range(self.session.repeat - 1):
            self.run.forget(feature.requests)
            runs.append(self.run.run_feature(feature))
        result = combine(runs) if len(runs) > 1 else runs[0]
        judgement = self.session.record(result)
        if result.not_sent:  # target stopped or run out of time: its first such row fails, the rest are skipped
            if result.target not in self.session.stops_reported:
                self.session.stops_reported.add(result.target)
                pytest.fail(explain(result), pytrace=False)
            pytest.skip(f"{feature.id}: not run (ERROR): {result.target} was stopped, see its first failed row")
        if judgement is Judgement.NOT_APPLICABLE:
            pytest.skip(f"{feature.id}: {result.reason or 'not applicable'}")
        if judgement is Judgement.KNOWN:
            before = self.session.before(result.target, result.feature)
            pytest.xfail(f"known from the baseline (was {before.value if before else '?'}): observed "
                         f"{result.verdict.value}, claimed {result.claim.value} ({result.agreement.value}); "
                         "--strict fails on it")
        if judgement in (Judgement.FAILS, Judgement.INCONCLUSIVE):
            pytest.fail(explain(result), pytrace=False)
        return result


@dataclass
class ConformanceSession:
    """Options, lazily created target runs, collected results and their judgements."""

    options: RunOptions
    mode: Mode
    cassette_root: Path = field(default_factory=default_cassette_root)
    results: list[FeatureResult] = field(default_factory=list)
    judgements: list[Judgement] = field(default_factory=list)
    baseline: Baseline | None = None
    previous: dict[str, Any] | None = None
    published: Published | None = None
    selected: set[tuple[str, str]] = field(default_factory=set)  # (target, feature) cells collected to run
    _runs: dict[str, TargetRun] = field(default_factory=dict)
    _profiles: dict[str, TargetProfile] = field(default_factory=dict)
    _servers: list[Any] = field(default_factory=list)
    _local_meta: dict[str, dict[str, Any]] = field(default_factory=dict)
    run_ends: float | None = None
    selected_tests: dict[str, tuple[str, str]] = field(default_factory=dict)  # test id -> (target name/path, feature)
    unfinished: dict[tuple[str, str], str] = field(default_factory=dict)  # cell -> why its test gave no result
    stops_reported: set[str] = field(default_factory=set)  # targets whose stop already failed one pytest test
    _concluded: bool = False

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
        """Validate options, profiles and report files before anything is sent; a problem is a one-line UsageError."""
        root = options.cassette_dir or default_cassette_root()
        bundled = set(builtin_names())
        if options.cassette_dir is None and mode is Mode.RECORD and (options.adhoc or set(options.target) - bundled):
            root = Path("cassettes")  # your own target's recordings go beside you, never into the package
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
        baseline = options.baseline_path()
        session.baseline = Baseline.load(baseline) if baseline is not None else None
        if options.report_dir is not None:
            session.previous = read_previous(options.report_dir)
        return session

    @classmethod
    def from_config(cls, config: pytest.Config, options: RunOptions) -> ConformanceSession:
        """Build for a pytest run; a bad option or profile becomes pytest's one-line usage error."""
        try:
            return cls.start(options, resolve_mode(config, options.mode))
        except ConformanceError as exc:
            raise pytest.UsageError(str(exc)) from None

    def target_names(self) -> list[str]:
        """Selected targets: --target, the ad-hoc one, or every bundled target with cassettes (replay) / reference."""
        if self.targets:
            return self.targets
        if self.options.adhoc:
            return [ADHOC_NAME]
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
        """Load (once) the profile for a target name or path, the ad-hoc target, with the command's flags applied."""
        if name not in self._profiles:
            flags = self.options.target_flags
            if self.options.adhoc and name == ADHOC_NAME:
                self._profiles[name] = adhoc_profile(flags)
            else:
                self._profiles[name] = adjust(load_profile(name), flags)
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
                run.info.cassettes = report_meta(self.cassette_root / profile.name)
            self._runs[name] = run
        return TargetVerifier(self, self._runs[name])

    def _start_local(self, profile: TargetProfile) -> dict[str, str]:
        """Start the profile's local server (base URL per surface); a failure ends the session in one line."""
        from .servers import LocalServerError, start_server

        try:
            server = start_server(profile.local_server, port=self.options.port)
        except LocalServerError as exc:
            pytest.exit(f"{profile.name}: {exc}", returncode=pytest.ExitCode.USAGE_ERROR)
        self._servers.append(server)
        self._local_meta[profile.name] = server.provenance
        return server.urls

    def select(self, test_id: str, target: str, feature_id: str) -> None:
        """A collected (and not deselected) test stands for the cell (target, feature): the report must hold it."""
        self.selected_tests[test_id] = (target, feature_id)

    def before(self, target: str, feature: str) -> Verdict | None:
        """The baseline's verdict for a cell (None without a baseline or a cell there)."""
        return self.baseline.verdict(target, feature) if self.baseline is not None else None

    def record(self, result: FeatureResult) -> Judgement:
        """Keep a cell and judge it (grading.judge) against its baseline verdict and the --fail-on policy."""
        self.results.append(result)
        judgement = judge(result.verdict, result.agreement, self.options.policy,
                          before=self.before(result.target, result.feature), strict=self.options.strict)
        self.judgements.append(judgement)
        return judgement

    def result(self) -> RunResult:
        """The typed result so far: every selected cell (ERROR where a test gave none), the baseline comparison."""
        targets = [r.info for r in self._runs.values()]
        missing = self._missing()
        judgements = [*self.judgements, *(judge(m.verdict, m.agreement, self.options.policy) for m in missing)]
        result = RunResult(list(self.results) + missing, targets, judgements, selected=set(self.selected))
        if self.baseline is not None:  # compared on this run's selection: other cells are not this run's business
            result.changes = compare(self.baseline.doc, result.document(), self.asked_for(targets))
            result.baseline = self.baseline.path
        return result

    def asked_for(self, targets: list[TargetInfo]) -> Callable[[str, str], bool]:
        """Which baseline cells this run was asked for, so that a missing one counts as worse (issue 12).

        Targets: the named ones, else those that ran. Features: every one when a target's whole catalogue was
        selected (a baseline cell of a feature the catalogue lost is then missing), else the selected ones
        (`-k`, `--surface`).
        """
        named = {self.profile(n).name for n in self.targets}
        scope = named or {t.name for t in targets}
        chosen = {f for _, f in self.selected}
        everything = chosen >= {f.id for f in FEATURES}
        return lambda target, feature: target in scope and (everything or feature in chosen)

    def test_gave_no_result(self, test_id: str, why: str) -> None:
        """A selected test failed before its cell got a result (e.g. in a fixture): remember one line of why."""
        if test_id in self.selected_tests:
            target, feature_id = self.selected_tests[test_id]
            self.unfinished.setdefault((target, feature_id), why)

    def _missing(self) -> list[FeatureResult]:
        """ERROR cells for selected cells that have no result: the report always holds the selected set."""
        done = {(r.target, r.feature) for r in self.results}
        missing = []
        for target, feature_id in dict.fromkeys(self.selected_tests.values()):
            try:
                profile = self.profile(target)
            except ConformanceError:
                continue  # a profile that cannot load stopped the run before collection
            if (profile.name, feature_id) in done or feature_id not in FEATURES:
                continue
            why = self.unfinished.get((target, feature_id), "its test ended without a result")
            missing.append(error_cell(profile, FEATURES.get(feature_id), f"no result: {why}"))
        return missing

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

    def hygiene(self) -> list[str]:
        """Unused cassettes (after a run of every row of a target) and stale cassette sets; never fails a run."""
        if self.mode is not Mode.REPLAY:
            return []
        lines = []
        complete = len({r.feature for r in self.results}) == len(FEATURES)
        for run in self._runs.values():
            root = self.cassette_root / run.profile.name
            if complete and run.recorder is not None:
                extra = hygiene.unused(root, run.recorder.requested)
                if extra:
                    lines.append(f"unused: {run.profile.name}: {len(extra)} cassette(s) no request used: "
                                 f"{', '.join(extra[:8])}{' …' if len(extra) > 8 else ''}")
            reasons = hygiene.stale(read_meta(root), _installed_sdk())
            if reasons:
                lines.append(f"stale: {run.profile.name}: {'; '.join(reasons)} (re-record: conformance record "
                             f"--target {run.profile.name})")
        return lines

    def conclude(self, report_dir: Path | None) -> None:
        """Write cassette provenance once (record), then the reports once `report_dir` is given.

        In record mode the local servers are stopped first: what a server learns only when it stops (a peer's
        count of outward connection attempts) belongs in the provenance.
        """
        if not self._concluded:
            self._concluded = True
            if self.mode is Mode.RECORD:
                self.close()
            for run in self._runs.values():
                if self.mode is Mode.RECORD and run.recorder is not None and run.recorded:
                    write_meta(run.recorder.root, run.profile.name, run.base_url("chat"), run.endpoint,
                               run.profile.origin, run.recorded, self._local_meta.get(run.profile.name),
                               present=sorted(hygiene.cassette_names(run.recorder.root)),
                               now=datetime.now(timezone.utc))
                    run.info.cassettes = report_meta(run.recorder.root)
        if report_dir is not None and self.published is None and (result := self.result()).results:
            self.published = publish(result.document(), report_dir, self.previous, selected=result.selected,
                                     baseline=result.baseline, worse=len(result.changes))

    def close(self) -> None:
        """Stop the local servers this session started."""
        for server in self._servers:
            server.stop()
        self._servers.clear()


def _installed_sdk() -> str:
    """The installed openai SDK's version (for staleness: an older minor in a cassette set is worth a line)."""
    from importlib.metadata import version

    return version("openai")


__all__ = ["ConformanceSession", "Published", "RunResult", "TargetVerifier", "default_cassette_root", "explain",
           "resolve_mode", "sdk_minor"]
