"""The invalid requests an `*.errors` row sends besides its primary one (an invalid enum: a role that does not
exist): each names the part that makes it invalid, and whether no server may accept it or it is a value OpenAI
refuses (data only; probes build the requests, checks grade them).

The rule (README "Verdicts"): a *shape* case (a required field missing, a field of the wrong type) accepted with
2xx means the server does not validate requests at all: FAIL. A *value* case (a number out of OpenAI's range, a
model nobody serves) accepted silently is a DEVIATION: the server may clamp or substitute, but the caller is not
told. Every refused case must carry an OpenAI error envelope.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

SHAPE = "shape"
VALUE = "value"
UNKNOWN_MODEL = "conformance-no-such-model"


@dataclass(frozen=True)
class InvalidCase:
    """One invalid request: its step label, SHAPE or VALUE, and the invalid part as evidence names it."""

    label: str
    kind: str
    what: str


CHAT_CASES: tuple[InvalidCase, ...] = (
    InvalidCase("missing_required", SHAPE, "messages absent (a required field)"),
    InvalidCase("wrong_type", SHAPE, "messages is a string, not an array of messages"),
    InvalidCase("out_of_range", VALUE, "temperature 5 (OpenAI's range is 0..2)"),
    InvalidCase("unknown_model", VALUE, f"model {UNKNOWN_MODEL!r}, which no server serves"),
)
RESPONSES_CASES: tuple[InvalidCase, ...] = (
    InvalidCase("missing_required", SHAPE, "model absent (a required field)"),
    InvalidCase("wrong_type", SHAPE, "input is a number, not a string or an array of items"),
    InvalidCase("out_of_range", VALUE, "temperature 5 (OpenAI's range is 0..2)"),
    InvalidCase("unknown_model", VALUE, f"model {UNKNOWN_MODEL!r}, which no server serves"),
)
# Surface -> its invalid cases (the flow `<surface>.invalid_cases` sends one step per case).
CASES = MappingProxyType({"chat": CHAT_CASES, "responses": RESPONSES_CASES})


def case_steps(surface: str) -> tuple[str, ...]:
    """The request names of a surface's invalid cases (`<surface>.invalid_cases:<label>`)."""
    return tuple(f"{surface}.invalid_cases:{case.label}" for case in CASES[surface])
