"""Read every cassette format of FORMATS.md and the wider ecosystem into Interactions and Sessions, safely.

Python's vcrpy (and its variants), Ruby VCR (`http_interactions`, `!binary` bodies), Go's go-vcr and httprr
traces, raw SSE bodies, JSON-lines stream fixtures and bare JSON answers (formats.py). Every file under a folder is
looked at: one that is no recording at all raises NotRecording (skipped, with its reason), one that is a broken
recording raises Unreadable.

Python tags (`!!python/object/apply:multidict._multidict.istr [Accept]`) become their string argument: no
constructor ever imports or calls anything. Bodies come out decoded: `!!binary` gzip is recognised by its magic
bytes (never by the Content-Encoding header, which some serialisers keep after decompressing).
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from .formats import (
    HTTPRR_MAGIC,
    bare_json,
    httprr,
    jsonl,
    looks_like_sse,
    recorded_body,
    ruby_binary,
    sse_file,
    status_of,
)
from .model import Format, Interaction, Loaded, NotRecording, Session, Unreadable

_GZIP_MAGIC = b"\x1f\x8b"
_STR, _SEQ, _MAP, _MERGE = (f"tag:yaml.org,2002:{t}" for t in ("str", "seq", "map", "merge"))
_YAML = (".yaml", ".yml")
_TEXT_STREAMS = (".sse", ".txt", ".stream", ".event-stream", ".jsonl", ".ndjson", ".httprr", "")
_MARKERS = ("interactions:", "http_interactions", "request:", "response:")
_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class SafeCassetteLoader(_Base):
    """yaml's safe loader (C-accelerated when available) plus inert python tags; `python_tags` counts them."""

    python_tags = 0


def _python_tag(loader: SafeCassetteLoader, suffix: str, node: yaml.Node) -> Any:
    """The plain argument of a python tag: `istr [Accept]` -> "Accept"; nothing is imported or called."""
    loader.python_tags += 1
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        items = loader.construct_sequence(node, deep=True)
        return str(items[0]) if len(items) == 1 else items
    return loader.construct_mapping(node, deep=True)


SafeCassetteLoader.add_multi_constructor("tag:yaml.org,2002:python/", _python_tag)
SafeCassetteLoader.add_constructor("!binary", ruby_binary)  # Ruby VCR's base64 bodies


def recording_files(path: Path) -> Iterator[Path]:
    """The file itself, or every file under a directory (hidden ones aside), sorted: each is read or skipped."""
    if path.is_file():
        yield path
        return
    for found in sorted(path.rglob("*")):
        if found.is_file() and not any(part.startswith(".") for part in found.relative_to(path).parts):
            yield found


def _build(loader: SafeCassetteLoader, node: yaml.Node) -> Any:
    """Plain strings, lists and maps built directly (the bulk of a cassette); anything else by the safe loader."""
    tag = node.tag
    if tag == _STR and isinstance(node, yaml.ScalarNode):
        return node.value
    if tag == _SEQ and isinstance(node, yaml.SequenceNode):
        return [_build(loader, item) for item in node.value]
    if tag == _MAP and isinstance(node, yaml.MappingNode) and not any(k.tag == _MERGE for k, _ in node.value):
        return {_build(loader, key): _build(loader, value) for key, value in node.value}
    return loader.construct_object(node, deep=True)


def _yaml(text: str) -> tuple[Any, int]:
    loader = SafeCassetteLoader(text)
    try:
        node = loader.get_single_node()
        return (None if node is None else _build(loader, node)), loader.python_tags
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise _broken(text, f"not valid YAML ({exc.problem or exc.context}{where})") from None
    except yaml.YAMLError as exc:
        raise _broken(text, f"not valid YAML ({type(exc).__name__}: "
                            f"{str(exc).splitlines()[0] if str(exc) else ''})") from None
    finally:
        loader.dispose()


def _broken(text: str, reason: str) -> Exception:
    """A file that does not parse: an unreadable recording when it says it is one, else no recording at all."""
    if any(marker in text[:65536] for marker in _MARKERS):
        return Unreadable(reason)
    return NotRecording(f"{reason}; it names no request or response")


def _suffix(name: str) -> str:
    """The file's format suffix, a `.gz` aside (`x.yaml.gz` -> `.yaml`; no suffix -> "")."""
    return Path(name.lower().removesuffix(".gz")).suffix


def _raw(path: Path) -> tuple[bytes, bool]:
    """The file's bytes (gunzipped when gzip) and whether it was gzip."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise Unreadable(f"cannot read ({exc.strerror or exc})") from None
    if raw[:2] != _GZIP_MAGIC:
        return raw, False
    try:
        return gzip.decompress(raw), True
    except (OSError, EOFError, zlib.error) as exc:
        raise Unreadable(f"gzip file does not decompress ({exc})") from None


def _text(raw: bytes, suffix: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        if suffix in (*_YAML, ".json", *_TEXT_STREAMS[:-1]):
            raise Unreadable("not UTF-8 text (binary file?)") from None
        raise NotRecording(f"a binary {suffix or 'file'}, not a recording") from None


def _headers(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    found = {}
    for key, val in value.items():
        if isinstance(val, list):
            val = ", ".join(str(v) for v in val)
        found[str(key).lower()] = "" if val is None else str(val)
    return found


def _bytes(value: Any) -> bytes:
    if value is None:
        return b""
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8", "replace")
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False).encode("utf-8")
    return str(value).encode("utf-8")


def _decoded(raw: bytes) -> tuple[bytes, bool]:
    """Gunzip bytes that start with the gzip magic; (bytes, still_compressed)."""
    if raw[:2] != _GZIP_MAGIC:
        return raw, False
    try:
        return gzip.decompress(raw), False
    except (OSError, EOFError, zlib.error):
        return raw, True


def _body(part: dict[str, Any]) -> tuple[Any, str]:
    """(stored body, how it was stored) for a request or response mapping."""
    if "parsed_body" in part:
        return part["parsed_body"], Format.PARSED_BODY
    body = recorded_body(part)
    if body is None and "content" in part:
        return part["content"], Format.HTTPX_STUB
    return body, ""


def _family(item: dict[str, Any], file_fmt: str | None) -> str | None:
    """The recorder the interaction's own keys show: Ruby VCR, go-vcr (or the file-level format)."""
    if file_fmt is not None:
        return file_fmt
    response = item.get("response") or {}
    if "recorded_at" in item:
        return Format.RUBY_VCR
    if isinstance(response, dict) and "code" in response and "duration" in response:
        return Format.GO_VCR
    return None


