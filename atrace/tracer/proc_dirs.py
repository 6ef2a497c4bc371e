"""The /proc directory of a task atrace knows by its pid.

The tracer numbers tasks as its own pid namespace does (waitpid, ptrace).
/proc numbers them as the namespace it was mounted in does; the two differ
when atrace runs in a pid namespace of its own without a /proc of its own
(`unshare -Urpf atrace ...`, as strace's test suite runs it): /proc/7 is
then some other process than atrace's task 7.  There the task is looked
up once (its NSpid line's entry at atrace's depth, and in atrace's own
namespace or traced by atrace, so that a sibling namespace's task 7 is
not taken) and kept while its status still says so; otherwise /proc/PID
is the task.
"""

from __future__ import annotations

import os

_level: int | None = None  # atrace's depth below the /proc mount's pid namespace
_hosts: dict[int, int] = {}  # atrace's pid -> the /proc mount's pid of that task


def status_ids(path: str, field: str) -> list[int]:
    """The numbers of one line of a /proc status file (NSpid, TracerPid...)."""
    key = field.encode() + b":"
    try:
        with open(path, "rb") as f:
            for line in f:
                if line.startswith(key):
                    return [int(x) for x in line.split()[1:]]
    except (OSError, ValueError):
        pass
    return []


def depth() -> int:
    """How many pid namespaces atrace's is below the one /proc shows (0: the same)."""
    global _level
    if _level is None:
        _level = max(len(status_ids("/proc/self/status", "NSpid")) - 1, 0)
    return _level


def proc_dir(pid: int) -> str:
    """`/proc/N` for atrace's task `pid` (N its pid in /proc's numbering);
    `/proc/pid` when the task cannot be found (the read then fails as for
    a task that is gone)."""
    level = _level if _level is not None else depth()
    if level == 0:
        return f"/proc/{pid}"
    host = _hosts.get(pid)
    if host is not None:
        ids = status_ids(f"/proc/{host}/status", "NSpid")
        if len(ids) > level and ids[level] == pid:
            return f"/proc/{host}"
    host = _find(pid, level)
    if host is None:
        return f"/proc/{pid}"
    _hosts[pid] = host
    return f"/proc/{host}"


def ns_link(path: str) -> str | None:
    """What a /proc ns/ link says (`pid:[4026531836]`), None if unreadable."""
    try:
        return os.readlink(path)
    except OSError:
        return None


def _find(pid: int, level: int) -> int | None:
    """The task whose pid at atrace's depth is `pid` and that is in atrace's
    namespace (its own, or below it and traced by atrace)."""
    ours = {int(name) for name in os.listdir("/proc/self/task")}
    own_ns = ns_link("/proc/self/ns/pid")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            tasks = os.listdir(f"/proc/{entry}/task")
        except OSError:
            continue
        for tid in tasks:
            status = f"/proc/{entry}/task/{tid}/status"
            ids = status_ids(status, "NSpid")
            if len(ids) <= level or ids[level] != pid:
                continue
            if (len(ids) == level + 1 and ns_link(f"/proc/{entry}/task/{tid}/ns/pid") == own_ns) or (
                (status_ids(status, "TracerPid") or [0])[0] in ours
            ):
                return int(tid)
    return None
