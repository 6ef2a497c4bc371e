"""strace's filter language: -e trace=, status=, signal=, trace-fds=, -P.

`-e trace=` decides which syscalls the tracer records at all (a per-arch set
of numbers, `TracerConfig.recorded`).  The other filters need a call's
outcome or its paths, so they are applied where text is made:
`DisplayFilter` is what the text renderer consults.

Grammar of a set (as strace's): `[!]ITEM[,ITEM...]`, where an ITEM is a
syscall name, `%class`, `/regex`, `all` or `none`, and a leading `?` on an
item makes an unknown name silently match nothing.  `!` negates the set.
"""

from __future__ import annotations

import os
import re
import signal
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .errors import AtraceError
from .syscalls import ARCH_I386, ARCH_X32, ARCH_X86_64, CLASSES, Syscall, table
from .syscalls.abi import is_error, signed

ARCHES = (ARCH_X86_64, ARCH_I386, ARCH_X32)
# Class names as strace spells them after '%'; "%%stat" is stat_like.
CLASS_ALIASES = {"%stat": "stat", "%%stat": "stat_like", "%statfs": "statfs", "%%statfs": "statfs_like",
                 "%net": "network"}  # fmt: skip
# strace still accepts these classes without the '%'.
BARE_CLASSES = frozenset({"file", "process", "network", "signal", "ipc", "desc", "memory"})
STATUSES = ("successful", "failed", "unfinished", "unavailable", "detached")
# Named sets of atrace's own (not strace's), for recording only what an
# analysis needs (docs/ANALYSIS.md). %deps: the file and dependency
# analyses (files.py, --deps): the file calls, and the fd bookkeeping that
# turns fd and dirfd arguments into paths (close, the dup family, fcntl's
# F_DUPFD, chdir/fchdir, and the calls that make fds of other kinds). "?"
# items are names one architecture lacks.
NAMED_SETS = {
    "%deps": ("%file", "close", "?close_range", "dup", "?dup2", "dup3", "fcntl", "?fcntl64", "?fchdir", "?pipe",
              "pipe2", "?socket", "?socketpair", "?accept", "?accept4", "?socketcall", "?eventfd", "eventfd2",
              "?epoll_create", "epoll_create1", "?signalfd", "signalfd4", "timerfd_create", "memfd_create",
              "?inotify_init", "inotify_init1", "?pidfd_open"),
}  # fmt: skip


def recorded_names(recorded: dict[int, frozenset[int]] | None) -> list[str] | None:
    """The header's `options.trace`: None when every call is recorded, else
    the sorted names of the recorded calls (of every architecture)."""
    if recorded is None:
        return None
    names: set[str] = set()
    for arch, numbers in recorded.items():
        calls = table(arch)
        names.update(calls[nr].name for nr in numbers if nr < len(calls) and calls[nr] is not None)  # type: ignore[union-attr]
    return sorted(names)


def call_names(expr: str) -> frozenset[str] | None:
    """The names of the calls an -e SET selects (-e abbrev=, verbose=,
    raw=); None for every call."""
    chosen = recorded_names(syscall_set(expr))
    return None if chosen is None else frozenset(chosen)


def every_call_name() -> frozenset[str]:
    """The names of every call of every ABI (a set that is "all" spelled out)."""
    return frozenset(call.name for arch in ARCHES for call in table(arch) if call is not None)


def _split(expr: str) -> tuple[bool, list[str]]:
    # Each leading ! inverts the set once more, as in strace (`!!!0` is `!0`).
    body = expr.lstrip("!")
    negated = (len(expr) - len(body)) % 2 == 1
    return negated, [item for item in body.split(",") if item]


def syscall_set(expr: str) -> dict[int, frozenset[int]] | None:
    """The numbers an -e trace= expression selects, per arch; None for all.

    Raises AtraceError with strace's message for an unknown name, class or a
    bad regex.
    """
    negated, items = _split(expr)
    chosen: dict[int, set[int]] = {arch: set() for arch in ARCHES}
    everything = {arch: {c.nr for c in table(arch) if c is not None} for arch in ARCHES}
    for raw in items:
        optional = raw.startswith("?")
        item = raw[1:] if optional else raw
        matched = _match(item, raw, everything)
        if matched is None:
            if optional:
                continue
            raise AtraceError(f"invalid system call '{raw}'")
        for arch in ARCHES:
            chosen[arch] |= matched[arch]
    if negated:
        chosen = {arch: everything[arch] - chosen[arch] for arch in ARCHES}
    if all(chosen[arch] == everything[arch] for arch in ARCHES):
        return None
    return {arch: frozenset(nrs) for arch, nrs in chosen.items()}


