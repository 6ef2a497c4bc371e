"""Argument kinds: one declaration each.

A syscall table row names the kind of each argument (atrace.syscalls.model).
This module says, once per kind, everything the rest of atrace needs to know
about it, and the rest is derived from here:

* ``phase``: when the tracer copies memory for it: never (the register value
  alone), at syscall ``entry``, at ``exit`` (the kernel wrote it; read only
  when the call did not fail) or at ``both`` (passed in and written back).
  The tracer's plans (atrace.tracer.decoding) are built from it.
* ``layout``: for a fixed-size struct, its layout per ABI (x86_64 and x32
  share one, i386 has its own); the tracer copies exactly ``layout.size``
  bytes, and the parser unpacks the same layout.
* ``entry_reader`` / ``exit_reader``: for memory whose size or presence
  depends on other arguments or on the return value (strings, buffers,
  arrays, commands that decide what an argument is), the name of the
  tracer's reader for it (``Decoder.READERS``).
* ``parser``: the function of atrace.render.structs that turns the copied
  bytes into fields (``structs.PARSERS`` is derived from it).
* ``formatter``: how the renderer prints it (``atrace.render.kinds``):
  ``flags:TABLE`` and ``constant:TABLE`` name a table of atrace.render.flags,
  anything else a formatter of its own.
* ``bits``: the width of the argument's C type: 32 for an ``int`` or
  ``unsigned int`` (the kernel uses only the register's low half, and strace
  prints only that: ``WNOHANG`` where the register holds
  ``0xdefaced00000001``), 0 for a ``long``, a pointer or a ``size_t`` (the
  ABI's whole register).  ``Call.ulong`` and ``Call.long`` read an argument
  at its kind's width.
* ``on_restart``: an out value the kernel writes when a signal interrupts
  the call (nanosleep's time left), so it is read at exit after a restart
  code too, and shown only then.
* ``shown_at_exit``: the renderer prints the argument when the call returns
  (strace's line is cut before it).  By default the kinds read at exit only;
  an in/out value that is shown as passed in (select's timeout, whose time
  left goes with the return value) is not.

tests/test_kinds.py checks that every kind is complete, that every named
reader, parser and formatter exists and that docs/FORMAT.md names every kind
that records data.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from .abi import ARCH_I386
from .struct_kinds import MORE_STRUCTS
from .value_kinds import MORE_PLAIN

NONE, ENTRY, EXIT, BOTH = "", "entry", "exit", "both"


@dataclass(frozen=True)
class Layout:
    """A fixed-size struct in each ABI: its struct-module format (little
    endian) for x86_64/x32 and for i386, and its field names in order (empty
    for a struct parsed by hand)."""

    wide: str
    narrow: str
    fields: tuple[str, ...] = ()

    @cached_property
    def _structs(self) -> tuple[struct.Struct, struct.Struct]:
        return struct.Struct(self.wide), struct.Struct(self.narrow)

    def struct(self, arch: int) -> struct.Struct:
        return self._structs[arch == ARCH_I386]

    def size(self, arch: int) -> int:
        return self.struct(arch).size

    def unpack(self, raw: bytes, arch: int) -> dict[str, Any] | None:
        """The named fields, or None when raw is too short."""
        layout = self.struct(arch)
        if len(raw) < layout.size:
            return None
        return dict(zip(self.fields, layout.unpack_from(raw), strict=True))


def _same(fmt: str, fields: tuple[str, ...] = ()) -> Layout:
    """A layout without pointers or longs: the same in every ABI."""
    return Layout(fmt, fmt, fields)


def _longs(count: int, fields: tuple[str, ...] = ()) -> Layout:
    """`count` signed longs of the ABI."""
    return Layout(f"<{count}q", f"<{count}i", fields)


TIMESPEC = _longs(2, ("tv_sec", "tv_nsec"))
TIMESPEC64 = _same("<2q", ("tv_sec", "tv_nsec"))
TIMEVAL = _longs(2, ("tv_sec", "tv_usec"))
# struct timex as adjtimex takes it (longs of the ABI; 44 bytes of padding
# at the end), its struct timeval flattened into tv_sec and tv_usec.
TIMEX = Layout(
    "<I4xqqqqi4xqqqqQqqqi4xqqqqqi44x",
    "<IiiiiiiiiiIiiiiiiiiii44x",
    ("modes", "offset", "freq", "maxerror", "esterror", "status", "constant", "precision", "tolerance", "tv_sec",
     "tv_usec", "tick", "ppsfreq", "jitter", "shift", "stabil", "jitcnt", "calcnt", "errcnt", "stbcnt", "tai"),
)  # fmt: skip
# struct sigevent (64 bytes in every ABI): sigev_value (a union of an int
# and a pointer), sigev_signo, sigev_notify, then a union of a thread id and
# SIGEV_THREAD's function and attributes pointers.
# struct sigevent up to the thread attributes (strace reads no further).
SIGEVENT = Layout("<QiiQQ", "<IiiII", ("sigev_value", "sigev_signo", "sigev_notify", "function", "attribute"))
# struct mq_attr: four longs, four reserved ones (read: strace does).
MQ_ATTR = Layout("<qqqq32x", "<iiii16x", ("mq_flags", "mq_maxmsg", "mq_msgsize", "mq_curmsgs"))
TIMEZONE = _same("<ii", ("tz_minuteswest", "tz_dsttime"))
# struct sigaction as rt_sigaction takes it (kernel order: handler, flags,
# restorer, mask; the mask is 8 bytes in both ABIs).
SIGACTION = Layout("<QQQQ", "<IIIQ", ("sa_handler", "sa_flags", "sa_restorer", "sa_mask"))
# struct stat (x86_64; 144 bytes, the last three longs unused) and i386's
# struct stat64 (96 bytes).  i386's old stat/lstat/fstat fill the 64-byte
# struct stat instead (I386_OLD_STAT, atrace.syscalls.calls).  The times
# are read signed (strace shows st_atime=-10843), their nanoseconds unsigned.
STAT = Layout(
    "<QQQIII4xQqqqqQqQqQ24x",
    "<Q4xIIIIIQ4xqIQiIiIiIQ",
)
I386_OLD_STAT = struct.Struct("<IIHHHHIIIIiIiIiI")
STATX = _same("<IIQIIIHxxQQQQqI4xqI4xqI4xqI4xIIIIQ104x")
RUSAGE = _longs(18)
STACK_T = Layout("<QI4xQ", "<III", ("ss_sp", "ss_flags", "ss_size"))
RLIMIT64 = _same("<QQ", ("rlim_cur", "rlim_max"))
RLIMIT_LONG = Layout("<QQ", "<II", ("rlim_cur", "rlim_max"))
OPEN_HOW = _same("<QQQ", ("flags", "mode", "resolve"))
EPOLL_EVENT = _same("<IQ", ("events", "data"))
UTSNAME = _same("<390s")
# struct statfs up to f_flags (the spare words are not copied): longs
# (x86_64) or ints (i386), f_fsid two ints.  i386's struct statfs64 has
# 64-bit counts; on x86_64 statfs64 is statfs.
STATFS_FIELDS = ("f_type", "f_bsize", "f_blocks", "f_bfree", "f_bavail", "f_files", "f_ffree", "f_fsid0",
                 "f_fsid1", "f_namelen", "f_frsize", "f_flags")  # fmt: skip
STATFS = Layout("<QqQQQQQIIqqq", "<IiIIIIIIIiii", STATFS_FIELDS)
STATFS64 = Layout("<QqQQQQQIIqqq", "<IiQQQQQIIiii", STATFS_FIELDS)
# struct sysinfo up to mem_unit: uptime, loads[3], six memory sizes, procs
# (u16, padded), totalhigh, freehigh, mem_unit (u32).
SYSINFO = Layout(
    "<q3Q6QH6x2QI",
    "<i3I6IH2x2II",
    ("uptime", "load0", "load1", "load2", "totalram", "freeram", "sharedram", "bufferram", "totalswap",
     "freeswap", "procs", "totalhigh", "freehigh", "mem_unit"),
)  # fmt: skip
# struct user_desc: entry_number, base_addr, limit, then a word of bit fields.
USER_DESC = _same("<iIII", ("entry_number", "base_addr", "limit", "bits"))
# siginfo_t is 128 bytes in every ABI; what its union holds depends on the
# signal and si_code (parsed by hand).
SIGINFO = _same("<128s")
# struct msghdr: msg_name, msg_namelen, msg_iov, msg_iovlen, msg_control,
# msg_controllen, msg_flags.  A struct mmsghdr is a msghdr and an unsigned
# int msg_len, padded to the pointer size.
MSGHDR = Layout(
    "<QI4xQQQQI4x",
    "<IIIIIII",
    ("msg_name", "msg_namelen", "msg_iov", "msg_iovlen", "msg_control", "msg_controllen", "msg_flags"),
)
MMSGHDR = Layout("<QI4xQQQQI4xI4x", "<IIIIIIII")


@dataclass(frozen=True)
class Kind:
    name: str
    formatter: str
    phase: str = NONE
    layout: Layout | None = None
    entry_reader: str = ""
    exit_reader: str = ""
    parser: str = ""
    shown_at_exit: bool | None = None  # None: phase == EXIT
    # The next argument points to a socklen_t, read at entry under its own
    # name (strace shows the length going in and coming out: [128 => 16]).
    length_after: bool = False
    bits: int = 0  # 32: a C int or unsigned int; 0: a long of the ABI
    on_restart: bool = False
    exit_errors: frozenset[int] = frozenset()  # errors after which the out value is read too (E2BIG)
    doc: str = field(default="", compare=False)

    @property
    def at_entry(self) -> bool:
        return self.phase in (ENTRY, BOTH)

    @property
    def at_exit(self) -> bool:
        return self.phase in (EXIT, BOTH)

    @property
    def printed_at_exit(self) -> bool:
        return self.phase == EXIT if self.shown_at_exit is None else self.shown_at_exit


def _plain(name: str, formatter: str, doc: str, bits: int = 32) -> Kind:
    """A value in the register alone; most are C ints (bits=32), the longs say
    bits=0."""
    return Kind(name, formatter, bits=bits, doc=doc)


def _struct(name: str, phase: str, layout: Layout, parser: str, formatter: str, doc: str, **more: object) -> Kind:
    return Kind(name, formatter, phase, layout, parser=parser, doc=doc, **more)  # type: ignore[arg-type]


# fmt: off
_DECLARED: tuple[Kind, ...] = (
    # -- plain values: the register alone ------------------------------
    _plain("int", "int", "a signed number (a C int)"),
    _plain("uint", "uint", "an unsigned number of a C unsigned int (counts of elements, ids, levels)"),
    _plain("ulong", "uint", "an unsigned number of the ABI's unsigned long (readv's vlen, maxnode)", bits=0),
    _plain("hex", "hex", "flags, masks, commands and opaque words of a C (unsigned) int, best shown in hex"),
    _plain("xlong", "hex", "as hex, of an unsigned long of the ABI (mremap's flags, aio contexts)", bits=0),
    _plain("long", "off", "a signed number of the ABI's long (io_submit's and io_getevents' counts)", bits=0),
    _plain("ptr", "ptr", "a user address that is not decoded", bits=0),
    _plain("size", "uint", "a byte count, usually the length of a neighbouring buffer (size_t)", bits=0),
    _plain("off", "off", "a file offset", bits=0),
    _plain("split_lo", "split_lo", "low half of a 64-bit value a 32-bit ABI passes in two registers "
           "(adjacent, in either order); on x86_64 it holds the whole value", bits=0),
    _plain("split_hi", "split_hi", "high half of such a value (printed with split_lo; unused on x86_64)", bits=0),
    _plain("fd", "fd", "a file descriptor (-y: its path, read from /proc at entry)"),
    _plain("dirfd", "dirfd", "the directory fd of an *at call (AT_FDCWD is -100)"),
    _plain("pid", "pid", "a process or thread id (-Y adds `<name>_comm`, --pidns-translation `<name>_pidns`)"),
    _plain("uid", "id", "a user id"),
    _plain("gid", "id", "a group id"),
    _plain("signo", "signo", "a signal number"),
    # -- symbolic values ------------------------------------------------
    _plain("mode", "mode", "file mode and permission bits (S_IF*, 0644)"),
    _plain("open_flags", "open_flags", "O_* flags"),
    _plain("at_flags", "flags:at", "AT_* flags"),
    _plain("clone_flags", "flags:clone", "CLONE_* flags (an unsigned long)", bits=0),
    _plain("prot", "flags:prot", "PROT_* flags (an unsigned long)", bits=0),
    _plain("mmap_flags", "flags:mmap", "MAP_* flags (an unsigned long)", bits=0),
    _plain("access_mode", "flags:access", "F_OK or R_OK|W_OK|X_OK (access, faccessat)"),
    _plain("ioctl_req", "ioctl_req", "an ioctl request code"),
    _plain("fcntl_cmd", "constant:fcntl", "an F_* command"),
    _plain("socket_family", "constant:family", "an AF_* address family"),
    _plain("socket_type", "socket_type", "a SOCK_* type, possibly or-ed with SOCK_NONBLOCK/SOCK_CLOEXEC"),
    _plain("whence", "constant:whence", "SEEK_*"),
    _plain("sigmask_how", "constant:sigmask_how", "SIG_BLOCK, SIG_UNBLOCK, SIG_SETMASK"),
    _plain("rlimit_resource", "constant:rlimit", "an RLIMIT_* resource"),
    _plain("itimer_which", "constant:itimer", "an ITIMER_* timer (setitimer, getitimer)"),
    _plain("mpol_mode", "mpol_mode", "a NUMA memory policy, MPOL_* mode or-ed with MPOL_F_* flags"),
    _plain("wait_options", "flags:wait", "WNOHANG, WSTOPPED... (wait4, waitid)"),
    _plain("idtype", "constant_dec:idtype", "P_ALL, P_PID, P_PGID, P_PIDFD (waitid)"),
    _plain("rusage_who", "constant_dec:rusage_who", "RUSAGE_SELF, RUSAGE_CHILDREN, RUSAGE_THREAD"),
    _plain("prio_which", "constant_dec:which_prio", "PRIO_PROCESS, PRIO_PGRP, PRIO_USER"),
    _plain("clockid", "constant:clock", "a CLOCK_* clock id"),
    _plain("epoll_flags", "flags:epoll_create", "EPOLL_CLOEXEC (epoll_create1)"),
    _plain("sched_policy", "constant:sched_policy", "a SCHED_* scheduling policy"),
    _plain("timer_flags", "flags:timer", "TIMER_ABSTIME (clock_nanosleep)"),
    _plain("o_flags", "flags:o_flags", "O_* flags without an access mode (dup3)"),
    _plain("pidfd_flags", "flags:pidfd_open", "PIDFD_NONBLOCK (pidfd_open)"),
    _plain("fsopen_flags", "flags:fsopen", "FSOPEN_CLOEXEC (fsopen)"),
    _plain("uffd_flags", "flags:uffd", "UFFD_USER_MODE_ONLY, O_NONBLOCK, O_CLOEXEC (userfaultfd)"),
    _plain("sfd_flags", "flags:sfd", "SFD_CLOEXEC, SFD_NONBLOCK (signalfd4)"),
    _plain("splice_flags", "flags:splice", "SPLICE_F_* flags (splice, tee, vmsplice)"),
    _plain("sync_range_flags", "flags:sync_file_range", "SYNC_FILE_RANGE_* flags"),
    _plain("tfd_flags", "flags:tfd", "TFD_CLOEXEC, TFD_NONBLOCK (timerfd_create)"),
    _plain("tfd_settime_flags", "flags:tfd_settime", "TFD_TIMER_* flags (timerfd_settime)"),
    _plain("efd_flags", "flags:efd", "EFD_* flags (eventfd2)"),
    _plain("umount_flags", "flags:umount", "MNT_* flags and UMOUNT_NOFOLLOW (umount2)"),
    _plain("mlockall_flags", "flags:mlockall", "MCL_* flags"),
    _plain("mlock_flags", "flags:mlock", "MLOCK_ONFAULT (mlock2)"),
    _plain("inotify_init_flags", "flags:inotify_init", "IN_NONBLOCK, IN_CLOEXEC (inotify_init1)"),
    _plain("falloc_mode", "flags:falloc", "FALLOC_FL_* flags (fallocate's mode)"),
    _plain("memfd_flags", "flags:memfd", "MFD_* flags and a huge page size (memfd_create)"),
    _plain("move_pages_flags", "flags:move_pages", "MPOL_MF_MOVE, MPOL_MF_MOVE_ALL (move_pages)"),
    *(_plain(name, formatter, doc, bits) for name, formatter, doc, bits in MORE_PLAIN),
    # -- memory read at entry ------------------------------------------
    Kind("path", "path", ENTRY, entry_reader="path", doc="a NUL-terminated file name, copied whole"),
    Kind("str", "str", ENTRY, entry_reader="string",
         doc="another NUL-terminated string (xattr name, fs type...), cut at -s"),
    Kind("move_pages_in", "ptr", ENTRY, entry_reader="move_pages_in", doc="move_pages' pages or nodes, raw"),
    Kind("memfd_name", "ptr", ENTRY, entry_reader="memfd_name", doc="memfd_create's name, raw (<= 250 bytes)"),
    Kind("argv", "argv", ENTRY, entry_reader="argv",
         doc="a NULL-terminated array of pointers to NUL-terminated strings"),
    Kind("envp", "envp", ENTRY, entry_reader="envp",
         doc="as argv; recorded as the count of its strings under the key envc"),
    Kind("buf_in", "buf_in", ENTRY, entry_reader="buffer_in",
         doc="bytes the tracee passes in; their length is the next argument"),
    Kind("iov_remote", "iov_remote", ENTRY, entry_reader="iov_heads", doc="iovecs of another process (heads)"),
    Kind("iov_in", "iov", ENTRY, entry_reader="iov_in",
         doc="an array of struct iovec whose buffers the tracee passes in; the count is the next argument"),
    Kind("sockaddr_in", "sockaddr", ENTRY, entry_reader="sockaddr_in",
         doc="a struct sockaddr the tracee passes in; its length is the next argument"),
    _struct("timespec_in", ENTRY, TIMESPEC, "timespec", "timespec", "a struct timespec of the ABI (two longs)"),
    _struct("timespec64_in", ENTRY, TIMESPEC64, "timespec", "timespec",
            "a struct __kernel_timespec (two 64-bit fields): i386's *_time64 calls and newer ones"),
    _struct("sigset", ENTRY, _same("<Q"), "", "sigset",
            "a signal mask: 8 bytes (signals 1-64), or as many as the call's sigsetsize/sizemask says "
            "(atrace.syscalls.calls.SIGSET_SIZE_ARGS)"),
    _struct("sigaction", ENTRY, SIGACTION, "sigaction", "sigaction", "a struct sigaction (the rt_sigaction layout)"),
    Kind("clone_args", "clone_args", ENTRY, entry_reader="clone_args", parser="clone_args",
         doc="a struct clone_args (clone3), as many bytes as the next argument says (at most 88)"),
    _struct("open_how", ENTRY, OPEN_HOW, "fields", "open_how", "a struct open_how (openat2)"),
    Kind("epoll_event", "epoll_event", ENTRY, entry_reader="epoll_event", parser="epoll_event",
         doc="one struct epoll_event (epoll_ctl); not read for EPOLL_CTL_DEL"),
    _struct("rlimit_in", ENTRY, RLIMIT64, "fields", "rlimit", "a struct rlimit64 the tracee passes in (prlimit64)"),
    Kind("socketcall_args", "uint", BOTH, entry_reader="socketcall_entry", exit_reader="socketcall_exit",
         shown_at_exit=False,
         doc="i386 socketcall's array of the multiplexed call's arguments (the call is the previous "
             "argument): that call's arguments and its own data, at entry and at exit"),
    Kind("pollfd", "pollfd", BOTH, entry_reader="pollfd", exit_reader="pollfd_out", parser="pollfds",
         shown_at_exit=False,
         doc="an array of struct pollfd (the count is the next argument), read again at exit for revents"),
    Kind("fdset", "fdset", BOTH, entry_reader="fdset", exit_reader="fdset_out", shown_at_exit=False,
         doc="an fd_set (select), read again at exit for the ready fds"),
    _struct("siginfo", ENTRY, SIGINFO, "siginfo", "siginfo",
            "a siginfo_t the tracee passes in (rt_sigqueueinfo, pidfd_send_signal)"),
    Kind("futex_timeout", "timeout_in", ENTRY, entry_reader="futex_timeout", parser="timespec",
         doc="futex's timeout, a struct timespec of the ABI, read only for the commands that take one "
             "(atrace.syscalls.calls.FUTEX_TIMED); the others pass a number there"),
    Kind("futex_timeout64", "timeout_in", ENTRY, entry_reader="futex_timeout64", parser="timespec",
         doc="as futex_timeout, a struct __kernel_timespec (futex_time64)"),
    Kind("pselect6_sig", "pselect6_sig", ENTRY, entry_reader="pselect6_sig",
         doc="pselect6's pair {sigset address, sigsetsize} (io_pgetevents' struct __aio_sigset) and the "
             "sigset it points to"),
    _struct("rlimit_long_in", ENTRY, RLIMIT_LONG, "fields", "rlimit_long",
            "a struct rlimit of two unsigned longs of the ABI (getrlimit, setrlimit, ugetrlimit)"),
    Kind("sockopt_in", "buf_in", ENTRY, entry_reader="sockopt_in",
         doc="a setsockopt value; its length is the next argument"),
    Kind("msghdr_in", "ptr", ENTRY, entry_reader="msghdr_in",
         doc="a struct msghdr the tracee passes in (sendmsg): the header, msg_name, the msg_iov "
             "buffers and msg_control"),
    _struct("loff_in", ENTRY, _same("<q"), "value", "loff",
            "a loff_t offset the tracee passes in (splice, copy_file_range)"),
    _struct("timespec_pair", ENTRY, _longs(4), "timespec_pair", "timespec_pair",
            "two struct timespec of the ABI (utimensat's access and modification times)"),
    _struct("timespec64_pair", ENTRY, _same("<4q"), "timespec_pair", "timespec_pair",
            "two struct __kernel_timespec (utimensat_time64)"),
    Kind("cpuset_in", "cpuset", ENTRY, entry_reader="cpuset_in", parser="cpuset",
         doc="a CPU affinity mask (sched_setaffinity); its size in bytes is the previous argument"),
    _struct("stack_t_in", ENTRY, STACK_T, "fields", "stack_t", "a stack_t, an alternate signal stack"),
    Kind("gids_in", "gids_in", ENTRY, entry_reader="gids_in", parser="gids",
         doc="an array of gid_t (setgroups); the count is the previous argument"),
    Kind("gids16_in", "gids16_in", ENTRY, entry_reader="gids16_in", parser="gids16",
         doc="as gids_in, of 16-bit gids (i386's old setgroups)"),
    _struct("itimerval_in", ENTRY, _longs(4), "itimerval", "itimerval",
            "a struct itimerval of the ABI (two struct timeval)"),
    _struct("itimerspec_in", ENTRY, _longs(4), "itimerspec", "itimerspec", "a struct itimerspec of the ABI"),
    _struct("itimerspec64_in", ENTRY, _same("<4q"), "itimerspec", "itimerspec", "a struct __kernel_itimerspec"),
    _struct("timeval_pair", ENTRY, _longs(4), "timeval_pair", "timeval_pair",
            "two struct timeval of the ABI (utimes', futimesat's times)"),
    _struct("utimbuf", ENTRY, _longs(2, ("actime", "modtime")), "fields", "utimbuf",
            "a struct utimbuf of the ABI (two longs)"),
    Kind("nodemask_in", "nodemask", ENTRY, entry_reader="nodemask_in", parser="nodemask",
         doc="a NUMA node mask of unsigned longs of the ABI; its size in bits (maxnode) is the next argument"),
    _struct("timeval_in", ENTRY, TIMEVAL, "timeval", "timeval", "a struct timeval of the ABI (settimeofday)"),
    _struct("timezone_in", ENTRY, TIMEZONE, "fields", "timezone", "a struct timezone (settimeofday)"),
    _struct("sigevent", ENTRY, SIGEVENT, "fields", "sigevent", "a struct sigevent (timer_create)"),
    _struct("mq_attr_in", ENTRY, MQ_ATTR, "fields", "mq_attr", "a struct mq_attr (four longs of the ABI)"),
    _struct("sched_param_in", ENTRY, _same("<i"), "value", "boxed",
            "a struct sched_param (its one int, sched_priority) the tracee passes in"),
    # -- memory read at entry and at exit ------------------------------
    Kind("fcntl_arg", "uint", BOTH, entry_reader="fcntl_in", exit_reader="fcntl_out", shown_at_exit=False,
         doc="fcntl's third argument: a struct flock for the lock commands (atrace.syscalls.fcntls), "
             "read at entry for those that set a lock, at exit for those that query one"),
    _struct("off_inout", BOTH, Layout("<Q", "<I"), "value", "offset_inout",
            "an off_t offset the kernel updates in place (sendfile)", shown_at_exit=True),
    _struct("loff_inout", BOTH, _same("<Q"), "value", "offset_inout",
            "a loff_t offset the kernel updates in place (sendfile64)", shown_at_exit=True),
    Kind("prctl_arg", "hex", BOTH, entry_reader="prctl_in", exit_reader="prctl_out", shown_at_exit=False,
         doc="prctl's second argument, and the memory its option names (atrace.syscalls.prctls): at entry "
             "PR_SET_NAME's name, PR_SET_VMA's name (arg5), PR_SET_SECCOMP's filter (arg3, as cmd_arg's "
             "fprog); at exit what the kernel writes for the options of PRCTL_EXIT_READS"),
    Kind("futex_waiters", "ptr", ENTRY, entry_reader="futex_waiters",
         doc="futex_waitv's array of struct futex_waitv (24 bytes each); the count is the next argument "
             "(at most 128, and at most -s entries, are copied)"),
    Kind("kexec_segments", "ptr", ENTRY, entry_reader="kexec_segments",
         doc="kexec_load's array of struct kexec_segment (four longs of the ABI each); the count is the "
             "previous argument (none read past KEXEC_SEGMENT_MAX, 16; at most -s entries)"),
    Kind("msgbuf_in", "ptr", ENTRY, entry_reader="msgbuf_in",
         doc="msgsnd's struct msgbuf: mtype (a long of the ABI), then msgsz bytes of mtext, cut at -s"),
    Kind("sembufs", "ptr", ENTRY, entry_reader="sembufs",
         doc="semop's struct sembuf array (6 bytes each; count: the next argument; -s + 1 of them copied)"),
    Kind("kexec_cmdline", "ptr", ENTRY, entry_reader="kexec_cmdline",
         doc="kexec_file_load's command line: as many bytes as the previous argument says, cut at -s"),
    Kind("fsconfig_key", "ptr", ENTRY, entry_reader="fsconfig_key",
         doc="fsconfig's key, a string (cut at -s) for the FSCONFIG_SET_* commands; nothing read for the others"),
    Kind("fsconfig_value", "ptr", ENTRY, entry_reader="fsconfig_value",
         doc="fsconfig's value by command: FSCONFIG_SET_STRING's string (cut at -s), FSCONFIG_SET_BINARY's "
             "bytes (as many as aux says, cut at -s), FSCONFIG_SET_PATH(_EMPTY)'s path"),
    Kind("cmd_arg", "ptr", BOTH, entry_reader="cmd_in", exit_reader="cmd_out", shown_at_exit=False,
         doc="a pointer whose meaning the call's command gives (atrace.syscalls.cmds: seccomp, msgctl, "
             "shmctl, semctl, quotactl, syslog, reboot): the bytes it points to, at entry or at exit by command; a "
             "struct sock_fprog as [len, filter address, the instructions' bytes]"),
    _struct("timeval_inout", BOTH, TIMEVAL, "timeval", "timeout_in",
            "select's struct timeval timeout; the kernel writes the time left back (shown with the return value)"),
    _struct("timespec_inout", BOTH, TIMESPEC, "timespec", "timeout_in",
            "pselect6's and ppoll's struct timespec timeout, likewise written back"),
    _struct("timespec64_inout", BOTH, TIMESPEC64, "timespec", "timeout_in",
            "as timespec_inout, a struct __kernel_timespec"),
    _struct("user_desc", BOTH, USER_DESC, "user_desc", "user_desc_in",
            "a struct user_desc: set_thread_area's (the kernel writes entry_number back, shown with the "
            "return value) or get_thread_area's (filled by the kernel; its decoder cuts the line)"),
    Kind("ioctl_arg", "uint", BOTH, entry_reader="ioctl_in", exit_reader="ioctl_out", shown_at_exit=False,
         doc="ioctl's third argument: by request (atrace.syscalls.ioctls), its input at entry, its result at exit"),
    Kind("msghdr_out", "ptr", BOTH, entry_reader="msghdr_head", exit_reader="msghdr_out", shown_at_exit=True,
         doc="a struct msghdr the kernel fills (recvmsg): the header at entry (msg_namelen going in), "
             "everything at exit"),
    # -- memory the kernel writes, read at exit ------------------------
    Kind("move_pages_status", "ptr", EXIT, exit_reader="move_pages_status", doc="move_pages' status, raw"),
    Kind("buf_out", "buf_out", EXIT, exit_reader="buffer_out",
         doc="bytes the kernel writes; their length is the return value"),
    Kind("path_out", "path_out", EXIT, exit_reader="path_out",
         doc="a path the kernel writes (getcwd), NUL included in the return value"),
    Kind("iov_out", "iov", BOTH, entry_reader="iov_heads", exit_reader="iov_out", shown_at_exit=True,
         doc="an array of struct iovec the kernel fills; the total length is the return value.  The "
             "array alone (bases and lengths) is read at entry too: what strace shows when the call fails"),
    Kind("sockaddr_out", "sockaddr", EXIT, exit_reader="sockaddr_out", length_after=True,
         doc="a struct sockaddr the kernel fills; the next argument points to its length"),
    _struct("stat_out", EXIT, STAT, "stat", "stat", "the struct stat of the call (struct stat64 for the *64 calls)"),
    _struct("statx_out", EXIT, STATX, "statx", "statx", "a struct statx"),
    _struct("timespec_out", EXIT, TIMESPEC, "timespec", "timespec_out", "as timespec_in, filled by the kernel"),
    _struct("timespec64_out", EXIT, TIMESPEC64, "timespec", "timespec_out",
            "as timespec64_in, filled by the kernel"),
    _struct("wait_status_out", EXIT, _same("<i"), "value", "wait_status", "an int wait status (WIFEXITED etc.)"),
    _struct("rusage_out", EXIT, RUSAGE, "rusage", "rusage", "a struct rusage"),
    _struct("sigset_out", EXIT, _same("<Q"), "", "sigset_out", "as sigset, filled by the kernel (the old mask)"),
    _struct("sigaction_out", EXIT, SIGACTION, "sigaction", "sigaction_out",
            "as sigaction, filled by the kernel (the old action)"),
    _struct("siginfo_out", EXIT, SIGINFO, "siginfo", "siginfo_out",
            "a siginfo_t the kernel fills (waitid, rt_sigtimedwait)"),
    _struct("fds_out", EXIT, _same("<ii"), "", "fds_out", "two ints, the fds of a new pipe"),
    Kind("dirents_out", "dirents", EXIT, exit_reader="dirents", parser="dirents",
         doc="linux_dirent(64) records; their total size is the return value (at most 32 KiB copied)"),
    _struct("rlimit_out", EXIT, RLIMIT64, "fields", "rlimit_out", "as rlimit_in, filled by the kernel"),
    _struct("utsname_out", EXIT, UTSNAME, "utsname", "utsname", "a struct new_utsname"),
    _struct("statfs_out", EXIT, STATFS, "statfs", "statfs", "a struct statfs of the ABI (statfs, fstatfs)"),
    _struct("statfs64_out", EXIT, STATFS64, "statfs", "statfs", "a struct statfs64 (i386's statfs64, fstatfs64)"),
    _struct("sysinfo_out", EXIT, SYSINFO, "sysinfo", "sysinfo", "a struct sysinfo"),
    _struct("rlimit_long_out", EXIT, RLIMIT_LONG, "fields", "rlimit_long_out",
            "as rlimit_long_in, filled by the kernel"),
    _struct("loff_out", EXIT, _same("<q"), "value", "loff_out",
            "a 64-bit offset the kernel writes (i386's _llseek result)"),
    Kind("parent_tid_out", "ptr", EXIT, exit_reader="parent_tid",
         doc="clone's parent_tid: the new task's tid written there with CLONE_PARENT_SETTID, or the new "
             "pidfd with CLONE_PIDFD (the clone decoder shows it)"),
    Kind("epoll_events_out", "epoll_events", EXIT, exit_reader="epoll_events", parser="epoll_events",
         doc="an array of struct epoll_event; the count is the return value"),
    Kind("sockopt_out", "ptr", EXIT, exit_reader="sockopt_out", length_after=True,
         doc="a getsockopt value; the next argument points to its length (read at entry and at exit)"),
    Kind("mmsghdr_send", "ptr", BOTH, entry_reader="mmsghdr_in", exit_reader="mmsghdr_out", shown_at_exit=True,
         doc="sendmmsg's struct mmsghdr array: at entry as sent (vlen, at most 1024), at exit as handled"),
    Kind("mmsghdr_recv", "ptr", BOTH, entry_reader="mmsghdr_heads", exit_reader="mmsghdr_out", shown_at_exit=True,
         doc="recvmmsg's struct mmsghdr array: at entry the raw entries (msg_namelen in), at exit as handled"),
    Kind("cpuset_out", "cpuset_out", EXIT, exit_reader="cpuset_out", parser="cpuset",
         doc="a CPU affinity mask the kernel fills; its size in bytes is the return value"),
    _struct("stack_t_out", EXIT, STACK_T, "fields", "stack_t_out", "as stack_t_in, filled by the kernel"),
    Kind("gids_out", "gids_out", EXIT, exit_reader="gids_out", parser="gids",
         doc="an array of gid_t the kernel fills (getgroups); the count is the return value"),
    Kind("gids16_out", "gids16_out", EXIT, exit_reader="gids16_out", parser="gids16",
         doc="as gids_out, of 16-bit gids (i386's old getgroups)"),
    _struct("itimerval_out", EXIT, _longs(4), "itimerval", "itimerval_out",
            "as itimerval_in, filled by the kernel"),
    _struct("itimerspec_out", EXIT, _longs(4), "itimerspec", "itimerspec_out", "as itimerspec_in, filled in"),
    _struct("itimerspec64_out", EXIT, _same("<4q"), "itimerspec", "itimerspec_out", "as itimerspec64_in, filled in"),
    _struct("tms_out", EXIT, _longs(4, ("tms_utime", "tms_stime", "tms_cutime", "tms_cstime")), "fields",
            "tms_out", "a struct tms (four clock_t, longs of the ABI)"),
    _struct("mpol_mode_out", EXIT, _same("<i"), "value", "mpol_mode_out",
            "an int the kernel fills with a memory policy (get_mempolicy's mode)"),
    Kind("nodemask_out", "nodemask", EXIT, exit_reader="nodemask_out", parser="nodemask",
         doc="as nodemask_in, filled by the kernel (get_mempolicy)"),
    _struct("sched_param_out", EXIT, _same("<i"), "value", "boxed_out",
            "as sched_param_in, filled by the kernel (sched_getparam)"),
    _struct("timespec_left", EXIT, TIMESPEC, "timespec", "timespec_left",
            "nanosleep's and clock_nanosleep's remaining time, a struct timespec the kernel writes when a "
            "signal interrupts the sleep", on_restart=True),
    _struct("timespec64_left", EXIT, TIMESPEC64, "timespec", "timespec_left",
            "as timespec_left, a struct __kernel_timespec (clock_nanosleep_time64)", on_restart=True),
    _struct("timeval_out", EXIT, TIMEVAL, "timeval", "timeval_out", "as timeval_in, filled by the kernel"),
    _struct("timezone_out", EXIT, TIMEZONE, "fields", "timezone_out", "as timezone_in, filled by the kernel"),
    _struct("timex_out", EXIT, TIMEX, "fields", "timex_out",
            "a struct timex of the ABI the kernel fills (adjtimex, clock_adjtime)"),
    _struct("timer_id_out", EXIT, _same("<i"), "value", "boxed_out", "the timer id timer_create writes"),
    _struct("id_out", EXIT, _same("<I"), "value", "id_out",
            "a uid_t or gid_t the kernel writes (getresuid, getresgid)"),
    _struct("id16_out", EXIT, _same("<H"), "value", "id_out",
            "as id_out, a 16-bit id (i386's old getresuid, getresgid)"),
    Kind("msgbuf_out", "ptr", EXIT, exit_reader="msgbuf_out",
         doc="msgrcv's struct msgbuf: mtype, then the bytes received (the return value), cut at -s"),
    _struct("mq_attr_out", EXIT, MQ_ATTR, "fields", "mq_attr_out", "as mq_attr_in, filled by the kernel"),
    _struct("uint_out", EXIT, _same("<I"), "value", "boxed_out",
            "an unsigned int the kernel writes (getcpu's cpu and node)"),
    _struct("ulong_out", EXIT, Layout("<Q", "<I"), "value", "boxed_out",
            "an unsigned long or size_t of the ABI the kernel writes (get_robust_list's len_ptr)"),
    _struct("ptr_out", EXIT, Layout("<Q", "<I"), "value", "ptr_out",
            "a pointer the kernel writes (get_robust_list's head_ptr), shown as [0x...]"),
    _struct("time_out", EXIT, Layout("<q", "<i"), "value", "time_out",
            "a time_t of the ABI the kernel writes (time's tloc), shown with its date"),
    Kind("mincore_vec", "mincore_vec", EXIT, exit_reader="mincore_vec",
         doc="mincore's vector: a byte per page of the range (the previous argument's length), "
             "at most -s of them copied"),
    *(Kind(**{**row, "layout": Layout(*row["layout"]) if "layout" in row else None}) for row in MORE_STRUCTS),
)
# fmt: on

KIND: dict[str, Kind] = {kind.name: kind for kind in _DECLARED}
KINDS: frozenset[str] = frozenset(KIND)

