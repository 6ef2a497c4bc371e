"""Formatters of structs: stat, rusage, rlimit, statfs, clone_args, user_desc..."""

from __future__ import annotations

import os
import struct
from typing import Any

from ..syscalls import ARCH_I386
from ..syscalls.abi import signed
from ..syscalls.calls import (
    CLONE_ARGS_MAX_SIZE,
    CLONE_ARGS_READ_MAX,
    CLONE_CHILD_CLEARTID,
    CLONE_CHILD_SETTID,
    CLONE_INTO_CGROUP,
    CLONE_PARENT_SETTID,
    CLONE_PIDFD,
    CLONE_SET_TID_END,
    CLONE_SET_TID_MAX,
    CLONE_SETTLS,
)
from . import structs
from .call import ArgFormatter, Call, array_limit, entry_parsed, format_array, hex0, out_missing, pointer, when_written
from .fds import fd_text
from .flags import (
    format_constant,
    format_dev,
    format_file_mode,
    format_flags,
    format_mode,
    format_open_flags,
    format_signal,
    styled,
)
from .fmt_time import format_time
from .quoting import as_bytes, quote


def makedev(dev: int) -> str:
    return format_dev(dev)


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
        parts.append(f"{key}={format_time(fields[key], fields[key + '_nsec'])}")
        parts.append(f"{key}_nsec={fields[key + '_nsec']}")
    return "{" + ", ".join(parts) + "}"


def _format_stat_out(call: Call, index: int) -> str:
    if out_missing(call, index):
        return pointer(call.ulong(index))
    fields = call.parsed(index)
    if fields is None:
        return pointer(call.ulong(index))
    return format_stat(fields, not call.abbreviated)


def _format_statx_out(call: Call, index: int) -> str:
    if out_missing(call, index):
        return pointer(call.ulong(index))
    f = call.parsed(index)
    if f is None:
        return pointer(call.ulong(index))
    parts = [f"stx_mask={format_flags(f['stx_mask'], 'statx_mask')}", f"stx_attributes={f['stx_attributes']:#x}"
             if f["stx_attributes"] else "stx_attributes=0", f"stx_mode={format_file_mode(f['stx_mode'])}",
             f"stx_size={f['stx_size']}"]  # fmt: skip
    return "{" + ", ".join(parts) + ", ...}"


def _format_rusage(call: Call, index: int) -> str:
    if out_missing(call, index):
        return pointer(call.ulong(index))
    f = call.parsed(index)
    if f is None:
        return pointer(call.ulong(index))
    u, s = f["ru_utime"], f["ru_stime"]
    head = (f"ru_utime={{tv_sec={u['tv_sec']}, tv_usec={u['tv_usec']}}}, "
            f"ru_stime={{tv_sec={s['tv_sec']}, tv_usec={s['tv_usec']}}}")  # fmt: skip
    if call.abbreviated:
        return "{" + head + ", ...}"
    rest = ", ".join(f"{k}={v}" for k, v in f.items() if k not in ("ru_utime", "ru_stime"))
    return "{" + head + ", " + rest + "}"


def _format_fds_out(call: Call, index: int) -> str:
    raw = call.value(index)
    if out_missing(call, index) or len(raw) < 8:
        return pointer(call.ulong(index))
    fds = [str(signed(int.from_bytes(raw[i : i + 4], "little"), 32)) for i in (0, 4)]
    # -y: each fd's path and details, read at the exit (tracer/fd_paths.py).
    behind = (call.exit or {}).get(call.syscall.args[index].name + "_fds")
    if isinstance(behind, list) and len(behind) == 2:
        fds = [fd_text(fd, pair[0], pair[1], call.options.decode_fds) if isinstance(pair, list) and len(pair) == 2
               else fd for fd, pair in zip(fds, behind, strict=True)]  # fmt: skip
    return f"[{fds[0]}, {fds[1]}]"


def _rlim(value: int) -> str:
    if value == (1 << 64) - 1:
        return styled(str(value), "RLIM64_INFINITY")
    if value > 1024 and value % 1024 == 0:
        return styled(str(value), f"{value // 1024}*1024")
    return str(value)


def _format_rlimit(call: Call, index: int) -> str:
    f = call.parsed(index)
    if f is None:
        return pointer(call.ulong(index))
    return f"{{rlim_cur={_rlim(f['rlim_cur'])}, rlim_max={_rlim(f['rlim_max'])}}}"


def _format_rlimit_out(call: Call, index: int) -> str:
    if out_missing(call, index):
        return pointer(call.ulong(index))
    return _format_rlimit(call, index)


def _format_utsname(call: Call, index: int) -> str:
    if out_missing(call, index):
        return pointer(call.ulong(index))
    f = call.parsed(index)
    if f is None:
        return pointer(call.ulong(index))
    limit = 65
    if call.abbreviated:
        return f"{{sysname={quote(f['sysname'], limit)}, nodename={quote(f['nodename'], limit)}, ...}}"
    return "{" + ", ".join(f"{k}={quote(v, limit)}" for k, v in f.items()) + "}"


