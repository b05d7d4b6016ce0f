"""Every check can fail: each reference-server fault kills the checks it declares, and together they kill all.

Also: the faultless reference server earns exactly the verdicts its profile claims, and every faithful variant
(an omitted echo, a short answer under the limit, a 401 on one surface) changes no conclusive verdict.
"""

from __future__ import annotations

import pytest

from conformance import CHECKS, FEATURES, Claim, FeatureResult, Outcome, Verdict, load_profile
from conformance.refserver import FAULTS
from conformance.refserver.faults import FAITHFUL

from .conftest import FAITHFUL_CHANGES, MUTATION, RunAll

KILLED = (Outcome.FAILED, Outcome.IGNORED)
EXPECTED = {Claim.SUPPORTED: Verdict.PASS, Claim.UNSUPPORTED: Verdict.REJECTED}
NO_VERDICT = (Verdict.ERROR, Verdict.SKIP)  # inconclusive or not applicable: no verdict on the feature


def claimed() -> dict[str, Verdict]:
    """The verdicts the faultless reference server earns: exactly what its profile claims."""
    profile = load_profile("reference")
    return {f.id: EXPECTED[profile.claim(f.id)] for f in FEATURES}


def killed(results: dict[str, FeatureResult]) -> set[str]:
    """Check ids that failed or were ignored anywhere in a run."""
    return {c.id for r in results.values() for c in r.checks if c.outcome in KILLED}


def test_faultless_server_gets_exactly_its_claimed_verdicts(run_all: RunAll) -> None:
    results = run_all()
    observed = {fid: r.verdict for fid, r in results.items()}
    expected = claimed()
    assert observed == expected, {fid: r.reason or [c.to_dict() for c in r.problems()] for fid, r in results.items()
                                  if r.verdict is not expected[fid]}
    assert killed(results) == set()


@pytest.mark.parametrize("fault", [f for f in FAULTS.all() if f.kills], ids=lambda f: f.name)
def test_fault_kills_the_checks_it_declares(run_all: RunAll, fault) -> None:  # type: ignore[no-untyped-def]
    found = killed(run_all(fault.name, checks=fault.kills))
    MUTATION[fault.name] = found
    assert set(fault.kills) <= found, f"{fault.name} left alive: {sorted(set(fault.kills) - found)}"


# Rows whose request is invalid: refused before any fault of every *valid* request (the other endpoints' `{}` too).
REFUSED_BEFORE_FAULTS = {"chat.errors", "chat.tool_choice.first", "chat.unknown_params",
                         *(f.id for f in FEATURES if f.id.startswith("other."))}


@pytest.mark.parametrize(("fault", "spared"), [("server_error", REFUSED_BEFORE_FAULTS), ("rate_limited", set())])
def test_transient_server_failures_are_error_never_pass(run_all: RunAll, fault: str, spared: set[str]) -> None:
    """500/429 on every valid request: ERROR (inconclusive); invalid requests still get their 4xx."""
    results = {fid: r for fid, r in run_all(fault).items() if fid not in spared}
    assert {r.verdict for r in results.values()} == {Verdict.ERROR}
    assert all("inconclusive" in r.reason for r in results.values())


def test_every_check_is_killed_by_some_fault(run_all: RunAll) -> None:
    for fault in FAULTS.all():
        if fault.kills and fault.name not in MUTATION:
            MUTATION[fault.name] = killed(run_all(fault.name, checks=fault.kills))
    union = set().union(*MUTATION.values())
    alive = {c.id for c in CHECKS.all()} - union
    assert not alive, f"checks no fault can make fail: {sorted(alive)}"


@pytest.mark.parametrize("fault", FAITHFUL, ids=lambda f: f.name)
def test_faithful_variant_changes_no_verdict(run_all: RunAll, fault) -> None:  # type: ignore[no-untyped-def]
    """A faithful server that behaves differently within the contract gets the same conclusive verdicts."""
    expected = claimed()
    results = run_all(fault.name)
    changed = {fid: f"{expected[fid].value} -> {r.verdict.value}: {r.reason or [c.to_dict() for c in r.problems()]}"
               for fid, r in results.items() if r.verdict not in NO_VERDICT and r.verdict is not expected[fid]}
    FAITHFUL_CHANGES[fault.name] = len(changed)
    assert changed == {}
    assert killed(results) == set()
