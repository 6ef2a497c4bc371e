"""The process tree of a trace: who started whom, what each one ran, how it ended.

Processes are keyed by pid while alive, but a build runs long enough for
pids to be reused, so every Process is its own object and `ProcessTree.all`
lists them in order of appearance. A child's records may come before the
parent's spawn record (the kernel reports the two stops independently), so
a process is created at its first record and linked to its parent when the
spawn arrives.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from ..events import records as R


@dataclass(slots=True)
class ExecInfo:
    """One successful execve of a process."""

    ts: int
    filename: str | bytes | None
    argv: list[str | bytes]
    cwd: str | bytes | None


@dataclass(slots=True, eq=False)
class Process:
    """A process (thread group) of the trace.

    `start`/`end` are the first and last times it was seen (its spawn, its
    leader's exit); `exit_code` or `signal` tell how it ended (both None if
    the trace ended first); `execs` lists every program it ran, in order.
    """

    pid: int
    start: int
    parent: Process | None = None
    kind: str | None = None  # fork, vfork or clone, when its spawn was seen
    end: int | None = None
    exit_code: int | None = None
    signal: int | None = None
    core_dumped: bool = False
    # CPU time (ns) summed over the exit records of its tasks; None when no
    # exit record carried it (older traces, or it did not end in the trace).
    utime: int | None = None
    stime: int | None = None
    execs: list[ExecInfo] = field(default_factory=list)
    children: list[Process] = field(default_factory=list)
    threads: set[int] = field(default_factory=set)

    @property
    def ppid(self) -> int | None:
        return None if self.parent is None else self.parent.pid

    @property
    def ended(self) -> bool:
        return self.exit_code is not None or self.signal is not None

    @property
    def duration(self) -> int | None:
        return None if self.end is None else self.end - self.start

    @property
    def failed(self) -> bool:
        """Exited non-zero or was killed by a signal."""
        return self.signal is not None or (self.exit_code is not None and self.exit_code != 0)

    @property
    def argv(self) -> list[str | bytes]:
        """The command line of the last program it exec'd ([] if none)."""
        return self.execs[-1].argv if self.execs else []

    @property
    def cwd(self) -> str | bytes | None:
        """The working directory at its last exec, else its parent's."""
        if self.execs:
            return self.execs[-1].cwd
        return None if self.parent is None else self.parent.cwd

    def walk(self, depth: int = 0) -> Iterator[tuple[int, Process]]:
        """(depth, process) for this process and its descendants, depth first."""
        stack = [(depth, self)]
        while stack:
            level, proc = stack.pop()
            yield level, proc
            stack.extend((level + 1, child) for child in reversed(proc.children))


@dataclass(slots=True)
class ProcessTree:
    """Every process of a trace; `roots` are those whose parent was not traced."""

    all: list[Process] = field(default_factory=list)
    roots: list[Process] = field(default_factory=list)
    by_tid: dict[int, Process] = field(default_factory=dict)  # latest process of each task id

    def walk(self) -> Iterator[tuple[int, Process]]:
        for root in self.roots:
            yield from root.walk()

    def descendants(self, pid: int) -> set[int]:
        """The pids of `pid`'s processes and of all their descendants."""
        found: set[int] = set()
        for proc in self.all:
            if proc.pid == pid:
                found.update(p.pid for _level, p in proc.walk())
        return found


class TreeBuilder:
    """Builds a ProcessTree one event at a time (for live use), see build_tree."""

    def __init__(self) -> None:
        self.tree = ProcessTree()
        self._orphans: set[int] = set()  # ids of processes seen before their spawn

    def process(self, tid: int, tgid: int, ts: int) -> Process:
        """The live process of a task, created on its first record."""
        tree = self.tree
        proc = tree.by_tid.get(tid)
        if proc is not None and not proc.ended:
            return proc
        proc = tree.by_tid.get(tgid)
        if proc is None or proc.ended:
            proc = Process(pid=tgid, start=ts)
            tree.all.append(proc)
            tree.roots.append(proc)
            self._orphans.add(tgid)
            tree.by_tid[tgid] = proc
        proc.threads.add(tid)
        tree.by_tid[tid] = proc
        return proc

    def add(self, event: R.Event) -> None:
        if isinstance(event, R.Spawn):
            self._spawn(event)
        elif isinstance(event, R.Exec):
            proc = self.process(event.tid, event.tgid, event.ts)
            proc.threads.discard(event.old_tid)
            proc.execs.append(ExecInfo(event.ts, event.filename, list(event.argv or ()), event.cwd))
        elif isinstance(event, R.Exit):
            proc = self.process(event.tid, event.tgid, event.ts)
            proc.threads.discard(event.tid)
            if event.utime is not None:
                proc.utime = (proc.utime or 0) + event.utime
                proc.stime = (proc.stime or 0) + (event.stime or 0)
            if event.tid == proc.pid:
                # The leader's exit is reported last, with the group's status.
                proc.end = event.ts
                proc.exit_code = event.code
                proc.signal = event.signal
                proc.core_dumped = bool(event.core_dumped)
        elif isinstance(event, (R.SyscallEntry, R.SyscallExit, R.Signal, R.Stopped, R.Attached, R.Detached)):
            self.process(event.tid, event.tgid, event.ts)

    def _spawn(self, event: R.Spawn) -> None:
        tree = self.tree
        parent = self.process(event.tid, event.tgid, event.ts)
        if event.child_tgid == event.tgid:
            parent.threads.add(event.child_tid)
            tree.by_tid[event.child_tid] = parent
            return
        child = tree.by_tid.get(event.child_tid)
        if (
            child is not None
            and child.pid == event.child_tid
            and child.parent is None
            and event.child_tid in self._orphans
            and (not child.ended or child.start >= parent.start)  # not an older process whose pid was reused
        ):
            # Its first records came before this spawn, maybe even its exit
            # (a short-lived child the kernel reported first): link it now,
            # rather than leave it a root and invent a child that never ends.
            self._orphans.discard(event.child_tid)
            tree.roots.remove(child)
            child.start = min(child.start, event.ts)
        else:
            child = Process(pid=event.child_tgid, start=event.ts)
            tree.all.append(child)
            child.threads.add(event.child_tid)
            tree.by_tid[event.child_tid] = child
        child.parent = parent
        child.kind = event.kind
        parent.children.append(child)


def build_tree(events: Iterable[R.Event]) -> ProcessTree:
    """The process tree of a whole trace."""
    builder = TreeBuilder()
    for event in events:
        builder.add(event)
    return builder.tree
