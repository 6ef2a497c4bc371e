"""Facts about particular calls that both the tracer and the renderer need.

The tracer decides from these what to copy (atrace.tracer.decoding), the
renderer how to show it (atrace.render.decode); neither keeps its own copy.
Values from the kernel's uapi headers (linux/futex.h, linux/sched.h,
linux/eventpoll.h).  ioctl requests, fcntl commands, prctl options and
other commands have modules of their own (ioctls.py, fcntls.py, prctls.py,
cmds.py).
"""

from __future__ import annotations

from .abi import ARCH_I386, ARCH_X86_64

# -- futex -----------------------------------------------------------------

# The command is the op without the PRIVATE and CLOCK_REALTIME bits.
FUTEX_CMD_MASK = 0x7F
FUTEX_PRIVATE_FLAG = 128
FUTEX_CLOCK_REALTIME = 256
FUTEX_WAIT, FUTEX_WAKE, FUTEX_FD, FUTEX_REQUEUE, FUTEX_CMP_REQUEUE, FUTEX_WAKE_OP = 0, 1, 2, 3, 4, 5
FUTEX_LOCK_PI, FUTEX_UNLOCK_PI, FUTEX_TRYLOCK_PI, FUTEX_WAIT_BITSET, FUTEX_WAKE_BITSET = 6, 7, 8, 9, 10
FUTEX_WAIT_REQUEUE_PI, FUTEX_CMP_REQUEUE_PI, FUTEX_LOCK_PI2 = 11, 12, 13
# Commands whose fourth argument is a timeout (a struct timespec); the
# others pass a number there (val2), nothing to read.
FUTEX_TIMED = frozenset({FUTEX_WAIT, FUTEX_LOCK_PI, FUTEX_WAIT_BITSET, FUTEX_WAIT_REQUEUE_PI, FUTEX_LOCK_PI2})

# -- clone -----------------------------------------------------------------

CLONE_PIDFD = 0x1000
CLONE_SETTLS = 0x80000
CLONE_PARENT_SETTID = 0x100000
CLONE_CHILD_CLEARTID = 0x200000
CLONE_CHILD_SETTID = 0x1000000
CLONE_INTO_CGROUP = 0x200000000
# With CLONE_PIDFD the kernel writes the new pidfd: at clone's parent_tid
# (the pointer is shared, so the two flags exclude each other), at clone3's
# clone_args.pidfd.  clone3's pointers, as fields of struct clone_args.
CLONE_ARGS_FIELDS = ("flags", "pidfd", "child_tid", "parent_tid", "exit_signal", "stack", "stack_size",
                     "tls", "set_tid", "set_tid_size", "cgroup")  # fmt: skip
# The largest struct clone_args the kernel knows (CLONE_ARGS_SIZE_VER2).
CLONE_ARGS_MAX_SIZE = 88
# clone3 reads up to a page of what a larger size says: the bytes past the
# struct it knows must be zero (strace shows those that are not).
CLONE_ARGS_READ_MAX = 4096
# set_tid holds at most this many tids (MAX_PID_NS_LEVEL); set_tid_size ends
# at this offset.
CLONE_SET_TID_MAX, CLONE_SET_TID_END = 32, 80

# -- epoll -----------------------------------------------------------------

# epoll_ctl's op that ignores the event argument (strace shows its address).
EPOLL_CTL_DEL = 2

# -- signal masks ----------------------------------------------------------

# The arguments that give a sigset's size in bytes (rt_sigprocmask's
# sigsetsize, signalfd's sizemask): the tracer copies that many (at most 8,
# the kernel's sigset), strace shows that many.
SIGSET_SIZE_ARGS = frozenset({"sigsetsize", "sizemask"})
SIGSET_BYTES = 8

# -- return values ---------------------------------------------------------

