"""The API-key check the REST API and the Realtime handshake share: a non-empty Bearer token, else OpenAI's 401."""

from __future__ import annotations

from collections.abc import Mapping

from . import faults as F
from .fault_types import ActiveFaults
from .faults import NO_FAULTS
from .responses import ApiError


def authorize(headers: Mapping[str, str], faults: ActiveFaults = NO_FAULTS) -> None:
    """Raise OpenAI's 401 unless `headers` (lower-cased names) carry `Authorization: Bearer <token>`.

    key_refused refuses every key, as a provider refuses a wrong one.
    """
    value = headers.get("authorization", "")
    scheme, _, token = value.partition(" ")
    if not value:
        raise ApiError(401, "You didn't provide an API key. You need to provide your API key in an Authorization "
                       "header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).", code="invalid_api_key")
    if scheme.lower() != "bearer" or not token.strip() or faults.has(F.KEY_REFUSED):
        raise ApiError(401, "Incorrect API key provided.", code="invalid_api_key")
