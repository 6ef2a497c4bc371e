"""Unit tests of the argument decoders: events in, strace text out."""

from __future__ import annotations

import struct
from typing import Any

import pytest

from atrace.events import records as R
from atrace.render.fmt_io import format_sockaddr
from atrace.render.fmt_signal import format_sigset, format_wait_status
from atrace.render.quoting import quote
from atrace.render.returns import format_return
from atrace.render.text import TextOptions, TextRenderer
from atrace.syscalls import ARCH_I386, ARCH_X86_64, by_name


def line(name: str, args: list[int], ret: int, entry: dict[str, Any] | None = None,
         exit_: dict[str, Any] | None = None, arch: int = ARCH_X86_64, **options: Any) -> str:  # fmt: skip
    """The text of one call made by one task."""
    call = by_name(arch, name)
    assert call is not None
    regs = tuple(args + [0] * (6 - len(args)))
    renderer = TextRenderer(TextOptions(personality_notes=False, **options))
    events = [
        (R.SYSCALL_ENTRY, 1_000, 10, 10, arch, call.nr, name, regs, entry),
        (R.SYSCALL_EXIT, 2_000, 10, 10, call.nr, ret, exit_),
    ]
    return renderer.render(events).rstrip("\n")


def compact(text: str) -> str:
    """Column padding removed."""
    head, _, ret = text.rpartition(" = ")
    return head.rstrip() + " = " + ret


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
    assert compact(line("write", [1, 0x1000, len(data)], len(data), {"buf": data[:32]})) == (
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


def test_fcntl_commands_and_returns() -> None:
    assert compact(line("fcntl", [3, 1, 0], 1)) == "fcntl(3, F_GETFD) = 0x1 (flags FD_CLOEXEC)"
    assert compact(line("fcntl", [3, 2, 1], 0)) == "fcntl(3, F_SETFD, FD_CLOEXEC) = 0"
    assert compact(line("fcntl", [1, 3, 0], 0x8001)) == "fcntl(1, F_GETFL) = 0x8001 (flags O_WRONLY|O_LARGEFILE)"
    assert compact(line("fcntl", [3, 4, 0o4000], 0)) == "fcntl(3, F_SETFL, O_RDONLY|O_NONBLOCK) = 0"
    assert compact(line("fcntl", [3, 0, 10], 11)) == "fcntl(3, F_DUPFD, 10) = 11"
    assert compact(line("fcntl", [3, 999, 0], -22)).startswith("fcntl(3, 0x3e7 /* F_??? */, NULL) = -1 EINVAL")


def test_mmap_family() -> None:
    assert compact(line("mmap", [0, 8192, 3, 0x22, 2**64 - 1, 0], 0x7F0000000000)) == (
        "mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000000000"
    )
    assert compact(line("mmap", [0x7F00, 4096, 5, 0x812, 3, 0x7000], 0x7F00)).endswith("3, 0x7000) = 0x7f00")
    assert compact(line("mprotect", [0x1000, 4096, 0], 0)) == "mprotect(0x1000, 4096, PROT_NONE) = 0"
    assert compact(line("madvise", [0x1000, 4096, 4], 0)) == "madvise(0x1000, 4096, MADV_DONTNEED) = 0"
    assert compact(line("brk", [0], 0x55000000)) == "brk(NULL) = 0x55000000"


def test_clone_named_flags_and_split() -> None:
    flags = 0x01200000 | 17
    text = line("clone", [flags, 0, 0, 0x7F10, 0], 42)
    assert compact(text) == (
        "clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f10) = 42"
    )


def test_wait4_status_macros() -> None:
    assert format_wait_status(3 << 8) == "{WIFEXITED(s) && WEXITSTATUS(s) == 3}"
    assert format_wait_status(15) == "{WIFSIGNALED(s) && WTERMSIG(s) == SIGTERM}"
    assert format_wait_status(11 | 0x80) == "{WIFSIGNALED(s) && WTERMSIG(s) == SIGSEGV && WCOREDUMP(s)}"
    assert format_wait_status(0x137F) == "{WIFSTOPPED(s) && WSTOPSIG(s) == SIGSTOP}"
    text = line("wait4", [2**64 - 1, 0x1000, 0x40000001, 0], 77, None, {"stat_addr": (3 << 8).to_bytes(4, "little")})
    assert compact(text) == "wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 3}], WNOHANG|__WALL, NULL) = 77"


def test_signals() -> None:
    assert format_sigset(0) == "[]"
    assert format_sigset((1 << 1) | (1 << 14)) == "[INT TERM]"
    assert format_sigset(~((1 << 1) | (3 << 31)) & (2**64 - 1)) == "~[INT RTMIN RT_1]"
    act = struct.pack("<QQQQ", 0x401000, 0x14000000, 0x7F00, 1 << 14)
    text = line("rt_sigaction", [10, 0x1000, 0, 8], 0, {"act": act})
    assert compact(text) == (
        "rt_sigaction(SIGUSR1, {sa_handler=0x401000, sa_mask=[TERM], sa_flags=SA_RESTORER|SA_RESTART, "
        "sa_restorer=0x7f00}, NULL, 8) = 0"
    )
    assert compact(line("rt_sigprocmask", [0, 0x10, 0, 8], 0, {"set": (1 << 9).to_bytes(8, "little")})) == (
        "rt_sigprocmask(SIG_BLOCK, [USR1], NULL, 8) = 0"
    )
    assert compact(line("kill", [42, 15], 0)) == "kill(42, SIGTERM) = 0"
    assert compact(line("tgkill", [42, 43, 6], 0)) == "tgkill(42, 43, SIGABRT) = 0"


def test_time_calls() -> None:
    ts = struct.pack("<qq", 0, 1000)
    assert compact(line("nanosleep", [0x10, 0], 0, {"rqtp": ts})) == "nanosleep({tv_sec=0, tv_nsec=1000}, NULL) = 0"
    assert compact(line("clock_nanosleep", [1, 0, 0x10, 0], 0, {"rqtp": ts})) == (
        "clock_nanosleep(CLOCK_MONOTONIC, 0, {tv_sec=0, tv_nsec=1000}, NULL) = 0"
    )
    assert compact(line("clock_gettime", [1, 0x10], 0, None, {"tp": struct.pack("<qq", 5, 6)})) == (
        "clock_gettime(CLOCK_MONOTONIC, {tv_sec=5, tv_nsec=6}) = 0"
    )


def test_sockets() -> None:
    assert compact(line("socket", [2, 0o2000001, 0], 3)) == "socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_IP) = 3"
    assert compact(line("socket", [1, 1, 0], 3)) == "socket(AF_UNIX, SOCK_STREAM, 0) = 3"
    inet = struct.pack("<H", 2) + struct.pack(">H", 9) + bytes([127, 0, 0, 1]) + bytes(8)
    assert format_sockaddr(inet, TextOptions()) == (
        '{sa_family=AF_INET, sin_port=htons(9), sin_addr=inet_addr("127.0.0.1")}'
    )
    unix = struct.pack("<H", 1) + b"/tmp/s\0"
    text = line("connect", [3, 0x10, 110], -2, {"uservaddr": unix})
    assert compact(text) == (
        'connect(3, {sa_family=AF_UNIX, sun_path="/tmp/s"}, 110) = -1 ENOENT (No such file or directory)'
    )
    six = struct.pack("<H", 10) + struct.pack(">HI", 80, 0) + bytes(15) + b"\1" + bytes(4)
    assert 'inet_pton(AF_INET6, "::1", &sin6_addr)' in format_sockaddr(six, TextOptions())
    text = line("accept4", [3, 0x10, 0x20, 0o2000000], 4, {"upeer_addrlen": 128}, {"upeer_sockaddr": [inet, 16]})
    assert compact(text).endswith("[128 => 16], SOCK_CLOEXEC) = 4")
    text = line("setsockopt", [3, 1, 2, 0x10, 4], 0, {"optval": (1).to_bytes(4, "little")})
    assert compact(text) == "setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0"
    text = line("sendto", [3, 0x10, 4, 0x4000, 0, 0], 4, {"buff": b"ping"})
    assert compact(text) == 'sendto(3, "ping", 4, MSG_NOSIGNAL, NULL, 0) = 4'


def test_process_calls() -> None:
    assert compact(line("arch_prctl", [0x1002, 0x7F00], 0)) == "arch_prctl(ARCH_SET_FS, 0x7f00) = 0"
    assert compact(line("prctl", [1, 9, 0, 0, 0], 0)) == "prctl(PR_SET_PDEATHSIG, SIGKILL) = 0"
    assert compact(line("prctl", [3, 0, 0, 0, 0], 1)) == "prctl(PR_GET_DUMPABLE) = 1 (SUID_DUMP_USER)"
    assert compact(line("exit_group", [0], 0)).startswith("exit_group(0)")
    assert compact(line("set_tid_address", [0x7F10], 5)) == "set_tid_address(0x7f10) = 5"
    assert compact(line("rseq", [0x7F10, 0x20, 0, 0x53053053], 0)) == "rseq(0x7f10, 0x20, 0, 0x53053053) = 0"
    assert compact(line("futex", [0x7F10, 129, 1], 0)) == "futex(0x7f10, FUTEX_WAKE_PRIVATE, 1) = 0"
    argv = ["ls", "-l"]
    text = line("execve", [0x10, 0x20, 0x7FF0], 0, {"filename": "/bin/ls", "argv": argv, "envc": 3})
    assert compact(text) == 'execve("/bin/ls", ["ls", "-l"], 0x7ff0 /* 3 vars */) = 0'


def test_descriptor_calls() -> None:
    assert compact(line("pipe2", [0x10, 0o2000000], 0, None, {"fildes": struct.pack("<ii", 3, 4)})) == (
        "pipe2([3, 4], O_CLOEXEC) = 0"
    )
    assert compact(line("dup3", [1, 8, 0o2000000], 8)) == "dup3(1, 8, O_CLOEXEC) = 8"
    iov = [[b"one ", 4], [b"two\n", 4]]
    assert compact(line("writev", [1, 0x10, 2], 8, {"vec": iov})) == (
        'writev(1, [{iov_base="one ", iov_len=4}, {iov_base="two\\n", iov_len=4}], 2) = 8'
    )
    polls = struct.pack("<ihh", 0, 1, 0) + struct.pack("<ihh", 1, 4, 0)
    after = struct.pack("<ihh", 0, 1, 1) + struct.pack("<ihh", 1, 4, 4)
    assert compact(line("poll", [0x10, 2, 0], 2, {"ufds": polls}, {"ufds": after})) == (
        "poll([{fd=0, events=POLLIN}, {fd=1, events=POLLOUT}], 2, 0) = 2 "
        "([{fd=0, revents=POLLIN}, {fd=1, revents=POLLOUT}])"
    )
    event = struct.pack("<IQ", 0x80000001, 7)
    assert compact(line("epoll_ctl", [5, 1, 3, 0x10], 0, {"event": event})) == (
        "epoll_ctl(5, EPOLL_CTL_ADD, 3, {events=EPOLLIN|EPOLLET, data={u32=7, u64=7}}) = 0"
    )
    assert compact(line("epoll_wait", [5, 0x10, 2, 0], 0)) == "epoll_wait(5, [], 2, 0) = 0"
    assert (
        compact(line("ioctl", [1, 0x5401, 0x7FFE], -25))
        == "ioctl(1, TCGETS, 0x7ffe) = -1 ENOTTY (Inappropriate ioctl for device)"
    )
    assert compact(line("lseek", [3, 2**64 - 2, 2], 65)) == "lseek(3, -2, SEEK_END) = 65"
    assert compact(line("umask", [0o22], 0o22)) == "umask(022) = 022"


def test_getdents_counts_entries() -> None:
    def record(name: bytes) -> bytes:
        size = (19 + len(name) + 1 + 7) // 8 * 8
        return struct.pack("<QqHB", 1, 2, size, 4) + name + bytes(size - 19 - len(name))

    raw = record(b".") + record(b"..")
    text = line("getdents64", [3, 0x5000, 32768], len(raw), None, {"dirent": raw})
    assert compact(text) == "getdents64(3, 0x5000 /* 2 entries */, 32768) = 48"
    verbose = line("getdents64", [3, 0x5000, 32768], len(raw), None, {"dirent": raw}, verbose=True)
    assert 'd_type=DT_DIR, d_name=".."}' in verbose


def test_errors_and_restarts() -> None:
    assert format_return(None, -2) == "-1 ENOENT (No such file or directory)"
    assert format_return(None, -512) == "? ERESTARTSYS (To be restarted if SA_RESTART is set)"
    assert format_return(None, -514) == "? ERESTARTNOHAND (To be restarted if no handler)"
    assert format_return(None, -516) == "? ERESTART_RESTARTBLOCK (Interrupted by signal)"


def test_i386_calls_use_i386_layouts() -> None:
    # pread64's offset is split over two registers on i386.
    text = line("pread64", [3, 0x10, 4, 2, 0], 4, None, {"ubuf": b"abcd"}, arch=ARCH_I386)
    assert compact(text) == 'pread64(3, "abcd", 4, 2) = 4'
    act = struct.pack("<IIIQ", 1, 0, 0, 0)
    assert "sa_handler=SIG_IGN" in line("rt_sigaction", [13, 0x10, 0, 8], 0, {"act": act}, arch=ARCH_I386)


def test_personality_note() -> None:
    renderer = TextRenderer(TextOptions())
    getpid = by_name(ARCH_I386, "getpid")
    assert getpid is not None
    text = renderer.render([
        (R.SYSCALL_ENTRY, 1, 10, 10, ARCH_I386, getpid.nr, "getpid", (0,) * 6, None),
        (R.SYSCALL_EXIT, 2, 10, 10, getpid.nr, 10, None),
    ])  # fmt: skip
    assert text.startswith("[ Process PID=10 runs in 32 bit mode. ]\ngetpid()")


@pytest.mark.parametrize(
    ("options", "prefix"),
    [({"timestamps": 3}, "0.000001 "), ({"relative": True}, "     0.000000 "), ({"syscall_numbers": True}, "[  39] ")],
)
def test_prefix_options(options: dict[str, Any], prefix: str) -> None:
    assert line("getpid", [], 10, **options).startswith(prefix)


def test_syscall_times() -> None:
    assert line("getpid", [], 10, syscall_times=True).endswith("= 10 <0.000001>")


def test_exit_without_its_entry_is_a_named_resumption() -> None:
    # A live tail joins the stream between a read's entry and its exit.
    read = by_name(ARCH_X86_64, "read")
    assert read is not None
    renderer = TextRenderer(TextOptions(personality_notes=False))
    text = renderer.render([(R.SYSCALL_EXIT, 2_000, 10, 10, read.nr, -11, None)])
    assert compact(text.rstrip("\n")) == "<... read resumed>) = -1 EAGAIN (Resource temporarily unavailable)"


def test_getcwd_shows_the_path_whole_without_its_nul() -> None:
    path = "/tmp/" + "d" * 60
    text = line("getcwd", [0x1000, 1024], len(path) + 1, exit_={"buf": path}, string_limit=5)
    assert compact(text) == f'getcwd("{path}", 1024) = {len(path) + 1}'


def test_faccessat2_names_at_eaccess() -> None:
    text = line("faccessat2", [2**64 - 100, 0x1000, 4, 0x200], 0, {"filename": "."})
    assert compact(text) == 'faccessat2(AT_FDCWD, ".", R_OK, AT_EACCESS) = 0'


def test_sigchld_cpu_times_get_seconds_when_not_zero() -> None:
    renderer = TextRenderer(TextOptions(personality_notes=False))
    extra = {"status": 0, "utime": 136, "stime": 0}
    text = renderer.render([(R.SIGNAL, 1, 10, 10, 17, 1, 11, 0, extra)])
    assert text == (
        "--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=11, si_uid=0, si_status=0, "
        "si_utime=136 /* 1.36 s */, si_stime=0} ---\n"
    )


@pytest.mark.parametrize(("old", "shown"), [(0, "000"), (0o22, "022"), (0o777, "0777")])
def test_umask_returns_the_old_mask_in_octal(old: int, shown: str) -> None:
    assert compact(line("umask", [0o22], old)) == f"umask(022) = {shown}"


def test_renameat2_flags() -> None:
    text = line("renameat2", [2**64 - 100, 1, 2**64 - 100, 2, 1], 0, {"oldname": "a", "newname": "b"})
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
