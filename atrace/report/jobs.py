"""Build jobs: what a build driver started, counted as the user thinks of it.

A compiler driver with its cc1, as, collect2 and ld children is one job; a
make, or a shell that only starts other programs and waits for them, is
not a job (it is a *container*): the programs it starts are. Each job gets
a label naming what it builds (`lapi.c → lapi.o`, `link liblua.a`,
`configure test (conftest.c)`), its CPU time, and, when it failed, its
stderr and whether the build went on regardless (make's `-` prefix,
`|| true`, a configure probe): such a failure is *ignored*.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from ..analysis.compile_db import WRAPPERS as COMPILER_WRAPPERS
from ..analysis.compile_db import is_compiler, output_option, source_files
from ..analysis.deps import DRIVERS
from ..analysis.paths import text
from ..analysis.proctree import Process
from .collect import BuildFacts, Reap

SHELLS = frozenset({"sh", "bash", "dash", "zsh", "ksh", "mksh", "ash", "busybox"})
SHELL_SCRIPTS = frozenset({"configure", "config.status", "libtool", "missing", "depcomp", "install-sh", "compile"})
# Programs that only run another program (and wait for it) when they have a child.
WRAPPERS = frozenset({"env", "nice", "nohup", "time", "timeout", "xargs", "stdbuf", "ionice", "chrt", "taskset"})
LINKERS = frozenset({"ld", "ld.bfd", "ld.gold", "ld.lld", "lld", "collect2", "mold"})


def program(proc: Process) -> str:
    """The base name of the program a process ran last (its parent's, if it never exec'd)."""
    current: Process | None = proc
    while current is not None:
        if current.execs:
            argv = current.execs[-1].argv
            return posixpath.basename(text(argv[0])) if argv else ""
        current = current.parent
    return ""


def argv_of(proc: Process) -> list[str]:
    return [text(arg) for arg in proc.argv]


def is_driver(proc: Process) -> bool:
    return program(proc) in DRIVERS


def is_shell(proc: Process) -> bool:
    """A shell, or a shell script run by its #! line (the exec record holds
    the script's name, not the interpreter's)."""
    name = program(proc)
    return name in SHELLS or name in SHELL_SCRIPTS or name.endswith(".sh")


def is_container(proc: Process) -> bool:
    """A make, or a shell or wrapper that started programs: it waits, others work."""
    name = program(proc)
    return name in DRIVERS or (bool(proc.children) and (is_shell(proc) or name in WRAPPERS))


@dataclass(slots=True, eq=False)
class Job:
    root: Process
    processes: list[Process]
    label: str
    kind: str  # compile, link, archive, configure test, command
    start: int
    end: int
    utime: int | None
    stime: int | None
    failed: bool
    ignored: bool = False
    stderr: bytes = b""
    critical: bool = False
    index: int = 0
    # What the driver started for this job (make's child: the recipe's shell,
    # or the job itself); the job's own root when no driver is above it.
    unit: Process | None = None

    @property
    def duration(self) -> int:
        return self.end - self.start

    @property
    def cpu(self) -> int | None:
        return None if self.utime is None else self.utime + (self.stime or 0)

    @property
    def status(self) -> str:
        root = self.root
        if root.signal is not None:
            return f"killed by signal {root.signal}"
        if root.exit_code is not None:
            return f"exit {root.exit_code}"
        return "running at the end of the trace"


@dataclass(slots=True)
class Failure:
    """A failed job (or a failed container with no failed job under it, e.g. make's own error)."""

    process: Process
    command: list[str]
    status: str
    stderr: bytes
    ignored: bool
    job: Job | None = None


@dataclass(slots=True)
class JobView:
    jobs: list[Job] = field(default_factory=list)
    containers: list[Process] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)


def find_jobs(facts: BuildFacts) -> JobView:
    view = JobView()
    trace_end = facts.end
    stack: list[tuple[Process, Process | None]] = [(root, None) for root in reversed(facts.tree.roots)]
    while stack:
        proc, unit = stack.pop()
        parent = proc.parent
        if unit is None or (parent is not None and is_driver(parent)):
            unit = proc  # a root, or what a driver started
        if is_container(proc):
            view.containers.append(proc)
            stack.extend((child, unit) for child in reversed(proc.children))
            continue
        if not proc.execs and not proc.children and proc.parent is not None:
            continue  # a subshell doing builtins for its shell: the shell's own work
        members = [member for _level, member in proc.walk()]
        job = _job(facts, proc, members, trace_end)
        job.unit = unit or proc
        view.jobs.append(job)
    view.jobs.sort(key=lambda job: (job.start, job.end))
    for index, job in enumerate(view.jobs):
        job.index = index
    _failures(facts, view)
    return view


def _job(facts: BuildFacts, root: Process, members: list[Process], trace_end: int) -> Job:
    utime = stime = None
    for member in members:
        if member.utime is not None:
            utime = (utime or 0) + member.utime
            stime = (stime or 0) + (member.stime or 0)
    end = root.end if root.end is not None else trace_end
    label, kind = label_of(root)
    stderr = b"".join(w.data for w in sorted((w for m in members for w in facts.stderr.get(m, ())), key=_ts))
    return Job(root, members, label, kind, root.start, max(end, root.start), utime, stime, root.failed, stderr=stderr)


def _ts(write: object) -> int:
    return write.ts  # type: ignore[attr-defined,no-any-return]


def lanes(jobs: list[Job]) -> list[int]:
    """A lane per job: the first lane free when it starts (so lanes = peak concurrency)."""
    ends: list[int] = []
    out = [0] * len(jobs)
    for position, job in sorted(enumerate(jobs), key=lambda item: (item[1].start, -item[1].end)):
        for lane, end in enumerate(ends):
            if end <= job.start:
                ends[lane] = job.end
                out[position] = lane
                break
        else:
            out[position] = len(ends)
            ends.append(job.end)
    return out


