"""strace's `-e inject=` and `-e fault=` expressions, parsed into a table.

An expression is `SET:OPTION=VALUE:...` (man strace): SET is a syscall set
as for `-e trace=`, and the options say what is done to the calls of the
set whose invocation numbers `when=` selects: `error=` or `retval=` (the
call is skipped and that result returned), `signal=` (delivered at the
call's entry), `syscall=` (a call without side effects run in its place),
`delay_enter=`/`delay_exit=` (the tracee held that long), `poke_enter=`/
`poke_exit=` (bytes written where an argument points). `-e fault=SET` is
the same with only `error=` (default ENOSYS), `when=` and `syscall=`.

Expressions apply in order: a later one replaces what an earlier one said
for the same call. Everything invalid is refused the way strace words it,
`invalid inject argument 'chdir:when=0'`, before anything is traced.
"""

from __future__ import annotations

import errno
import re
from dataclasses import dataclass

from ..errors import AtraceError
from ..filters import ARCHES, signal_number, syscall_set
from ..syscalls import table

# when=FIRST[..LAST][+[STEP]]: the limits strace's man page gives.
WHEN_FIRST_MAX = 65535
WHEN_LAST_MAX = 65534
WHEN_STEP_MAX = 65535
_WHEN = re.compile(r"([0-9]+)(?:\.\.([0-9]+))?(?:(\+)([0-9]+)?)?")
# retval= as C's strtoull reads it (base 0), nothing after the number.
_RETVAL = re.compile(r"0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*")
# A time as strace's delays take it: a decimal number, maybe with an
# exponent, and a unit (microseconds without one).
_DELAY = re.compile(r"\+?((?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?)(s|ms|us|ns)?")
_UNIT_NS = {"s": 1_000_000_000, "ms": 1_000_000, "us": 1000, "ns": 1}
# Longest delay accepted (strace refuses what does not fit its timespec).
DELAY_MAX_NS = 1 << 62
# poke_enter=@argN=HEX,...: N from 1 to 7, at most this many bytes each.
POKE_MAX_BYTES = 1024
_POKE = re.compile(r"@arg([1-7])=((?:[0-9a-fA-F]{2})+)")
_ERRNO_MAX = 4095
# Kernel-internal codes strace also knows by name (render/names.py).
_EXTRA_ERRNOS = {"ERESTARTSYS": 512, "ERESTARTNOINTR": 513, "ERESTARTNOHAND": 514, "ENOIOCTLCMD": 515,
                 "ERESTART_RESTARTBLOCK": 516}  # fmt: skip
# What -e fault= allows; -e inject= allows every option.
_FAULT_OPTIONS = frozenset({"error", "when", "syscall"})
_OPTIONS = frozenset({"error", "retval", "signal", "syscall", "delay_enter", "delay_exit", "poke_enter",
                      "poke_exit", "when"})  # fmt: skip


@dataclass(frozen=True, slots=True)
class When:
    """Which invocations (counted per call and per task, from 1) are tampered with."""

    first: int = 1
    last: int | None = None  # None: no end
    step: int = 1  # 0: `first` only

    def matches(self, count: int) -> bool:
        if count < self.first or (self.last is not None and count > self.last):
            return False
        if self.step == 0:
            return count == self.first
        return (count - self.first) % self.step == 0


@dataclass(frozen=True, slots=True)
class InjectSpec:
    """What is done to one call's selected invocations."""

    error: int | None = None  # errno returned (the call skipped)
    retval: int | None = None  # value returned (the call skipped), unsigned 64-bit
    signal: int | None = None  # delivered at the call's entry
    syscall: str | None = None  # run instead of the call (a %pure one), per ABI by name
    delay_enter_ns: int = 0
    delay_exit_ns: int = 0
    poke_enter: tuple[tuple[int, bytes], ...] = ()  # (argument index from 0, bytes)
    poke_exit: tuple[tuple[int, bytes], ...] = ()
    when: When = When()

    @property
    def skips(self) -> bool:
        """The call itself is not run (its number is replaced at entry)."""
        return self.error is not None or self.retval is not None


# ABI -> syscall number -> what to do: TracerConfig.inject.
InjectTable = dict[int, dict[int, InjectSpec]]


def parse_when(text: str) -> When | None:
    match = _WHEN.fullmatch(text)
    if match is None:
        return None
    first = int(match[1])
    last = int(match[2]) if match[2] is not None else None
    plus, step_text = match[3], match[4]
    if not 1 <= first <= WHEN_FIRST_MAX:
        return None
    if last is not None and not first <= last <= WHEN_LAST_MAX:
        return None
    if step_text is not None:
        step = int(step_text)
        if not 1 <= step <= WHEN_STEP_MAX:
            return None
    elif plus or last is not None:
        step = 1  # first+ and first..last: every invocation from first on
    else:
        step, last = 0, first  # first alone: that invocation only
    return When(first, last, step)


