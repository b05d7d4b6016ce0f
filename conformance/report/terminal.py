"""The terminal (rich): a compact coloured matrix that fits 120 columns, a line per target, a progress bar."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from .escape import escape_controls
from .matrix import AGREEMENT_WORDS, ASCII_MARK, MARK, SHORT, Matrix, core_share, counts_line

WIDTH = 120
LABEL_MAX = 12  # a column label longer than this is abbreviated, and the legend gives the full name
FEATURE_MAX = 34  # longer feature ids wrap inside their column
STYLE = {"PASS": "green", "DEVIATION": "yellow", "FLAKY": "yellow", "IGNORED": "magenta", "REJECTED": "blue",
         "FAIL": "bold red", "ERROR": "bold bright_red", "SKIP": "dim"}
MARK_STYLE = {"agrees": "green", "better": "cyan", "broken": "bold red", "inconclusive": "bright_red", "n/a": ""}


def _console(file: TextIO, width: int, color: bool) -> Console:
    return Console(file=file, width=width, force_terminal=color, color_system="standard" if color else None,
                   highlight=False, emoji=False, markup=False, soft_wrap=False, legacy_windows=False)


def labels(names: Sequence[str]) -> dict[str, str]:
    """A short, unique column label per target name (names up to LABEL_MAX characters stay whole)."""
    out: dict[str, str] = {}
    for name in names:
        clean = escape_controls(name)
        label = clean if len(clean) <= LABEL_MAX else clean[: LABEL_MAX - 1].rstrip() + "…"
        n = 2
        while label in out.values():
            suffix = f"~{n}"
            label = clean[: LABEL_MAX - len(suffix) - 1] + "…" + suffix
            n += 1
        out[name] = label
    return out


def _cell(row: dict[str, Any] | None, unicode: bool) -> Text:
    if row is None:
        return Text("·", style="dim")
    marks = MARK if unicode else ASCII_MARK
    text = Text(SHORT.get(row["verdict"], row["verdict"]), style=STYLE.get(row["verdict"], ""))
    mark = marks.get(row["agreement"], "?")
    if mark:
        text.append(" " + mark, style=MARK_STYLE.get(row["agreement"], ""))
    return text


def _chunks(names: list[str], label_of: dict[str, str], feature_width: int, width: int) -> list[list[str]]:
    """Split the targets into tables that each fit the width."""
    col = max([len(label_of[n]) for n in names] + [7]) + 3
    per = max(1, (width - feature_width - 3) // col)
    return [names[i:i + per] for i in range(0, len(names), per)] or [[]]


def _table(matrix: Matrix, names: list[str], label_of: dict[str, str], feature_width: int, unicode: bool) -> Table:
    modes = {t["name"]: escape_controls(t.get("mode", "")) for t in matrix.targets}
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1), header_style="bold")
    table.add_column("feature", min_width=7, max_width=feature_width, overflow="fold", no_wrap=False)
    for name in names:
        table.add_column(Text(f"{label_of[name]}\n{modes[name]}"), no_wrap=True)
    for index, (_surface, rows) in enumerate(matrix.grouped()):
        if index:
            table.add_section()
        for row in rows:
            table.add_row(Text(escape_controls(row.id)), *(_cell(matrix.cell(n, row.id), unicode) for n in names))
    return table


def _legend(matrix: Matrix, label_of: dict[str, str], unicode: bool) -> list[Text]:
    marks = MARK if unicode else ASCII_MARK
    lines = [Text("  ".join(f"{marks[a]} {AGREEMENT_WORDS[a]}" for a in ("agrees", "better", "broken",
                                                                          "inconclusive")), style="dim"),
             Text("DEV deviation  IGN ignored  REJ rejected  ERR error (inconclusive)  · not run", style="dim")]
    abbreviated = [(label, name) for name, label in label_of.items() if label != escape_controls(name)]
    for label, name in abbreviated:
        lines.append(Text(f"{label} = {escape_controls(name)}", style="dim"))
    return lines


def target_lines(matrix: Matrix, label_of: dict[str, str] | None = None) -> list[Text]:
    """One line per target: core share, PASS n / DEVIATION n / … / claims broken n."""
    label_of = label_of or labels([t["name"] for t in matrix.targets])
    width = max([len(v) for v in label_of.values()] + [0])
    lines = []
    for target in matrix.targets:
        counts = matrix.counts(target["name"])
        line = Text(label_of[target["name"]].ljust(width) + "  ", style="bold")
        line.append(core_share(counts) + "  ")
        line.append(counts_line(counts), style="red" if counts.broken else "green")
        lines.append(line)
    return lines


def render_terminal(doc: dict[str, Any], *, width: int = WIDTH, color: bool = False,
                    report_paths: Sequence[Path] = ()) -> str:
    """The matrix (split into several tables when the targets do not fit), the legend, a line per target."""
    matrix = Matrix.of(doc)
    names = [t["name"] for t in matrix.targets]
    label_of = labels(names)
    buffer = io.StringIO()
    console = _console(buffer, width, color)
    unicode = True
    feature_width = min(FEATURE_MAX, max([len(r.id) for r in matrix.rows] + [7]))
    for chunk in _chunks(names, label_of, feature_width, width):
        console.print(_table(matrix, chunk, label_of, feature_width, unicode))
    for line in _legend(matrix, label_of, unicode):
        console.print(line)
    console.print()
    for line in target_lines(matrix, label_of):
        console.print(line)
    if report_paths:
        console.print(Text("reports: " + " · ".join(escape_controls(p) for p in report_paths), style="bold"))
    return buffer.getvalue()


class RunProgress:
    """A progress bar for live and record runs; refreshed only between tests, so nothing lands in captured output."""

    def __init__(self, total: int, file: TextIO, title: str) -> None:
        self._progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            TextColumn("{task.fields[current]}"), console=_console(file, WIDTH, True), auto_refresh=False,
            transient=True, redirect_stdout=False, redirect_stderr=False)
        self._task = self._progress.add_task(escape_controls(title), total=total, current="")
        self._progress.start()

    def show(self, current: str) -> None:
        """Name the cell being run."""
        self._progress.update(self._task, current=escape_controls(current))
        self._progress.refresh()

    def advance(self, failed: int) -> None:
        """One cell done; `failed` counts cells so far whose claim broke or that were inconclusive."""
        self._progress.update(self._task, advance=1)
        if failed:
            self._progress.update(self._task, current=f"{failed} broken or inconclusive")
        self._progress.refresh()

    def stop(self) -> None:
        """Remove the bar before the matrix is printed."""
        self._progress.stop()
