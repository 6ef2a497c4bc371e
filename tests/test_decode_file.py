"""Decoding of file calls: open flags and modes, stat and statfs, getdents, getcwd, timestamps, offsets."""

from __future__ import annotations

import struct
import time

import pytest
from decoding_support import TraceeMemory, compact, line, plan, render, run, trace

from atrace.render import structs
from atrace.render.quoting import quote
from atrace.syscalls import ARCH_I386

EFAULT, EINVAL, ENOTTY = -14, -22, -25


# -- utimes, futimesat, utime ----------------------------------------------


@pytest.fixture
def utc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()


EBADF, EFAULT = -9, -14


# -- statfs -------------------------------------------------------------------

PROC_STATFS = struct.pack("<QqQQQQQIIqqq", 0x9FA0, 4096, 0, 0, 0, 0, 0, 0x15, 0, 255, 4096, 0x1020) + b"\xee" * 32
PROC_TEXT = ("{f_type=PROC_SUPER_MAGIC, f_bsize=4096, f_blocks=0, f_bfree=0, f_bavail=0, f_files=0, f_ffree=0, "
             "f_fsid={val=[0x15, 0]}, f_namelen=255, f_frsize=4096, f_flags=ST_VALID|ST_RELATIME}")  # fmt: skip


def test_openat_shows_mode_only_with_o_creat() -> None:
    assert compact(line("openat", [2**64 - 100, 1, 0o2000000, 0o644], 3, {"filename": "/etc/x"})) == (
        'openat(AT_FDCWD, "/etc/x", O_RDONLY|O_CLOEXEC) = 3'
    )
    assert compact(line("openat", [5, 1, 0o1101, 0o640], 4, {"filename": "f"})) == (
        'openat(5, "f", O_WRONLY|O_CREAT|O_TRUNC, 0640) = 4'
    )


def test_open_flags_order_and_errors() -> None:
    text = compact(line("openat", [2**64 - 100, 1, 0o2204000, 0], -2, {"filename": "d"}))
    assert (
        text
        == 'openat(AT_FDCWD, "d", O_RDONLY|O_NONBLOCK|O_CLOEXEC|O_DIRECTORY) = -1 ENOENT (No such file or directory)'
    )


def test_read_write_buffers_cut_at_s() -> None:
    data = b"a longer line that is cut at thirty-two bytes\n"
    # The tracer reads -s + 1 bytes of a longer buffer (strace's umoven of the same).
    assert compact(line("write", [1, 0x1000, len(data)], len(data), {"buf": data[:33]})) == (
        'write(1, "a longer line that is cut at thi"..., 46) = 46'
    )
    assert compact(line("read", [3, 0x1000, 10], 0, None, None)) == 'read(3, "", 10) = 0'
    assert compact(line("read", [3, 0x1000, 10], 3, None, {"buf": b"\0\x01\n"})) == r'read(3, "\0\1\n", 10) = 3'
    assert compact(line("read", [3, 0x1000, 10], 2, None, {"buf": b"\x00\x07"}, hex_strings=1)) == (
        r'read(3, "\x00\x07", 10) = 2'
    )
    assert compact(line("read", [3, 0x1000, 10], 2, None, {"buf": b"ab"}, hex_strings=2)) == (
        r'read(3, "\x61\x62", 10) = 2'
    )


def test_quote_octal_before_digit() -> None:
    assert quote(b"\x001", 32) == r'"\0001"'
    assert quote(b"abc", 2) == '"ab"...'


def test_stat_struct() -> None:
    raw = struct.pack("<QQQIII4xQqqqQQQQQQ24x", 0x801, 5, 1, 0o100644, 0, 0, 0, 1221, 4096, 8, 0, 0, 0, 0, 0, 0)
    text = line("newfstatat", [2**64 - 100, 1, 2, 0], 0, {"filename": "/etc/passwd"}, {"statbuf": raw})
    assert compact(text) == 'newfstatat(AT_FDCWD, "/etc/passwd", {st_mode=S_IFREG|0644, st_size=1221, ...}, 0) = 0'
    chr_raw = struct.pack("<QQQIII4xQqqqQQQQQQ24x", 6, 5, 1, 0o20666, 0, 0, 0x103, 0, 4096, 0, 0, 0, 0, 0, 0, 0)
    text = line("newfstatat", [1, 1, 2, 0x1000], 0, {"filename": ""}, {"statbuf": chr_raw})
    assert "{st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}, AT_EMPTY_PATH" in text
    # A failed call shows the address.
    text = line("newfstatat", [2**64 - 100, 1, 0x7FFE0000, 0x100], -2, {"filename": "/x"}, None)
    assert "0x7ffe0000, AT_SYMLINK_NOFOLLOW) = -1 ENOENT" in text