def _format_dirents(call: Call, index: int) -> str:
    if call.ret == 0 and call.exit is not None:
        return f"{pointer(call.ulong(index))} /* 0 entries */" if call.abbreviated else "[]"
    if out_missing(call, index):
        return pointer(call.ulong(index))
    entries = call.parsed(index) or []
    if call.abbreviated:
        return f"{pointer(call.ulong(index))} /* {len(entries)} entries */"
    types = {0: "DT_UNKNOWN", 1: "DT_FIFO", 2: "DT_CHR", 4: "DT_DIR", 6: "DT_BLK", 8: "DT_REG", 10: "DT_LNK",
             12: "DT_SOCK", 14: "DT_WHT"}  # fmt: skip
    # The old getdents' d_type follows its name (it is the record's last
    # byte); getdents64's comes before it: strace prints each in its order.
    name_first = call.name == "getdents"
    shown = []
    for e in entries:
        kind, name = f"d_type={types.get(e['d_type'], str(e['d_type']))}", f"d_name={quote(e['d_name'], 4096)}"
        tail = f"{name}, {kind}" if name_first else f"{kind}, {name}"
        shown.append(f"{{d_ino={e['d_ino']}, d_off={e['d_off']}, d_reclen={e['d_reclen']}, {tail}}}")
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


# clone_args pointers the kernel uses only under a flag, and strace shows
# only then (glibc fills pidfd even without CLONE_PIDFD).
_CLONE_ARGS_BY_FLAG = (
    ("pidfd", CLONE_PIDFD),
    ("child_tid", CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID),
    ("parent_tid", CLONE_PARENT_SETTID),
)


def _format_clone_args(call: Call, index: int) -> str:
    f = call.parsed(index)
    raw = as_bytes(call.entry.get(call.syscall.args[index].name)) or b""
    size = call.ulong(index + 1)
    if f is None or len(raw) < min(size, CLONE_ARGS_MAX_SIZE):
        return pointer(call.ulong(index))
    flags = f["flags"]
    parts = [f"flags={format_flags(flags, 'clone3')}"]
    for key, flag in _CLONE_ARGS_BY_FLAG:
        if flags & flag:
            parts.append(f"{key}={pointer(f[key])}")
    exit_signal = f["exit_signal"]
    parts.append(f"exit_signal={format_signal(exit_signal) if exit_signal else 0}")
    parts.append(f"stack={pointer(f['stack'])}")
    parts.append(f"stack_size={hex0(f['stack_size'])}")
    if flags & CLONE_SETTLS:
        parts.append(f"tls={pointer(f['tls'])}")
    if size >= CLONE_SET_TID_END and (f["set_tid"] or f["set_tid_size"]):
        parts.append(f"set_tid={_set_tid(call, f['set_tid'], f['set_tid_size'])}, set_tid_size={f['set_tid_size']}")
    if size > CLONE_SET_TID_END and (f.get("cgroup") or flags & CLONE_INTO_CGROUP):
        parts.append(f"cgroup={f.get('cgroup', 0)}")
    extra = clone_args_extra(raw, size)
    return "{" + ", ".join([*parts, *([extra] if extra else [])]) + "}"


def _set_tid(call: Call, address: int, count: int) -> str:
    tids = as_bytes(call.entry.get("set_tid"))
    if tids is None or not 0 < count <= CLONE_SET_TID_MAX or len(tids) < 4 * count:
        return pointer(address)
    shown = [str(tid) for (tid,) in struct.iter_unpack("<i", tids[: 4 * count])]
    return format_array(address, count, shown, 4, array_limit(call))


def clone_args_extra(raw: bytes, size: int) -> str | None:
    """What follows the struct clone_args the kernel knows, when the size
    says there is more: `???` where it cannot be read, its nonzero bytes as
    `/* bytes 88..95 */ "\\x.."`, None when it is all zero."""
    if size <= CLONE_ARGS_MAX_SIZE:
        return None
    rest = raw[CLONE_ARGS_MAX_SIZE:size]
    if len(rest) < min(size, CLONE_ARGS_READ_MAX) - CLONE_ARGS_MAX_SIZE:
        return "???"
    first = next((i for i, byte in enumerate(rest) if byte), None)
    if first is None:
        return None
    last = len(rest) - next(i for i, byte in enumerate(reversed(rest)) if byte)
    start, end = CLONE_ARGS_MAX_SIZE + first, CLONE_ARGS_MAX_SIZE + last
    data = "".join(f"\\x{byte:02x}" for byte in rest[first:last])
    return f'/* bytes {start}..{end - 1} */ "{data}"'


