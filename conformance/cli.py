"""`conformance` command: run / record / report / targets / lint. Only this module prints and chooses exit codes.

Exit codes: 0 every verdict agrees with its claim or is better; 1 a documented claim is broken;
2 usage error (bad flag, profile or report file); 3 inconclusive (ERROR verdicts, no broken claim).
`lint` (passive, claims are compared but not enforced): 0 no FAIL cell, 1 some FAIL cell, 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import NoReturn

from .errors import ConformanceError, UsageError
from .grading import EXIT_USAGE
from .profiles import builtin_names, load_profile
from .recording.meta import read_meta
from .report import exit_code, load_documents, merge_documents, render_markdown, render_matrix
from .report.regression import compare, regression_exit_code
from .session import default_cassette_root

SUITE_DIR = Path(__file__).resolve().parent / "suite"


class _Parser(argparse.ArgumentParser):
    """argparse with bad flags reported as one line (what and where), exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see {self.prog} --help)\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="conformance", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    for name, help_text in (("run", "run the suite (default: replay every bundled target with cassettes)"),
                            ("record", "run live against a target and (re)write its cassettes")):
        p = sub.add_parser(name, help=help_text)
        p.add_argument("--target", "-t", action="append", default=[], help="bundled name or profile path")
        if name == "run":
            p.add_argument("--mode", choices=("replay", "record", "live"), default="replay")
        p.add_argument("--base-url", help="override the target's base URL")
        p.add_argument("--endpoint", help="endpoint generation from the profile (e.g. legacy)")
        p.add_argument("--cassette-dir", type=Path, default=None)
        p.add_argument("--report-dir", type=Path, default=Path("reports"))
        p.add_argument("--skip-missing", action="store_true", help="no recording -> SKIP instead of ERROR")
        p.add_argument("--retries", type=int, default=2, help="bounded retries for 429/5xx (default 2)")
        p.add_argument("--repeat", type=int, default=1, help="live only: run each feature K times (pass@k, FLAKY)")
        p.add_argument("--explore", type=int, default=0, help="live only: N random generated examples per row")
        p.add_argument("--baseline", type=Path, help="a known-good compat.json: exit 1 only on cells that got worse")
        p.add_argument("-k", dest="keyword", help="only features matching this pytest -k expression")
        p.add_argument("-q", "--quiet", action="store_true")
    rep = sub.add_parser("report", help="merge compat.json files and re-render compat.md and the matrix")
    rep.add_argument("inputs", nargs="*", type=Path, default=[Path("reports/compat.json")])
    rep.add_argument("--out-dir", type=Path, default=Path("reports"))
    sub.add_parser("targets", help="list bundled target profiles")
    lint = sub.add_parser("lint", help="passive verdicts from existing recordings, without sending a request")
    lint.add_argument("paths", nargs="+", type=Path, help="cassette files or folders (every format of FORMATS.md)")
    lint.add_argument("--out", type=Path, help="write the report JSON here and the Markdown beside it (.md)")
    lint.add_argument("--target-name", help="column label, e.g. \"yandex-ai-studio (passive, public recordings)\"")
    lint.add_argument("--provider", help="only recordings of this provider (e.g. openai, yandex-ai-studio)")
    lint.add_argument("-q", "--quiet", action="store_true", help="no matrix, only the summary line")
    return parser


