"""The GitHub Action's script (`python -m conformance.action`): run the suite, write the step summary and outputs.

`action.yml` passes its inputs as INPUT_* environment variables. The script builds one `conformance` command from
them, runs it, then reads the report it wrote: the Markdown summary goes to `$GITHUB_STEP_SUMMARY`, the counts to
`$GITHUB_OUTPUT`. Its exit code is the command's, so the step fails exactly when `conformance` does.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import UsageError
from .grading import EXIT_USAGE
from .report import load_documents
from .report.escape import escape_controls
from .report.matrix import VERDICT_ORDER, Matrix
from .report.summary import render_summary

MODES = ("replay", "live", "record")


@dataclass(frozen=True)
class Inputs:
    """The action's inputs, as action.yml declares them."""

    target: str = ""
    base_url: str = ""
    model: str = ""
    mode: str = "replay"
    baseline: str = ""
    fail_on: str = ""
    report_dir: str = "conformance-reports"
    args: str = ""

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Inputs:
        """Read INPUT_<NAME> variables (dashes as underscores, upper case); empty means "not given"."""
        def get(name: str, default: str = "") -> str:
            return env.get(f"INPUT_{name.upper()}", "").strip() or default
        return cls(target=get("target"), base_url=get("base_url"), model=get("model"),
                   mode=get("mode", "replay").lower(), baseline=get("baseline"), fail_on=get("fail_on"),
                   report_dir=get("report_dir", "conformance-reports"), args=get("args"))

    def command(self) -> list[str]:
        """The `conformance` arguments these inputs ask for; a bad combination is one UsageError line."""
        if self.mode not in MODES:
            raise UsageError(f"input mode: {self.mode!r} is not one of {', '.join(MODES)}")
        if not self.target and not self.base_url and self.mode != "replay":
            raise UsageError(f"input mode {self.mode}: needs the input target or base-url")
        if self.model and not self.base_url:
            raise UsageError("input model: only with base-url (a profile names its own models)")
        argv = ["record"] if self.mode == "record" else ["run", "--mode", self.mode]
        for flag, value in (("--target", self.target), ("--base-url", self.base_url), ("--model", self.model),
                            ("--baseline", self.baseline), ("--fail-on", self.fail_on)):
            if value:
                argv += [flag, value]
        argv += ["--report-dir", self.report_dir]
        return argv + shlex.split(self.args)


def outputs(doc: dict[str, Any], exit_code: int) -> dict[str, str]:
    """The step's outputs: the exit code, every verdict's count, claims broken and better, the cells."""
    matrix = Matrix.of(doc)
    verdicts = {v: 0 for v in VERDICT_ORDER}
    broken = better = 0
    for target in matrix.targets:
        counts = matrix.counts(target["name"])
        for v in VERDICT_ORDER:
            verdicts[v] += counts.verdicts[v]
        broken += counts.broken
        better += counts.agreements["better"]
    out = {"exit-code": str(exit_code), "cells": str(sum(verdicts.values())), "broken": str(broken),
           "better": str(better)}
    out.update({v.lower(): str(n) for v, n in verdicts.items()})
    return out


def _append(path: str | None, text: str) -> None:
    if path:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(text)


def main(env: Mapping[str, str] | None = None) -> int:
    """Run the command the inputs describe; write summary and outputs from its report; exit with its code."""
    env = os.environ if env is None else env
    try:
        inputs = Inputs.from_env(env)
        argv = inputs.command()
    except UsageError as exc:
        print(f"conformance action: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print("conformance " + shlex.join(argv), flush=True)
    started = time.time()
    code = subprocess.run([sys.executable, "-m", "conformance", *argv], check=False).returncode
    report = Path(inputs.report_dir) / "compat.json"
    if not report.is_file() or report.stat().st_mtime < started - 1:  # none written by this run
        _append(env.get("GITHUB_OUTPUT"), f"exit-code={code}\n")
        _append(env.get("GITHUB_STEP_SUMMARY"), f"## OpenAI compatibility\n\nNo report was written "
                                                f"(`conformance` exited {code}); see the job's log.\n")
        return code
    try:
        doc = load_documents([report])[0]
        baseline = load_documents([Path(inputs.baseline)])[0] if inputs.baseline else None
    except UsageError as exc:
        print(f"conformance action: {exc}", file=sys.stderr)
        return EXIT_USAGE
    _append(env.get("GITHUB_STEP_SUMMARY"), render_summary(doc, baseline, inputs.baseline))
    _append(env.get("GITHUB_OUTPUT"), "".join(f"{k}={escape_controls(v)}\n" for k, v in outputs(doc, code).items())
            + f"report-dir={escape_controls(inputs.report_dir)}\n")
    return code


if __name__ == "__main__":
    sys.exit(main())
