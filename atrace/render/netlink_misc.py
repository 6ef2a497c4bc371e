"""Payloads of the smaller netlink protocols: SELinux notifications, the
kernel's uevents (libudev's header), generic netlink's family ids."""

from __future__ import annotations

import socket
import struct
from functools import cache

from .netlink_core import AttrDecoder, Header, Mem, cstring, hexstr, nlattrs, xval
from .netlink_rtattr import attr_set
from .netlink_values import Field, fld, nla_strn, struct_attr, struct_text, u, u32, x
from .quoting import quote

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


def char_array(raw: bytes) -> str:
    """A fixed char array (strace's PRINT_FIELD_CSTRING): up to its NUL, or
    all but its last byte and `...` when no NUL ends it in time."""
    head, nul, _ = raw[: len(raw) - 1].partition(b"\0")
    more = not nul and raw[-1:] != b"\0"
    return quote(head, len(head), cut=False) + ("..." if more else "")


def _report(layout: str, fields_: tuple[Field | None, ...]) -> AttrDecoder:
    """A crypto report struct; a shorter one is shown as a string."""
    decode = struct_attr(layout, fields_)
    size = struct.calcsize(layout)

    def report(mem: Mem, off: int, length: int, opaque: object) -> str | None:
        return decode(mem, off, length, opaque) if length >= size else nla_strn(mem, off, length, opaque)

    return report


def _generic_report(mem: Mem, off: int, length: int, opaque: object) -> str | None:
    return f"{{type={cstring(mem, off, length)}}}"


_TYPE = fld("type", char_array)  # type: ignore[arg-type]
_GENIV = fld("geniv", char_array)  # type: ignore[arg-type]
CRYPTO_ATTRS = attr_set("crypto_nl_attrs", "CRYPTOCFGA_???", {
    "CRYPTOCFGA_PRIORITY_VAL": u32,
    **dict.fromkeys(("CRYPTOCFGA_REPORT_LARVAL", "CRYPTOCFGA_REPORT_COMPRESS", "CRYPTOCFGA_REPORT_AKCIPHER",
                     "CRYPTOCFGA_REPORT_KPP", "CRYPTOCFGA_REPORT_ACOMP"), _generic_report),
    "CRYPTOCFGA_REPORT_HASH": _report("<64sII", (_TYPE, fld("blocksize", u), fld("digestsize", u))),
    "CRYPTOCFGA_REPORT_BLKCIPHER": _report("<64s64sIIII", (_TYPE, _GENIV, fld("blocksize", u),
                                                           fld("min_keysize", u), fld("max_keysize", u),
                                                           fld("ivsize", u))),
    "CRYPTOCFGA_REPORT_AEAD": _report("<64s64sIII", (_TYPE, _GENIV, fld("blocksize", u), fld("maxauthsize", u),
                                                     fld("ivsize", u))),
    "CRYPTOCFGA_REPORT_RNG": _report("<64sI", (_TYPE, fld("seedsize", u))),
    "CRYPTOCFGA_REPORT_CIPHER": _report("<64sIII", (_TYPE, fld("blocksize", u), fld("min_keysize", u),
                                                    fld("max_keysize", u))),
})  # fmt: skip
_ALG = struct.Struct("<64s64s64sIIII")
_ALG_FIELDS: tuple[Field | None, ...] = (
    fld("cru_name", char_array), fld("cru_driver_name", char_array),  # type: ignore[arg-type]
    fld("cru_module_name", char_array), fld("cru_type", x), fld("cru_mask", x),  # type: ignore[arg-type]
    fld("cru_refcnt", u), fld("cru_flags", x))
CRYPTO_MSG_NEWALG, CRYPTO_MSG_GETALG = 0x10, 0x13


def crypto_payload(mem: Mem, hdr: Header, off: int, length: int) -> str | None:
    """struct crypto_user_alg and its attributes (new, delete, update, get)."""
    if not CRYPTO_MSG_NEWALG <= hdr.type <= CRYPTO_MSG_GETALG:
        return None
    if length < _ALG.size:
        return nla_strn(mem, off, length, None)
    values = mem.unpack(_ALG, off)
    if values is None:
        return mem.addr(off)
    text = struct_text(_ALG_FIELDS, values)
    if length > _ALG.size:
        text += ", " + nlattrs(mem, off + _ALG.size, length - _ALG.size, CRYPTO_ATTRS)
    return text
