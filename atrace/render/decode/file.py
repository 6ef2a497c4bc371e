"""File and directory calls: open*, statx, umask..."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..call import Call, pointer
from ..fds import fd_text
from ..flag_tables import OPEN_ACCESS, OPEN_FLAGS
from ..flags import (
    O_CREAT,
    composite,
    format_dev,
    format_file_mode,
    format_flags,
    named_bits,
    number,
    octal,
    raw_style,
    styled,
)
from ..fmt_time import format_time
from ..quoting import as_bytes, quote, quote_buffer
from .file_flags import FAN_CLASS_BITS, FAN_CLASSES, FILE_TABLES, LANDLOCK_RULES, MOUNT_PROPAGATIONS

# O_TMPFILE's own bit (__O_TMPFILE; O_TMPFILE adds O_DIRECTORY): with it,
# as with O_CREAT, the mode is used.
_O_TMPFILE_BIT = 0o20000000


def _open(call: Call) -> list[str | None]:
    """open/openat: the mode means something (and is shown) only with O_CREAT or __O_TMPFILE."""
    parts: list[str | None] = call.all()
    flags = call.args[len(parts) - 2]
    if not flags & (O_CREAT | _O_TMPFILE_BIT):
        parts[-1] = None
    return parts


def _statx(call: Call) -> list[str | None]:
    parts: list[str | None] = call.all()
    # The sync type is a two-bit field whose 0 is AT_STATX_SYNC_AS_STAT:
    # strace names it first whenever it is 0.
    flags = call.args[2] & 0xFFFFFFFF
    shown = format_flags(flags, "statx_flags")
    if not flags & 0x6000:
        shown = "AT_STATX_SYNC_AS_STAT" + ("|" + shown if flags else "")
    parts[2] = shown
    parts[3] = format_flags(call.args[3], "statx_mask")
    if not call.abbreviated and call.succeeded():
        fields = call.parsed(4)
        if fields is not None:
            parts[4] = _statx_verbose(fields)
    return parts


# The statx fields present only when the mask says the kernel filled them.
_STATX_TIMES = (("stx_atime", 0x20), ("stx_btime", 0x800), ("stx_ctime", 0x80), ("stx_mtime", 0x40))
_STATX_MNT_ID = 0x1000


def _statx_verbose(f: dict[str, Any]) -> str:
    """-v: a struct statx whole, as strace prints it."""
    mask = f["stx_mask"]
    parts = [f"stx_mask={format_flags(mask, 'statx_mask')}", f"stx_blksize={f['stx_blksize']}",
             f"stx_attributes={format_flags(f['stx_attributes'], 'statx_attr')}", f"stx_nlink={f['stx_nlink']}",
             f"stx_uid={f['stx_uid']}", f"stx_gid={f['stx_gid']}", f"stx_mode={format_file_mode(f['stx_mode'])}",
             f"stx_ino={f['stx_ino']}", f"stx_size={f['stx_size']}", f"stx_blocks={f['stx_blocks']}",
             f"stx_attributes_mask={format_flags(f['stx_attributes_mask'], 'statx_attr')}"]  # fmt: skip
    for name, bit in _STATX_TIMES:
        if mask & bit:
            seconds, nsec = f[name + "_sec"], f[name + "_nsec"]
            comment = format_time(seconds, nsec)[len(str(seconds)) :]
            parts.append(f"{name}={{tv_sec={seconds}, tv_nsec={nsec}}}{comment}")
    parts += [f"stx_{key}={f['stx_' + key]}" for key in ("rdev_major", "rdev_minor", "dev_major", "dev_minor")]
    if mask & _STATX_MNT_ID:
        parts.append(f"stx_mnt_id={hex(f['stx_mnt_id']) if f['stx_mnt_id'] else 0}")
    return "{" + ", ".join(parts) + "}"


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


def _flag_args(*tables: tuple[int, str, bool]) -> Callable[[Call], list[str | None]]:
    """A call whose flag arguments print by a table of file_flags.py:
    (argument index, table, whole register (a C long) or its low 32 bits)."""

    def formatter(call: Call) -> list[str | None]:
        parts: list[str | None] = call.all()
        for index, table, wide in tables:
            parts[index] = format_flags(call.args[index] if wide else call.args[index] & 0xFFFFFFFF, table)
        return parts

    return formatter


def _fan_init_flags(flags: int) -> str:
    """fanotify_init's flags: the notification class (a 2-bit field), then the flags."""
    klass = flags & FAN_CLASS_BITS
    names = [FAN_CLASSES.get(klass) or f"{klass:#x} /* FAN_CLASS_??? */"]
    named, rest = named_bits(flags & ~FAN_CLASS_BITS, FILE_TABLES["fan_init"])
    names += named
    if rest:
        names.append(hex(rest) if named else f"{rest:#x} /* FAN_??? */")
    return "|".join(names)


