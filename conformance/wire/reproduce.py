"""Reproductions for evidence: a curl command that resends one captured HTTP request, or a short Python snippet that
replays a WebSocket session's client events through the official SDK. Secrets never appear: every known secret
value (and its recording placeholder) becomes a `$ENV_VAR` reference, and anything key-shaped is redacted again by
the reports' scrubber.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

_JSON = "application/json"


@dataclass(frozen=True)
class Access:
    """How a reproduction authenticates and which literal values it must not show.

    The key goes in `auth_name: {auth_prefix}${key_env}`; `headers` are further headers (secret values in them are
    replaced too); `refs` maps each secret value or placeholder to the environment variable that holds it.
    """

    key_env: str = "OPENAI_API_KEY"
    auth_name: str = "Authorization"
    auth_prefix: str = "Bearer "
    headers: Mapping[str, str] = field(default_factory=dict)
    refs: Mapping[str, str] = field(default_factory=dict)


def _quoted(text: str, refs: Mapping[str, str]) -> str:
    """One shell word: literal parts single-quoted, every secret replaced by a double-quoted "${VAR}" reference."""
    pieces: list[tuple[bool, str]] = [(False, text)]
    marks = {secret: var for secret, var in refs.items() if secret}
    for secret, var in sorted(marks.items(), key=lambda kv: -len(kv[0])):
        split: list[tuple[bool, str]] = []
        for is_ref, piece in pieces:
            if is_ref or secret not in piece:
                split.append((is_ref, piece))
                continue
            parts = piece.split(secret)
            for i, part in enumerate(parts):
                if i:
                    split.append((True, var))
                split.append((False, part))
        pieces = split
    out = []
    for is_ref, piece in pieces:
        if is_ref:
            out.append(f'"${{{piece}}}"')
        elif piece:
            out.append(shlex.quote(piece))
    return "".join(out) or "''"


def _stdin(raw: bytes) -> str:
    """A POSIX `printf ... |` that writes these exact bytes to the next command's stdin."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None and all(c.isprintable() or c in "\n\t" for c in text):
        return f"printf %s {shlex.quote(text)} | "
    return "printf '%b' '" + "".join(f"\\0{b:03o}" for b in raw) + "' | "


def _content_type(body: bytes) -> str | None:
    """JSON, or multipart with the boundary its first line names; None for an empty body."""
    if not body:
        return None
    try:
        json.loads(body)
        return _JSON
    except ValueError:
        pass
    first = body.split(b"\r\n", 1)[0]
    if first.startswith(b"--"):
        return f"multipart/form-data; boundary={first[2:].decode('latin-1')}"
    return "application/octet-stream"


_PART = re.compile(rb'name="([^"]*)"(?:; filename="([^"]*)")?(?:.*?\r\nContent-Type: ([^\r\n]+))?', re.S)


def _form(body: bytes, boundary: bytes) -> tuple[list[str], bytes | None] | None:
    """A multipart body as curl -F fields (the file part read from stdin), or None when it does not parse."""
    fields: list[str] = []
    stdin: bytes | None = None
    for part in body.split(b"--" + boundary)[1:]:
        if part.startswith(b"--"):
            break
        head, sep, data = part.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        found = _PART.search(head)
        if not sep or found is None:
            return None
        name, filename, kind = (g.decode("utf-8", "replace") if g else "" for g in found.groups())
        data = data.removesuffix(b"\r\n")
        if filename and stdin is None:
            stdin = data
            fields.append(f"{name}=@-;filename={filename}" + (f";type={kind}" if kind else ""))
        else:
            fields.append(f"{name}={data.decode('utf-8', 'replace')}")
    return fields, stdin


def curl(method: str, url: str, body: bytes, access: Access) -> str:
    """A curl command that resends this request (method, URL, body) with the credentials as references.

    JSON is sent as it was; a multipart upload as the same form fields (its file from stdin), so the command is
    the same on every run whatever boundary the SDK drew.
    """
    words = ["curl", "-sS", "-X", method.upper(), _quoted(url, access.refs)]
    words += ["-H", _quoted(f"{access.auth_name}: {access.auth_prefix}", {}) + f'"${{{access.key_env}}}"']
    for key, val in access.headers.items():
        words += ["-H", _quoted(f"{key}: {val}", access.refs)]
    kind = _content_type(body)
    prefix = ""
    if kind == _JSON:
        text = json.dumps(json.loads(body), ensure_ascii=False, separators=(",", ":"))
        words += ["-H", "'Content-Type: application/json'", "--data-raw", _quoted(text, access.refs)]
    elif kind is not None and kind.startswith("multipart/") and (form := _form(body, kind.split("=", 1)[1].encode(
            "latin-1"))) is not None:
        fields, stdin = form
        for item in fields:
            words += ["-F", _quoted(item, access.refs)]
        if stdin is not None:
            prefix = _stdin(stdin)
    elif kind is not None:
        words += ["-H", _quoted(f"Content-Type: {kind}", {}), "--data-binary", "@-"]
        prefix = _stdin(body)
    return prefix + " ".join(words)


def realtime_snippet(base_url: str, model: str, events: list[dict[str, Any]], access: Access,
                     segment: str = "realtime") -> str:
    """A short Python program that opens the same WebSocket session with the official SDK and sends its events.

    `segment` "responses" reproduces a Responses WebSocket-mode session: each response.create is sent after the
    previous turn ended, its previous_response_id replaced by the id the previous turn got.
    """
    env = access.key_env
    sent = json.dumps(events, ensure_ascii=False)
    for secret, var in access.refs.items():
        if secret:
            sent = sent.replace(secret, f"${{{var}}}")
    lines = [
        "import json, os",
        "from openai import OpenAI",
        f"client = OpenAI(base_url={base_url!r}, api_key=os.environ[{env!r}])",
        f"events = json.loads({sent!r})",
    ]
    if segment == "responses":
        lines += [
            "last = None",
            "with client.responses.connect() as connection:",
            "    for event in events:",
            "        if event.get('previous_response_id') and last:",
            "            event['previous_response_id'] = last",
            "        connection.send(event)",
            "        for got in connection:",
            "            print(got.type, got.model_dump_json()[:200])",
            "            if got.type == 'response.created':",
            "                last = got.response.id",
            "            if got.type in ('response.completed', 'response.failed', 'response.incomplete', 'error'):",
            "                break",
        ]
        return "\n".join(lines)
    lines += [
        f"with client.realtime.connect(model={model!r}) as connection:",
        "    for event in events:",
        "        connection.send(event)",
        "    for event in connection:",
        "        print(event.type, event.model_dump_json()[:200])",
        "        if event.type in ('response.done', 'error'):",
        "            break",
    ]
    return "\n".join(lines)
