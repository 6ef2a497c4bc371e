"""What fcntl's third argument points to, by command: the lock commands'
struct flock, F_SETOWN_EX's and F_GETOWN_EX's struct f_owner_ex.

The tracer reads it (atrace.tracer.decoding) and the renderer shows it
(atrace.render.decode.desc).  "in" commands pass the lock in (read at
syscall entry); "out" commands have the kernel answer in it (read at exit,
when the call succeeded).  Values from the kernel's asm-generic/fcntl.h.
"""

from __future__ import annotations

# command -> (layout, when).  "flock" has the ABI's off_t (a long) offsets;
# "flock64" 64-bit ones: i386's F_*LK64 and the OFD commands (the kernel
# takes struct flock64 for those on every ABI).
LOCK_COMMANDS: dict[int, tuple[str, str]] = {
    5: ("flock", "out"),  # F_GETLK
    6: ("flock", "in"),  # F_SETLK
    7: ("flock", "in"),  # F_SETLKW
    12: ("flock64", "out"),  # F_GETLK64
    13: ("flock64", "in"),  # F_SETLK64
    14: ("flock64", "in"),  # F_SETLKW64
    36: ("flock64", "out"),  # F_OFD_GETLK
    37: ("flock64", "in"),  # F_OFD_SETLK
    38: ("flock64", "in"),  # F_OFD_SETLKW
    15: ("f_owner_ex", "in"),  # F_SETOWN_EX
    16: ("f_owner_ex", "out"),  # F_GETOWN_EX
}
F_SETOWN_EX, F_GETOWN_EX = 15, 16

# Bytes of each layout for (x86_64/x32, i386): short l_type, short l_whence,
# l_start, l_len, int l_pid.  On x86_64 both are the same 32-byte struct; on
# i386 struct flock is 16 bytes and struct flock64 24 (packed: i386 aligns
# 64-bit fields to 4).
# struct f_owner_ex is two ints in every ABI (type, pid).
LAYOUT_SIZES: dict[str, tuple[int, int]] = {"flock": (32, 16), "flock64": (32, 24), "f_owner_ex": (8, 8)}


def lock_size(cmd: int, wide: bool, when: str) -> int | None:
    """Bytes to copy for a command at "in" or "out", or None."""
    described = LOCK_COMMANDS.get(cmd)
    if described is None or described[1] != when:
        return None
    return LAYOUT_SIZES[described[0]][0 if wide else 1]
