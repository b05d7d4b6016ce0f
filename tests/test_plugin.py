"""The pytest plugin (entry point pytest11): inert in other projects, and the suite's options, markers and outcomes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conformance import grading, options, profiles
from conformance.catalogue import FEATURES
from conformance.runner import Mode

pytest_plugins = ["pytester"]
ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("openai", "vcr", "httpx2", "hypothesis", "jsonschema", "conformance.runner.engine", "conformance.session",
         "conformance.catalogue", "conformance.checks")


def test_choices_declared_in_options_equal_the_enums() -> None:
    """options.py spells the choices out (it imports nothing at load); they must stay the enums' values."""
    assert tuple(m.value for m in Mode) == options.MODES
    assert tuple(f.value for f in grading.FailOn) == options.FAIL_ON
    assert options.AUTH == profiles.schema.AUTH_SCHEMES


def test_an_unrelated_project_imports_nothing_heavy_and_keeps_its_recording_flags(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_other=f"""
        import sys

        def test_nothing_of_the_suite_was_imported():
            loaded = [m for m in {HEAVY!r} if m in sys.modules]
            assert loaded == [], loaded

        def test_plain():
            assert 1 + 1 == 2
    """)
    # pytest-recording's flags belong to this project: the plugin neither reads them nor starts anything.
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--record-mode=all", "-q")
    result.assert_outcomes(passed=2)
    assert "compatibility matrix" not in result.stdout.str()


def test_the_suite_under_plain_pytest_passes_and_writes_reports(pytester: pytest.Pytester, tmp_path: Path) -> None:
    result = pytester.runpytest_subprocess("--pyargs", "conformance.suite", "-p", "no:cacheprovider",
                                           "--conformance-target", "reference", "-k", "models",
                                           "--conformance-report-dir", str(tmp_path))
    result.assert_outcomes(passed=2, deselected=len(FEATURES) - 2)
    doc = json.loads((tmp_path / "compat.json").read_text(encoding="utf-8"))
    assert {r["feature"] for r in doc["results"]} == {"models.list", "models.retrieve"}
    assert result.stdout.lines[-2].startswith("conformance: exit 0 (no baseline)")


def test_markers_select_by_tier_and_surface(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest_subprocess("--pyargs", "conformance.suite", "-p", "no:cacheprovider",
                                           "--conformance-target", "reference", "-m", "core and embeddings")
    result.assert_outcomes(passed=1, deselected=len(FEATURES) - 1)  # embeddings.float is the one core embeddings row


def test_surface_option_deselects_other_surfaces(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest_subprocess("--pyargs", "conformance.suite", "-p", "no:cacheprovider",
                                           "--conformance-target", "reference", "--conformance-surface",
                                           "models,embeddings")
    result.assert_outcomes(passed=6, deselected=len(FEATURES) - 6)


def test_a_known_broken_claim_is_xfail_and_strict_fails_it(pytester: pytest.Pytester) -> None:
    common = ("--pyargs", "conformance.suite", "-p", "no:cacheprovider", "--conformance-target", "llamacpp", "-k",
              "responses.basic", "--conformance-baseline", str(ROOT / "reports" / "compat.json"))
    known = pytester.runpytest_subprocess(*common, "-rx")
    known.assert_outcomes(xfailed=1, deselected=len(FEATURES) - 1)
    assert known.ret == 0 and "known from the baseline (was FAIL)" in known.stdout.str()
    strict = pytester.runpytest_subprocess(*common, "--conformance-strict")
    strict.assert_outcomes(failed=1, deselected=len(FEATURES) - 1)
    assert strict.ret == 1 and "llamacpp responses.basic: observed FAIL, claimed" in strict.stdout.str()
    assert "(broken)" in strict.stdout.str()


def test_a_cell_without_a_model_is_skipped(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest_subprocess("--pyargs", "conformance.suite", "-p", "no:cacheprovider",
                                           "--conformance-target", "prism", "-k", "realtime.connect", "-rs")
    result.assert_outcomes(skipped=1, deselected=len(FEATURES) - 1)
    assert "no realtime model configured" in result.stdout.str()


def test_a_bad_option_is_a_usage_error(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest_subprocess("--pyargs", "conformance.suite", "-p", "no:cacheprovider",
                                           "--conformance-target", "reference", "--conformance-surface", "chatt")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "--surface chatt: no such surface" in result.stderr.str()
