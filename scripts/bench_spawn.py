#!/usr/bin/env python3
"""Per-process cost of `-f -e trace=%process` under seccomp-bpf, in
alternating rounds: atrace against `strace -f --seccomp-bpf` and untraced.

Under seccomp with a process-lifecycle set, a build's cost is per process
(fork, exec, exit) and per run (start-up, teardown), not per syscall. The
workload isolates that: `sh -c` running `/bin/true` N times in a loop (a
fork, an exec and an exit per process, nothing else), and the same shell
with N = 0, so that each configuration's start-up can be taken out:

  untraced       the shell alone
  strace         strace -f --seccomp-bpf -e trace=%process -o FILE
  atrace         atrace -f -e trace=%process -o FILE, as users run it
                 (handed to the resident server: only the thin client is
                 the benchmark's child, so its CPU figure is the client's)
  atrace-inproc  the same with ATRACE_RESIDENT=off: the tracer is the
                 benchmark's child, and its CPU is counted
  baseline, baseline-inproc   the same for --baseline CMD (another atrace,
                 e.g. another checkout: a change's effect, alternating)

Each round runs every configuration once, in a rotated order. Reported:
the median wall and CPU time (user+sys of the process tree, from wait4) of
each, the cost per process with the start-up taken out ((the run on N -
the run on 0) / N), what a process costs over untraced, each tracer's
start-up (the run on 0), and the ratios. With --counts, one untimed run of
each tracer under `perf stat` counts per process its wait4 and ptrace
calls, and the wait4 calls that returned a pid (stops and deaths seen; the
untraced shell's own wait4s taken out). Ratios of medians, never timed
assertions.

  python3 scripts/bench_spawn.py --rounds 5 --processes 1000
  python3 scripts/bench_spawn.py --baseline /work/main/.venv/bin/atrace --counts
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

# (run as a script: its directory is on sys.path)
from bench_stops import RUN_DIR, BenchError, alternated, one_line, timed

REPO_ROOT = Path(__file__).resolve().parent.parent
TRACE_OPTIONS = ["-f", "-e", "trace=%process"]
# perf's tracepoints: every wait4 and ptrace call, and the wait4 calls
# that returned a pid (a stop or a death the tracer was told of).
COUNTERS = ("syscalls:sys_enter_wait4", "syscalls:sys_enter_ptrace", "syscalls:sys_exit_wait4")


def workload(processes: int) -> list[str]:
    # A counter, not $(seq N): seq would be one more process of its own.
    return ["sh", "-c", f'i=0; while [ "$i" -lt {processes} ]; do /bin/true; i=$((i+1)); done']


def configs(opts: argparse.Namespace, out: Path, processes: int) -> dict[str, tuple[list[str], dict[str, str]]]:
    """Every configuration's command line and environment."""
    # A checkout run under PYTHONDONTWRITEBYTECODE would compile its modules
    # at every start, which an installed atrace never does: a bytecode
    # cache of the run's own (PYTHONPYCACHEPREFIX), filled by untimed runs.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(out / "pycache")
    served = {**env, "XDG_RUNTIME_DIR": str(out / "runtime"), "ATRACE_RESIDENT": "on"}
    inproc = {**served, "ATRACE_RESIDENT": "off"}
    target = workload(processes)
    found = {
        "untraced": (target, served),
        "strace": ([opts.strace, *TRACE_OPTIONS, "--seccomp-bpf", "-o", str(out / "trace.txt"), *target], served),
    }
    tracers = {"atrace": opts.atrace} | ({"baseline": opts.baseline} if opts.baseline else {})
    for name, command in tracers.items():
        argv = [*command.split(), *TRACE_OPTIONS, "-o", str(out / f"{name}.msgpack"), *target]
        found[name] = (argv, served)
        found[name + "-inproc"] = (argv, inproc)
    return found


def wait_for_servers(opts: argparse.Namespace, out: Path) -> None:
    """A first run of each atrace starts its resident server; wait until it
    answers, so that no timed run is the one that starts it. (An in-process
    run first fills the bytecode cache.)"""
    runs = configs(opts, out, 0)
    for name in ("atrace", "baseline"):
        if name not in runs:
            continue
        timed(*runs[name + "-inproc"])
        argv, env = runs[name]
        timed(argv, env)
        command = opts.atrace if name == "atrace" else opts.baseline
        deadline = time.monotonic() + 120
        status = [*command.split(), "resident", "status"]
        while subprocess.run(status, env=env, capture_output=True, cwd=RUN_DIR).returncode:
            if time.monotonic() > deadline:
                raise BenchError(f"{command}: no resident server 120 s after a first run")
            time.sleep(0.2)


def stop_servers(opts: argparse.Namespace, out: Path) -> None:
    env = configs(opts, out, 0)["atrace"][1]
    for command in filter(None, (opts.atrace, opts.baseline)):
        with contextlib.suppress(OSError):  # (a missing atrace was said already)
            subprocess.run([*command.split(), "resident", "stop"], env=env, capture_output=True, cwd=RUN_DIR)


def counted(argv: list[str], env: dict[str, str]) -> dict[str, int]:
    """One run under `perf stat`: the calls of COUNTERS (the last one only
    where it returned a pid), over the whole process tree."""
    events = []
    for event in COUNTERS:
        events += ["-e", event] + (["--filter", "ret > 0"] if event.startswith("syscalls:sys_exit") else [])
    with tempfile.NamedTemporaryFile(mode="r") as report:
        perf = ["perf", "stat", "-x", ",", "-o", report.name, *events, "--", *argv]
        done = subprocess.run(perf, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, cwd=RUN_DIR)
        if done.returncode != 0:
            raise BenchError(f"perf stat failed (exit {done.returncode}): {one_line(done.stderr)}")
        text = report.read()
    found = {}
    for line in text.splitlines():
        fields = line.split(",")
        if len(fields) > 2 and fields[2] in COUNTERS and re.fullmatch(r"\d+", fields[0]):
            found[fields[2]] = int(fields[0])
    if len(found) != len(COUNTERS):
        raise BenchError(f"perf stat gave no counts: {one_line(text)}")
    return found


