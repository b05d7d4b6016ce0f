"""The grading policy, in one place: outcomes -> verdict, status -> verdict, verdict x claim, ranking, exit codes.

Every layer that decides a verdict, an agreement, a regression or an exit code calls this module; nothing else
compares verdicts or picks a process exit code. It imports only the verdict vocabulary (`conformance.verdicts`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from .verdicts import Agreement, Claim, Outcome, Severity, Verdict

# Process exit codes of every command (documented in the README "Exit codes").
EXIT_OK = 0
EXIT_BROKEN = 1  # a documented claim is broken / a cell regressed / lint found a FAIL cell
EXIT_USAGE = 2  # bad flag, profile, cassette or report file: one line naming what and where
EXIT_INCONCLUSIVE = 3  # only inconclusive (ERROR) verdicts stand in the way

# HTTP statuses that say nothing conclusive about a feature: retried a bounded number of times, then ERROR.
TRANSIENT_STATUSES = frozenset({429, 500, 502, 503, 504})
# Statuses that say nothing about the feature a recorded request exercised (auth, routing, size, conflict).
NO_FEATURE_STATUSES = frozenset({401, 402, 403, 404, 405, 408, 409, 413, 415})
# Principle 3: the credentials were refused; nothing follows about the parameters of the request.
AUTH_STATUSES = frozenset({401, 403})
# WebSocket close codes of a server that failed (RFC 6455 1011 internal error; IANA 1012 service restart, 1013 try
# again later, 1014 bad gateway): the WebSocket's 5xx, inconclusive like them.
SERVER_FAILURE_CLOSES = frozenset({1011, 1012, 1013, 1014})
# A route that does not exist: 404 Not Found or 405 Method Not Allowed on a path that names no resource.
NO_ROUTE_STATUSES = frozenset({404, 405})
AUTH_FAILURE = "auth failure"
ENDPOINT_ABSENT = "endpoint absent"

# Higher is better; ERROR (inconclusive) and SKIP are not ranked.
RANK: Mapping[Verdict, int] = {
    Verdict.PASS: 5, Verdict.DEVIATION: 4, Verdict.FLAKY: 3, Verdict.IGNORED: 2, Verdict.REJECTED: 2,
    Verdict.FAIL: 1,
}
PASSING = (Verdict.PASS, Verdict.DEVIATION)


def grade(outcomes: Iterable[tuple[Severity, Outcome]]) -> Verdict:
    """Fold check outcomes into a row verdict (whole-request REJECTED/ERROR/SKIP come from `request_verdict`)."""
    items = list(outcomes)
    if not items:
        return Verdict.SKIP
    must = [o for s, o in items if s is Severity.MUST]
    should = [o for s, o in items if s is Severity.SHOULD]
    if Outcome.FAILED in must:
        return Verdict.FAIL
    if Outcome.ERROR in must or Outcome.ERROR in should:
        return Verdict.ERROR
    if Outcome.IGNORED in must:
        return Verdict.IGNORED
    if Outcome.FAILED in should or Outcome.IGNORED in should:
        return Verdict.DEVIATION
    if all(o is Outcome.SKIPPED for _, o in items):
        return Verdict.SKIP
    return Verdict.PASS


def server_share(checks: Iterable[tuple[str, Severity, Outcome]], model_dependent: Iterable[str]) -> Verdict | None:
    """What the server showed by itself in a cell whose model-dependent checks did not pass: the grade of the other
    checks (None when no model-dependent check stands in the verdict, or nothing else was checked)."""
    moot = set(model_dependent)
    if not moot:
        return None
    rest = [(severity, outcome) for check_id, severity, outcome in checks if check_id not in moot]
    verdict = grade(rest)
    return None if verdict is Verdict.SKIP else verdict


def surface_shape_only(row_defects: frozenset[Any], surface_defects: frozenset[Any]) -> bool:
    """Principle 6: a row's schema failure whose every defect the surface's basic answer shows too is that one
    surface-wide shape finding (reported on the basic row), not a failure of the row's feature."""
    return bool(row_defects) and row_defects <= surface_defects