def test_access_modes() -> None:
    assert compact(line("access", [1, 6], 0, {"filename": "/p"})) == 'access("/p", R_OK|W_OK) = 0'
    assert compact(line("access", [1, 0], 0, {"filename": "/"})) == 'access("/", F_OK) = 0'


def test_getdents_counts_entries() -> None:
    def record(name: bytes) -> bytes:
        size = (19 + len(name) + 1 + 7) // 8 * 8
        return struct.pack("<QqHB", 1, 2, size, 4) + name + bytes(size - 19 - len(name))

    raw = record(b".") + record(b"..")
    text = line("getdents64", [3, 0x5000, 32768], len(raw), None, {"dirent": raw})
    assert compact(text) == "getdents64(3, 0x5000 /* 2 entries */, 32768) = 48"
    verbose = line("getdents64", [3, 0x5000, 32768], len(raw), None, {"dirent": raw}, verbose=True)
    assert 'd_type=DT_DIR, d_name=".."}' in verbose


def test_getcwd_shows_the_path_whole_without_its_nul() -> None:
    path = "/tmp/" + "d" * 60
    text = line("getcwd", [0x1000, 1024], len(path) + 1, exit_={"buf": path}, string_limit=5)
    assert compact(text) == f'getcwd("{path}", 1024) = {len(path) + 1}'


def test_faccessat2_names_at_eaccess() -> None:
    text = line("faccessat2", [2**64 - 100, 0x1000, 4, 0x200], 0, {"filename": "."})
    assert compact(text) == 'faccessat2(AT_FDCWD, ".", R_OK, AT_EACCESS) = 0'


@pytest.mark.parametrize(("old", "shown"), [(0, "000"), (0o22, "022"), (0o777, "0777")])
def test_umask_returns_the_old_mask_in_octal(old: int, shown: str) -> None:
    assert compact(line("umask", [0o22], old)) == f"umask(022) = {shown}"


def test_renameat2_flags() -> None:
    text = line("renameat2", [2**64 - 100, 0x1000, 2**64 - 100, 0x2000, 1], 0, {"oldname": "a", "newname": "b"})
    assert compact(text) == 'renameat2(AT_FDCWD, "a", AT_FDCWD, "b", RENAME_NOREPLACE) = 0'


def test_open_flags_in_strace_order() -> None:
    from atrace.render.flags import format_open_flags

    # O_TMPFILE|O_RDWR|O_CLOEXEC|O_NOATIME|O_SYNC|O_NONBLOCK|O_APPEND|O_DIRECT|O_NOFOLLOW
    assert format_open_flags(
        0o20200000 | 2 | 0o2000000 | 0o1000000 | 0o4010000 | 0o4000 | 0o2000 | 0o40000 | 0o400000
    ) == ("O_RDWR|O_APPEND|O_NONBLOCK|O_SYNC|O_DIRECT|O_NOFOLLOW|O_NOATIME|O_CLOEXEC|O_TMPFILE")
    # O_DIRECTORY|O_PATH|O_CLOEXEC|O_DSYNC|O_ASYNC|O_NOCTTY
    assert format_open_flags(0o200000 | 0o10000000 | 0o2000000 | 0o10000 | 0o20000 | 0o400) == (
        "O_RDONLY|O_NOCTTY|O_DSYNC|O_CLOEXEC|O_PATH|O_DIRECTORY|FASYNC"
    )


def test_utimes_shows_dates_to_the_microsecond(utc: None) -> None:
    memory = TraceeMemory({0x4000: b"/f\0", 0x5000: struct.pack("<4q", 1000000000, 5, 1000000001, 0)})
    text = trace("utimes", memory, [0x4000, 0x5000], 0)
    assert text == (
        'utimes("/f", [{tv_sec=1000000000, tv_usec=5} /* 2001-09-09T01:46:40.000005+0000 */, '
        "{tv_sec=1000000001, tv_usec=0} /* 2001-09-09T01:46:41+0000 */]) = 0"
    )
    assert trace("utimes", memory, [0x4000, 0], 0) == 'utimes("/f", NULL) = 0'


