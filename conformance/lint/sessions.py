"""Recorded WebSocket session logs graded with the realtime frame checks, when the realtime layer is present.

Only what a log can show is checked: JSON frames with a type, per-type schemas, session.created first, the
response/item state machine, GA event names. The logs record no host: the provider comes from the folder name
(pydantic-ai keeps OpenAI, Azure and xAI sessions in test_openai_ws / test_azure_ws / test_xai_ws).
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

from ..catalogue import FEATURES
from ..checks import CHECKS
from .model import Session
from .routes import session_rows

try:  # the realtime layer (frames, checks, schemas) may be absent from a trimmed install
    from ..realtime.frames import Frame, WsSession
except ImportError:  # pragma: no cover - depends on the installed package
    Frame = WsSession = None  # type: ignore[assignment,misc]

_FOLDERS = (("azure", "azure-openai"), ("xai", "xai"), ("openai", "openai"))


def available() -> bool:
    """True when realtime checks and schemas are installed."""
    return WsSession is not None and all(c in CHECKS for f in session_rows() for c in FEATURES.get(f).checks)


def session_provider(session: Session) -> str:
    """Provider by folder name (the log has no host)."""
    path = session.file.lower()
    return next((label for key, label in _FOLDERS if key in path), "unknown-realtime")


def _model(session: Session) -> str:
    for direction, data in session.frames_log:
        if direction == "received" and isinstance(data, dict) and isinstance(data.get("session"), dict):
            model = data["session"].get("model")
            if isinstance(model, str):
                return model
    return ""


if WsSession is not None:

    class RecordedSession(WsSession):
        """A WsSession read from a log; its summary names the recording."""

        ref: str = ""
        url_recorded: ClassVar[bool] = False  # the logs keep frames, not the handshake URL

        def summary(self) -> str:
            """`file#1: WS /v1/realtime {model, events}`."""
            return f"{self.ref}: {super().summary()}"


def ws_session(session: Session) -> Any:
    """A WsSession (upgraded, frames in order, no timing) for the realtime checks."""
    frames = [Frame("client" if direction == "sent" else "server", 0.0, json.dumps(data), event=data)
              for direction, data in session.frames_log]
    ws = RecordedSession(name=session.ref, url=f"wss://host.not-recorded/v1/realtime?model={_model(session)}",
                         status=101, frames=frames, close_code=session.close_code)
    ws.ref = session.ref
    return ws