def parse_errno(text: str) -> int | None:
    if text.isdigit():
        number = int(text)
        return number if 1 <= number <= _ERRNO_MAX else None
    name = text.upper()
    found = getattr(errno, name, None) if name.startswith("E") else None
    return found if isinstance(found, int) else _EXTRA_ERRNOS.get(name)


def parse_delay(text: str) -> int | None:
    """A delay in ns, or None when it is not a valid time."""
    match = _DELAY.fullmatch(text)
    if match is None:
        return None
    value = float(match[1]) * _UNIT_NS[match[2] or "us"]
    return round(value) if 0 <= value <= DELAY_MAX_NS else None


def parse_pokes(text: str) -> tuple[tuple[int, bytes], ...] | None:
    pokes: list[tuple[int, bytes]] = []
    for item in text.split(","):
        match = _POKE.fullmatch(item)
        if match is None or len(match[2]) // 2 > POKE_MAX_BYTES:
            return None
        index = int(match[1]) - 1
        if any(index == seen for seen, _data in pokes):
            return None
        pokes.append((index, bytes.fromhex(match[2])))
    return tuple(pokes)


def _pure_call(name: str) -> bool:
    """syscall= takes the name of a call without side effects (strace's %pure)."""
    return any(c is not None and c.name == name and "pure" in c.classes for arch in ARCHES for c in table(arch))


def parse_spec(qualifier: str, options: list[str]) -> InjectSpec | None:
    """The options after the set, or None when they are not valid."""
    allowed = _FAULT_OPTIONS if qualifier == "fault" else _OPTIONS
    seen: set[str] = set()
    values: dict[str, object] = {}
    when = When()
    for option in options:
        key, sep, value = option.partition("=")
        if not sep or key not in allowed:
            return None
        if key == "when":
            # The last when= counts (man strace).
            parsed_when = parse_when(value)
            if parsed_when is None:
                return None
            when = parsed_when
            continue
        if key in seen or (key in ("error", "retval") and {"error", "retval"} & seen):
            return None
        seen.add(key)
        parsed: object
        if key == "error":
            parsed = parse_errno(value)
        elif key == "retval":
            parsed = int(value, 0) if _RETVAL.fullmatch(value) else None
            if isinstance(parsed, int) and parsed >= 1 << 64:
                parsed = None
        elif key == "signal":
            parsed = signal_number(value) if value else None
        elif key == "syscall":
            parsed = value if _pure_call(value) else None
        elif key.startswith("delay"):
            parsed = parse_delay(value)
        else:
            parsed = parse_pokes(value)
        if parsed is None:
            return None
        values[key] = parsed
    if qualifier == "fault" and "error" not in values:
        values["error"] = errno.ENOSYS
    if not values.keys() - {"syscall"}:
        return None  # nothing to do (strace: at least one of error, retval, signal, delays, pokes)
    return InjectSpec(
        error=values.get("error"),  # type: ignore[arg-type]
        retval=values.get("retval"),  # type: ignore[arg-type]
        signal=values.get("signal"),  # type: ignore[arg-type]
        syscall=values.get("syscall"),  # type: ignore[arg-type]
        delay_enter_ns=values.get("delay_enter", 0),  # type: ignore[arg-type]
        delay_exit_ns=values.get("delay_exit", 0),  # type: ignore[arg-type]
        poke_enter=values.get("poke_enter", ()),  # type: ignore[arg-type]
        poke_exit=values.get("poke_exit", ()),  # type: ignore[arg-type]
        when=when,
    )


def parse_injection(qualifier: str, expression: str, into: InjectTable) -> None:
    """Add one `-e inject=`/`-e fault=` expression to the table (in place):
    every call of its set gets its options, replacing earlier ones."""
    set_text, _sep, rest = expression.partition(":")
    spec = parse_spec(qualifier, rest.split(":") if rest else [])
    if spec is None or not set_text:
        raise AtraceError(f"invalid {qualifier} argument '{expression}'")
    chosen = syscall_set(set_text)
    for arch in ARCHES:
        numbers = range(len(table(arch))) if chosen is None else chosen[arch]
        calls = into.setdefault(arch, {})
        for nr in numbers:
            calls[nr] = spec


def injection_table(expressions: list[tuple[str, str]]) -> InjectTable | None:
    """The table of (qualifier, expression) pairs in command-line order;
    None when no call is tampered with."""
    found: InjectTable = {}
    for qualifier, expression in expressions:
        parse_injection(qualifier, expression, found)
    found = {arch: calls for arch, calls in found.items() if calls}
    return found or None
