"""The Yandex AI Studio stand-in: its hosts, auth, folder, model URIs and documented limits, on the reference server.

Simulated from the docs (claims.md) and the public recordings (recordings/INDEX.md); it is NOT Yandex. Each Yandex
host of both endpoint generations is one listener on 127.0.0.1 (`HOSTS`), serving only the surfaces that host
serves (elsewhere "404 page not found", as llm.api answered /v1/responses, ISSUE-934). The faults of `STAND_IN`
switch Yandex's documented and recorded behaviour on; `handle` applies the Yandex-only ones (the `yandex_*`
faults) around the reference server's dispatcher. What each host received is kept in memory (`Account.seen`) so
that self-tests can compare it with what `conformance doctor` said would be sent; it is never written anywhere.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import json
import re
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from . import faults as F
from .fault_types import ActiveFaults
from .responses import JSON, ApiError, Response, dumps, error_response, json_response

# The stand-in's behaviour: (fault, where it comes from). Yandex's own models are "Y-native" (INDEX.md).
STAND_IN: tuple[tuple[F.Fault, str], ...] = (
    (F.YANDEX_AUTH, "claims.md §1 AUTH, OC-C"),
    (F.YANDEX_MODEL_URIS, "claims.md §0 (model addressing), §2 (INVALID_ARGUMENT); recorded /v1/models"),
    (F.BARE_UUID_IDS, "INDEX.md: Y-native ids are bare UUIDs"),
    (F.TOOL_ID_IS_NAME, "INDEX.md: Y-native tool-call id == function name"),
    (F.YANDEX_CHAT_SHAPE, "INDEX.md: no system_fingerprint/logprobs/refusal, content \"\" with tool calls"),
    (F.STREAM_USAGE_MISSING, "INDEX.md: Y-native streams have no usage chunk; CHAT-REF: include_usage not supported"),
    (F.PARALLEL_IGNORED, "INDEX.md: parallel_tool_calls false ignored (SDK xfail)"),
    (F.UNKNOWN_PARAMS_ACCEPTED, "INDEX.md: top_k accepted silently"),
    (F.ERROR_MISSING_CODE, "INDEX.md: error body without code and param"),
    (F.ACCEPT_TOOL_CHOICE_FIRST, "SEED: tool_choice auto and first (the first claim graded)"),
    (F.YANDEX_EMBEDDINGS_LIMITS, "SEED: embeddings for single strings with encoding_format float"),
    (F.RESPONSES_BARE_UUID, "docs-examples: Responses id is a bare UUID"),
    (F.RESPONSES_CALL_ID_IS_NAME, "docs-examples: function_call call_id == id == function name"),
    (F.YANDEX_VALID_FIELDS, "docs-examples: \"valid\": true on every object"),
    (F.YANDEX_TEMPERATURE_0_1, "RESP-REF: temperature between 0 and 1"),
    (F.TRUNCATION_IGNORED, "RESP-REF: truncation [CURRENTLY NOT SUPPORTED], read like include_usage: not applied"),
    (F.YANDEX_RT_FIELD_REPORTS, "TP-RT §1-§3: conversation.item.created, [text, audio], rate null"),
    (F.COMPACT_ABSENT, "RESP-IDX: the Responses methods are create, get, delete, cancel and list input_items"),
    (F.STOP_IGNORED, "CHAT-REF: stop [CURRENTLY NOT SUPPORTED], read like include_usage: accepted, not applied"),
)
STAND_IN_FAULTS: tuple[str, ...] = tuple(fault.name for fault, _ in STAND_IN)
LABEL = "Yandex stand-in (simulated from docs and public recordings) — NOT Yandex"

_ALL = frozenset({"models", "chat", "embeddings", "responses", "conversations", "files", "vector_stores"})
# OpenAI's other endpoints (catalogue.other_rows): no Yandex host serves them (claims.md §0 [API] lists no such surface)
_OTHER = frozenset({"completions", "audio", "images", "moderations", "batches", "uploads"})


@dataclass(frozen=True)
class Host:
    """One Yandex host: its origin, the REST surfaces it serves and its realtime paths."""

    name: str
    origin: str
    surfaces: frozenset[str]
    realtime: tuple[str, ...] = ()

    @property
    def ws_origin(self) -> str:
        """The wss:// origin of its realtime paths."""
        return "wss://" + self.origin.split("://", 1)[1]


