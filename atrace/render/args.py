"""Formatting argument and return values the way strace prints them.

A `Call` holds what is known about one syscall when a piece of its line is
printed.  Formatters are looked up by the argument kind the syscall tables
declare (`KIND_FORMATTERS`); calls whose arguments depend on each other
(fcntl's third argument on its command, open's mode on O_CREAT...) have a
formatter of their own in atrace.render.decode.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..syscalls import ARCH_I386, Syscall
from ..syscalls.numa import nodemask_words
from . import escapes, structs
from .flags import (
    TABLES,
    format_constant,
    format_file_mode,
    format_flags,
    format_ioctl_request,
    format_mode,
    format_open_flags,
    format_socket_type,
    named_bits,
)
from .names import RESTART_CODES, errno_message, errno_name, signal_name

if TYPE_CHECKING:
    from .text import TextOptions

AT_FDCWD = -100


def quote(raw: bytes, limit: int, hex_mode: int = 0, *, cut: bool = True) -> str:
    """A C string literal as strace prints it, cut at `limit` bytes with `...`.

    C-level passes over the bytes as latin-1 text, not a Python loop per
    byte (with 4 KiB strings that loop was the text path's cost): see
    atrace.render.escapes.
    """
    shown = raw[:limit] if cut else raw
    text = shown.decode("latin-1")
    if hex_mode == 2:
        body = text.translate(escapes.HEX_ALL)
    elif hex_mode == 1:
        body = text.translate(escapes.HEX_UNPRINTABLE)
    elif not shown.translate(None, escapes.PLAIN):
        body = text
    else:
        body = text.translate(escapes.OCTAL_MARKED)
        for pattern, replacement in escapes.SHORTEN:
            body = pattern.sub(replacement, body)
    quoted = f'"{body}"'
    if cut and len(raw) > limit:
        return quoted + "..."
    return quoted


def as_bytes(value: Any) -> bytes | None:
    if value is None:
        return None
    return value.encode() if isinstance(value, str) else bytes(value)


def signed(value: int, bits: int = 64) -> int:
    value &= (1 << bits) - 1
    return value - (1 << bits) if value >> (bits - 1) else value


def pointer(value: int) -> str:
    return "NULL" if value == 0 else hex(value)


@dataclass(slots=True)
class Call:
    """One syscall as far as it is known: at entry `exit` and `ret` are None."""

    syscall: Syscall
    arch: int
    args: Sequence[int]
    entry: dict[str, Any]
    exit: dict[str, Any] | None
    ret: int | None
    options: TextOptions

    @property
    def name(self) -> str:
        return self.syscall.name

    @property
    def long_bits(self) -> int:
        return 32 if self.arch == ARCH_I386 else 64

    def c_int(self, index: int) -> int:
        """The argument as a C int."""
        return signed(self.args[index], 32)

    def long(self, index: int) -> int:
        return signed(self.args[index], self.long_bits)

    def ulong(self, index: int) -> int:
        return self.args[index] & ((1 << self.long_bits) - 1)

    def value(self, index: int) -> Any:
        """What the tracer read for that argument (at entry or exit), or None."""
        key = self.syscall.args[index].name
        if self.exit is not None and key in self.exit:
            return self.exit[key]
        return self.entry.get(key)

    def parsed(self, index: int) -> Any:
        raw = self.value(index)
        if raw is None or isinstance(raw, (int, str)):
            return None
        return structs.parse(self.syscall.args[index].kind, raw, self.arch, self.name)

    def succeeded(self) -> bool:
        return self.ret is not None and not -4096 < self.ret < 0

    def fmt(self, index: int) -> str | None:
        """The argument as its kind prints it."""
        formatter = KIND_FORMATTERS.get(self.syscall.args[index].kind, _format_default)
        return formatter(self, index)

    def all(self) -> list[str | None]:
        return [self.fmt(i) for i in range(len(self.syscall.args))]


ArgFormatter = Callable[[Call, int], str | None]


def _format_default(call: Call, index: int) -> str:
    return str(call.ulong(index))


def _format_int(call: Call, index: int) -> str:
    return str(call.c_int(index))


def _format_fd(call: Call, index: int) -> str:
    """An fd, with its path when -y read it: 3</etc/hosts>."""
    fd = call.c_int(index)
    path = call.entry.get(call.syscall.args[index].name + "_path")
    if path is None:
        return str(fd)
    return f"{fd}<{_fd_path_text(path)}>"


def _fd_path_text(path: Any) -> str:
    raw = as_bytes(path) or b""
    # Paths are shown as they are, only unprintable bytes escaped.
    return quote(raw, len(raw))[1:-1]


def format_returned_fd(call: Call) -> str | None:
    """-y: the path of a returned fd, `3</etc/hosts>`."""
    if call.exit is None or call.ret is None or call.ret < 0:
        return None
    path = call.exit.get("ret_path")
    return None if path is None else f"{call.ret}<{_fd_path_text(path)}>"


def _format_id(call: Call, index: int) -> str:
    value = call.args[index] & 0xFFFFFFFF
    return "-1" if value == 0xFFFFFFFF else str(value)


def _format_off(call: Call, index: int) -> str:
    return str(call.long(index))


def hex0(value: int) -> str:
    """Hex as strace prints it: 0 stays 0."""
    return hex(value) if value else "0"


def _format_hex(call: Call, index: int) -> str:
    return hex0(call.ulong(index))


def _format_ptr(call: Call, index: int) -> str:
    return pointer(call.ulong(index))


def _format_dirfd(call: Call, index: int) -> str:
    fd = call.c_int(index)
    if fd == AT_FDCWD:
        return "AT_FDCWD"
    return _format_fd(call, index)


def _format_split_hi(call: Call, index: int) -> str | None:
    """The high half is printed with the low half (i386), or unused (x86_64)."""
    return None


def _format_split_lo(call: Call, index: int) -> str:
    value = call.args[index]
    if call.arch == ARCH_I386:
        kinds = [arg.kind for arg in call.syscall.args]
        if index + 1 < len(kinds) and kinds[index + 1] == "split_hi":
            value = (call.args[index] & 0xFFFFFFFF) | (call.args[index + 1] & 0xFFFFFFFF) << 32
        elif index > 0 and kinds[index - 1] == "split_hi":
            value = (call.args[index] & 0xFFFFFFFF) | (call.args[index - 1] & 0xFFFFFFFF) << 32
    return str(signed(value))


def _string(call: Call, index: int, limit: int | None) -> str:
    raw = as_bytes(call.entry.get(call.syscall.args[index].name))
    if raw is None:
        return pointer(call.ulong(index))
    return quote(raw, limit if limit is not None else len(raw), call.options.hex_strings)


def _format_path(call: Call, index: int) -> str:
    return _string(call, index, None)


def _format_path_out(call: Call, index: int) -> str:
    raw = as_bytes((call.exit or {}).get(call.syscall.args[index].name))
    if raw is None or call.ret is None or call.ret < 0:
        return pointer(call.ulong(index))
    return quote(raw, len(raw), call.options.hex_strings)


def _format_str(call: Call, index: int) -> str:
    return _string(call, index, call.options.string_limit)


def quote_buffer(raw: bytes, full_length: int, options: TextOptions) -> str:
    text = quote(raw, options.string_limit, options.hex_strings)
    if full_length > len(raw) and not text.endswith("..."):
        text += "..."
    return text


def _format_buf_in(call: Call, index: int) -> str:
    raw = as_bytes(call.entry.get(call.syscall.args[index].name))
    if raw is None:
        return pointer(call.ulong(index))
    full = call.ulong(index + 1) if index + 1 < len(call.args) else len(raw)
    return quote_buffer(raw, full, call.options)


def _format_buf_out(call: Call, index: int) -> str:
    raw = as_bytes((call.exit or {}).get(call.syscall.args[index].name))
    ret = call.ret
    if ret == 0 and call.exit is not None:
        return '""'  # nothing was written: no memory to read
    if raw is None or ret is None or ret < 0:
        return pointer(call.ulong(index))
    return quote_buffer(raw, ret, call.options)


def _format_argv(call: Call, index: int) -> str:
    options = call.options
    items = call.entry.get(call.syscall.args[index].name)
    if items is None:
        return pointer(call.ulong(index))
    shown = [quote(as_bytes(item) or b"", options.string_limit, options.hex_strings)
             for item in items[: options.string_limit]]  # fmt: skip
    if len(items) > options.string_limit:
        shown.append("...")
    return "[" + ", ".join(shown) + "]"


def _format_envp(call: Call, index: int) -> str:
    count = call.entry.get("envc")
    if count is None:
        return pointer(call.ulong(index))
    return f"{pointer(call.ulong(index))} /* {count} vars */"


def _format_signo(call: Call, index: int) -> str:
    number = call.c_int(index)
    return signal_name(number) if 0 < number <= 64 else str(number)


def _flags(table: str) -> ArgFormatter:
    def formatter(call: Call, index: int) -> str:
        return format_flags(call.ulong(index), table)

    return formatter


def _constant(table: str, unknown: str = "hex") -> ArgFormatter:
    def formatter(call: Call, index: int) -> str:
        return format_constant(call.c_int(index), table, unknown)

    return formatter


def _format_open_flags(call: Call, index: int) -> str:
    return format_open_flags(call.args[index])


def _format_mode(call: Call, index: int) -> str:
    return format_mode(call.args[index])


def _format_socket_type(call: Call, index: int) -> str:
    return format_socket_type(call.args[index])


def _format_ioctl_req(call: Call, index: int) -> str:
    return format_ioctl_request(call.args[index])


# -- structs -------------------------------------------------------------


def _out_missing(call: Call, index: int) -> bool:
    """An out argument the kernel did not fill: shown as its address."""
    return call.exit is None or not call.succeeded() or call.value(index) is None


def format_timespec(fields: dict[str, Any]) -> str:
    return f"{{tv_sec={fields['tv_sec']}, tv_nsec={fields['tv_nsec']}}}"


def _format_timespec(call: Call, index: int) -> str:
    fields = call.parsed(index)
    if fields is None:
        return pointer(call.ulong(index))
    return format_timespec(fields)


def _format_timespec_out(call: Call, index: int) -> str:
    if _out_missing(call, index):
        return pointer(call.ulong(index))
    return _format_timespec(call, index)


def format_sigset(mask: int) -> str:
    """[INT TERM], or ~[...] listing what is missing when most are set."""
    mask &= (1 << 64) - 1
    members = [n for n in range(1, 65) if mask >> (n - 1) & 1]
    if len(members) > 32:
        missing = [n for n in range(1, 65) if not mask >> (n - 1) & 1]
        return "~[" + " ".join(signal_name(n)[3:] for n in missing) + "]"
    return "[" + " ".join(signal_name(n)[3:] for n in members) + "]"


def _format_sigset(call: Call, index: int) -> str:
    raw = call.value(index)
    if raw is None or len(raw) < 4:
        return pointer(call.ulong(index))
    return format_sigset(int.from_bytes(raw[:8], "little"))


def _format_sigset_out(call: Call, index: int) -> str:
    if _out_missing(call, index):
        return pointer(call.ulong(index))
    return _format_sigset(call, index)


def _format_sigaction(call: Call, index: int) -> str:
    fields = call.parsed(index)
    if fields is None:
        return pointer(call.ulong(index))
    handler = {0: "SIG_DFL", 1: "SIG_IGN"}.get(fields["sa_handler"], hex(fields["sa_handler"]))
    flags = fields["sa_flags"]
    parts = [f"sa_handler={handler}", f"sa_mask={format_sigset(fields['sa_mask'])}",
             f"sa_flags={format_flags(flags, 'sa')}"]  # fmt: skip
    if flags & 0x04000000:
        parts.append(f"sa_restorer={pointer(fields['sa_restorer'])}")
    return "{" + ", ".join(parts) + "}"


def _format_sigaction_out(call: Call, index: int) -> str:
    if _out_missing(call, index):
        return pointer(call.ulong(index))
    return _format_sigaction(call, index)


def makedev(dev: int) -> str:
    major = ((dev >> 8) & 0xFFF) | ((dev >> 32) & ~0xFFF)
    minor = (dev & 0xFF) | ((dev >> 12) & ~0xFF)
    return f"makedev({hex0(major)}, {hex0(minor)})"


def _format_time(seconds: int, nsec: int) -> str:
    try:
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(seconds))
        zone = time.strftime("%z", time.localtime(seconds))
    except (OverflowError, OSError, ValueError):
        return str(seconds)
    return f"{seconds} /* {stamp}.{nsec:09d}{zone} */"


def format_stat(fields: dict[str, Any], verbose: bool) -> str:
    mode = fields["st_mode"]
    kind = mode & 0o170000
    if not verbose:
        parts = [f"st_mode={format_file_mode(mode)}"]
        if kind in (0o020000, 0o060000):
            parts.append(f"st_rdev={makedev(fields['st_rdev'])}")
        else:
            parts.append(f"st_size={fields['st_size']}")
        return "{" + ", ".join(parts) + ", ...}"
    parts = [f"st_dev={makedev(fields['st_dev'])}", f"st_ino={fields['st_ino']}",
             f"st_mode={format_file_mode(mode)}", f"st_nlink={fields['st_nlink']}",
             f"st_uid={fields['st_uid']}", f"st_gid={fields['st_gid']}",
             f"st_blksize={fields['st_blksize']}", f"st_blocks={fields['st_blocks']}"]  # fmt: skip
    if kind in (0o020000, 0o060000):
        parts.append(f"st_rdev={makedev(fields['st_rdev'])}")
    else:
        parts.append(f"st_size={fields['st_size']}")
    for key in ("st_atime", "st_mtime", "st_ctime"):
        parts.append(f"{key}={_format_time(fields[key], fields[key + '_nsec'])}")
        parts.append(f"{key}_nsec={fields[key + '_nsec']}")
    return "{" + ", ".join(parts) + "}"


def _format_stat_out(call: Call, index: int) -> str:
    if _out_missing(call, index):
        return pointer(call.ulong(index))
    fields = call.parsed(index)
    if fields is None:
        return pointer(call.ulong(index))
    return format_stat(fields, call.options.verbose)


def _format_statx_out(call: Call, index: int) -> str:
    if _out_missing(call, index):
        return pointer(call.ulong(index))
    f = call.parsed(index)
    if f is None:
        return pointer(call.ulong(index))
    parts = [f"stx_mask={format_flags(f['stx_mask'], 'statx_mask')}", f"stx_attributes={f['stx_attributes']:#x}"
             if f["stx_attributes"] else "stx_attributes=0", f"stx_mode={format_file_mode(f['stx_mode'])}",
             f"stx_size={f['stx_size']}"]  # fmt: skip
    return "{" + ", ".join(parts) + ", ...}"


def _format_wait_status(call: Call, index: int) -> str:
    if _out_missing(call, index) or call.ret == 0:
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


def _format_rusage(call: Call, index: int) -> str:
    if _out_missing(call, index):
        return pointer(call.ulong(index))
    f = call.parsed(index)
    if f is None:
        return pointer(call.ulong(index))
    u, s = f["ru_utime"], f["ru_stime"]
    head = (f"ru_utime={{tv_sec={u['tv_sec']}, tv_usec={u['tv_usec']}}}, "
            f"ru_stime={{tv_sec={s['tv_sec']}, tv_usec={s['tv_usec']}}}")  # fmt: skip
    if not call.options.verbose:
        return "{" + head + ", ...}"
    rest = ", ".join(f"{k}={v}" for k, v in f.items() if k not in ("ru_utime", "ru_stime"))
    return "{" + head + ", " + rest + "}"


def _format_fds_out(call: Call, index: int) -> str:
    raw = call.value(index)
    if _out_missing(call, index) or len(raw) < 8:
        return pointer(call.ulong(index))
    return f"[{signed(int.from_bytes(raw[:4], 'little'), 32)}, {signed(int.from_bytes(raw[4:8], 'little'), 32)}]"


def _rlim(value: int) -> str:
    if value == (1 << 64) - 1:
        return "RLIM64_INFINITY"
    if value > 1024 and value % 1024 == 0:
        return f"{value // 1024}*1024"
    return str(value)


def _format_rlimit(call: Call, index: int) -> str:
    f = call.parsed(index)
    if f is None:
        return pointer(call.ulong(index))
    return f"{{rlim_cur={_rlim(f['rlim_cur'])}, rlim_max={_rlim(f['rlim_max'])}}}"


def _format_rlimit_out(call: Call, index: int) -> str:
    if _out_missing(call, index):
        return pointer(call.ulong(index))
    return _format_rlimit(call, index)


def _format_utsname(call: Call, index: int) -> str:
    if _out_missing(call, index):
        return pointer(call.ulong(index))
    f = call.parsed(index)
    if f is None:
        return pointer(call.ulong(index))
    limit = 65
    if not call.options.verbose:
        return f"{{sysname={quote(f['sysname'], limit)}, nodename={quote(f['nodename'], limit)}, ...}}"
    return "{" + ", ".join(f"{k}={quote(v, limit)}" for k, v in f.items()) + "}"


def _format_dirents(call: Call, index: int) -> str:
    if call.ret == 0 and call.exit is not None:
        return f"{pointer(call.ulong(index))} /* 0 entries */" if not call.options.verbose else "[]"
    if _out_missing(call, index):
        return pointer(call.ulong(index))
    entries = call.parsed(index) or []
    if not call.options.verbose:
        return f"{pointer(call.ulong(index))} /* {len(entries)} entries */"
    types = {0: "DT_UNKNOWN", 1: "DT_FIFO", 2: "DT_CHR", 4: "DT_DIR", 6: "DT_BLK", 8: "DT_REG", 10: "DT_LNK",
             12: "DT_SOCK", 14: "DT_WHT"}  # fmt: skip
    shown = [f"{{d_ino={e['d_ino']}, d_off={e['d_off']}, d_reclen={e['d_reclen']}, "
             f"d_type={types.get(e['d_type'], str(e['d_type']))}, d_name={quote(e['d_name'], 4096)}}}"
             for e in entries]  # fmt: skip
    return "[" + ", ".join(shown) + "]"


def _format_open_how(call: Call, index: int) -> str:
    f = call.parsed(index)
    if f is None:
        return pointer(call.ulong(index))
    mode = format_mode(f["mode"]) if f["flags"] & 0o20200100 else "0"
    resolve = format_flags(f["resolve"], "resolve")
    return f"{{flags={format_open_flags(f['flags'])}, mode={mode}, resolve={resolve}}}"


def format_epoll_event(f: dict[str, Any]) -> str:
    data = f["data"]
    return f"{{events={format_flags(f['events'], 'epoll')}, data={{u32={data & 0xFFFFFFFF}, u64={data}}}}}"


def _format_epoll_event(call: Call, index: int) -> str:
    f = call.parsed(index)
    if f is None:
        return pointer(call.ulong(index))
    return format_epoll_event(f)


def _format_epoll_events(call: Call, index: int) -> str:
    if call.ret == 0 and call.exit is not None:
        return "[]"
    if call.exit is None or not call.succeeded():
        return pointer(call.ulong(index))
    entries = call.parsed(index) or []
    return "[" + ", ".join(format_epoll_event(e) for e in entries) + "]"


def _format_pollfd(call: Call, index: int) -> str:
    raw = call.entry.get(call.syscall.args[index].name)
    if raw is None:
        return pointer(call.ulong(index))
    entries = structs.pollfds(raw, call.arch, call.name)
    return "[" + ", ".join(f"{{fd={e['fd']}, events={format_flags(e['events'] & 0xFFFF, 'poll')}}}"
                           for e in entries) + "]"  # fmt: skip


def _format_fdset(call: Call, index: int) -> str:
    raw = call.entry.get(call.syscall.args[index].name)
    if raw is None:
        return pointer(call.ulong(index))
    return format_fdset(raw, call.c_int(0))


def format_fdset(raw: bytes, nfds: int) -> str:
    bits = int.from_bytes(raw, "little")
    return "[" + " ".join(str(fd) for fd in range(min(nfds, len(raw) * 8)) if bits >> fd & 1) + "]"


def _format_iov(call: Call, index: int) -> str:
    items = call.value(index)
    if items is None or (call.syscall.args[index].kind == "iov_out" and _out_missing(call, index)):
        return pointer(call.ulong(index))
    total = call.ret if call.syscall.args[index].kind == "iov_out" else None
    return format_iovecs(items, call.options, total)


def format_iovecs(items: list[Any], options: TextOptions, total: int | None = None) -> str:
    """[[bytes, iov_len], ...] as strace shows an iovec array.  With `total`
    (the bytes a read-like call returned), a buffer is complete when it holds
    its share of them: no `...` for the part the kernel did not fill."""
    shown = []
    left = total
    for data, length in items:
        raw = as_bytes(data)
        full = length if left is None else min(length, max(left, 0))
        if left is not None:
            left -= length
        base = quote_buffer(raw, full, options) if raw is not None else "NULL"
        shown.append(f"{{iov_base={base}, iov_len={length}}}")
    return "[" + ", ".join(shown) + "]"


def _format_sockaddr(call: Call, index: int) -> str:
    from .decode.net import format_sockaddr  # decode imports this module

    value = call.value(index)
    if call.syscall.args[index].kind == "sockaddr_out":
        if _out_missing(call, index):
            return pointer(call.ulong(index))
        raw, _length = value
    else:
        raw = value
    if raw is None:
        return pointer(call.ulong(index))
    return format_sockaddr(bytes(raw), call.options)


# clone_args pointers the kernel uses only under a flag, and strace shows
# only then (glibc fills pidfd even without CLONE_PIDFD): CLONE_PIDFD,
# CLONE_CHILD_SETTID|CLONE_CHILD_CLEARTID, CLONE_PARENT_SETTID.
_CLONE_ARGS_BY_FLAG = (("pidfd", 0x1000), ("child_tid", 0x1200000), ("parent_tid", 0x100000))
_CLONE_SETTLS = 0x80000


def _format_clone_args(call: Call, index: int) -> str:
    f = call.parsed(index)
    if f is None:
        return pointer(call.ulong(index))
    flags = f["flags"]
    parts = [f"flags={format_flags(flags & ~0xFF, 'clone')}"]
    for key, flag in _CLONE_ARGS_BY_FLAG:
        if flags & flag:
            parts.append(f"{key}={pointer(f[key])}")
    exit_signal = f["exit_signal"]
    parts.append(f"exit_signal={signal_name(exit_signal) if exit_signal else 0}")
    parts.append(f"stack={pointer(f['stack'])}")
    parts.append(f"stack_size={hex0(f['stack_size'])}")
    if flags & _CLONE_SETTLS:
        parts.append(f"tls={pointer(f['tls'])}")
    return "{" + ", ".join(parts) + "}"


def _when_written(formatter: ArgFormatter) -> ArgFormatter:
    """An out argument: its address until the kernel has filled it."""

    def written(call: Call, index: int) -> str | None:
        return pointer(call.ulong(index)) if _out_missing(call, index) else formatter(call, index)

    return written


def _format_cpuset(call: Call, index: int) -> str:
    cpus = call.parsed(index)
    return pointer(call.ulong(index)) if cpus is None else "[" + " ".join(map(str, cpus)) + "]"


def _format_stack_t(call: Call, index: int) -> str:
    f = call.parsed(index)
    if f is None:
        return pointer(call.ulong(index))
    return f"{{ss_sp={pointer(f['ss_sp'])}, ss_flags={format_flags(f['ss_flags'], 'ss')}, ss_size={f['ss_size']}}}"


def format_gid_list(gids: list[int], count: int, bits: int, limit: int) -> str:
    """[0, 5, -1]: the first `limit` of `count` gids, `...` for the rest."""
    invalid = (1 << bits) - 1  # (gid_t)-1
    shown = ["-1" if gid == invalid else str(gid) for gid in gids[:limit]]
    if count > len(shown):
        shown.append("...")
    return "[" + ", ".join(shown) + "]"


def _gid_list(bits: int, at_exit: bool) -> ArgFormatter:
    """setgroups' list (the count is the argument before it) or getgroups'
    (the count is the return value)."""

    def formatter(call: Call, index: int) -> str:
        gids = call.parsed(index)
        if gids is None or not call.args[index] or (at_exit and _out_missing(call, index)):
            return pointer(call.ulong(index))
        count = call.ret if at_exit and call.ret is not None else call.c_int(index - 1)
        return format_gid_list(gids, count, bits, call.options.string_limit)

    return formatter


# -- statfs, sysinfo, rlimit of longs, user_desc, in/out timeouts ----------


def _format_statfs(call: Call, index: int) -> str:
    f = call.parsed(index)
    if f is None:
        return pointer(call.ulong(index))
    counts = ", ".join(
        f"{key}={f[key]}" for key in ("f_bsize", "f_blocks", "f_bfree", "f_bavail", "f_files", "f_ffree")
    )
    fsid = ", ".join(hex0(value & 0xFFFFFFFF) for value in f["f_fsid"])
    return (f"{{f_type={format_constant(f['f_type'], 'fs_magic')}, {counts}, f_fsid={{val=[{fsid}]}}, "
            f"f_namelen={f['f_namelen']}, f_frsize={f['f_frsize']}, "
            f"f_flags={format_flags(f['f_flags'], 'statfs_flags')}}}")  # fmt: skip


_SYSINFO_SIZES = ("totalram", "freeram", "sharedram", "bufferram", "totalswap", "freeswap", "procs", "totalhigh",
                  "freehigh", "mem_unit")  # fmt: skip


def _format_sysinfo(call: Call, index: int) -> str:
    f = call.parsed(index)
    if f is None:
        return pointer(call.ulong(index))
    loads = ", ".join(map(str, f["loads"]))
    rest = ", ".join(f"{key}={f[key]}" for key in _SYSINFO_SIZES)
    return f"{{uptime={f['uptime']}, loads=[{loads}], {rest}}}"


def _format_rlimit_long(call: Call, index: int) -> str:
    f = call.parsed(index)
    if f is None:
        return pointer(call.ulong(index))

    def shown(value: int) -> str:
        # A 32-bit ABI's RLIM_INFINITY is its own all-ones word.
        return "RLIM_INFINITY" if call.arch == ARCH_I386 and value == 0xFFFFFFFF else _rlim(value)

    return f"{{rlim_cur={shown(f['rlim_cur'])}, rlim_max={shown(f['rlim_max'])}}}"


def _format_loff(call: Call, index: int) -> str:
    value = call.parsed(index)
    return pointer(call.ulong(index)) if value is None else f"[{value}]"


def _hex08(value: int) -> str:
    """C's %#08x: 0x and zero padding to 8 characters, but no 0x for 0."""
    return f"{value:#08x}" if value else "00000000"


_USER_DESC_FLAGS = ("seg_32bit", "contents", "read_exec_only", "limit_in_pages", "seg_not_present", "useable")


def format_user_desc(f: dict[str, Any], arch: int) -> str:
    # The lm (long mode) bit exists only in the 64-bit ABI's view.
    keys = _USER_DESC_FLAGS if arch == ARCH_I386 else (*_USER_DESC_FLAGS, "lm")
    flags = ", ".join(f"{key}={f[key]}" for key in keys)
    return (
        f"{{entry_number={f['entry_number']}, base_addr={_hex08(f['base_addr'])}, limit={_hex08(f['limit'])}, {flags}}}"
    )


def entry_parsed(call: Call, index: int) -> Any:
    """The struct the tracee passed in, when the kernel also wrote it back
    (the exit value is under the same key)."""
    arg = call.syscall.args[index]
    raw = call.entry.get(arg.name)
    if raw is None or isinstance(raw, (int, str)):
        return None
    return structs.parse(arg.kind, raw, call.arch, call.name)


def _format_user_desc_in(call: Call, index: int) -> str:
    f = entry_parsed(call, index)
    return pointer(call.ulong(index)) if f is None else format_user_desc(f, call.arch)


def format_timeval(fields: dict[str, Any]) -> str:
    return f"{{tv_sec={fields['tv_sec']}, tv_usec={fields['tv_usec']}}}"


def _format_timeout_in(call: Call, index: int) -> str:
    """A timeout as passed in (select's, pselect6's, futex's)."""
    f = entry_parsed(call, index)
    if f is None:
        return pointer(call.ulong(index))
    return format_timeval(f) if "tv_usec" in f else format_timespec(f)


def time_left(call: Call, index: int) -> str | None:
    """`left {...}`: the time the kernel wrote back into a select timeout."""
    if call.exit is None or index >= len(call.args):
        return None
    arg = call.syscall.args[index]
    raw = call.exit.get(arg.name)
    f = None if raw is None else structs.parse(arg.kind, raw, call.arch, call.name)
    if f is None:
        return None
    return "left " + (format_timeval(f) if "tv_usec" in f else format_timespec(f))


def _format_pselect6_sig(call: Call, index: int) -> str:
    """{sigmask=[...], sigsetsize=8}: the pair pselect6 takes."""
    value = call.entry.get(call.syscall.args[index].name)
    if value is None:
        return pointer(call.ulong(index))
    raw, mask = value
    word = len(raw) // 2
    address, size = int.from_bytes(raw[:word], "little"), int.from_bytes(raw[word:], "little")
    shown = format_sigset(int.from_bytes(mask[:8], "little")) if mask else pointer(address)
    return f"{{sigmask={shown}, sigsetsize={size}}}"


def _format_offset_inout(call: Call, index: int) -> str:
    """sendfile's offset: `[0]` going in, `[0] => [100]` once the kernel moved
    it (strace shows the new value only when some bytes were sent)."""
    key, kind = call.syscall.args[index].name, call.syscall.args[index].kind
    before = call.entry.get(key)
    parse = structs.PARSERS[kind]
    start = None if before is None else parse(bytes(before), call.arch, call.name)
    if start is None:
        return pointer(call.ulong(index))
    after = (call.exit or {}).get(key) if call.succeeded() and call.ret else None
    end = None if after is None else parse(bytes(after), call.arch, call.name)
    return f"[{start}]" if end is None else f"[{start}] => [{end}]"


def _format_loff_in(call: Call, index: int) -> str:
    value = call.parsed(index)
    return pointer(call.ulong(index)) if value is None else f"[{value}]"


# utimensat's special tv_nsec values: set the time to now, leave it as it is.
_UTIME_SPECIAL = {(1 << 30) - 1: "UTIME_NOW", (1 << 30) - 2: "UTIME_OMIT"}


def time_comment(seconds: int, nsec: int, digits: int = 9) -> str:
    """` /* 1970-01-01T00:00:01.000000002+0000 */`, the fraction (of `digits`
    digits: 9 for nanoseconds, 6 for microseconds) only when not 0."""
    try:
        moment = time.localtime(seconds)
    except (OverflowError, OSError, ValueError):
        return ""
    fraction = f".{nsec:0{digits}d}" if nsec else ""
    return f" /* {time.strftime('%Y-%m-%dT%H:%M:%S', moment)}{fraction}{time.strftime('%z', moment)} */"


def _format_timespec_pair(call: Call, index: int) -> str:
    pair = call.parsed(index)
    if pair is None:
        return pointer(call.ulong(index))
    shown = [_UTIME_SPECIAL.get(t["tv_nsec"]) or format_timespec(t) + time_comment(t["tv_sec"], t["tv_nsec"])
             for t in pair]  # fmt: skip
    return "[" + ", ".join(shown) + "]"


def _format_timeval_pair(call: Call, index: int) -> str:
    """utimes' times: each with its date, to the microsecond."""
    pair = call.parsed(index)
    if pair is None:
        return pointer(call.ulong(index))
    return "[" + ", ".join(format_timeval(t) + time_comment(t["tv_sec"], t["tv_usec"], 6) for t in pair) + "]"


def _format_utimbuf(call: Call, index: int) -> str:
    f = call.parsed(index)
    if f is None:
        return pointer(call.ulong(index))
    shown = (f"{key}={f[key]}{time_comment(f[key], 0)}" for key in ("actime", "modtime"))
    return "{" + ", ".join(shown) + "}"


def _format_itimerval(call: Call, index: int) -> str:
    f = call.parsed(index)
    if f is None:
        return pointer(call.ulong(index))
    return f"{{it_interval={format_timeval(f['it_interval'])}, it_value={format_timeval(f['it_value'])}}}"


def _format_tms(call: Call, index: int) -> str:
    f = call.parsed(index)
    return pointer(call.ulong(index)) if f is None else "{" + ", ".join(f"{k}={v}" for k, v in f.items()) + "}"


# The mode flags or-ed into a memory policy mode (linux/mempolicy.h).
_MPOL_MODE_FLAGS = 0xE000


def format_mpol_mode(value: int) -> str:
    """MPOL_BIND|MPOL_F_STATIC_NODES; an unknown mode as `0x63 /* MPOL_??? */`."""
    value &= 0xFFFFFFFF
    mode = format_constant(value & ~_MPOL_MODE_FLAGS, "mpol")
    return "|".join([mode, *named_bits(value & _MPOL_MODE_FLAGS, TABLES["mpol_mode_flags"])[0]])


def _format_mpol_mode(call: Call, index: int) -> str:
    return format_mpol_mode(call.args[index])


def _format_mpol_mode_out(call: Call, index: int) -> str:
    mode = call.parsed(index)
    return pointer(call.ulong(index)) if mode is None else f"[{format_mpol_mode(mode)}]"


def _nodemask_word(word: int, size: int) -> str:
    """A word as strace prints it (C's %#0*lx of twice its size in bytes: the
    0x counts in the width, and 0 has none)."""
    return f"{word:#0{2 * size}x}" if word else "0" * (2 * size)


def _format_nodemask(call: Call, index: int) -> str:
    """[0x00000000000001]: the node mask, maxnode (the next argument) - 1 bits."""
    maxnode, address = call.ulong(index + 1), call.ulong(index)
    if address and maxnode == 0:
        return "[]"
    words = nodemask_words(maxnode, call.long_bits)
    parsed = call.parsed(index)
    if not words or parsed is None or (call.syscall.args[index].kind == "nodemask_out" and not call.succeeded()):
        return pointer(address)
    size = call.long_bits // 8
    shown = [_nodemask_word(word, size) for word in parsed[:words]]
    if words > len(shown):
        shown.append("...")
    return "[" + ", ".join(shown) + "]"


KIND_FORMATTERS: dict[str, ArgFormatter] = {
    "int": _format_int,
    "fd": _format_fd,
    "pid": _format_int,
    "uid": _format_id,
    "gid": _format_id,
    "uint": _format_default,
    "size": _format_default,
    "off": _format_off,
    "hex": _format_hex,
    "ptr": _format_ptr,
    "dirfd": _format_dirfd,
    "split_lo": _format_split_lo,
    "split_hi": _format_split_hi,
    "path": _format_path,
    "path_out": _format_path_out,
    "str": _format_str,
    "buf_in": _format_buf_in,
    "sockopt_in": _format_buf_in,
    "buf_out": _format_buf_out,
    "argv": _format_argv,
    "envp": _format_envp,
    "open_flags": _format_open_flags,
    "mode": _format_mode,
    "signo": _format_signo,
    "at_flags": _flags("at"),
    "clone_flags": _flags("clone"),
    "prot": _flags("prot"),
    "mmap_flags": _flags("mmap"),
    "access_mode": _flags("access"),
    "ioctl_req": _format_ioctl_req,
    "fcntl_cmd": _constant("fcntl"),
    "socket_family": _constant("family"),
    "socket_type": _format_socket_type,
    "whence": _constant("whence"),
    "sigmask_how": _constant("sigmask_how"),
    "rlimit_resource": _constant("rlimit"),
    "timespec_in": _format_timespec,
    "timespec64_in": _format_timespec,
    "timespec_out": _format_timespec_out,
    "timespec64_out": _format_timespec_out,
    "sigset": _format_sigset,
    "sigset_out": _format_sigset_out,
    "sigaction": _format_sigaction,
    "sigaction_out": _format_sigaction_out,
    "stat_out": _format_stat_out,
    "statx_out": _format_statx_out,
    "wait_status_out": _format_wait_status,
    "rusage_out": _format_rusage,
    "fds_out": _format_fds_out,
    "rlimit_in": _format_rlimit,
    "rlimit_out": _format_rlimit_out,
    "utsname_out": _format_utsname,
    "dirents_out": _format_dirents,
    "open_how": _format_open_how,
    "epoll_event": _format_epoll_event,
    "epoll_events_out": _format_epoll_events,
    "pollfd": _format_pollfd,
    "fdset": _format_fdset,
    "iov_in": _format_iov,
    "iov_out": _format_iov,
    "sockaddr_in": _format_sockaddr,
    "sockaddr_out": _format_sockaddr,
    "clone_args": _format_clone_args,
    "cpuset_in": _format_cpuset,
    "cpuset_out": _when_written(_format_cpuset),
    "stack_t_in": _format_stack_t,
    "stack_t_out": _when_written(_format_stack_t),
    "gids_in": _gid_list(32, at_exit=False),
    "gids_out": _gid_list(32, at_exit=True),
    "gids16_in": _gid_list(16, at_exit=False),
    "gids16_out": _gid_list(16, at_exit=True),
    "off_inout": _format_offset_inout,
    "loff_inout": _format_offset_inout,
    "loff_in": _format_loff_in,
    "timespec_pair": _format_timespec_pair,
    "timespec64_pair": _format_timespec_pair,
    "statfs_out": _when_written(_format_statfs),
    "statfs64_out": _when_written(_format_statfs),
    "sysinfo_out": _when_written(_format_sysinfo),
    "rlimit_long_in": _format_rlimit_long,
    "rlimit_long_out": _when_written(_format_rlimit_long),
    "loff_out": _when_written(_format_loff),
    "user_desc": _format_user_desc_in,
    "timeval_inout": _format_timeout_in,
    "timespec_inout": _format_timeout_in,
    "timespec64_inout": _format_timeout_in,
    "futex_timeout": _format_timeout_in,
    "futex_timeout64": _format_timeout_in,
    "pselect6_sig": _format_pselect6_sig,
    "prctl_arg": _format_hex,
    "parent_tid_out": _format_ptr,
    "itimer_which": _constant("itimer"),
    "itimerval_in": _format_itimerval,
    "itimerval_out": _when_written(_format_itimerval),
    "tms_out": _when_written(_format_tms),
    "timeval_pair": _format_timeval_pair,
    "utimbuf": _format_utimbuf,
    "mpol_mode": _format_mpol_mode,
    "mpol_mode_out": _when_written(_format_mpol_mode_out),
    "nodemask_in": _format_nodemask,
    "nodemask_out": _format_nodemask,
}

# Calls whose return value is an address, printed in hex like strace.
_POINTER_RETURNS = frozenset({"mmap", "mmap2", "brk", "mremap", "shmat"})


def format_error(ret: int) -> str | None:
    """`-1 ENOENT (No such file or directory)`, or None for a success."""
    if -4096 < ret < 0:
        number = -ret
        if number in RESTART_CODES:
            return f"? {errno_name(number)} ({errno_message(number)})"
        return f"-1 {errno_name(number)} ({errno_message(number)})"
    return None


def format_return(syscall: Syscall | None, ret: int) -> str:
    error = format_error(ret)
    if error is not None:
        return error
    if syscall is not None and syscall.name in _POINTER_RETURNS:
        return hex(ret & ((1 << 64) - 1))
    return str(ret)
