"""Decoding of descriptor calls: fcntl and its locks, dup3, pipe2, epoll, poll, select and their time left."""

from __future__ import annotations

import struct

from decoding_support import (
    InPlace,
    TraceeMemory,
    compact,
    line,
    plan,
    render,
    render_recorded,
    run,
    trace,
    trace_in_place,
)

from atrace.syscalls import ARCH_I386

EFAULT, EINVAL, ENOTTY = -14, -22, -25


# -- select / pselect6 --------------------------------------------------------


def test_fcntl_commands_and_returns() -> None:
    assert compact(line("fcntl", [3, 1, 0], 1)) == "fcntl(3, F_GETFD) = 0x1 (flags FD_CLOEXEC)"
    assert compact(line("fcntl", [3, 2, 1], 0)) == "fcntl(3, F_SETFD, FD_CLOEXEC) = 0"
    assert compact(line("fcntl", [1, 3, 0], 0x8001)) == "fcntl(1, F_GETFL) = 0x8001 (flags O_WRONLY|O_LARGEFILE)"
    assert compact(line("fcntl", [3, 4, 0o4000], 0)) == "fcntl(3, F_SETFL, O_RDONLY|O_NONBLOCK) = 0"
    assert compact(line("fcntl", [3, 0, 10], 11)) == "fcntl(3, F_DUPFD, 10) = 11"
    assert compact(line("fcntl", [3, 999, 0], -22)).startswith("fcntl(3, 0x3e7 /* F_??? */, NULL) = -1 EINVAL")


def test_fcntl_signal_lease_notify_and_owner() -> None:
    assert compact(line("fcntl", [1, 10, 1], 0)) == "fcntl(1, F_SETSIG, SIGHUP) = 0"
    assert compact(line("fcntl", [1, 10, 0], 0)) == "fcntl(1, F_SETSIG, 0) = 0"
    assert compact(line("fcntl", [1, 11, 0], 1)) == "fcntl(1, F_GETSIG) = 1 (SIGHUP)"
    assert compact(line("fcntl", [1, 11, 0], 0)) == "fcntl(1, F_GETSIG) = 0"
    assert compact(line("fcntl", [1, 1024, 0], 0)) == "fcntl(1, F_SETLEASE, F_RDLCK) = 0"
    assert compact(line("fcntl", [1, 1025, 0], 2)) == "fcntl(1, F_GETLEASE) = 0x2 (F_UNLCK)"
    assert (
        compact(line("fcntl", [0, 1026, 0x80000003], 0)) == "fcntl(0, F_NOTIFY, DN_ACCESS|DN_MODIFY|DN_MULTISHOT) = 0"
    )
    memory = TraceeMemory({0x1000: struct.pack("<ii", 0, 1234567890), 0x2000: struct.pack("<ii", 7, 42)})
    assert trace("fcntl", memory, [0, 15, 0x1000], -3).startswith(
        "fcntl(0, F_SETOWN_EX, {type=F_OWNER_TID, pid=1234567890}) = -1 ESRCH"
    )
    # The kernel answers F_GETOWN_EX: read at exit, only when it succeeded.
    assert (
        trace("fcntl", memory, [0, 16, 0x2000], 0) == "fcntl(0, F_GETOWN_EX, {type=0x7 /* F_OWNER_??? */, pid=42}) = 0"
    )
    assert trace("fcntl", memory, [0, 16, 0x2000], EINVAL).startswith("fcntl(0, F_GETOWN_EX, 0x2000) = -1 EINVAL")


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


# -- ppoll ------------------------------------------------------------------


