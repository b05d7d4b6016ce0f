"""`python -m conformance.servers.peers`: the prepare, record and determinism commands (peers.commands)."""

import sys

from .commands import main

sys.exit(main())
