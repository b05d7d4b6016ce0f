"""Which catalogue rows a recorded exchange exercises: one declarative table keyed by feature id.

A route says on which endpoints and readings a row is graded and which recorded requests force it; the checks come
from the row itself (conformance.lint.derive), never from here. Order matters: rows are graded in table order, and
a check already graded on a reading by an earlier row is not graded again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from ..checks.errors import unknown_params
from ..wire.endpoints import Endpoint

Request = dict[str, Any]


class Form(str, Enum):
    """How a reading presents a recorded answer to the checks."""

    BODY = "body"  # a recorded non-streamed answer
    STREAM = "stream"  # a recorded streamed (SSE) chat answer
    ASSEMBLED = "assembled"  # a 2xx chat stream joined into the completion a tolerant client builds
    SESSION = "session"  # a recorded WebSocket session log


RECORDED = frozenset({Form.BODY, Form.STREAM})  # the answer as recorded, streamed or not
COMPLETION = frozenset({Form.BODY, Form.ASSEMBLED})  # a completion to read: as sent, or assembled from a stream
CHAT = frozenset({Endpoint.CHAT_COMPLETIONS})
EMBEDDINGS = frozenset({Endpoint.EMBEDDINGS})
GRADED = frozenset({Endpoint.CHAT_COMPLETIONS, Endpoint.EMBEDDINGS, Endpoint.MODELS_LIST, Endpoint.MODELS_RETRIEVE})


def always(_req: Request) -> bool:
    """Every request."""
    return True


@dataclass(frozen=True)
class Route:
    """When a recorded exchange exercises a row: endpoints, readings, the request condition, the rows it refines.

    `refines` names rows whose request the row's probe also sends (chat.parallel_tool_calls adds one parameter to a
    tool_choice request): their checks are graded under them, never again under this row.
    """

    endpoints: frozenset[Endpoint]
    forms: frozenset[Form]
    when: Callable[[Request], bool] = always
    refines: tuple[str, ...] = ()


def _tools(req: Request) -> bool:
    return bool(req.get("tools"))


def _tool_choice(value: str) -> Callable[[Request], bool]:
    def forced(req: Request) -> bool:
        return _tools(req) and req.get("tool_choice") == value

    return forced


def _named_choice(req: Request) -> bool:
    choice = req.get("tool_choice")
    return _tools(req) and isinstance(choice, dict) and choice.get("type") == "function"


def _auto_choice(req: Request) -> bool:
    """Tools with tool_choice auto, absent, Mistral's "any" or any value no other tool row takes."""
    return _tools(req) and req.get("tool_choice") not in ("none", "required", "first") and not _named_choice(req)


def _parallel_false(req: Request) -> bool:
    return _tools(req) and req.get("parallel_tool_calls") is False


def _max_tokens_one(req: Request) -> bool:
    return 1 in (req.get("max_tokens"), req.get("max_completion_tokens"))


def _response_format(kind: str) -> Callable[[Request], bool]:
    def asked(req: Request) -> bool:
        fmt = req.get("response_format")
        return isinstance(fmt, dict) and fmt.get("type") == kind

    return asked


def _include_usage(req: Request) -> bool:
    options = req.get("stream_options")
    return isinstance(options, dict) and bool(options.get("include_usage"))


def _image(req: Request) -> bool:
    """A message with an image_url content part."""
    return any(isinstance(m, dict) and isinstance(m.get("content"), list)
               and any(isinstance(p, dict) and p.get("type") == "image_url" for p in m["content"])
               for m in req.get("messages") or [])


def _reasoning(req: Request) -> bool:
    return req.get("reasoning_effort") is not None


def _unknown(req: Request) -> bool:
    return bool(unknown_params(req))


def _base64(req: Request) -> bool:
    return req.get("encoding_format") == "base64"


def _batch(req: Request) -> bool:
    inputs = req.get("input")
    return isinstance(inputs, list) and len(inputs) > 1 and not all(isinstance(x, int) for x in inputs)


def _float_batch(req: Request) -> bool:
    return not _base64(req) and _batch(req)


def _float_single(req: Request) -> bool:
    return not _base64(req) and not _batch(req)


def _float_dimensions(req: Request) -> bool:
    return not _base64(req) and req.get("dimensions") is not None


def _developer(req: Request) -> bool:
    messages = req.get("messages")
    return isinstance(messages, list) and any(isinstance(m, dict) and m.get("role") == "developer" for m in messages)


def _set(key: str) -> Callable[[Request], bool]:
    def present(req: Request) -> bool:
        return req.get(key) is not None

    return present


