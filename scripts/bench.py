#!/usr/bin/env python3
"""Benchmark atrace against strace on a real build, in alternating rounds.

Run `python3 scripts/bench.py --help` for the full description.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path

PROG = "bench.py"
REPO_ROOT = Path(__file__).resolve().parent.parent
# The trace sets are atrace's (stdlib-only module): read from this checkout
# even when the interpreter running this script has no atrace installed.
sys.path.insert(0, str(REPO_ROOT))
from atrace.filters import NAMED_SETS  # noqa: E402 (needs the path above)

# CI and developers get the shared/ folder next to the repository checkout.
DEFAULT_GET_WORKLOADS = REPO_ROOT.parent / "shared" / "bench" / "get-workloads"
LUA_DIR = "lua-5.4.4"
ZLIB_DIR = "zlib-1.2.13"
# Tracing `true` takes well under a second; a tracer still running after
# this long is hung, and the builds would hang too.
PREFLIGHT_TIMEOUT = 60.0
# The file analyses' calls, as atrace names them (%deps: file names, and the
# fd bookkeeping that resolves relative paths), spelled out for strace, which
# takes the same `?name` for a call one architecture lacks.
FILE_SET = ",".join(NAMED_SETS["%deps"])
# Tracer options of each traced configuration, after the tracer's name:
# `-e trace=` sets, with seccomp-bpf for strace (atrace uses it by itself
# whenever a set is given with -f).
SET_OPTIONS = {
    "strace": [],
    "atrace": [],
    "atrace-process": ["-e", "trace=%process"],
    "strace-process": ["--seccomp-bpf", "-e", "trace=%process"],
    "atrace-files": ["-e", f"trace={FILE_SET}"],
    "strace-files": ["--seccomp-bpf", "-e", f"trace={FILE_SET}"],
    # another atrace (--baseline CMD: say main's checkout), as atrace
    "baseline": [],
}
ALL_CONFIGS = ("untraced", *SET_OPTIONS, "ptrace-strace", "floor", "floor-files")
# The least a Python tracer can do (scripts/floor_tracer.py): run by this
# interpreter, which has atrace's package (the floor uses its bindings).
FLOOR_TRACER = Path(__file__).resolve().parent / "floor_tracer.py"
DEFAULT_CONFIGS = ("untraced", "strace", "atrace")
# Ratios of medians reported when both configurations were measured.
RATIOS = (
    ("atrace", "strace"),
    ("strace", "untraced"),
    ("atrace", "untraced"),
    ("ptrace-strace", "atrace"),
    ("atrace", "baseline"),
    ("atrace-process", "untraced"),
    ("atrace-process", "strace-process"),
    ("atrace-files", "strace-files"),
    ("atrace", "atrace-process"),
    ("floor", "strace"),
    ("atrace", "floor"),
    ("floor-files", "strace-files"),
    ("atrace-files", "floor-files"),
)
# strace's own test programs for the text path (built by
# shared/strace-suite/run.sh), with the options their tests give strace.
SUITE_DIR = Path.home() / ".cache" / "atrace-strace-suite" / "strace-6.1" / "tests"
SUITE_PROGRAMS = {
    "printstrn-umoven": ["-s4096", "-e", "signal=none", "-e", "trace=add_key"],
    "printpath-umovestr": ["-a11", "-e", "signal=none", "-e", "trace=chdir"],
}
# --workload all: every measurement of issue 9 in one command, each
# workload with the configurations its ratios need.
EVERY_CONFIG = ("untraced", "strace", "atrace", "atrace-process", "strace-process", "atrace-files", "strace-files",
                "floor", "floor-files")  # fmt: skip
ALL_WORKLOADS = {
    "lua": EVERY_CONFIG,
    "zlib": EVERY_CONFIG,
    "printstrn-umoven": ("strace", "atrace"),
    "printpath-umovestr": ("strace", "atrace"),
}

DESCRIPTION = """\
Benchmark atrace against strace (and optionally python-ptrace's strace.py)
on a real build.

The machines this runs on are shared and noisy, so absolute times are only
meaningful within one run: compare the ratios printed at the end, never
times from different runs. To spread the noise evenly, every round runs each
configuration once, and the order rotates from round to round so that no
configuration always runs first (round 1: untraced, strace, atrace;
round 2: strace, atrace, untraced; ...).

Configurations (--configs, comma separated):
  untraced       the build alone
  strace         strace -f -o FILE <build>
  atrace         <atrace> -f -o FILE <build>, where <atrace> is
                 `python -m atrace` (this interpreter) unless --atrace is given
  ptrace-strace  python-ptrace's own `strace.py -f -o FILE -- <build>`; it is
                 about 30 times slower than atrace, so it only runs when named
                 in --configs or with --with-python-ptrace
  atrace-process   atrace -f -e trace=%process (seccomp-bpf: automatic)
  strace-process   strace -f --seccomp-bpf -e trace=%process
  atrace-files     atrace -f -e trace=FILES (the file analyses' calls,
                   atrace's %deps: %file, close, the dup family, fcntl,
                   fchdir and the calls that make fds, spelled out)
  strace-files     strace -f --seccomp-bpf -e trace=FILES
  floor          scripts/floor_tracer.py <build>: a stop loop in Python that
                 follows the whole tree and stops at every call as full
                 tracing does, but records nothing: the least any Python
                 tracer pays, so floor/strace says what the language costs
                 and atrace/floor what atrace's own work per stop costs
  floor-files    the same under seccomp-bpf with the file set (--seccomp
                 FILES --read-paths: only those calls stop, and each path
                 argument is read at entry): the floor of atrace-files
  baseline       another atrace, given with --baseline CMD (another checkout
                 or version), run exactly as the atrace configuration: a
                 change's effect measured in alternating rounds

Workloads (--workload):
  lua   (default) Lua 5.4.4 from shared/bench/get-workloads (DEST/lua-5.4.4):
        `make -C src -jJ linux`. In 5.4.4 the `linux` target is an alias of
        `linux-noreadline`, so no readline headers are needed.
  zlib  zlib 1.2.13 from the same place: `./configure && make -jJ` (configure
        is a fork-heavy shell script: timed too, under the tracer).
  cmd   an arbitrary command given after `--`, run in the current directory
        with nothing cleaned between runs: bench.py --workload cmd -- ARGS...
  printstrn-umoven, printpath-umovestr
        the text path: strace's own test programs (98,330 add_key calls with
        4 KiB strings; 65,523 chdir calls with long paths) from --suite-dir,
        traced without -f and with the options their tests use; strace
        writes text with -o, atrace with --text -o.
  all   every workload above but cmd, one after the other, each with the
        configurations of issue 9's ratios (lua and zlib: all seven but
        ptrace-strace; the two text programs: strace and atrace); --configs
        is ignored, --json-dir DIR gets one WORKLOAD.json per workload for
        scripts/bench_table.py.