def _run(args: argparse.Namespace, mode: str) -> int:
    import pytest

    for target in args.target:
        load_profile(target)
    if args.base_url and len(args.target) != 1:
        raise UsageError("--base-url needs exactly one --target")
    if mode == "record" and not args.target:
        raise UsageError("record needs --target (e.g. --target reference)")
    baseline = load_documents([args.baseline])[0] if args.baseline else None
    report_dir: Path = args.report_dir
    report_dir.mkdir(parents=True, exist_ok=True)
    path = report_dir / "compat.json"
    before = path.stat().st_mtime_ns if path.exists() else None  # a failed run must not lose the last report
    argv = [str(SUITE_DIR), "-p", "no:cacheprovider", "--rootdir", str(SUITE_DIR), "-c", str(SUITE_DIR / "pytest.ini"),
            f"--conformance-mode={mode}", f"--conformance-report-dir={report_dir}",
            f"--junitxml={report_dir / 'junit.xml'}", "-o", "junit_suite_name=conformance",
            f"--conformance-retries={args.retries}", f"--conformance-repeat={args.repeat}",
            f"--conformance-explore={args.explore}",
            "-W", "ignore::pytest.PytestAssertRewriteWarning"]
    argv += [f"--conformance-target={t}" for t in args.target]
    if mode == "replay":
        argv += ["--block-network", "--allowed-hosts=127.0.0.1,localhost"]
    for flag, value in (("base-url", args.base_url), ("endpoint", args.endpoint), ("cassette-dir", args.cassette_dir)):
        if value:
            argv.append(f"--conformance-{flag}={value}")
    if args.skip_missing:
        argv.append("--conformance-skip-missing")
    if args.keyword:
        argv += ["-k", args.keyword]
    argv += ["-q"] if args.quiet else ["-rN"]
    status = pytest.main(argv)
    if status in (pytest.ExitCode.USAGE_ERROR, pytest.ExitCode.INTERNAL_ERROR):
        return EXIT_USAGE
    if not path.exists() or path.stat().st_mtime_ns == before:
        print("conformance: nothing was run (no target selected or every test deselected)", file=sys.stderr)
        return EXIT_USAGE
    current = json.loads(path.read_text(encoding="utf-8"))
    if baseline is None:
        return exit_code(current["results"])
    changes = compare(baseline, current)
    for change in changes:
        print(change.line())
    print(f"baseline {args.baseline}: {len(changes)} cell(s) worse or inconclusive")
    return regression_exit_code(changes)


def _report(args: argparse.Namespace) -> int:
    doc = merge_documents(load_documents(args.inputs))
    args.out_dir.mkdir(parents=True, exist_ok=True)
    (args.out_dir / "compat.md").write_text(render_markdown(doc), encoding="utf-8")
    if [p.resolve() for p in args.inputs] != [(args.out_dir / "compat.json").resolve()]:
        (args.out_dir / "compat.json").write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n",
                                                  encoding="utf-8")
    print(render_matrix(doc))
    return exit_code(doc["results"])


def _lint(args: argparse.Namespace) -> int:
    """Passive lint: exit 0 when no cell is FAIL, 1 otherwise (2 for usage errors, raised as UsageError)."""
    from .lint import document, exit_status, lint_paths, markdown

    run = lint_paths(args.paths, provider=args.provider)
    for path, reason in run.unreadable:
        print(f"lint: {path}: {reason}", file=sys.stderr)
    if not run.cells:
        raise UsageError(f"lint: nothing to grade in {', '.join(map(str, args.paths))} "
                         f"({run.files} files, {run.interactions} interactions)")
    doc = document(run, args.target_name)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        args.out.with_suffix(".md").write_text(markdown(doc), encoding="utf-8")
    if not args.quiet:
        print(render_matrix(doc))
    formats = ", ".join(f"{k} {v}" for k, v in sorted(run.formats.items()))
    print(f"lint: {run.files} files, {run.interactions} interactions ({run.graded} graded) in {run.elapsed:.2f}s "
          f"= {run.rate:.0f}/s; per format: {formats}; {len(run.findings)} findings, {len(run.relaxed)} relaxed, "
          f"{len(run.unreadable)} unreadable")
    return exit_status(doc)


def _targets() -> int:
    root = default_cassette_root()
    for name in builtin_names():
        profile = load_profile(name)
        meta = read_meta(root / name)
        cassettes = f"cassettes {meta.get('recorded_at')}" if meta else "no cassettes"
        print(f"{name:20} {profile.title:32} endpoints: {', '.join(profile.endpoints)} "
              f"(default {profile.default_endpoint}); {len(profile.claims)} claims; {cassettes}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `conformance` console script."""
    args = _parser().parse_args(argv)
    try:
        if args.command in (None, "run"):
            if args.command is None:
                args = _parser().parse_args(["run", *(argv or [])])
            return _run(args, args.mode)
        if args.command == "record":
            return _run(args, "record")
        if args.command == "report":
            return _report(args)
        if args.command == "lint":
            return _lint(args)
        return _targets()
    except ConformanceError as exc:
        print(f"conformance: {exc}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