def not_discriminating(verdict: Verdict, checks: Iterable[tuple[Severity, str]]) -> str:
    """Principles 2 and 7: a passing verdict that rests on a MUST check which could not have failed here (a limit
    not reached, a model that never calls a tool unforced) is reported as not discriminating: the reason, else ""."""
    if verdict not in PASSING:
        return ""
    return next((why for severity, why in checks if severity is Severity.MUST and why), "")


class Problem(str, Enum):
    """Why a request produced nothing to check; `problem_verdict` decides what that means for the row."""

    NOT_CONFIGURED = "not configured"  # no model for the capability: not applicable
    NO_RECORDING = "no recording"  # replay found no cassette for the request
    UNREADABLE = "unreadable recording"  # the cassette exists but cannot be used
    TRANSPORT = "transport"  # connection, timeout, no response
    TRANSIENT = "transient status"  # 429/5xx after bounded retries
    MISSING_STEP = "missing step"  # a flow never sent the step a row reads
    AUTH = AUTH_FAILURE  # 401/403: the credentials were refused, the feature was never reached
    BUDGET = "budget"  # not sent: it could take a live run past --max-requests / --max-tokens
    NOT_ANSWERING = "target not answering"  # preflight or consecutive transport failures stopped the target
    AUTH_FAILED = "authentication failed"  # 401/403 on a target's first request: the key, not the features
    OUT_OF_TIME = "run time limit"  # --max-time passed before the request was sent
    CRASHED = "crashed"  # loading, replaying, checking or grading raised: the cell is kept, as ERROR


# Problems of requests that were never sent: the target was stopped or the run ran out of time. Their rows are ERROR,
# reported once per target (one line), not as one failure per row.
UNSENT = frozenset({Problem.NOT_ANSWERING, Problem.AUTH_FAILED, Problem.OUT_OF_TIME})


def unsent(problem: Problem | None) -> bool:
    """True when a request was never sent (target stopped, --max-time reached)."""
    return problem in UNSENT


def problem_verdict(problem: Problem, *, skip_missing: bool = False) -> Verdict:
    """SKIP when not applicable or not sent for the budget (or a missing recording under --skip-missing); else ERROR."""
    if problem in (Problem.NOT_CONFIGURED, Problem.BUDGET) or (problem is Problem.NO_RECORDING and skip_missing):
        return Verdict.SKIP
    return Verdict.ERROR


# Worst first: folding one check over several interactions keeps the worst outcome seen.
_OUTCOME_ORDER = (Outcome.FAILED, Outcome.IGNORED, Outcome.ERROR, Outcome.PASSED, Outcome.SKIPPED)
PROBLEM_OUTCOMES = frozenset({Outcome.FAILED, Outcome.IGNORED, Outcome.ERROR})


def worst_outcome(outcomes: Iterable[Outcome]) -> Outcome:
    """The worst of several outcomes of one check (failed > ignored > error > passed > skipped)."""
    return min(outcomes, key=_OUTCOME_ORDER.index)


def status_decides(outcomes: Iterable[Outcome]) -> bool:
    """A status-decided verdict (REJECTED, ERROR) stands for an exchange unless one of its checks failed."""
    return Outcome.FAILED not in set(outcomes)


def is_auth_failure(status: int | None) -> bool:
    """401/403: not a verdict on the feature (principle 3); a run reports it as ERROR, lint does not grade it."""
    return status in AUTH_STATUSES


def is_endpoint_absent(status: int | None, *, names_resource: bool, about_model: bool) -> bool:
    """404/405 to a path that names no resource (a create or a list), unless the answer is about the model: the
    whole route is missing (principle 3), so every row of that surface is REJECTED as "endpoint absent"."""
    return status in NO_ROUTE_STATUSES and not names_resource and not about_model


@dataclass(frozen=True)
class Decided:
    """A verdict a status decides for a whole row, and the reason shown for it."""

    verdict: Verdict
    reason: str


