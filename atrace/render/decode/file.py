"""File and directory calls: open*, statx, umask..."""

from __future__ import annotations

from collections.abc import Callable

from ..call import Call
from ..flags import O_CREAT, O_TMPFILE, format_dev, format_file_mode, format_flags


def _open(call: Call) -> list[str | None]:
    """open/openat: the mode means something (and is shown) only with O_CREAT or O_TMPFILE."""
    parts: list[str | None] = call.all()
    flags = call.args[len(parts) - 2]
    if not flags & O_CREAT and flags & O_TMPFILE != O_TMPFILE:
        parts[-1] = None
    return parts


def _statx(call: Call) -> list[str | None]:
    parts: list[str | None] = call.all()
    # The sync type is a two-bit field whose 0 is AT_STATX_SYNC_AS_STAT:
    # strace names it first whenever it is 0.
    flags = call.args[2] & 0xFFFFFFFF
    shown = format_flags(flags, "statx_at")
    if not flags & 0x6000:
        shown = "AT_STATX_SYNC_AS_STAT" + ("|" + shown if flags else "")
    parts[2] = shown
    parts[3] = format_flags(call.args[3], "statx_mask")
    return parts


def _faccessat2(call: Call) -> list[str | None]:
    """faccessat2: 0x200 in its flags is AT_EACCESS, not AT_REMOVEDIR."""
    parts: list[str | None] = call.all()
    parts[3] = format_flags(call.args[3] & 0xFFFFFFFF, "access_at")
    return parts


def _renameat2(call: Call) -> list[str | None]:
    parts: list[str | None] = call.all()
    parts[4] = format_flags(call.args[4] & 0xFFFFFFFF, "rename")
    return parts


def _umask_return(call: Call) -> str | None:
    # The old mask as C's "%#03o" prints it: 000, 022, 0777.
    if call.ret is None or call.ret < 0:
        return None
    return f"0{call.ret:o}".rjust(3, "0") if call.ret else "000"


# The file types whose mknod takes a device number (S_IFCHR, S_IFBLK).
_DEVICE_TYPES = frozenset({0o020000, 0o060000})


def _mknod(mode_index: int) -> Callable[[Call], list[str | None]]:
    """mknod, mknodat: the mode names its file type (a short); the device
    number is shown only for a device node (an unsigned int)."""

    def formatter(call: Call) -> list[str | None]:
        parts: list[str | None] = call.all()
        mode = call.args[mode_index] & 0xFFFF
        parts[mode_index] = format_file_mode(mode)
        dev = mode_index + 1
        parts[dev] = format_dev(call.args[dev] & 0xFFFFFFFF) if mode & 0o170000 in _DEVICE_TYPES else None
        return parts

    return formatter


CALLS: dict[str, Callable[[Call], list[str | None]]] = {
    "mknod": _mknod(1),
    "mknodat": _mknod(2),
    "open": _open,
    "openat": _open,
    "statx": _statx,
    "faccessat2": _faccessat2,
    "renameat2": _renameat2,
}
RETURNS: dict[str, Callable[[Call], str | None]] = {"umask": _umask_return}
SPLITS: dict[str, int] = {}
SPLIT_BY_CALL: dict[str, Callable[[Call], int]] = {}
