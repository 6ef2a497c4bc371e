"""Struct kinds of single calls (_sysctl, io_uring_setup, sched_setattr and
sched_getattr, get_thread_area): rows of atrace.syscalls.kinds.Kind's fields, `layout` as
(x86_64/x32 format, i386 format, field names); atrace.syscalls.kinds
declares them like its own.  Layouts from linux/sysctl.h, linux/io_uring.h
and linux/sched/types.h."""

from __future__ import annotations

from typing import Any

MORE_STRUCTS: tuple[dict[str, Any], ...] = (
    # struct __sysctl_args: name, nlen, oldval, oldlenp, newval, newlen, then
    # four unused longs (copied with it: strace reads it whole).
    {"name": "sysctl_args", "formatter": "sysctl_args", "phase": "entry", "parser": "fields",
     "layout": ("<Qi4xQQQQ32x", "<IiIIII16x", ("name", "nlen", "oldval", "oldlenp", "newval", "newlen")),
     "doc": "_sysctl's struct __sysctl_args"},
    # struct io_uring_params (the same in every ABI): the flags and thread
    # settings the caller passes in, then what the kernel fills.
    {"name": "io_uring_params", "formatter": "ptr", "phase": "both", "parser": "fields",
     "layout": ("<6Ii3I8IQ8IQ", "<6Ii3I8IQ8IQ", (
         "sq_entries", "cq_entries", "flags", "sq_thread_cpu", "sq_thread_idle", "features", "wq_fd", "resv0",
         "resv1", "resv2", "sq_head", "sq_tail", "sq_ring_mask", "sq_ring_entries", "sq_flags", "sq_dropped",
         "sq_array", "sq_resv1", "sq_resv2", "cq_head", "cq_tail", "cq_ring_mask", "cq_ring_entries", "cq_overflow",
         "cq_cqes", "cq_flags", "cq_resv1", "cq_resv2")),
     "doc": "io_uring_setup's struct io_uring_params, passed in and filled by the kernel (its decoder shows it)"},
    # struct sched_attr: as many bytes as its size says, up to the 56 strace
    # knows (the process decoder shows it); after E2BIG (-7) the kernel has
    # written the size it supports into it.
    {"name": "sched_attr_in", "formatter": "ptr", "phase": "both", "entry_reader": "sched_attr_in",
     "exit_reader": "sched_attr_size", "shown_at_exit": False, "exit_errors": frozenset({-7}),
     "doc": "sched_setattr's struct sched_attr (up to 56 bytes, fewer where memory ends); after E2BIG the size "
            "the kernel wrote back"},
    {"name": "sched_attr_out", "formatter": "ptr", "phase": "exit", "exit_reader": "sched_attr_out",
     "doc": "sched_getattr's struct sched_attr: as many bytes as the size argument, up to 56"},
    # get_thread_area's struct user_desc: the kernel reads only entry_number
    # from it (copied at entry as far as readable), and fills it whole.
    {"name": "user_desc_get", "formatter": "ptr", "phase": "both", "entry_reader": "user_desc_head",
     "layout": ("<iIII", "<iIII", ("entry_number", "base_addr", "limit", "bits")), "parser": "user_desc",
     "doc": "get_thread_area's struct user_desc: at entry as much of it as is readable (its entry_number), at "
            "exit as the kernel filled it"},
)  # fmt: skip
