"""sendmsg, recvmsg, sendmmsg, recvmmsg: struct msghdr and its parts.

The tracer records a message as a map (atrace.tracer.decoding): the header's
raw bytes under "msghdr", and what its pointers point to under "name",
"iov" and "control" (nil when absent or unreadable).  recvmsg's entry data
is the header alone, for the msg_namelen going in.
"""

from __future__ import annotations

import ipaddress
import struct
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from ...syscalls import ARCH_I386
from ...syscalls.abi import signed
from ...syscalls.kinds import MMSGHDR
from ...tracer.readers import CONTROL_LIMIT, MAX_RECORDS
from .. import structs
from ..call import Call, array_limit, format_array, hex0, pointer
from ..fds import fd_text
from ..flags import format_constant, format_flags
from ..fmt_io import format_iovecs
from ..quoting import as_bytes, quote
from ..sockaddr import format_sockaddr
from .net import format_ucred
from .sockopts import interface_name

if TYPE_CHECKING:
    from ..text import TextOptions

_SOL_SOCKET = 1
# Control message types of SOL_SOCKET (asm-generic/socket.h).
_SCM_TYPES = {1: "SCM_RIGHTS", 2: "SCM_CREDENTIALS", 3: "SCM_SECURITY", 29: "SO_TIMESTAMP_OLD",
              35: "SO_TIMESTAMPNS_OLD", 37: "SO_TIMESTAMPING_OLD", 63: "SO_TIMESTAMP_NEW", 64: "SO_TIMESTAMPNS_NEW",
              65: "SO_TIMESTAMPING_NEW"}  # fmt: skip
_SCM_RIGHTS, _SCM_CREDENTIALS = 1, 2
_SOL_IP = 0
# Control message types of SOL_IP (linux/in.h).
# strace's table names 3 (IP_HDRINCL's number) SCM_SECURITY.
_IP_CMSG_TYPES = {1: "IP_TOS", 2: "IP_TTL", 3: "SCM_SECURITY", 6: "IP_RECVOPTS", 7: "IP_RETOPTS", 8: "IP_PKTINFO",
                  11: "IP_RECVERR", 20: "IP_ORIGDSTADDR", 23: "IP_CHECKSUM"}  # fmt: skip
_AF_NETLINK = 16


def _fds(data: bytes, arch: int, options: TextOptions, paths: Sequence[Any] = ()) -> str | None:
    """SCM_RIGHTS' fds (with -y their `paths`, as recorded): at most -s of
    them unless -v, then `...`; none shown when not even one is whole."""
    fds = [str(signed(int.from_bytes(data[i : i + 4], "little"), 32)) for i in range(0, len(data) - 3, 4)]
    if not fds:
        return None
    fds = [fd_text(fd, paths[i] if i < len(paths) else None, None, options.decode_fds) for i, fd in enumerate(fds)]
    if not options.verbose and len(fds) > options.string_limit:
        fds = [*fds[: options.string_limit], "..."]
    return "[" + ", ".join(fds) + "]"


def _time_pair(second: str, wide_abi: bool | None) -> Callable[[bytes, int, TextOptions], str | None]:
    """A timestamp: two longs of the ABI (wide_abi None) or two 64-bit fields."""

    def show(data: bytes, arch: int, options: TextOptions) -> str | None:
        fmt = "<qq" if wide_abi or (wide_abi is None and arch != ARCH_I386) else "<ii"
        if len(data) < struct.calcsize(fmt):
            return "???"  # strace's mark for a struct cut short
        sec, sub = struct.unpack_from(fmt, data)
        return f"{{tv_sec={sec}, {second}={sub}}}"

    return show


def _pktinfo(data: bytes, arch: int, options: TextOptions) -> str | None:
    if len(data) < 12:
        return None
    index = struct.unpack_from("<i", data)[0]
    spec, addr = ipaddress.IPv4Address(data[4:8]), ipaddress.IPv4Address(data[8:12])
    return f'{{ipi_ifindex={interface_name(index)}, ipi_spec_dst=inet_addr("{spec}"), ipi_addr=inet_addr("{addr}")}}'


def _bytes_list(data: bytes, arch: int, options: TextOptions) -> str | None:
    """IP options' bytes: at most -s of them unless -v, then `...`."""
    shown = [hex0(b) for b in data]
    if not options.verbose and len(shown) > options.string_limit:
        shown = [*shown[: options.string_limit], "..."]
    return "[" + ", ".join(shown) + "]" if data else None


