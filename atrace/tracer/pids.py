"""What the tracer records about pid values: -Y (the command name behind a
pid) and --pidns-translation (a pid of a tracee in another pid namespace,
as atrace's namespace numbers it).

Both are read from /proc at the stop, when the pid still names the process
the call named. /proc/PID/status's NSpid, NStgid, NSpgid and NSsid lines
list one id per pid namespace, from the namespace of the /proc mount down to
the process's own; atrace's own depth in that list comes from
/proc/self/status (0 when /proc is atrace's namespace's; more when /proc was
mounted in an outer one, as under `unshare -pf` without a new /proc).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence

from ..syscalls import prctls
from ..syscalls.abi import signed
from .proc_dirs import depth, ns_link, proc_dir, status_ids

Value = int | str | bytes | None

# Which id line names the value a pid argument or return holds: process
# groups and sessions have lines of their own, any task is in NSpid.
PGID_ARGS = frozenset({"pgid"})
# getpriority/setpriority's `who` is what `which` (the first argument) says:
# PRIO_PROCESS a pid, PRIO_PGRP a process group, PRIO_USER a uid (no pid).
WHO_FIELDS = {0: "NSpid", 1: "NSpgid"}
PID_RETURNS = {
    "getpid": "NSpid", "gettid": "NSpid", "getppid": "NSpid", "fork": "NSpid", "vfork": "NSpid",
    "clone": "NSpid", "clone3": "NSpid", "wait4": "NSpid", "waitpid": "NSpid", "set_tid_address": "NSpid",
    "getpgrp": "NSpgid", "getpgid": "NSpgid", "getsid": "NSsid", "setsid": "NSsid",
}  # fmt: skip

# Calls whose pid argument is one only for some values of another argument
# (prctl's options): call -> (args -> (argument index, id line) or None).
# The translation is recorded as `pid_pidns`.
# ioprio's `who` is what `which` says: IOPRIO_WHO_PROCESS a pid, _PGRP a
# process group, _USER a uid (no pid).
_IOPRIO_WHO = {1: "NSpid", 2: "NSpgid"}


def _ioprio_who(args: Sequence[int]) -> tuple[int, str] | None:
    field = _IOPRIO_WHO.get(args[0] & 0xFFFFFFFF)
    return None if field is None else (1, field)


def _peercred(args: Sequence[int]) -> int | None:
    """getsockopt(SOL_SOCKET, SO_PEERCRED): struct ucred's pid leads the optval."""
    return args[3] if args[1] & 0xFFFFFFFF == 1 and args[2] & 0xFFFFFFFF == 17 else None


# Pids inside a struct a call fills (--pidns-translation), read at its exit
# when it succeeded: call -> (its data key, the pid's address from the args, or None).
STRUCT_PIDS: dict[str, tuple[str, Callable[[Sequence[int]], int | None]]] = {
    "getsockopt": ("optval_pid_pidns", _peercred),
}

CHOSEN_PID_ARGS: dict[str, Callable[[Sequence[int]], tuple[int, str] | None]] = {
    "prctl": prctls.pid_arg, "ioprio_get": _ioprio_who, "ioprio_set": _ioprio_who,
}  # fmt: skip


