"""Ending a child process the suite started: by its own process id, SIGTERM first, SIGKILL if it lingers."""

from __future__ import annotations

import subprocess
from typing import Any


def stop_process(proc: subprocess.Popen[Any], timeout: float) -> None:
    """SIGTERM the child if it still runs and wait up to `timeout`; SIGKILL and reap it if it has not exited."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=timeout)
