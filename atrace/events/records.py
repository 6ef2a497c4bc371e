"""Record types of the wire format, and the typed events a reader yields.

This is the one place that knows the field order of each record (see
docs/FORMAT.md). The tracer builds plain tuples in this order; the header
publishes the names; the reader turns each array into the NamedTuple below
without copying field by field.
"""

from __future__ import annotations

from typing import Any, NamedTuple

FORMAT_VERSION = 1
MAGIC = "atrace"

HEADER = 0
SYSCALL_ENTRY = 1
SYSCALL_EXIT = 2
SPAWN = 3
EXEC = 4
EXIT = 5
SIGNAL = 6
STOPPED = 7
ATTACHED = 8
DETACHED = 9
LOST = 10
TRAILER = 15


class Header(NamedTuple):
    """The first record: magic, format version, command, start time, field names."""

    type: int
    meta: dict[str, Any]


class SyscallEntry(NamedTuple):
    """A task entered a system call (written before the call can block)."""

    type: int
    ts: int
    tid: int
    tgid: int
    arch: int
    nr: int
    name: str
    args: tuple[int, ...]
    data: dict[str, Any] | None


class SyscallExit(NamedTuple):
    """The call most recently entered by `tid` returned `ret`."""

    type: int
    ts: int
    tid: int
    tgid: int
    nr: int
    ret: int
    data: dict[str, Any] | None
    # System CPU time of the call in ns (the process's stime at exit minus at
    # entry), recorded with -c; None otherwise. Added after format 1's first
    # writers, so a reader fills it in when a record ends before it.
    stime: int | None = None


class Spawn(NamedTuple):
    """fork/vfork/clone: `tid` created `child_tid`."""

    type: int
    ts: int
    tid: int
    tgid: int
    child_tid: int
    child_tgid: int
    kind: str
    flags: int


class Exec(NamedTuple):
    """A successful execve; `old_tid` is the thread that called it."""

    type: int
    ts: int
    tid: int
    tgid: int
    old_tid: int
    filename: str | bytes | None
    argv: list[str | bytes] | None
    cwd: str | bytes | None


class Exit(NamedTuple):
    """A task ended: with an exit `code`, or killed by `signal`."""

    type: int
    ts: int
    tid: int
    tgid: int
    code: int | None
    signal: int | None
    core_dumped: bool
    # User and system CPU time of this task (thread) in ns, read when it
    # exited; a process's is the sum over its tasks. Added after format 1's
    # first writers: None in older traces, and when it could not be read.
    utime: int | None = None
    stime: int | None = None
    # -Y: the task's command name when it exited (str, or bytes when not
    # UTF-8); None without -Y, in older traces, or when it could not be read.
    comm: str | bytes | None = None


class Signal(NamedTuple):
    """A signal is being delivered to `tid`."""

    type: int
    ts: int
    tid: int
    tgid: int
    signo: int
    code: int
    sender_pid: int
    sender_uid: int
    extra: dict[str, int] | None


class Stopped(NamedTuple):
    """The task entered a group-stop (job control)."""

    type: int
    ts: int
    tid: int
    tgid: int
    signo: int


class Attached(NamedTuple):
    """`-p`: atrace attached to this already running task."""

    type: int
    ts: int
    tid: int
    tgid: int


class Detached(NamedTuple):
    """atrace detached from this task, which lives on untraced."""

    type: int
    ts: int
    tid: int
    tgid: int


class Lost(NamedTuple):
    """`events` events could not be written to this output (`reason` says why)."""

    type: int
    ts: int
    events: int
    reason: str


class Trailer(NamedTuple):
    """The last record of a cleanly finished trace: counts and how the command ended."""

    type: int
    ts: int
    summary: dict[str, Any]


Event = (
    Header | SyscallEntry | SyscallExit | Spawn | Exec | Exit | Signal | Stopped | Attached | Detached | Lost | Trailer
)

# Record type -> (wire name, class). The header's `fields` and `types` maps
# are built from this, so the published layout cannot drift from the code.
RECORDS: dict[int, tuple[str, type[Any]]] = {
    HEADER: ("header", Header),
    SYSCALL_ENTRY: ("syscall_entry", SyscallEntry),
    SYSCALL_EXIT: ("syscall_exit", SyscallExit),
    SPAWN: ("spawn", Spawn),
    EXEC: ("exec", Exec),
    EXIT: ("exit", Exit),
    SIGNAL: ("signal", Signal),
    STOPPED: ("stopped", Stopped),
    ATTACHED: ("attached", Attached),
    DETACHED: ("detached", Detached),
    LOST: ("lost", Lost),
    TRAILER: ("trailer", Trailer),
}


def _shared_index(name: str) -> int:
    """The position of field `name`, the same in every record that has it:
    code that handles raw tuples (the tracer's, before any NamedTuple view)
    reads it there, by this name."""
    places: set[int] = {cls._fields.index(name) for _wire, cls in RECORDS.values() if name in cls._fields}
    assert len(places) == 1, f"field {name} moves between record types"
    return places.pop()


# Where raw tuples keep the fields every task record has.
TS = _shared_index("ts")
TID = _shared_index("tid")
TGID = _shared_index("tgid")


def field_names() -> dict[str, list[str]]:
    return {name: list(cls._fields[1:]) for name, cls in RECORDS.values()}


def type_numbers() -> dict[str, int]:
    return {name: number for number, (name, _cls) in RECORDS.items()}
