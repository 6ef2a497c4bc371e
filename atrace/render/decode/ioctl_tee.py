"""TEE ioctls (linux/tee.h) as strace prints them: the session and shared
memory structs, and for the session and supplicant requests the argument
struct and parameters their struct tee_ioctl_buf_data points to, shown
only when buf_len is exactly the struct and its num_params parameters
(else buf_len and buf_ptr as numbers); what the kernel wrote back follows
` => ` once the call succeeded.  What is read: atrace.syscalls.ioctl_tee."""

from __future__ import annotations

from collections.abc import Callable
from struct import calcsize
from typing import Any, NamedTuple

from ...syscalls.ioctl_tee import (
    BUF_DATA,
    INVOKE,
    OPEN_SESSION,
    SUPPL_RECV,
    SUPPL_SEND,
)
from ..call import Call, hex0
from ..fds import fd_text
from ..flags import FlagTable
from .ioctl_common import ShapeFormatter, arg_data, both, code_name, fields, flag_names, struct_text

_PARAM = 32  # struct tee_ioctl_param: u64 attr, a, b, c
_TYPE_MASK, _META = 0xFF, 0x100
_TYPES = {0: "TEE_IOCTL_PARAM_ATTR_TYPE_NONE", 1: "TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_INPUT",
          2: "TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_OUTPUT", 3: "TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_INOUT",
          5: "TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_INPUT", 6: "TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_OUTPUT",
          7: "TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_INOUT"}  # fmt: skip
_MEMREFS = frozenset({5, 6, 7})
_LOGINS = {0: "TEE_IOCTL_LOGIN_PUBLIC", 1: "TEE_IOCTL_LOGIN_USER", 2: "TEE_IOCTL_LOGIN_GROUP",
           4: "TEE_IOCTL_LOGIN_APPLICATION", 5: "TEE_IOCTL_LOGIN_USER_APPLICATION",
           6: "TEE_IOCTL_LOGIN_GROUP_APPLICATION"}  # fmt: skip
# The logins whose clnt_uuid holds a gid; the other named ones have none.
_GROUP_LOGINS = frozenset({2, 6})
_ORIGINS = {1: "TEEC_ORIGIN_API", 2: "TEEC_ORIGIN_COMMS", 3: "TEEC_ORIGIN_TEE", 4: "TEEC_ORIGIN_TRUSTED_APP"}
_IMPL_IDS = {1: "TEE_IMPL_ID_OPTEE", 2: "TEE_IMPL_ID_AMDTEE"}
_OPTEE = 1
_GEN_CAPS: FlagTable = [(1, "TEE_GEN_CAP_GP"), (2, "TEE_GEN_CAP_PRIVILEGED"), (4, "TEE_GEN_CAP_REG_MEM"),
                        (8, "TEE_GEN_CAP_MEMREF_NULL")]  # fmt: skip
_OPTEE_CAPS: FlagTable = [(1, "TEE_OPTEE_CAP_TZ")]
_SHM_FLAGS: FlagTable = [(1, "TEE_IOCTL_SHM_MAPPED"), (2, "TEE_IOCTL_SHM_DMA_BUF")]


def _uuid(raw: bytes) -> str:
    text = raw.hex()
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:32]}"


def _param(raw: bytes, offset: int) -> str:
    attr, a, b, c = fields("4Q", raw, offset) or (0, 0, 0, 0)
    kind = attr & _TYPE_MASK
    text = code_name(kind, _TYPES, "TEE_IOCTL_PARAM_ATTR_TYPE_???")
    if attr & _META:  # strace names it whatever -X says
        text += "|TEE_IOCTL_PARAM_ATTR_META"
    if attr & ~(_TYPE_MASK | _META):
        text += f"|{attr & ~(_TYPE_MASK | _META):#x}"
    if kind == 0:
        return f"{{attr={text}}}"
    if kind in _MEMREFS:
        return f"{{attr={text}, shm_offs={hex0(a)}, size={hex0(b)}, shm_id={c}}}"
    return f"{{attr={text}, a={hex0(a)}, b={hex0(b)}, c={hex0(c)}}}"


class _Args(NamedTuple):
    """An argument struct behind buf_ptr: its size, its layout (ending
    with num_params) and how its fields show going in and coming back."""

    size: int
    layout: str
    entry: Callable[[tuple[Any, ...]], list[str]]
    answer: Callable[[tuple[Any, ...]], list[str]]


def _login(values: tuple[Any, ...]) -> list[str]:
    """uuid, clnt_login and, for a group login its gid, for an unknown one
    all of clnt_uuid's bytes."""
    uuid, clnt_uuid, login = values[0], values[1], values[2]
    parts = [f"uuid={_uuid(uuid)}", f"clnt_login={code_name(login, _LOGINS, 'TEE_IOCTL_LOGIN_???')}"]
    if login in _GROUP_LOGINS:
        parts.append(f"clnt_uuid={int.from_bytes(clnt_uuid[:4], 'little')}")
    elif login not in _LOGINS:
        parts.append("clnt_uuid=[" + ", ".join(hex0(byte) for byte in clnt_uuid) + "]")
    return parts


def _origin(value: int) -> str:
    return code_name(value, _ORIGINS, "TEEC_ORIGIN_???")


