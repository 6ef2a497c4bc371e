"""-e kvm=vcpu: why KVM_RUN came back to user space.

A vcpu fd's `struct kvm_run` is shared memory the process maps from the
fd; the kernel writes the exit reason there (a __u32 at offset 8) before
KVM_RUN returns.  The mapping is found in /proc/PID/maps under the fd's
own name (`anon_inode:kvm-vcpu:N`), so no mmap needs to have been seen:
it works after -p as well.  Read only for a KVM_RUN that succeeded.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence

from ._ptrace import MemoryReader
from .proc_dirs import proc_dir
from .proc_readers import Value

KVM_RUN = 0xAE80
_VCPU_PREFIX = "anon_inode:kvm-vcpu:"
_EXIT_REASON_OFFSET = 8


def _run_area(pid: int, fd: int) -> int | None:
    """The address where `pid` mapped vcpu fd `fd`'s kvm_run, if it did."""
    try:
        proc = proc_dir(pid)
        name = os.readlink(f"{proc}/fd/{fd}")
        if not name.startswith(_VCPU_PREFIX):
            return None
        with open(f"{proc}/maps") as maps:
            for line in maps:
                if line.rstrip("\n").endswith(" " + name):
                    return int(line.split("-", 1)[0], 16)
    except (OSError, ValueError):
        return None
    return None


def kvm_exit_reason(memory: MemoryReader) -> Callable[[int, Sequence[int], int, int], Value]:
    """An exit reader for ioctl: KVM_RUN's exit reason (an int), else None."""

    def read(pid: int, args: Sequence[int], index: int, ret: int, /) -> Value:
        if ret != 0 or args[1] & 0xFFFFFFFF != KVM_RUN:
            return None
        area = _run_area(pid, args[0] & 0xFFFFFFFF)
        raw = memory.read(pid, area + _EXIT_REASON_OFFSET, 4) if area is not None else None
        return int.from_bytes(raw, "little") if raw is not None and len(raw) == 4 else None

    return read
