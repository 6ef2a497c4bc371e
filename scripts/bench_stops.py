#!/usr/bin/env python3
"""Per-stop cost of atrace against strace, in alternating rounds.

A build mixes everything (start-up, forks, execs, memory reads, output); this
isolates the stop loop: tests/programs/stop_loop.c makes N getppid calls (a
stop with nothing to read) or N openat+close pairs (a path read at each
openat entry), and each tracer runs it with output to a file:

  full        every call stops (entry and exit)
  seccomp     -e trace=openat under seccomp-bpf (strace: --seccomp-bpf):
              only the traced calls stop

Each round runs every configuration once, in a rotated order (the machine's
load drifts; alternating spreads it over all). Reported per workload: the
median wall time and the median CPU time (user+sys of the tracer and the
tracee, from wait4: the tracee's own work is the same under both tracers),
their ratios atrace/strace, and each tracer's cost per stop in
microseconds, its start-up taken out: (the run on N calls - the same
tracer's run on none) / stops, and the ratio of those. Ratios of medians, never timed assertions.
atrace runs from a bytecode cache of its own (PYTHONPYCACHEPREFIX), filled
by an untimed first run, as an installed atrace would, and in-process
(ATRACE_RESIDENT=off), so that wait4 counts the tracer's CPU.

  python3 scripts/bench_stops.py --rounds 5 --calls 100000
  python3 scripts/bench_stops.py --atrace /other/checkout/.venv/bin/atrace
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TypeVar

REPO_ROOT = Path(__file__).resolve().parent.parent
SOURCE = REPO_ROOT / "tests" / "programs" / "stop_loop.c"
# (workload name, stop_loop's call kind, tracer options of both tracers,
# strace's extra options, stops per call made)
WORKLOADS: tuple[tuple[str, str, list[str], list[str], int], ...] = (
    ("getppid full", "getppid", [], [], 2),
    ("openat full", "openat", [], [], 4),
    ("openat seccomp", "openat", ["-e", "trace=openat"], ["--seccomp-bpf"], 2),
)


R = TypeVar("R")  # how a configuration is run (its argv, or argv and environment)


class BenchError(Exception):
    """Said in one line: `bench_stops.py: error: ...`."""


def compile_program(scratch: Path) -> Path:
    binary = scratch / "stop_loop"
    try:
        done = subprocess.run(["gcc", "-O2", "-o", str(binary), str(SOURCE)], capture_output=True, text=True)
    except OSError as err:
        raise BenchError(f"gcc: {err.strerror}") from None
    if done.returncode != 0:
        raise BenchError(f"gcc failed on {SOURCE.name}: {one_line(done.stderr)}")
    return binary


def one_line(text: str) -> str:
    return " ".join(text.split())[-300:]


# Where every configuration runs. Not the benchmark's own cwd: from a
# checkout's root, `python -m atrace` (a --baseline CMD on another
# checkout's PYTHONPATH) imports the checkout in its cwd first, so the
# baseline would silently be the code under test.
RUN_DIR = "/"


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU (user+sys of the process and what it reaped) seconds."""
    with tempfile.TemporaryFile() as errors:
        start = time.monotonic()
        try:
            proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=errors, env=env, cwd=RUN_DIR)
        except OSError as err:
            raise BenchError(f"{argv[0]}: {err.strerror}") from None
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.monotonic() - start
        proc.returncode = code = os.waitstatus_to_exitcode(status)  # (reaped here, not by Popen)
        errors.seek(0)
        err_text = errors.read().decode(errors="replace")
    if code != 0:
        raise BenchError(f"{' '.join(argv)} failed (exit {code}): {one_line(err_text)}")
    return wall, usage.ru_utime + usage.ru_stime


def alternated(runs: Mapping[str, R], rounds: int,
               run: Callable[[R], tuple[float, float]]) -> tuple[dict[str, float], dict[str, float]]:  # fmt: skip
    """Median wall and CPU time of each configuration over `rounds` rounds,
    each round running every one once in a rotated order (the machine's load
    drifts; alternating spreads it over all)."""
    order = list(runs)
    walls: dict[str, list[float]] = {c: [] for c in order}
    cpus: dict[str, list[float]] = {c: [] for c in order}
    for rnd in range(rounds):
        for config in order[rnd % len(order) :] + order[: rnd % len(order)]:
            wall, cpu = run(runs[config])
            walls[config].append(wall)
            cpus[config].append(cpu)
    return ({c: statistics.median(v) for c, v in walls.items()},
            {c: statistics.median(v) for c, v in cpus.items()})  # fmt: skip