# struct sock_extended_err (linux/errqueue.h): errno, origin, type, code, a
# pad byte, info, data; the offender's address follows.
_EXTENDED_ERR = struct.Struct("<IBBBxII")


def _recverr(data: bytes, arch: int, options: TextOptions) -> str | None:
    if len(data) < _EXTENDED_ERR.size:
        return None
    errno, origin, kind, code, info, value = _EXTENDED_ERR.unpack_from(data)
    shown = (f"{{ee_errno={errno}, ee_origin={origin}, ee_type={kind}, ee_code={code}, ee_info={info}, "
             f"ee_data={value}")  # fmt: skip
    offender = data[_EXTENDED_ERR.size :]
    return shown + (f", offender={format_sockaddr(offender, options)}}}" if len(offender) >= 2 else "}")


def _timestamping(wide_abi: bool | None) -> Callable[[bytes, int, TextOptions], str | None]:
    """SO_TIMESTAMPING's three timestamps (longs of the ABI, or 64-bit fields)."""

    def show(data: bytes, arch: int, options: TextOptions) -> str | None:
        fmt = "<qq" if wide_abi or arch != ARCH_I386 else "<ii"
        size = struct.calcsize(fmt)
        if len(data) < 3 * size:
            return "???"
        stamps = [struct.unpack_from(fmt, data, i * size) for i in range(3)]
        return "[" + ", ".join(f"{{tv_sec={sec}, tv_nsec={nsec}}}" for sec, nsec in stamps) + "]"

    return show


_CMSG_DATA: dict[tuple[int, int], Callable[[bytes, int, TextOptions], str | None]] = {
    (_SOL_SOCKET, _SCM_RIGHTS): _fds,
    (_SOL_SOCKET, _SCM_CREDENTIALS): lambda data, arch, options: format_ucred(data),
    (_SOL_SOCKET, 29): _time_pair("tv_usec", None),
    (_SOL_SOCKET, 35): _time_pair("tv_nsec", None),
    (_SOL_SOCKET, 63): _time_pair("tv_usec", True),
    (_SOL_SOCKET, 64): _time_pair("tv_nsec", True),
    (_SOL_SOCKET, 37): _timestamping(None),
    (_SOL_SOCKET, 65): _timestamping(True),
    (_SOL_IP, 11): _recverr,
    (_SOL_IP, 23): lambda data, arch, options: f"[{struct.unpack_from('<I', data)[0]}]" if len(data) >= 4 else None,
    (_SOL_IP, 1): lambda data, arch, options: f"[{hex0(data[0])}]" if data else None,
    (_SOL_IP, 2): lambda data, arch, options: f"[{struct.unpack_from('<I', data)[0]}]" if len(data) >= 4 else None,
    (_SOL_IP, 6): _bytes_list,
    (_SOL_IP, 7): _bytes_list,
    (_SOL_IP, 8): _pktinfo,
    (_SOL_IP, 20): lambda data, arch, options: format_sockaddr(data, options),
}


def _cmsg_data(level: int, kind: int, data: bytes, arch: int, options: TextOptions) -> str | None:
    """The data of a control message; None when strace leaves it out."""
    decoder = _CMSG_DATA.get((level, kind))
    if decoder is not None:
        return decoder(data, arch, options)
    return quote(data, options.string_limit, options.hex_strings)


def _cmsg_type(level: int, kind: int) -> str:
    """The type by its level's names, an unknown one in hex (an unsigned int)."""
    kind &= 0xFFFFFFFF
    if level == _SOL_SOCKET:
        return _SCM_TYPES.get(kind, f"{kind:#x} /* SCM_??? */")
    if level == _SOL_IP:
        return _IP_CMSG_TYPES.get(kind, f"{kind:#x} /* IP_??? */")
    return hex0(kind)


