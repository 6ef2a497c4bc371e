"""Flag and constant tables (atrace.render.flags) and struct parsing."""

from __future__ import annotations

import errno
import os
import signal
import struct

import pytest

from atrace.render import flags, structs
from atrace.render.names import errno_message, errno_name, signal_name
from atrace.syscalls import ARCH_X86_64


@pytest.mark.parametrize("name", sorted(flags.TABLES))
def test_flag_tables_are_well_formed(name: str) -> None:
    table = flags.TABLES[name]
    names = [flag for _bits, flag in table]
    assert len(names) == len(set(names)), name
    for bits, _flag in table:
        assert bits > 0


@pytest.mark.parametrize("name", sorted(flags.CONSTANTS))
def test_constant_tables_are_well_formed(name: str) -> None:
    table = flags.CONSTANTS[name]
    assert len(set(table.values())) == len(table), name


def test_flags_match_the_os_module() -> None:
    # The values come from the kernel headers; the os module has many of them too.
    opened = dict(flags.OPEN_FLAGS)
    for value, name in opened.items():
        if hasattr(os, name) and name not in ("O_TMPFILE", "O_SYNC", "O_LARGEFILE"):
            assert getattr(os, name) == value, name
    mmap_names = {name: bits for bits, name in flags.TABLES["mmap"]}
    import mmap

    assert mmap_names["MAP_SHARED"] == mmap.MAP_SHARED and mmap_names["MAP_ANONYMOUS"] == mmap.MAP_ANONYMOUS
    assert {n: b for b, n in flags.TABLES["access"]} == {"R_OK": os.R_OK, "W_OK": os.W_OK, "X_OK": os.X_OK}
    assert flags.CONSTANTS["whence"][os.SEEK_END] == "SEEK_END"


def test_format_flags() -> None:
    assert flags.format_flags(0, "prot") == "PROT_NONE"
    assert flags.format_flags(7, "prot") == "PROT_READ|PROT_WRITE|PROT_EXEC"
    assert flags.format_flags(0x3, "mmap") == "MAP_SHARED_VALIDATE"
    # mmap: the type (0 is MAP_FILE), the flags, then the huge page size
    assert flags.format_flags(0x40000000 | 0x10, "mmap") == "MAP_FILE|MAP_FIXED|16<<MAP_HUGE_SHIFT"
    assert flags.format_flags(0x01200011, "clone") == "CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD"
    assert flags.format_flags(0, "access") == "F_OK"
    assert flags.format_flags(0x10000, "at") == "0x10000 /* AT_??? */"


def test_open_flags_and_modes() -> None:
    assert flags.format_open_flags(os.O_WRONLY | os.O_CREAT | os.O_TRUNC) == "O_WRONLY|O_CREAT|O_TRUNC"
    assert flags.format_open_flags(0o4010000) == "O_RDONLY|O_SYNC"
    assert flags.format_open_flags(0o20200002) == "O_RDWR|O_TMPFILE"
    # The halves alone, as glibc names them (strace tests/openat.c).
    assert flags.format_open_flags(0o4000000) == "O_RDONLY|__O_SYNC"
    assert flags.format_open_flags(0o20000001) == "O_WRONLY|__O_TMPFILE"
    assert flags.format_mode(0o644) == "0644"
    assert flags.format_mode(0o22) == "022"
    assert flags.format_mode(0) == "000"
    assert flags.format_mode(0o4755) == "04755"  # strace names no bit of a creation mode
    assert flags.format_file_mode(0o104755) == "S_IFREG|S_ISUID|0755"
    assert flags.format_file_mode(0o40755) == "S_IFDIR|0755"
    assert flags.format_file_mode(0o120777) == "S_IFLNK|0777"


def test_constants_and_unknown_values() -> None:
    assert flags.format_constant(3, "fcntl") == "F_GETFL"
    assert flags.format_constant(999, "fcntl") == "0x3e7 /* F_??? */"
    assert flags.format_constant(77, "madv", "dec") == "77"
    assert flags.format_socket_type(0o4000 | 0o2000000 | 2) == "SOCK_DGRAM|SOCK_CLOEXEC|SOCK_NONBLOCK"
    assert flags.format_ioctl_request(0x5401) == "TCGETS"
    assert flags.format_ioctl_request(0x80041234) == "_IOC(_IOC_READ, 0x12, 0x34, 0x4)"
    # A zero part is a bare 0, as C's %#x prints it.
    assert flags.format_ioctl_request(0x80003E03) == "_IOC(_IOC_READ, 0x3e, 0x3, 0)"
    assert flags.format_ioctl_request(0x4000DE00) == "_IOC(_IOC_WRITE, 0xde, 0, 0)"


def test_errno_and_signal_names() -> None:
    assert errno_name(errno.ENOENT) == "ENOENT"
    assert errno_name(errno.EAGAIN) == "EAGAIN"
    assert errno_message(errno.ENOENT) == "No such file or directory"
    assert errno_name(512) == "ERESTARTSYS"
    assert signal_name(signal.SIGCHLD) == "SIGCHLD"
    assert signal_name(34) == "SIGRT_2"
    assert signal_name(32) == "SIGRTMIN"
    assert signal_name(64) == "SIGRT_32"


def test_struct_parsers() -> None:
    raw = struct.pack("<QQQIII4xQqqqQQQQQQ24x", 1, 2, 3, 0o100644, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
    parsed = structs.parse("stat_out", raw, ARCH_X86_64, "newfstatat")
    assert parsed is not None
    assert parsed["st_mode"] == 0o100644 and parsed["st_size"] == 7 and parsed["st_ctime_nsec"] == 15
    assert structs.parse("stat_out", raw[:10], ARCH_X86_64, "fstat") is None
    assert structs.parse("timespec_in", struct.pack("<qq", 1, 2), ARCH_X86_64, "nanosleep") == {
        "tv_sec": 1,
        "tv_nsec": 2,
    }
    assert structs.parse("rlimit_out", struct.pack("<QQ", 5, 2**64 - 1), ARCH_X86_64, "prlimit64") == {
        "rlim_cur": 5,
        "rlim_max": 2**64 - 1,
    }
    assert structs.parse("epoll_event", struct.pack("<IQ", 1, 7), ARCH_X86_64, "epoll_ctl") == {
        "events": 1,
        "data": 7,
    }