def status_problem(status: int | None, *, names_resource: bool, about_model: bool, what: str) -> Decided | None:
    """What an answer's status alone decides for the rows that read it (principle 3), else None.

    An auth failure is no verdict on the feature (ERROR, inconclusive); a missing route is one clear REJECTED.
    `what` names the request and the server's message for the reason.
    """
    if is_auth_failure(status):
        return Decided(problem_verdict(Problem.AUTH), f"{AUTH_FAILURE}: {what}: says nothing about the feature "
                                                      "(inconclusive)")
    if is_endpoint_absent(status, names_resource=names_resource, about_model=about_model):
        return Decided(Verdict.REJECTED, f"{ENDPOINT_ABSENT}: {what}")
    return None


def witness_problem(status: int | None, ok: bool, what: str) -> Decided | None:
    """An `*.errors` row PASSes only when its surface answers a valid request (principle 3): refusing everything
    is not validating. The valid request's answer, when it is not a 2xx, decides the row instead (else None)."""
    if ok:
        return None
    if is_refusal(status):
        return Decided(Verdict.REJECTED, f"the surface refuses a valid request too ({what}): refusing an invalid "
                                         "one shows nothing")
    return Decided(Verdict.ERROR, f"the surface's valid request did not conclude ({what}): inconclusive")


def no_socket_route(handshake: int | None, bare: bool, what: str) -> Decided | None:
    """A 403 with an empty body (`bare`) to a WebSocket upgrade: REJECTED "endpoint absent", not an auth failure.

    The ASGI specification makes a server answer 403 to an upgrade its application closed before accepting, which
    is how ASGI servers (uvicorn under FastAPI: vLLM, LiteLLM) refuse a WebSocket path no route serves; the run's
    credentials were accepted (the preflight passed). Every WebSocket row (Realtime, the Responses WebSocket) reads
    it alike. A 403 that says something (a body) is still an auth failure.
    """
    if handshake == 403 and bare:
        return Decided(Verdict.REJECTED, f"{ENDPOINT_ABSENT}: the WebSocket upgrade was answered {what} (an empty "
                                         "403: how an ASGI server refuses a path no WebSocket route serves)")
    return None


def extension_socket_problem(handshake: int | None, bare: bool, refusal: tuple[int, str] | None,
                             server_close: int | None, what: str) -> Decided | None:
    """What decides an optional WebSocket extension's row (the Responses API's WebSocket mode) before its checks.

    A handshake answered with anything but 101 (404, 405, 426, a plain 200 or 400) means the server does not offer
    the extension: REJECTED "endpoint absent", never FAIL. So is a 403 with an empty body (`no_socket_route`). Any
    other 401/403 is an auth failure (ERROR); 429/5xx handshakes are ERROR before this. An upgraded session whose
    server answered a turn with an `error` event refused it in-band (`refusal`: the event's `status`, 0 when it has
    none, and a line naming it): a 429/5xx status is ERROR (inconclusive, principle 6), anything else a clean
    refusal, REJECTED. A server that closed the socket with an internal-error code
    (1011-1014, the WebSocket's 5xx) is ERROR too. `what` names the handshake or the close for the reason.
    """
    if handshake is None:
        return None
    if handshake != 101:
        absent = no_socket_route(handshake, bare, what)
        if absent is None and is_auth_failure(handshake):
            return status_problem(handshake, names_resource=False, about_model=False, what=what)
        return absent or Decided(Verdict.REJECTED, f"{ENDPOINT_ABSENT}: the WebSocket upgrade was answered {what}")
    if refusal is not None:
        status, line = refusal
        return Decided(Verdict.ERROR, f"{line} (inconclusive)") if is_transient(status) else \
            Decided(Verdict.REJECTED, line)
    if server_close in SERVER_FAILURE_CLOSES:
        return Decided(Verdict.ERROR, f"the server closed the WebSocket with {server_close} ({what}): inconclusive")
    return None


def is_transient(status: int | None) -> bool:
    """429 and the 5xx that are retried: inconclusive after bounded retries."""
    return status in TRANSIENT_STATUSES


def is_refusal(status: int | None) -> bool:
    """A clean refusal of the request: any 4xx, or 501 Not Implemented."""
    return status is not None and (400 <= status < 500 or status == 501)