def _match(item: str, raw: str, everything: dict[int, set[int]]) -> dict[int, set[int]] | None:
    if item in NAMED_SETS:
        named = syscall_set(",".join(NAMED_SETS[item]))
        return {arch: set(everything[arch] if named is None else named[arch]) for arch in ARCHES}
    if item == "all":
        return {arch: set(nrs) for arch, nrs in everything.items()}
    if item == "none":
        return {arch: set() for arch in ARCHES}
    if item.isdigit():
        # A syscall number, in each ABI's table (strace's `-e trace=42`).
        numbered = {arch: {int(item)} & nrs for arch, nrs in everything.items()}
        return numbered if any(numbered.values()) else None
    if item.startswith("/"):
        try:
            pattern = re.compile(item[1:])
        except re.error as err:
            raise AtraceError(f"regcomp: {item[1:]}: {err}") from None
        return _select(lambda call: pattern.search(call.name) is not None)
    if item.startswith("%") or item in BARE_CLASSES:
        name = CLASS_ALIASES.get(item, item.lstrip("%"))
        if name not in CLASSES:
            return None
        return _select(lambda call: name in call.classes)
    found = _select(lambda call: call.name == item)
    return found if any(found.values()) else None


def _select(predicate: Any) -> dict[int, set[int]]:
    return {arch: {c.nr for c in table(arch) if c is not None and predicate(c)} for arch in ARCHES}


def status_set(expr: str) -> frozenset[str]:
    negated, items = _split(expr)
    chosen: set[str] = set()
    for item in items:
        if item == "all":
            chosen |= set(STATUSES)
        elif item == "none":
            continue
        elif item in STATUSES:
            chosen.add(item)
        else:
            raise AtraceError(f"invalid status '{item}'")
    return frozenset(set(STATUSES) - chosen if negated else chosen)


def signal_number(name: str) -> int | None:
    if name.isdigit():
        number = int(name)
        return number if 0 < number <= 64 else None
    upper = name.upper()
    if not upper.startswith("SIG"):
        upper = "SIG" + upper
    if upper.startswith("SIGRT_") and upper[6:].isdigit():
        return 32 + int(upper[6:]) if int(upper[6:]) <= 32 else None
    if upper == "SIGRTMIN":
        return 32
    try:
        return int(signal.Signals[upper])
    except KeyError:
        return None


def signal_set(expr: str) -> frozenset[int]:
    negated, items = _split(expr)
    everything = set(range(1, 65))
    chosen: set[int] = set()
    for item in items:
        if item == "all":
            chosen |= everything
        elif item == "none":
            continue
        else:
            number = signal_number(item)
            if number is None:
                raise AtraceError(f"invalid signal '{item}'")
            chosen.add(number)
    return frozenset(everything - chosen if negated else chosen)


def fd_set(expr: str) -> frozenset[int]:
    negated, items = _split(expr)
    chosen: set[int] = set()
    for item in items:
        if item == "all":
            chosen |= set(range(0, 1 << 16))
        elif item == "none":
            continue
        elif item.isdigit():
            chosen.add(int(item))
        else:
            raise AtraceError(f"invalid descriptor '{item}'")
    if negated:
        return frozenset(set(range(0, 1 << 16)) - chosen)
    return frozenset(chosen)


# fsconfig's commands whose aux argument is an fd (and whose value a path,
# the first two): -P looks at those alone, not at the context fd, as strace.
_FSCONFIG_PATH_CMDS, _FSCONFIG_FD_CMD = frozenset({3, 4}), 5


def _matched_args(entry: Any, syscall: Syscall) -> tuple[str, ...] | None:
    """The arguments -P looks at in a call that does not follow the rule
    (every fd, dirfd and path argument); None for the others."""
    if syscall.name != "fsconfig":
        return None
    cmd = signed(entry.args[1], 32)
    if cmd in _FSCONFIG_PATH_CMDS:
        return ("value", "aux")
    return ("aux",) if cmd == _FSCONFIG_FD_CMD else ()


