#!/usr/bin/env python3
"""atrace's start-up: `atrace -e trace=none -o /dev/null true`, handed to the
resident server and in-process (ATRACE_RESIDENT=off), in alternating rounds;
reports the medians of wall time and of CPU time (user + system of atrace
and everything it waited for: its children's rusage) and their ratios.

    scripts/startup_time.py [--rounds N] [--atrace PATH] [--json]

The server is private to the run (a temporary XDG_RUNTIME_DIR) and is
started, and waited for, before the first round; it is stopped at the end.
The server's worker is not the client's child: its CPU time comes from
`atrace resident status` (worker_cpu, added up as the server reaps them),
before and after the rounds, and its mean per run is added to each resident
run's client CPU time.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

COMMAND = ["-e", "trace=none", "-o", "/dev/null", "true"]


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run (CPU from the children's rusage)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, capture_output=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"startup_time: {' '.join(argv)} failed: {done.stderr.decode(errors='replace')}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def status(atrace: str, env: dict[str, str]) -> dict[str, str] | None:
    done = subprocess.run([atrace, "resident", "status"], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        return None
    return dict(line.split(": ", 1) for line in done.stdout.splitlines())


def wait_for_server(atrace: str, env: dict[str, str]) -> None:
    timed([atrace, *COMMAND], env)  # starts it
    deadline = time.monotonic() + 120
    while status(atrace, env) is None:
        if time.monotonic() > deadline:
            sys.exit("startup_time: no resident server 120 s after a first run")
        time.sleep(0.2)


def worker_cpu(atrace: str, env: dict[str, str]) -> tuple[int, float]:
    """Runs served and their workers' CPU time so far (after the server's
    next reaping: it reaps each second)."""
    time.sleep(1.5)
    found = status(atrace, env)
    if found is None:
        sys.exit("startup_time: the resident server went away")
    return int(found["runs"]), float(found["worker_cpu"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--atrace", default=shutil.which("atrace") or "atrace")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    runs_before = runs_after = 0
    cpu_before = cpu_after = 0.0
    with tempfile.TemporaryDirectory() as runtime:
        os.chmod(runtime, 0o700)
        resident = {**os.environ, "XDG_RUNTIME_DIR": runtime, "ATRACE_RESIDENT": "on"}
        local = {**resident, "ATRACE_RESIDENT": "off"}
        wait_for_server(args.atrace, resident)
        samples: dict[str, list[tuple[float, float]]] = {"resident": [], "in-process": []}
        try:
            runs_before, cpu_before = worker_cpu(args.atrace, resident)
            for _ in range(args.rounds):
                samples["resident"].append(timed([args.atrace, *COMMAND], resident))
                samples["in-process"].append(timed([args.atrace, *COMMAND], local))
            runs_after, cpu_after = worker_cpu(args.atrace, resident)
        finally:
            subprocess.run([args.atrace, "resident", "stop"], env=resident, capture_output=True)
    if runs_after - runs_before != args.rounds:
        sys.exit(f"startup_time: the server served {runs_after - runs_before} of {args.rounds} runs")
    per_worker = (cpu_after - cpu_before) / args.rounds
    samples["resident"] = [(wall, cpu + per_worker) for wall, cpu in samples["resident"]]
    medians = {
        name: {"wall": statistics.median(w for w, _ in runs), "cpu": statistics.median(c for _, c in runs)}
        for name, runs in samples.items()
    }
    ratios = {key: medians["in-process"][key] / medians["resident"][key] for key in ("wall", "cpu")}
    if args.json:
        figures = {"rounds": args.rounds, "medians": medians, "worker_cpu_mean": per_worker}
        print(json.dumps({**figures, "in_process_over_resident": ratios}))
        return 0
    print(f"{args.rounds} alternating rounds of: atrace {' '.join(COMMAND)}")
    print(f"{'':12} {'wall (s)':>9} {'cpu (s)':>9}")
    for name, figures in medians.items():
        print(f"{name:12} {figures['wall']:9.3f} {figures['cpu']:9.3f}")
    print(f"{'ratio':12} {ratios['wall']:8.1f}x {ratios['cpu']:8.1f}x  (in-process / resident)")
    print(f"resident CPU: client {medians['resident']['cpu'] - per_worker:.3f} s + worker {per_worker:.3f} s (mean)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