def refusal_verdict(envelope_ok: bool) -> Verdict:
    """A refused valid request: REJECTED with an OpenAI error envelope, FAIL without one."""
    return Verdict.REJECTED if envelope_ok else Verdict.FAIL


def transient_problem(status: int | None, attempts: int) -> str:
    """The reason given for a request that stayed 429/5xx after its attempts."""
    return f"HTTP {status} after {attempts} attempt(s) (inconclusive)"


@dataclass(frozen=True)
class StatusDecision:
    """What a recorded answer's status alone decides for the features its request exercised (passive grading).

    `verdict` None with `graded` True: run the checks. `graded` False: the status says nothing about the features.
    """

    verdict: Verdict | None
    graded: bool = True


def passive_status_decision(status: int, provider_is_reference: bool) -> StatusDecision:
    """A non-2xx answer to a valid recorded request: 429/5xx ERROR; a clean 4xx REJECTED; auth/routing nothing.

    The reference provider's (OpenAI's) own 4xx define what is invalid, so they never make a feature REJECTED.
    """
    if is_transient(status) or status >= 500:
        return StatusDecision(Verdict.ERROR)
    if status in NO_FEATURE_STATUSES or provider_is_reference:
        return StatusDecision(None, graded=False)
    return StatusDecision(Verdict.REJECTED)


def passive_not_graded(status: int | None, *, names_resource: bool, about_model: bool) -> str:
    """Why a recorded answer grades no feature at all (principle 3): "auth failure", "endpoint absent", else ""."""
    if is_auth_failure(status):
        return AUTH_FAILURE
    if is_endpoint_absent(status, names_resource=names_resource, about_model=about_model):
        return ENDPOINT_ABSENT
    return ""


def merge_decided(checked: Verdict, decided: Iterable[Verdict]) -> Verdict:
    """A passive cell whose checks decided nothing takes the status-decided verdict (REJECTED over ERROR)."""
    found = set(decided)
    if checked is not Verdict.SKIP or not found:
        return checked
    return Verdict.REJECTED if Verdict.REJECTED in found else Verdict.ERROR


@dataclass(frozen=True)
class RepeatFold:
    """k runs of one cell folded: the index of the run whose evidence is shown, the verdict, pass counts."""

    shown: int
    verdict: Verdict
    conclusive: int
    passed: int
    failed: int


def fold_repeats(verdicts: Sequence[Verdict]) -> RepeatFold:
    """All conclusive runs pass -> that verdict; some pass -> FLAKY; none -> the first failing run's verdict.

    ERROR runs are inconclusive and do not count unless every run is ERROR.
    """
    indexed = list(enumerate(verdicts))
    conclusive = [(i, v) for i, v in indexed if v is not Verdict.ERROR] or indexed
    passing = [(i, v) for i, v in conclusive if v in PASSING]
    failing = [(i, v) for i, v in conclusive if v not in PASSING]
    shown, verdict = failing[0] if failing else conclusive[0]
    if passing and failing:
        verdict = Verdict.FLAKY
    return RepeatFold(shown, verdict, len(conclusive), len(passing), len(failing))


_NOT_CLAIMED: dict[Verdict, Agreement] = {
    Verdict.FLAKY: Agreement.BETTER,
    Verdict.PASS: Agreement.BETTER,
    Verdict.DEVIATION: Agreement.BETTER,
    Verdict.IGNORED: Agreement.AGREES,
    Verdict.REJECTED: Agreement.AGREES,
    Verdict.FAIL: Agreement.AGREES,
}
_AGREE: dict[Claim, dict[Verdict, Agreement]] = {
    Claim.SUPPORTED: {
        Verdict.FLAKY: Agreement.BROKEN,
        Verdict.PASS: Agreement.AGREES,
        Verdict.DEVIATION: Agreement.AGREES,
        Verdict.IGNORED: Agreement.BROKEN,
        Verdict.REJECTED: Agreement.BROKEN,
        Verdict.FAIL: Agreement.BROKEN,
    },
    Claim.PARTIAL: {
        Verdict.FLAKY: Agreement.AGREES,
        Verdict.PASS: Agreement.AGREES,
        Verdict.DEVIATION: Agreement.AGREES,
        Verdict.IGNORED: Agreement.AGREES,
        Verdict.REJECTED: Agreement.AGREES,
        Verdict.FAIL: Agreement.BROKEN,
    },
    # Not claimed to work (unsupported or undocumented): working is better than documented, failing agrees.
    Claim.UNSUPPORTED: _NOT_CLAIMED,
    Claim.UNDOCUMENTED: _NOT_CLAIMED,
}