J is --jobs (default 2). Before every timed build, in every round and for
every configuration, the tree is cleaned untimed (`make -C src clean` for
lua, `make distclean` for zlib), so each one builds (and configures) from
scratch. Builds run in
a private copy of the tree, made untimed in a temporary directory, so the
downloaded tree stays untouched and two benchmarks can run at once (though
they then slow each other down). --warmup untraced builds (default 1) run
first and are discarded, so the first timed run does not pay for a cold
cache.

The default atrace's modules are compiled first (`compileall`, as pip does
at install), so that it does not compile them at every start when
PYTHONDONTWRITEBYTECODE is set; an atrace given with --atrace or
--baseline then gets a bytecode cache of its own (PYTHONPYCACHEPREFIX, in
the benchmark's temporary directory), filled by its first run on `true`.
Each tracer is first tried on `true`, so a missing or broken one (say
`python -m atrace` before the tracer exists) fails in seconds. The build's
stdout and stderr go to a log file, not the terminal; a run that exits
non-zero, traced or not, aborts the benchmark with a one-line error naming
the kept log. Traces are written to a temporary directory and deleted after
each run; only their sizes are kept.

Output: one progress line per run on stderr; on stdout a table with, per
configuration, the median, min and max wall time (seconds, time.perf_counter
around subprocess.run), the median CPU time (user + system of the whole
process tree, from RUSAGE_CHILDREN; for a run atrace's resident server
served, plus its worker's, the tracer: the difference of the server's
`atrace resident status` worker_cpu before and after the run, read once the
server has reaped the worker) and the median trace size, then the
ratios of medians: atrace/strace, strace/untraced, atrace/untraced, and
ptrace-strace/atrace when measured, of wall time and of CPU time, and the
load average before and after. On a
machine that other jobs load, wall time follows the CPU share a run gets
and CPU time is the steadier measure. --json PATH also writes every run's
raw numbers and the summary.
"""

EPILOG = """\
examples:
  python3 scripts/bench.py                            # Lua, 5 rounds
  python3 scripts/bench.py --rounds 1 --configs untraced,strace
  python3 scripts/bench.py --workload zlib --with-python-ptrace --json out.json
  python3 scripts/bench.py --atrace 'atrace --some-flag' --rounds 3
  python3 scripts/bench.py --workload cmd --configs untraced,strace -- /bin/true
  python3 scripts/bench.py --workload all --json-dir out/ && python3 scripts/bench_table.py out/*.json
"""


class BenchError(Exception):
    """A failure reported as a one-line error; the benchmark stops."""


@dataclass(frozen=True)
class Workload:
    """What to build, and how to get it back to a clean state."""

    name: str
    source: Path  # the downloaded tree (or the current directory for cmd)
    cwd: Path  # where the build runs: a private copy of source
    build: list[str]
    prepare: list[str] | None = None  # once, untimed (e.g. ./configure)
    reset: list[str] | None = None  # before every timed build, untimed
    # Tracer options the workload needs: -f for builds; the text path's
    # programs run with their tests' options and text output instead.
    trace_options: tuple[str, ...] = ("-f",)
    text: bool = False


@dataclass
class Run:
    """One timed build under one configuration."""

    round: int
    config: str
    seconds: float
    trace_bytes: int | None
    cpu_seconds: float = 0.0


@dataclass
class Summary:
    """Statistics of one configuration over all rounds."""

    config: str
    runs: int
    median_s: float
    min_s: float
    max_s: float
    median_trace_bytes: float | None
    median_cpu_s: float = 0.0


@dataclass
class Options:
    """Parsed command line, split from argparse's Namespace for typing."""

    workload: str
    command: list[str]
    rounds: int
    warmup: int
    jobs: int
    configs: list[str]
    atrace: list[str] | None
    workloads_dir: Path | None
    get_workloads: Path
    json_path: Path | None
    json_dir: Path | None = None
    baseline: list[str] | None = None
    suite_dir: Path = SUITE_DIR


# ---------------------------------------------------------------- arguments


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        usage=f"{PROG} [options] [-- ARGS...]",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--workload",
        choices=("lua", "zlib", "cmd", *SUITE_PROGRAMS, "all"),
        default="lua",
        help="what to build (default: lua; cmd takes the command after --)",
    )
    parser.add_argument("--rounds", type=positive_int, default=5, help="rounds (default: 5)")
    parser.add_argument(
        "--configs",
        default=",".join(DEFAULT_CONFIGS),
        help="comma-separated configurations, in round-1 order, from "
        f"{', '.join(ALL_CONFIGS)} (default: {','.join(DEFAULT_CONFIGS)})",
    )
    parser.add_argument(
        "--with-python-ptrace",
        action="store_true",
        help="add the slow ptrace-strace configuration (python-ptrace's strace.py)",
    )
    parser.add_argument(
        "--atrace",
        metavar="CMD",
        help="command that runs atrace, split like a shell would "
        "(default: this Python with -m atrace, the repository on PYTHONPATH)",
    )
    parser.add_argument(
        "--baseline",
        metavar="CMD",
        help="command that runs the atrace of the baseline configuration, split like a shell would "
        "(e.g. 'env PYTHONPATH=../main python3 -m atrace')",
    )
    parser.add_argument(
        "--jobs",
        type=positive_int,
        default=2,
        help="make -j for the lua and zlib builds (default: 2, the core count of the project's machines)",
    )
    parser.add_argument(
        "--warmup",
        type=non_negative_int,
        default=1,
        help="untraced builds run first and discarded, to warm the page cache (default: 1)",
    )
    parser.add_argument(
        "--workloads-dir",
        type=Path,
        metavar="DIR",
        help="where lua-5.4.4/zlib-1.2.13 are; default: the directory that "
        "get-workloads prints (it downloads them the first time)",
    )
    parser.add_argument(
        "--get-workloads",
        type=Path,
        default=DEFAULT_GET_WORKLOADS,
        metavar="PATH",
        help=f"the get-workloads script (default: {DEFAULT_GET_WORKLOADS})",
    )
    parser.add_argument(
        "--suite-dir",
        type=Path,
        default=SUITE_DIR,
        metavar="DIR",
        help=f"where strace's test programs are built (default: {SUITE_DIR})",
    )
    parser.add_argument(
        "--json",
        type=Path,
        metavar="PATH",
        dest="json_path",
        help="also write raw per-round numbers and the summary as JSON",
    )
    parser.add_argument(
        "--json-dir",
        type=Path,
        metavar="DIR",
        help="with --workload all: write DIR/WORKLOAD.json for each workload",
    )
    return parser


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be at least 0, not {value}")
    return value


def split_command(argv: Sequence[str]) -> tuple[list[str], list[str]]:
    """Split at the first `--`: argparse would otherwise try to parse the
    command's own options (`make -C src`) as ours."""
    if "--" in argv:
        cut = list(argv).index("--")
        return list(argv[:cut]), list(argv[cut + 1 :])
    return list(argv), []


def parse_args(argv: Sequence[str]) -> Options:
    parser = build_parser()
    own, command = split_command(argv)
    ns = parser.parse_args(own)
    configs = parse_configs(parser, ns.configs, ns.with_python_ptrace)
    if ns.workload == "cmd" and not command:
        parser.error("--workload cmd needs a command after --")
    if ns.json_dir is not None and ns.json_path is not None and ns.workload == "all":
        parser.error("--json names one file: with --workload all, give --json-dir")
    if ns.workload != "cmd" and command:
        parser.error("a command after -- is only used with --workload cmd")
    return Options(
        workload=ns.workload,
        command=command,
        rounds=ns.rounds,
        warmup=ns.warmup,
        jobs=ns.jobs,
        configs=configs,
        atrace=shlex.split(ns.atrace) if ns.atrace else None,
        workloads_dir=ns.workloads_dir,
        get_workloads=ns.get_workloads,
        json_path=ns.json_path,
        json_dir=ns.json_dir,
        baseline=shlex.split(ns.baseline) if ns.baseline else None,
        suite_dir=ns.suite_dir,
    )


def parse_configs(parser: argparse.ArgumentParser, text: str, with_ptrace: bool) -> list[str]:
    configs = [c.strip() for c in text.split(",") if c.strip()]
    unknown = [c for c in configs if c not in ALL_CONFIGS]
    if unknown:
        parser.error(f"unknown configuration(s) {', '.join(unknown)}; choose from {', '.join(ALL_CONFIGS)}")
    if len(set(configs)) != len(configs):
        parser.error("a configuration is named twice in --configs")
    if with_ptrace and "ptrace-strace" not in configs:
        configs.append("ptrace-strace")
    if not configs:
        parser.error("--configs names no configuration")
    return configs


# ---------------------------------------------------------------- workloads


def workloads_dir(opts: Options) -> Path:
    if opts.workloads_dir is not None:
        return opts.workloads_dir
    if not opts.get_workloads.is_file():
        raise BenchError(f"{opts.get_workloads} not found; give --get-workloads or --workloads-dir")
    # get-workloads downloads only when the trees are missing and prints the
    # destination as its last line, so it is cheap to call every time.
    result = subprocess.run([str(opts.get_workloads)], capture_output=True, text=True, check=False)
    lines = result.stdout.strip().splitlines()
    if result.returncode != 0 or not lines:
        detail = last_line(result.stderr) or f"exit status {result.returncode}"
        raise BenchError(f"{opts.get_workloads} failed: {detail}")
    return Path(lines[-1])


def make_workload(opts: Options, private: Path) -> Workload:
    """The workload, its tree copied under `private` (see private_copy)."""
    if opts.workload == "cmd":
        return Workload("cmd", Path.cwd(), Path.cwd(), opts.command)
    if opts.workload in SUITE_PROGRAMS:
        program = opts.suite_dir / opts.workload
        if not program.is_file():
            raise BenchError(
                f"{program} not found: build strace's tests (shared/strace-suite/run.sh) or give --suite-dir"
            )
        options = tuple(SUITE_PROGRAMS[opts.workload])
        return Workload(opts.workload, opts.suite_dir, private, [str(program)], trace_options=options, text=True)
    base = workloads_dir(opts)
    jobs = f"-j{opts.jobs}"
    if opts.workload == "lua":
        # `linux` needs no readline headers in 5.4.4 (alias of linux-noreadline).
        return Workload(
            "lua",
            base / LUA_DIR,
            private_copy(base / LUA_DIR, private),
            ["make", "-C", "src", jobs, "linux"],
            reset=["make", "-C", "src", "clean"],
        )
    return Workload(
        "zlib",
        base / ZLIB_DIR,
        private_copy(base / ZLIB_DIR, private),
        # configure forks hundreds of short processes: the part of a build
        # where a tracer's cost per process shows.
        ["sh", "-c", f"./configure && make {jobs}"],
        # distclean also removes what configure wrote (its stub Makefile
        # knows the target too, so this works on a fresh tree).
        reset=["make", "distclean"],
    )


def private_copy(tree: Path, private: Path) -> Path:
    """Build in a copy: the downloaded tree is shared with tests and other
    benchmarks, and two builds (or a build and a `make clean`) in one tree at
    once would spoil both. The copy is a few MiB and is made untimed."""
    if not tree.is_dir():
        raise BenchError(f"workload tree {tree} is missing (run get-workloads)")
    copy = private / tree.name
    shutil.copytree(tree, copy, symlinks=True)
    return copy


# ---------------------------------------------------------------- configurations


@dataclass(frozen=True)
class Tracers:
    """How each traced configuration is launched, and the environment."""

    atrace: list[str]
    env: dict[str, str]
    baseline: list[str] | None = None


def make_tracers(opts: Options) -> Tracers:
    env = dict(os.environ)
    if opts.atrace is not None:
        return Tracers(opts.atrace, env, opts.baseline)
    # The build runs in the workload tree, where `python -m atrace` would not
    # find an uninstalled checkout: put the repository first on PYTHONPATH.
    # Every configuration gets the same environment, to keep runs comparable.
    paths = [str(REPO_ROOT)] + [p for p in [env.get("PYTHONPATH")] if p]
    env["PYTHONPATH"] = os.pathsep.join(paths)
    # Run atrace as installed: pip compiles a package's modules at install,
    # a checkout run under PYTHONDONTWRITEBYTECODE (set in some CI and
    # sandbox environments) would compile them all from source at every
    # start (~0.1 s of CPU). Python reads __pycache__ even then.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO_ROOT / "atrace")], check=False)
    return Tracers([sys.executable, "-m", "atrace"], env, opts.baseline)


def compiled_once(tr: Tracers, opts: Options, cache: Path) -> Tracers:
    """An atrace given as a command (--atrace, --baseline) may be a checkout
    whose modules nobody compiled: under PYTHONDONTWRITEBYTECODE it would
    compile them all at every start (~0.2 s of CPU a run, measured on a
    2-vCPU machine), which an installed atrace never does. Such commands
    get a bytecode cache of their own (PYTHONPYCACHEPREFIX) that the
    preflight run fills, so every timed run starts as an installed one."""
    if (opts.atrace is None and opts.baseline is None) or "PYTHONDONTWRITEBYTECODE" not in tr.env:
        return tr
    env = {k: v for k, v in tr.env.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(cache)
    return replace(tr, env=env)


def config_argv(config: str, wl: Workload, trace: Path, tr: Tracers) -> list[str]:
    """The full command line of one configuration around the build."""
    build = wl.build
    if config == "untraced":
        return list(build)
    if config in SET_OPTIONS:
        options = [*wl.trace_options, *SET_OPTIONS[config], "-o", str(trace)]
        if config.startswith("strace"):
            return ["strace", *options, *build]
        if config == "baseline":
            if tr.baseline is None:
                raise BenchError("the baseline configuration needs --baseline CMD")
            return [*tr.baseline, *(["--text"] if wl.text else []), *options, *build]
        return [*tr.atrace, *(["--text"] if wl.text else []), *options, *build]
    if config == "floor":
        return [sys.executable, str(FLOOR_TRACER), "--", *build]
    if config == "floor-files":
        return [sys.executable, str(FLOOR_TRACER), "--seccomp", FILE_SET, "--read-paths", "--", *build]
    if config == "ptrace-strace":
        # strace.py uses optparse, which would read the build's own options
        # (make -C) as its own without the `--`.
        return ["strace.py", "-f", "-o", str(trace), "--", *build]
    raise ValueError(f"unknown configuration {config}")


def preflight(configs: list[str], wl: Workload, tr: Tracers, scratch: Path) -> None:
    """Fail in seconds, not after a round of builds, when a tracer is missing
    or broken (e.g. `python -m atrace` before the tracer has landed)."""
    true = [shutil.which("true") or "/bin/true"]
    for config in configs:
        if config == "untraced":
            continue
        trace = scratch / f"preflight-{config}"
        argv = config_argv(config, Workload("true", scratch, scratch, true, trace_options=wl.trace_options), trace, tr)
        try:
            result = subprocess.run(
                argv,
                capture_output=True,
                text=True,
                env=tr.env,
                check=False,
                timeout=PREFLIGHT_TIMEOUT,
                cwd=scratch,  # (as the builds: not a checkout whose package `-m atrace` would import)
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise BenchError(f"{config} is unavailable: {exc}") from exc
        if result.returncode != 0:
            detail = last_line(result.stderr) or f"exit status {result.returncode}"
            raise BenchError(f"{config} is unavailable: `{shlex.join(argv)}` failed: {detail}")
        # A tracer that ignores -o would make the size column meaningless.
        # (The floor records nothing, by design.)
        if not config.startswith("floor") and dir_size(scratch) == 0:
            raise BenchError(f"{config} wrote no trace: `{shlex.join(argv)}`")
        remove_tree_contents(scratch)


# ---------------------------------------------------------------- running


def run_untimed(argv: list[str], wl: Workload, log: Path, what: str) -> None:
    with log.open("wb") as out:
        result = subprocess.run(
            argv,
            check=False,
            cwd=wl.cwd,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=out,
        )
    if result.returncode != 0:
        raise BenchError(
            f"{what} `{shlex.join(argv)}` exited with status {result.returncode} (output in {keep_log(log)})"
        )


def atrace_command(config: str, tr: Tracers) -> list[str] | None:
    """The atrace command a configuration runs (whose resident server may
    serve it), or None for untraced, strace and python-ptrace runs."""
    if config not in SET_OPTIONS or config.startswith("strace"):
        return None
    return tr.baseline if config == "baseline" else tr.atrace


def atrace_program(command: list[str]) -> list[str]:
    """The part of an atrace command that runs atrace itself: CMD of
    --atrace or --baseline may go on with trace options (`... -m atrace -e
    trace=%deps`), which must not come before a subcommand."""
    for index, word in enumerate(command):
        if os.path.basename(word) == "atrace":
            return command[: index + 1]
    return command


def resident_status(atrace: list[str], env: dict[str, str]) -> dict[str, str]:
    """`atrace resident status`'s fields; empty without a server.

    Asked from /, not from the benchmark's cwd: from a checkout's root,
    `python -m atrace` imports the checkout there before a --baseline's
    PYTHONPATH, and would ask the server of the code under test (the
    baseline's worker CPU then went uncounted)."""
    argv = [*atrace_program(atrace), "resident", "status"]
    done = subprocess.run(argv, capture_output=True, text=True, env=env, check=False, cwd="/")
    if done.returncode != 0:
        return {}
    return dict(line.split(": ", 1) for line in done.stdout.splitlines() if ": " in line)


def worker_cpu(atrace: list[str], env: dict[str, str]) -> tuple[str, float] | None:
    """(server pid, CPU seconds of its workers that ended) once the resident
    server has reaped every worker it forked; None without a server.

    A served run's tracer is the server's child, not the benchmark's, so
    RUSAGE_CHILDREN misses its CPU: the server adds up its workers' CPU
    (wait4) as it reaps them, which it does after each connection. So ask
    until it has no child left (a zombie is still listed), then once more."""
    deadline = time.monotonic() + 10
    while (pid := resident_status(atrace, env).get("pid")) is not None:
        try:
            children = "".join((task / "children").read_text() for task in Path(f"/proc/{pid}/task").iterdir())
        except OSError:
            return None
        if not children.split() or time.monotonic() > deadline:
            final = resident_status(atrace, env)
            return (pid, float(final["worker_cpu"])) if final.get("pid") == pid else None
        time.sleep(0.02)
    return None


def timed_run(config: str, rnd: int, wl: Workload, tr: Tracers, scratch: Path) -> Run:
    """Clean the tree (untimed), then time one build under `config`."""
    log = scratch / "build.log"
    if wl.reset is not None:
        run_untimed(wl.reset, wl, log, "clean-up")
    trace_dir = scratch / "trace"
    trace_dir.mkdir()
    argv = config_argv(config, wl, trace_dir / "trace", tr)
    atrace = atrace_command(config, tr)
    served_before = worker_cpu(atrace, tr.env) if atrace is not None else None
    with log.open("wb") as out:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        result = subprocess.run(
            argv,
            check=False,
            cwd=wl.cwd,
            env=tr.env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=out,
        )
        seconds = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if atrace is not None and served_before is not None:
        # Served: add the resident worker's CPU (same server, or it is lost).
        served_after = worker_cpu(atrace, tr.env)
        if served_after is not None and served_after[0] == served_before[0]:
            cpu += served_after[1] - served_before[1]
    if result.returncode != 0:
        where = "warm-up" if rnd == 0 else f"round {rnd}"
        raise BenchError(
            f"{config} run ({where}) exited with status {result.returncode}: "
            f"{shlex.join(argv)} (output in {keep_log(log)})"
        )
    # Sum the directory, not one file, in case a tracer splits its output.
    size = None if config == "untraced" else dir_size(trace_dir)
    remove_tree_contents(scratch)
    return Run(rnd, config, seconds, size, cpu)


def rotated(configs: list[str], rnd: int) -> list[str]:
    """Round 1 runs configs in the given order, round 2 starts one later..."""
    shift = (rnd - 1) % len(configs)
    return configs[shift:] + configs[:shift]


def run_benchmark(opts: Options, wl: Workload, tr: Tracers, scratch: Path) -> list[Run]:
    if wl.prepare is not None:
        run_untimed(wl.prepare, wl, scratch / "prepare.log", "preparation")
        remove_tree_contents(scratch)
    preflight(opts.configs, wl, tr, scratch)
    for _ in range(opts.warmup):
        # Round 0 marks the warm-up: timed like the others, then discarded.
        progress(timed_run("untraced", 0, wl, tr, scratch), opts.rounds)
    runs: list[Run] = []
    for rnd in range(1, opts.rounds + 1):
        for config in rotated(opts.configs, rnd):
            run = timed_run(config, rnd, wl, tr, scratch)
            progress(run, opts.rounds)
            runs.append(run)
    return runs


def progress(run: Run, rounds: int) -> None:
    where = "warm-up" if run.round == 0 else f"round {run.round}/{rounds}"
    size = "" if run.trace_bytes is None else f"  trace {human_size(run.trace_bytes)}"
    suffix = "  (discarded)" if run.round == 0 else ""
    print(
        f"[{where}] {run.config:<13} {run.seconds:8.3f} s  cpu {run.cpu_seconds:7.3f} s{size}{suffix}",
        file=sys.stderr,
        flush=True,
    )


# ---------------------------------------------------------------- results


def summarize(configs: list[str], runs: list[Run]) -> list[Summary]:
    summaries = []
    for config in configs:
        times = [r.seconds for r in runs if r.config == config]
        sizes = [r.trace_bytes for r in runs if r.config == config]
        known = [s for s in sizes if s is not None]
        summaries.append(
            Summary(
                config=config,
                runs=len(times),
                median_s=statistics.median(times),
                min_s=min(times),
                max_s=max(times),
                median_trace_bytes=statistics.median(known) if known else None,
                median_cpu_s=statistics.median(r.cpu_seconds for r in runs if r.config == config),
            )
        )
    return summaries


def ratios(summaries: list[Summary], cpu: bool = False) -> dict[str, float]:
    medians = {s.config: s.median_cpu_s if cpu else s.median_s for s in summaries}
    out = {}
    for num, den in RATIOS:
        if num in medians and den in medians and medians[den] > 0:
            out[f"{num}/{den}"] = medians[num] / medians[den]
    return out


def format_report(wl: Workload, rounds: int, summaries: list[Summary], load: tuple[float, float]) -> str:
    lines = [
        f"workload {wl.name}: {shlex.join(wl.build)}  (tree: {wl.source})",
        f"{rounds} round(s), order rotated each round; times in seconds; "
        f"load average {load[0]:.1f} before, {load[1]:.1f} after ({os.cpu_count()} CPUs)",
        "",
        "cpu: user+sys of the run's process tree, and of the resident worker that served it",
        "",
        f"{'config':<14}{'median':>9}{'min':>9}{'max':>9}{'cpu':>9}{'trace (median)':>17}",
    ]
    for s in summaries:
        size = "-" if s.median_trace_bytes is None else human_size(s.median_trace_bytes)
        lines.append(f"{s.config:<14}{s.median_s:>9.3f}{s.min_s:>9.3f}{s.max_s:>9.3f}{s.median_cpu_s:>9.3f}{size:>17}")
    found = ratios(summaries)
    if found:
        cpu = ratios(summaries, cpu=True)
        lines += ["", "ratios of medians (compare these, not times across runs):  wall   cpu"]
        lines += [f"  {name:<30}{value:>7.2f}{cpu.get(name, 0.0):>7.2f}" for name, value in found.items()]
    return "\n".join(lines)


def write_json(
    path: Path, opts: Options, wl: Workload, runs: list[Run], summaries: list[Summary], load_before: float
) -> None:
    doc = {
        "workload": wl.name,
        "build": wl.build,
        "source": str(wl.source),
        "rounds": opts.rounds,
        "configs": opts.configs,
        "jobs": opts.jobs,
        # Context for reading the numbers later: the machines are shared.
        "cpus": os.cpu_count(),
        "loadavg_at_start": load_before,
        "loadavg_at_end": list(os.getloadavg()),
        "runs": [asdict(r) for r in runs],
        "summary": [asdict(s) for s in summaries],
        "ratios": ratios(summaries),
        "cpu_ratios": ratios(summaries, cpu=True),
    }
    path.write_text(json.dumps(doc, indent=2) + "\n")


# ---------------------------------------------------------------- helpers


def human_size(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    raise AssertionError("unreachable")


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def remove_tree_contents(path: Path) -> None:
    for child in path.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()


def keep_log(log: Path) -> Path:
    """Copy a failed step's output out of the scratch directory, which is
    deleted on exit, so the one-line error can point at it."""
    fd, name = tempfile.mkstemp(prefix="atrace-bench-", suffix=".log")
    os.close(fd)
    shutil.copyfile(log, name)
    return Path(name)


def last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1].strip() if lines else ""


# ---------------------------------------------------------------- main


def plan(opts: Options) -> list[Options]:
    """One Options per workload to measure: --workload all expands."""
    if opts.workload != "all":
        return [opts]
    return [replace(opts, workload=name, configs=list(configs)) for name, configs in ALL_WORKLOADS.items()]


def measure(opts: Options) -> None:
    """Benchmark one workload, print its report, write its JSON."""
    tr = make_tracers(opts)
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="atrace-bench-") as tmp:
        # tree/ holds the workload copy for the whole benchmark; scratch/
        # holds one run's trace and log and is emptied after each run.
        (Path(tmp) / "tree").mkdir()
        (Path(tmp) / "scratch").mkdir()
        wl = make_workload(opts, Path(tmp) / "tree")
        tr = compiled_once(tr, opts, Path(tmp) / "pycache")
        runs = run_benchmark(opts, wl, tr, Path(tmp) / "scratch")
    summaries = summarize(opts.configs, runs)
    load = (load_before, os.getloadavg()[0])
    print(format_report(wl, opts.rounds, summaries, load), flush=True)
    paths = [opts.json_path] if opts.json_path is not None else []
    if opts.json_dir is not None:
        opts.json_dir.mkdir(parents=True, exist_ok=True)
        paths.append(opts.json_dir / f"{wl.name}.json")
    for path in paths:
        write_json(path, opts, wl, runs, summaries, load_before)


def main(argv: Sequence[str] | None = None) -> int:
    opts = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        for index, one in enumerate(plan(opts)):
            if index:
                print()
            measure(one)
    except BenchError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        # Mostly a command that does not exist: one line, not a traceback.
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