def _fanotify_init(call: Call) -> list[str | None]:
    parts: list[str | None] = call.all()
    flags = call.args[0] & 0xFFFFFFFF
    parts[0] = composite(hex(flags) if flags else "0", lambda: _fan_init_flags(flags))
    return parts


_FAN_NOFD = -1


def _fanotify_mark(call: Call) -> list[str | None]:
    """fanotify_mark: FAN_MARK_* flags, a 64-bit FAN_* event mask, and a
    dirfd whose -1 is FAN_NOFD."""
    parts = _flag_args((1, "fan_mark", False), (2, "fan_events", True))(call)
    if call.c_int(3) == _FAN_NOFD:
        parts[3] = styled(str(_FAN_NOFD), "FAN_NOFD")
    return parts


# struct open_how's size as first defined (OPEN_HOW_SIZE_VER0): a smaller
# one is not decoded.
_OPEN_HOW_SIZE = 24


def _open_flags64(value: int) -> str:
    """open_how's flags: open's O_* flags in a 64-bit word."""

    def names() -> str:
        more, rest = named_bits(value & ~3, OPEN_FLAGS)
        return "|".join([OPEN_ACCESS[value & 3], *more, *([hex(rest)] if rest else [])])

    return composite(number(value), names)


def _openat2(call: Call) -> list[str | None]:
    """openat2's struct open_how: the mode only when the flags create a file
    or it is not 0; the bytes past the 24 this version knows, when its size
    says there are some: `???` unreadable, nothing when all 0, else in hex."""
    parts: list[str | None] = call.all()
    size = call.ulong(3)
    how = call.parsed(2) if size >= _OPEN_HOW_SIZE else None
    if how is None:
        parts[2] = pointer(call.ulong(2))
        return parts
    flags, mode = how["flags"], how["mode"]
    fields = [f"flags={_open_flags64(flags)}"]
    if flags & (O_CREAT | _O_TMPFILE_BIT) or mode:
        fields.append(f"mode={octal(mode)}")
    fields.append(f"resolve={format_flags(how['resolve'], 'resolve')}")
    if size > _OPEN_HOW_SIZE:
        tail = call.entry.get("how_tail")
        if tail is None:
            fields.append("???")
        elif any(as_bytes(tail) or b""):
            text = "".join(f"\\x{byte:02x}" for byte in as_bytes(tail) or b"")
            fields.append(f'/* bytes {_OPEN_HOW_SIZE}..{size - 1} */ "{text}"')
    parts[2] = "{" + ", ".join(fields) + "}"
    return parts


def _nonzero_tail(raw: bytes, start: int, size: int, unreadable: str) -> str | None:
    """The bytes of an extensible struct past the fields this version
    knows: `unreadable` when memory ends first, nothing when all are 0,
    else `/* bytes 8..15 */ "\\x.."`."""
    if size <= start:
        return None
    if len(raw) < min(size, start + 4072):
        return unreadable
    tail = raw[start:size]
    if not any(tail):
        return None
    return f'/* bytes {start}..{size - 1} */ "' + "".join(f"\\x{byte:02x}" for byte in tail) + '"'


