"""YandexStandIn: one reference-server listener per Yandex host on 127.0.0.1, sharing one store, account and fault set.

`origins` maps each Yandex origin (https:// and wss://) to its local listener, which is how a run sends the
yandex-ai-studio profile's own URLs (both endpoint generations, split legacy hosts included) to the stand-in.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import TracebackType

from .serve import HOST, RefServer
from .store import Store
from .yandex import HOSTS, LABEL, STAND_IN_FAULTS, Account, Seen


class YandexStandIn:
    """The Yandex stand-in: Yandex's URL shapes and behaviour on loopback ports (see yandex.py); NOT Yandex."""

    def __init__(self, faults: Iterable[str] = STAND_IN_FAULTS, *, folder: str | None = None,
                 key: str | None = None) -> None:
        self.account = Account(folder, key)
        store = Store()
        names = list(faults)
        self.servers = {host.name: RefServer(faults=names, store=store, host=host, account=self.account)
                        for host in HOSTS}

    @property
    def faults(self) -> set[str]:
        """The active fault names (the same on every host)."""
        return set(next(iter(self.servers.values())).faults)

    @faults.setter
    def faults(self, names: Iterable[str]) -> None:
        chosen = list(names)
        for server in self.servers.values():
            server.faults = chosen

    @property
    def seen(self) -> list[Seen]:
        """Every request the hosts received, as Yandex URLs (in memory only)."""
        return list(self.account.seen)

    @property
    def origins(self) -> dict[str, str]:
        """Yandex origin -> local origin, for REST (https -> http) and Realtime (wss -> ws)."""
        found: dict[str, str] = {}
        for host in HOSTS:
            port = self.servers[host.name].port
            found[host.origin] = f"http://{HOST}:{port}"
            found[host.ws_origin] = f"ws://{HOST}:{port}"
        return found

    def local(self, url: str) -> str:
        """A Yandex URL rewritten onto its local listener (unchanged when no host matches)."""
        for origin, local in self.origins.items():
            if url.startswith(origin):
                return local + url[len(origin):]
        return url

    def provenance(self) -> dict[str, object]:
        """The cassette stamp: what this is, which behaviour was switched on."""
        return {"summary": LABEL, "faults": sorted(self.faults),
                "hosts": {host.name: host.origin for host in HOSTS}}

    def start(self) -> YandexStandIn:
        """Start every host listener; returns self."""
        for server in self.servers.values():
            server.start()
        return self

    def stop(self) -> None:
        """Stop every host listener (idempotent)."""
        for server in self.servers.values():
            server.stop()

    def check(self) -> None:
        """Re-raise the first exception a handler thread of any host raised."""
        for server in self.servers.values():
            server.check()

    def __enter__(self) -> YandexStandIn:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