def test_ppoll_shows_the_time_left_and_the_mask() -> None:
    pollfd = struct.pack("<ihh", 3, 1, 0)
    memory = TraceeMemory({0x1000: pollfd, 0x2000: struct.pack("<2q", 5, 0), 0x3000: struct.pack("<Q", 1 << 9)})
    p = plan("ppoll", memory)
    entry, _ = run(p, [0x1000, 1, 0x2000, 0x3000, 8], 1)
    # The kernel writes the results and the time left in place.
    memory.regions[0x1000] = struct.pack("<ihh", 3, 1, 1)
    memory.regions[0x2000] = struct.pack("<2q", 4, 999999395)
    _, exit_ = run(p, [0x1000, 1, 0x2000, 0x3000, 8], 1)
    text = render("ppoll", [0x1000, 1, 0x2000, 0x3000, 8], 1, entry, exit_)
    assert text == (
        "ppoll([{fd=3, events=POLLIN}], 1, {tv_sec=5, tv_nsec=0}, [USR1], 8)"
        " = 1 ([{fd=3, revents=POLLIN}], left {tv_sec=4, tv_nsec=999999395})"
    )
    # No time left shown when the call timed out.
    timeout = render("ppoll", [0x1000, 1, 0x2000, 0x3000, 8], 0, entry, exit_)
    assert timeout.endswith(", [USR1], 8) = 0 (Timeout)")


def test_ppoll_time64_i386_time_left() -> None:
    memory = TraceeMemory({0x1000: struct.pack("<ihh", 3, 1, 1), 0x2000: struct.pack("<2q", 1, 5)})
    text = trace("ppoll_time64", memory, [0x1000, 1, 0x2000, 0, 8], 1, ARCH_I386)
    assert text.endswith("= 1 ([{fd=3, revents=POLLIN}], left {tv_sec=1, tv_nsec=5})")


# -- epoll_ctl ---------------------------------------------------------------


def test_epoll_ctl_del_shows_the_address_and_reads_nothing() -> None:
    event = struct.pack("<IQ", 1, 7)
    memory = TraceeMemory({0x1000: event})
    assert trace("epoll_ctl", memory, [3, 1, 0, 0x1000], 0) == (
        "epoll_ctl(3, EPOLL_CTL_ADD, 0, {events=EPOLLIN, data={u32=7, u64=7}}) = 0"
    )
    memory.reads.clear()
    assert trace("epoll_ctl", memory, [3, 2, 0, 0x1000], 0) == "epoll_ctl(3, EPOLL_CTL_DEL, 0, 0x1000) = 0"
    assert memory.reads == []
    # A trace that recorded the struct anyway still shows the address.
    assert render_recorded("epoll_ctl", [3, 2, 4, 0x1000], 0, {"event": event}, None) == (
        "epoll_ctl(3, EPOLL_CTL_DEL, 4, 0x1000) = 0"
    )


def test_fcntl_locks_by_command_and_layout() -> None:
    lock = struct.pack("<hh4xqqi4x", 1, 0, 10, 5, 0)
    memory = TraceeMemory({0x1000: lock})
    assert trace("fcntl", memory, [4, 6, 0x1000], 0) == (
        "fcntl(4, F_SETLK, {l_type=F_WRLCK, l_whence=SEEK_SET, l_start=10, l_len=5}) = 0"
    )
    # F_GETLK: what the kernel answers, read at exit, with l_pid.
    memory.reads.clear()
    answered = struct.pack("<hh4xqqi4x", 2, 0, 10, 5, 0)
    memory.regions[0x1000] = answered
    assert trace("fcntl", memory, [4, 5, 0x1000], 0) == (
        "fcntl(4, F_GETLK, {l_type=F_UNLCK, l_whence=SEEK_SET, l_start=10, l_len=5, l_pid=0}) = 0"
    )
    assert memory.reads == [(0x1000, 32)]
    odd = TraceeMemory({0x1000: struct.pack("<hh4xqqi4x", 9, 7, 10, 5, 0)})
    assert trace("fcntl", odd, [4, 6, 0x1000], EINVAL) == (
        "fcntl(4, F_SETLK, {l_type=0x9 /* F_??? */, l_whence=0x7 /* SEEK_??? */, l_start=10, l_len=5}) "
        "= -1 EINVAL (Invalid argument)"
    )
    assert trace("fcntl", memory, [4, 6, 8], EFAULT) == "fcntl(4, F_SETLK, 0x8) = -1 EFAULT (Bad address)"
    # Other commands read nothing.
    memory.reads.clear()
    assert trace("fcntl", memory, [4, 1, 0], 1).startswith("fcntl(4, F_GETFD)")
    assert memory.reads == []