def _control(raw: bytes, controllen: int, arch: int, options: TextOptions, addr: int = 0,
             rights_paths: Sequence[Any] = ()) -> str | None:  # fmt: skip
    """The control messages; None (the address) when the buffer cannot hold
    a header or was not read whole; `...` after them when the tracer read
    less than msg_controllen (CONTROL_LIMIT), `... /* address */` where the
    bytes left after them are too few for a header (or follow a cmsg_len
    shorter than one), as strace shows them."""
    header, align = (12, 4) if arch == ARCH_I386 else (16, 8)
    if len(raw) < header or len(raw) < min(controllen, CONTROL_LIMIT):
        return None
    shown = []
    offset = rights = 0
    for c in structs.cmsgs(raw, arch):
        length = c["cmsg_len"]
        offset += (length + align - 1) // align * align if length > header else header
        level, kind = c["cmsg_level"], c["cmsg_type"]
        # No data bytes (cmsg_len or the buffer ends with the header): none shown.
        if (level, kind) == (_SOL_SOCKET, _SCM_RIGHTS) and c["cmsg_data"]:
            # -y: the paths recorded for all the messages' fds, in order.
            data = _fds(c["cmsg_data"], arch, options, rights_paths[rights:])
            rights += len(c["cmsg_data"]) // 4
        else:
            data = _cmsg_data(level, kind, c["cmsg_data"], arch, options) if c["cmsg_data"] else None
        tail = "}" if data is None else f", cmsg_data={data}}}"
        shown.append(f"{{cmsg_len={c['cmsg_len']}, cmsg_level={format_constant(level, 'sol')}, "
                     f"cmsg_type={_cmsg_type(level, kind)}" + tail)  # fmt: skip
    if len(raw) < controllen:
        shown.append("...")
    elif offset < controllen:
        shown.append(f"... /* {pointer(addr + offset)} */")
    return "[" + ", ".join(shown) + "]"


def format_msghdr(
    value: dict[str, Any],
    arch: int,
    options: TextOptions,
    namelen_in: int | None = None,
    received: int | None = None,
    netlink: Any = None,
    rights_paths: Any = None,
) -> str | None:
    """A message as strace shows it; `namelen_in` is recvmsg's msg_namelen
    going in, shown as `in => out` when the kernel changed it; `received` the
    bytes a receive filled in the buffers."""
    header = as_bytes(value.get("msghdr"))
    fields = structs.msghdr(header, arch) if header is not None else None
    if fields is None:
        return None
    name = as_bytes(value.get("name"))
    namelen = fields["msg_namelen"]
    if name is not None:
        # Only the smaller of the lengths passed in and written back is
        # shown; less than a family, the address.
        name = name[: max(0, min(namelen, namelen if namelen_in is None else namelen_in))]
    if not fields["msg_name"]:
        name_text = "NULL"
    else:
        name_text = format_sockaddr(name, options) if name and len(name) >= 2 else pointer(fields["msg_name"])
    namelen_text = str(namelen) if namelen_in in (None, namelen) else f"{namelen_in} => {namelen}"
    iov = value.get("iov")
    iov_text = format_iovecs(iov, options, received) if iov is not None else pointer(fields["msg_iov"])
    if name and len(name) >= 2 and name[0] | name[1] << 8 == _AF_NETLINK and iov is not None:
        # As strace: buffers sent to or received from a netlink address
        # are netlink messages (`netlink`: what the tracer recorded).
        iov_text = netlink_iovecs(netlink, iov, options, received) or iov_text
    parts = [f"msg_name={name_text}", f"msg_namelen={namelen_text}",
             f"msg_iov={iov_text}",
             f"msg_iovlen={fields['msg_iovlen']}"]  # fmt: skip
    if fields["msg_controllen"]:
        # strace leaves msg_control out when there is no control data.
        control = as_bytes(value.get("control"))
        paths = rights_paths if isinstance(rights_paths, list) else []
        shown = (_control(control, fields["msg_controllen"], arch, options, fields["msg_control"], paths)
                 if control else None)  # fmt: skip
        shown = shown or pointer(fields["msg_control"])
        parts.append(f"msg_control={shown}")
    parts.append(f"msg_controllen={fields['msg_controllen']}")
    parts.append(f"msg_flags={format_flags(fields['msg_flags'], 'msg')}")
    return "{" + ", ".join(parts) + "}"


def netlink_iovecs(netlink: Any, iov: list[Any], options: TextOptions, received: int | None) -> str | None:
    """The iovecs of a message on a netlink socket, decoded as netlink messages."""
    if not isinstance(netlink, (list, tuple)) or len(netlink) != 2 or not isinstance(netlink[0], int):
        return None
    lengths = [int(item[1]) for item in iov]
    from ..netlink import decode_iovecs  # on first use: ~1/3 of the renderer's import time

    return decode_iovecs(
        netlink[0], netlink[1], lengths, options.string_limit, options.hex_strings, received, not options.verbose
    )


