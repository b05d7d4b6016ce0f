"""Chat Completions parameter requests (issue 13 part A): developer role, max_completion_tokens, n, seed, logprobs
and the sampling ranges (stop rides on chat.basic: conformance.probes.chat). Tiny limits, temperature 0 (except the
upper bounds), no wording asserted.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from openai.types.chat import ChatCompletion

from . import fixtures as fx
from ._flows import attempt
from ._io import ProbeIO
from ._registry import request

DEVELOPER_WORD = "CEDAR-5307-LUMEN"
DEVELOPER: fx.Messages = [
    {"role": "developer", "content": f"Reply with the code word {DEVELOPER_WORD} and nothing else."},
    {"role": "user", "content": "Say hello."},
]
SEED = 7
NO_STOP = "NO-STOP-SEQUENCE"  # the stop sequence when the plain answer has no second word (not discriminating)
TOP_LOGPROBS = 2
TOP_P_OVER = 1.5  # OAS top_p: minimum 0, maximum 1


def _create(io: ProbeIO, **params: Any) -> Any:
    return io.client.chat.completions.create(model=io.model, **params)


@request("chat.developer", "chat", max_tokens=16, prompt_tokens=200)
def developer(io: ProbeIO) -> Any:
    """A developer message that asks for a code word, then a user turn: it must steer like a system message."""
    return _create(io, messages=DEVELOPER, max_tokens=16, temperature=0)


@request("chat.max_completion_tokens", "chat", max_tokens=1, prompt_tokens=200)
def max_completion_tokens(io: ProbeIO) -> Any:
    """max_completion_tokens=1 (and no max_tokens): it must cut the answer like max_tokens."""
    return _create(io, messages=fx.HELLO, max_completion_tokens=1, temperature=0)


@request("chat.n", "chat", max_tokens=16, prompt_tokens=200)
def n_choices(io: ProbeIO) -> Any:
    """n=2: two choices (indexes 0 and 1) or a clean refusal; 8 tokens each."""
    return _create(io, messages=fx.HELLO, max_tokens=8, temperature=0, n=2)


def stop_word(answer: Any) -> str:
    """The stop sequence for the second request: the plain answer's second word (NO_STOP when it has none)."""
    choices = getattr(answer, "choices", None) or []
    content = getattr(getattr(choices[0], "message", None), "content", None) if choices else None
    found = content.split() if isinstance(content, str) else []
    return found[1] if len(found) > 1 else NO_STOP


@request("chat.seed", "chat", calls=2, max_tokens=16, prompt_tokens=400)
def seed(io: ProbeIO) -> Any:
    """The same seeded request at temperature 0, twice."""
    for label in ("first", "second"):
        with io.step(label):
            attempt(partial(_create, io, messages=fx.HELLO, max_tokens=8, temperature=0, seed=SEED))


@request("chat.logprobs", "chat", calls=2, max_tokens=8, prompt_tokens=450)
def logprobs(io: ProbeIO) -> Any:
    """logprobs true without, then with top_logprobs."""
    with io.step("plain"):
        attempt(partial(_create, io, messages=fx.HELLO, max_tokens=4, temperature=0, logprobs=True))
    with io.step("top"):
        attempt(partial(_create, io, messages=fx.HELLO, max_tokens=4, temperature=0, logprobs=True,
                        top_logprobs=TOP_LOGPROBS))


@request("chat.sampling", "chat", calls=2, max_tokens=8, prompt_tokens=400)
def sampling(io: ProbeIO) -> Any:
    """temperature 2 and top_p 1 (the documented upper bounds), then top_p 1.5 (out of range), sent past the SDK."""
    with io.step("bounds"):
        attempt(partial(_create, io, messages=fx.HELLO, max_tokens=4, temperature=2, top_p=1))
    with io.step("top_p_over"):
        body = {"model": io.model, "messages": fx.HELLO, "max_tokens": 4, "top_p": TOP_P_OVER}
        attempt(partial(io.client.post, "/chat/completions", body=body, cast_to=ChatCompletion))
