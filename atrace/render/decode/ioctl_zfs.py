"""ZFS on Linux's ioctls (type 'Z', and its SPL's kstat ones, type 'K'):
names only, strace's, which no Linux header defines (ZFS builds out of
tree); nothing is decoded: the argument shows as a hex word.  The numbers
are in the order of ZFS's own lists (zfs_ioctl.h, spl's kstat.h)."""

from __future__ import annotations

from collections.abc import Callable

from ..call import Call
from .ioctl_common import ShapeFormatter

# enum zfs_ioc, from 'Z' << 8.
_COMMON = (
    "POOL_CREATE", "POOL_DESTROY", "POOL_IMPORT", "POOL_EXPORT", "POOL_CONFIGS", "POOL_STATS",
    "POOL_TRYIMPORT", "POOL_SCAN", "POOL_FREEZE", "POOL_UPGRADE", "POOL_GET_HISTORY", "VDEV_ADD",
    "VDEV_REMOVE", "VDEV_SET_STATE", "VDEV_ATTACH", "VDEV_DETACH", "VDEV_SETPATH", "VDEV_SETFRU",
    "OBJSET_STATS", "OBJSET_ZPLPROPS", "DATASET_LIST_NEXT", "SNAPSHOT_LIST_NEXT", "SET_PROP", "CREATE",
    "DESTROY", "ROLLBACK", "RENAME", "RECV", "SEND", "INJECT_FAULT", "CLEAR_FAULT", "INJECT_LIST_NEXT",
    "ERROR_LOG", "CLEAR", "PROMOTE", "SNAPSHOT", "DSOBJ_TO_DSNAME", "OBJ_TO_PATH", "POOL_SET_PROPS",
    "POOL_GET_PROPS", "SET_FSACL", "GET_FSACL", "SHARE", "INHERIT_PROP", "SMB_ACL", "USERSPACE_ONE",
    "USERSPACE_MANY", "USERSPACE_UPGRADE", "HOLD", "RELEASE", "GET_HOLDS", "OBJSET_RECVD_PROPS",
    "VDEV_SPLIT", "NEXT_OBJ", "DIFF", "TMP_SNAPSHOT", "OBJ_TO_STATS", "SPACE_WRITTEN", "SPACE_SNAPS",
    "DESTROY_SNAPS", "POOL_REGUID", "POOL_REOPEN", "SEND_PROGRESS", "LOG_HISTORY", "SEND_NEW", "SEND_SPACE",
    "CLONE", "BOOKMARK", "GET_BOOKMARKS", "DESTROY_BOOKMARKS", "RECV_NEW", "POOL_SYNC", "CHANNEL_PROGRAM",
    "LOAD_KEY", "UNLOAD_KEY", "CHANGE_KEY", "REMAP", "POOL_CHECKPOINT", "POOL_DISCARD_CHECKPOINT",
    "POOL_INITIALIZE", "POOL_TRIM", "REDACT", "GET_BOOKMARK_PROPS", "WAIT", "WAIT_FS", "VDEV_GET_PROPS",
    "VDEV_SET_PROPS",
)
# Its Linux and FreeBSD requests, from ('Z' << 8) + 0x81.
_PLATFORM = (
    "EVENTS_NEXT", "EVENTS_CLEAR", "EVENTS_SEEK", "NEXTBOOT", "JAIL", "UNJAIL", "SET_BOOTENV", "GET_BOOTENV",
)
_KSTAT = ("CHAIN_ID", "READ", "WRITE")  # from ('K' << 8) + 1

SHAPES: dict[str, ShapeFormatter] = {}
NAMES: dict[int, str] = {
    **{0x5A00 + i: f"ZFS_IOC_{name}" for i, name in enumerate(_COMMON)},
    **{0x5A81 + i: f"ZFS_IOC_{name}" for i, name in enumerate(_PLATFORM)},
    **{0x4B01 + i: f"KSTAT_IOC_{name}" for i, name in enumerate(_KSTAT)},
}
FORMS: dict[int, str | Callable[[Call], str]] = dict.fromkeys(NAMES, "hex")