def test_fcntl64_i386_lock_layouts() -> None:
    flock = TraceeMemory({0x1000: struct.pack("<hhiii", 0, 1, -1, 5, 0)})
    assert trace("fcntl64", flock, [4, 6, 0x1000], 0, ARCH_I386) == (
        "fcntl64(4, F_SETLK, {l_type=F_RDLCK, l_whence=SEEK_CUR, l_start=-1, l_len=5}) = 0"
    )
    flock64 = TraceeMemory({0x1000: struct.pack("<hhqqi", 1, 0, 1 << 40, 5, 77)})
    assert trace("fcntl64", flock64, [4, 14, 0x1000], 0, ARCH_I386) == (
        f"fcntl64(4, F_SETLKW64, {{l_type=F_WRLCK, l_whence=SEEK_SET, l_start={1 << 40}, l_len=5}}) = 0"
    )
    assert trace("fcntl64", flock64, [4, 36, 0x1000], 0, ARCH_I386) == (
        f"fcntl64(4, F_OFD_GETLK, {{l_type=F_WRLCK, l_whence=SEEK_SET, l_start={1 << 40}, l_len=5, l_pid=77}}) = 0"
    )


def test_select_shows_the_timeout_in_and_the_time_left() -> None:
    fds = (1 << 4).to_bytes(8, "little")
    memory = InPlace({0x1000: fds, 0x2000: struct.pack("<qq", 5, 0)},
                     {0x1000: fds, 0x2000: struct.pack("<qq", 4, 999999)})  # fmt: skip
    assert trace_in_place("select", memory, [5, 0, 0x1000, 0, 0x2000], 1) == (
        "select(5, NULL, [4], NULL, {tv_sec=5, tv_usec=0}) = 1 (out [4], left {tv_sec=4, tv_usec=999999})"
    )
    memory = InPlace({0x1000: fds[:4], 0x2000: struct.pack("<ii", 0, 1000)},
                     {0x1000: b"\0" * 4, 0x2000: struct.pack("<ii", 0, 0)})  # fmt: skip
    assert trace_in_place("_newselect", memory, [5, 0x1000, 0, 0, 0x2000], 0, ARCH_I386) == (
        "_newselect(5, [4], NULL, NULL, {tv_sec=0, tv_usec=1000}) = 0 (Timeout)"
    )


def test_pselect6_time_left_and_sigmask_pair() -> None:
    fds = (1 << 4).to_bytes(8, "little")
    sig = struct.pack("<QQ", 0x4000, 8)
    before = {0x1000: fds, 0x2000: struct.pack("<qq", 5, 0), 0x3000: sig, 0x4000: (1 << 0).to_bytes(8, "little")}
    after = {**before, 0x2000: struct.pack("<qq", 4, 999999198)}
    assert trace_in_place("pselect6", InPlace(before, after), [5, 0, 0x1000, 0, 0x2000, 0x3000], 1) == (
        "pselect6(5, NULL, [4], NULL, {tv_sec=5, tv_nsec=0}, {sigmask=[HUP], sigsetsize=8})"
        " = 1 (out [4], left {tv_sec=4, tv_nsec=999999198})"
    )
    no_mask = {0x1000: fds, 0x3000: struct.pack("<II", 0, 8)}
    assert trace_in_place("pselect6", InPlace(no_mask, no_mask), [5, 0, 0x1000, 0, 0, 0x3000], 1, ARCH_I386) == (
        "pselect6(5, NULL, [4], NULL, NULL, {sigmask=NULL, sigsetsize=8}) = 1 (out [4])"
    )
