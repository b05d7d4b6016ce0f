"""Measurement: the requests and tokens one full live run of a target charges, against issue 13's goal.

Usage: python benchmarks/live_budget.py [--target reference] [-k EXPR] [--require]

It records the target into a temporary folder (`conformance record --cassette-dir TMP --report-dir TMP`, so the
shipped cassettes and reports stay untouched) with a budget too large to refuse anything, then prints what the
budget charged (requests; tokens as the budget counts them: each request's declared bound, or what the provider
reported when that is more), the tokens the provider itself reported, and the requests per surface. A target with
a local server starts it on loopback; run llama.cpp inside a network namespace as the README says:
`unshare -n sh -c 'ip link set lo up && python benchmarks/live_budget.py --target llamacpp'`.
Exit status 1 only with --require and a run above the goal (100 requests, 25,000 tokens).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

GOAL_REQUESTS = 100
GOAL_TOKENS = 25_000
UNLIMITED = ("--max-requests", "1000000", "--max-tokens", "1000000000")


def main(argv: list[str] | None = None) -> int:
    """Record once, print the charged and reported cost; return 1 when --require is not met."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", default="reference", help="bundled target or profile path (default reference)")
    parser.add_argument("-k", dest="keyword", default=None, help="only these rows (a pytest -k expression)")
    parser.add_argument("--require", action="store_true", help="exit 1 when the run is above the goal")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="live-budget-") as tmp:
        command = [sys.executable, "-m", "conformance", "record", "--target", args.target, "--cassette-dir",
                   str(Path(tmp) / "cassettes"), "--report-dir", str(Path(tmp) / "reports"), "--baseline", "none",
                   "-q", *UNLIMITED, *(["-k", args.keyword] if args.keyword else [])]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        report = Path(tmp) / "reports" / "compat.json"
        if not report.is_file():
            print(f"live_budget: the record run wrote no report (exit {done.returncode}): "
                  f"{(done.stderr.strip().splitlines() or ['no output'])[-1]}", file=sys.stderr)
            return 2
        target = next(t for t in json.loads(report.read_text(encoding="utf-8"))["targets"]
                      if t.get("mode") == "record")
    budget = target.get("budget") or {}
    requests, tokens = int(budget.get("charged_requests", 0)), int(budget.get("charged_tokens", 0))
    print(f"{target['name']}: one full live run charges {requests} requests and {tokens} tokens "
          f"(goal: {GOAL_REQUESTS} requests, {GOAL_TOKENS} tokens)")
    print(f"  tokens the provider reported: {target['prompt_tokens']} prompt + {target['completion_tokens']} "
          f"completion = {target['prompt_tokens'] + target['completion_tokens']}")
    for surface, usage in sorted(target.get("usage", {}).items(), key=lambda kv: -kv[1]["requests"]):
        reported = usage["prompt_tokens"] + usage["completion_tokens"]
        print(f"  {surface:<14} {usage['requests']:>4} requests  {reported:>6} reported tokens")
    within = requests <= GOAL_REQUESTS and tokens <= GOAL_TOKENS
    print(f"  {'within' if within else 'above'} the goal")
    return 1 if args.require and not within else 0


if __name__ == "__main__":
    raise SystemExit(main())
