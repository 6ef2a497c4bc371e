"""userfaultfd ioctls (linux/userfaultfd.h): what each request's argument
points to.  Registered by atrace.syscalls.ioctls; shown by
atrace.render.decode.ioctl_uffdio.  All are u64 fields: the same on every
personality."""

from __future__ import annotations

UFFDIO_API, UFFDIO_REGISTER, UFFDIO_UNREGISTER = 0xC018AA3F, 0xC020AA00, 0x8010AA01
UFFDIO_WAKE, UFFDIO_COPY, UFFDIO_ZEROPAGE = 0x8010AA02, 0xC028AA03, 0xC020AA04

SIZES: dict[str, int] = {
    "uffdio_api": 24,  # api, features, ioctls
    "uffdio_register": 32,  # range {start, len}, mode, ioctls
    "uffdio_range": 16,
    "uffdio_copy": 40,  # dst, src, len, mode, copy
    "uffdio_zeropage": 32,  # range, mode, zeropage
}

# What goes in is shown at entry; the fields the kernel fills, once it succeeded.
ARGS: dict[int, tuple[str, str]] = {
    UFFDIO_API: ("uffdio_api", "inout"),
    UFFDIO_REGISTER: ("uffdio_register", "inout"),
    UFFDIO_UNREGISTER: ("uffdio_range", "in"),
    UFFDIO_WAKE: ("uffdio_range", "in"),
    UFFDIO_COPY: ("uffdio_copy", "inout"),
    UFFDIO_ZEROPAGE: ("uffdio_zeropage", "inout"),
}
