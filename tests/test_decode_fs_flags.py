"""fanotify, inotify, the mount API, preadv2 and xattr flag words, as strace
6.1's own tests expect them (tests/fanotify_init.c, fanotify_mark.c,
inotify.c, fsmount.c, fspick.c, open_tree.c, preadv2-pwritev2.c, xattr.c)."""

from __future__ import annotations

import struct

from decoding_support import render, render_recorded

AT_FDCWD = 2**64 - 100
NOFD = 2**64 - 1


def test_fanotify_init_class_then_flags() -> None:
    assert render("fanotify_init", [0, 0], 3, None, None) == "fanotify_init(FAN_CLASS_NOTIF, O_RDONLY) = 3"
    assert render("fanotify_init", [0xC, 0], -22, None, None).startswith("fanotify_init(0xc /* FAN_CLASS_??? */, ")
    assert render("fanotify_init", [0xEFACE004, 0], -22, None, None).startswith(
        "fanotify_init(FAN_CLASS_CONTENT|0xeface000 /* FAN_??? */, "
    )
    assert render("fanotify_init", [0xFFFFFFFF, 0], -22, None, None).startswith(
        "fanotify_init(0xc /* FAN_CLASS_??? */|FAN_CLOEXEC|FAN_NONBLOCK|FAN_UNLIMITED_QUEUE|FAN_UNLIMITED_MARKS|"
        "FAN_ENABLE_AUDIT|FAN_REPORT_PIDFD|FAN_REPORT_TID|FAN_REPORT_FID|FAN_REPORT_DIR_FID|FAN_REPORT_NAME|"
        "FAN_REPORT_TARGET_FID|0xffffe000, "
    )


def test_fanotify_mark_flags_64_bit_mask_and_nofd() -> None:
    args = [305419896, 0x40, 0xFFFFFFFFA7F02000, NOFD, 0]
    expected = (
        "fanotify_mark(305419896, FAN_MARK_IGNORED_SURV_MODIFY, 0xffffffffa7f02000 /* FAN_??? */, FAN_NOFD, NULL)"
    )
    assert render("fanotify_mark", args, -22, None, None).startswith(expected)
    verbose = render("fanotify_mark", [1, 0, 0, NOFD, 0], -22, None, None, const_style="verbose")
    assert verbose.startswith("fanotify_mark(1, 0, 0, -1 /* FAN_NOFD */, NULL)")
    raw = render("fanotify_mark", [1, 0, 0xDEADFEEDFFFFFFFF, NOFD, 0], -22, None, None, const_style="raw")
    assert raw.startswith("fanotify_mark(1, 0, 0xdeadfeedffffffff, -1, NULL)")
    assert render("fanotify_mark", [1, 0, 0x3, AT_FDCWD, 0], -22, None, None).startswith(
        "fanotify_mark(1, 0, FAN_ACCESS|FAN_MODIFY, AT_FDCWD, NULL)"
    )


def test_inotify_mask() -> None:
    text = render("inotify_add_watch", [3, 0, 0xFFFFDEAD], -22, {"path": "/x"}, None)
    assert text.startswith(
        'inotify_add_watch(3, "/x", IN_ACCESS|IN_ATTRIB|IN_CLOSE_WRITE|IN_OPEN|IN_MOVED_TO|IN_DELETE|IN_DELETE_SELF|'
        "IN_MOVE_SELF|IN_Q_OVERFLOW|IN_IGNORED|IN_ONLYDIR|IN_DONT_FOLLOW|IN_EXCL_UNLINK|IN_MASK_CREATE|IN_MASK_ADD|"
        "IN_ISDIR|IN_ONESHOT|0x8ff1000)"
    )


