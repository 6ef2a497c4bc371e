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
from ..syscalls.calls import CLONE_ARGS_FIELDS
from ..syscalls.kinds import I386_OLD_STAT, KIND, MSGHDR, SIGINFO, STAT, STATFS, STATFS64, STATX, SYSINFO, Layout

Fields = dict[str, Any]


def _unpack(layout: struct.Struct, names: tuple[str, ...], raw: bytes) -> Fields | None:
    if len(raw) < layout.size:
        return None
    return dict(zip(names, layout.unpack_from(raw), strict=True))


_STAT64 = STAT.struct(0)  # x86_64 struct stat
_STAT64_NAMES = ("st_dev", "st_ino", "st_nlink", "st_mode", "st_uid", "st_gid", "st_rdev", "st_size",
                 "st_blksize", "st_blocks", "st_atime", "st_atime_nsec", "st_mtime", "st_mtime_nsec",
                 "st_ctime", "st_ctime_nsec")  # fmt: skip
_I386_STAT64 = STAT.struct(ARCH_I386)  # i386 struct stat64
_I386_STAT64_NAMES = ("st_dev", "__st_ino", "st_mode", "st_nlink", "st_uid", "st_gid", "st_rdev", "st_size",
                      "st_blksize", "st_blocks", "st_atime", "st_atime_nsec", "st_mtime", "st_mtime_nsec",
                      "st_ctime", "st_ctime_nsec", "st_ino")  # fmt: skip
_I386_STAT = I386_OLD_STAT  # i386 struct stat (the old 32-bit one)
_I386_STAT_NAMES = ("st_dev", "st_ino", "st_mode", "st_nlink", "st_uid", "st_gid", "st_rdev", "st_size",
                    "st_blksize", "st_blocks", "st_atime", "st_atime_nsec", "st_mtime", "st_mtime_nsec",
                    "st_ctime", "st_ctime_nsec")  # fmt: skip
_STATX = STATX.struct(0)
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


# tv_sec is a signed time_t, tv_nsec and tv_usec are shown unsigned (strace
# prints a negative one zero-extended: tv_nsec=13464652301697220333).
def timespec(raw: bytes, arch: int, name: str) -> Fields | None:
    if len(raw) >= 16:
        sec, nsec = struct.unpack_from("<qQ", raw)
    elif len(raw) >= 8:
        sec, nsec = struct.unpack_from("<iI", raw)
    else:
        return None
    return {"tv_sec": sec, "tv_nsec": nsec}


def timespec_pair(raw: bytes, arch: int, name: str) -> list[Fields] | None:
    """Two struct timespec (utimensat): 16 bytes each, or 8 for i386's old layout."""
    half = len(raw) // 2
    if half not in (8, 16):
        return None
    first, second = timespec(raw[:half], arch, name), timespec(raw[half:], arch, name)
    return None if first is None or second is None else [first, second]


# struct flock by size: x86_64's (both layouts), i386's flock64, i386's flock.
_FLOCK = {32: struct.Struct("<hh4xqqi4x"), 24: struct.Struct("<hhqqi"), 16: struct.Struct("<hhiii")}


def flock(raw: bytes) -> Fields | None:
    """A struct flock or flock64, told apart by the bytes fcntl's command
    made the tracer copy (atrace.syscalls.fcntls)."""
    layout = _FLOCK.get(len(raw))
    return None if layout is None else _unpack(layout, ("l_type", "l_whence", "l_start", "l_len", "l_pid"), raw)


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
    mask = 0xFFFFFFFF if arch == ARCH_I386 else (1 << 64) - 1
    fields: Fields = {
        "ru_utime": {"tv_sec": values[0], "tv_usec": values[1] & mask},
        "ru_stime": {"tv_sec": values[2], "tv_usec": values[3] & mask},
    }
    # The counters are longs that strace shows unsigned, as tv_usec.
    fields.update(zip(names, (value & mask for value in values[4:]), strict=True))
    return fields