def configs(atrace: str, strace: str, program: Path, out: Path, kind: str, calls: int,
            options: list[str], strace_extra: list[str]) -> dict[str, list[str]]:  # fmt: skip
    """Each tracer on N calls, and on none: the difference is the stops'
    cost without the tracer's start-up (atrace's is ~0.4 s of CPU)."""
    found = {}
    for suffix, count in (("", calls), ("-0", 0)):
        target = [str(program), kind, str(count)]
        found["untraced" + suffix] = target
        found["atrace" + suffix] = [atrace, "-f", "-o", str(out / "trace.msgpack"), *options, "--", *target]
        found["strace" + suffix] = [strace, "-f", "-o", str(out / "trace.txt"), *strace_extra, *options, "--", *target]
    del found["untraced-0"]
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench_stops.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("--rounds", type=int, default=5, help="rounds (default: 5)")
    parser.add_argument("--calls", type=int, default=100_000, help="calls per run (default: 100000)")
    parser.add_argument("--atrace", default=shutil.which("atrace") or str(REPO_ROOT / ".venv" / "bin" / "atrace"),
                        help="the atrace to measure (default: on PATH, else this checkout's .venv)")  # fmt: skip
    parser.add_argument("--strace", default=shutil.which("strace") or "strace", help="the strace to compare with")
    parser.add_argument("--only", help="run only the workloads whose name contains this")
    opts = parser.parse_args(argv)
    try:
        measure(opts)
    except BenchError as err:
        print(f"bench_stops.py: error: {err}", file=sys.stderr)
        return 1
    return 0


def measure(opts: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="bench_stops.") as tmp:
        scratch = Path(tmp)
        program = compile_program(scratch)
        # As bench.py does for an atrace command: a checkout nobody compiled
        # would compile its modules at every start under
        # PYTHONDONTWRITEBYTECODE, which an installed atrace never does. A
        # bytecode cache of its own, filled by an untimed first run.
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(scratch / "pycache")
        # In-process: a run the resident server served would have its tracer
        # in the server's worker, whose CPU wait4 does not count. (The run
        # on no calls takes the in-process start-up out again.)
        env["ATRACE_RESIDENT"] = "off"
        for tracer in ("atrace", "strace"):
            timed(configs(opts.atrace, opts.strace, program, scratch, "getppid", 0, [], [])[tracer], env)
        for name, kind, options, strace_extra, per_call in WORKLOADS:
            if opts.only and opts.only not in name:
                continue
            runs = configs(opts.atrace, opts.strace, program, scratch, kind, opts.calls, options, strace_extra)
            wall_m, cpu_m = alternated(runs, opts.rounds, lambda argv: timed(argv, env))
            stops = opts.calls * per_call
            print(f"{name}: {opts.calls} calls, {opts.rounds} rounds")
            per_stop = {}
            for c in ("untraced", "atrace", "strace"):
                line = f"  {c:9} wall {wall_m[c]:7.3f} s  cpu {cpu_m[c]:7.3f} s"
                if c != "untraced":
                    # Start-up taken out: the same tracer on no calls.
                    per_stop[c] = (1e6 * (wall_m[c] - wall_m[c + "-0"]) / stops,
                                   1e6 * (cpu_m[c] - cpu_m[c + "-0"]) / stops)  # fmt: skip
                    line += f"  per stop: wall {per_stop[c][0]:6.2f} us, cpu {per_stop[c][1]:6.2f} us"
                print(line)
            print(f"  atrace/strace: wall {wall_m['atrace'] / wall_m['strace']:.3f}"
                  f"  cpu {cpu_m['atrace'] / cpu_m['strace']:.3f}"
                  f"  per stop: wall {per_stop['atrace'][0] / per_stop['strace'][0]:.3f}"
                  f"  cpu {per_stop['atrace'][1] / per_stop['strace'][1]:.3f}")  # fmt: skip
            sys.stdout.flush()


if __name__ == "__main__":
    sys.exit(main())