def print_counts(opts: argparse.Namespace, out: Path) -> None:
    runs = configs(opts, out, opts.processes)
    base = counted(*runs["untraced"])
    print("calls per process, one run of each under perf stat (the untraced shell's own taken out):")
    print(f"  {'':15} {'wait4':>8} {'ptrace':>8} {'stops+deaths':>13}")
    for name in [c for c in ("strace", "atrace-inproc", "baseline-inproc") if c in runs]:
        calls = counted(*runs[name])
        wait4, ptrace, found = ((calls[c] - base[c]) / opts.processes for c in COUNTERS)
        print(f"  {name:15} {wait4:8.1f} {ptrace:8.1f} {found:13.1f}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench_spawn.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("--rounds", type=int, default=5, help="rounds (default: 5)")
    parser.add_argument("--processes", type=int, default=1000, help="processes per run (default: 1000)")
    parser.add_argument("--atrace", default=shutil.which("atrace") or str(REPO_ROOT / ".venv" / "bin" / "atrace"),
                        help="the atrace command to measure (default: on PATH, else this .venv's)")  # fmt: skip
    parser.add_argument("--baseline", help="another atrace command, measured alongside")
    parser.add_argument("--strace", default=shutil.which("strace") or "strace", help="the strace to compare with")
    parser.add_argument("--counts", action="store_true", help="also count calls per process with perf stat")
    parser.add_argument("--configs", help="only these configurations, comma-separated (untraced is always run)")
    opts = parser.parse_args(argv)
    if opts.processes < 1 or opts.rounds < 1:
        parser.error("--processes and --rounds must be at least 1")
    try:
        with tempfile.TemporaryDirectory(prefix="bench_spawn.") as tmp:
            out = Path(tmp)
            (out / "runtime").mkdir(mode=0o700)
            try:
                wait_for_servers(opts, out)
                measure(opts, out)
                if opts.counts:
                    print_counts(opts, out)
            finally:
                stop_servers(opts, out)
    except BenchError as err:
        print(f"bench_spawn.py: error: {err}", file=sys.stderr)
        return 1
    return 0


def measure(opts: argparse.Namespace, out: Path) -> None:
    chosen = {"untraced", *opts.configs.split(",")} if opts.configs else None
    runs = {
        name: run
        for count in (opts.processes, 0)
        for name, run in suffixed(configs(opts, out, count), count)
        if chosen is None or name.removesuffix("-0") in chosen
    }
    order = list(runs)
    print(f"uptime at start: {os.getloadavg()[0]:.2f}")
    wall_m, cpu_m = alternated(runs, opts.rounds, lambda run: timed(*run))
    n = opts.processes
    print(f"{n} processes, {opts.rounds} rounds; load average at end: {os.getloadavg()[0]:.2f}")
    print(f"  {'':15} {'wall s':>8} {'cpu s':>8} {'start wall ms':>14} {'start cpu ms':>13}"
          f" {'per process: wall us':>21} {'cpu us':>7} {'over untraced: wall us':>23} {'cpu us':>7}")  # fmt: skip
    per = {}
    for c in [name for name in order if not name.endswith("-0")]:
        per[c] = (1e6 * (wall_m[c] - wall_m[c + "-0"]) / n, 1e6 * (cpu_m[c] - cpu_m[c + "-0"]) / n)
        over = (per[c][0] - per["untraced"][0], per[c][1] - per["untraced"][1])
        print(f"  {c:15} {wall_m[c]:8.3f} {cpu_m[c]:8.3f} {1e3 * wall_m[c + '-0']:14.1f} {1e3 * cpu_m[c + '-0']:13.1f}"
              f" {per[c][0]:21.1f} {per[c][1]:7.1f} {over[0]:23.1f} {over[1]:7.1f}")  # fmt: skip
    for c in [name for name in per if name.startswith(("atrace", "baseline")) and "strace" in per]:
        print(f"  {c}/strace: wall {wall_m[c] / wall_m['strace']:.3f}  per process: wall"
              f" {per[c][0] / per['strace'][0]:.3f};"
              f" {c}/untraced: wall {wall_m[c] / wall_m['untraced']:.3f}")  # fmt: skip
    for c in ("", "-inproc"):
        if "atrace" + c in per and "baseline" + c in per:
            print(f"  atrace{c}/baseline{c}: wall {wall_m['atrace' + c] / wall_m['baseline' + c]:.3f}"
                  f"  cpu {cpu_m['atrace' + c] / cpu_m['baseline' + c]:.3f}"
                  f"  per process: wall {per['atrace' + c][0] / per['baseline' + c][0]:.3f}"
                  f"  cpu {per['atrace' + c][1] / per['baseline' + c][1]:.3f}")  # fmt: skip
    sys.stdout.flush()


Run = tuple[list[str], dict[str, str]]


def suffixed(found: dict[str, Run], count: int) -> list[tuple[str, Run]]:
    """The configurations on N processes as they are, those on none as NAME-0."""
    return [(name if count else name + "-0", run) for name, run in found.items()]


if __name__ == "__main__":
    sys.exit(main())
