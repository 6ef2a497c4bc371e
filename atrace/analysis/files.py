"""Which files each process read, wrote, created, renamed, deleted or missed.

One pass over the trace with the process tree and the path tracker beside
it. A file counts as:

* read: opened read-only, or executed;
* written: opened for writing, truncated, or the target of a rename;
* created: opened with O_CREAT (or mkdir, link, symlink, creat) when no
  earlier call in the trace had found it existing; an approximation, since
  the file system before the trace is unknown;
* deleted: unlink, unlinkat, rmdir;
* renamed: (old, new) pairs;
* missing: a lookup (open, stat, access, exec, readlink...) failed with
  ENOENT or ENOTDIR: what a build searched for and did not find.

Directories opened for listing (O_DIRECTORY) are not files read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..events import records as R
from .calls import Call, pair_calls
from .paths import O_ACCMODE, O_CREAT, O_DIRECTORY, O_TRUNC, PathTracker
from .proctree import Process, ProcessTree, TreeBuilder

ENOENT = 2
ENOTDIR = 20

_OPENS = frozenset({"open", "openat", "openat2"})
_LOOKUPS = frozenset(
    {
        "stat", "lstat", "newfstatat", "statx", "access", "faccessat", "faccessat2", "readlink", "readlinkat",
        "execve", "execveat", "chdir", "statfs", "getxattr", "lgetxattr",
    }
)  # fmt: skip
_DELETES = frozenset({"unlink", "unlinkat", "rmdir"})
_RENAMES = frozenset({"rename", "renameat", "renameat2"})
_MAKES = frozenset({"mkdir", "mkdirat", "link", "linkat", "symlink", "symlinkat", "mknod", "mknodat"})
_TRUNCATES = frozenset({"truncate"})
# Every call this analysis looks at: those it classifies and those the path
# tracker follows. Skipping the rest (reads, writes, mmaps...) up front is
# most of its speed.
FILE_CALLS = _OPENS | _LOOKUPS | _DELETES | _RENAMES | _MAKES | _TRUNCATES | {"creat"} | PathTracker.CALLS


@dataclass(slots=True)
class FileSets:
    """The files one process (or the whole trace) touched, by kind of access.

    Sets of absolute paths, in first-touch order (dicts keep order)."""

    read: dict[str, None] = field(default_factory=dict)
    written: dict[str, None] = field(default_factory=dict)
    created: dict[str, None] = field(default_factory=dict)
    deleted: dict[str, None] = field(default_factory=dict)
    missing: dict[str, None] = field(default_factory=dict)
    executed: dict[str, None] = field(default_factory=dict)
    renamed: list[tuple[str, str]] = field(default_factory=list)

    def merge(self, other: FileSets) -> None:
        for name in ("read", "written", "created", "deleted", "missing", "executed"):
            getattr(self, name).update(getattr(other, name))
        self.renamed.extend(other.renamed)


@dataclass(slots=True)
class FileReport:
    """Result of `file_accesses`: per process, and the process tree."""

    tree: ProcessTree
    by_process: dict[Process, FileSets] = field(default_factory=dict)

    def total(self) -> FileSets:
        whole = FileSets()
        for proc in self.tree.all:
            sets = self.by_process.get(proc)
            if sets is not None:
                whole.merge(sets)
        return whole

    def subtree(self, root: Process) -> FileSets:
        """The accesses of a process and all its descendants."""
        merged = FileSets()
        for _level, proc in root.walk():
            sets = self.by_process.get(proc)
            if sets is not None:
                merged.merge(sets)
        return merged


def file_accesses(events: Iterable[R.Event]) -> FileReport:
    """Classify every file access of the trace, per process."""
    builder = TreeBuilder()
    tracker = PathTracker()
    report = FileReport(builder.tree)
    existing: set[str] = set()  # found to exist by some call already
    tracked = PathTracker.CALLS
    last_tid = -1  # the task of the previous call, whose file sets are `sets`
    sets = FileSets()
    for item in pair_calls(events, passthrough=True, only=FILE_CALLS):
        if type(item) is Call:
            if item.ret is None:
                continue  # unfinished: it changed nothing we know of
            if item.tid != last_tid:
                proc = builder.process(item.tid, item.tgid, item.start)
                found = report.by_process.get(proc)
                sets = report.by_process[proc] = FileSets() if found is None else found
                last_tid = item.tid
            paths = tracker.path_map(item)
            _classify(item, paths, sets, existing)
            if item.name in tracked:
                tracker.feed(item, paths)
        else:
            last_tid = -1  # a lifecycle record may end or replace the process
            builder.add(item)  # type: ignore[arg-type]
            tracker.feed(item)
            if isinstance(item, R.Exec) and item.filename is not None:
                proc = builder.process(item.tid, item.tgid, item.ts)
                sets = report.by_process.setdefault(proc, FileSets())
                path = tracker.resolve(item.tgid, item.filename)
                if path is not None:
                    sets.executed[path] = None
                    existing.add(path)
    return report


def _classify(call: Call, paths: dict[str, str], sets: FileSets, existing: set[str]) -> None:
    name = call.name
    errno = call.errno
    if call.ret is None:
        return
    if name in _OPENS or name == "creat":
        path = paths.get("filename", paths.get("pathname"))
        if path is None:
            return
        flags = O_CREAT | 1 if name == "creat" else call.args[2 if name != "open" else 1]
        if name == "openat2":
            flags = 0  # the flags are inside struct open_how, not decoded
        if errno is not None:
            if errno in (ENOENT, ENOTDIR) and not flags & O_CREAT:
                sets.missing[path] = None
            return
        if flags & O_DIRECTORY:
            existing.add(path)
            return
        if flags & O_ACCMODE:
            sets.written[path] = None
            if flags & O_CREAT and path not in existing:
                sets.created[path] = None
        elif flags & O_TRUNC:
            sets.written[path] = None
        else:
            sets.read[path] = None
        existing.add(path)
    elif name in _LOOKUPS:
        for _arg, path in paths.items():
            if _arg == "fd":
                continue
            if errno in (ENOENT, ENOTDIR):
                sets.missing[path] = None
            elif errno is None:
                existing.add(path)
    elif errno is not None:
        return
    elif name in _DELETES:
        path = paths.get("pathname")
        if path is not None:
            sets.deleted[path] = None
            existing.discard(path)
    elif name in _RENAMES:
        old, new = paths.get("oldname"), paths.get("newname")
        if old is not None and new is not None:
            sets.renamed.append((old, new))
            sets.written[new] = None
            existing.discard(old)
            existing.add(new)
    elif name in _MAKES:
        path = paths.get("newname") or paths.get("new") or paths.get("pathname") or paths.get("filename")
        if path is not None:
            if path not in existing:
                sets.created[path] = None
            existing.add(path)
    elif name in _TRUNCATES:
        path = paths.get("path", paths.get("filename", paths.get("pathname")))
        if path is not None:
            sets.written[path] = None