def test_mount_api_flags() -> None:
    assert render("fsmount", [NOFD, 1, 0x10], -9, None, None).startswith(
        "fsmount(-1, FSMOUNT_CLOEXEC, MOUNT_ATTR_NOATIME)"
    )
    assert render("fsmount", [NOFD, 0, 0xFFFFFF40], -22, None, None).startswith(
        "fsmount(-1, 0, 0xffffff40 /* MOUNT_ATTR_??? */)"
    )
    assert render("fspick", [NOFD, 0, 0xFFFFFFFF], -22, None, None).startswith(
        "fspick(-1, NULL, FSPICK_CLOEXEC|FSPICK_SYMLINK_NOFOLLOW|FSPICK_NO_AUTOMOUNT|FSPICK_EMPTY_PATH|0xfffffff0)"
    )
    assert render("open_tree", [NOFD, 0, 0xFFFFFFFF], -22, None, None).startswith(
        "open_tree(-1, NULL, OPEN_TREE_CLONE|OPEN_TREE_CLOEXEC|AT_SYMLINK_NOFOLLOW|AT_REMOVEDIR|AT_SYMLINK_FOLLOW|"
        "AT_NO_AUTOMOUNT|AT_EMPTY_PATH|AT_RECURSIVE|0xfff760fe)"
    )


def test_rwf_and_xattr_flags() -> None:
    assert render("move_mount", [NOFD, 0, NOFD, 0, 0x177], -22, None, None).endswith(
        "MOVE_MOUNT_F_SYMLINKS|MOVE_MOUNT_F_AUTOMOUNTS|MOVE_MOUNT_F_EMPTY_PATH|MOVE_MOUNT_T_SYMLINKS|"
        "MOVE_MOUNT_T_AUTOMOUNTS|MOVE_MOUNT_T_EMPTY_PATH|MOVE_MOUNT_SET_GROUP) = -1 EINVAL (Invalid argument)"
    )
    assert render("preadv2", [NOFD, 0, 1, 2, 3, 1], -9, None, None).endswith(
        "RWF_HIPRI) = -1 EBADF (Bad file descriptor)"
    )
    assert "XATTR_CREATE|XATTR_REPLACE)" in render("fsetxattr", [NOFD, 0, 0, 0, 3], -9, None, None)


def _how(flags: int, mode: int, resolve: int) -> bytes:
    return struct.pack("<QQQ", flags, mode, resolve)


def test_openat2_open_how_as_strace() -> None:
    """tests/openat2.c: the mode only for O_CREAT, O_TMPFILE or a mode that
    is not 0; 64-bit flags; the bytes past 24 by the size."""
    args = [NOFD, 0x1000, 0x2000, 24]
    text = render_recorded("openat2", args, -9, {"filename": "f", "how": _how(0x80, 0, 0)}, None)
    assert text == 'openat2(-1, "f", {flags=O_RDONLY|O_EXCL, resolve=0}, 24) = -1 EBADF (Bad file descriptor)'
    how = _how(0xDEADFACE80000000, 0o777, 0xDEC0DEDBEEFFFFC0)
    text = render_recorded("openat2", [*args[:3], 32], -22, {"filename": "f", "how": how, "how_tail": None}, None)
    assert "{flags=O_RDONLY|0xdeadface80000000, mode=0777, resolve=0xdec0dedbeeffffc0 /* RESOLVE_??? */, ???}" in text
    tail = bytes(range(0x80, 0x88))
    entry = {"filename": "f", "how": _how(0o20200003, 0, 0x31), "how_tail": tail}
    text = render_recorded("openat2", [*args[:3], 32], -7, entry, None)
    assert (
        "{flags=O_ACCMODE|O_TMPFILE, mode=000, resolve=RESOLVE_NO_XDEV|RESOLVE_IN_ROOT|RESOLVE_CACHED, "
        '/* bytes 24..31 */ "\\x80\\x81\\x82\\x83\\x84\\x85\\x86\\x87"}, 32)'
    ) in text
    entry = {"filename": "f", "how": _how(0x80, 0, 0), "how_tail": bytes(8)}
    assert "resolve=0}, 32)" in render_recorded("openat2", [*args[:3], 32], -9, entry, None)
    assert 'f", 0x2000, 11)' in render_recorded("openat2", [*args[:3], 11], -22, {"filename": "f", "how": None}, None)
    raw = render_recorded("openat2", args, -9, {"filename": "f", "how": _how(0x80, 0, 0)}, None, const_style="raw")
    assert "{flags=0x80, resolve=0}" in raw
    verbose = render_recorded(
        "openat2", args, -9, {"filename": "f", "how": _how(0x80, 0, 0)}, None, const_style="verbose"
    )
    assert "{flags=0x80 /* O_RDONLY|O_EXCL */, resolve=0}" in verbose