# claims.md §0: C serves everything on ai.api (Realtime at /v1/realtime since 2026, /v1/realtime/openai before);
# B has Completions (and Embeddings, Models) on llm.api, Responses, Vector Store, Files, Conversations and
# /v1/realtime/openai on rest-assistant.
HOSTS: tuple[Host, ...] = (
    Host("ai.api", "https://ai.api.cloud.yandex.net", _ALL, ("/v1/realtime", "/v1/realtime/openai")),
    Host("llm.api", "https://llm.api.cloud.yandex.net", frozenset({"models", "chat", "embeddings"})),
    Host("rest-assistant", "https://rest-assistant.api.cloud.yandex.net",
         frozenset({"responses", "conversations", "files", "vector_stores"}), ("/v1/realtime/openai",)),
)

# The recorded /v1/models catalogue (2025-11, test_uri_parser): name -> owner; ids get the key's folder.
CATALOGUE: tuple[tuple[str, str], ...] = (
    ("gpt://{f}/aliceai-llm/latest", "Yandex"), ("gpt://{f}/gpt-oss-120b/latest", "OpenAI"),
    ("gpt://{f}/gpt-oss-20b/latest", "OpenAI"), ("gpt://{f}/gemma-3-27b-it/latest", "Google"),
    ("gpt://{f}/qwen3-235b-a22b-fp8/latest", "Alibaba"), ("emb://{f}/text-search-doc/latest", "Yandex"),
    ("emb://{f}/text-search-query/latest", "Yandex"), ("emb://{f}/text-embeddings/rc", "Yandex"),
    ("emb://{f}/text-embeddings/latest", "Yandex"), ("gpt://{f}/yandexgpt-lite/latest", "Yandex"),
    ("gpt://{f}/yandexgpt-lite/rc", "Yandex"), ("gpt://{f}/yandexgpt/latest", "Yandex"),
    ("gpt://{f}/yandexgpt/rc", "Yandex"),
)
REALTIME_MODEL = "speech-realtime-250923"
_MODEL_URI = re.compile(r"^(gpt|emb)://([^/\s]+)/([A-Za-z0-9._-]+)(?:/([A-Za-z0-9._-]+))?(?:@[A-Za-z0-9_-]+)?$")
MISMATCH = "Specified folder ID does not match with service account"


@dataclass(frozen=True)
class Seen:
    """One request as a Yandex host received it: the URL it would have had on Yandex, auth and folder headers.

    Held in memory only (it carries the key); self-tests compare it with what `conformance doctor` planned.
    """

    url: str
    method: str
    authorization: str
    project: str | None
    model: str | None


@dataclass
class Account:
    """The service account the stand-in serves: its folder (None: whatever the request names) and optional key."""

    folder: str | None = None
    key: str | None = None
    seen: list[Seen] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def record(self, seen: Seen) -> None:
        """Keep one received request."""
        with self.lock:
            self.seen.append(seen)


def surface_of(path: str) -> str:
    """The surface a /v1 path belongs to ("" when it is none of them)."""
    parts = urlsplit(path).path.split("/")
    if len(parts) < 3 or parts[1] != "v1":
        return ""
    name = parts[2]
    if name == "chat" and parts[3:4] == ["completions"]:
        return "chat"
    if name in _OTHER:
        return "other"
    return name if name in _ALL or name == "realtime" else ""


def not_found() -> Response:
    """Yandex's bare router 404 (ISSUE-934: `404 page not found`), no JSON envelope."""
    return Response(404, {"Content-Type": "text/plain; charset=utf-8"}, b"404 page not found\n")


