"""Recording formats beyond Python's vcrpy: Ruby VCR, Go's go-vcr and httprr traces, raw SSE bodies, JSON-lines
stream fixtures and bare JSON response bodies. Each becomes the same Interaction the checks read.

A request the recording did not keep is left empty (the checks then know nothing about it: principle 1); for a bare
body the endpoint is inferred from the answer's own `object` / event `type`, and the host is unknown. A file that is
none of these and no cassette either raises NotRecording (listed as skipped, not unreadable).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import gzip
import json
import re
import zlib
from http.client import parse_headers
from io import BytesIO
from typing import Any

from .model import Format, Interaction, NotRecording, Unreadable

HTTPRR_MAGIC = b"httprr trace v1"
_EVENT_LINE = re.compile(rb"^(data|event|id|retry):", re.M)
_ENDPOINTS = {  # a bare answer's own type -> the path it answers
    "chat.completion": "/v1/chat/completions", "chat.completion.chunk": "/v1/chat/completions",
    "response": "/v1/responses", "embedding": "/v1/embeddings", "model": "/v1/models",
}
UNKNOWN_HOST = "host.not-recorded"


def ruby_binary(loader: Any, node: Any) -> bytes:
    """Ruby VCR's `!binary` scalar: base64 of the bytes (as `!!binary`)."""
    text = "".join(str(loader.construct_scalar(node)).split())
    try:
        return base64.b64decode(text)
    except (binascii.Error, ValueError):
        raise Unreadable("a !binary body is not valid base64") from None


def status_of(response: dict[str, Any]) -> int | None:
    """The status of a recorded response: vcrpy {code}, go-vcr `code` or `status: "200 OK"`, httpx `status_code`."""
    for key in ("code", "status", "status_code"):
        value = response.get(key)
        if isinstance(value, dict):
            value = value.get("code")
        if isinstance(value, bool):
            continue
        if isinstance(value, int):
            return value
        if isinstance(value, str) and value.split(" ", 1)[0].isdigit():
            return int(value.split(" ", 1)[0])
    return None


def recorded_body(part: dict[str, Any]) -> Any:
    """A Ruby VCR / vcrpy body mapping {encoding, string | base64_string} or a plain body, as stored."""
    body = part.get("body")
    if isinstance(body, dict):
        if "base64_string" in body:
            try:
                return base64.b64decode("".join(str(body["base64_string"]).split()))
            except (binascii.Error, ValueError):
                raise Unreadable("a base64_string body is not valid base64") from None
        if "string" in body:
            return body["string"]
    return body


def _split_head(raw: bytes) -> tuple[bytes, bytes] | None:
    """(head, body) at the first blank line (CRLF or LF: some copies normalise line ends)."""
    for sep in (b"\r\n\r\n", b"\n\n"):
        head, found, body = raw.partition(sep)
        if found:
            return head, body
    return None


