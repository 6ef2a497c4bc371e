"""Filesystem ioctls as strace shows them: FITRIM's range, the fsxattr of
FS_IOC_FS[GS]ETXATTR, the inode flags of FS_IOC_[GS]ETFLAGS, FIEMAP's
request and the extents it answers; FIFREEZE and FITHAW take no argument.
What the tracer copies comes from atrace.syscalls.ioctl_fs."""

from __future__ import annotations

import struct
from collections.abc import Callable

from ...syscalls.ioctl_fs import FIEMAP_EXTENT, FIEMAP_HEADER
from ..call import Call, array_limit, format_array
from ..flags import FlagTable, format_table_flags

_XFLAGS: FlagTable = [(1 << bit, f"FS_XFLAG_{name}") for bit, name in enumerate(
    ("REALTIME", "PREALLOC", "", "IMMUTABLE", "APPEND", "SYNC", "NOATIME", "NODUMP", "RTINHERIT", "PROJINHERIT",
     "NOSYMLINKS", "EXTSIZE", "EXTSZINHERIT", "NODEFRAG", "FILESTREAM", "DAX", "COWEXTSIZE")) if name]  # fmt: skip
_XFLAGS.append((0x80000000, "FS_XFLAG_HASATTR"))
_INODE_FLAGS: FlagTable = [
    (0x1, "FS_SECRM_FL"), (0x2, "FS_UNRM_FL"), (0x4, "FS_COMPR_FL"), (0x8, "FS_SYNC_FL"),
    (0x10, "FS_IMMUTABLE_FL"), (0x20, "FS_APPEND_FL"), (0x40, "FS_NODUMP_FL"), (0x80, "FS_NOATIME_FL"),
    (0x100, "FS_DIRTY_FL"), (0x200, "FS_COMPRBLK_FL"), (0x400, "FS_NOCOMP_FL"), (0x800, "FS_ENCRYPT_FL"),
    (0x1000, "FS_INDEX_FL"), (0x2000, "FS_IMAGIC_FL"), (0x4000, "FS_JOURNAL_DATA_FL"), (0x8000, "FS_NOTAIL_FL"),
    (0x10000, "FS_DIRSYNC_FL"), (0x20000, "FS_TOPDIR_FL"), (0x40000, "FS_HUGE_FILE_FL"), (0x80000, "FS_EXTENT_FL"),
    (0x100000, "FS_VERITY_FL"), (0x200000, "FS_EA_INODE_FL"), (0x400000, "FS_EOFBLOCKS_FL"),
    (0x800000, "FS_NOCOW_FL"), (0x2000000, "FS_DAX_FL"), (0x10000000, "FS_INLINE_DATA_FL"),
    (0x20000000, "FS_PROJINHERIT_FL"), (0x40000000, "FS_CASEFOLD_FL"), (0x80000000, "FS_RESERVED_FL"),
]  # fmt: skip
_FIEMAP_FLAGS: FlagTable = [(1, "FIEMAP_FLAG_SYNC"), (2, "FIEMAP_FLAG_XATTR"), (4, "FIEMAP_FLAG_CACHE")]
_EXTENT_FLAGS: FlagTable = [
    (0x1, "FIEMAP_EXTENT_LAST"), (0x2, "FIEMAP_EXTENT_UNKNOWN"), (0x4, "FIEMAP_EXTENT_DELALLOC"),
    (0x8, "FIEMAP_EXTENT_ENCODED"), (0x80, "FIEMAP_EXTENT_DATA_ENCRYPTED"), (0x100, "FIEMAP_EXTENT_NOT_ALIGNED"),
    (0x200, "FIEMAP_EXTENT_DATA_INLINE"), (0x400, "FIEMAP_EXTENT_DATA_TAIL"), (0x800, "FIEMAP_EXTENT_UNWRITTEN"),
    (0x1000, "FIEMAP_EXTENT_MERGED"), (0x2000, "FIEMAP_EXTENT_SHARED"),
]  # fmt: skip


def _fstrim_range(raw: bytes, call: Call) -> str | None:
    if len(raw) < 24:
        return None
    start, length, minlen = struct.unpack_from("<3Q", raw)
    return f"{{start={start:#x}, len={length}, minlen={minlen}}}"


def _fsxattr(with_extents: bool) -> Callable[[bytes, Call], str | None]:
    def shape(raw: bytes, call: Call) -> str | None:
        if len(raw) < 28:  # strace reads the whole struct, padding included
            return None
        xflags, extsize, nextents, projid, cowextsize = struct.unpack_from("<5I", raw)
        middle = f", fsx_nextents={nextents}" if with_extents else ""
        flags = format_table_flags(xflags, _XFLAGS, "FS_XFLAG_???")
        return (f"{{fsx_xflags={flags}, fsx_extsize={extsize}{middle}, fsx_projid={projid:#x}, "
                f"fsx_cowextsize={cowextsize}}}")  # fmt: skip

    return shape


def _fs_flags(raw: bytes, call: Call) -> str | None:
    if len(raw) < 4:
        return None
    return f"[{format_table_flags(int.from_bytes(raw[:4], 'little'), _INODE_FLAGS, 'FS_???_FL')}]"


def _extent(raw: bytes) -> str:
    logical, physical, length = struct.unpack_from("<3Q", raw)
    flags = format_table_flags(int.from_bytes(raw[40:44], "little"), _EXTENT_FLAGS, "FIEMAP_EXTENT_???")
    return f"{{fe_logical={logical}, fe_physical={physical}, fe_length={length}, fe_flags={flags}}}"


def _fiemap(raw: bytes, call: Call) -> str | None:
    """At entry the request; once it succeeded, ` => ` what was mapped."""
    if len(raw) < FIEMAP_HEADER:
        return None
    start, length, flags, _, count = struct.unpack_from("<2Q3I", raw)
    fm_flags = format_table_flags(flags, _FIEMAP_FLAGS, "FIEMAP_FLAG_???")
    text = f"{{fm_start={start}, fm_length={length}, fm_flags={fm_flags}, fm_extent_count={count}}}"
    back = (call.exit or {}).get(call.syscall.args[2].name) if call.succeeded() else None
    if back is None or len(back) < FIEMAP_HEADER:
        return text
    back = bytes(back)
    flags, mapped = struct.unpack_from("<2I", back, 16)
    text += (
        f" => {{fm_flags={format_table_flags(flags, _FIEMAP_FLAGS, 'FIEMAP_FLAG_???')}, fm_mapped_extents={mapped}, "
    )
    if call.abbreviated:
        return text + "...}"
    extents = back[FIEMAP_HEADER:]
    shown = [_extent(extents[i : i + FIEMAP_EXTENT]) for i in range(0, len(extents) - FIEMAP_EXTENT + 1, FIEMAP_EXTENT)]
    address = call.ulong(2) + FIEMAP_HEADER
    return text + f"fm_extents={format_array(address, mapped, shown, FIEMAP_EXTENT, array_limit(call))}}}"


SHAPES: dict[str, Callable[[bytes, Call], str | None]] = {
    "fstrim_range": _fstrim_range,
    "fsxattr_get": _fsxattr(True),
    "fsxattr_set": _fsxattr(False),
    "fs_flags": _fs_flags,
    "fiemap": _fiemap,
}

FORMS: dict[int, str | Callable[[Call], str]] = {
    0xC0045877: "none",  # FIFREEZE
    0xC0045878: "none",  # FITHAW
}