class PidNamespaces:
    """Translates pids seen by tracees into atrace's pid namespace."""

    def __init__(self) -> None:
        self._level = depth()
        self._own = ns_link("/proc/self/ns/pid")
        # (namespace, id line, id) -> the id in atrace's namespace. A scan of
        # /proc per pid shown made a loop of getpid() 100x slower; a pid
        # reused in that namespace within one trace would be shown wrong.
        self._found: dict[tuple[str, str, int], int] = {}

    def _entry(self, tid: int) -> str | None:
        """The /proc directory of the task atrace calls `tid`."""
        return proc_dir(tid)

    @staticmethod
    def _all_tasks() -> list[str]:
        tasks: list[str] = []
        for pid in os.listdir("/proc"):
            if pid.isdigit():
                try:
                    tasks.extend(f"/proc/{pid}/task/{tid}" for tid in os.listdir(f"/proc/{pid}/task"))
                except OSError:
                    continue
        return tasks

    def translate(self, tid: int, value: int, field: str) -> int | None:
        """`value`, an id of the kind of `field` in the namespace of the
        tracee `tid`, as atrace's namespace numbers it; None when the two
        namespaces are the same or the id names no process."""
        entry = self._entry(tid)
        if entry is None or value <= 0:
            return None
        ns = ns_link(entry + "/ns/pid")
        if ns is None or ns == self._own:
            return None
        key = (ns, field, value)
        found = self._found.get(key)
        if found is not None:
            return found
        tracee_depth = len(status_ids(entry + "/status", "NSpid")) - 1
        if tracee_depth < self._level:
            return None
        for task in self._all_tasks():
            ids = status_ids(task + "/status", field)
            if len(ids) == tracee_depth + 1 and ids[tracee_depth] == value and ns_link(task + "/ns/pid") == ns:
                self._found[key] = ids[self._level]
                return ids[self._level]
        return None

    def same_namespace(self, tid: int) -> bool:
        entry = self._entry(tid)
        return entry is None or ns_link(entry + "/ns/pid") in (None, self._own)

    def comm(self, tid: int, value: int, field: str) -> Value:
        """-Y: the command name of the process `value` names in tracee
        `tid`'s namespace (translated first when it is not atrace's)."""
        if not self.same_namespace(tid):
            translated = self.translate(tid, value, field)
            if translated is None:
                return None
            value = translated
        return comm(value)

    # -- readers for the decoding plans (tracer/decoding.py) -----------

    def comm_of_arg(self, name: str) -> Callable[[int, int, Sequence[int], int], Value]:
        def read(pid: int, arch: int, args: Sequence[int], index: int, /) -> Value:
            field = _arg_field(name, args)
            return None if field is None else self.comm(pid, signed(args[index], 32), field)

        return read

    def comm_of_return(self, call: str) -> Callable[[int, Sequence[int], int, int], Value]:
        field = PID_RETURNS[call]

        def read(pid: int, args: Sequence[int], index: int, ret: int, /) -> Value:
            return self.comm(pid, ret, field)

        return read

    def arg_reader(self, name: str) -> Callable[[int, int, Sequence[int], int], Value]:
        def read(pid: int, arch: int, args: Sequence[int], index: int, /) -> Value:
            field = _arg_field(name, args)
            return None if field is None else self.translate(pid, signed(args[index], 32), field)

        return read

    def chosen_reader(self, call: str) -> Callable[[int, int, Sequence[int], int], Value]:
        """--pidns-translation of a pid argument CHOSEN_PID_ARGS finds."""
        choose = CHOSEN_PID_ARGS[call]

        def read(pid: int, arch: int, args: Sequence[int], index: int, /) -> Value:
            found = choose(args)
            return None if found is None else self.translate(pid, signed(args[found[0]], 32), found[1])

        return read

    def struct_reader(self, call: str, read: Callable[[int, int, int], bytes | None]) -> Callable[
        [int, Sequence[int], int, int], Value
    ]:
        """--pidns-translation of the pid STRUCT_PIDS finds in what `call`
        wrote (`read(pid, address, size)` reads the tracee's memory)."""
        where = STRUCT_PIDS[call][1]

        def reader(pid: int, args: Sequence[int], index: int, ret: int, /) -> Value:
            address = where(args) if ret >= 0 else None
            raw = read(pid, address, 4) if address else None
            return self.translate(pid, int.from_bytes(raw, "little"), "NStgid") if raw and len(raw) == 4 else None

        return reader

    def return_reader(self, call: str) -> Callable[[int, Sequence[int], int, int], Value]:
        field = PID_RETURNS[call]

        def read(pid: int, args: Sequence[int], index: int, ret: int, /) -> Value:
            return self.translate(pid, ret, field)

        return read


def _arg_field(name: str, args: Sequence[int]) -> str | None:
    """The id line of pid argument `name`; None when it holds no pid."""
    if name == "who":
        return WHO_FIELDS.get(args[0] & 0xFFFFFFFF)
    return "NSpgid" if name in PGID_ARGS else "NSpid"


def comm(pid: int) -> Value:
    """-Y: the command name of `pid` (/proc/PID/comm), None if it is gone."""
    if pid <= 0:
        return None
    try:
        with open(f"{proc_dir(pid)}/comm", "rb") as f:
            name = f.read().rstrip(b"\n")
    except OSError:
        return None
    try:
        return name.decode()
    except UnicodeDecodeError:
        return name


def own_comm(pid: int, arch: int, args: Sequence[int], index: int, /) -> Value:
    return comm(pid)
