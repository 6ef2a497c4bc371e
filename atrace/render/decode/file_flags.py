"""Flag words of the file system calls (fanotify, inotify, the mount API,
preadv2's RWF_*), as data: registered into render/flag_tables.py's tables
when render/decode/file.py is imported, so that format_flags applies the
-X style to them as to every other table. Values from the kernel's uapi
headers (linux/fanotify.h, linux/inotify.h, linux/mount.h, linux/fs.h);
each table in the order strace prints the names."""

from __future__ import annotations

from ..flag_tables import FLAG_UNKNOWN, TABLES, FlagTable

_AT_PATH_FLAGS: FlagTable = [
    (0x100, "AT_SYMLINK_NOFOLLOW"), (0x200, "AT_REMOVEDIR"), (0x400, "AT_SYMLINK_FOLLOW"),
    (0x800, "AT_NO_AUTOMOUNT"), (0x1000, "AT_EMPTY_PATH"), (0x8000, "AT_RECURSIVE"),
]  # fmt: skip

FILE_TABLES: dict[str, FlagTable] = {
    # fanotify_init's flags besides its notification class (bits 2-3).
    "fan_init": [
        (0x1, "FAN_CLOEXEC"), (0x2, "FAN_NONBLOCK"), (0x10, "FAN_UNLIMITED_QUEUE"), (0x20, "FAN_UNLIMITED_MARKS"),
        (0x40, "FAN_ENABLE_AUDIT"), (0x80, "FAN_REPORT_PIDFD"), (0x100, "FAN_REPORT_TID"),
        (0x200, "FAN_REPORT_FID"), (0x400, "FAN_REPORT_DIR_FID"), (0x800, "FAN_REPORT_NAME"),
        (0x1000, "FAN_REPORT_TARGET_FID"),
    ],
    "fan_mark": [
        (0x1, "FAN_MARK_ADD"), (0x2, "FAN_MARK_REMOVE"), (0x4, "FAN_MARK_DONT_FOLLOW"), (0x8, "FAN_MARK_ONLYDIR"),
        (0x10, "FAN_MARK_MOUNT"), (0x20, "FAN_MARK_IGNORED_MASK"), (0x40, "FAN_MARK_IGNORED_SURV_MODIFY"),
        (0x80, "FAN_MARK_FLUSH"), (0x100, "FAN_MARK_FILESYSTEM"), (0x200, "FAN_MARK_EVICTABLE"),
        (0x400, "FAN_MARK_IGNORE"),
    ],
    "fan_events": [
        (0x1, "FAN_ACCESS"), (0x2, "FAN_MODIFY"), (0x4, "FAN_ATTRIB"), (0x8, "FAN_CLOSE_WRITE"),
        (0x10, "FAN_CLOSE_NOWRITE"), (0x20, "FAN_OPEN"), (0x40, "FAN_MOVED_FROM"), (0x80, "FAN_MOVED_TO"),
        (0x100, "FAN_CREATE"), (0x200, "FAN_DELETE"), (0x400, "FAN_DELETE_SELF"), (0x800, "FAN_MOVE_SELF"),
        (0x1000, "FAN_OPEN_EXEC"), (0x4000, "FAN_Q_OVERFLOW"), (0x8000, "FAN_FS_ERROR"),
        (0x10000, "FAN_OPEN_PERM"), (0x20000, "FAN_ACCESS_PERM"), (0x40000, "FAN_OPEN_EXEC_PERM"),
        (0x80000, "FAN_DIR_MODIFY"), (0x40000000, "FAN_ONDIR"), (0x8000000, "FAN_EVENT_ON_CHILD"),
        (0x10000000, "FAN_RENAME"),
    ],
    "inotify_mask": [
        (0x1, "IN_ACCESS"), (0x2, "IN_MODIFY"), (0x4, "IN_ATTRIB"), (0x8, "IN_CLOSE_WRITE"),
        (0x10, "IN_CLOSE_NOWRITE"), (0x20, "IN_OPEN"), (0x40, "IN_MOVED_FROM"), (0x80, "IN_MOVED_TO"),
        (0x100, "IN_CREATE"), (0x200, "IN_DELETE"), (0x400, "IN_DELETE_SELF"), (0x800, "IN_MOVE_SELF"),
        (0x2000, "IN_UNMOUNT"), (0x4000, "IN_Q_OVERFLOW"), (0x8000, "IN_IGNORED"), (0x1000000, "IN_ONLYDIR"),
        (0x2000000, "IN_DONT_FOLLOW"), (0x4000000, "IN_EXCL_UNLINK"), (0x10000000, "IN_MASK_CREATE"),
        (0x20000000, "IN_MASK_ADD"), (0x40000000, "IN_ISDIR"), (0x80000000, "IN_ONESHOT"),
    ],
    "fsmount": [(0x1, "FSMOUNT_CLOEXEC")],
    # fsmount's attributes (the access-time field's 0 is MOUNT_ATTR_RELATIME).
    "fsmount_attr": [
        (0x1, "MOUNT_ATTR_RDONLY"), (0x2, "MOUNT_ATTR_NOSUID"), (0x4, "MOUNT_ATTR_NODEV"),
        (0x8, "MOUNT_ATTR_NOEXEC"), (0x10, "MOUNT_ATTR_NOATIME"), (0x20, "MOUNT_ATTR_STRICTATIME"),
        (0x80, "MOUNT_ATTR_NODIRATIME"),
    ],
    "fspick": [
        (0x1, "FSPICK_CLOEXEC"), (0x2, "FSPICK_SYMLINK_NOFOLLOW"), (0x4, "FSPICK_NO_AUTOMOUNT"),
        (0x8, "FSPICK_EMPTY_PATH"),
    ],
    "open_tree": [(0x1, "OPEN_TREE_CLONE"), (0x80000, "OPEN_TREE_CLOEXEC"), *_AT_PATH_FLAGS],
    "rwf": [(0x1, "RWF_HIPRI"), (0x2, "RWF_DSYNC"), (0x4, "RWF_SYNC"), (0x8, "RWF_NOWAIT"), (0x10, "RWF_APPEND")],
    "xattr": [(0x1, "XATTR_CREATE"), (0x2, "XATTR_REPLACE")],
    "landlock_access_fs": [
        (1 << 0, "LANDLOCK_ACCESS_FS_EXECUTE"), (1 << 1, "LANDLOCK_ACCESS_FS_WRITE_FILE"),
        (1 << 2, "LANDLOCK_ACCESS_FS_READ_FILE"), (1 << 3, "LANDLOCK_ACCESS_FS_READ_DIR"),
        (1 << 4, "LANDLOCK_ACCESS_FS_REMOVE_DIR"), (1 << 5, "LANDLOCK_ACCESS_FS_REMOVE_FILE"),
        (1 << 6, "LANDLOCK_ACCESS_FS_MAKE_CHAR"), (1 << 7, "LANDLOCK_ACCESS_FS_MAKE_DIR"),
        (1 << 8, "LANDLOCK_ACCESS_FS_MAKE_REG"), (1 << 9, "LANDLOCK_ACCESS_FS_MAKE_SOCK"),
        (1 << 10, "LANDLOCK_ACCESS_FS_MAKE_FIFO"), (1 << 11, "LANDLOCK_ACCESS_FS_MAKE_BLOCK"),
        (1 << 12, "LANDLOCK_ACCESS_FS_MAKE_SYM"), (1 << 13, "LANDLOCK_ACCESS_FS_REFER"),
    ],
    "mount_attr": [
        (0x1, "MOUNT_ATTR_RDONLY"), (0x2, "MOUNT_ATTR_NOSUID"), (0x4, "MOUNT_ATTR_NODEV"),
        (0x8, "MOUNT_ATTR_NOEXEC"), (0x10, "MOUNT_ATTR_NOATIME"), (0x20, "MOUNT_ATTR_STRICTATIME"),
        (0x80, "MOUNT_ATTR_NODIRATIME"), (0x100000, "MOUNT_ATTR_IDMAP"), (0x200000, "MOUNT_ATTR_NOSYMFOLLOW"),
    ],
    "mount_setattr_at": [(0x100, "AT_SYMLINK_NOFOLLOW"), (0x800, "AT_NO_AUTOMOUNT"), (0x1000, "AT_EMPTY_PATH"),
                         (0x8000, "AT_RECURSIVE")],
    "statx_attr": [
        (0x4, "STATX_ATTR_COMPRESSED"), (0x10, "STATX_ATTR_IMMUTABLE"), (0x20, "STATX_ATTR_APPEND"),
        (0x40, "STATX_ATTR_NODUMP"), (0x800, "STATX_ATTR_ENCRYPTED"), (0x1000, "STATX_ATTR_AUTOMOUNT"),
        (0x2000, "STATX_ATTR_MOUNT_ROOT"), (0x100000, "STATX_ATTR_VERITY"), (0x200000, "STATX_ATTR_DAX"),
    ],
    # statx's flags: its sync type first, then the AT_* flags (strace's order).
    "statx_flags": [
        (0x2000, "AT_STATX_FORCE_SYNC"), (0x4000, "AT_STATX_DONT_SYNC"), (0x100, "AT_SYMLINK_NOFOLLOW"),
        (0x200, "AT_REMOVEDIR"), (0x400, "AT_SYMLINK_FOLLOW"), (0x800, "AT_NO_AUTOMOUNT"), (0x1000, "AT_EMPTY_PATH"),
        (0x8000, "AT_RECURSIVE"),
    ],
    "landlock_create": [(1, "LANDLOCK_CREATE_RULESET_VERSION")],
    "mount": [
        (1 << 0, "MS_RDONLY"), (1 << 1, "MS_NOSUID"), (1 << 2, "MS_NODEV"), (1 << 3, "MS_NOEXEC"),
        (1 << 4, "MS_SYNCHRONOUS"), (1 << 5, "MS_REMOUNT"), (1 << 6, "MS_MANDLOCK"), (1 << 7, "MS_DIRSYNC"),
        (1 << 8, "MS_NOSYMFOLLOW"), (1 << 10, "MS_NOATIME"), (1 << 11, "MS_NODIRATIME"), (1 << 12, "MS_BIND"),
        (1 << 13, "MS_MOVE"), (1 << 14, "MS_REC"), (1 << 15, "MS_SILENT"), (1 << 16, "MS_POSIXACL"),
        (1 << 17, "MS_UNBINDABLE"), (1 << 18, "MS_PRIVATE"), (1 << 19, "MS_SLAVE"), (1 << 20, "MS_SHARED"),
        (1 << 21, "MS_RELATIME"), (1 << 22, "MS_KERNMOUNT"), (1 << 23, "MS_I_VERSION"), (1 << 24, "MS_STRICTATIME"),
        (1 << 25, "MS_LAZYTIME"), (1 << 26, "MS_SUBMOUNT"), (1 << 27, "MS_NOREMOTELOCK"), (1 << 28, "MS_NOSEC"),
        (1 << 29, "MS_BORN"), (1 << 30, "MS_ACTIVE"), (1 << 31, "MS_NOUSER"),
    ],
    "move_mount": [
        (0x1, "MOVE_MOUNT_F_SYMLINKS"), (0x2, "MOVE_MOUNT_F_AUTOMOUNTS"), (0x4, "MOVE_MOUNT_F_EMPTY_PATH"),
        (0x10, "MOVE_MOUNT_T_SYMLINKS"), (0x20, "MOVE_MOUNT_T_AUTOMOUNTS"), (0x40, "MOVE_MOUNT_T_EMPTY_PATH"),
        (0x100, "MOVE_MOUNT_SET_GROUP"),
    ],
}  # fmt: skip
FILE_UNKNOWN: dict[str, str] = {
    "fan_mark": "FAN_MARK_???", "fan_events": "FAN_???", "inotify_mask": "IN_???", "fsmount": "FSMOUNT_???",
    "fsmount_attr": "MOUNT_ATTR_???", "fspick": "FSPICK_???", "open_tree": "OPEN_TREE_???", "rwf": "RWF_???",
    "xattr": "XATTR_???", "resolve": "RESOLVE_???",
    "move_mount": "MOVE_MOUNT_???", "mount": "MS_???", "landlock_access_fs": "LANDLOCK_ACCESS_FS_???",
    "landlock_create": "LANDLOCK_CREATE_RULESET_???", "mount_attr": "MOUNT_ATTR_???", "mount_setattr_at": "AT_???",
    "statx_attr": "STATX_ATTR_???", "statx_flags": "AT_???",
}  # fmt: skip
# fanotify_init's notification classes, the value of its bits 2-3.
FAN_CLASSES = {0x0: "FAN_CLASS_NOTIF", 0x4: "FAN_CLASS_CONTENT", 0x8: "FAN_CLASS_PRE_CONTENT"}
FAN_CLASS_BITS = 0xC
LANDLOCK_RULES = {1: "LANDLOCK_RULE_PATH_BENEATH"}
# struct mount_attr's propagation: one of the MS_* propagation types.
MOUNT_PROPAGATIONS = {1 << 17: "MS_UNBINDABLE", 1 << 18: "MS_PRIVATE", 1 << 19: "MS_SLAVE", 1 << 20: "MS_SHARED"}

TABLES.update(FILE_TABLES)
FLAG_UNKNOWN.update(FILE_UNKNOWN)