def test_futimesat_i386(utc: None) -> None:
    memory = TraceeMemory({0x4000: b"/f\0", 0x5000: struct.pack("<4i", 1000000000, 5, 1000000001, 0)})
    text = trace("futimesat", memory, [0xFFFFFF9C, 0x4000, 0x5000], 0, ARCH_I386)
    assert text.startswith('futimesat(AT_FDCWD, "/f", [{tv_sec=1000000000, tv_usec=5} /* 2001-09-09T01:46:40.000005')


@pytest.mark.parametrize(("arch", "fmt"), [(0, "<2q"), (ARCH_I386, "<2i")])
def test_utime_utimbuf(utc: None, arch: int, fmt: str) -> None:
    memory = TraceeMemory({0x4000: b"/f\0", 0x5000: struct.pack(fmt, 1000000002, 1000000003)})
    text = trace("utime", memory, [0x4000, 0x5000], 0, arch)
    assert text == (
        'utime("/f", {actime=1000000002 /* 2001-09-09T01:46:42+0000 */, '
        "modtime=1000000003 /* 2001-09-09T01:46:43+0000 */}) = 0"
    )


# -- offsets, utimensat, fcntl locks ------------------------------------------


def test_sendfile_offset_before_and_after() -> None:
    memory = TraceeMemory({0x1000: struct.pack("<q", 0)})
    p = plan("sendfile", memory)
    entry, _ = run(p, [4, 3, 0x1000, 100], 100)
    memory.regions[0x1000] = struct.pack("<q", 100)  # the kernel moved it
    _, exit_ = run(p, [4, 3, 0x1000, 100], 100)
    assert render("sendfile", [4, 3, 0x1000, 100], 100, entry, exit_) == "sendfile(4, 3, [0] => [100], 100) = 100"
    negative = TraceeMemory({0x1000: struct.pack("<q", -5)})
    assert trace("sendfile", negative, [4, 3, 0x1000, 10], EINVAL) == (
        "sendfile(4, 3, [18446744073709551611], 10) = -1 EINVAL (Invalid argument)"
    )
    assert render("sendfile", [4, 3, 0x1000, 100], 0, exit_, exit_) == "sendfile(4, 3, [100], 100) = 0"
    assert trace("sendfile", memory, [4, 3, 0, 10], 10) == "sendfile(4, 3, NULL, 10) = 10"
    assert trace("sendfile", memory, [4, 3, 8, 10], EFAULT) == "sendfile(4, 3, 0x8, 10) = -1 EFAULT (Bad address)"
    # i386's sendfile takes a 32-bit off_t, sendfile64 a loff_t.
    small = TraceeMemory({0x1000: struct.pack("<iI", -5, 0xFFFFFFFF)})
    assert trace("sendfile", small, [4, 3, 0x1000, 10], EINVAL, ARCH_I386).startswith("sendfile(4, 3, [4294967291], ")
    assert trace("sendfile64", small, [4, 3, 0x1000, 10], EINVAL, ARCH_I386).startswith(
        "sendfile64(4, 3, [18446744073709551611], "
    )


def test_splice_and_copy_file_range_offsets_are_signed() -> None:
    memory = TraceeMemory({0x1000: struct.pack("<qq", -5, 7)})
    assert trace("copy_file_range", memory, [3, 0x1000, 4, 0x1008, 50, 0], 50) == (
        "copy_file_range(3, [-5], 4, [7], 50, 0) = 50"
    )
    assert trace("splice", memory, [3, 0x1008, 6, 0, 20, 0], 20) == "splice(3, [7], 6, NULL, 20, 0) = 20"


