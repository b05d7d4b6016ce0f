"""The fault vocabulary: a Fault, where it acts (Scope, Phase), the name-unique registry, one request's active set."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum


class Scope(Enum):
    """Where a fault acts: one surface, a kind of endpoint across surfaces, or every request."""

    EVERY_REQUEST = "every authorised request, before routing"
    EVERY_VALID_REQUEST = "every valid request"
    TRANSPORT = "the HTTP transport (bytes, headers, timing)"
    JSON_BODIES = "non-streamed 2xx JSON bodies"
    ERROR_BODIES = "error answers"
    SSE_STREAMS = "streamed answers of Chat Completions and Responses"
    MESSAGE_VALIDATION = "validation of chat messages, tool_choice, Responses input and conversation items"
    MODELS = "GET /models and GET /models/{id}"
    CHAT = "POST /chat/completions"
    CHAT_STREAMS = "streamed POST /chat/completions"
    EMBEDDINGS = "POST /embeddings"
    RESPONSES = "the Responses API"
    RESPONSES_STREAMS = "streamed POST /responses"
    CONVERSATIONS = "the Conversations API"
    FILES = "the Files API"
    VECTOR_STORES = "the Vector Stores API"
    STORED_OBJECTS = "bodies of responses, conversations, files and vector stores"
    OBJECT_RETRIEVES = "retrieves of one stored object by id"
    OBJECT_UPDATES = "updates of conversations and vector stores"
    OBJECT_LISTS = "lists of files, vector stores and vector store files"
    OBJECT_DELETES = "deletes of stored objects"
    REALTIME = "Realtime WebSocket sessions"
    RESPONSES_WEBSOCKET = "the Responses API's WebSocket mode (GET /v1/responses upgraded)"
    OTHER_ENDPOINTS = "the rest of OpenAI's surface: /completions, /audio, /images, /moderations, /batches, /uploads"


class Phase(Enum):
    """When the dispatcher applies a cross-cutting fault, relative to the endpoint's handler."""

    ADMIT = "after authorisation, before routing"
    ROUTE = "once routed, before the endpoint's own validation"
    BEFORE = "after the endpoint's own validation, before its handler"
    AFTER = "on the handler's JSON body, before it is encoded"


@dataclass(frozen=True)
class Fault:
    """A switchable deviation; `kills` are the check ids it must make fail (outcome failed or ignored).

    `scope` says where it acts. A fault with a `phase` is cross-cutting: the dispatcher applies it (see hooks.py)
    at that phase to every endpoint in its scope; a fault without one is tested by the code that owns its scope.
    """

    name: str
    description: str
    kills: tuple[str, ...]
    scope: Scope = Scope.EVERY_VALID_REQUEST
    phase: Phase | None = None


class FaultRegistry:
    """Name-unique registry of faults; a duplicate name raises ValueError."""

    def __init__(self) -> None:
        self._faults: dict[str, Fault] = {}

    def register(self, fault: Fault) -> Fault:
        """Add a fault; ValueError when its name is taken."""
        if fault.name in self._faults:
            raise ValueError(f"duplicate fault name {fault.name!r}")
        self._faults[fault.name] = fault
        return fault

    def get(self, name: str) -> Fault:
        """The fault with this name; ValueError naming it when unknown."""
        try:
            return self._faults[name]
        except KeyError:
            raise ValueError(f"unknown fault {name!r}") from None

    def __contains__(self, name: object) -> bool:
        return name in self._faults

    def knows(self, fault: Fault) -> bool:
        """Whether this very Fault object is the registered one of its name."""
        return self._faults.get(fault.name) is fault

    def all(self) -> list[Fault]:
        """Every registered fault, in registration order."""
        return list(self._faults.values())

    def names(self) -> list[str]:
        """Every registered fault name, in registration order."""
        return list(self._faults)

    def validate(self, names: Iterable[str]) -> set[str]:
        """The names as a set; ValueError naming the first unknown one."""
        found = set()
        for name in names:
            self.get(name)
            found.add(name)
        return found

    def active(self, names: Iterable[str] = ()) -> ActiveFaults:
        """The faults with these names, switched on for one request; ValueError naming an unknown one."""
        return ActiveFaults(self, self.validate(names))


class ActiveFaults:
    """The faults switched on for one request: immutable; `has` answers only for registered Fault constants."""

    __slots__ = ("_names", "_registry")

    def __init__(self, registry: FaultRegistry, names: Iterable[str] = ()) -> None:
        self._registry = registry
        self._names = frozenset(registry.validate(names))

    def has(self, fault: Fault) -> bool:
        """Whether `fault` is on; TypeError for a name string, ValueError for a Fault that is not registered."""
        if not isinstance(fault, Fault):
            raise TypeError(f"has() takes a Fault constant, not {fault!r}")
        if not self._registry.knows(fault):
            raise ValueError(f"unregistered fault {fault.name!r}")
        return fault.name in self._names

    def any(self, *faults: Fault) -> bool:
        """Whether at least one of `faults` is on."""
        return any([self.has(fault) for fault in faults])

    def plus(self, fault: Fault) -> ActiveFaults:
        """These faults and one more."""
        self.has(fault)
        return ActiveFaults(self._registry, self._names | {fault.name})

    def at(self, phase: Phase) -> list[Fault]:
        """The active faults the dispatcher applies at `phase`, in registration order."""
        return [f for f in self._registry.all() if f.phase is phase and f.name in self._names]

    @property
    def names(self) -> frozenset[str]:
        """The active fault names."""
        return self._names

    def __repr__(self) -> str:
        return f"ActiveFaults({sorted(self._names)!r})"