def _sendmsg(call: Call) -> list[str | None]:
    value = call.entry.get(call.syscall.args[1].name)
    netlink = call.entry.get("netlink")
    paths = call.entry.get("msg_rights_paths")
    shown = (format_msghdr(value, call.arch, call.options, netlink=netlink, rights_paths=paths)
             if isinstance(value, dict) else None)  # fmt: skip
    return [call.fmt(0), shown or pointer(call.ulong(1)), format_flags(call.ulong(2) & 0xFFFFFFFF, "msg")]


def _namelen_in(call: Call) -> int | None:
    header = as_bytes(call.entry.get(call.syscall.args[1].name))
    fields = structs.msghdr(header, call.arch) if header is not None else None
    return None if fields is None else int(fields["msg_namelen"])


def _recvmsg(call: Call) -> list[str | None]:
    namelen_in = _namelen_in(call)
    value = (call.exit or {}).get(call.syscall.args[1].name)
    if call.succeeded() and isinstance(value, dict):
        exit_ = call.exit or {}
        shown = format_msghdr(value, call.arch, call.options, namelen_in, call.ret, exit_.get("netlink"),
                              exit_.get("msg_rights_paths"))  # fmt: skip
    elif namelen_in is not None:
        # Failed: strace shows only what went in that it reads at entry.
        shown = f"{{msg_namelen={namelen_in}}}"
    else:
        shown = None
    return [call.fmt(0), shown or pointer(call.ulong(1)), format_flags(call.ulong(2) & 0xFFFFFFFF, "msg")]


def _namelens_in(call: Call) -> list[int]:
    """recvmmsg: each entry's msg_namelen going in (read at entry)."""
    raw = as_bytes(call.entry.get(call.syscall.args[1].name))
    if raw is None:
        return []
    size = MMSGHDR.size(call.arch)
    heads = (structs.msghdr(raw[offset : offset + size], call.arch) for offset in range(0, len(raw) - size + 1, size))
    return [int(fields["msg_namelen"]) for fields in heads if fields is not None]


def _mmsgs(call: Call) -> str:
    """The vector: what was handled (with each msg_len) once the call
    succeeded; a failed sendmmsg's as it was sent."""
    written = (call.exit or {}).get(call.syscall.args[1].name)
    sent = call.name == "sendmmsg"
    handled: list[Any] = written if call.succeeded() and isinstance(written, list) else []
    value: list[Any]
    as_sent = call.entry.get(call.syscall.args[1].name)
    if sent and call.exit is not None and isinstance(as_sent, list):
        # The vector as sent (as much of it as was read), each handled one with its msg_len.
        value, count = as_sent, call.ulong(2) & 0xFFFFFFFF
    elif handled:
        value, count = handled, len(handled)
    else:
        return pointer(call.ulong(1))
    namelens = _namelens_in(call) if not sent else []
    shown = []
    for index, entry in enumerate(value):
        if not isinstance(entry, dict):
            break
        received = entry.get("msg_len") if not sent else None
        namelen_in = namelens[index] if index < len(namelens) else None
        header = format_msghdr(entry, call.arch, call.options, namelen_in, received)
        if header is None:
            break
        done = handled[index] if index < len(handled) else None
        tail = f", msg_len={done['msg_len']}" if isinstance(done, dict) and "msg_len" in done else ""
        shown.append(f"{{msg_hdr={header}{tail}}}")
    # The tracer reads at most MAX_RECORDS entries: past them, `...` as after -s.
    text = format_array(call.ulong(1), min(count, MAX_RECORDS), shown, MMSGHDR.size(call.arch), array_limit(call))
    past = count > MAX_RECORDS and len(shown) == MAX_RECORDS and not text.endswith("...]")
    return text[:-1] + ", ...]" if past else text


def _mmsg(call: Call) -> list[str | None]:
    """sendmmsg(fd, msgvec, vlen, flags), recvmmsg(..., flags, timeout)."""
    parts: list[str | None] = call.all()
    parts[1] = _mmsgs(call)
    parts[3] = format_flags(call.ulong(3) & 0xFFFFFFFF, "msg")
    return parts


CALLS: dict[str, Callable[[Call], list[str | None]]] = {
    "sendmsg": _sendmsg,
    "recvmsg": _recvmsg,
    "sendmmsg": _mmsg,
    "recvmmsg": _mmsg,
    "recvmmsg_time64": _mmsg,
}
RETURNS: dict[str, Callable[[Call], str | None]] = {}
SPLITS: dict[str, int] = {}
SPLIT_BY_CALL: dict[str, Callable[[Call], int]] = {}
