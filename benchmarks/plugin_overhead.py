"""Benchmark: what installing this package costs an unrelated project's pytest run (its pytest11 plugin).

Usage: python benchmarks/plugin_overhead.py [--tests 160] [--runs 10] [--require PERCENT]

Writes a throwaway project of 160 trivial tests, then runs its pytest alternately with the plugin (as installed)
and without it (`-p no:conformance`, what an environment without the package loads), and prints each side's median
wall time and the median of the pairwise ratios. Both sides run with Python's default bytecode caching, after one
uncounted warm-up each. The goal is an overhead of at most 5 %. Exit status 1 only with --require and a median
overhead above it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _project import bytecode_env, describe, paired, write_project

GOAL = 5.0


def main(argv: list[str] | None = None) -> int:
    """Print both sides' medians and the overhead; return 1 when --require is not met."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tests", type=int, default=160)
    parser.add_argument("--runs", type=int, default=10, help="counted runs of each side (default 10)")
    parser.add_argument("--require", type=float, default=None, help="fail when the overhead exceeds this percent")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="unrelated-project-") as tmp:
        project = write_project(Path(tmp), args.tests)
        pytest = [sys.executable, "-m", "pytest", "-q"]
        with_plugin, without, ratios = paired(pytest, [*pytest, "-p", "no:conformance"], project, project,
                                              args.runs, bytecode_env())
    overhead = (statistics.median(ratios) - 1) * 100
    print(describe(f"pytest, {args.tests} unrelated tests, with the conformance plugin", with_plugin))
    print(describe("same, without it (-p no:conformance)", without))
    verdict = "meets" if overhead <= GOAL else "misses"
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"plugin overhead: {overhead:+.1f}% (median of {len(ratios)} paired ratios, {verdict} the {GOAL:.0f}% "
          f"goal); load average {load:.1f} on {os.cpu_count()} CPUs")
    return 1 if args.require is not None and overhead > args.require else 0


if __name__ == "__main__":
    sys.exit(main())