# Calls whose non-negative return value is a new file descriptor (-y shows its path).
FD_RETURNING = frozenset(
    {"open", "openat", "openat2", "creat", "dup", "dup2", "dup3", "socket", "accept", "accept4",
     "epoll_create", "epoll_create1", "eventfd", "eventfd2", "signalfd", "signalfd4", "timerfd_create",
     "inotify_init", "inotify_init1", "memfd_create", "pidfd_open", "fanotify_init", "open_by_handle_at",
     "perf_event_open", "userfaultfd", "open_tree", "fsopen", "fsmount", "fspick", "pidfd_getfd",
     "landlock_create_ruleset", "memfd_secret", "io_uring_setup"}
)  # fmt: skip
# Calls that cannot fail and return an unsigned id (strace's NF calls that
# print their result as unsigned): whatever they return is a value, never an
# error (an injected retval= can be anything).
NEVER_FAILING = frozenset(
    {"getuid", "geteuid", "getgid", "getegid", "getuid32", "geteuid32", "getgid32", "getegid32", "setfsuid",
     "setfsgid", "setfsuid32", "setfsgid32"}
)  # fmt: skip
# Calls strace decodes wholly when they return (epoll_pwait's line is cut
# before its events): when they fail, every argument in memory shows as its
# address, the ones passed in too.
DECODED_AT_EXIT = frozenset({"epoll_pwait", "epoll_pwait2"})
# Calls that write nothing through their out arguments when they return 0
# (wait4 with WNOHANG and no child ready): strace shows those addresses.
NOTHING_WRITTEN_ON_ZERO = frozenset({"wait4", "waitpid"})
# Calls whose return value is an address, printed in hex like strace.
POINTER_RETURNING = frozenset({"mmap", "mmap2", "brk", "mremap", "shmat"})

# -- sigreturn -------------------------------------------------------------

# The mask a sigreturn restores lies in the signal frame on the stack: its
# offset from the stack pointer at the call's entry, per call and ABI (one
# offset: an 8-byte sigset; two: the 32-bit words of signals 1-32 and 33-64).
# x32's frame has a layout of its own, not decoded.
SIGRETURN_MASK: dict[tuple[str, int], tuple[int, ...]] = {
    # rt_sigframe less its return address (popped by the handler's ret):
    # the ucontext starts at sp, uc_sigmask is 296 bytes into it.
    ("rt_sigreturn", ARCH_X86_64): (296,),
    # ia32 rt_sigframe: pretcode (popped), sig, pinfo, puc, a 128-byte
    # siginfo, then the ucontext (at sp + 140), uc_sigmask 108 bytes into it.
    ("rt_sigreturn", ARCH_I386): (248,),
    # ia32 sigframe less pretcode and sig (popped by the restorer): the
    # sigcontext at sp, oldmask 80 bytes into it; extramask[0] follows the
    # sigcontext (88 bytes) and an unused 624-byte _fpstate_32.
    ("sigreturn", ARCH_I386): (80, 712),
}

# -- calls that never return -------------------------------------------------

# No exit stop follows these: strace completes their line at the entry,
# `exit_group(0) = ?`, before any other task's line can cut it.
NEVER_RETURN = frozenset({"exit", "exit_group"})

# -- -e read= / -e write= ----------------------------------------------------

# The calls whose data strace dumps in hex for the fds of -e write= ("write":
# what the call sends, whatever it returns) and -e read= ("read": what it
# received, when it succeeded). Every one has the fd as its first argument
# and the data (a buffer, an iovec array, a msghdr or an mmsghdr array) as
# its second.
DUMPED_CALLS: dict[str, str] = {
    **dict.fromkeys(("write", "pwrite64", "sendto", "mq_timedsend", "mq_timedsend_time64", "writev", "pwritev",
                     "pwritev2", "vmsplice", "sendmsg", "sendmmsg"), "write"),
    **dict.fromkeys(("read", "pread64", "recvfrom", "mq_timedreceive", "mq_timedreceive_time64", "readv", "preadv",
                     "preadv2", "recvmsg", "recvmmsg"), "read"),
}  # fmt: skip

# -- process and memory calls ------------------------------------------------

# memfd_create's name: "memfd:" and it make at most NAME_MAX (255) bytes;
# strace reads as many as that leaves, and one more for the NUL.
MFD_NAME_LEN = 255 - len("memfd:") + 1
# kcmp's types that take fds; with KCMP_EPOLL_TFD idx2 points to a struct
# kcmp_epoll_slot (linux/kcmp.h).
KCMP_FILE, KCMP_EPOLL_TFD = 0, 7
