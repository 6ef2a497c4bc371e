#!/usr/bin/env python3
"""How long the build analyses take on a trace, against the bare reader.

  python3 scripts/bench_report.py TRACE [--rounds N]

Each round runs, one after the other: the bare reader (atrace.read, every
record made into its typed event and dropped), `atrace report`'s work
(one pass, jobs, critical path, the HTML page, not written), files.py's
(file accesses and --deps jobs) and slow.py's. Times are CPU seconds of
this process (the trace is read from the page cache after a warm-up
read); the medians of the rounds and each analysis's ratio to the reader
are printed. Alternating the work inside each round spreads the noise of
a shared machine over all of them alike.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout

import atrace
from atrace.analysis.deps import jobs
from atrace.analysis.files import file_accesses
from atrace.analysis.slow import slow_report
from atrace.report.collect import collect
from atrace.report.model import build_report
from atrace.report.page import render


def bare_reader(trace: str) -> int:
    count = 0
    for _event in atrace.read(trace):
        count += 1
    return count


def report(trace: str) -> int:
    reader = atrace.read(trace)
    facts = collect(reader, None, truncated=lambda: reader.truncated)
    return len(render(build_report(facts), "bench"))


def files(trace: str) -> int:
    return len(jobs(file_accesses(atrace.read(trace))))


def slow(trace: str) -> int:
    return len(slow_report(atrace.read(trace)).slowest)


WORK: dict[str, Callable[[str], int]] = {"reader": bare_reader, "report": report, "files.py": files, "slow.py": slow}


def main() -> int:
    parser = argparse.ArgumentParser(prog="bench_report.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("trace")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--only", help="comma-separated subset of: " + ",".join(WORK))
    args = parser.parse_args()
    names = args.only.split(",") if args.only else list(WORK)
    events = bare_reader(args.trace)  # warm-up, and the count
    times: dict[str, list[float]] = {name: [] for name in ["reader", *names] if name in WORK}
    for round_ in range(args.rounds):
        for name in times:
            start = time.process_time()
            WORK[name](args.trace)
            times[name].append(time.process_time() - start)
        print(f"round {round_ + 1}: " + ", ".join(f"{n} {t[-1]:.2f} s" for n, t in times.items()), file=sys.stderr)
    base = statistics.median(times["reader"])
    print(f"{events:,} records, {args.rounds} rounds, median CPU seconds:")
    for name, measured in times.items():
        median = statistics.median(measured)
        rate = events / median / 1e6
        print(f"  {name:<9} {median:7.2f} s  {rate:5.2f} M records/s  ratio to reader {median / base:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