def utsname(raw: bytes, arch: int, name: str) -> Fields | None:
    if len(raw) < 390:
        return None
    names = ("sysname", "nodename", "release", "version", "machine", "domainname")
    return {key: raw[i * 65 : (i + 1) * 65].split(b"\0", 1)[0] for i, key in enumerate(names)}


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


def clone_args(raw: bytes, arch: int, name: str) -> Fields | None:
    count = min(len(raw) // 8, len(CLONE_ARGS_FIELDS))
    if count < 8:
        return None
    values = struct.unpack_from(f"<{count}Q", raw)
    return dict(zip(CLONE_ARGS_FIELDS[:count], values, strict=True))


def cpuset(raw: bytes, arch: int, name: str) -> list[int]:
    """The CPUs set in an affinity mask (an array of longs, little-endian,
    so the bytes read as one number whatever the word size)."""
    bits = int.from_bytes(raw, "little")
    return [cpu for cpu in range(len(raw) * 8) if bits >> cpu & 1]


def gids(raw: bytes, arch: int, name: str) -> list[int]:
    """An array of gid_t (unsigned 32-bit)."""
    return [gid for (gid,) in struct.iter_unpack("<I", raw[: len(raw) // 4 * 4])]


def gids16(raw: bytes, arch: int, name: str) -> list[int]:
    """An array of i386's old 16-bit gids."""
    return [gid for (gid,) in struct.iter_unpack("<H", raw[: len(raw) // 2 * 2])]


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


def termios(raw: bytes) -> Fields | None:
    """struct termios as the kernel's TCGETS/TCSETS take it (the same on
    x86_64 and i386): four flag words, the line discipline, 19 control chars."""
    if len(raw) < 36:
        return None
    iflag, oflag, cflag, lflag, line = struct.unpack_from("<IIIIB", raw)
    return {"c_iflag": iflag, "c_oflag": oflag, "c_cflag": cflag, "c_lflag": lflag, "c_line": line,
            "c_cc": list(raw[17:36])}  # fmt: skip


def termio(raw: bytes) -> Fields | None:
    """struct termio (TCGETA/TCSETA): four unsigned short flag words, the
    line discipline and 8 control chars; the field names are termios's."""
    if len(raw) < 17:
        return None
    iflag, oflag, cflag, lflag, line = struct.unpack_from("<HHHHB", raw)
    return {"c_iflag": iflag, "c_oflag": oflag, "c_cflag": cflag, "c_lflag": lflag, "c_line": line,
            "c_cc": list(raw[9:17])}  # fmt: skip


def winsize(raw: bytes) -> Fields | None:
    if len(raw) < 8:
        return None
    return dict(zip(("ws_row", "ws_col", "ws_xpixel", "ws_ypixel"), struct.unpack_from("<HHHH", raw), strict=True))


def msghdr(raw: bytes, arch: int) -> Fields | None:
    """The fields of a struct msghdr (pointers as numbers)."""
    return MSGHDR.unpack(raw, arch)


def cmsgs(raw: bytes, arch: int) -> list[Fields]:
    """The control messages of a msg_control buffer: cmsg_len, cmsg_level,
    cmsg_type and cmsg_data (the bytes cmsg_len covers, as far as copied).
    The header is size_t-aligned: 16 bytes on x86_64, 12 on i386."""
    narrow = arch == ARCH_I386
    header = struct.Struct("<Iii" if narrow else "<Qii")
    align = 4 if narrow else 8
    out: list[Fields] = []
    offset = 0
    while offset + header.size <= len(raw):
        length, level, kind = header.unpack_from(raw, offset)
        data_end = offset + length if length >= header.size else offset + header.size
        out.append({"cmsg_len": length, "cmsg_level": level, "cmsg_type": kind,
                    "cmsg_data": raw[offset + header.size : data_end]})  # fmt: skip
        if length < header.size:
            break
        offset += (length + align - 1) // align * align
    return out


def int_fields(raw: bytes, names: tuple[str, ...]) -> tuple[list[tuple[str, int]], bytes]:
    """Consecutive 32-bit ints (struct linger, struct ucred): the named
    values that fit whole, and the bytes left over."""
    whole = min(len(raw) // 4, len(names))
    values = struct.unpack_from(f"<{whole}i", raw) if whole else ()
    return list(zip(names[:whole], values, strict=True)), raw[whole * 4 : len(names) * 4]


def _statfs_fields(layout: Layout, raw: bytes, arch: int) -> Fields | None:
    fields = layout.unpack(raw, arch)
    if fields is not None:
        fields["f_fsid"] = [fields.pop("f_fsid0"), fields.pop("f_fsid1")]
    return fields


def statfs(raw: bytes, arch: int, name: str) -> Fields | None:
    """struct statfs, or statfs64 (which is statfs on x86_64), told apart by size."""
    return _statfs_fields(STATFS64 if arch == ARCH_I386 and len(raw) >= STATFS64.size(arch) else STATFS, raw, arch)


def sysinfo(raw: bytes, arch: int, name: str) -> Fields | None:
    fields = SYSINFO.unpack(raw, arch)
    if fields is not None:
        fields["loads"] = [fields.pop(f"load{i}") for i in range(3)]
    return fields


# struct user_desc's flag bits after entry_number, base_addr and limit.
_USER_DESC_BITS = (("seg_32bit", 0, 1), ("contents", 1, 3), ("read_exec_only", 3, 1), ("limit_in_pages", 4, 1),
                   ("seg_not_present", 5, 1), ("useable", 6, 1), ("lm", 7, 1))  # fmt: skip


def user_desc(raw: bytes, arch: int, name: str) -> Fields | None:
    if len(raw) < 16:
        return None
    entry_number, base_addr, limit, bits = struct.unpack_from("<iIII", raw)
    fields: Fields = {"entry_number": entry_number, "base_addr": base_addr, "limit": limit}
    fields.update((key, bits >> shift & mask) for key, shift, mask in _USER_DESC_BITS)
    return fields


def timeval(raw: bytes, arch: int, name: str) -> Fields | None:
    if len(raw) >= 16:
        sec, usec = struct.unpack_from("<qQ", raw)
    elif len(raw) >= 8:
        sec, usec = struct.unpack_from("<iI", raw)
    else:
        return None
    return {"tv_sec": sec, "tv_usec": usec}


def _longs(raw: bytes, arch: int) -> list[int] | None:
    """The whole signed longs of the ABI in raw."""
    size = 4 if arch == ARCH_I386 else 8
    count = len(raw) // size
    return list(struct.unpack_from(f"<{count}{'i' if size == 4 else 'q'}", raw)) if count else None


def _timevals(raw: bytes, arch: int, count: int) -> list[Fields] | None:
    longs = _longs(raw, arch)
    if longs is None or len(longs) < 2 * count:
        return None
    mask = (1 << (32 if arch == ARCH_I386 else 64)) - 1
    return [{"tv_sec": longs[2 * i], "tv_usec": longs[2 * i + 1] & mask} for i in range(count)]


def timeval_pair(raw: bytes, arch: int, name: str) -> list[Fields] | None:
    """Two struct timeval (utimes, futimesat): access and modification times."""
    return _timevals(raw, arch, 2)


def itimerval(raw: bytes, arch: int, name: str) -> Fields | None:
    times = _timevals(raw, arch, 2)
    return None if times is None else {"it_interval": times[0], "it_value": times[1]}


def itimerspec(raw: bytes, arch: int, name: str) -> Fields | None:
    """A struct itimerspec: two struct timespec (of the ABI, or 64-bit)."""
    pair = timespec_pair(raw, arch, name)
    return None if pair is None else {"it_interval": pair[0], "it_value": pair[1]}


def nodemask(raw: bytes, arch: int, name: str) -> list[int]:
    """A node mask's words (unsigned longs of the ABI), as copied."""
    size = 4 if arch == ARCH_I386 else 8
    return [int.from_bytes(raw[i : i + size], "little") for i in range(0, len(raw) - size + 1, size)]


def siginfo(raw: bytes, arch: int, name: str) -> Fields | None:
    """A siginfo_t: si_signo, si_errno, si_code, then the union (at offset 16,
    12 on i386) read as each of its shapes: the sender (si_pid, si_uid) and
    its value (si_int, si_ptr), a child's status (si_status, si_utime,
    si_stime) and a fault address (si_addr).  Which of them mean something
    depends on the signal and si_code (atrace.render.fmt_signal)."""
    wide = arch != ARCH_I386
    union = 16 if wide else 12
    if len(raw) < SIGINFO.size(arch):
        return None
    signo, errno, code = struct.unpack_from("<iii", raw)
    pid, uid = struct.unpack_from("<iI", raw, union)
    if wide:
        ptr, utime, stime = struct.unpack_from("<Qqq", raw, union + 8)
        (status,) = struct.unpack_from("<i", raw, union + 8)
        (addr,) = struct.unpack_from("<Q", raw, union)
    else:
        (ptr,) = struct.unpack_from("<I", raw, union + 8)
        status, utime, stime = struct.unpack_from("<iii", raw, union + 8)
        addr = pid & 0xFFFFFFFF
    return {"si_signo": signo, "si_errno": errno, "si_code": code, "si_pid": pid, "si_uid": uid,
            "si_int": struct.unpack_from("<i", raw, union + 8)[0], "si_ptr": ptr, "si_status": status,
            "si_utime": utime, "si_stime": stime, "si_addr": addr}  # fmt: skip


def _fields(layout: Layout) -> Callable[[bytes, int, str], Any]:
    """The parser of a struct whose layout names its fields."""

    def parser(raw: bytes, arch: int, name: str) -> Any:
        return layout.unpack(raw, arch)

    return parser


def _value(layout: Layout) -> Callable[[bytes, int, str], Any]:
    """The parser of a single value (an offset, an int)."""

    def parser(raw: bytes, arch: int, name: str) -> Any:
        shape = layout.struct(arch)
        return shape.unpack_from(raw)[0] if len(raw) >= shape.size else None

    return parser


# Parsers by the name a kind declares (atrace.syscalls.kinds); "fields" and
# "value" are derived from the kind's layout.
_NAMED: dict[str, Callable[[bytes, int, str], Any]] = {
    "stat": stat, "statx": statx, "timespec": timespec, "timespec_pair": timespec_pair, "sigaction": sigaction,
    "rusage": rusage, "utsname": utsname, "epoll_event": epoll_event, "epoll_events": epoll_events,
    "pollfds": pollfds, "clone_args": clone_args, "dirents": dirents, "cpuset": cpuset, "gids": gids,
    "gids16": gids16, "statfs": statfs, "sysinfo": sysinfo, "user_desc": user_desc, "timeval": timeval,
    "itimerval": itimerval, "itimerspec": itimerspec, "timeval_pair": timeval_pair, "nodemask": nodemask,
    "siginfo": siginfo,
}  # fmt: skip


def _parser(kind_parser: str, layout: Layout | None) -> Callable[[bytes, int, str], Any]:
    if kind_parser in ("fields", "value"):
        assert layout is not None, kind_parser
        return _fields(layout) if kind_parser == "fields" else _value(layout)
    return _NAMED[kind_parser]


# The parser of each kind that has one.
PARSERS: dict[str, Callable[[bytes, int, str], Any]] = {
    kind.name: _parser(kind.parser, kind.layout) for kind in KIND.values() if kind.parser
}


def parse(kind: str, raw: bytes, arch: int, name: str) -> Any:
    """The fields of a struct argument of that kind, or None if too short."""
    parser = PARSERS.get(kind)
    return None if parser is None else parser(bytes(raw), arch, name)
