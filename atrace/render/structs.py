"""Parse the raw struct bytes the tracer copied into plain dicts.

The tracer copies a struct's bytes in one read and leaves them raw in the
event (parsing there would slow the traced program down); this module turns
them into dicts of numbers, for the text renderer and for scripts alike:
``parse("stat_out", raw, arch, "newfstatat")``.  Layouts are those of the
kernel ABI for x86_64 and i386.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import Any

from ..syscalls import ARCH_I386

Fields = dict[str, Any]


def _unpack(layout: struct.Struct, names: tuple[str, ...], raw: bytes) -> Fields | None:
    if len(raw) < layout.size:
        return None
    return dict(zip(names, layout.unpack_from(raw), strict=True))


_STAT64 = struct.Struct("<QQQIII4xQqqqQQQQQQ")  # x86_64 struct stat
_STAT64_NAMES = ("st_dev", "st_ino", "st_nlink", "st_mode", "st_uid", "st_gid", "st_rdev", "st_size",
                 "st_blksize", "st_blocks", "st_atime", "st_atime_nsec", "st_mtime", "st_mtime_nsec",
                 "st_ctime", "st_ctime_nsec")  # fmt: skip
_I386_STAT64 = struct.Struct("<Q4xIIIIIQ4xqIQIIIIIIQ")  # i386 struct stat64
_I386_STAT64_NAMES = ("st_dev", "__st_ino", "st_mode", "st_nlink", "st_uid", "st_gid", "st_rdev", "st_size",
                      "st_blksize", "st_blocks", "st_atime", "st_atime_nsec", "st_mtime", "st_mtime_nsec",
                      "st_ctime", "st_ctime_nsec", "st_ino")  # fmt: skip
_I386_STAT = struct.Struct("<IIHHHHIIIIIIIIII")  # i386 struct stat (the old 32-bit one)
_I386_STAT_NAMES = ("st_dev", "st_ino", "st_mode", "st_nlink", "st_uid", "st_gid", "st_rdev", "st_size",
                    "st_blksize", "st_blocks", "st_atime", "st_atime_nsec", "st_mtime", "st_mtime_nsec",
                    "st_ctime", "st_ctime_nsec")  # fmt: skip
_STATX = struct.Struct("<IIQIIIHxxQQQQqI4xqI4xqI4xqI4xIIIIQ")
_STATX_NAMES = ("stx_mask", "stx_blksize", "stx_attributes", "stx_nlink", "stx_uid", "stx_gid", "stx_mode",
                "stx_ino", "stx_size", "stx_blocks", "stx_attributes_mask", "stx_atime_sec", "stx_atime_nsec",
                "stx_btime_sec", "stx_btime_nsec", "stx_ctime_sec", "stx_ctime_nsec", "stx_mtime_sec",
                "stx_mtime_nsec", "stx_rdev_major", "stx_rdev_minor", "stx_dev_major", "stx_dev_minor",
                "stx_mnt_id")  # fmt: skip


def stat(raw: bytes, arch: int, name: str) -> Fields | None:
    if arch != ARCH_I386:
        return _unpack(_STAT64, _STAT64_NAMES, raw)
    if len(raw) >= _I386_STAT64.size:
        fields = _unpack(_I386_STAT64, _I386_STAT64_NAMES, raw)
        if fields is not None:
            fields.pop("__st_ino")
        return fields
    return _unpack(_I386_STAT, _I386_STAT_NAMES, raw)


def statx(raw: bytes, arch: int, name: str) -> Fields | None:
    return _unpack(_STATX, _STATX_NAMES, raw)


def timespec(raw: bytes, arch: int, name: str) -> Fields | None:
    if len(raw) >= 16:
        sec, nsec = struct.unpack_from("<qq", raw)
    elif len(raw) >= 8:
        sec, nsec = struct.unpack_from("<ii", raw)
    else:
        return None
    return {"tv_sec": sec, "tv_nsec": nsec}


def sigaction(raw: bytes, arch: int, name: str) -> Fields | None:
    if arch != ARCH_I386:
        if len(raw) < 32:
            return None
        handler, flags, restorer, mask = struct.unpack_from("<QQQQ", raw)
    else:
        if len(raw) < 20:
            return None
        handler, flags, restorer, mask = struct.unpack_from("<IIIQ", raw)
    return {"sa_handler": handler, "sa_mask": mask, "sa_flags": flags, "sa_restorer": restorer}


def rusage(raw: bytes, arch: int, name: str) -> Fields | None:
    fmt = "<18q" if arch != ARCH_I386 else "<18i"
    if len(raw) < struct.calcsize(fmt):
        return None
    values = struct.unpack_from(fmt, raw)
    names = ("ru_maxrss", "ru_ixrss", "ru_idrss", "ru_isrss", "ru_minflt", "ru_majflt", "ru_nswap",
             "ru_inblock", "ru_oublock", "ru_msgsnd", "ru_msgrcv", "ru_nsignals", "ru_nvcsw", "ru_nivcsw")  # fmt: skip
    fields: Fields = {
        "ru_utime": {"tv_sec": values[0], "tv_usec": values[1]},
        "ru_stime": {"tv_sec": values[2], "tv_usec": values[3]},
    }
    fields.update(zip(names, values[4:], strict=True))
    return fields


def rlimit(raw: bytes, arch: int, name: str) -> Fields | None:
    if len(raw) < 16:
        return None
    cur, limit = struct.unpack_from("<QQ", raw)
    return {"rlim_cur": cur, "rlim_max": limit}


def utsname(raw: bytes, arch: int, name: str) -> Fields | None:
    if len(raw) < 390:
        return None
    names = ("sysname", "nodename", "release", "version", "machine", "domainname")
    return {key: raw[i * 65 : (i + 1) * 65].split(b"\0", 1)[0] for i, key in enumerate(names)}


def open_how(raw: bytes, arch: int, name: str) -> Fields | None:
    if len(raw) < 24:
        return None
    flags, mode, resolve = struct.unpack_from("<QQQ", raw)
    return {"flags": flags, "mode": mode, "resolve": resolve}


def epoll_event(raw: bytes, arch: int, name: str) -> Fields | None:
    if len(raw) < 12:
        return None
    events, data = struct.unpack_from("<IQ", raw)
    return {"events": events, "data": data}


def epoll_events(raw: bytes, arch: int, name: str) -> list[Fields]:
    return [{"events": e, "data": d} for e, d in struct.iter_unpack("<IQ", raw[: len(raw) // 12 * 12])]


def pollfds(raw: bytes, arch: int, name: str) -> list[Fields]:
    records = struct.iter_unpack("<ihh", raw[: len(raw) // 8 * 8])
    return [{"fd": fd, "events": ev, "revents": rev} for fd, ev, rev in records]


_CLONE_ARGS_NAMES = ("flags", "pidfd", "child_tid", "parent_tid", "exit_signal", "stack", "stack_size",
                     "tls", "set_tid", "set_tid_size", "cgroup")  # fmt: skip


def clone_args(raw: bytes, arch: int, name: str) -> Fields | None:
    count = min(len(raw) // 8, len(_CLONE_ARGS_NAMES))
    if count < 8:
        return None
    values = struct.unpack_from(f"<{count}Q", raw)
    return dict(zip(_CLONE_ARGS_NAMES[:count], values, strict=True))


def dirents(raw: bytes, arch: int, name: str) -> list[Fields]:
    """linux_dirent64 records (getdents64) or linux_dirent (getdents)."""
    entries: list[Fields] = []
    offset = 0
    wide = arch != ARCH_I386
    while offset + 19 <= len(raw):
        if name == "getdents64":
            ino, off, reclen, dtype = struct.unpack_from("<QqHB", raw, offset)
            name_start = offset + 19
        else:
            fmt = "<QqH" if wide else "<IiH"
            ino, off, reclen = struct.unpack_from(fmt, raw, offset)
            name_start = offset + struct.calcsize(fmt)
            dtype = raw[offset + reclen - 1] if reclen and offset + reclen <= len(raw) else 0
        if reclen == 0 or offset + reclen > len(raw):
            break
        entry_name = raw[name_start : offset + reclen].split(b"\0", 1)[0]
        entries.append({"d_ino": ino, "d_off": off, "d_reclen": reclen, "d_type": dtype, "d_name": entry_name})
        offset += reclen
    return entries


PARSERS: dict[str, Callable[[bytes, int, str], Any]] = {
    "stat_out": stat,
    "statx_out": statx,
    "timespec_in": timespec,
    "timespec_out": timespec,
    "timespec64_in": timespec,
    "timespec64_out": timespec,
    "sigaction": sigaction,
    "sigaction_out": sigaction,
    "rusage_out": rusage,
    "rlimit_in": rlimit,
    "rlimit_out": rlimit,
    "utsname_out": utsname,
    "open_how": open_how,
    "epoll_event": epoll_event,
    "epoll_events_out": epoll_events,
    "pollfd": pollfds,
    "clone_args": clone_args,
    "dirents_out": dirents,
}


def parse(kind: str, raw: bytes, arch: int, name: str) -> Any:
    """The fields of a struct argument of that kind, or None if too short."""
    parser = PARSERS.get(kind)
    return None if parser is None else parser(bytes(raw), arch, name)
