"""Passive lint: read recordings, plan each interaction, run the checks, fold per (provider, feature)."""

from __future__ import annotations

import contextlib
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from ..catalogue import FEATURES
from ..checks import CheckContext
from ..errors import UsageError
from ..grading import PROBLEM_OUTCOMES, status_decides
from ..runner.checking import run_check
from ..runner.policy import first_line
from ..runner.results import CheckResult
from . import synthetic
from .classify import Job, graded_jobs, plan
from .distinct import DISTINCT, screened
from .exchanges import recorded_exchange
from .fold import Cell
from .loaders import load_file, recording_files
from .model import Format, Interaction, NotRecording, Session, Unreadable
from .providers import provider_of, reproduction
from .readings import session_reading
from .routes import session_rows
from .sessions import available as realtime_available
from .sessions import session_provider, ws_session

SYNTHETIC = "synthetic?"


@dataclass(frozen=True)
class Finding:
    """One non-passing result on one interaction: what the false-alarm test reads."""

    provider: str
    feature: str
    check: str
    outcome: str
    ref: str
    detail: str


@dataclass
class Provenance:
    """What the recordings of one provider say about themselves (hosts, dates, client libraries) and what became of
    its interactions: graded, skipped with their reasons, unreadable."""

    hosts: set[str] = field(default_factory=set)
    dates: set[str] = field(default_factory=set)
    clients: set[str] = field(default_factory=set)
    interactions: int = 0
    graded: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    unreadable: int = 0


@dataclass
class LintRun:
    """Everything one lint produced; `document()` turns it into a report."""

    roots: list[str]
    files: int = 0
    unreadable: list[tuple[str, str]] = field(default_factory=list)
    skipped_files: list[tuple[str, str]] = field(default_factory=list)  # no recording at all, with the reason
    formats: Counter[str] = field(default_factory=Counter)
    sessions: list[Session] = field(default_factory=list)
    graded_sessions: int = 0
    interactions: int = 0
    graded: int = 0
    not_graded: Counter[str] = field(default_factory=Counter)
    findings: list[Finding] = field(default_factory=list)
    cells: dict[tuple[str, str], Cell] = field(default_factory=dict)
    provenance: dict[str, Provenance] = field(default_factory=dict)
    elapsed: float = 0.0

    @property
    def rate(self) -> float:
        """Interactions read and linted per second."""
        return self.interactions / self.elapsed if self.elapsed > 0 else 0.0


def _note_provenance(prov: Provenance, item: Interaction) -> None:
    prov.interactions += 1
    prov.hosts.add(item.host)
    date = item.response_headers.get("date")
    if date:
        with contextlib.suppress(TypeError, ValueError, IndexError):
            prov.dates.add(parsedate_to_datetime(date).date().isoformat())
    agent = item.request_headers.get("user-agent", "").split(" ", 1)[0]
    if agent and "XXX" not in agent:
        prov.clients.add(agent)


def _run_job(job: Job) -> list[CheckResult]:
    feature = FEATURES.get(job.feature)
    ctx = CheckContext(feature, {feature.primary: job.exchange})
    results = []
    for cid in job.checks:
        results.append(screened(cid, feature, job.exchange) if cid in DISTINCT else run_check(cid, ctx))
    return results


def _grade(run: LintRun, provider: str, ref: str, jobs: list[Job]) -> None:
    for job in jobs:
        results = _run_job(job)
        problem = job.verdict is not None
        for result in results:
            if result.outcome in PROBLEM_OUTCOMES:
                problem = True
                line = result.evidence.line() if result.evidence else ""
                run.findings.append(Finding(provider, job.feature, result.id, result.outcome.value, ref, line))
        if job.verdict is not None and status_decides(r.outcome for r in results):
            run.findings.append(Finding(provider, job.feature, "", job.verdict.value, ref, job.reason))
        command = reproduction(job.exchange, provider) if problem else ""
        run.cells.setdefault((provider, job.feature), Cell()).add(ref, results, job.verdict, job.reason, command)


def _lint_interaction(run: LintRun, item: Interaction, only: str | None) -> None:
    provider = provider_of(item)
    if only and provider != only:
        return
    run.interactions += 1
    run.formats[item.fmt] += 1
    prov = run.provenance.setdefault(provider, Provenance())
    _note_provenance(prov, item)
    ex = recorded_exchange(item)
    hand_written = synthetic.reason(synthetic.first_answer(ex))
    if hand_written:
        _skip(run, prov, f"{SYNTHETIC} {hand_written}")
        return
    planned = plan(ex, provider)
    if planned.not_graded:
        _skip(run, prov, planned.not_graded)
        return
    run.graded += 1
    prov.graded += 1
    _grade(run, provider, item.ref, planned.jobs)


def _skip(run: LintRun, prov: Provenance, why: str) -> None:
    """One interaction not graded, with its reason (in the lint block and in its provider's column)."""
    run.not_graded[why] += 1
    prov.skipped[why] += 1


def _lint_session(run: LintRun, session: Session, only: str | None) -> None:
    provider = session_provider(session)
    if only and provider != only:
        return
    run.sessions.append(session)
    run.formats[Format.WEBSOCKET] += 1
    prov = run.provenance.setdefault(provider, Provenance())
    prov.hosts.add("(WebSocket host not recorded)")
    hand_written = synthetic.session_reason(session.frames_log)
    if hand_written:
        _skip(run, prov, f"{SYNTHETIC} {hand_written}")
        return
    if not realtime_available():
        return
    reading = session_reading(ws_session(session))
    run.graded_sessions += 1
    prov.graded += 1
    _grade(run, provider, session.ref, graded_jobs([(feature, reading) for feature in session_rows()]))


def _guarded(run: LintRun, unit: Any, lint: Callable[[LintRun, Any, str | None], None], provider: str | None,
             ref: str) -> None:
    """Lint one interaction or session; an unexpected crash becomes one unreadable line, the rest goes on."""
    try:
        lint(run, unit, provider)
    except Exception as exc:  # noqa: BLE001 - the lint must end with a report, never a traceback
        run.unreadable.append((ref, f"lint crashed on this interaction: {first_line(exc)}"))
        with contextlib.suppress(Exception):
            owner = session_provider(unit) if isinstance(unit, Session) else provider_of(unit)
            run.provenance.setdefault(owner, Provenance()).unreadable += 1


def _display(root: Path, file: Path) -> str:
    return file.relative_to(root).as_posix() if root.is_dir() else file.as_posix()


def lint_paths(paths: list[Path], provider: str | None = None) -> LintRun:
    """Lint every recording under the paths (files or folders); unreadable files are listed, never raised."""
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise UsageError(f"lint: no such file or folder: {', '.join(missing)}")
    run = LintRun([str(p) for p in paths])
    started = time.perf_counter()
    for root in paths:
        for file in recording_files(root):
            run.files += 1
            display = _display(root, file)
            try:
                loaded = load_file(file, display)
            except NotRecording as exc:
                run.skipped_files.append((display, str(exc)))
                continue
            except Unreadable as exc:
                run.unreadable.append((display, str(exc)))
                continue
            except Exception as exc:  # noqa: BLE001 - one line per file, never a traceback
                run.unreadable.append((display, f"unexpected {first_line(exc)}"))
                continue
            for session in loaded.sessions:
                _guarded(run, session, _lint_session, provider, session.ref)
            for item in loaded.interactions:
                _guarded(run, item, _lint_interaction, provider, item.ref)
    run.elapsed = time.perf_counter() - started
    return run
