"""Benchmark: replaying every shipped cell (`conformance run`) against a bare pytest run with the same test count.

Usage: python benchmarks/replay_speed.py [--runs 5] [--require RATIO]

The replay is the README's main job minus its report folder (`--report-dir` a temporary one, `--baseline none`);
the bare run is pytest on as many trivial tests as the replay has cells. The two run alternately, with Python's
default bytecode caching, after one uncounted warm-up each; the script prints both medians and the median of the
pairwise ratios. The goal is a ratio of at most 3 (the floor is Python + `import openai` + pytest start, about 3x
a bare run). Exit status 1 only with --require and a median ratio above it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _project import bytecode_env, describe, paired, write_project

ROOT = Path(__file__).resolve().parent.parent
GOAL = 3.0


def main(argv: list[str] | None = None) -> int:
    """Print both medians and their ratio; return 1 when --require is not met."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="counted runs of each side (default 5)")
    parser.add_argument("--require", type=float, default=None, help="fail when the median ratio exceeds this")
    args = parser.parse_args(argv)
    env = bytecode_env()
    with tempfile.TemporaryDirectory(prefix="replay-speed-") as tmp:
        reports = Path(tmp) / "reports"
        replay = [sys.executable, "-m", "conformance", "run", "--report-dir", str(reports), "--baseline", "none",
                  "-q"]
        subprocess.run(replay, cwd=ROOT, env=env, capture_output=True, check=False)
        cells = len(json.loads((reports / "compat.json").read_text(encoding="utf-8"))["results"])
        project = write_project(Path(tmp) / "bare", cells)
        times_replay, times_bare, ratios = paired(replay, [sys.executable, "-m", "pytest", "-q"], ROOT, project,
                                                  args.runs, env)
    ratio = statistics.median(ratios)
    print(describe(f"conformance run (replay of {cells} shipped cells)", times_replay))
    print(describe(f"bare pytest ({cells} trivial tests)", times_bare))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"replay / bare pytest: {ratio:.2f}x (median of {len(ratios)} paired ratios, "
          f"{'meets' if ratio <= GOAL else 'misses'} the {GOAL:.0f}x goal); load average {load:.1f} on "
          f"{os.cpu_count()} CPUs")
    return 1 if args.require is not None and ratio > args.require else 0


if __name__ == "__main__":
    sys.exit(main())