def test_landlock_structs_flags_and_returned_version() -> None:
    """tests/landlock_create_ruleset.c, landlock_add_rule.c."""
    ruleset = (1).to_bytes(8, "little")
    text = render_recorded("landlock_create_ruleset", [0x1000, 8, 0], 3, {"ruleset": ruleset}, {"ret_path": "/x"})
    assert text == "landlock_create_ruleset({handled_access_fs=LANDLOCK_ACCESS_FS_EXECUTE}, 8, 0) = 3</x>"
    text = render_recorded("landlock_create_ruleset", [0x1000, 12, 0], -14, {"ruleset": ruleset}, None)
    assert text.startswith("landlock_create_ruleset({handled_access_fs=LANDLOCK_ACCESS_FS_EXECUTE, ...}, 12, 0)")
    text = render_recorded("landlock_create_ruleset", [0, 0, 1], 7, {"ruleset": None}, {"ret_path": "/x"})
    assert text == "landlock_create_ruleset(NULL, 0, LANDLOCK_CREATE_RULESET_VERSION) = 7"
    assert "0xbadcaffe /* LANDLOCK_CREATE_RULESET_??? */" in render_recorded(
        "landlock_create_ruleset", [0x1000, 3, 0xBADCAFFE], -22, {"ruleset": None}, None
    )
    rule = (0xDEBEEFEDDECAC000).to_bytes(8, "little") + (8).to_bytes(4, "little")
    entry = {"rule": rule, "parent_fd_path": "/dev/full", "ruleset_fd_path": "/dev/zero"}
    text = render_recorded("landlock_add_rule", [7, 1, 0x1000, 0], -77, entry, None)
    assert text.startswith(
        "landlock_add_rule(7</dev/zero>, LANDLOCK_RULE_PATH_BENEATH, "
        "{allowed_access=0xdebeefeddecac000 /* LANDLOCK_ACCESS_FS_??? */, parent_fd=8</dev/full>}, 0)"
    )
    text = render_recorded("landlock_add_rule", [0, 0, 0, 0], -77, {"rule": None, "parent_fd_path": None}, None)
    assert text.startswith("landlock_add_rule(0, 0 /* LANDLOCK_RULE_??? */, NULL, 0)")


def test_mount_flags_magic_type_and_data() -> None:
    """tests/mount.c: MS_MGC_VAL apart, the type ignored for a remount or a
    bind, the data for a bind."""
    entry = {"dev_name": "src", "dir_name": "dst", "type": "ext4", "data_str": "opts"}
    assert render_recorded("mount", [1, 2, 3, 0x20000F, 4], -2, entry, None).startswith(
        'mount("src", "dst", "ext4", MS_RDONLY|MS_NOSUID|MS_NODEV|MS_NOEXEC|MS_RELATIME, "opts")'
    )
    assert render_recorded("mount", [1, 2, 3, 0xC0ED000F, 4], -2, entry, None).startswith(
        'mount("src", "dst", "ext4", MS_MGC_VAL|MS_RDONLY|MS_NOSUID|MS_NODEV|MS_NOEXEC, "opts")'
    )
    assert render_recorded("mount", [1, 2, 3, 0xC0ED000F, 4], -2, entry, None, const_style="raw").startswith(
        'mount("src", "dst", "ext4", 0xc0ed0000|0xf, "opts")'
    )
    assert render_recorded("mount", [1, 2, 3, 0x1000, 4], -2, entry, None).startswith(
        'mount("src", "dst", 0x3, MS_BIND, 0x4)'
    )
    assert render_recorded("mount", [1, 2, 3, 0x200, 4], -2, entry, None).startswith(
        'mount("src", "dst", "ext4", 0x200 /* MS_??? */, "opts")'
    )


