"""stop_process ends a child politely (SIGTERM), forcibly when it ignores that (SIGKILL), and leaves an exited one."""

from __future__ import annotations

import signal
import subprocess
import sys

from conformance.servers.process import stop_process

_CHILD = "import signal, sys, time; {setup}; print('ready', flush=True); time.sleep(60)"


def _child(setup: str = "pass") -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", _CHILD.format(setup=setup)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    return proc


def test_a_running_child_is_terminated() -> None:
    with _child() as proc:
        stop_process(proc, timeout=10)
    assert proc.returncode == -signal.SIGTERM


def test_a_child_that_ignores_sigterm_is_killed() -> None:
    with _child("signal.signal(signal.SIGTERM, signal.SIG_IGN)") as proc:
        stop_process(proc, timeout=0.5)
    assert proc.returncode == -signal.SIGKILL


def test_an_exited_child_is_left_alone() -> None:
    proc = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])
    proc.wait(timeout=30)
    stop_process(proc, timeout=10)
    assert proc.returncode == 3