def _landlock_create_ruleset(call: Call) -> list[str | None]:
    parts: list[str | None] = call.all()
    raw = as_bytes(call.entry.get("ruleset"))
    if raw is not None and len(raw) >= 8:
        fields = [f"handled_access_fs={format_flags(int.from_bytes(raw[:8], 'little'), 'landlock_access_fs')}"]
        tail = _nonzero_tail(raw, 8, call.ulong(1), "...")
        parts[0] = "{" + ", ".join([*fields, *([tail] if tail else [])]) + "}"
    parts[2] = format_flags(call.args[2] & 0xFFFFFFFF, "landlock_create")
    return parts


_LANDLOCK_CREATE_RULESET_VERSION = 1


def _landlock_create_return(call: Call) -> str | None:
    """With LANDLOCK_CREATE_RULESET_VERSION the call returns a version, not an fd."""
    if call.args[2] & _LANDLOCK_CREATE_RULESET_VERSION and call.ret is not None and call.ret >= 0:
        return str(call.ret)
    return None


def _landlock_add_rule(call: Call) -> list[str | None]:
    parts: list[str | None] = call.all()
    rule_type = call.args[1] & 0xFFFFFFFF
    name = LANDLOCK_RULES.get(rule_type)
    shown = hex(rule_type) if rule_type else "0"
    parts[1] = styled(shown, name) if name else shown if raw_style() else f"{shown} /* LANDLOCK_RULE_??? */"
    raw = as_bytes(call.entry.get("rule"))
    if raw is not None and len(raw) == 12:
        access = format_flags(int.from_bytes(raw[:8], "little"), "landlock_access_fs")
        parent = str(int.from_bytes(raw[8:12], "little", signed=True))
        parent = fd_text(parent, call.entry.get("parent_fd_path"), None, call.options.decode_fds)
        parts[2] = f"{{allowed_access={access}, parent_fd={parent}}}"
    return parts


# mount(2)'s magic number in the flags' upper half (old callers passed it).
_MS_MGC_VAL, _MS_MGC_MSK = 0xC0ED0000, 0xFFFF0000
_MS_REMOUNT, _MS_BIND, _MS_MOVE = 0x20, 0x1000, 0x2000


def _mount(call: Call) -> list[str | None]:
    """mount: MS_MGC_VAL apart from the flags; the file system type as an
    address when the flags make the kernel ignore it (remount, bind, move),
    and the data too for a bind; else the data as a string."""
    parts: list[str | None] = call.all()
    flags = call.ulong(3) & 0xFFFFFFFF
    magic = flags & _MS_MGC_MSK == _MS_MGC_VAL
    rest = flags & ~_MS_MGC_MSK if magic else flags
    shown = format_flags(rest, "mount")
    if magic:
        mgc = styled(hex(_MS_MGC_VAL), "MS_MGC_VAL")
        shown = mgc if not rest else f"{mgc}|{shown}"
    parts[3] = shown
    if rest & (_MS_REMOUNT | _MS_BIND | _MS_MOVE):
        parts[2] = pointer(call.ulong(2))
    data = as_bytes(call.entry.get("data_str"))
    if data is not None and not rest & _MS_BIND:
        parts[4] = quote(data, call.options.string_limit, call.options.hex_strings)
    return parts


_MOUNT_ATTR_SIZE = 32
_MOUNT_ATTR_IDMAP = 0x100000


