"""Command line: `python -m conformance.refserver --port 8765 [--fault NAME ...] [--drip S] [--hold S]` until Ctrl-C."""

from __future__ import annotations

import argparse
import contextlib
import threading

from .faults import FAULTS
from .serve import RefServer


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command-line options."""
    parser = argparse.ArgumentParser(prog="python -m conformance.refserver",
                                     description="Serve the conformance reference server on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=8765, help="port on 127.0.0.1 (0 picks a free one)")
    parser.add_argument("--fault", action="append", default=[], metavar="NAME",
                        help="switch a fault on (repeatable); see --list-faults")
    parser.add_argument("--drip", type=float, default=None, metavar="SECONDS",
                        help="pause between the drip faults' comment lines or body bytes")
    parser.add_argument("--hold", type=float, default=None, metavar="SECONDS",
                        help="how long a drip or the black hole keeps a connection at most")
    parser.add_argument("--list-faults", action="store_true", help="print the fault names and exit")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Serve until interrupted; exit status 2 on an unknown fault name."""
    args = parse_args(argv)
    if args.list_faults:
        for fault in FAULTS.all():
            print(f"{fault.name:32} {fault.description}")
        return 0
    try:
        pacing = {k: v for k, v in (("drip_seconds", args.drip), ("hold_seconds", args.hold)) if v is not None}
        server = RefServer(port=args.port, faults=args.fault, **pacing)
    except ValueError as exc:
        print(f"error: {exc}")
        return 2
    with server:
        active = ", ".join(sorted(server.faults)) or "none"
        print(f"reference server at {server.url} (faults: {active}); Ctrl-C to stop", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