def _format_cpuset(call: Call, index: int) -> str:
    cpus = call.parsed(index)
    return pointer(call.ulong(index)) if cpus is None else "[" + " ".join(map(str, cpus)) + "]"


def _format_stack_t(call: Call, index: int) -> str:
    f = call.parsed(index)
    if f is None:
        return pointer(call.ulong(index))
    return f"{{ss_sp={pointer(f['ss_sp'])}, ss_flags={format_flags(f['ss_flags'], 'ss')}, ss_size={f['ss_size']}}}"


def _format_sysctl_args(call: Call, index: int) -> str:
    """Its pointers as addresses: atrace does not follow them (strace shows
    the name array when it can read it; kernels since 5.5 have no _sysctl)."""
    f = call.parsed(index)
    if f is None:
        return pointer(call.ulong(index))
    return (f"{{name={pointer(f['name'])}, nlen={f['nlen']}, oldval={pointer(f['oldval'])}, "
            f"oldlenp={pointer(f['oldlenp'])}, newval={pointer(f['newval'])}, newlen={f['newlen']}}}")  # fmt: skip


NGROUPS_MAX = os.sysconf("SC_NGROUPS_MAX")


def _gid_list(bits: int, at_exit: bool) -> ArgFormatter:
    """setgroups' list (the count is the argument before it) or getgroups'
    (the count is the return value)."""

    def formatter(call: Call, index: int) -> str:
        gids = call.parsed(index)
        if gids is None or not call.args[index] or (at_exit and out_missing(call, index)):
            return pointer(call.ulong(index))
        count = call.ret if at_exit and call.ret is not None else call.c_int(index - 1)
        if not 0 <= count <= NGROUPS_MAX:
            return pointer(call.ulong(index))  # more than a process can have: not read
        invalid = (1 << bits) - 1  # (gid_t)-1
        shown = ["-1" if gid == invalid else str(gid) for gid in gids]
        return format_array(call.ulong(index), count, shown, bits // 8, array_limit(call))

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
    # An unsigned int, but -1 (let the kernel choose the entry) as -1.
    entry = f["entry_number"] if f["entry_number"] == -1 else f["entry_number"] & 0xFFFFFFFF
    flags = ", ".join(f"{key}={f[key]}" for key in keys)
    return (
        f"{{entry_number={entry}, base_addr={_hex08(f['base_addr'])}, limit={_hex08(f['limit'])}, {flags}}}"
    )


def _format_user_desc_in(call: Call, index: int) -> str:
    f = entry_parsed(call, index)
    return pointer(call.ulong(index)) if f is None else format_user_desc(f, call.arch)


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


def _format_mq_attr(call: Call, index: int) -> str:
    """struct mq_attr: its flags word in hex, the counts signed."""
    f = call.parsed(index)
    if f is None:
        return pointer(call.ulong(index))
    flags = f["mq_flags"] & (1 << 64) - 1
    # O_NONBLOCK by name; a word with other bits set, in hex.
    shown = hex0(flags) if flags & ~0o4000 else format_flags(flags, "mq_flags")
    return (f"{{mq_flags={shown}, mq_maxmsg={f['mq_maxmsg']}, "
            f"mq_msgsize={f['mq_msgsize']}, mq_curmsgs={f['mq_curmsgs']}}}")  # fmt: skip


FORMATTERS: dict[str, ArgFormatter] = {
    "mq_attr": _format_mq_attr,
    "mq_attr_out": when_written(_format_mq_attr),
    "stat": _format_stat_out,
    "statx": _format_statx_out,
    "rusage": _format_rusage,
    "fds_out": _format_fds_out,
    "rlimit": _format_rlimit,
    "rlimit_out": _format_rlimit_out,
    "utsname": _format_utsname,
    "dirents": _format_dirents,
    "open_how": _format_open_how,
    "epoll_event": _format_epoll_event,
    "epoll_events": _format_epoll_events,
    "clone_args": _format_clone_args,
    "cpuset": _format_cpuset,
    "cpuset_out": when_written(_format_cpuset),
    "stack_t": _format_stack_t,
    "sysctl_args": _format_sysctl_args,
    "stack_t_out": when_written(_format_stack_t),
    "gids_in": _gid_list(32, at_exit=False),
    "gids_out": _gid_list(32, at_exit=True),
    "gids16_in": _gid_list(16, at_exit=False),
    "gids16_out": _gid_list(16, at_exit=True),
    "offset_inout": _format_offset_inout,
    "loff": _format_loff_in,
    "statfs": when_written(_format_statfs),
    "sysinfo": when_written(_format_sysinfo),
    "rlimit_long": _format_rlimit_long,
    "rlimit_long_out": when_written(_format_rlimit_long),
    "loff_out": when_written(_format_loff),
    "user_desc_in": _format_user_desc_in,
}
