"""The SSE decoder: spec framing rules, and identical events however the bytes are split (hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from conformance.wire.sse import SSEParser, parse_sse

STREAM = (
    'data: {"id":"1","choices":[{"delta":{"content":"héllo ✓"}}]}\n\n'
    ": keep-alive\n\n"
    "event: response.output_text.delta\ndata: {\"a\":1}\n\n"
    "data: line one\ndata: line two\n\n"
    "data: [DONE]\n\n"
)


def events_of(parser: SSEParser) -> list[tuple[str | None, str]]:
    return [(e.event, e.data) for e in parser.events]


def test_fields_comments_and_multiline_data() -> None:
    parser = parse_sse(STREAM.encode())
    assert events_of(parser) == [
        (None, '{"id":"1","choices":[{"delta":{"content":"héllo ✓"}}]}'),
        ("response.output_text.delta", '{"a":1}'),
        (None, "line one\nline two"),
        (None, "[DONE]"),
    ]
    assert parser.comments == 1 and not parser.stray and not parser.unterminated


def test_stray_lines_and_truncation_are_visible() -> None:
    parser = parse_sse(b'{"bare":"json"}\n\ndata: {"cut": ')
    assert parser.stray == ['{"bare":"json"}']
    assert parser.unterminated and parser.events == []


@settings(max_examples=200, deadline=None)
@given(
    cuts=st.lists(st.integers(min_value=0, max_value=len(STREAM.encode())), max_size=12),
    ending=st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_any_split_and_line_ending_yields_the_same_events(cuts: list[int], ending: str) -> None:
    body = STREAM.replace("\n", ending).encode()
    points = sorted({min(c, len(body)) for c in cuts})
    parser = SSEParser()
    start = 0
    for point in [*points, len(body)]:
        parser.feed(body[start:point])
        start = point
    parser.finish()
    assert events_of(parser) == events_of(parse_sse(STREAM.encode()))
