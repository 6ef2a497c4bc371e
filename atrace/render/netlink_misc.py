"""Payloads of the smaller netlink protocols: SELinux notifications, the
kernel's uevents (libudev's header), generic netlink's family ids."""

from __future__ import annotations

import socket
import struct
from functools import cache

from .netlink_core import Header, Mem, hexstr, xval
from .netlink_values import nla_strn

SELNL_MSG_SETENFORCE, SELNL_MSG_POLICYLOAD = 0x10, 0x11


def selinux_payload(mem: Mem, hdr: Header, off: int, length: int) -> str | None:
    field = {SELNL_MSG_SETENFORCE: ("val", "<i"), SELNL_MSG_POLICYLOAD: ("seqno", "<I")}.get(hdr.type)
    if field is None:
        return None
    if length < 4:
        return hexstr(mem, off, length)
    value = mem.unpack(field[1], off)
    return mem.addr(off) if value is None else f"{{{field[0]}={value[0]}}}"


# struct udev_monitor_netlink_header: prefix[8], magic, header_size,
# properties_off, properties_len, then four hashes, in network order where
# strace shows htonl().
_UDEV = struct.Struct("<8s8I")
_UDEV_FIELDS = ("magic", "header_size", "properties_off", "properties_len", "filter_subsystem_hash",
                "filter_devtype_hash", "filter_tag_bloom_hi", "filter_tag_bloom_lo")  # fmt: skip
_HTONL = frozenset({"magic", "filter_subsystem_hash", "filter_devtype_hash", "filter_tag_bloom_hi",
                    "filter_tag_bloom_lo"})  # fmt: skip


def kobject_uevent(mem: Mem, length: int) -> str:
    """A uevent: libudev's header, then its properties as a string; a kernel
    uevent (no header) as a string."""
    values = mem.unpack(_UDEV, 0) if length >= _UDEV.size and mem.base else None
    if values is None or values[0].split(b"\0", 1)[0] != b"libudev":
        return nla_strn(mem, 0, length, None) or ""
    shown = ['prefix="libudev"']
    for name, value in zip(_UDEV_FIELDS, values[1:], strict=True):
        if name in _HTONL:
            value = int.from_bytes(value.to_bytes(4, "little"), "big")
            shown.append(f"{name}=htonl({hex(value) if value else '0'})")
        else:
            shown.append(f"{name}={value}")
    head = "{" + ", ".join(shown) + "}"
    if length > _UDEV.size:
        return f"[{head}, {nla_strn(mem, _UDEV.size, length - _UDEV.size, None)}]"
    return head


GENL_ID_CTRL = 0x10
_NETLINK_GENERIC = 16


@cache
def genl_families() -> dict[int, str]:
    """Generic netlink family ids and names as this machine's kernel has them
    (asked once, as strace does): the ids are given out at registration."""
    families = {GENL_ID_CTRL: "nlctrl"}
    try:
        with socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, _NETLINK_GENERIC) as sock:
            # CTRL_CMD_GETFAMILY (3), version 1, dumped.
            request = struct.pack("<IHHII", 20, GENL_ID_CTRL, 0x301, 1, 0) + bytes([3, 1, 0, 0])
            sock.settimeout(1)
            sock.send(request)
            while True:
                data = sock.recv(65536)
                done = _genl_parse(data, families)
                if done or not data:
                    break
    except OSError:
        pass
    return families


def _genl_parse(data: bytes, families: dict[int, str]) -> bool:
    """Take the id and name of each family answer; True at the dump's end."""
    off = 0
    while off + 16 <= len(data):
        length, kind = struct.unpack_from("<IH", data, off)
        if length < 16 or kind in (2, 3):  # NLMSG_ERROR, NLMSG_DONE
            return True
        attr, end = off + 20, off + length
        fid, name = None, None
        while attr + 4 <= end:
            alen, atype = struct.unpack_from("<HH", data, attr)
            if alen < 4:
                break
            if atype == 1:  # CTRL_ATTR_FAMILY_ID
                fid = struct.unpack_from("<H", data, attr + 4)[0]
            elif atype == 2:  # CTRL_ATTR_FAMILY_NAME
                name = data[attr + 4 : attr + alen].split(b"\0", 1)[0].decode(errors="replace")
            attr += (alen + 3) & ~3
        if fid is not None and name:
            families[fid] = name
        off += (length + 3) & ~3
    return False


def genl_type(kind: int) -> str:
    name = genl_families().get(kind)
    return xval(kind, None, "GENERIC_FAMILY_???") if name is None else name
