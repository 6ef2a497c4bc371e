"""Absolute paths for the paths and fds of calls: per-process cwd and fd tables.

A call names files relative to its process's working directory or to a
directory fd (openat), and many calls name only an fd. To say which file a
call touched, `PathTracker` replays what changes these: exec (the tracer
records the cwd), chdir/fchdir, open/dup/close, fork (copies) and
clone(CLONE_FILES) (shares). Symlinks are not resolved: only the trace is
known, not the file system.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterator

from ..events import records as R
from ..syscalls import lookup
from .calls import Call

AT_FDCWD = -100
O_ACCMODE = 0o3
O_CREAT = 0o100
O_TRUNC = 0o1000
O_DIRECTORY = 0o200000
O_CLOEXEC = 0o2000000
CLONE_FILES = 0x400
F_DUPFD = 0
F_DUPFD_CLOEXEC = 1030

_OPENS = frozenset({"open", "openat", "creat", "openat2"})
_DUPS = frozenset({"dup", "dup2", "dup3"})


def text(path: str | bytes) -> str:
    """A path as str; undecodable bytes survive as surrogates (os.fsdecode)."""
    return path if isinstance(path, str) else os.fsdecode(path)


def as_int32(value: int) -> int:
    """A register holding an int argument (an fd, AT_FDCWD) as the int."""
    value &= 0xFFFFFFFF
    return value - (1 << 32) if value & 0x80000000 else value


class _FdTable:
    __slots__ = ("cloexec", "paths")

    def __init__(self, paths: dict[int, str] | None = None, cloexec: set[int] | None = None) -> None:
        self.paths: dict[int, str] = paths if paths is not None else {}
        self.cloexec: set[int] = cloexec if cloexec is not None else set()

    def copy(self) -> _FdTable:
        return _FdTable(dict(self.paths), set(self.cloexec))


_RESOLVED_MAX = 100_000


class PathTracker:
    """Feed it every event and every Call (pair_calls(..., passthrough=True));
    ask it for the paths of a call with `paths(call)` before feeding the call."""

    # The syscalls whose results change the state (besides the lifecycle records).
    CALLS = frozenset(
        {"open", "openat", "creat", "openat2", "close", "dup", "dup2", "dup3", "fcntl", "chdir", "fchdir"}
    )

    def __init__(self) -> None:
        self._cwd: dict[int, str] = {}
        self._fds: dict[int, _FdTable] = {}
        self._resolved: dict[tuple[str | None, str | bytes], str] = {}  # (base, path) -> absolute path
        # (arch, nr) -> its (index, kind, name) of dirfd, path and fd arguments
        self._arg_plans: dict[tuple[int, int], tuple[tuple[int, str, str], ...]] = {}

    def cwd(self, tgid: int) -> str | None:
        return self._cwd.get(tgid)

    def fd_path(self, tgid: int, fd: int) -> str | None:
        table = self._fds.get(tgid)
        return None if table is None else table.paths.get(fd)

    def resolve(self, tgid: int, path: str | bytes, dirfd: int = AT_FDCWD) -> str | None:
        """The absolute form of `path` as process `tgid` would look it up."""
        base = self._cwd.get(tgid) if dirfd == AT_FDCWD else self.fd_path(tgid, dirfd)
        key = (base, path)
        found = self._resolved.get(key)
        if found is not None:
            return found
        name = text(path)
        if name.startswith("/"):
            found = posixpath.normpath(name)
        elif base is None:
            return None
        elif not name:
            return base  # AT_EMPTY_PATH: the dirfd itself
        else:
            found = posixpath.normpath(posixpath.join(base, name))
        # A build looks the same few thousand paths up again and again.
        if len(self._resolved) >= _RESOLVED_MAX:
            self._resolved.clear()
        self._resolved[key] = found
        return found

    def paths(self, call: Call) -> Iterator[tuple[str, str]]:
        """(argument name, absolute path) of each path argument of the call,
        then ("fd", path) for a known fd argument."""
        yield from self.path_map(call).items()

    def path_map(self, call: Call) -> dict[str, str]:
        """paths(call) as a dict (what the analyses want, made without a generator)."""
        key = (call.arch, call.nr)
        plan = self._arg_plans.get(key)
        if plan is None:
            syscall = lookup(call.arch, call.nr)
            plan = self._arg_plans[key] = tuple(
                (index, arg.kind, arg.name)
                for index, arg in enumerate(syscall.args if syscall is not None else ())
                if arg.kind in ("dirfd", "path", "fd")
            )
        found: dict[str, str] = {}
        if not plan:
            return found
        data = call.data or {}
        dirfd = AT_FDCWD
        tgid = call.tgid
        for index, kind, name in plan:
            if kind == "dirfd":
                dirfd = as_int32(call.args[index])
            elif kind == "path":
                raw = data.get(name)
                if isinstance(raw, (str, bytes)):
                    resolved = self.resolve(tgid, raw, dirfd)
                    if resolved is not None:
                        found[name] = resolved
                dirfd = AT_FDCWD
            else:
                known = self.fd_path(tgid, as_int32(call.args[index]))
                if known is not None:
                    found["fd"] = known
        return found

    def feed(self, item: Call | R.Event, paths: dict[str, str] | None = None) -> None:
        """Update the state with what an event or a finished call changed
        (`paths`: what paths(call) gave, if the caller has it already)."""
        if isinstance(item, Call):
            if item.ret is not None and item.errno is None:
                self._call(item, paths)
        elif isinstance(item, R.Spawn):
            self._spawn(item)
        elif isinstance(item, R.Exec):
            if item.cwd is not None:
                self._cwd[item.tgid] = text(item.cwd)
            table = self._fds.get(item.tgid)
            if table is not None:
                for fd in table.cloexec:
                    table.paths.pop(fd, None)
                table.cloexec.clear()
        elif isinstance(item, R.Exit) and item.tid == item.tgid:
            self._cwd.pop(item.tgid, None)
            self._fds.pop(item.tgid, None)

    def _table(self, tgid: int) -> _FdTable:
        table = self._fds.get(tgid)
        if table is None:
            table = self._fds[tgid] = _FdTable()
        return table

    def _spawn(self, event: R.Spawn) -> None:
        if event.child_tgid == event.tgid:
            return  # a thread shares everything with its process
        parent_cwd = self._cwd.get(event.tgid)
        if parent_cwd is not None:
            self._cwd[event.child_tgid] = parent_cwd
        table = self._table(event.tgid)
        self._fds[event.child_tgid] = table if event.flags & CLONE_FILES else table.copy()

    def _call(self, call: Call, paths: dict[str, str] | None) -> None:
        name = call.name
        ret = call.ret
        assert ret is not None
        if name in _OPENS:
            opened = paths if paths is not None else self.path_map(call)
            path = opened.get("filename", opened.get("pathname"))
            if path is not None:
                table = self._table(call.tgid)
                table.paths[ret] = path
                flags = call.args[2 if name in ("openat", "openat2") else 1]
                if name != "openat2" and flags & O_CLOEXEC:
                    table.cloexec.add(ret)
                else:
                    table.cloexec.discard(ret)
        elif name == "close":
            table = self._table(call.tgid)
            fd = as_int32(call.args[0])
            table.paths.pop(fd, None)
            table.cloexec.discard(fd)
        elif name in _DUPS or (name == "fcntl" and call.args[1] in (F_DUPFD, F_DUPFD_CLOEXEC)):
            table = self._table(call.tgid)
            source = table.paths.get(as_int32(call.args[0]))
            if source is None:
                table.paths.pop(ret, None)
            else:
                table.paths[ret] = source
            table.cloexec.discard(ret)
        elif name == "chdir":
            for _arg, path in self.paths(call):
                self._cwd[call.tgid] = path
        elif name == "fchdir":
            target = self.fd_path(call.tgid, as_int32(call.args[0]))
            if target is not None:
                self._cwd[call.tgid] = target
