"""Request handling without HTTP plumbing: (method, path, headers, body, faults) -> Response."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from . import hooks, yandex
from .auth import authorize
from .fault_types import ActiveFaults, Phase
from .faults import FAULTS
from .responses import ApiError, Response, error_response
from .routes import dispatch
from .store import DEFAULT_STORE, Store


def handle(method: str, path: str, headers: Mapping[str, str], body: bytes,
           faults: ActiveFaults | Iterable[str] = (), store: Store | None = None, *,
           host: yandex.Host | None = None, account: yandex.Account | None = None) -> Response:
    """Answer one request; header names are matched case-insensitively; `store` keeps stateful objects.

    `faults` are the active faults, or their names (ValueError naming an unknown one). `host` and `account` make
    this listener one host of the Yandex stand-in (yandex.py), which also answers whenever a yandex_* fault is on.
    """
    active = faults if isinstance(faults, ActiveFaults) else FAULTS.active(faults)
    lowered = {k.lower(): v for k, v in headers.items()}
    if yandex.stands_in(active, host):
        def reference() -> Response:
            try:
                hooks.refuse(Phase.ADMIT, hooks.EVERY_REQUEST, active)
                return dispatch(method.upper(), path, lowered, body, yandex.with_reasoning(body, active),
                                DEFAULT_STORE if store is None else store)
            except ApiError as err:
                return error_response(err, active)

        return yandex.handle(method.upper(), path, lowered, body, active, host, account, authorize, reference)
    try:
        authorize(lowered, active)
        hooks.refuse(Phase.ADMIT, hooks.EVERY_REQUEST, active)
        return dispatch(method.upper(), path, lowered, body, active, DEFAULT_STORE if store is None else store)
    except ApiError as err:
        return error_response(err, active)
