"""Shared by the benchmark scripts: a throwaway project of N trivial pytest tests, and timing whole processes."""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path


def write_project(root: Path, tests: int, per_file: int = 10) -> Path:
    """A project unrelated to the suite: `tests` trivial tests, `per_file` to a module, plus a pyproject.toml."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text("[tool.pytest.ini_options]\naddopts = \"-p no:cacheprovider\"\n",
                                         encoding="utf-8")
    for start in range(0, tests, per_file):
        count = min(per_file, tests - start)
        body = "\n\n".join(f"def test_{start + i}():\n    assert {start + i} + 1 == {start + i + 1}"
                           for i in range(count))
        (root / f"test_m{start // per_file:03d}.py").write_text(body + "\n", encoding="utf-8")
    return root


def bytecode_env() -> dict[str, str]:
    """The environment with Python's default bytecode caching (a shell may have PYTHONDONTWRITEBYTECODE set)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def timed(cmd: Sequence[str], cwd: Path, env: dict[str, str]) -> float:
    """Wall-clock seconds of one run of `cmd` (its output is discarded; a failure to start raises)."""
    start = time.perf_counter()
    subprocess.run(list(cmd), cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def paired(a: Sequence[str], b: Sequence[str], cwd_a: Path, cwd_b: Path, runs: int,
           env: dict[str, str]) -> tuple[list[float], list[float], list[float]]:
    """Run A and B alternately (one warm-up each, uncounted): times of A, times of B, and A/B pair by pair."""
    timed(a, cwd_a, env)
    timed(b, cwd_b, env)
    times_a, times_b = [], []
    for _ in range(runs):
        times_a.append(timed(a, cwd_a, env))
        times_b.append(timed(b, cwd_b, env))
    return times_a, times_b, [x / y for x, y in zip(times_a, times_b, strict=True)]


def describe(label: str, values: list[float], unit: str = "s") -> str:
    """`label: median m (min a, max b)`."""
    return f"{label}: median {statistics.median(values):.3f}{unit} (min {min(values):.3f}, max {max(values):.3f})"