def authorize(headers: Mapping[str, str], account: Account | None) -> None:
    """Yandex's schemes (claims.md §1): `Api-Key <API key>`, `Bearer <API key>` (OC-C) or `Bearer <IAM token>`."""
    scheme, _, token = headers.get("authorization", "").partition(" ")
    token = token.strip()
    if not token:
        raise ApiError(401, "The request is missing the Authorization header (Api-Key or Bearer)",
                       kind="unauthorized")
    iam = token.startswith("t1.")
    if scheme.lower() not in ("bearer", "api-key"):
        raise ApiError(401, f"Unknown authorization scheme {scheme!r}", kind="unauthorized")
    if iam and scheme.lower() == "api-key":
        raise ApiError(401, "An IAM token is sent as Authorization: Bearer, not Api-Key", kind="unauthorized")
    if not (iam or token.startswith("AQVN")) or (account is not None and account.key and token != account.key):
        raise ApiError(401, "Unknown api key", kind="unauthorized")


def folder_of(headers: Mapping[str, str], account: Account | None) -> str | None:
    """The key's folder: the account's, else the one the request names in OpenAI-Project."""
    named = headers.get("openai-project")
    folder = account.folder if account is not None else None
    if folder and named and named != folder:
        raise ApiError(400, MISMATCH)
    return folder or named


def check_model(model: Any, folder: str | None) -> None:
    """A model must be a gpt:// or emb:// URI of the key's folder (claims.md §0, §2)."""
    match = _MODEL_URI.match(model) if isinstance(model, str) else None
    if match is None:
        raise ApiError(400, "invalid model_uri", param="model")
    if folder and match.group(2) != folder:
        raise ApiError(400, MISMATCH, param="model")


def catalogue(folder: str) -> list[dict[str, Any]]:
    """The recorded model list in a folder: full URIs, created 0, the vendor as owner."""
    return [{"id": uri.format(f=folder), "object": "model", "owned_by": owner, "created": 0}
            for uri, owner in CATALOGUE]


def _body(raw: bytes) -> dict[str, Any]:
    try:
        value = json.loads(raw or b"{}")
    except (ValueError, UnicodeDecodeError):
        return {}
    return value if isinstance(value, dict) else {}


def _limits(method: str, surface: str, path: str, req: dict[str, Any], faults: ActiveFaults) -> None:
    """The documented limits, refused with 400 before the request reaches its endpoint."""
    if method != "POST":
        return
    if surface == "embeddings" and faults.has(F.YANDEX_EMBEDDINGS_LIMITS):
        given = req.get("input")
        if isinstance(given, list) and len(given) > 1:
            raise ApiError(400, "embeddings are computed for a single string", param="input")
        if req.get("encoding_format", "float") != "float":
            raise ApiError(400, "encoding_format float is the only one supported", param="encoding_format")
    temperature = req.get("temperature")
    if surface == "responses" and urlsplit(path).path.rstrip("/") == "/v1/responses" and \
            faults.has(F.YANDEX_TEMPERATURE_0_1) and isinstance(temperature, (int, float)) and temperature > 1:
        raise ApiError(400, "temperature must be between 0 and 1", param="temperature")


def _models(path: str, folder: str | None, faults: ActiveFaults) -> Response | None:
    """GET /v1/models and /v1/models/{uri} from the recorded catalogue (None: not a models request)."""
    route = urlsplit(path).path.rstrip("/")
    if not route.startswith("/v1/models"):
        return None
    if not folder:
        raise ApiError(400, "The folder is unknown: send OpenAI-Project (the stand-in has no account folder)")
    models = catalogue(folder)
    if route == "/v1/models":
        return json_response({"object": "list", "data": models}, faults)
    wanted = unquote(route[len("/v1/models/"):])
    found = next((m for m in models if m["id"] == wanted), None)
    if found is None:
        return not_found_model(wanted, faults)
    return json_response(found, faults)


