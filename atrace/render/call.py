"""One syscall as the renderer sees it, and the small helpers every formatter uses.

`Call.fmt` prints an argument by its kind: the formatter is looked up in
`KIND_FORMATTERS`, which atrace.render.kinds fills from the kinds'
declarations (atrace.syscalls.kinds) when it is imported (atrace.render.text
imports it).  Formatter modules import this one, never the other way round.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..syscalls import ARCH_I386, Syscall
from ..syscalls.abi import is_error, signed
from ..syscalls.calls import NOTHING_WRITTEN_ON_ZERO
from ..syscalls.kinds import KIND
from . import structs

if TYPE_CHECKING:
    from .options import TextOptions


AT_FDCWD = -100

# The width of each kind's C type (kinds.Kind.bits); 0 is the ABI's long.
_BITS: dict[str, int] = {name: kind.bits for name, kind in KIND.items()}
# The same as masks of an argument's value, per ABI word width: `ulong` is
# on every formatter's path, so a dict lookup and an `&`.
# ("": the ABI's long, for an unknown kind or an argument past the table's.)
_MASKS_I386, _MASKS_WIDE = (
    {"": (1 << long_bits) - 1, **{name: (1 << (bits or long_bits)) - 1 for name, bits in _BITS.items()}}
    for long_bits in (32, 64)
)


def pointer(value: int) -> str:
    return "NULL" if value == 0 else hex(value)


def format_array(address: int, count: int, shown: Sequence[str], size: int, limit: int | None) -> str:
    """An array of `count` elements of `size` bytes at `address`, as strace
    prints one: `shown` are the elements that could be read, in order.
    NULL, `[]` for none, the address when not even the first is readable,
    `...` after `limit` elements (-s; None: all), and `... /* 0x... */`
    where readable memory ends."""
    if address == 0:
        return "NULL"
    if count <= 0:
        return "[]"
    if not shown:
        return hex(address)
    parts = list(shown[: min(count, limit if limit is not None else count)])
    if limit is not None and count > limit and len(shown) > limit:
        parts.append("...")  # strace reads the element after the last shown first
    elif len(parts) < count:
        parts.append(f"... /* {address + len(parts) * size:#x} */")
    return "[" + ", ".join(parts) + "]"


def hex0(value: int) -> str:
    """Hex as strace prints it: 0 stays 0."""
    return hex(value) if value else "0"


def _arg_masks(syscall: Syscall, arch: int) -> tuple[int, ...]:
    """Each argument's mask for `Call.ulong`, six at least (an argument
    past the table's is the ABI's long). Built once per argument list and
    ABI, keyed by the list's identity (the tables share their argument
    tuples and keep them as long as atrace runs; the tuple itself is kept
    and checked, so that a reused id cannot match another)."""
    narrow = arch == ARCH_I386
    args = syscall.args
    known = _ARG_MASKS.get((id(args), narrow))
    if known is not None and known[0] is args:
        return known[1]
    table = _MASKS_I386 if narrow else _MASKS_WIDE
    masks = tuple(table.get(arg.kind, table[""]) for arg in args) + (table[""],) * max(0, 6 - len(args))
    _ARG_MASKS[(id(args), narrow)] = (args, masks)
    return masks


_ARG_MASKS: dict[tuple[int, bool], tuple[tuple[Any, ...], tuple[int, ...]]] = {}


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
    # The arguments' masks (`ulong`), looked up at the first `ulong`: a call
    # with several numbers and pointers asks for them a few times.
    masks: tuple[int, ...] | None = None

    @property
    def name(self) -> str:
        return self.syscall.name

    @property
    def long_bits(self) -> int:
        return 32 if self.arch == ARCH_I386 else 64

    @property
    def abbreviated(self) -> bool:
        """Structs and arrays cut short (strace's default; -v, -e abbrev=)."""
        options = self.options
        return not options.verbose and (options.abbrev is None or self.syscall.name in options.abbrev)

    @property
    def dereferenced(self) -> bool:
        """Struct arguments decoded, not shown as addresses (-e verbose=)."""
        chosen = self.options.dereference
        return chosen is None or self.syscall.name in chosen

    def c_int(self, index: int) -> int:
        """The argument as a C int."""
        return signed(self.args[index], 32)

    def bits(self, index: int) -> int:
        """The width of the argument's C type: 32 for an int, else the ABI's long."""
        args = self.syscall.args
        return (_BITS.get(args[index].kind, 0) if index < len(args) else 0) or self.long_bits

    def long(self, index: int) -> int:
        """The argument as a signed number of its C type's width."""
        return signed(self.args[index], self.bits(index))

    def ulong(self, index: int) -> int:
        """The argument as an unsigned number of its C type's width: only the
        low half of the register for an int (the kernel ignores the rest)."""
        masks = self.masks
        if masks is None:
            masks = self.masks = _arg_masks(self.syscall, self.arch)
        return self.args[index] & masks[index]

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
        return self.ret is not None and not is_error(self.ret)

    def fmt(self, index: int) -> str | None:
        """The argument as its kind prints it."""
        kind = self.syscall.args[index].kind
        if self.options.dereference is not None and kind in STRUCT_KINDS and not self.dereferenced:
            return pointer(self.ulong(index))  # -e verbose= leaves this call's structs out
        formatter = KIND_FORMATTERS.get(kind)
        return str(self.ulong(index)) if formatter is None else formatter(self, index)

    def all(self) -> list[str | None]:
        if self.options.dereference is not None:
            return [self.fmt(i) for i in range(len(self.syscall.args))]
        return [formatter(self, i) for i, formatter in enumerate(_formatters(self.syscall))]


ArgFormatter = Callable[[Call, int], str | None]
# The formatter of each argument kind; filled by atrace.render.kinds.
KIND_FORMATTERS: dict[str, ArgFormatter] = {}
# Each call's formatters in argument order, looked up once per Syscall (by
# identity: the tables' Syscall objects live as long as atrace; the entry
# keeps its Syscall so that a reused id cannot match another).
_CALL_FORMATTERS: dict[int, tuple[Syscall, tuple[ArgFormatter, ...]]] = {}


def _plain_number(call: Call, index: int) -> str:
    return str(call.ulong(index))


def _formatters(syscall: Syscall) -> tuple[ArgFormatter, ...]:
    known = _CALL_FORMATTERS.get(id(syscall))
    if known is not None and known[0] is syscall:
        return known[1]
    formatters = tuple(KIND_FORMATTERS.get(arg.kind, _plain_number) for arg in syscall.args)
    if KIND_FORMATTERS:  # (filled: atrace.render.kinds is imported)
        _CALL_FORMATTERS[id(syscall)] = (syscall, formatters)
    return formatters


# The kinds copied from memory other than strings and buffers (structs,
# arrays, argv): those a call outside -e verbose=SET shows as addresses, as
# strace does not fetch them; filled by atrace.render.kinds.
STRUCT_KINDS: set[str] = set()


def array_limit(call: Call) -> int | None:
    """How many elements of an array strace shows: -s of them, all with -v
    or when -e abbrev= leaves the call out."""
    return call.options.string_limit if call.abbreviated else None


def out_missing(call: Call, index: int) -> bool:
    """An out argument the kernel did not fill: shown as its address."""
    return (
        call.exit is None
        or not call.succeeded()
        or call.value(index) is None
        or (call.ret == 0 and call.name in NOTHING_WRITTEN_ON_ZERO)
    )


def entry_parsed(call: Call, index: int) -> Any:
    """The struct the tracee passed in, when the kernel also wrote it back
    (the exit value is under the same key)."""
    arg = call.syscall.args[index]
    raw = call.entry.get(arg.name)
    if raw is None or isinstance(raw, (int, str)):
        return None
    return structs.parse(arg.kind, raw, call.arch, call.name)


def when_written(formatter: ArgFormatter) -> ArgFormatter:
    """An out argument: its address until the kernel has filled it."""

    def written(call: Call, index: int) -> str | None:
        return pointer(call.ulong(index)) if out_missing(call, index) else formatter(call, index)

    return written