@dataclass(slots=True)
class DisplayFilter:
    """The filters the text renderer applies to each call and signal."""

    statuses: frozenset[str] | None = None  # None: every status
    signals: frozenset[int] | None = None  # None: every signal
    paths: tuple[str, ...] = ()  # -P
    fds: frozenset[int] | None = None  # -e trace-fds=
    # -P as `atrace tail` means it: each call's paths resolved as the traced
    # process saw them (its working directory, dirfds, fds), which the
    # filter stage follows with analysis.paths.PathTracker. False: strace's
    # matching, the path as written or absolute against atrace's own cwd.
    resolve_in_tracee: bool = False
    _path_fds: dict[int, set[int]] = field(default_factory=dict)  # tgid -> fds opened on a -P path

    @property
    def needs_outcome(self) -> bool:
        return self.statuses is not None

    @property
    def keeps_unknown(self) -> bool:
        return not self.paths and self.fds is None

    def wants_entry(self, entry: Any, syscall: Syscall | None, resolved: Iterable[str] | None = None) -> bool:
        """`resolved`: the call's paths as the tracee resolves them
        (resolve_in_tracee), else -P matches as strace's does."""
        if syscall is None:
            return self.keeps_unknown
        if self.fds is not None and not self._touches_fds(entry, syscall, self.fds):
            return False
        if not self.paths:
            return True
        if resolved is not None:
            return any(path in self.paths for path in resolved)
        return self._touches_paths(entry, syscall)

    def wants_outcome(self, ret: int) -> bool:
        if self.statuses is None:
            return True
        failed = is_error(ret)
        return ("failed" if failed else "successful") in self.statuses

    def wants_unfinished(self) -> bool:
        return self.statuses is None or "unfinished" in self.statuses

    def wants_detached(self) -> bool:
        return self.statuses is None or "detached" in self.statuses

    def wants_signal(self, signo: int) -> bool:
        return self.signals is None or signo in self.signals

    def note_result(self, entry: Any, syscall: Syscall | None, ret: int) -> None:
        """Remember an fd opened on a -P path, so later calls on it match."""
        if not self.paths or self.resolve_in_tracee or syscall is None or ret < 0:
            return
        if "desc" in syscall.classes and self._names_path(entry, syscall):
            self._path_fds.setdefault(entry.tgid, set()).add(ret)

    @staticmethod
    def _fd_args(entry: Any, syscall: Syscall) -> Iterable[int]:
        for index, arg in enumerate(syscall.args):
            if arg.kind in ("fd", "dirfd"):
                yield signed(entry.args[index], 32)

    def _touches_fds(self, entry: Any, syscall: Syscall, fds: frozenset[int]) -> bool:
        return any(fd in fds for fd in self._fd_args(entry, syscall))

    def _fd_on_path(self, entry: Any, syscall: Syscall) -> bool:
        """An fd argument whose /proc link (recorded at the stop for -P,
        tracer/fd_paths.py) is a -P path, as strace matches: a dup'd or
        inherited fd matches as the fd that was opened on the path."""
        data = entry.data or {}
        chosen = _matched_args(entry, syscall)
        for arg in syscall.args:
            if arg.kind in ("fd", "dirfd") and (chosen is None or arg.name in chosen):
                value = data.get(arg.name + "_path")
                if value is not None and os.fsdecode(value) in self.paths:
                    return True
        watched = data.get("watched_paths")  # poll's and select's fds
        return isinstance(watched, list) and any(os.fsdecode(path) in self.paths for path in watched)

    def _names_path(self, entry: Any, syscall: Syscall) -> bool:
        data = entry.data or {}
        chosen = _matched_args(entry, syscall)
        for arg in syscall.args:
            if arg.kind == "path" if chosen is None else arg.name in chosen and isinstance(data.get(arg.name), str):
                value = data.get(arg.name)
                if value is None:
                    continue
                text = os.fsdecode(value)
                if text in self.paths or os.path.abspath(text) in self.paths:
                    return True
        return False

    def _touches_paths(self, entry: Any, syscall: Syscall) -> bool:
        if self._names_path(entry, syscall) or self._fd_on_path(entry, syscall):
            return True
        opened = self._path_fds.get(entry.tgid)
        if opened and any(fd in opened for fd in self._fd_args(entry, syscall)):
            if syscall.name == "close":
                opened.discard(entry.args[0] & 0xFFFFFFFF)
            return True
        return False


