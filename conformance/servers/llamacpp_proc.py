"""Child process: llama.cpp's C++ HTTP server (from xllamacpp) on 127.0.0.1; prints `LISTENING <url>`, then waits.

Run by conformance.servers.llamacpp, which stops it by its process id (SIGTERM); it also exits by itself when
the process that started it is gone, so an interrupted run leaves no server behind.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from typing import Any

HOST = "127.0.0.1"
THREADS = 2


def params(model: str, alias: str, embedding: bool, port: int) -> Any:
    """Server parameters: one slot, jinja chat templates, loopback only; embedding mode uses the model's pooling."""
    import xllamacpp

    p = xllamacpp.CommonParams()
    p.model.path = model
    p.model_alias = {alias}
    p.hostnames = [HOST]
    p.port = port
    p.n_ctx = 2048
    p.n_parallel = 1
    p.cpuparams.n_threads = THREADS
    p.cpuparams_batch.n_threads = THREADS
    p.use_jinja = True
    p.offline = True
    p.warmup = False
    p.embedding = embedding
    return p


def main(argv: list[str] | None = None) -> int:
    """Start the server and keep the process alive until it is terminated."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True)
    parser.add_argument("--alias", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--embedding", action="store_true")
    args = parser.parse_args(argv)
    import xllamacpp

    parent = os.getppid()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    server = xllamacpp.Server(params(args.model, args.alias, args.embedding, args.port))
    print(f"LISTENING {server.listening_address}", flush=True)
    while os.getppid() == parent:  # never outlive the run that started this server
        time.sleep(1.0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
