"""What a record's fields may hold on the wire, derived from records.py.

The reader checks every record against these before any consumer sees it
(renderer, filters, analyses, scripts), so that junk which still parses as
msgpack (a bit flip that turns a tid into a string) is reported as a
corrupt trace in one place instead of failing somewhere deep inside one of
them. The rules come from the NamedTuple annotations in records.py, so a
field added there is checked without a second declaration:

* each field's msgpack type: `int`, `str`, `bool`, `X | None`, `str | bytes`;
  a `tuple[...]` or `list[...]` field is an array on the wire;
* the elements of a container field: `tuple[int, ...]` holds ints,
  `list[str | bytes]` strings, `dict[str, int]` int values.

Checking is cheap: each record type's check is one expression compiled from
the annotations (no loop, no call per field), and a container's elements are
checked in C. What `data`
maps hold is the decoders' business (their values depend on the call); their
consumers treat a value of the wrong type as a corrupt record.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable
from typing import Any

from . import records as R

Check = Callable[[Any], bool]


def _wire_types(hint: Any) -> tuple[type, ...]:
    """The Python types msgpack gives for a value declared as `hint`."""
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        return tuple(t for part in typing.get_args(hint) for t in _wire_types(part))
    if hint is None or hint is type(None):
        return (type(None),)
    origin = typing.get_origin(hint) or hint
    if origin in (tuple, list):
        return (list,)  # msgpack arrays come back as lists
    if origin is dict:
        return (dict,)
    if hint is Any:
        return (object,)  # only inside containers (data maps' values)
    assert isinstance(origin, type), hint
    return (origin,)


def _element_check(hint: Any) -> Check | None:
    """A check of what a container field holds; None when nothing to check.

    A map's keys are not checked: consumers look keys up, and a key of
    another type is simply not found (msgpack itself rejects unhashable
    keys). `issuperset` over a `map` checks element by element in C without
    building a set."""
    containers = [
        part
        for part in (typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,))
        if typing.get_origin(part) in (tuple, list, dict)
    ]
    if not containers:
        return None
    (container,) = containers
    origin, args = typing.get_origin(container), typing.get_args(container)
    allowed = frozenset(_wire_types(args[1] if origin is dict else args[0]))
    if object in allowed:
        return None
    if origin is dict:
        return lambda value: value is None or allowed.issuperset(map(type, value.values()))
    return lambda value: value is None or allowed.issuperset(map(type, value))


def record_check(cls: type[Any]) -> Check:
    """The check of one record type (see the module's docstring).

    It runs for every record read, so it is compiled into one expression
    from the annotations, the way `collections.namedtuple` builds its
    methods: a `type(r[i]) is T` test per field (measured: 4x faster than
    looking the tuple of the fields' types up in a set of signatures), then
    the element checks of container fields.
    """
    hints = typing.get_type_hints(cls)
    names: dict[str, Any] = {}
    tests = []
    for index, name in enumerate(cls._fields):
        allowed = _wire_types(hints[name])
        assert object not in allowed, f"{cls.__name__}.{name}: a field of any type"
        value = f"r[{index}]"
        others = tuple(t for t in allowed if t is not type(None))
        if len(others) == 1:
            names[f"T{index}"] = others[0]
            test = f"type({value}) is T{index}"
        else:
            names[f"T{index}"] = others
            test = f"type({value}) in T{index}"
        tests.append(f"({value} is None or {test})" if len(others) < len(allowed) else test)
        element_check = _element_check(hints[name])
        if element_check is not None:
            names[f"E{index}"] = element_check
            tests.append(f"E{index}({value})")
    check: Check = eval(f"lambda r: {' and '.join(tests)}", names)  # our own text, built above
    return check


CHECKS: dict[int, Check] = {number: record_check(cls) for number, (_name, cls) in R.RECORDS.items()}