def display_filter(statuses: list[str], signals: list[str], paths: list[str], fds: list[str],
                   successful_only: bool, failed_only: bool, resolve_in_tracee: bool = False,
                   ) -> DisplayFilter | None:  # fmt: skip
    """The renderer's filter from the options, or None when nothing filters."""
    chosen: frozenset[str] | None = None
    for expr in statuses:
        chosen = status_set(expr) if chosen is None else chosen | status_set(expr)
    if successful_only:
        chosen = frozenset({"successful"})
    if failed_only:
        chosen = frozenset({"failed"})
    signal_choice: frozenset[int] | None = None
    for expr in signals:
        signal_choice = signal_set(expr) if signal_choice is None else signal_choice | signal_set(expr)
    fd_choice: frozenset[int] | None = None
    for expr in fds:
        fd_choice = fd_set(expr) if fd_choice is None else fd_choice | fd_set(expr)
    resolved = tuple(dict.fromkeys(p for path in paths for p in (path, os.path.abspath(path), os.path.realpath(path))))
    if chosen is None and signal_choice is None and not resolved and fd_choice is None:
        return None
    return DisplayFilter(chosen, signal_choice, resolved, fd_choice, resolve_in_tracee)


def note_resolved_paths(paths: list[str]) -> None:
    """-P: say on stderr which path a requested one resolves into (a
    symlink, a relative path), as strace does unless -e quiet=path-resolution."""
    for path in paths:
        real = os.path.realpath(path)
        if real != path:
            print(f'atrace: Requested path "{path}" resolved into "{real}"', file=sys.stderr)


@dataclass(slots=True)
class Selection:
    """What the -e options chose."""

    recorded: dict[int, frozenset[int]] | None = None
    statuses: list[str] = field(default_factory=list)
    signals: list[str] = field(default_factory=list)
    fds: list[str] = field(default_factory=list)
    # -e inject= / -e fault=, as (qualifier, expression) in their order
    # (atrace.tracer.inject_spec parses them).
    injections: list[tuple[str, str]] = field(default_factory=list)
    # -e read= / -e write=: the fds whose data is dumped in hex (None: none).
    read_fds: frozenset[int] | None = None
    write_fds: frozenset[int] | None = None


def parse_expressions(expressions: list[str]) -> Selection:
    """-e QUALIFIER=SET options; a bare SET means trace=SET, as in strace.

    The tracer's command line and `atrace tail` both parse -e here.  The
    status=, signal= and trace-fds= sets are kept as written (the
    renderer's filter parses them, display_filter); trace= becomes the
    recorded numbers at once (None: every call)."""
    selection = Selection()
    traced: list[str] = []
    for expression in expressions:
        qualifier, sep, value = expression.partition("=")
        if not sep:
            qualifier, value = "trace", expression
        if qualifier in ("trace", "t"):
            traced.append(value)
        elif qualifier in ("status",):
            selection.statuses.append(value)
        elif qualifier in ("signal", "signals", "s"):
            selection.signals.append(value)
        elif qualifier in ("trace-fds", "trace_fds"):
            selection.fds.append(value)
        elif qualifier in ("inject", "fault"):
            selection.injections.append((qualifier, value))
        elif qualifier in ("read", "reads", "r"):
            selection.read_fds = fd_set(value)  # given twice, the last counts (strace 6.1)
        elif qualifier in ("write", "writes", "w"):
            selection.write_fds = fd_set(value)
        elif qualifier in ("abbrev", "a", "verbose", "v", "raw", "x", "quiet", "q", "decode-fds", "kvm"):
            # (the command line takes these out before; `atrace tail` has none of them)
            raise AtraceError(f"-e {qualifier}= is not supported yet")
        else:
            raise AtraceError(f"invalid -e qualifier '{qualifier}'")
    if traced:
        # Each -e trace= replaces the one before, as in strace 6.1
        # (`-e trace=close -e trace=openat` traces openat alone); every
        # one is still checked for unknown names.
        for value in traced:
            chosen = syscall_set(value)
        selection.recorded = chosen
    return selection
