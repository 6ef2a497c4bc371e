"""Socket ioctls as strace shows them: a struct ifreq by the member the
request uses (an address, a hardware address, flags, a number, a name, a
device map), the ints FIOGETOWN/SIOCATMARK... answer or take, a bridge's
name.  What the tracer copies comes from atrace.syscalls.ioctl_sock."""

from __future__ import annotations

import struct
from collections.abc import Callable

from ...syscalls.ioctl_sock import IFREQ_SIZE
from ..call import Call, array_limit, format_array, hex0, pointer
from ..flags import CONSTANTS, styled
from ..netlink_core import xflags, xval
from ..netlink_values import ifindex
from ..quoting import quote
from ..sockaddr import format_sockaddr

_IFNAMSIZ = 16
_UNION = 16  # the union follows the name
# Bytes of a hardware address by ARPHRD_* type (the rest of sa_data is not
# the address); other types show all 14.
_HWADDR_SIZES = {0: 7, 1: 6, 3: 7, 6: 6, 772: 6, 774: 6, 801: 6, 802: 6, 803: 6}


def _name(raw: bytes) -> str:
    """A char[IFNAMSIZ]: up to its NUL; without one, cut one short with `...`."""
    field = raw[:_IFNAMSIZ]
    end = field.find(b"\0")
    return quote(field[:end], _IFNAMSIZ) if end >= 0 else quote(field[: _IFNAMSIZ - 1], _IFNAMSIZ) + "..."


def _int(raw: bytes) -> str:
    return str(struct.unpack_from("<i", raw, _UNION)[0])


def _hwaddr(raw: bytes) -> str:
    family = struct.unpack_from("<H", raw, _UNION)[0]
    data = raw[_UNION + 2 : _UNION + 16][: _HWADDR_SIZES.get(family, 14)]
    shown = styled(quote(data, len(data), 2), ":".join(f"{byte:02x}" for byte in data))
    return f"{{sa_family={xval(family, 'arp_hardware_types', 'ARPHRD_???')}, sa_data={shown}}}"


def _map(raw: bytes) -> str:
    start, end, base, irq, dma, port = struct.unpack_from("<QQHBBB", raw, _UNION)
    return (f"{{mem_start={hex0(start)}, mem_end={hex0(end)}, base_addr={hex0(base)}, irq={hex0(irq)}, "
            f"dma={hex0(dma)}, port={hex0(port)}}}")  # fmt: skip


# The union member each request uses: its field name and how it shows.
_ADDRESS = ("ADDR", "ifr_addr"), ("DSTADDR", "ifr_dstaddr"), ("BRDADDR", "ifr_broadaddr"), ("NETMASK", "ifr_netmask")
_MEMBERS: dict[str, tuple[str, Callable[[bytes, Call], str]]] = {
    **{f"SIOC{way}IF{suffix}": (field, lambda raw, call: format_sockaddr(raw[_UNION:32], call.options))
       for suffix, field in _ADDRESS for way in "SG"},
    **dict.fromkeys(("SIOCADDMULTI", "SIOCDELMULTI", "SIOCGIFHWADDR", "SIOCSIFHWADDR", "SIOCSIFHWBROADCAST"),
                    ("ifr_hwaddr", lambda raw, call: _hwaddr(raw))),
    **dict.fromkeys(("SIOCSIFFLAGS", "SIOCGIFFLAGS"), ("ifr_flags", lambda raw, call: xflags(
        struct.unpack_from("<H", raw, _UNION)[0], ("iffflags",), "IFF_???"))),
    "SIOCGIFINDEX": ("ifr_ifindex", lambda raw, call: _int(raw)),
    **dict.fromkeys(("SIOCSIFMETRIC", "SIOCGIFMETRIC"), ("ifr_metric", lambda raw, call: _int(raw))),
    **dict.fromkeys(("SIOCSIFMTU", "SIOCGIFMTU"), ("ifr_mtu", lambda raw, call: _int(raw))),
    **dict.fromkeys(("SIOCSIFTXQLEN", "SIOCGIFTXQLEN"), ("ifr_qlen", lambda raw, call: _int(raw))),
    **dict.fromkeys(("SIOCSIFSLAVE", "SIOCGIFSLAVE"), ("ifr_slave", lambda raw, call: _name(raw[_UNION:]))),
    "SIOCSIFNAME": ("ifr_newname", lambda raw, call: _name(raw[_UNION:])),
    "SIOCGIFNAME": ("ifr_name", lambda raw, call: _name(raw)),
    **dict.fromkeys(("SIOCSIFMAP", "SIOCGIFMAP"), ("ifr_map", lambda raw, call: _map(raw))),
}  # fmt: skip