def _pretty(stored: Any) -> bool:
    return isinstance(stored, str) and stored.startswith("{\n") and "\n  " in stored[:200]


def interaction(item: dict[str, Any], file: str, number: int, file_fmt: str | None) -> Interaction:
    """One HTTP interaction from a vcrpy-like mapping {request, response}; Unreadable when it is not one."""
    request, response = item.get("request"), item.get("response")
    if not isinstance(request, dict) or not isinstance(response, dict):
        raise Unreadable(f"interaction {number} has no request/response mapping")
    req_stored, req_kind = _body(request)
    resp_stored, resp_kind = _body(response)
    body, compressed = _decoded(_bytes(resp_stored))
    gzipped = isinstance(resp_stored, bytes) and resp_stored[:2] == _GZIP_MAGIC
    fmt = _family(item, file_fmt) or (Format.VCR_GZIP if gzipped else None) or resp_kind or req_kind or (
        Format.PRETTY_JSON if _pretty(resp_stored) or _pretty(req_stored) else Format.VCR_PLAIN)
    headers = _headers(response.get("headers"))
    if not compressed:
        headers.pop("content-encoding", None)
    return Interaction(
        file=file, number=number, fmt=fmt, method=str(request.get("method") or "GET").upper(),
        url=str(request.get("uri") or request.get("url") or ""), request_headers=_headers(request.get("headers")),
        request_body=_decoded(_bytes(req_stored))[0], status=status_of(response), response_headers=headers, body=body)


def _session(items: list[Any], file: str) -> Session:
    session = Session(file)
    for item in items:
        if not isinstance(item, dict):
            continue
        if item.get("kind") == "close":
            session.closes += 1
            code = item.get("code")
            session.close_code = code if isinstance(code, int) else session.close_code
            continue
        direction = "sent" if item.get("direction") == "sent" else "received"
        if direction == "sent":
            session.sent += 1
        else:
            session.received += 1
        data = item.get("data")
        session.frames_log.append((direction, data))
        if isinstance(data, dict) and isinstance(data.get("type"), str):
            session.event_types[data["type"]] += 1
    return session


def load_file(path: Path, display: str) -> Loaded:
    """Read one file: its interactions and sessions; NotRecording (skipped) when it is no recording at all,
    Unreadable (one line) when it is a recording that cannot be read."""
    raw, gzipped = _raw(path)
    suffix = _suffix(path.name)
    loaded = Loaded(display)
    if raw.startswith(HTTPRR_MAGIC):
        loaded.interactions = httprr(raw, display)
        return loaded
    text = _text(raw, suffix)
    if suffix in (".jsonl", ".ndjson"):
        loaded.interactions.append(jsonl(text, display))
        return loaded
    if suffix in _TEXT_STREAMS:
        if looks_like_sse(text):
            loaded.interactions.append(sse_file(text, display))
            return loaded
        raise NotRecording(f"a {suffix or 'text'} file without SSE events or an httprr header")
    if suffix == ".json":
        try:
            data: Any = json.loads(text)
        except ValueError as exc:
            raise _broken(text, f"not valid JSON ({exc})") from None
        file_fmt: str | None = Format.GZIP_FILE if gzipped else Format.ONE_JSON
    elif suffix in _YAML:
        data, tags = _yaml(text)
        file_fmt = Format.GZIP_FILE if gzipped else (Format.PYTHON_TAGS if tags else None)
    else:
        raise NotRecording(f"a {suffix} file: no recording format uses it")
    return _structured(data, text, display, file_fmt, loaded)


def _structured(data: Any, text: str, display: str, file_fmt: str | None, loaded: Loaded) -> Loaded:
    """A parsed YAML/JSON document: one interaction, a cassette of them, a session log or a bare answer."""
    if isinstance(data, dict) and isinstance(data.get("request"), dict) and isinstance(data.get("response"), dict):
        loaded.interactions.append(interaction(data, display, 1, file_fmt))
        return loaded
    items = data.get("interactions", data.get("http_interactions")) if isinstance(data, dict) else None
    if not isinstance(items, list):
        bare = bare_json(data, text, display)
        if bare is not None:
            loaded.interactions.append(bare)
            return loaded
        keys = ", ".join(sorted(map(str, data))[:5]) if isinstance(data, dict) else type(data).__name__
        raise NotRecording(f"no `interactions` list, no top-level request/response and no OpenAI answer ({keys})")
    if isinstance(data, dict) and "http_interactions" in data and file_fmt in (None, Format.ONE_JSON):
        file_fmt = Format.RUBY_VCR
    if any(isinstance(i, dict) and "kind" in i and "request" not in i for i in items):
        loaded.sessions.append(_session(items, display))
        return loaded
    for number, item in enumerate(items, 1):
        if not isinstance(item, dict):
            raise Unreadable(f"interaction {number} is a {type(item).__name__}, not a mapping")
        loaded.interactions.append(interaction(item, display, number, file_fmt))
    return loaded
