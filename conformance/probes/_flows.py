"""Helpers for flows: tolerated refusals, bounded polling, and tracked creation of provider resources."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import openai
from openai import OpenAI

from ._io import ProbeIO

T = TypeVar("T")
FIRST_DELAY = 0.1
MAX_DELAY = 2.0


def _attempted(call: Callable[[], T]) -> tuple[T | None, int | None]:
    """(its result, None) when the call succeeded; (None, its status) for a clean 4xx refusal; 429 and 5xx raise."""
    try:
        return call(), None
    except openai.APIStatusError as exc:
        if exc.status_code == 429 or exc.status_code >= 500:
            raise
        return None, exc.status_code


def attempt(call: Callable[[], T]) -> T | None:
    """Run one SDK call of a flow; a clean 4xx is evidence for the checks, not the end of the flow (429 is)."""
    return _attempted(call)[0]


def refusal(call: Callable[[], Any]) -> int | None:
    """Run one SDK call of a flow: the status of its clean 4xx refusal, None when it succeeded (429 and 5xx raise)."""
    return _attempted(call)[1]


def poll(io: ProbeIO, label: str, fetch: Callable[[], T | None], done: Callable[[T], bool]) -> T | None:
    """Fetch until `done` or until the nominal waits reach options.poll_timeout; replay repeats it without waiting.

    The budget counts the waits asked for, not wall time, so a replay makes exactly the recorded polls.
    """
    budget = float(io.options.get("poll_timeout", 60))
    waited, delay = 0.0, FIRST_DELAY
    while True:
        with io.step(label):
            result = attempt(fetch)
        if result is None or done(result) or waited >= budget:
            return result
        io.sleep(delay)
        waited += delay
        delay = min(delay * 2, MAX_DELAY)


def max_polls(poll_timeout: float) -> int:
    """How many fetches `poll` makes at most before its nominal waits reach `poll_timeout` (the live plan's bound)."""
    waited, delay, fetches = 0.0, FIRST_DELAY, 1
    while waited < poll_timeout:
        waited += delay
        delay = min(delay * 2, MAX_DELAY)
        fetches += 1
    return fetches


def status_is(*statuses: str) -> Callable[[Any], bool]:
    """A `done` predicate: the object's status is one of these."""
    return lambda obj: getattr(obj, "status", None) in statuses


def gone(fetch: Callable[[], Any]) -> bool:
    """True when fetching the object answers 404 (another clean 4xx: False; 429 and 5xx propagate)."""
    try:
        fetch()
    except openai.NotFoundError:
        return True
    except openai.APIStatusError as exc:
        if exc.status_code == 429 or exc.status_code >= 500:
            raise
    return False


def delete_verified(delete: Callable[[], Any], fetch: Callable[[], Any]) -> Callable[[], None]:
    """A cleanup that deletes, then fails loudly when the object is still there (listed as a leftover)."""

    def run() -> None:
        delete()
        if not gone(fetch):
            raise RuntimeError("still retrievable after delete")

    return run


def confirm_deleted(io: ProbeIO, kind: str, ident: str, fetch: Callable[[], Any], delete: Callable[[], Any],
                    label: str = "after_delete") -> None:
    """Step `label`: a 404 means gone (untracked); otherwise cleanup deletes again and checks it went."""
    with io.step(label):
        vanished = gone(fetch)
    io.untrack(ident, kind)
    if not vanished:
        io.track(kind, ident, delete_verified(delete, fetch))


def track_response(io: ProbeIO, response_id: str | None, client: OpenAI | None = None) -> None:
    """Delete this stored response (with `client`, default: the flow's) when the flow ends."""
    responses = (client or io.client).responses
    if response_id:
        io.track("response", response_id, lambda: responses.delete(response_id))


def upload(io: ProbeIO, label: str, name: str, content: bytes) -> Any:
    """Upload a small synthetic file (purpose assistants, expiring after an hour) and track it."""
    from .material import FILE_EXPIRY

    with io.step(label):
        uploaded = io.client.files.create(file=(name, content, "text/plain"), purpose="assistants",
                                          expires_after=FILE_EXPIRY)
    io.track("file", uploaded.id, lambda: io.client.files.delete(uploaded.id))
    return uploaded


def vector_store(io: ProbeIO, label: str, name: str, file_ids: list[str] | None = None,
                 client: OpenAI | None = None) -> Any:
    """Create a vector store (expiring a day after last use) with `client` (default: the flow's) and track it."""
    from .material import STORE_EXPIRY

    stores = (client or io.client).vector_stores
    params: dict[str, Any] = {"name": name, "expires_after": STORE_EXPIRY}
    if file_ids:
        params["file_ids"] = file_ids
    with io.step(label):
        store = stores.create(**params)
    io.track("vector_store", store.id, lambda: stores.delete(store.id))
    return store


def store_ready(store: Any) -> bool:
    """A vector store that is no longer indexing (completed, or expired: polling it longer would not help)."""
    counts = getattr(store, "file_counts", None)
    busy = getattr(store, "status", None) == "in_progress" or (counts is not None and counts.in_progress > 0)
    return not busy
