"""On a terminal, a live run shows a progress bar instead of pytest's letters, then the matrix."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

from .report_samples import ROOT


def _run_on_a_terminal(args: list[str], timeout: float = 240) -> tuple[int, str]:
    master, slave = pty.openpty()
    env = {**os.environ, "COLUMNS": "120", "LINES": "40", "TERM": "xterm-256color"}
    proc = subprocess.Popen([sys.executable, "-m", "conformance", *args], stdin=slave, stdout=slave, stderr=slave,
                            cwd=ROOT, env=env, close_fds=True)
    os.close(slave)
    chunks, deadline = [], time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 1)
            if ready:
                try:
                    data = os.read(master, 65536)
                except OSError:  # the child closed the terminal
                    break
                if not data:
                    break
                chunks.append(data)
            elif proc.poll() is not None:
                break
        return proc.wait(timeout=30), b"".join(chunks).decode("utf-8", "replace")
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)


def test_live_run_on_a_terminal_shows_progress_then_a_coloured_matrix(tmp_path: Path) -> None:
    code, screen = _run_on_a_terminal(["run", "--mode", "live", "--target", "reference", "--report-dir",
                                       str(tmp_path), "-k", "chat.basic] or chat.max_tokens] or models.list]"])
    assert code == 0, screen[-3000:]
    assert "live reference" in screen and "/3" in screen and "━" in screen  # the bar, its count
    assert "\x1b[" in screen and "compatibility matrix" in screen  # coloured, then the matrix
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen)
    assert "reference  core 3/3  PASS 3 / claims broken 0" in plain
    assert "test_features.py" not in plain and not re.search(r"^[.sF]+", plain, re.M)  # no letters meanwhile
