"""Loop devices' ioctls (linux/loop.h) as strace prints them: struct
loop_info, loop_info64 and loop_config, abbreviated unless -v (the
encryption fields shown when a cipher is set).  What is read:
atrace.syscalls.ioctl_loop."""

from __future__ import annotations

from ...syscalls.ioctl_loop import LOOP_CONFIG, LOOP_INFO, LOOP_INFO64
from ..call import Call
from ..flags import FlagTable, format_dev, number
from ..quoting import quote
from .ioctl_common import ShapeFormatter, arg_data, code_name, cstring, fd_argument, fields, flag_names, phase_of

_FLAGS: FlagTable = [(1, "LO_FLAGS_READ_ONLY"), (2, "LO_FLAGS_USE_AOPS"), (4, "LO_FLAGS_AUTOCLEAR"),
                     (8, "LO_FLAGS_PARTSCAN"), (16, "LO_FLAGS_DIRECT_IO")]  # fmt: skip
_CRYPT = dict(enumerate(("LO_CRYPT_NONE", "LO_CRYPT_XOR", "LO_CRYPT_DES", "LO_CRYPT_FISH2", "LO_CRYPT_BLOW",
                         "LO_CRYPT_CAST128", "LO_CRYPT_IDEA")))  # fmt: skip
_CRYPT.update({9: "LO_CRYPT_DUMMY", 10: "LO_CRYPT_SKIPJACK", 18: "LO_CRYPT_CRYPTOAPI"})
_KEY_SIZE = 32


def _key(raw: bytes, size: int, call: Call) -> str:
    """lo_encrypt_key: as many bytes as lo_encrypt_key_size says (at most 32)."""
    return quote(raw[: min(size & 0xFFFFFFFF, _KEY_SIZE)], _KEY_SIZE, call.options.hex_strings, cut=False)


def _hex_array(values: tuple[int, ...] | list[int]) -> str:
    return "[" + ", ".join(number(v) for v in values) + "]"


def _loop_info(call: Call, request: int) -> str | None:
    raw = arg_data(call, phase_of(request))
    values = fields("i4xQQQiiii", raw) if raw is not None and len(raw) >= LOOP_INFO else None
    if raw is None or values is None:
        return None
    number_, device, inode, rdevice, offset, crypt, key_size, flags = values
    full, crypted = not call.abbreviated, crypt != 0
    parts = [f"lo_number={number_}"]
    if full:
        parts += [f"lo_device={format_dev(device)}", f"lo_inode={inode}", f"lo_rdevice={format_dev(rdevice)}"]
    parts.append(f"lo_offset={number(offset & 0xFFFFFFFF)}")
    if full or crypted:
        parts += [f"lo_encrypt_type={code_name(crypt, _CRYPT, 'LO_CRYPT_???')}",
                  f"lo_encrypt_key_size={key_size & 0xFFFFFFFF}"]  # fmt: skip
    parts += [f"lo_flags={flag_names(flags & 0xFFFFFFFF, _FLAGS, 'LO_FLAGS_???')}",
              f"lo_name={cstring(raw[48:112], call)}"]  # fmt: skip
    if full or crypted:
        parts.append(f"lo_encrypt_key={_key(raw[112:144], key_size, call)}")
    if full:
        parts += [f"lo_init={_hex_array(fields('2Q', raw, 144) or ())}", f"reserved={_hex_array(list(raw[160:164]))}"]
    else:
        parts.append("...")
    return "{" + ", ".join(parts) + "}"


def _info64(raw: bytes, call: Call) -> str:
    device, inode, rdevice, offset, sizelimit, number_, crypt, key_size, flags = fields("5Q4I", raw) or (0,) * 9
    full, crypted = not call.abbreviated, crypt != 0
    if full:
        parts = [f"lo_device={format_dev(device)}", f"lo_inode={inode}", f"lo_rdevice={format_dev(rdevice)}",
                 f"lo_offset={number(offset)}", f"lo_sizelimit={sizelimit}", f"lo_number={number_}"]  # fmt: skip
    else:
        parts = [f"lo_offset={number(offset)}", f"lo_number={number_}"]
    if full or crypted:
        parts += [f"lo_encrypt_type={code_name(crypt, _CRYPT, 'LO_CRYPT_???')}", f"lo_encrypt_key_size={key_size}"]
    parts += [f"lo_flags={flag_names(flags, _FLAGS, 'LO_FLAGS_???')}", f"lo_file_name={cstring(raw[56:120], call)}"]
    if full or crypted:
        parts += [f"lo_crypt_name={cstring(raw[120:184], call)}",
                  f"lo_encrypt_key={_key(raw[184:216], key_size, call)}"]  # fmt: skip
    parts.append(f"lo_init={_hex_array(fields('2Q', raw, 216) or ())}" if full else "...")
    return "{" + ", ".join(parts) + "}"


def _loop_info64(call: Call, request: int) -> str | None:
    raw = arg_data(call, phase_of(request))
    return None if raw is None or len(raw) < LOOP_INFO64 else _info64(raw, call)


def _loop_config(call: Call, request: int) -> str | None:
    raw = arg_data(call, "in")
    if raw is None or len(raw) < LOOP_CONFIG:
        return None
    fd, block_size = fields("iI", raw) or (0, 0)
    reserved = list(fields("8Q", raw, 240) or ())
    parts = [f"fd={fd}", f"block_size={block_size}", f"info={_info64(raw[8:240], call)}"]
    if any(reserved):
        parts.append(f"__reserved={_hex_array(reserved)}")
    return "{" + ", ".join(parts) + "}"


SHAPES: dict[str, ShapeFormatter] = {
    "loop_info": _loop_info,
    "loop_info64": _loop_info64,
    "loop_config": _loop_config,
    "loop_fd": fd_argument,
    "loop_int_value": lambda call, request: str(call.c_int(2)),
    "loop_ulong_value": lambda call, request: str(call.ulong(2)),
}
