"""The one escaping of server-controlled text: control characters are shown as visible escapes, never written raw.

A server decides what ends up in evidence (error messages, observed values, headers). Written raw, an ANSI escape
clears a user's screen or sets the terminal's title, a BEL rings, a NUL truncates a log line, a bidi override
reorders what a reviewer reads, and a lone surrogate (a raw byte that was not UTF-8) makes the file unwritable.
`escape_controls` turns each such character into its Python-style escape (`\\x1b`, `\\u202e`, `\\udcff`); every
renderer (terminal, Markdown, HTML, JUnit messages, badges, the CI summary, `conformance diff`) calls it before
adding its own format's escaping (`md_text`, `md_code` here; Jinja2's autoescape for HTML).
"""

from __future__ import annotations

import re
from typing import Any

# C0 controls but TAB and LF, DEL, C1 controls, bidi embeddings/overrides/isolates and marks, the Unicode line and
# paragraph separators, and lone surrogates (undecodable bytes under surrogateescape).
_UNSAFE = "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_MULTILINE = re.compile(f"[{_UNSAFE}]")
_ONE_LINE = re.compile(f"[{_UNSAFE}\t\n]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    return _NAMED.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def escape_controls(value: Any, *, multiline: bool = False) -> str:
    """`value` as text with every control character escaped; TAB and LF stay only when `multiline`."""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "backslashreplace")
    text = value if isinstance(value, str) else str(value)
    return (_MULTILINE if multiline else _ONE_LINE).sub(_visible, text)


# Characters Markdown (CommonMark plus GitHub's tables, strikethrough, math and HTML) interprets in running text;
# an underscore inside a word (max_tokens) never starts emphasis on GitHub, so it stays as it is.
_MD_SPECIAL = re.compile(r"([\\`*\[\]<>|~&$]|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z]))")


def md_text(value: Any) -> str:
    """Text for running Markdown: one line, control characters escaped, Markdown syntax made literal.

    Used for the suite's and the profile's words; text a server chose goes through `md_code`, where GitHub also
    leaves @mentions, math and HTML alone.
    """
    return _MD_SPECIAL.sub(r"\\\1", escape_controls(value))


def md_code(value: Any, *, in_table: bool = False) -> str:
    """Text as an inline Markdown code span that no content can close (a longer fence than any run of `)."""
    text = escape_controls(value)
    if in_table:
        text = text.replace("|", "\\|")  # GitHub splits table cells on | even inside code spans
    if not text:
        return "` `"
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or (text[0] == " " and text[-1] == " ") else ""
    return f"{fence}{pad}{text}{pad}{fence}"