_ARGS: dict[int, _Args] = {
    # func, session, cancel_id, ret, ret_origin, num_params
    INVOKE: _Args(24, "6I", lambda v: [f"func={v[0]}", f"session={hex0(v[1])}", f"cancel_id={v[2]}"],
                  lambda v: [f"ret={v[3]}", f"ret_origin={_origin(v[4])}"]),
    # uuid, clnt_uuid, clnt_login, cancel_id, session, ret, ret_origin, num_params
    OPEN_SESSION: _Args(56, "16s16s6I", lambda v: [*_login(v), f"cancel_id={v[3]}"],
                        lambda v: [f"session={hex0(v[4])}", f"ret={v[5]}", f"ret_origin={_origin(v[6])}"]),
    SUPPL_RECV: _Args(8, "2I", lambda v: [f"func={v[0]}"], lambda v: [f"num_params={v[1]}"]),  # func, num_params
    SUPPL_SEND: _Args(8, "2I", lambda v: [], lambda v: [f"ret={v[0]}"]),  # ret, num_params
}  # fmt: skip


def _args(request: int, raw: bytes, going_in: bool) -> str | None:
    """The struct behind buf_ptr and its parameters; None unless buf_len
    (raw's second u64) is exactly what num_params says and all was read."""
    spec = _ARGS[request]
    length = fields("8xQ", raw)
    values = fields(spec.layout, raw, BUF_DATA)
    if length is None or values is None:
        return None
    count = values[-1]
    if length[0] != spec.size + count * _PARAM or len(raw) < BUF_DATA + length[0]:
        return None
    params = ", ".join(_param(raw, BUF_DATA + spec.size + i * _PARAM) for i in range(count))
    head = [*spec.entry(values), f"num_params={count}"] if going_in else spec.answer(values)
    return struct_text([*head, f"params=[{params}]"])


def _buffer(call: Call, request: int) -> str | None:
    sent = arg_data(call, "in")
    numbers = fields("2Q", sent) if sent is not None else None
    if sent is None or numbers is None:
        return None
    pointer, length = numbers
    shown = _args(request, sent, True)
    if shown is None:
        return f"{{buf_len={length}, buf_ptr={hex0(pointer)}}}"
    got = arg_data(call, "out") if call.exit is not None else None
    answer = _args(request, got, False) if got is not None else None
    return f"{{buf_len={length}, buf_ptr={shown}{' => ' + answer if answer else ''}}}"


def _shm_flags(value: int) -> str:
    return flag_names(value, _SHM_FLAGS, "TEE_IOCTL_SHM_???")


def _version(call: Call, request: int) -> str | None:
    raw = arg_data(call, "out")
    values = fields("3I", raw) if raw is not None else None
    if values is None:
        return None
    impl_id, impl_caps, gen_caps = values
    caps = flag_names(impl_caps, _OPTEE_CAPS, "TEE_OPTEE_CAP_???") if impl_id == _OPTEE else hex0(impl_caps)
    return struct_text([f"impl_id={code_name(impl_id, _IMPL_IDS, 'TEE_IMPL_ID_???')}",
                        f"gen_caps={flag_names(gen_caps, _GEN_CAPS, 'TEE_GEN_CAP_???')}",
                        f"impl_caps={caps}"])  # fmt: skip


def _struct(layout: str, entry: Callable[[tuple[Any, ...]], list[str]],
            answer: Callable[[tuple[Any, ...]], list[str]] | None = None) -> ShapeFormatter:  # fmt: skip
    """A struct passed in (and, with answer, shown again once the call succeeded)."""
    size = calcsize("<" + layout)

    def entry_text(raw: bytes) -> str:
        return struct_text(entry(fields(layout, raw) or ()))

    def answer_text(raw: bytes) -> str:
        assert answer is not None
        return struct_text(answer(fields(layout, raw) or ()))

    def show(call: Call, request: int) -> str | None:
        if answer is None:
            raw = arg_data(call, "in")
            return entry_text(raw) if raw is not None and len(raw) >= size else None
        return both(call, entry_text, answer_text, size)

    return show


def _register_fd(call: Call, request: int) -> str | None:
    """SHM_REGISTER_FD: {fd, flags} going in (the fd with -y's path), {size, id} back."""
    raw = arg_data(call, "in")
    values = fields("qQI4xI4x", raw) if raw is not None else None
    if values is None:
        return None
    fd = fd_text(str(values[0]), call.entry.get("arg_fd_path"), None, call.options.decode_fds)
    text = struct_text([f"fd={fd}", f"flags={_shm_flags(values[2])}"])
    got = arg_data(call, "out") if call.exit is not None else None
    back = fields("qQI4xI4x", got) if got is not None else None
    return text + (f" => {{size={hex0(back[1])}, id={back[3]}}}" if back is not None else "")


SHAPES: dict[str, ShapeFormatter] = {
    "tee_buf": _buffer,
    "tee_version": _version,
    "tee_cancel": _struct("II", lambda v: [f"cancel_id={v[0]}", f"session={hex0(v[1])}"]),
    "tee_close_session": _struct("I", lambda v: [f"session={hex0(v[0])}"]),
    "tee_shm_alloc": _struct("QIi", lambda v: [f"size={hex0(v[0])}", f"flags={_shm_flags(v[1])}"],
                             lambda v: [f"size={hex0(v[0])}", f"flags={_shm_flags(v[1])}", f"id={v[2]}"]),
    "tee_shm_register": _struct("QQIi", lambda v: [f"addr={hex0(v[0])}", f"length={hex0(v[1])}",
                                                   f"flags={_shm_flags(v[2])}"],
                                lambda v: [f"length={hex0(v[1])}", f"flags={_shm_flags(v[2])}", f"id={v[3]}"]),
    "tee_shm_register_fd": _register_fd,
}  # fmt: skip
