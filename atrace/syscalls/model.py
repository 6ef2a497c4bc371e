"""Syscall tables: for each number, the call's name, trace classes and arguments.

The rows live in the generated modules ``_x86_64`` and ``_i386`` (made by
scripts/gen_syscall_tables.py); this module turns them into typed, cached
tables.  x32 has no table of its own: its calls are the x86_64 rows of the same
name, under x32's numbers.

Classes are strace's trace classes (``strace -e trace=%file`` etc.), as strace
6.1 assigns them: file, process, network, signal, ipc, desc, memory, creds,
stat, lstat, fstat, stat_like, statfs, fstatfs, statfs_like, clock, pure.

Arguments are listed in register order, one per register the kernel reads, each
named as in the kernel's include/linux/syscalls.h; calls that Linux never
implemented (a number reserved in the table) have none.  The kind of an
argument tells a decoder what its raw register value means:

Plain values
    int, uint        signed / unsigned number (counts of elements, ids, levels)
    hex              flags, masks, commands and opaque words, best shown in hex
    ptr              a user address that is not decoded
    size             a byte count, usually the length of a neighbouring buffer
    off              a file offset
    split_lo         low half of a 64-bit value that a 32-bit ABI passes in two
    split_hi         registers (the pair is adjacent, in either order).  On x86_64
                     split_lo holds the whole value and split_hi is unused.
    fd               a file descriptor
    dirfd            the directory fd of an *at call (AT_FDCWD is -100)
    pid, uid, gid    a process/thread id, a user id, a group id
    signo            a signal number
Symbolic values
    mode             file mode and permission bits (S_IF*, 0644)
    open_flags       O_* flags
    at_flags         AT_* flags
    clone_flags      CLONE_* flags
    prot             PROT_* flags
    mmap_flags       MAP_* flags
    ioctl_req        an ioctl request code
    fcntl_cmd        an F_* command
    socket_family    an AF_* address family
    socket_type      a SOCK_* type, possibly or-ed with SOCK_NONBLOCK/SOCK_CLOEXEC
    whence           SEEK_*
    access_mode      F_OK or R_OK|W_OK|X_OK (access, faccessat)
    sigmask_how      SIG_BLOCK, SIG_UNBLOCK, SIG_SETMASK
    rlimit_resource  an RLIMIT_* resource
    itimer_which     an ITIMER_* timer (setitimer, getitimer)
    mpol_mode        a NUMA memory policy, MPOL_* mode or-ed with MPOL_F_* flags
Memory read at syscall entry
    path             a NUL-terminated file name
    str              another NUL-terminated string (xattr name, fs type, ...)
    argv, envp       a NULL-terminated array of pointers to NUL-terminated strings
    buf_in           bytes the tracee passes in; their length is the next
                     argument, a size
    iov_in           an array of struct iovec whose buffers the tracee passes in;
                     the element count is the next argument
    sockaddr_in      a struct sockaddr the tracee passes in; its length is the
                     next argument
    timespec_in      a struct timespec in the ABI's native layout (two longs)
    timespec64_in    a struct __kernel_timespec (two 64-bit fields), taken by the
                     i386 *_time64 calls and by calls newer than time64
    sigset           a signal mask: sigset_t whose size is the call's sigsetsize
                     argument, or one word for the old non-rt calls
    sigaction        a struct sigaction (the rt_sigaction layout)
    clone_args       a struct clone_args (clone3); its size is the next argument
    open_how         a struct open_how (openat2)
    epoll_event      one struct epoll_event (epoll_ctl)
    rlimit_in        a struct rlimit64 the tracee passes in (prlimit64)
    socketcall_args  i386 socketcall's array of the multiplexed call's
                     arguments; the call is the previous argument
    fdset            an fd_set (select); it is also written back at exit
    pollfd           an array of struct pollfd; its count is the next argument
    siginfo          a siginfo_t, passed in or filled in depending on the call
    futex_timeout    futex's timeout, a struct timespec of the ABI, read only for
                     the commands that take one (WAIT, WAIT_BITSET, LOCK_PI...);
                     the others pass a number there
    futex_timeout64  as futex_timeout, a struct __kernel_timespec (futex_time64)
    pselect6_sig     pselect6's pair {sigset address, sigsetsize} and the sigset
                     it points to
    rlimit_long_in   a struct rlimit of two unsigned longs of the ABI (getrlimit,
                     setrlimit, i386's ugetrlimit), not the 64-bit rlimit64
    sockopt_in       a setsockopt value; its length is the next argument
    msghdr_in        a struct msghdr the tracee passes in (sendmsg): the header,
                     the msg_name address, the msg_iov buffers and msg_control
    loff_in          a loff_t offset the tracee passes in (splice, copy_file_range)
    timespec_pair    two struct timespec in the ABI's native layout (utimensat's
                     access and modification times)
    timespec64_pair  two struct __kernel_timespec (utimensat_time64)
    cpuset_in        a CPU affinity mask (sched_setaffinity); its size in bytes
                     is the previous argument
    stack_t_in       a stack_t, an alternate signal stack (sigaltstack)
    gids_in          an array of gid_t (setgroups); the count is the previous
                     argument
    gids16_in        as gids_in, of 16-bit gids (i386's old setgroups)
    itimerval_in     a struct itimerval of the ABI (two struct timeval)
    timeval_pair     two struct timeval of the ABI (utimes' and futimesat's
                     access and modification times)
    utimbuf          a struct utimbuf of the ABI (two longs: actime, modtime)
    nodemask_in      a NUMA node mask, an array of unsigned longs of the ABI
                     (set_mempolicy, mbind); its size in bits (maxnode) is
                     the next argument
Memory read at entry and at exit
    fcntl_arg        fcntl's third argument: a struct flock for the lock
                     commands (atrace/syscalls/fcntls.py), read at entry for
                     those that set a lock and at exit for those that query
                     one; a plain value for the other commands
    off_inout        an off_t (a long) offset the kernel updates in place
                     (sendfile)
    loff_inout       a loff_t offset the kernel updates in place (sendfile64)
    prctl_arg        prctl's second argument: PR_SET_NAME's name at entry; at exit
                     what the kernel writes for PR_GET_NAME, PR_GET_PDEATHSIG and
                     PR_GET_CHILD_SUBREAPER; a number for the other options
    timeval_inout    select's struct timeval timeout; the kernel writes the time
                     left back
    timespec_inout   pselect6's and ppoll's struct timespec timeout, likewise
                     written back
    timespec64_inout as timespec_inout, a struct __kernel_timespec
    user_desc        a struct user_desc: set_thread_area's, whose entry_number the
                     kernel writes back, or get_thread_area's, filled by the
                     kernel for the entry_number passed in
    ioctl_arg        ioctl's third argument: what it points to depends on the
                     request (the previous argument); known requests read their
                     input struct or int at entry and their result at exit
    msghdr_out       a struct msghdr the kernel fills (recvmsg): the header at
                     entry (msg_namelen going in), everything at exit
Memory written by the kernel, read at syscall exit
    buf_out          bytes the kernel writes; their length is the return value
    path_out         a path the kernel writes (getcwd), NUL included in the
                     return value
    iov_out          an array of struct iovec the kernel fills; the total length
                     is the return value
    sockaddr_out     a struct sockaddr the kernel fills; the next argument points
                     to its length
    stat_out         the struct stat of the call (struct stat64 for the *64 calls)
    statx_out        a struct statx
    timespec_out     as timespec_in, filled by the kernel
    timespec64_out   as timespec64_in, filled by the kernel
    wait_status_out  an int wait status (WIFEXITED etc.)
    rusage_out       a struct rusage
    sigset_out       as sigset, filled by the kernel (the old mask)
    sigaction_out    as sigaction, filled by the kernel (the old action)
    fds_out          two ints, the fds of a new pipe
    dirents_out      linux_dirent(64) records; their total size is the return value
    rlimit_out       as rlimit_in, filled by the kernel
    utsname_out      a struct new_utsname
    statfs_out       a struct statfs of the ABI (statfs, fstatfs)
    statfs64_out     a struct statfs64 (i386's statfs64, fstatfs64)
    sysinfo_out      a struct sysinfo
    rlimit_long_out  as rlimit_long_in, filled by the kernel
    loff_out         a 64-bit offset the kernel writes (i386's _llseek result)
    parent_tid_out   clone's parent_tid: the new task's tid, written there when
                     the flags (the first argument) have CLONE_PARENT_SETTID,
                     or the new pidfd with CLONE_PIDFD
    epoll_events_out an array of struct epoll_event; the count is the return value
    sockopt_out      a getsockopt value; the next argument points to its length,
                     read at entry (the length going in) and at exit
    mmsghdr_out      an array of struct mmsghdr (sendmmsg, recvmmsg); the count
                     of entries handled is the return value
    cpuset_out       a CPU affinity mask the kernel fills (sched_getaffinity);
                     its size in bytes is the return value
    stack_t_out      as stack_t_in, filled by the kernel (the old stack)
    gids_out         an array of gid_t the kernel fills (getgroups); the count
                     is the return value
    gids16_out       as gids_out, of 16-bit gids (i386's old getgroups)
    itimerval_out    as itimerval_in, filled by the kernel (the current or old
                     timer)
    tms_out          a struct tms (four clock_t, longs of the ABI)
    mpol_mode_out    an int the kernel fills with a memory policy
                     (get_mempolicy's mode)
    nodemask_out     as nodemask_in, filled by the kernel (get_mempolicy)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from atrace.syscalls import _i386, _x86_64

ARCH_X86_64 = 0
ARCH_I386 = 1
ARCH_X32 = 2
ARCH_NAMES = {ARCH_X86_64: "x86_64", ARCH_I386: "i386", ARCH_X32: "x32"}

# The bit an x32 program sets in the syscall number (rax) to select its ABI.
X32_SYSCALL_BIT = 0x40000000

KINDS: frozenset[str] = frozenset(
    {
        "int", "uint", "hex", "ptr", "size", "off", "split_lo", "split_hi",
        "fd", "dirfd", "pid", "uid", "gid", "signo",
        "mode", "open_flags", "at_flags", "clone_flags", "prot", "mmap_flags",
        "ioctl_req", "fcntl_cmd", "socket_family", "socket_type", "whence",
        "path", "str", "argv", "envp", "buf_in", "iov_in", "sockaddr_in",
        "timespec_in", "timespec64_in", "sigset", "sigaction", "fdset",
        "pollfd", "siginfo",
        "buf_out", "path_out", "iov_out", "sockaddr_out", "stat_out", "statx_out",
        "timespec_out", "timespec64_out", "wait_status_out", "rusage_out",
        "access_mode", "sigmask_how", "rlimit_resource", "clone_args",
        "open_how", "epoll_event", "rlimit_in", "sigset_out", "sigaction_out",
        "fds_out", "dirents_out", "rlimit_out", "utsname_out", "epoll_events_out",
        "socketcall_args", "ioctl_arg", "sockopt_in", "msghdr_in", "msghdr_out", "sockopt_out",
        "mmsghdr_out", "cpuset_in", "cpuset_out", "stack_t_in", "stack_t_out",
        "gids_in", "gids_out", "gids16_in", "gids16_out", "loff_in", "off_inout", "loff_inout", "fcntl_arg",
        "timespec_pair", "timespec64_pair",
        "futex_timeout", "futex_timeout64", "pselect6_sig", "rlimit_long_in", "prctl_arg",
        "timeval_inout", "timespec_inout", "timespec64_inout", "user_desc", "statfs_out",
        "statfs64_out", "sysinfo_out", "rlimit_long_out", "loff_out", "parent_tid_out",
        "itimer_which", "itimerval_in", "itimerval_out", "tms_out", "timeval_pair", "utimbuf",
        "mpol_mode", "mpol_mode_out", "nodemask_in", "nodemask_out",
    }
)  # fmt: skip

# i386 socketcall's call numbers (linux/net.h) and the calls they stand for
# (send and recv have no syscall of their own and are left out).
SOCKETCALLS: dict[int, str] = {
    1: "socket", 2: "bind", 3: "connect", 4: "listen", 5: "accept", 6: "getsockname", 7: "getpeername",
    8: "socketpair", 11: "sendto", 12: "recvfrom", 13: "shutdown", 14: "setsockopt", 15: "getsockopt",
    16: "sendmsg", 17: "recvmsg", 18: "accept4", 19: "recvmmsg", 20: "sendmmsg",
}  # fmt: skip

CLASSES: frozenset[str] = frozenset(
    {
        "file", "process", "network", "signal", "ipc", "desc", "memory",
        "creds", "stat", "lstat", "fstat", "stat_like", "statfs", "fstatfs",
        "statfs_like", "clock", "pure",
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Arg:
    name: str
    kind: str


@dataclass(frozen=True, slots=True)
class Syscall:
    nr: int  # the number in its arch's table; for x32 without X32_SYSCALL_BIT
    name: str
    classes: frozenset[str]
    args: tuple[Arg, ...]

    @property
    def nargs(self) -> int:
        return len(self.args)


def _syscall(nr: int, name: str, classes: str, args: tuple[str, ...]) -> Syscall:
    return Syscall(
        nr=nr,
        name=name,
        classes=frozenset(filter(None, classes.split(","))),
        args=tuple(Arg(*arg.split(":")) for arg in args),
    )


def _index(calls: list[Syscall]) -> tuple[Syscall | None, ...]:
    """Lay calls out by number, None in the holes."""
    slots: list[Syscall | None] = [None] * (max(c.nr for c in calls) + 1)
    for call in calls:
        slots[call.nr] = call
    return tuple(slots)


@cache
def table(arch: int) -> tuple[Syscall | None, ...]:
    """All calls of an ABI, indexed by number; numbers without a call are None."""
    if arch == ARCH_X86_64:
        return _index([_syscall(*row) for row in _x86_64.ROWS])
    if arch == ARCH_I386:
        return _index([_syscall(*row) for row in _i386.ROWS])
    if arch == ARCH_X32:
        native = {row[1]: row for row in _x86_64.ROWS}
        return _index([_syscall(nr, *native[name][1:]) for nr, name in _x86_64.X32_NUMBERS])
    raise ValueError(f"unknown arch {arch!r}")


def lookup(arch: int, nr: int) -> Syscall | None:
    """The call with that number, or None.

    For x32, nr is the number as the tracee passed it, X32_SYSCALL_BIT set;
    the bit is ignored, so a number without it is also accepted.  Numbers
    outside the table (-1 for a call skipped by seccomp or a tracer) give None.
    """
    if arch == ARCH_X32:
        nr &= ~X32_SYSCALL_BIT
    calls = table(arch)
    return calls[nr] if 0 <= nr < len(calls) else None


@cache
def _by_name(arch: int) -> dict[str, Syscall]:
    return {call.name: call for call in table(arch) if call is not None}


def by_name(arch: int, name: str) -> Syscall | None:
    """The call with that name, or None."""
    return _by_name(arch).get(name)


@cache
def names(arch: int) -> frozenset[str]:
    """The names of all calls of an ABI."""
    return frozenset(_by_name(arch))
