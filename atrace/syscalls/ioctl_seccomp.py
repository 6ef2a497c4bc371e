"""seccomp user notification ioctls (linux/seccomp.h): what each request's
argument points to.  Registered by atrace.syscalls.ioctls; shown by
atrace.render.decode.ioctl_seccomp."""

from __future__ import annotations

SECCOMP_IOCTL_NOTIF_RECV = 0xC0502100
SECCOMP_IOCTL_NOTIF_SEND = 0xC0182101
SECCOMP_IOCTL_NOTIF_ID_VALID = 0x40082102
# The number ID_VALID had before Linux 5.17 fixed its direction: strace
# names it so and decodes it alike.
SECCOMP_IOCTL_NOTIF_ID_VALID_WRONG_DIR = 0x80082102
SECCOMP_IOCTL_NOTIF_ADDFD = 0x40182103

SIZES: dict[str, int] = {
    # u64 id, u32 pid, u32 flags, then struct seccomp_data: int nr, u32
    # arch, u64 instruction_pointer, u64 args[6]
    "seccomp_notif": 80,
    "seccomp_notif_resp": 24,  # u64 id, s64 val, s32 error, u32 flags
    "seccomp_id": 8,
    "seccomp_notif_addfd": 24,  # u64 id, u32 flags, u32 srcfd, u32 newfd, u32 newfd_flags
}

ARGS: dict[int, tuple[str, str]] = {
    # Shown at entry unless all zero (what a program passes in), and as the
    # kernel filled it once the call succeeded.
    SECCOMP_IOCTL_NOTIF_RECV: ("seccomp_notif", "inout"),
    SECCOMP_IOCTL_NOTIF_SEND: ("seccomp_notif_resp", "in"),
    SECCOMP_IOCTL_NOTIF_ID_VALID: ("seccomp_id", "in"),
    SECCOMP_IOCTL_NOTIF_ID_VALID_WRONG_DIR: ("seccomp_id", "in"),
    SECCOMP_IOCTL_NOTIF_ADDFD: ("seccomp_notif_addfd", "in"),
}

# -y: ADDFD's srcfd, after the u64 id and the u32 flags.
FD_FIELDS: dict[int, int] = {SECCOMP_IOCTL_NOTIF_ADDFD: 12}
# --pidns-translation: the notification's pid, after the u64 id.
PID_FIELDS: dict[int, int] = {SECCOMP_IOCTL_NOTIF_RECV: 8}
