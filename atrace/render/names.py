"""Names strace prints for numbers: errnos, signals, si_codes (data only)."""

from __future__ import annotations

import errno
import os
import signal

# The kernel's internal restart codes leak to tracers at syscall exit when a
# signal interrupted the call; strace prints them with these explanations.
RESTART_CODES: dict[int, tuple[str, str]] = {
    512: ("ERESTARTSYS", "To be restarted if SA_RESTART is set"),
    513: ("ERESTARTNOINTR", "To be restarted"),
    514: ("ERESTARTNOHAND", "To be restarted if no handler"),
    515: ("ENOIOCTLCMD", "No ioctl command"),
    516: ("ERESTART_RESTARTBLOCK", "Interrupted by signal"),
    517: ("EPROBE_DEFER", "Driver requests probe retry"),
    518: ("EOPENSTALE", "Open found a stale dentry"),
    519: ("ENOPARAM", "Parameter not supported"),
    521: ("EBADHANDLE", "Illegal NFS file handle"),
    524: ("ENOTSUPP", "Operation is not supported"),
    526: ("EJUKEBOX", "Request initiated, but will not complete before timeout"),
    527: ("EIOCBQUEUED", "iocb queued, will get completion event"),
    528: ("ERECALLCONFLICT", "Conflict with recalled state"),
}

# errno.errorcode picks an alias for some numbers; strace uses these names.
_PREFERRED_ERRNO = {errno.EAGAIN: "EAGAIN", errno.EDEADLK: "EDEADLK", errno.EOPNOTSUPP: "EOPNOTSUPP"}


def errno_name(number: int) -> str:
    if number in RESTART_CODES:
        return RESTART_CODES[number][0]
    return _PREFERRED_ERRNO.get(number) or errno.errorcode.get(number, f"errno{number}")


def errno_message(number: int) -> str:
    if number in RESTART_CODES:
        return RESTART_CODES[number][1]
    return os.strerror(number)


# Python's SIGRTMIN/SIGRTMAX are glibc's (34 and 64); strace numbers real-time
# signals from the kernel's 32: SIGRTMIN, SIGRT_1 ... SIGRT_32.
_SIGNAL_NAMES = {int(s): s.name for s in signal.Signals if not s.name.startswith(("SIG_", "SIGRTMIN", "SIGRTMAX"))}
_SIGNAL_NAMES.update({signal.SIGIOT: "SIGABRT", signal.SIGCHLD: "SIGCHLD", signal.SIGIO: "SIGIO"})
_SIGRTMIN = 32


def signal_name(number: int) -> str:
    if number in _SIGNAL_NAMES:
        return _SIGNAL_NAMES[number]
    if _SIGRTMIN <= number <= 64:
        return "SIGRTMIN" if number == _SIGRTMIN else f"SIGRT_{number - _SIGRTMIN}"
    return str(number)


# si_code values common to every signal (negative ones come from userspace).
_SI_CODES = {
    0: "SI_USER",
    0x80: "SI_KERNEL",
    -1: "SI_QUEUE",
    -2: "SI_TIMER",
    -3: "SI_MESGQ",
    -4: "SI_ASYNCIO",
    -5: "SI_SIGIO",
    -6: "SI_TKILL",
    -7: "SI_DETHREAD",
    -60: "SI_ASYNCNL",
}
# Positive si_codes mean something different for each signal.
_SIGNAL_CODES: dict[int, dict[int, str]] = {
    signal.SIGCHLD: {
        1: "CLD_EXITED",
        2: "CLD_KILLED",
        3: "CLD_DUMPED",
        4: "CLD_TRAPPED",
        5: "CLD_STOPPED",
        6: "CLD_CONTINUED",
    },
    signal.SIGSEGV: {1: "SEGV_MAPERR", 2: "SEGV_ACCERR", 3: "SEGV_BNDERR", 4: "SEGV_PKUERR"},
    signal.SIGBUS: {1: "BUS_ADRALN", 2: "BUS_ADRERR", 3: "BUS_OBJERR", 4: "BUS_MCEERR_AR", 5: "BUS_MCEERR_AO"},
    signal.SIGILL: {
        1: "ILL_ILLOPC",
        2: "ILL_ILLOPN",
        3: "ILL_ILLADR",
        4: "ILL_ILLTRP",
        5: "ILL_PRVOPC",
        6: "ILL_PRVREG",
        7: "ILL_COPROC",
        8: "ILL_BADSTK",
    },
    signal.SIGFPE: {
        1: "FPE_INTDIV",
        2: "FPE_INTOVF",
        3: "FPE_FLTDIV",
        4: "FPE_FLTOVF",
        5: "FPE_FLTUND",
        6: "FPE_FLTRES",
        7: "FPE_FLTINV",
        8: "FPE_FLTSUB",
    },
    signal.SIGTRAP: {1: "TRAP_BRKPT", 2: "TRAP_TRACE", 3: "TRAP_BRANCH", 4: "TRAP_HWBKPT"},
    signal.SIGIO: {1: "POLL_IN", 2: "POLL_OUT", 3: "POLL_MSG", 4: "POLL_ERR", 5: "POLL_PRI", 6: "POLL_HUP"},
    signal.SIGSYS: {1: "SYS_SECCOMP"},
}


def si_code_name(signo: int, code: int) -> str:
    if code > 0 and code != 0x80:
        return _SIGNAL_CODES.get(signo, {}).get(code, str(code))
    return _SI_CODES.get(code, str(code))
