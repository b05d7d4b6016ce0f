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
from .options import add_cli_options, from_namespace
from .profiles import builtin_names, load_profile
from .recording.meta import read_meta
from .report import exit_code, load_documents, merge_documents, render_markdown, render_matrix
from .report.regression import compare, regression_exit_code
from .runner import Mode
from .session import default_cassette_root, write_reports

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
        add_cli_options(p, skip=("mode",) if name == "record" else ())
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


def _run(args: argparse.Namespace, mode: Mode) -> int:
    """Run the suite through pytest (JUnit, -k, pytest-recording's flags) and grade the typed result."""
    import pytest

    from .pytest_plugin import Preset

    options = from_namespace(args, mode)
    for target in options.target:
        load_profile(target)
    if options.base_url and len(options.target) != 1:
        raise UsageError("--base-url needs exactly one --target")
    if mode is Mode.RECORD and not options.target:
        raise UsageError("record needs --target (e.g. --target reference)")
    baseline = load_documents([args.baseline])[0] if args.baseline else None
    report_dir: Path = options.report_dir or Path("reports")
    report_dir.mkdir(parents=True, exist_ok=True)
    argv = [str(SUITE_DIR), "-p", "no:cacheprovider", "--rootdir", str(SUITE_DIR), "-c", str(SUITE_DIR / "pytest.ini"),
            f"--junitxml={report_dir / 'junit.xml'}", "-o", "junit_suite_name=conformance",
            "-W", "ignore::pytest.PytestAssertRewriteWarning"]
    if mode is Mode.REPLAY:
        argv += ["--block-network", "--allowed-hosts=127.0.0.1,localhost"]
    if args.keyword:
        argv += ["-k", args.keyword]
    argv += ["-q"] if args.quiet else ["-rN"]
    preset = Preset(options)
    status = pytest.main(argv, plugins=[preset])
    if status in (pytest.ExitCode.USAGE_ERROR, pytest.ExitCode.INTERNAL_ERROR) or preset.session is None:
        return EXIT_USAGE
    result = preset.session.result()
    if not result.results:  # a failed or empty run never replaces the last report
        print("conformance: nothing was run (no target selected or every test deselected)", file=sys.stderr)
        return EXIT_USAGE
    current = result.document()
    write_reports(current, report_dir)
    if baseline is None:
        return result.exit_code()
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
          f"= {run.rate:.0f}/s; per format: {formats}; {len(run.findings)} findings, "
          f"{len(run.unreadable)} unreadable, {len(run.skipped_files)} files skipped (not recordings)")
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
            return _run(args, Mode(args.mode))
        if args.command == "record":
            return _run(args, Mode.RECORD)
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