def _headers(head_lines: bytes) -> dict[str, str]:
    message = parse_headers(BytesIO(head_lines.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n") + b"\r\n\r\n"))
    return {k.lower(): v for k, v in message.items()}


def _dechunk(body: bytes) -> bytes:
    """A chunked transfer-encoded body, joined (what is left after a malformed size is kept as is)."""
    out, rest = bytearray(), body
    while rest:
        line, sep, rest = rest.partition(b"\n")
        try:
            size = int(line.strip().split(b";", 1)[0] or b"0", 16)
        except ValueError:
            return bytes(out) + line + sep + rest
        if size == 0:
            break
        out += rest[:size]
        rest = rest[size:].lstrip(b"\r\n")
    return bytes(out)


def _http_message(raw: bytes) -> tuple[str, dict[str, str], bytes]:
    """(start line, lower-case headers, body) of a raw HTTP/1.x message."""
    split = _split_head(raw)
    if split is None:
        raise ValueError("no blank line after the headers")
    head, body = split
    start, _, rest = head.partition(b"\n")
    headers = _headers(rest)
    if headers.get("transfer-encoding", "").lower() == "chunked":
        body = _dechunk(body)
    if body[:2] == b"\x1f\x8b":
        with contextlib.suppress(OSError, EOFError, zlib.error):
            body = gzip.decompress(body)
    return start.decode("latin-1").strip(), headers, body


def _httprr_pair(request: bytes, response: bytes, file: str, number: int) -> Interaction:
    req_line, req_headers, req_body = _http_message(request)
    resp_line, resp_headers, resp_body = _http_message(response)
    method, target, *_ = [*req_line.split(" "), "", ""]
    if not resp_line.startswith("HTTP/") or not method.isalpha():
        raise ValueError("not an HTTP request and response")
    url = target if "://" in target else f"https://{req_headers.get('host', UNKNOWN_HOST)}{target}"
    status = int(resp_line.split(" ")[1]) if len(resp_line.split(" ")) > 1 else None
    resp_headers.pop("content-encoding", None)
    return Interaction(file, number, Format.HTTPRR, method.upper(), url, req_headers, req_body, status, resp_headers,
                       resp_body)


def httprr(raw: bytes, file: str) -> list[Interaction]:
    """Go's httprr trace: `httprr trace v1`, then per exchange `<request bytes> <response bytes>` and the raw
    HTTP/1.1 request and response. The declared sizes are trusted when both parts parse."""
    rest = raw[len(HTTPRR_MAGIC):].lstrip(b"\r\n")
    found: list[Interaction] = []
    while rest.strip():
        line, _, rest = rest.partition(b"\n")
        try:
            sizes = [int(n) for n in line.split()]
            req_size, resp_size = sizes
        except ValueError:
            raise Unreadable(f"httprr record {len(found) + 1}: size line {line[:40]!r} is not two numbers") from None
        request, response, rest = rest[:req_size], rest[req_size:req_size + resp_size], rest[req_size + resp_size:]
        try:
            found.append(_httprr_pair(request, response, file, len(found) + 1))
        except (ValueError, IndexError) as exc:
            raise Unreadable(f"httprr record {len(found) + 1}: {exc}") from None
    return found


def _kind(value: Any) -> str | None:
    """The endpoint type a bare answer or stream event shows (`object`, or a Responses event `type`)."""
    if not isinstance(value, dict):
        return None
    if isinstance(value.get("object"), str) and value["object"] in _ENDPOINTS:
        return value["object"]
    if value.get("object") == "list" and isinstance(value.get("data"), list) and value["data"]:
        return _kind(value["data"][0])
    kind = value.get("type")
    if isinstance(kind, str) and kind.startswith("response."):
        return "response"
    return None


def _bare(file: str, fmt: str, path: str, body: bytes, stream: bool) -> Interaction:
    """An answer recorded without its request: POST (GET for models) to the inferred path, request unknown."""
    method = "GET" if path.endswith("/models") else "POST"
    headers = {"content-type": "text/event-stream"} if stream else {}
    return Interaction(file, 1, fmt, method, f"https://{UNKNOWN_HOST}{path}", {}, b"", 200, headers, body)


def sse_file(text: str, file: str) -> Interaction:
    """A raw SSE body saved as a file: the stream exactly as sent (framing included), its request unknown."""
    for line in text.splitlines():
        if line.startswith("data:") and line[5:].strip().startswith("{"):
            try:
                kind = _kind(json.loads(line[5:]))
            except ValueError:
                kind = None
            if kind is not None:
                return _bare(file, Format.SSE_FILE, _ENDPOINTS[kind], text.encode("utf-8"), stream=True)
    raise NotRecording("SSE lines, but no data event of an OpenAI answer (chat.completion.chunk, response.*)")


def jsonl(text: str, file: str) -> Interaction:
    """A JSON-lines stream fixture (one chunk per line): its chunks as data events; the SSE framing itself (the
    `data:` lines, [DONE]) was not kept, so framing checks do not grade it (Interaction.framing False)."""
    events = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            events.append(json.loads(line))
        except ValueError:
            raise NotRecording(f"line {n} is not JSON") from None
    kinds = {_kind(e) for e in events}
    if not events or None in kinds or len(kinds) != 1:
        raise NotRecording("JSON lines, but not the chunks of one OpenAI stream")
    body = "".join(f"data: {json.dumps(e, ensure_ascii=False)}\n\n" for e in events).encode("utf-8")
    item = _bare(file, Format.JSONL, _ENDPOINTS[kinds.pop() or ""], body, stream=True)
    item.framing = False
    return item


def bare_json(data: Any, text: str, file: str) -> Interaction | None:
    """A JSON file that is one OpenAI answer (a completion, a response, an embedding or model list), or a list of
    stream chunks; None when it is neither."""
    if isinstance(data, dict):
        kind = _kind(data)
        answer = isinstance(data.get("object"), str) and kind not in (None, "chat.completion.chunk")
        return _bare(file, Format.BARE_JSON, _ENDPOINTS[kind or ""], text.encode("utf-8"), stream=False) \
            if answer else None
    if isinstance(data, list) and data:
        kinds = {_kind(e) for e in data}
        if len(kinds) == 1 and None not in kinds:
            return jsonl("\n".join(json.dumps(e, ensure_ascii=False) for e in data), file)
    return None


def looks_like_sse(text: str) -> bool:
    """Whether a text file holds SSE field lines."""
    return bool(_EVENT_LINE.search(text.encode("utf-8")[:4096]))
