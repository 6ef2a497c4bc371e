"""Formatters of signal masks, actions, siginfo and wait statuses."""

from __future__ import annotations

from typing import Any

from ..syscalls.abi import signed
from ..syscalls.calls import SIGSET_BYTES, SIGSET_SIZE_ARGS
from .call import ArgFormatter, Call, out_missing, pointer, when_written
from .flags import format_constant, format_flags, format_signal, number, raw_style, styled
from .names import errno_name, si_code_name, signal_name
from .pid_texts import pid_text


def format_sigset(mask: int) -> str:
    """[INT TERM], or ~[...] listing what is missing when most are set."""
    mask &= (1 << 64) - 1
    members = [n for n in range(1, 65) if mask >> (n - 1) & 1]
    if len(members) > 32:
        missing = [n for n in range(1, 65) if not mask >> (n - 1) & 1]
        return "~[" + " ".join(_member(n) for n in missing) + "]"
    return "[" + " ".join(_member(n) for n in members) + "]"


def _member(signo: int) -> str:
    """A signal in a set: its name without SIG, in the -X style."""
    return styled(str(signo), signal_name(signo)[3:])


# rt_sigpending takes any size up to the kernel's (sigpending shares its code).
_SIGSET_ANY_SIZE = frozenset({"rt_sigpending"})


def _sigset_size(call: Call) -> int | None:
    """The bytes of the sigset to show: what the size argument says, when
    strace reads that size (from a word, one byte for rt_sigpending, to the
    kernel's 8 bytes); None for another size, shown as the address."""
    for i, arg in enumerate(call.syscall.args):
        if arg.name in SIGSET_SIZE_ARGS:
            size = call.ulong(i)
            least = 1 if call.name in _SIGSET_ANY_SIZE else call.long_bits // 8
            return size if least <= size <= SIGSET_BYTES else None
    return SIGSET_BYTES


def _format_sigset(call: Call, index: int) -> str:
    raw = call.value(index)
    size = _sigset_size(call)
    if raw is None or size is None or len(raw) < size:
        return pointer(call.ulong(index))
    return format_sigset(int.from_bytes(raw[:size], "little"))


def _format_sigset_out(call: Call, index: int) -> str:
    if out_missing(call, index):
        return pointer(call.ulong(index))
    return _format_sigset(call, index)


def _format_sigaction(call: Call, index: int) -> str:
    fields = call.parsed(index)
    if fields is None:
        return pointer(call.ulong(index))
    special = {0: "SIG_DFL", 1: "SIG_IGN"}.get(fields["sa_handler"])
    handler = hex(fields["sa_handler"]) if special is None else styled(number(fields["sa_handler"]), special)
    flags = fields["sa_flags"]
    parts = [f"sa_handler={handler}", f"sa_mask={format_sigset(fields['sa_mask'])}",
             f"sa_flags={format_flags(flags, 'sa')}"]  # fmt: skip
    if flags & 0x04000000:
        parts.append(f"sa_restorer={pointer(fields['sa_restorer'])}")
    return "{" + ", ".join(parts) + "}"


def _format_sigaction_out(call: Call, index: int) -> str:
    if out_missing(call, index):
        return pointer(call.ulong(index))
    return _format_sigaction(call, index)


def _format_wait_status(call: Call, index: int) -> str:
    if out_missing(call, index):
        return pointer(call.ulong(index))
    raw = call.value(index)
    if len(raw) < 4:
        return pointer(call.ulong(index))
    return "[" + format_wait_status(int.from_bytes(raw[:4], "little")) + "]"


def format_wait_status(status: int) -> str:
    if status & 0x7F == 0:
        text = f"{{WIFEXITED(s) && WEXITSTATUS(s) == {(status >> 8) & 0xFF}}}"
    elif status & 0xFF == 0x7F:
        text = f"{{WIFSTOPPED(s) && WSTOPSIG(s) == {signal_name((status >> 8) & 0xFF)}}}"
        if status >> 16:
            text = text[:-1] + f" && (s >> 16) == {status >> 16}" + "}"
        return text
    elif status == 0xFFFF:
        text = "{WIFCONTINUED(s)}"
    else:
        core = " && WCOREDUMP(s)" if status & 0x80 else ""
        text = f"{{WIFSIGNALED(s) && WTERMSIG(s) == {signal_name(status & 0x7F)}{core}}}"
    return text


def _format_pselect6_sig(call: Call, index: int) -> str:
    """{sigmask=[...], sigsetsize=8}: the pair pselect6 and io_pgetevents
    take; the mask as its address when its size is not one strace reads or
    it cannot be read that far."""
    value = call.entry.get(call.syscall.args[index].name)
    if value is None:
        return pointer(call.ulong(index))
    raw, mask = value
    word = len(raw) // 2
    address, size = int.from_bytes(raw[:word], "little"), int.from_bytes(raw[word:], "little")
    readable = mask is not None and call.long_bits // 8 <= size <= SIGSET_BYTES and len(mask) >= size
    shown = format_sigset(int.from_bytes(mask[:size], "little")) if readable else pointer(address)
    return f"{{sigmask={shown}, sigsetsize={size}}}"


# Clock ticks per second of si_utime/si_stime (the kernel's USER_HZ).
_TICKS_PER_SECOND = 100
# Signals whose kernel-sent siginfo carries the faulting address.
_FAULT_SIGNALS = frozenset({4, 5, 7, 8, 11})  # SIGILL, SIGTRAP, SIGBUS, SIGFPE, SIGSEGV
_SIGCHLD = 17
# si_code values of a SIGCHLD whose si_status is a signal (CLD_KILLED...).
_CLD_BY_SIGNAL = frozenset({2, 3, 4, 5, 6})
# si_codes of a value queued with the signal (SI_QUEUE, SI_MESGQ).
_SI_WITH_VALUE = frozenset({-1, -3})