def not_found_model(model: str, faults: ActiveFaults) -> Response:
    """404 for a model id the folder does not have."""
    return error_response(ApiError(404, f"model {model} is not found", code="model_not_found"), faults)


def _sparse_chat(obj: dict[str, Any]) -> dict[str, Any]:
    """Y-native chat objects: no system_fingerprint, logprobs, refusal or null finish_reason; "" beside tool calls."""
    obj.pop("system_fingerprint", None)
    for choice in obj.get("choices") or []:
        choice.pop("logprobs", None)
        if choice.get("finish_reason", "") is None:
            del choice["finish_reason"]
        message = choice.get("message")
        if isinstance(message, dict):
            message.pop("refusal", None)
            if message.get("tool_calls"):
                message["content"] = ""
                for index, call in enumerate(message["tool_calls"]):
                    call["index"] = index
    usage = obj.get("usage")
    if isinstance(usage, dict):
        for key in [k for k in usage if k.endswith("_details")]:
            del usage[key]
    return obj


# Free-form maps in a Responses object: the server's typed models add `valid` beside them, never inside.
_MAPS = frozenset({"metadata", "attributes", "parameters", "schema", "arguments", "input_schema"})


def _valid(value: Any) -> Any:
    """`"valid": true` on the object and every nested typed object, as the docs printed them (docs-examples)."""
    if isinstance(value, dict):
        return {**{k: v if k in _MAPS else _valid(v) for k, v in value.items()}, "valid": True}
    if isinstance(value, list):
        return [_valid(v) for v in value]
    return value


def _reshape_json(response: Response, change: Callable[[dict[str, Any]], dict[str, Any]]) -> Response:
    if response.is_stream:
        chunks = []
        for chunk in response.chunks or []:
            if chunk.startswith(b"data: {") and chunk.endswith(b"\n\n"):
                with contextlib.suppress(ValueError):
                    chunk = b"data: " + dumps(change(json.loads(chunk[6:]))) + b"\n\n"
            chunks.append(chunk)
        response.chunks = chunks
        return response
    if response.headers.get("Content-Type", "").startswith(JSON) and 200 <= response.status < 300:
        with contextlib.suppress(ValueError):
            response.body = dumps(change(json.loads(response.body)))
    return response


def _reshape(surface: str, response: Response, faults: ActiveFaults) -> Response:
    if surface == "chat" and faults.has(F.YANDEX_CHAT_SHAPE):
        response = _reshape_json(response, _sparse_chat)
    if surface == "responses" and faults.has(F.YANDEX_VALID_FIELDS) and not response.is_stream:
        response = _reshape_json(response, _valid)
    trace = hashlib.sha256(repr((response.status, len(response.body))).encode()).hexdigest()
    response.headers["x-server-trace-id"] = f"{trace[:16]}:{trace[16:32]}:{trace[32:48]}:1"
    return response


def stands_in(faults: ActiveFaults, host: Host | None) -> bool:
    """Whether a request goes through the stand-in (a Yandex host listener, or a yandex_* fault switched on)."""
    return host is not None or faults.any(F.YANDEX_AUTH, F.YANDEX_MODEL_URIS, F.YANDEX_PERMISSION_DENIED,
                                          F.YANDEX_EMBEDDINGS_LIMITS, F.YANDEX_TEMPERATURE_0_1,
                                          F.YANDEX_CHAT_SHAPE, F.YANDEX_VALID_FIELDS)