def _member(raw: bytes, call: Call) -> str:
    field, show = _MEMBERS[CONSTANTS["ioctl"][call.args[1] & 0xFFFFFFFF]]
    return f"{field}={show(raw, call)}"


def _ifreq_set(raw: bytes, call: Call) -> str | None:
    return None if len(raw) < 40 else f"{{ifr_name={_name(raw)}, {_member(raw, call)}}}"


def _ifreq_get(raw: bytes, call: Call) -> str | None:
    """The name going in (SIOCGIFNAME: the index), then what the kernel filled."""
    if len(raw) < 40:
        return None
    request = call.args[1] & 0xFFFFFFFF
    text = (
        "{ifr_ifindex=" + _int(raw) if CONSTANTS["ioctl"].get(request) == "SIOCGIFNAME" else "{ifr_name=" + _name(raw)
    )
    back = (call.exit or {}).get(call.syscall.args[2].name) if call.succeeded() else None
    if back is not None and len(back) >= 40:
        text += ", " + _member(bytes(back), call)
    return text + "}"


def _ifreq_index(raw: bytes, call: Call) -> str | None:
    return None if len(raw) < 40 else f"{{ifr_ifindex={ifindex(struct.unpack_from('<i', raw, _UNION)[0])}}}"


def _bridge_name(raw: bytes, call: Call) -> str | None:
    """SIOCBRADDBR/DELBR: a name of at most IFNAMSIZ bytes."""
    field = raw[:_IFNAMSIZ]
    end = field.find(b"\0")
    if end >= 0:
        return quote(field[:end], _IFNAMSIZ)
    return quote(field, _IFNAMSIZ) + "..." if len(field) == _IFNAMSIZ else None


def _ifc_len(length: int) -> str:
    count = length // IFREQ_SIZE if length > 0 else 0
    return f"{length} /* {count} * sizeof(struct ifreq) */" if count and count * IFREQ_SIZE == length else str(length)


def _ifconf(raw: bytes, call: Call) -> str | None:
    """SIOCGIFCONF: the room given, then the room used and the interfaces
    listed (each name and address), as strace shows them."""
    if len(raw) < 16:
        return None
    length, buffer = struct.unpack_from("<i4xQ", raw)
    if call.ret is None:  # at entry, cut short by a syscall split
        return "{ifc_len=" + (_ifc_len(length) if buffer else "")
    # The struct as the kernel left it: read only after a success (a
    # failed call leaves it as it was).
    back = (call.exit or {}).get(call.syscall.args[2].name)
    back = bytes(back) if back is not None and len(back) >= 16 else raw
    new_length, new_buffer = struct.unpack_from("<i4xQ", back)
    text = "{ifc_len=" + (_ifc_len(length) if buffer else "")
    if buffer and new_length != length:
        text += " => "
    if not buffer or new_length != length:
        text += _ifc_len(new_length)
    if not buffer or not call.succeeded():
        text += f", ifc_buf={pointer(buffer)}"
        return text + (f" => {pointer(new_buffer)}}}" if new_buffer != buffer else "}")
    listed = back[16:]  # the array the tracer read after the struct
    shown = [f"{{ifr_name={_name(listed[i:])}, ifr_addr={format_sockaddr(listed[i + _UNION : i + 32], call.options)}}}"
             for i in range(0, len(listed) - IFREQ_SIZE + 1, IFREQ_SIZE)]  # fmt: skip
    count = new_length // IFREQ_SIZE if new_length > 0 else 0
    return text + f", ifc_buf={format_array(new_buffer, count, shown, IFREQ_SIZE, array_limit(call))}}}"


SHAPES: dict[str, Callable[[bytes, Call], str | None]] = {
    "ifconf": _ifconf,
    "ifreq_set": _ifreq_set,
    "ifreq_get": _ifreq_get,
    "ifreq_index": _ifreq_index,
    "bridge_name": _bridge_name,
}
FORMS: dict[int, str | Callable[[Call], str]] = {}