def test_utimensat_times_with_special_values(monkeypatch: pytest.MonkeyPatch) -> None:
    # strace's comment shows the local time: UTC here.
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    now, omit = (1 << 30) - 1, (1 << 30) - 2
    times = {0x1000: struct.pack("<qqqq", 1, 2, 1700000000, now), 0x2000: struct.pack("<qqqq", 0, omit, 3, 0)}
    memory = TraceeMemory({**times, 0x3000: b"f\0"})
    text = trace("utimensat", memory, [2**64 - 100, 0x3000, 0x1000, 0], 0)
    assert text == (
        'utimensat(AT_FDCWD, "f", [{tv_sec=1, tv_nsec=2} /* 1970-01-01T00:00:01.000000002+0000 */, UTIME_NOW], 0) = 0'
    )
    text = trace("utimensat", memory, [4, 0, 0x2000, 0x100], 0)
    assert text == (
        "utimensat(4, NULL, [UTIME_OMIT, {tv_sec=3, tv_nsec=0} /* 1970-01-01T00:00:03+0000 */], "
        "AT_SYMLINK_NOFOLLOW) = 0"
    )
    # -X raw shows the struct alone, -X verbose the struct and the name.
    assert trace("utimensat", memory, [4, 0, 0x2000, 0], 0, const_style="raw").startswith(
        "utimensat(4, NULL, [{tv_sec=0, tv_nsec=1073741822}, {tv_sec=3, tv_nsec=0} /* "
    )
    assert trace("utimensat", memory, [4, 0, 0x2000, 0], 0, const_style="verbose").startswith(
        "utimensat(4, NULL, [{tv_sec=0, tv_nsec=1073741822} /* UTIME_OMIT */, {tv_sec=3, tv_nsec=0} /* "
    )
    i386 = TraceeMemory({0x1000: struct.pack("<iiii", 1, 0, 2, now)})
    assert trace("utimensat", i386, [4, 0, 0x1000, 0], 0, ARCH_I386).endswith(
        "[{tv_sec=1, tv_nsec=0} /* 1970-01-01T00:00:01+0000 */, UTIME_NOW], 0) = 0"
    )


def test_fstatfs_copies_up_to_f_flags_and_names_the_magic() -> None:
    memory = TraceeMemory({0x1000: PROC_STATFS})
    assert trace("fstatfs", memory, [3, 0x1000], 0) == f"fstatfs(3, {PROC_TEXT}) = 0"
    assert memory.reads == [(0x1000, 88)]  # the spare words are left


def test_statfs64_on_i386_has_64_bit_counts() -> None:
    raw = struct.pack("<IiQQQQQIIiii", 0xEF53, 4096, 66053021, 60169616, 20714323, 16777216, 16341133,
                      0x94942BA, 0x2C28EFDD, 255, 4096, 0x21)  # fmt: skip
    memory = TraceeMemory({0x1000: raw + b"\0" * 16, 0x2000: b"/tmp\0"})
    assert trace("statfs64", memory, [0x2000, 84, 0x1000], 0, ARCH_I386) == (
        'statfs64("/tmp", 84, {f_type=EXT2_SUPER_MAGIC, f_bsize=4096, f_blocks=66053021, f_bfree=60169616, '
        "f_bavail=20714323, f_files=16777216, f_ffree=16341133, f_fsid={val=[0x94942ba, 0x2c28efdd]}, "
        "f_namelen=255, f_frsize=4096, f_flags=ST_RDONLY|ST_VALID}) = 0"
    )
    assert (0x1000, 68) in memory.reads


def test_i386_statfs_is_all_32_bit_and_unknown_magic_is_hex() -> None:
    raw = struct.pack("<IiIIIIIIIiii", 0x12345678, 1024, 10, 5, 4, 100, 50, 1, 2, 255, 1024, 0x20)
    fields = structs.parse("statfs_out", raw, ARCH_I386, "statfs")
    assert fields is not None and fields["f_blocks"] == 10 and fields["f_fsid"] == [1, 2]
    memory = TraceeMemory({0x1000: raw + b"\0" * 16})
    assert "f_type=0x12345678, f_bsize=1024," in trace("fstatfs", memory, [3, 0x1000], 0, ARCH_I386)


def test_failed_fstatfs_shows_the_address() -> None:
    memory = TraceeMemory({0x1000: PROC_STATFS})
    assert trace("fstatfs", memory, [99, 0x1000], EBADF) == ("fstatfs(99, 0x1000) = -1 EBADF (Bad file descriptor)")
    assert memory.reads == []


def test_llseek_result_written_back() -> None:
    memory = TraceeMemory({0x2000: struct.pack("<q", 1 << 32 | 5)})
    assert trace("_llseek", memory, [3, 1, 5, 0x2000, 0], 0, ARCH_I386) == (
        "_llseek(3, 4294967301, [4294967301], SEEK_SET) = 0"
    )
    assert trace("_llseek", memory, [3, 1, 0, 0x2000, 0], -22, ARCH_I386) == (
        "_llseek(3, 4294967296, 0x2000, SEEK_SET) = -1 EINVAL (Invalid argument)"
    )