def assess(claim: Claim, verdict: Verdict) -> Agreement:
    """Compare a verdict with the documented claim (the policy table is documented in the README)."""
    if verdict is Verdict.ERROR:
        return Agreement.INCONCLUSIVE
    if verdict is Verdict.SKIP:
        return Agreement.NOT_APPLICABLE
    return _AGREE[claim][verdict]


def regressed(before: Verdict, after: Verdict | None) -> bool | None:
    """True when `after` ranks below a ranked `before`; None when it became inconclusive; False otherwise.

    `after` None means the cell is missing from the new report: that always counts as worse (a row never vanishes).
    """
    if after is None:
        return True
    if before not in RANK:
        return False
    if after is Verdict.ERROR:
        return None
    return after in RANK and RANK[after] < RANK[before]


def claims_exit_code(agreements: Iterable[Agreement]) -> int:
    """0 every verdict agrees with its claim or is better; 1 a claim is broken; 3 only inconclusive (ERROR)."""
    found = set(agreements)
    if Agreement.BROKEN in found:
        return EXIT_BROKEN
    if Agreement.INCONCLUSIVE in found:
        return EXIT_INCONCLUSIVE
    return EXIT_OK


def regression_exit_code(regressions: int, inconclusive: int) -> int:
    """1 when a cell regressed, 3 when cells only became inconclusive, else 0."""
    if regressions:
        return EXIT_BROKEN
    return EXIT_INCONCLUSIVE if inconclusive else EXIT_OK


def doctor_exit_code(problems: int, inconclusive: bool) -> int:
    """`conformance doctor`: 1 when it found a problem a live run would meet, 3 when --ping was inconclusive, else 0."""
    if problems:
        return EXIT_BROKEN
    return EXIT_INCONCLUSIVE if inconclusive else EXIT_OK


def peer_record_exit(record_code: int, outward_attempts: int | None) -> int:
    """`python -m conformance.servers.peers record`: 1 when the peer tried to leave loopback, else the recording's.

    A recording whose `conformance record` exited 1 (a documented claim is broken: a finding about the server)
    still recorded every cassette: 0. A usage error, a peer that never reported its trace (None) stays 2;
    inconclusive cells stay 3.
    """
    if outward_attempts:
        return EXIT_BROKEN
    if outward_attempts is None or record_code == EXIT_USAGE:
        return EXIT_USAGE
    return EXIT_INCONCLUSIVE if record_code == EXIT_INCONCLUSIVE else EXIT_OK


def lint_exit_code(verdicts: Iterable[Verdict]) -> int:
    """Passive lint: 0 when no cell is FAIL, 1 otherwise (claims are compared, not enforced)."""
    return EXIT_BROKEN if Verdict.FAIL in set(verdicts) else EXIT_OK


class CellChange(str, Enum):
    """How one cell changed from an old report to a new one (`conformance diff`, the CI summary)."""

    WORSE = "worse"  # ranked lower, or missing from the new report
    INCONCLUSIVE = "inconclusive"  # became ERROR
    CHANGED = "changed"  # different but neither better nor worse (IGNORED <-> REJECTED, SKIP, a new claim)
    BETTER = "better"  # ranked higher
    ADDED = "added"  # a cell the old report did not have
    UNCHANGED = "unchanged"