def _several(req: Request) -> bool:
    n = req.get("n")
    return isinstance(n, int) and n > 1


def _logprobs(req: Request) -> bool:
    return req.get("logprobs") is True


TOOL_ROWS = ("chat.tool_choice.none", "chat.tool_choice.required", "chat.tool_choice.first",
             "chat.tool_choice.named", "chat.tools.auto")

ROUTES: Mapping[str, Route] = {
    # Every error answer of a graded endpoint has its envelope checked; an invalid chat request must be refused
    # (which of the row's checks run is decided by their needs: an error answer, an invalid request).
    "chat.errors": Route(GRADED, RECORDED),
    "chat.unknown_params": Route(CHAT, RECORDED, _unknown),
    "chat.basic": Route(CHAT, frozenset({Form.BODY})),
    "chat.stream": Route(CHAT, frozenset({Form.STREAM})),
    "chat.stream.include_usage": Route(CHAT, frozenset({Form.STREAM}), _include_usage),
    "chat.stream.tools": Route(CHAT, frozenset({Form.STREAM}), _tools),
    "chat.max_tokens": Route(CHAT, COMPLETION, _max_tokens_one),
    "chat.json_schema": Route(CHAT, COMPLETION, _response_format("json_schema")),
    "chat.json_object": Route(CHAT, COMPLETION, _response_format("json_object")),
    "chat.tool_choice.none": Route(CHAT, COMPLETION, _tool_choice("none")),
    "chat.tool_choice.required": Route(CHAT, COMPLETION, _tool_choice("required")),
    "chat.tool_choice.first": Route(CHAT, COMPLETION, _tool_choice("first")),
    "chat.tool_choice.named": Route(CHAT, COMPLETION, _named_choice),
    "chat.tools.auto": Route(CHAT, COMPLETION, _auto_choice),
    "chat.parallel_tool_calls": Route(CHAT, COMPLETION, _parallel_false, refines=TOOL_ROWS),
    # issue 13 (part B)
    "chat.image_input": Route(CHAT, frozenset({Form.BODY}), _image),
    "chat.reasoning": Route(CHAT, frozenset({Form.STREAM}), _reasoning),
    "chat.stream.tool_join": Route(CHAT, frozenset({Form.STREAM}), _tools),
    "chat.stream.usage_shape": Route(CHAT, frozenset({Form.STREAM}), _include_usage),
    # issue 13 (part A): n and logprobs only as sent (an assembled stream keeps neither several choices nor logprobs).
    "chat.developer_role": Route(CHAT, COMPLETION, _developer),
    "chat.max_completion_tokens": Route(CHAT, COMPLETION, _set("max_completion_tokens")),
    "chat.n": Route(CHAT, frozenset({Form.BODY}), _several),
    "chat.stop": Route(CHAT, COMPLETION, _set("stop")),
    "chat.logprobs": Route(CHAT, frozenset({Form.BODY}), _logprobs),
    "embeddings.base64": Route(EMBEDDINGS, frozenset({Form.BODY}), _base64),
    "embeddings.batch": Route(EMBEDDINGS, frozenset({Form.BODY}), _float_batch),
    "embeddings.float": Route(EMBEDDINGS, frozenset({Form.BODY}), _float_single),
    "embeddings.dimensions": Route(EMBEDDINGS, frozenset({Form.BODY}), _float_dimensions),
    "models.list": Route(frozenset({Endpoint.MODELS_LIST}), frozenset({Form.BODY})),
    "models.retrieve": Route(frozenset({Endpoint.MODELS_RETRIEVE}), frozenset({Form.BODY})),
    # A session log is read as a whole: its frames, and the names of its events.
    "realtime.connect": Route(frozenset(), frozenset({Form.SESSION})),
    "realtime.event_names": Route(frozenset(), frozenset({Form.SESSION})),
}


def routed(endpoint: Endpoint, form: Form, req: Request, known: bool = True) -> list[str]:
    """Feature ids a reading of this form, on this endpoint, for this request exercises, in table order.

    A request the recording did not keep (`known` False) exercises only the rows every request of the endpoint
    does (their route has no request condition): what it may have asked for is not evidence.
    """
    return [fid for fid, route in ROUTES.items()
            if endpoint in route.endpoints and form in route.forms
            and (route.when(req) if known else route.when is always)]


def session_rows() -> list[str]:
    """Feature ids a recorded WebSocket session log is graded on."""
    return [fid for fid, route in ROUTES.items() if Form.SESSION in route.forms]
