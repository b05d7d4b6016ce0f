"""`conformance` command: run / record / report / targets / init / lint / diff / doctor. Only this module exits.

Exit codes (policy in conformance.grading): 0 nothing fails; 1 a cell fails the run (worse than the baseline
report, or, for a cell the baseline does not have or under --strict, what --fail-on names); 2 usage error (bad
flag, profile or report file); 3 inconclusive (ERROR verdicts, nothing failing).
`lint` (passive, claims are compared but not enforced): 0 no FAIL cell, 1 some FAIL cell, 2 usage error.
`diff OLD NEW`: 0 no cell worse, 1 some cell worse, 3 cells only became inconclusive, 2 usage error.
`doctor`: 0 nothing found wrong, 1 a problem a live run would meet, 2 usage error, 3 --ping inconclusive.
Heavy modules (pytest, the SDK, the engine) are imported by the subcommands that need them, not here.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import NoReturn

from .errors import ConformanceError, UsageError
from .grading import EXIT_USAGE
from .options import AUTH, add_cli_options, from_namespace

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
        p.add_argument("-k", dest="keyword", help="only features matching this pytest -k expression")
        p.add_argument("-q", "--quiet", action="store_true")
        p.add_argument("-v", "--verbose", action="store_true", help="pytest's line per test and failure blocks")
    rep = sub.add_parser("report", help="merge compat.json files and re-render compat.md and the matrix")
    rep.add_argument("inputs", nargs="*", type=Path, default=[Path("reports/compat.json")])
    rep.add_argument("--out-dir", type=Path, default=Path("reports"))
    sub.add_parser("targets", help="list bundled target profiles and where their files are (to copy one)")
    diff = sub.add_parser("diff", help="the cells that changed between two compat.json files, with evidence")
    diff.add_argument("old", type=Path, help="the earlier compat.json (e.g. the shipped reports/compat.json)")
    diff.add_argument("new", type=Path, help="the later compat.json")
    diff.add_argument("--out", type=Path, help="also write the Markdown here (e.g. a pull-request comment's body)")
    init = sub.add_parser("init", help="discover what a server answers and write a commented profile for it")
    init.add_argument("--base-url", required=True, help="the server's base URL, e.g. http://127.0.0.1:8000/v1")
    init.add_argument("--model", help="chat model (default: the first model /models lists)")
    init.add_argument("--embedding-model", help="embedding model (default: a listed model named like *embed*)")
    init.add_argument("--api-key-env", metavar="VAR", help="read the API key from this environment variable")
    init.add_argument("--auth", choices=AUTH, help="how the key is sent (default bearer)")
    init.add_argument("--header", action="append", default=[], metavar="NAME=VALUE", help="extra header")
    init.add_argument("--name", help="profile name (default: from the URL's host and port)")
    init.add_argument("--out", type=Path, help="where to write it (default: ./<name>.toml)")
    init.add_argument("--force", action="store_true", help="replace an existing file")
    lint = sub.add_parser("lint", help="passive verdicts from existing recordings, without sending a request")
    lint.add_argument("paths", nargs="+", type=Path, help="cassette files or folders (every format of FORMATS.md)")
    lint.add_argument("--out", type=Path, help="write the report JSON here and the Markdown beside it (.md)")
    lint.add_argument("--target-name", help="column label, e.g. \"yandex-ai-studio (passive, public recordings)\"")
    lint.add_argument("--provider", help="only recordings of this provider (e.g. openai, yandex-ai-studio)")
    lint.add_argument("-q", "--quiet", action="store_true", help="no matrix, only the summary line")
    doctor = sub.add_parser("doctor", help="what a live run of a target would send and cost, checked offline "
                                           "(--ping sends one models-list request)")
    add_cli_options(doctor, skip=("mode", "cassette_dir", "report_dir", "skip_missing"))
    doctor.add_argument("-k", dest="keyword", help="only features matching this pytest -k expression, as in run")
    doctor.add_argument("--ping", action="store_true", help="send one cheap request (the models list) and explain "
                                                            "the usual failures")
    return parser


def _run(args: argparse.Namespace, record: bool) -> int:
    """Run the suite through pytest (JUnit, -k, pytest-recording's flags) and grade the typed result."""
    import pytest

    from .profiles import load_profile
    from .pytest_plugin import Preset
    from .report import escape_controls
    from .runner import Mode
    from .session import ConformanceSession

    options = from_namespace(args, Mode.RECORD if record else None)
    options = replace(options, mode=options.mode or (Mode.LIVE if options.adhoc else Mode.REPLAY))
    for target in options.target:
        load_profile(target)
    if options.mode is Mode.RECORD and not options.target and not options.adhoc:
        raise UsageError("record needs --target (e.g. --target reference) or --base-url URL --model M")
    report_dir: Path = options.report_dir or Path("reports")
    # Options, profiles, credentials, the baseline and the report folder: one line before anything runs.
    prepared = ConformanceSession.start(options, options.mode or Mode.REPLAY)
    report_dir.mkdir(parents=True, exist_ok=True)
    argv = [str(SUITE_DIR), "-p", "no:cacheprovider", "--rootdir", str(SUITE_DIR), "-c", str(SUITE_DIR / "pytest.ini"),
            f"--junitxml={report_dir / 'junit.xml'}", "-o", "junit_suite_name=conformance",
            # The suite's cells report through the plugin, not assert introspection: rewriting every module of
            # the package on import cost about a second; hypothesis' pytest plugin has nothing to report here.
            # pytest's unraisable-exception plugin runs two full garbage collections at exit (a fifth of a second).
            "--assert=plain", "-p", "no:hypothesispytest", "-p", "no:unraisableexception"]
    if options.mode is Mode.REPLAY:
        argv += ["--block-network", "--allowed-hosts=127.0.0.1,localhost"]
    if args.keyword:
        argv += ["-k", args.keyword]
    argv += ["-q"] if args.quiet else []
    # The matrix and its evidence files say it all; -v adds pytest's line per test and its failure blocks.
    argv += ["-v", "--tb=short", "-rfE"] if args.verbose else ["--tb=no", "-rN"]
    if options.mode is not Mode.REPLAY:
        argv += ["-o", "console_output_style=classic"]  # the progress bar replaces pytest's percentages
    preset = Preset(options, prepared)  # the plugin runs this session: nothing is loaded or validated twice
    status = pytest.main(argv, plugins=[preset])
    session = preset.session
    if status in (pytest.ExitCode.USAGE_ERROR, pytest.ExitCode.INTERNAL_ERROR) or session is None:
        return EXIT_USAGE
    if not session.result().results:  # a failed or empty run never replaces the last report
        print("conformance: nothing was run (no target selected or every test deselected)", file=sys.stderr)
        return EXIT_USAGE
    for line in session.stop_lines():
        print(f"conformance: {escape_controls(line)}", file=sys.stderr)
    session.conclude(report_dir)
    result = session.result()
    for change in result.changes:
        print(escape_controls(change.line()))
    if result.baseline is not None:
        print(f"baseline {escape_controls(result.baseline)}: {len(result.changes)} cell(s) worse or inconclusive")
    for line in session.published.lines if session.published else ():
        print(escape_controls(line))
    print(escape_controls(result.conclusion()))
    return result.exit_code()


def _report(args: argparse.Namespace) -> int:
    from .report import exit_code, load_documents, merge_documents, render_terminal, write_report_files

    doc = merge_documents(load_documents(args.inputs))
    same = [p.resolve() for p in args.inputs] == [(args.out_dir / "compat.json").resolve()]
    write_report_files(doc, args.out_dir, with_json=not same)
    print(render_terminal(doc, color=sys.stdout.isatty()), end="")
    return exit_code(doc["results"])


def _diff(args: argparse.Namespace) -> int:
    """Print (and with --out write) the changed cells; exit 1 when one got worse, 3 when only inconclusive."""
    from .report import load_documents
    from .report.diff import compared_targets, diff_documents, diff_exit_code, render_diff

    old, new = load_documents([args.old, args.new])
    diffs = diff_documents(old, new)
    text = render_diff(diffs, str(args.old), str(args.new), compared_targets(old, new)[1])
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
    print(text, end="")
    return diff_exit_code(diffs)


def _lint(args: argparse.Namespace) -> int:
    """Passive lint: exit 0 when no cell is FAIL, 1 otherwise (2 for usage errors, raised as UsageError)."""
    from .lint import document, exit_status, lint_paths, markdown
    from .report import render_terminal

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
        print(render_terminal(doc, color=sys.stdout.isatty()), end="")
    formats = ", ".join(f"{k} {v}" for k, v in sorted(run.formats.items()))
    print(f"lint: {run.files} files, {run.interactions} interactions ({run.graded} graded) in {run.elapsed:.2f}s "
          f"= {run.rate:.0f}/s; per format: {formats}; {len(run.findings)} findings, "
          f"{len(run.unreadable)} unreadable, {len(run.skipped_files)} files skipped (not recordings)")
    return exit_status(doc)


def _doctor(args: argparse.Namespace) -> int:
    """Print what a live run would send and cost; exit code from grading.doctor_exit_code."""
    from .doctor import run_doctor
    from .runner import Mode

    options = from_namespace(args, Mode.LIVE)
    if len(options.target) != 1:
        raise UsageError("doctor needs exactly one --target (e.g. --target yandex-ai-studio)")
    problems = options.problems(Mode.LIVE)
    if problems:
        raise UsageError(problems[0])
    lines, code = run_doctor(options, args.keyword, args.ping)
    print("\n".join(lines))
    return code


def _targets() -> int:
    """Each bundled profile: name, title, endpoints, claims, cassettes, and the file to copy."""
    from .profiles import builtin_names, load_profile, profile_path
    from .recording.meta import read_meta
    from .session import default_cassette_root

    root = default_cassette_root()
    for name in builtin_names():
        profile = load_profile(name)
        meta = read_meta(root / name)
        cassettes = f"cassettes {meta.get('recorded_at')}" if meta else "no cassettes"
        print(f"{name:20} {profile.title:32} endpoints: {', '.join(profile.endpoints)} "
              f"(default {profile.default_endpoint}); {len(profile.claims)} claims; {cassettes}")
        print(f"{'':20} {profile_path(name)}")
    print("Copy one to start your own (or write `extends = \"openai\"` in a new file); "
          "`conformance init --base-url URL` writes one for your server.")
    return 0


def _init(args: argparse.Namespace) -> int:
    """Discover a server and write a commented profile for it."""
    import os

    from .discover import discover, render_profile, slug, write_profile
    from .profiles.adhoc import NO_KEY, TargetFlags

    flags = TargetFlags(base_url=args.base_url, model=args.model, embedding_model=args.embedding_model,
                        api_key_env=args.api_key_env, auth=args.auth, headers=tuple(args.header))
    key = os.environ.get(args.api_key_env, "") if args.api_key_env else NO_KEY
    if args.api_key_env and not key:
        raise UsageError(f"init: --api-key-env {args.api_key_env} is not set")
    found = discover(flags, key)
    name = args.name or slug(args.base_url)
    out = args.out or Path(f"{name}.toml")
    write_profile(out, render_profile(found, flags, name), force=args.force)
    for probe in found.probes:
        print(probe.line())
    print(f"wrote {out} (models: chat {found.chat_model}, embeddings {found.embedding_model or 'none'}); next: "
          f"conformance run --target {out} --mode live")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `conformance` console script."""
    args = _parser().parse_args(argv)
    try:
        if args.command in (None, "run"):
            if args.command is None:
                args = _parser().parse_args(["run", *(argv or [])])
            return _run(args, record=False)
        if args.command == "record":
            return _run(args, record=True)
        if args.command == "init":
            return _init(args)
        if args.command == "report":
            return _report(args)
        if args.command == "lint":
            return _lint(args)
        if args.command == "diff":
            return _diff(args)
        if args.command == "doctor":
            return _doctor(args)
        return _targets()
    except ConformanceError as exc:
        print(f"conformance: {exc}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
