"""Benchmark `conformance lint`: interactions per second on the shared corpus, and interactions read per format.

Usage: python benchmarks/lint_throughput.py [PATH ...] [--runs N] [--require RATE]

Runs the lint in process once cold (first use compiles the schema validators) and N times warm, and prints the
rate of each run: HTTP interactions read, classified, checked and folded per wall-clock second and per CPU second
(the second is what the machine can do when other jobs share its cores). WebSocket sessions are graded in the same
runs but not counted as interactions. Then it runs `conformance lint PATH -q` as a whole process N times, start-up
included, with Python's default bytecode caching: the end-to-end rate users wait for (goal: 300/s). Exit status 1
only with --require and an end-to-end median below it. The default corpus is ../shared/reference/recordings beside
the repository.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from conformance.lint import document, lint_paths  # noqa: E402

DEFAULT = ROOT.parent / "shared" / "reference" / "recordings"
GOAL = 300.0


def main(argv: list[str] | None = None) -> int:
    """Print per-run rates, the median, per-format counts; return 1 when --require is not met."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, default=[DEFAULT])
    parser.add_argument("--runs", type=int, default=5, help="warm runs after the cold one (default 5)")
    parser.add_argument("--require", type=float, default=None, help="fail when the warm median is below this")
    args = parser.parse_args(argv)
    cpu = time.process_time()
    cold = lint_paths(args.paths)
    cold_cpu = time.process_time() - cpu
    document(cold)
    print(f"cold run: {cold.interactions} interactions in {cold.elapsed:.3f}s = {cold.rate:.0f}/s wall, "
          f"{cold.interactions / cold_cpu:.0f}/s CPU")
    rates, cpu_rates = [], []
    for n in range(1, args.runs + 1):
        cpu = time.process_time()
        run = lint_paths(args.paths)
        used = time.process_time() - cpu
        rates.append(run.rate)
        cpu_rates.append(run.interactions / used)
        print(f"warm run {n}: {run.elapsed:.3f}s wall = {run.rate:.0f}/s; {used:.3f}s CPU = {cpu_rates[-1]:.0f}/s")
    median = statistics.median(rates) if rates else cold.rate
    cpu_median = statistics.median(cpu_rates) if cpu_rates else 0.0
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"files {cold.files}, unreadable {len(cold.unreadable)}; HTTP interactions {cold.interactions} "
          f"({cold.graded} graded); WebSocket sessions {len(cold.sessions)} "
          f"({sum(s.frames for s in cold.sessions)} frames, {cold.graded_sessions} graded)")
    print("interactions read per format: " + ", ".join(f"{k} {v}" for k, v in sorted(cold.formats.items())))
    openai = [f for f in cold.findings if f.provider == "openai"]
    print(f"findings {len(cold.findings)} (on api.openai.com: {len(openai)} false alarms)")
    def verdict(rate: float) -> str:
        return "meets" if rate >= GOAL else "misses"

    print(f"lint throughput in process: median {median:.0f} interactions/s wall-clock, {cpu_median:.0f}/s per CPU "
          f"second over {len(rates)} warm runs; cold {cold.rate:.0f}/s")
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    command = [sys.executable, "-m", "conformance", "lint", *map(str, args.paths), "-q"]
    subprocess.run(command, env=env, capture_output=True, check=False)  # warm-up: bytecode caches
    walls = []
    for _ in range(max(args.runs, 1)):
        start = time.perf_counter()
        subprocess.run(command, env=env, capture_output=True, check=False)
        walls.append(time.perf_counter() - start)
    end_to_end = cold.interactions / statistics.median(walls)
    print(f"lint end to end (`conformance lint -q`, start-up included): median {statistics.median(walls):.3f}s = "
          f"{end_to_end:.0f} interactions/s ({verdict(end_to_end)} the {GOAL:.0f}/s goal) over {len(walls)} runs; "
          f"load average {load:.1f} on {os.cpu_count()} CPUs while measuring")
    return 1 if args.require is not None and end_to_end < args.require else 0


if __name__ == "__main__":
    sys.exit(main())