# -- labels ---------------------------------------------------------------


def label_of(proc: Process) -> tuple[str, str]:
    """(label, kind) naming what a job's root process builds."""
    argv = argv_of(proc)
    if not argv:
        return (f"({program(proc) or 'process'} child)", "command")
    name = posixpath.basename(argv[0])
    if name in COMPILER_WRAPPERS and len(argv) > 1:
        argv = argv[1:]
        name = posixpath.basename(argv[0])
    if is_compiler(argv):
        label, kind = _compile_label(argv)
        if kind != "compile-probe" and not _under_configure(proc):
            return label, kind
        return f"configure test ({label})", "configure test"
    if name in LINKERS:
        return f"link {output_option(argv) or 'a.out'}", "link"
    if name == "ar" or name.endswith("-ar") or name == "llvm-ar":
        archive = next((arg for arg in argv[2:] if arg.endswith(".a")), None)
        return f"link {archive or ' '.join(argv[1:3])}", "archive"
    if name == "ranlib" and len(argv) > 1:
        return f"ranlib {argv[-1]}", "archive"
    return _short(argv), "command"


def _compile_label(argv: list[str]) -> tuple[str, str]:
    sources = source_files(argv)
    output = output_option(argv)
    probe = any(posixpath.basename(path).startswith("conftest") for path in [*sources, output or ""])
    if "-E" in argv or "-M" in argv or "-MM" in argv:
        label, kind = f"preprocess {' '.join(sources) or '?'}", "compile"
    elif "-c" in argv or "-S" in argv:
        suffix = ".s" if "-S" in argv and "-c" not in argv else ".o"
        target = output or (posixpath.splitext(posixpath.basename(sources[0]))[0] + suffix if len(sources) == 1 else "")
        label = f"{' '.join(sources) or '?'} → {target}" if target else " ".join(sources) or "compile"
        kind = "compile"
    elif sources:
        label, kind = f"{' '.join(sources)} → {output or 'a.out'}", "compile"
    else:
        label, kind = f"link {output or 'a.out'}", "link"
    return label, "compile-probe" if probe else kind


def _under_configure(proc: Process) -> bool:
    """Started by a configure script (autoconf's, zlib's own...): its compiles are probes."""
    current = proc.parent
    while current is not None:
        for info in current.execs:
            if any(posixpath.basename(text(arg)) == "configure" for arg in info.argv[:2]):
                return True
        current = current.parent
    return False


def _short(argv: list[str], width: int = 70) -> str:
    name = posixpath.basename(argv[0])
    line = " ".join([name, *argv[1:]])
    return line if len(line) <= width else line[: width - 1] + "…"


# -- failures -------------------------------------------------------------


IGNORED_MARK = b"(ignored)"


def _failures(facts: BuildFacts, view: JobView) -> None:
    ignored_by_make = _ignored_by_make(facts, view)
    for job in view.jobs:
        if not job.failed:
            continue
        job.ignored = not _propagates(job.root, ignored_by_make)
        view.failures.append(Failure(job.root, argv_of(job.root), job.status, job.stderr, job.ignored, job))
    # A container that failed with no failed child: make's own error ("No
    # rule to make target"), a shell's syntax error.
    for proc in view.containers:
        if proc.failed and not any(child.failed for child in proc.children):
            status = f"killed by signal {proc.signal}" if proc.signal is not None else f"exit {proc.exit_code}"
            ignored = not _propagates(proc, ignored_by_make)
            view.failures.append(Failure(proc, argv_of(proc), status, facts.stderr_text(proc), ignored))
    view.failures.sort(key=lambda failure: failure.process.end or 0)


def _ignored_by_make(facts: BuildFacts, view: JobView) -> set[Process]:
    """Children whose failure a make reported as ignored.

    make writes `make: [Makefile:3: target] Error 1 (ignored)` on stderr
    right after reaping a child that failed under the `-` prefix: each
    such line belongs to the failed child that make reaped last before it.
    Two failed children may both have ended before make reaps either, so
    the end times decide only when the trace has no wait4/waitid records.
    """
    found: set[Process] = set()
    reaps: dict[Process, list[Reap]] = {}
    for reap in facts.reaps:
        reaps.setdefault(reap.waiter, []).append(reap)
    for proc in view.containers:
        if not is_driver(proc):
            continue
        marks = [write.ts for write in facts.stderr.get(proc, ()) if IGNORED_MARK in write.data]
        if not marks:
            continue
        reaped = [(reap.ts, child) for reap in reaps.get(proc, ()) if (child := reap.child()) and child.failed]
        if not reaped:
            reaped = sorted(((child.end, child) for child in proc.children if child.failed and child.end is not None),
                            key=lambda pair: pair[0])  # fmt: skip
        for mark in marks:
            candidates = [child for ts, child in reaped if ts <= mark and child not in found]
            if candidates:
                found.add(candidates[-1])
    return found


def _propagates(proc: Process, ignored_by_make: set[Process]) -> bool:
    """Did this failure make the build fail (reach the top), or was it ignored on the way?"""
    while True:
        waiter = proc.parent
        if waiter is None:
            return True
        if proc in ignored_by_make:
            return False
        if not waiter.ended:
            return True  # the trace ends before its waiter does: it may yet fail because of it
        if not waiter.failed:
            return False
        if is_shell(waiter) and any(child.start >= (proc.end or 0) for child in waiter.children if child is not proc):
            return False  # the shell went on after it: `a || b`, `a; b`, an `if`
        proc = waiter
