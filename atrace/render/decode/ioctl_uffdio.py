"""userfaultfd ioctls as strace shows them: the request at entry, then the
fields the kernel fills (features and ioctls, the bytes copied or zeroed)
once it succeeded.  What the tracer copies comes from
atrace.syscalls.ioctl_uffdio."""

from __future__ import annotations

import struct
from collections.abc import Callable

from ..call import Call, hex0
from ..flags import FlagTable, format_table_flags

_FEATURES: FlagTable = [(1 << bit, f"UFFD_FEATURE_{name}") for bit, name in enumerate(
    ("PAGEFAULT_FLAG_WP", "EVENT_FORK", "EVENT_REMAP", "EVENT_REMOVE", "MISSING_HUGETLBFS", "MISSING_SHMEM",
     "EVENT_UNMAP", "SIGBUS", "THREAD_ID", "MINOR_HUGETLBFS", "MINOR_SHMEM", "EXACT_ADDRESS",
     "WP_HUGETLBFS_SHMEM"))]  # fmt: skip
_API_IOCTLS: FlagTable = [(1 << 0x00, "1<<_UFFDIO_REGISTER"), (1 << 0x01, "1<<_UFFDIO_UNREGISTER"),
                          (1 << 0x3F, "1<<_UFFDIO_API")]  # fmt: skip
_RANGE_IOCTLS: FlagTable = [(1 << 0x02, "1<<_UFFDIO_WAKE"), (1 << 0x03, "1<<_UFFDIO_COPY"),
                            (1 << 0x04, "1<<_UFFDIO_ZEROPAGE"), (1 << 0x06, "1<<_UFFDIO_WRITEPROTECT"),
                            (1 << 0x07, "1<<_UFFDIO_CONTINUE")]  # fmt: skip
_REGISTER_MODES: FlagTable = [(1, "UFFDIO_REGISTER_MODE_MISSING"), (2, "UFFDIO_REGISTER_MODE_WP"),
                              (4, "UFFDIO_REGISTER_MODE_MINOR")]  # fmt: skip
_COPY_MODES: FlagTable = [(1, "UFFDIO_COPY_MODE_DONTWAKE"), (2, "UFFDIO_COPY_MODE_WP")]
_ZEROPAGE_MODES: FlagTable = [(1, "UFFDIO_ZEROPAGE_MODE_DONTWAKE")]


def _words(raw: bytes, count: int) -> tuple[int, ...]:
    return struct.unpack_from(f"<{count}Q", raw)


def _back(call: Call, size: int) -> tuple[int, ...] | None:
    """The struct as the kernel left it, once the call succeeded."""
    raw = (call.exit or {}).get(call.syscall.args[2].name) if call.succeeded() else None
    return _words(bytes(raw), size // 8) if raw is not None and len(raw) >= size else None


def _range(start: int, length: int) -> str:
    return f"{{start={hex0(start)}, len={hex0(length)}}}"


def _api(raw: bytes, call: Call) -> str | None:
    if len(raw) < 24:
        return None
    api, features, _ = _words(raw, 3)
    text = f"{{api={hex0(api)}, features={format_table_flags(features, _FEATURES, 'UFFD_FEATURE_???')}"
    back = _back(call, 24)
    if back is not None:
        if back[1] != features:
            text += f" => features={format_table_flags(back[1], _FEATURES, 'UFFD_FEATURE_???')}"
        text += f", ioctls={format_table_flags(back[2], _API_IOCTLS, '_UFFDIO_???')}"
    return text + "}"


def _register(raw: bytes, call: Call) -> str | None:
    if len(raw) < 32:
        return None
    start, length, mode, _ = _words(raw, 4)
    text = f"{{range={_range(start, length)}, mode="
    text += format_table_flags(mode, _REGISTER_MODES, "UFFDIO_REGISTER_MODE_???")
    back = _back(call, 32)
    if back is not None:
        text += f", ioctls={format_table_flags(back[3], _RANGE_IOCTLS, 'UFFDIO_???')}"
    return text + "}"


def _plain_range(raw: bytes, call: Call) -> str | None:
    return _range(*_words(raw, 2)) if len(raw) >= 16 else None


def _copy(raw: bytes, call: Call) -> str | None:
    if len(raw) < 40:
        return None
    dst, src, length, mode, _ = _words(raw, 5)
    text = (f"{{dst={hex0(dst)}, src={hex0(src)}, len={hex0(length)}, "
            f"mode={format_table_flags(mode, _COPY_MODES, 'UFFDIO_COPY_???')}")  # fmt: skip
    back = _back(call, 40)
    return text + (f", copy={hex0(back[4])}" if back is not None else "") + "}"


def _zeropage(raw: bytes, call: Call) -> str | None:
    if len(raw) < 32:
        return None
    start, length, mode, _ = _words(raw, 4)
    text = f"{{range={_range(start, length)}, mode={format_table_flags(mode, _ZEROPAGE_MODES, 'UFFDIO_ZEROPAGE_???')}"
    back = _back(call, 32)
    return text + (f", zeropage={hex0(back[3])}" if back is not None else "") + "}"


SHAPES: dict[str, Callable[[bytes, Call], str | None]] = {
    "uffdio_api": _api,
    "uffdio_register": _register,
    "uffdio_range": _plain_range,
    "uffdio_copy": _copy,
    "uffdio_zeropage": _zeropage,
}
FORMS: dict[int, str | Callable[[Call], str]] = {}