def clock_ticks(ticks: int) -> str:
    """A CPU time in clock ticks, with the seconds beside it when not zero
    (not with -X raw)."""
    if not ticks or raw_style():
        return str(ticks)
    seconds, rest = divmod(ticks, _TICKS_PER_SECOND)
    return f"{ticks} /* {seconds}.{rest:02d} s */"


def format_siginfo(f: dict[str, Any], si_pid: str | None = None) -> str:
    """{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=...}: the fields that
    mean something for that signal and si_code, as strace chooses them.  `f`
    has si_signo and si_code, and the union's fields it knows: si_pid,
    si_uid, si_int, si_ptr, si_status, si_utime, si_stime, si_addr.  `si_pid`:
    the sender's pid as -Y and --pidns-translation show it."""
    signo, code = f["si_signo"], f["si_code"]
    if not signo:
        return "{}"  # nothing in it (waitid with WNOHANG and no child ready)
    name = si_code_name(signo, code)
    parts = [
        f"si_signo={format_signal(signo)}",
        f"si_code={name if name.lstrip('-').isdigit() else styled(number(code & 0xFFFFFFFF), name)}",
    ]
    if f.get("si_errno"):
        parts.append(f"si_errno={_si_errno(f['si_errno'])}")
    pid_shown = si_pid if si_pid is not None else str(f.get("si_pid"))
    if code <= 0:
        parts += [f"si_pid={pid_shown}", f"si_uid={_uid(f['si_uid'])}"]
        if code in _SI_WITH_VALUE and "si_int" in f:
            parts += [f"si_int={f['si_int']}", f"si_ptr={pointer(f['si_ptr'])}"]
    elif signo == _SIGCHLD and "si_status" in f:
        status = f["si_status"]
        shown = format_signal(status) if code in _CLD_BY_SIGNAL else str(status)
        parts += [f"si_pid={pid_shown}", f"si_uid={_uid(f['si_uid'])}", f"si_status={shown}",
                  f"si_utime={clock_ticks(f['si_utime'])}", f"si_stime={clock_ticks(f['si_stime'])}"]  # fmt: skip
    elif signo in _FAULT_SIGNALS and "si_addr" in f:
        parts.append(f"si_addr={pointer(f['si_addr'])}")
    return "{" + ", ".join(parts) + "}"


def _si_errno(value: int) -> str:
    """An errno by name; one with no name as the unsigned number strace shows."""
    name = errno_name(value) if value > 0 else None
    return str(value & 0xFFFFFFFF) if name is None or name.startswith("errno") else styled(str(value), name)


def _uid(value: int) -> str:
    return "-1" if value in (-1, 0xFFFFFFFF) else str(value)


def _format_siginfo(call: Call, index: int) -> str:
    f = call.parsed(index)
    if f is None:
        return pointer(call.ulong(index))
    key = call.syscall.args[index].name + "_si_pid"
    data = {**call.entry, **(call.exit or {})}
    comm, pidns = data.get(key + "_comm"), data.get(key + "_pidns")
    shown = None if comm is None and pidns is None else pid_text(f["si_pid"], comm, pidns)
    return format_siginfo(f, shown)


_SIGEV_SIGNAL, _SIGEV_THREAD, _SIGEV_THREAD_ID = 0, 2, 4


def _format_sigevent(call: Call, index: int) -> str:
    """{sigev_value={sival_int=..., sival_ptr=...}, sigev_signo=SIGALRM,
    sigev_notify=SIGEV_THREAD_ID, sigev_notify_thread_id=42}: the value only
    when it is not 0, the signal named for the notifications that send one."""
    f = call.parsed(index)
    if f is None:
        return pointer(call.ulong(index))
    parts = []
    value = f["sigev_value"]
    if value:
        parts.append(f"sigev_value={{sival_int={signed(value, 32)}, sival_ptr={pointer(value)}}}")
    notify, signo = f["sigev_notify"], f["sigev_signo"]
    if notify not in (_SIGEV_SIGNAL, _SIGEV_THREAD, _SIGEV_THREAD_ID):
        parts.append(f"sigev_signo={signo & 0xFFFFFFFF}")  # no signal is sent: a plain number
    else:
        parts.append(f"sigev_signo={signal_name(signo) if 0 < signo <= 64 else signo}")
    parts.append(f"sigev_notify={format_constant(notify & 0xFFFFFFFF, 'sigev_notify')}")
    if notify == _SIGEV_THREAD_ID:
        parts.append(f"sigev_notify_thread_id={signed(f['function'], 32)}")
    elif notify == _SIGEV_THREAD:
        parts.append(f"sigev_notify_function={pointer(f['function'])}")
        parts.append(f"sigev_notify_attributes={pointer(f['attribute'])}")
    return "{" + ", ".join(parts) + "}"


FORMATTERS: dict[str, ArgFormatter] = {
    "sigset": _format_sigset,
    "sigset_out": _format_sigset_out,
    "sigaction": _format_sigaction,
    "sigaction_out": _format_sigaction_out,
    "wait_status": _format_wait_status,
    "pselect6_sig": _format_pselect6_sig,
    "siginfo": _format_siginfo,
    "sigevent": _format_sigevent,
    "siginfo_out": when_written(_format_siginfo),
}
