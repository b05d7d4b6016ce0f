"""vcrpy wiring: one cassette per named request at cassettes/<target>/<surface>/<request>.yaml.

Matching is method + path + query + JSON body compared as parsed JSON; hosts are rebased to
https://target.invalid so cassettes replay at any base URL. Saves are atomic: a cassette is written to
`<name>.yaml.partial` and only replaces the old one when the engine commits it (never after an ERROR).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import CassetteError
from ..wire.chunks import CHUNK_HEADER, ChunkLog, encode
from . import shape
from .scrub import Scrubber

if TYPE_CHECKING:
    from vcr.request import Request as VcrRequest

PARTIAL = ".partial"


def _multipart_normalised(raw: bytes) -> bytes:
    """A multipart/form-data body with its random boundary replaced by a fixed one (uploads replay)."""
    first = raw.split(b"\r\n", 1)[0]
    if not first.startswith(b"--") or len(first) < 3 or b"content-disposition: form-data" not in raw[:4096].lower():
        return raw
    return raw.replace(first[2:], b"conformance-boundary")


def _json_or_bytes(body: Any) -> Any:
    if body in (None, b"", ""):
        return None
    raw = body if isinstance(body, bytes) else str(body).encode()
    try:
        return json.loads(raw)
    except ValueError:
        return _multipart_normalised(raw)


def json_body_matcher(r1: VcrRequest, r2: VcrRequest) -> None:
    """Bodies equal as parsed JSON (key order irrelevant), multipart ones up to their boundary; else AssertionError."""
    a, b = _json_or_bytes(r1.body), _json_or_bytes(r2.body)
    if a != b:
        raise AssertionError(f"body differs: {str(a)[:200]} != {str(b)[:200]}")


class _Parsed:
    """A vcrpy serializer that hands back a document already parsed (and checked)."""

    def __init__(self, doc: Any) -> None:
        self._doc = doc

    def deserialize(self, _text: str) -> Any:
        """The parsed document."""
        return self._doc


class Persister:
    """Filesystem persister: one-line CassetteError on bad files, placeholder restore, atomic partial saves."""

    def __init__(self, restore: dict[str, str], fresh: bool = False) -> None:
        self._restore = restore
        self._fresh = fresh

    def load_cassette(self, cassette_path: str, serializer: Any) -> Any:
        """Read a cassette; missing -> CassetteNotFoundError (vcrpy records), malformed -> CassetteError.

        The parsed document is checked for the shape vcrpy needs first (`shape.problem`), and anything vcrpy
        still raises while building its records is one line too: a bad cassette never escapes as a traceback.
        """
        from vcr.persisters.filesystem import CassetteNotFoundError
        from vcr.serialize import deserialize

        path = Path(cassette_path)
        if self._fresh or not path.is_file():
            raise CassetteNotFoundError()
        try:
            text = path.read_text(encoding="utf-8")
            parsed = serializer.deserialize(text)  # vcrpy's own safe cassette loader, run once
            found = shape.problem(parsed)
            if found:
                raise CassetteError(str(path), f"unreadable ({found})")
            loaded = deserialize(text, _Parsed(parsed))
            for response in loaded[1]:
                response["body"]["string"] = self._restored(response["body"]["string"])
            return loaded
        except CassetteError:
            raise
        except Exception as exc:  # noqa: BLE001 - YAML, vcrpy or decoding errors: one line naming the file
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise CassetteError(str(path), f"unreadable ({first[:200]})") from None

    def _restored(self, body: Any) -> Any:
        """Put secret values back into a replayed response body (requests stay scrubbed for matching)."""
        for placeholder, value in self._restore.items():
            if isinstance(body, bytes):
                body = body.replace(placeholder.encode(), value.encode())
            elif isinstance(body, str):
                body = body.replace(placeholder, value)
        return body

    def save_cassette(self, cassette_path: str, cassette_dict: dict[str, Any], serializer: Any) -> None:
        """Write `<path>.partial`; commit() moves it into place."""
        from vcr.serialize import serialize

        path = Path(cassette_path + PARTIAL)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(serialize(cassette_dict, serializer), encoding="utf-8")


def commit(cassette_path: Path) -> bool:
    """Atomically replace the cassette with its partial save; False when nothing was recorded."""
    partial = Path(str(cassette_path) + PARTIAL)
    if not partial.exists():
        return False
    os.replace(partial, cassette_path)
    return True


def discard(cassette_path: Path) -> None:
    """Drop a partial save, keeping the previous cassette intact."""
    Path(str(cassette_path) + PARTIAL).unlink(missing_ok=True)


class Recorder:
    """Builds the VCR for one target and opens per-request cassettes in the chosen record mode."""

    def __init__(self, root: Path, scrubber: Scrubber, restore: dict[str, str], record_mode: str,
                 chunk_log: ChunkLog | None = None) -> None:
        import vcr

        self.chunk_log = chunk_log
        self.root = root
        self.requested: set[str] = set()  # every request name the run asked a cassette for (hygiene: unused ones)
        self.record_mode = record_mode
        self._scrub = scrubber
        self._vcr = vcr.VCR(
            record_mode=record_mode,
            match_on=["method", "path", "query", "json_body"],
            before_record_request=self._request,
            before_record_response=self._response,
            decode_compressed_response=True,
        )
        self._vcr.register_matcher("json_body", json_body_matcher)
        self._vcr.register_persister(Persister(restore, fresh=record_mode == "all"))

    def path_for(self, request_name: str) -> Path:
        """cassettes/<target>/<surface>/<request>.yaml."""
        self.requested.add(request_name)
        surface = request_name.split(".", 1)[0]
        return self.root / surface / f"{request_name}.yaml"

    @contextmanager
    def cassette(self, request_name: str) -> Iterator[Path]:
        """Activate the cassette of one named request."""
        path = self.path_for(request_name)
        with self._vcr.use_cassette(str(path)):
            yield path

    def _request(self, request: VcrRequest) -> VcrRequest:
        request.uri = self._scrub.uri(request.uri)
        request.headers = self._scrub.headers(dict(request.headers), request=True)
        request.body = self._scrub.data(request.body)
        return request

    def _response(self, response: dict[str, Any]) -> dict[str, Any]:
        if self.record_mode == "none":
            # Replay: vcrpy runs this hook on every interaction it loads; they were scrubbed when written, and
            # scrubbing again would undo the Persister's restore of secret values (the folder in model ids).
            return response
        response["headers"] = self._scrub.headers(response.get("headers") or {})
        chunks = self.chunk_log.pop() if self.chunk_log is not None else []
        media = " ".join(v for k, vs in response["headers"].items() if k.lower() == "content-type" for v in vs)
        if chunks and "event-stream" in media:
            response["headers"][CHUNK_HEADER] = [encode(chunks)]
        body = response.get("body") or {}
        body["string"] = self._scrub.data(body.get("string"))
        response["body"] = body
        return response