def test_process_madvise_iovec_and_advice() -> None:
    """tests/process_madvise.c: the iovec array as bases and lengths."""
    entry = {"vec_iov": [[0x8786858483828180, 10], [0x9796959493929190, 11]], "pidfd_path": "/dev/full"}
    text = render_recorded("process_madvise", [0, 0x1000, 2, 0, 0xFFFFFFFF], -22, entry, None)
    assert text.startswith(
        "process_madvise(0</dev/full>, [{iov_base=0x8786858483828180, iov_len=10}, "
        "{iov_base=0x9796959493929190, iov_len=11}], 2, MADV_NORMAL, 0xffffffff)"
    )
    entry = {"vec_iov": [[0x9796959493929190, 11]], "pidfd_path": None}
    text = render_recorded("process_madvise", [2**64 - 1, 0x1000, 2, 0xDEADC0DE, 0], -22, entry, None)
    assert text.startswith(
        "process_madvise(-1, [{iov_base=0x9796959493929190, iov_len=11}, ... /* 0x1010 */], 2, "
        "0xdeadc0de /* MADV_??? */, 0)"
    )


def test_mount_setattr_struct_by_size_and_idmap() -> None:
    """tests/mount_setattr.c: userns_fd is an fd only for MOUNT_ATTR_IDMAP."""
    words = (0x100002, 0x4, 1 << 19, 9)
    attr = b"".join(word.to_bytes(8, "little") for word in words)
    entry = {"path": "", "dfd_path": None, "attr": attr, "userns_fd_path": "/dev/full"}
    text = render_recorded("mount_setattr", [2**64 - 1, 0x1000, 0x1000, 0x2000, 32], -22, entry, None)
    assert text.startswith(
        'mount_setattr(-1, "", AT_EMPTY_PATH, {attr_set=MOUNT_ATTR_NOSUID|MOUNT_ATTR_IDMAP, '
        "attr_clr=MOUNT_ATTR_NODEV, propagation=MS_SLAVE, userns_fd=9</dev/full>}, 32)"
    )
    attr = b"".join(word.to_bytes(8, "little") for word in (2, 0, 0x140000, 2**60 + 9)) + bytes(range(0x80, 0x88))
    entry = {"path": "", "dfd_path": None, "attr": attr, "userns_fd_path": "/dev/full"}
    text = render_recorded("mount_setattr", [2**64 - 1, 0x1000, 0xFFFF66FF, 0x2000, 40], -7, entry, None)
    assert text.startswith(
        'mount_setattr(-1, "", 0xffff66ff /* AT_??? */, {attr_set=MOUNT_ATTR_NOSUID, attr_clr=0, '
        f'propagation=0x140000 /* MS_??? */, userns_fd={2**60 + 9}, /* bytes 32..39 */ "\\x80\\x81\\x82\\x83'
    )


def test_xattr_values_as_strace() -> None:
    """tests/xattr.c: NULL, an address for a value too large or not read
    whole, a trailing NUL left out; listxattr's buffer for a size of 0."""
    assert render_recorded("fsetxattr", [NOFD, 0, 0, 0, 1], -14, {"name": None, "value": b""}, None).startswith(
        "fsetxattr(-1, NULL, NULL, 0, XATTR_CREATE)"
    )
    entry = {"name": "n", "value": b"foo\0bar\0"}
    assert 'fsetxattr(-1, "n", "foo\\0bar", 8, XATTR_REPLACE)' in render_recorded(
        "fsetxattr", [NOFD, 0x10, 0x20, 8, 2], -9, entry, None
    )
    entry = {"name": "n", "value": b"foo\0bar"}
    assert 'fsetxattr(-1, "n", 0x20, 8, XATTR_CREATE)' in render_recorded(
        "fsetxattr", [NOFD, 0x10, 0x20, 8, 1], -14, entry, None
    )
    assert 'fsetxattr(-1, "n", 0x20, 65537, XATTR_CREATE)' in render_recorded(
        "fsetxattr", [NOFD, 0x10, 0x20, 65537, 1], -7, {"name": "n", "value": b"\xff" * 32}, None
    )
    text = render_recorded("listxattr", [0x10, 0x20, 0], 0, {"path": "."}, {"list": b""})
    assert text == 'listxattr(".", 0x20, 0) = 0'