def admit(method: str, path: str, headers: Mapping[str, str], body: bytes, faults: ActiveFaults, host: Host | None,
          account: Account | None, default_auth: Callable[[Mapping[str, str]], None]) -> tuple[str, str | None]:
    """Yandex's admission of one request (REST or realtime handshake): host, auth, role, folder and model.

    Returns the surface and the key's folder; raises ApiError to refuse. `default_auth` is the reference
    server's own check, used while yandex_auth is off.
    """
    surface = surface_of(path)
    body_json = _body(body) if method == "POST" else {}
    if account is not None and host is not None:
        origin = host.ws_origin if surface == "realtime" else host.origin
        query = parse_qs(urlsplit(path).query).get("model") or [""]
        model = body_json.get("model") if surface != "realtime" else query[0]
        account.record(Seen(origin + path, method, headers.get("authorization", ""), headers.get("openai-project"),
                            model if isinstance(model, str) and model else None))
    if host is not None and (surface not in host.surfaces if surface != "realtime"
                             else urlsplit(path).path.rstrip("/") not in host.realtime):
        raise NotServed()
    if faults.has(F.YANDEX_AUTH):
        authorize(headers, account)
    else:
        default_auth(headers)
    if faults.has(F.YANDEX_PERMISSION_DENIED):
        raise ApiError(403, "Permission denied", kind="permission_denied")
    folder = folder_of(headers, account) if faults.has(F.YANDEX_MODEL_URIS) else None
    if faults.has(F.YANDEX_MODEL_URIS) and "model" in body_json:
        check_model(body_json["model"], folder)
    _limits(method, surface, path, body_json, faults)
    return surface, folder


class NotServed(Exception):
    """The host does not serve this path (answered with the bare 404)."""


def handle(method: str, path: str, headers: Mapping[str, str], body: bytes, faults: ActiveFaults,
           host: Host | None, account: Account | None, default_auth: Callable[[Mapping[str, str]], None],
           dispatch: Callable[[], Response]) -> Response:
    """Answer one REST request as the stand-in: admission, the recorded catalogue, the reference answer reshaped."""
    try:
        surface, folder = admit(method, path, headers, body, faults, host, account, default_auth)
        if faults.has(F.YANDEX_MODEL_URIS) and method == "GET":
            models = _models(path, folder, faults)
            if models is not None:
                return _reshape(surface, models, faults)
        return _reshape(surface, dispatch(), faults)
    except NotServed:
        return not_found()
    except ApiError as err:
        return _reshape(surface_of(path), error_response(err, faults), faults)


def realtime_model(path: str, folder: str | None) -> str:
    """The model of a realtime handshake: `?model=<uri>`, or the seed's bare `?realtime-250923` in the folder."""
    query = parse_qs(urlsplit(path).query, keep_blank_values=True)
    model = (query.get("model") or [""])[0]
    bare = next((key for key in query if key.startswith("realtime-")), None)
    if not model and bare and folder:
        model = f"gpt://{folder}/speech-{bare}"
    check_model(model, folder)
    match = _MODEL_URI.match(model)
    if match is None or "realtime" not in match.group(3):
        raise ApiError(400, "invalid model_uri: not a realtime model", param="model")
    return model


def realtime_session(session: dict[str, Any]) -> dict[str, Any]:
    """A session as field reports saw Yandex echo it: output_modalities [text, audio], audio rates null."""
    shown = copy.deepcopy(session)
    shown["output_modalities"] = ["text", "audio"]
    for direction in ("input", "output"):
        fmt = ((shown.get("audio") or {}).get(direction) or {}).get("format")
        if isinstance(fmt, dict):
            fmt["rate"] = None
    return shown


REASONING_MODELS = ("gpt-oss-", "qwen3-")  # claims.md §3 [obs][SDK model.py]: they stream delta.reasoning_content


def with_reasoning(body: bytes, faults: ActiveFaults) -> ActiveFaults:
    """The stand-in's faults for one request; a reasoning model's chat stream carries reasoning_content deltas."""
    model = _body(body).get("model")
    if faults.has(F.YANDEX_CHAT_SHAPE) and isinstance(model, str) and any(f"/{m}" in model for m in REASONING_MODELS):
        return faults.plus(F.REASONING_CONTENT_STREAMED)
    return faults


def names(faults: Iterable[str] = ()) -> list[str]:
    """The stand-in's faults plus any extra ones, in order, without duplicates."""
    return list(dict.fromkeys([*STAND_IN_FAULTS, *faults]))
