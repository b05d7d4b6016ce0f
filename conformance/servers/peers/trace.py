"""Reading strace connect() logs: which addresses a peer tried to reach, and which of them were not loopback."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from pathlib import Path

_CONNECT = re.compile(r"^(?:\[pid\s+)?(?P<pid>\d+)?\]?\s*connect\(\d+,\s*\{sa_family=(?P<family>AF_[A-Z0-9]+)"
                      r"(?P<rest>.*)$")
_PORT = re.compile(r"sin6?_port=htons\((?P<port>\d+)\)")
_V4 = re.compile(r'sin_addr=inet_addr\("(?P<addr>[^"]+)"\)')
_V6 = re.compile(r'inet_pton\(AF_INET6,\s*"(?P<addr>[^"]+)"')
_RESULT = re.compile(r"\)\s*=\s*(?P<result>-?\d+(?:\s+[A-Z]+)?)")


@dataclass(frozen=True)
class Attempt:
    """One connect() call: the process, the address family, the address and port, and what it returned."""

    pid: int
    family: str
    address: str
    port: int
    result: str

    @property
    def loopback(self) -> bool:
        """Whether the destination stays on this machine (127/8, ::1, an IPv4-mapped loopback; AF_UNIX)."""
        if self.family not in ("AF_INET", "AF_INET6"):
            return True
        try:
            ip = ipaddress.ip_address(self.address.split("%", 1)[0])
        except ValueError:
            return False  # an address strace could not print is not known to be local
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        return ip.is_loopback

    def line(self) -> str:
        """`<address>:<port> (<family>, pid N, result)` for messages and provenance."""
        where = f"[{self.address}]:{self.port}" if self.family == "AF_INET6" else f"{self.address}:{self.port}"
        return f"{where} ({self.family}, pid {self.pid}, {self.result or 'unfinished'})"


def parse_line(line: str) -> Attempt | None:
    """The connect() attempt on one strace line (None for any other line, and for AF_UNSPEC/AF_UNIX...)."""
    match = _CONNECT.match(line.strip())
    if match is None:
        return None
    family, rest = match["family"], match["rest"]
    if family not in ("AF_INET", "AF_INET6"):
        return Attempt(int(match["pid"] or 0), family, "", 0, "") if family != "AF_UNSPEC" else None
    address = (_V4 if family == "AF_INET" else _V6).search(rest)
    port = _PORT.search(rest)
    result = _RESULT.search(rest)
    return Attempt(int(match["pid"] or 0), family, address["addr"] if address else "?",
                   int(port["port"]) if port else 0, result["result"] if result else "")


def parse_trace(path: Path) -> list[Attempt]:
    """Every connect() attempt in one strace output file ([] when it does not exist)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    return [a for a in map(parse_line, text.splitlines()) if a is not None]


def outward(attempts: list[Attempt]) -> list[Attempt]:
    """The attempts that left loopback (AF_INET not 127/8, AF_INET6 not ::1)."""
    return [a for a in attempts if not a.loopback]