def _mount_setattr(call: Call) -> list[str | None]:
    """mount_setattr: its AT_* flags, and its struct mount_attr as openat2's
    open_how (the size decides; the bytes past 32 as `???` or in hex)."""
    parts: list[str | None] = call.all()
    parts[2] = format_flags(call.args[2] & 0xFFFFFFFF, "mount_setattr_at")
    size = call.ulong(4)
    raw = as_bytes(call.entry.get("attr"))
    if raw is None or size < _MOUNT_ATTR_SIZE or len(raw) < _MOUNT_ATTR_SIZE:
        return parts
    attr_set, attr_clr, propagation, userns = (int.from_bytes(raw[i : i + 8], "little") for i in range(0, 32, 8))
    kind = MOUNT_PROPAGATIONS.get(propagation)
    shown = hex(propagation) if propagation else "0"
    # An fd only when the flags ask for an id-mapped mount; else a u64.
    userns_text = str(userns)
    if attr_set & _MOUNT_ATTR_IDMAP:
        fd = userns & 0xFFFFFFFF
        userns_text = fd_text(str(fd - (1 << 32) if fd >= 1 << 31 else fd), call.entry.get("userns_fd_path"), None,
                              call.options.decode_fds)  # fmt: skip
    fields = [
        f"attr_set={format_flags(attr_set, 'mount_attr')}",
        f"attr_clr={format_flags(attr_clr, 'mount_attr')}",
        "propagation=" + (styled(shown, kind) if kind or not propagation or raw_style() else f"{shown} /* MS_??? */"),
        f"userns_fd={userns_text}",
    ]
    tail = _nonzero_tail(raw, _MOUNT_ATTR_SIZE, size, "???")
    parts[3] = "{" + ", ".join([*fields, *([tail] if tail else [])]) + "}"
    return parts


# The largest xattr value the kernel takes (XATTR_SIZE_MAX): a larger size is
# shown as an address, as strace does.
_XATTR_SIZE_MAX = 65536


def _setxattr(call: Call) -> list[str | None]:
    """*setxattr: the value as a string of its size (a trailing NUL left
    out), or its address when too large or not readable; the XATTR_* flags."""
    parts = _flag_args((4, "xattr", False))(call)
    address, size = call.ulong(2), call.ulong(3)
    raw = as_bytes(call.entry.get(call.syscall.args[2].name))
    if address == 0:
        parts[2] = "NULL"
    elif size > _XATTR_SIZE_MAX or raw is None or len(raw) < min(size, call.options.string_limit):
        parts[2] = pointer(address)
    else:
        full = size - 1 if size and len(raw) >= size and raw[size - 1] == 0 else size
        parts[2] = quote_buffer(raw[:full], full, call.options)
    return parts


def _listxattr(call: Call) -> list[str | None]:
    """*listxattr: a size of 0 asks only for the length: the buffer's address."""
    parts: list[str | None] = call.all()
    if call.ulong(2) == 0:
        parts[1] = pointer(call.ulong(1))
    return parts


CALLS: dict[str, Callable[[Call], list[str | None]]] = {
    "listxattr": _listxattr,
    "llistxattr": _listxattr,
    "flistxattr": _listxattr,
    "mount_setattr": _mount_setattr,
    "mount": _mount,
    "landlock_create_ruleset": _landlock_create_ruleset,
    "landlock_add_rule": _landlock_add_rule,
    "openat2": _openat2,
    "fanotify_init": _fanotify_init,
    "fanotify_mark": _fanotify_mark,
    "inotify_add_watch": _flag_args((2, "inotify_mask", False)),
    "fsmount": _flag_args((1, "fsmount", False), (2, "fsmount_attr", False)),
    "fspick": _flag_args((2, "fspick", False)),
    "open_tree": _flag_args((2, "open_tree", False)),
    "preadv2": _flag_args((5, "rwf", False)),
    "pwritev2": _flag_args((5, "rwf", False)),
    "setxattr": _setxattr,
    "lsetxattr": _setxattr,
    "fsetxattr": _setxattr,
    "move_mount": _flag_args((4, "move_mount", False)),
    "mknod": _mknod(1),
    "mknodat": _mknod(2),
    "open": _open,
    "openat": _open,
    "statx": _statx,
    "faccessat2": _faccessat2,
    "renameat2": _renameat2,
}
RETURNS: dict[str, Callable[[Call], str | None]] = {
    "umask": _umask_return,
    "landlock_create_ruleset": _landlock_create_return,
}
SPLITS: dict[str, int] = {}
SPLIT_BY_CALL: dict[str, Callable[[Call], int]] = {}
