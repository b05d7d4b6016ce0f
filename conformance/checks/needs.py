"""What a check reads besides the feature's own request: declared on each registration, read by passive lint.

The active runner gives every check all it may read; passive lint grades one recorded exchange and runs a check
only when that exchange provides everything the check needs. Two kinds of needs:

- never in a recording of one exchange (UNRECORDED): an SDK call, a second request, the target's options, the
  steps of a flow, the probe's own scripted request;
- forms a recorded exchange may have (lint tells which it has): a non-streamed body as sent, an answer to read
  (the body, or a chat stream assembled into one), a stream as sent, an error answer, an invalid request, a text
  reply, a tool call, a WebSocket session.
"""

from __future__ import annotations

from enum import Enum


class Need(str, Enum):
    """One thing a check reads; a check with no needs reads only the request and the status of one exchange."""

    SDK = "sdk"  # the official SDK's parse of the answer: needs the SDK call itself
    SECOND_REQUEST = "second_request"  # another request's answer to compare with (e.g. the non-streamed twin)
    OPTIONS = "options"  # the target profile's options (e.g. the configured chat model)
    FLOW = "flow"  # the labelled steps of a flow (create, retrieve, delete ...) or a run's generated cases
    PROBE = "probe"  # the probe's own scripted request: its prompt, code words, session.update or event ids
    BODY = "body"  # the non-streamed JSON answer exactly as sent (not rebuilt from a stream)
    ANSWER = "answer"  # a 2xx JSON answer to read: the non-streamed body, or a chat stream assembled into one
    STREAM = "stream"  # the streamed (SSE) answer as sent
    ERROR_ANSWER = "error_answer"  # a non-2xx answer and its error body
    INVALID_REQUEST = "invalid_request"  # a request OpenAI must refuse whatever the model
    TEXT_REPLY = "text_reply"  # an answer that replies in text, not with a tool call
    TOOL_CALL = "tool_call"  # an answer that holds a tool call, or whose request forced one
    SESSION = "session"  # the frames of a WebSocket (realtime) session


# Needs a recording of one exchange never meets: checks needing any of these run only in active mode.
UNRECORDED: frozenset[Need] = frozenset({Need.SDK, Need.SECOND_REQUEST, Need.OPTIONS, Need.FLOW, Need.PROBE})
