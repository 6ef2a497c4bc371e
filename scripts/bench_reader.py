#!/usr/bin/env python3
"""Measure how fast atrace.read turns a trace into Python event objects.

  python3 scripts/bench_reader.py TRACE [--rounds N]
  python3 scripts/bench_reader.py --lua          trace the Lua build first

The trace is read from the page cache (one warm-up read), then read N times;
the best round is reported, in events per second, next to msgpack alone
(the lower bound on the cost: decoding without making typed events) and to
pairing the calls (atrace.calls). --lua copies the Lua workload from
~/.cache/atrace-workloads (or $ATRACE_WORKLOADS) to a temporary directory,
builds it under `atrace -f -o`, and measures that trace.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))  # run from a checkout

import msgpack  # noqa: E402

import atrace  # noqa: E402

PROG = "bench_reader.py"


def best_rate(rounds: int, work: Callable[[], int]) -> tuple[float, int]:
    best = float("inf")
    count = 0
    for _ in range(rounds):
        start = time.perf_counter()
        count = work()
        best = min(best, time.perf_counter() - start)
    return count / best, count


def read_events(path: Path) -> int:
    return sum(1 for _event in atrace.read(path))


def msgpack_only(path: Path) -> int:
    with open(path, "rb") as f:
        return sum(1 for _record in msgpack.Unpacker(f, raw=False, strict_map_key=False, read_size=1 << 20))


def paired_calls(path: Path) -> int:
    return sum(1 for _call in atrace.calls(atrace.read(path)))


def trace_lua(tmp: Path) -> Path:
    cache = Path(os.environ.get("ATRACE_WORKLOADS", Path.home() / ".cache" / "atrace-workloads"))
    source = cache / "lua-5.4.4"
    if not source.is_dir():
        raise SystemExit(f"{PROG}: no Lua workload at {source} (run ../shared/bench/get-workloads)")
    root = tmp / "lua-5.4.4"
    shutil.copytree(source, root)
    trace = tmp / "lua.atrace"
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT))
    subprocess.run([sys.executable, "-m", "atrace", "-f", "-o", str(trace), "make", "-C", "src", "-j2", "linux"],
                   cwd=root, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    return trace


def main() -> int:
    parser = argparse.ArgumentParser(
        prog=PROG, description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("trace", nargs="?", help="trace file to read")
    parser.add_argument("--lua", action="store_true", help="trace the Lua build and measure that")
    parser.add_argument("--rounds", type=int, default=5, help="reads per measurement (default 5; the best counts)")
    args = parser.parse_args()
    if not args.trace and not args.lua:
        parser.error("give a TRACE or --lua")
    with tempfile.TemporaryDirectory(prefix="atrace-bench-") as tmp:
        path = trace_lua(Path(tmp)) if args.lua else Path(args.trace)
        try:
            read_events(path)  # warm the page cache
        except atrace.TraceFormatError as err:
            print(f"{PROG}: {err}", file=sys.stderr)
            return 1
        size = path.stat().st_size
        print(f"{path.name}: {size / 1e6:.1f} MB")
        for label, work in (
            ("atrace.read -> typed events", read_events),
            ("msgpack.Unpacker alone", msgpack_only),
            ("atrace.calls (paired)", paired_calls),
        ):
            rate, count = best_rate(args.rounds, lambda w=work: w(path))  # type: ignore[misc]
            print(f"  {label:<30} {count:>9} items  {rate / 1e6:6.2f} M/s  {rate * size / count / 1e6:7.1f} MB/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
