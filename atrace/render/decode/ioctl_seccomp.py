"""seccomp user notification ioctls as strace shows them: the
notification received (the syscall by name for the personalities atrace
knows), the response sent, the id checked and the fd added.  What the
tracer copies comes from atrace.syscalls.ioctl_seccomp."""

from __future__ import annotations

import struct
from collections.abc import Callable

from ...syscalls import ARCH_I386, ARCH_X86_64
from ...syscalls.ioctl_seccomp import SECCOMP_IOCTL_NOTIF_ID_VALID_WRONG_DIR
from ...syscalls.model import lookup
from ..call import Call, hex0, pointer
from ..flags import OPEN_FLAGS, FlagTable, format_table_flags, format_table_value, raw_style, styled
from ..names import errno_name
from ..pid_texts import pid_text
from ..quoting import fd_with_path
from .audit_arches import AUDIT_ARCHES

# The personalities whose syscall numbers atrace knows, by audit arch.
_PERSONALITIES = {0xC000003E: ARCH_X86_64, 0x40000003: ARCH_I386}
_RESP_FLAGS: FlagTable = [(1, "SECCOMP_USER_NOTIF_FLAG_CONTINUE")]
_ADDFD_FLAGS: FlagTable = [(1, "SECCOMP_ADDFD_FLAG_SETFD"), (2, "SECCOMP_ADDFD_FLAG_SEND")]


def _syscall_nr(nr: int, audit_arch: int, call: Call) -> str:
    """The number by name: `__NR_gettid` in the tracee's own personality,
    `224 /* gettid */` in another one atrace knows, else the number."""
    arch = _PERSONALITIES.get(audit_arch)
    known = lookup(arch, nr) if arch is not None else None
    if known is None:
        return str(nr)
    if arch == call.arch:
        return styled(str(nr), f"__NR_{known.name}")
    return str(nr) if raw_style() else f"{nr} /* {known.name} */"


def _notif(raw: bytes, call: Call) -> str:
    ident, pid, flags, nr, audit_arch, ip = struct.unpack_from("<QIIIIQ", raw)
    args = ", ".join(hex0(value) for value in struct.unpack_from("<6Q", raw, 32))
    arch = format_table_value(audit_arch, AUDIT_ARCHES, "AUDIT_ARCH_")
    data = (f"{{nr={_syscall_nr(nr, audit_arch, call)}, arch={arch}, instruction_pointer={pointer(ip)}, "
            f"args=[{args}]}}")  # fmt: skip
    # --pidns-translation: the pid as atrace's namespace numbers it (read at entry).
    shown_pid = pid_text(pid, None, call.entry.get("arg_pid_pidns"))
    return f"{{id={hex0(ident)}, pid={shown_pid}, flags={hex0(flags)}, data={data}}}"


def _recv(raw: bytes, call: Call) -> str | None:
    """What went in, unless all zero; then ` => ` what came back, or its
    address when the call failed."""
    if len(raw) < 80:
        return None
    shown = [] if not any(raw[:80]) else [_notif(raw, call)]
    if call.ret is None:
        return shown[0] if shown else ""
    back = (call.exit or {}).get(call.syscall.args[2].name) if call.succeeded() else None
    shown.append(_notif(bytes(back), call) if back is not None and len(back) >= 80 else pointer(call.ulong(2)))
    return " => ".join(shown)


def _error(value: int) -> str:
    name = errno_name(-value) if value < 0 else None
    return styled(str(value), f"-{name}") if name and not name.startswith("errno") else str(value)


def _resp(raw: bytes, call: Call) -> str | None:
    if len(raw) < 24:
        return None
    ident, val, error, flags = struct.unpack_from("<QqiI", raw)
    shown_flags = format_table_flags(flags, _RESP_FLAGS, "SECCOMP_USER_NOTIF_FLAG_???")
    return f"{{id={hex0(ident)}, val={val}, error={_error(error)}, flags={shown_flags}}}"


def _id(raw: bytes, call: Call) -> str | None:
    return f"[{hex0(int.from_bytes(raw[:8], 'little'))}]" if len(raw) >= 8 else None


def _addfd(raw: bytes, call: Call) -> str | None:
    if len(raw) < 24:
        return None
    ident, flags, srcfd, newfd, newfd_flags = struct.unpack_from("<QIiiI", raw)
    shown_flags = format_table_flags(flags, _ADDFD_FLAGS, "SECCOMP_ADDFD_FLAG_???")
    path = call.entry.get("arg_fd_path")  # -y
    shown_fd = fd_with_path(str(srcfd), path) if path is not None else str(srcfd)
    return (f"{{id={hex0(ident)}, flags={shown_flags}, srcfd={shown_fd}, newfd={newfd}, "
            f"newfd_flags={format_table_flags(newfd_flags, OPEN_FLAGS, 'O_???')}}}")  # fmt: skip


SHAPES: dict[str, Callable[[bytes, Call], str | None]] = {
    "seccomp_notif": _recv,
    "seccomp_notif_resp": _resp,
    "seccomp_id": _id,
    "seccomp_notif_addfd": _addfd,
}
FORMS: dict[int, str | Callable[[Call], str]] = {}
NAMES: dict[int, str] = {SECCOMP_IOCTL_NOTIF_ID_VALID_WRONG_DIR: "SECCOMP_IOCTL_NOTIF_ID_VALID_WRONG_DIR"}
