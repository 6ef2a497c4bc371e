"""-e read= / -e write=: the whole data of the dumped calls, for their fds.

Buffers are normally copied up to the -s size; strace's hex dumps show all
the bytes read or written, so for the calls of `syscalls.calls.DUMPED_CALLS`
on a chosen fd the data argument (always the second) is read by the
readers of a second Decoder whose limit is `DUMP_LIMIT`. Other fds keep the
cut copy: the choice is made per call from its first argument, the fd.
"""

from __future__ import annotations

from collections.abc import Sequence

from .readers import ExitReader, ExitStep, Reader, Step, Value

# Most bytes copied from one buffer for a dump (strace has no limit; this
# one keeps a runaway length from taking the tracer's memory).
DUMP_LIMIT = 16 * 1024 * 1024
DATA_INDEX = 1  # the data argument of every dumped call
_FD_MASK = 0xFFFFFFFF


def _entry_choice(fds: frozenset[int], cut: Reader, whole: Reader) -> Reader:
    def reader(pid: int, arch: int, args: Sequence[int], index: int, /) -> Value:
        return (whole if args[0] & _FD_MASK in fds else cut)(pid, arch, args, index)

    return reader


def _exit_choice(fds: frozenset[int], cut: ExitReader, whole: ExitReader) -> ExitReader:
    def reader(pid: int, args: Sequence[int], index: int, ret: int, /) -> Value:
        return (whole if args[0] & _FD_MASK in fds else cut)(pid, args, index, ret)

    return reader


def widen(
    fds: frozenset[int],
    cut: tuple[list[Step], list[ExitStep]],
    whole: tuple[tuple[Step, ...], tuple[ExitStep, ...]],
) -> tuple[list[Step], list[ExitStep]]:
    """The steps of a dumped call: its data argument's read whole for `fds`
    (from `whole`, the same call's steps planned without the -s cut)."""
    whole_entry = {key: read for key, index, read in whole[0] if index == DATA_INDEX}
    whole_exit = {key: read for key, index, read in whole[1] if index == DATA_INDEX}
    entry = [
        (key, index, _entry_choice(fds, read, whole_entry[key]) if key in whole_entry else read)
        for key, index, read in cut[0]
    ]
    exit_ = [
        (key, index, _exit_choice(fds, read, whole_exit[key]) if key in whole_exit else read)
        for key, index, read in cut[1]
    ]
    return entry, exit_
