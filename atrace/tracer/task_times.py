"""What the stop loop asks the kernel about a task while it waits in a
stop: its CPU time when it ends, and which thread group it belongs to.

These are per-process costs, paid while a traced process (often a whole
build step: a shell waiting for its child) waits in its stop. /proc is the
general answer, but its files are slow for a new process: the first lookup
of /proc/PID builds its directory's entries (measured on a 2-vCPU VM: the
two reads of `task_cpu_time` ~80 µs for a process seen for the first time,
~30 µs for one read before). The kernel's CPU clocks answer the same
questions in one clock_gettime each (~1 µs), without an fd:

* a process CPU clock, `MAKE_PROCESS_CPUCLOCK(pid, clock)` (linux/
  posix-timers.h: `((~pid) << 3) | clock`), may be read for any process by
  anyone, but names only a thread-group leader: for another task
  clock_gettime fails with EINVAL (kernel/time/posix-cpu-timers.c,
  `lookup_task`);
* it gives the whole thread group's time, the dead threads' included
  (`thread_group_cputime`): CPUCLOCK_SCHED the run time in ns (the sum of
  the tasks' `sum_exec_runtime`, what schedstat's first field gives for
  one task), CPUCLOCK_PROF user+system and CPUCLOCK_VIRT user, both as the
  tick-based accounting counts them (`task_cputime`, before the
  `cputime_adjust` scaling that /proc's stat applies);
* thread clocks (CPUCLOCK_PERTHREAD) are readable only inside the thread's
  own process.

So for a process whose only task ever was its leader, the process clocks
are that task's own times, read at ns precision; a thread, or a process
that had threads (or that was attached: it may have had some before), is
read from /proc.
"""

from __future__ import annotations

import os
import time

# linux/posix-timers.h: the clock in a CPU clock id's low bits.
CPUCLOCK_PROF, CPUCLOCK_VIRT, CPUCLOCK_SCHED = 0, 1, 2

_clock_ns = time.clock_gettime_ns
_NS_PER_TICK = 1_000_000_000 // os.sysconf("SC_CLK_TCK")


def process_clock(pid: int, clock: int) -> int:
    """The clock id of process `pid`'s CPU clock `clock` (MAKE_PROCESS_CPUCLOCK)."""
    return ((~pid) << 3) | clock


def process_cpu_time(pid: int) -> tuple[int, int] | tuple[None, None]:
    """(user, system) CPU time in ns of process `pid`, all its tasks
    together (dead threads included), from its CPU clocks; (None, None)
    when it cannot be read (gone, or `pid` is not a thread-group leader).

    The run time is split in the proportion of the user and system times
    the tick-based accounting counted, as the kernel splits it for
    getrusage and /proc (cputime_adjust): all user when no system time was
    counted, and the reverse. (clock_gettime does not release the GIL:
    nothing on the trio thread can hold the stopped task up meanwhile.)
    """
    base = (~pid) << 3
    try:
        total = _clock_ns(base | CPUCLOCK_SCHED)
        both = _clock_ns(base | CPUCLOCK_PROF)
        user = _clock_ns(base | CPUCLOCK_VIRT)
    except OSError:
        return None, None
    return split_run_time(total, user, both - user)


def split_run_time(total: int, user: int, system: int) -> tuple[int, int]:
    """`total` ns split between user and system in the proportion user :
    system (any unit); all user when system is 0, all system when user is."""
    if system <= 0:
        return total, 0
    if user <= 0:
        return 0, total
    user_ns = total * user // (user + system)
    return user_ns, total - user_ns


def is_group_leader(tid: int) -> bool:
    """Whether `tid` is a live thread-group leader (its tgid is itself):
    only a leader's process CPU clock can be read."""
    try:
        _clock_ns(((~tid) << 3) | CPUCLOCK_SCHED)
    except OSError:
        return False
    return True


def task_cpu_time(tgid: int, tid: int) -> tuple[int, int] | tuple[None, None]:
    """(user, system) CPU time of one task in ns, or (None, None) if unreadable.

    /proc's stat gives both in clock ticks; schedstat gives the total run
    time in ns. The total is split in the ticks' proportion, as the kernel
    itself splits sum_exec_runtime (cputime_adjust): all user time when no
    system tick was seen, and the reverse.
    """
    base = f"/proc/{tgid}/task/{tid}/"
    stat = read_proc(base + "stat")
    if stat is None:
        return None, None
    # The command name (field 2) may hold spaces and parentheses: count from
    # the last ')'. utime and stime are fields 14 and 15.
    fields = stat[stat.rfind(b")") + 2 :].split()
    try:
        user_ticks, system_ticks = int(fields[11]), int(fields[12])
    except (IndexError, ValueError):
        return None, None
    schedstat = read_proc(base + "schedstat")
    try:
        total = int(schedstat.split()[0]) if schedstat is not None else None
    except (IndexError, ValueError):
        total = None
    if total is None:
        # No schedstat (CONFIG_SCHED_INFO off): tick resolution only.
        return user_ticks * _NS_PER_TICK, system_ticks * _NS_PER_TICK
    return split_run_time(total, user_ticks, system_ticks)


def proc_tgid(tid: int) -> int | None:
    """The thread group of task `tid`: itself for a leader (asked of its
    CPU clock), else from /proc/TID/status; None when it is gone."""
    if is_group_leader(tid):
        return tid
    status = read_proc(f"/proc/{tid}/status")
    if status is None:
        return None
    start = status.find(b"\nTgid:")
    if start < 0:
        return None
    try:
        return int(status[start + 6 : status.index(b"\n", start + 1)])
    except ValueError:
        return None


def read_proc(path: str) -> bytes | None:
    """A small /proc file whole, or None if it cannot be read (the task is
    gone). These reads happen while a tracee waits in its stop (its exit
    event, a new task's first stop): os.open/os.read cost half what
    open()'s buffered file object does (measured: task_cpu_time's two
    reads 54 us -> 24 us of CPU)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        # One read returns a seq_file's whole text when the buffer holds it.
        return os.read(fd, 4096)
    except OSError:
        return None
    finally:
        os.close(fd)