def cell_change(before: Verdict | None, after: Verdict | None, *, claim_changed: bool = False) -> CellChange:
    """Compare one cell's verdicts (None: the report lacks the cell) by RANK, as `regressed` does for --baseline.

    A cell that vanished counts as worse: a report must hold every selected cell. ERROR is not ranked: a cell
    that became ERROR is inconclusive, and one that left ERROR (or SKIP) for a verdict has only changed.
    """
    if after is None:
        return CellChange.UNCHANGED if before is None else CellChange.WORSE
    if before is None:
        return CellChange.ADDED
    if before is after:
        return CellChange.CHANGED if claim_changed else CellChange.UNCHANGED
    if after is Verdict.ERROR:
        return CellChange.INCONCLUSIVE
    if before in RANK and after in RANK and RANK[after] != RANK[before]:
        return CellChange.BETTER if RANK[after] > RANK[before] else CellChange.WORSE
    return CellChange.CHANGED


# issue 10: what fails a run. A cell the baseline report knows fails only when it got worse; any other cell (or
# every cell under --strict) fails under the --fail-on policy. ERROR is always inconclusive, SKIP not applicable.
class FailOn(str, Enum):
    """What makes a cell fail the run (`--fail-on`); each level includes the ones before it."""

    BROKEN_CLAIM = "broken-claim"  # a documented claim does not hold (the default)
    FAIL = "fail"  # ... or any FAIL verdict, claimed or not (gates an ad-hoc target with no claims)
    DEVIATION = "deviation"  # ... or any conclusive verdict below PASS (DEVIATION, FLAKY, IGNORED, REJECTED)


class Judgement(str, Enum):
    """How one cell counts toward the run's exit code (and its pytest outcome)."""

    OK = "ok"  # passes
    FAILS = "fails"  # fails the run (exit 1): a regression, or a policy failure the baseline does not excuse
    KNOWN = "known"  # fails the policy, but the baseline already had it at least as bad (pytest: xfail)
    INCONCLUSIVE = "inconclusive"  # ERROR (exit 3 unless something fails)
    NOT_APPLICABLE = "n/a"  # SKIP


def fails_policy(fail_on: FailOn, verdict: Verdict, agreement: Agreement) -> bool:
    """Whether a conclusive cell fails under `--fail-on` (a broken claim always does)."""
    if agreement is Agreement.BROKEN:
        return True
    if fail_on is FailOn.FAIL:
        return verdict is Verdict.FAIL
    if fail_on is FailOn.DEVIATION:
        return verdict in RANK and verdict is not Verdict.PASS
    return False


def judge(verdict: Verdict, agreement: Agreement, fail_on: FailOn = FailOn.BROKEN_CLAIM, *,
          before: Verdict | None = None, strict: bool = False) -> Judgement:
    """Judge one cell: against its baseline verdict `before` when it has a conclusive one, else by the policy.

    Without `strict`, a cell the baseline knows fails only when it ranks lower than before; a policy failure it
    already had is KNOWN, and so is an ERROR it already had. With `strict`, the policy judges every cell and a
    regression still fails.
    """
    if verdict is Verdict.SKIP:
        return Judgement.NOT_APPLICABLE
    if verdict is Verdict.ERROR:
        # Inconclusive exactly as in the baseline (a replayed 5xx, a flow the server broke off): not worse, so KNOWN;
        # a cell that became ERROR, or any ERROR under --strict, stays inconclusive (exit 3).
        return Judgement.KNOWN if before is Verdict.ERROR and not strict else Judgement.INCONCLUSIVE
    policy = fails_policy(fail_on, verdict, agreement)
    if before is None or before not in RANK:
        return Judgement.FAILS if policy else Judgement.OK
    if regressed(before, verdict) or (strict and policy):
        return Judgement.FAILS
    return Judgement.KNOWN if policy else Judgement.OK


def run_exit_code(judgements: Iterable[Judgement]) -> int:
    """1 when some cell fails the run, else 3 when some cell is inconclusive, else 0."""
    found = set(judgements)
    if Judgement.FAILS in found:
        return EXIT_BROKEN
    return EXIT_INCONCLUSIVE if Judgement.INCONCLUSIVE in found else EXIT_OK


def combine_exit_codes(*codes: int) -> int:
    """The exit code of several judgements of one run: 1 beats 3 beats 0."""
    if EXIT_BROKEN in codes:
        return EXIT_BROKEN
    return EXIT_INCONCLUSIVE if EXIT_INCONCLUSIVE in codes else EXIT_OK
