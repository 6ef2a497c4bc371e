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
  `list[str | bytes]` strings, `dict[str, int]` int values, `dict[str, Any]`
  string keys.

Checking is cheap because it is done in C as far as possible: the tuple of
the fields' types must be one of the record's allowed signatures (a set
lookup), and a container's element types, as a set, must be allowed.
What `data` maps hold is the decoders' business (their keys are checked,
their values depend on the call); their consumers treat a value of the wrong
type as a corrupt record.
"""

from __future__ import annotations

import itertools
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
    """A check of what a container field holds; None when nothing to check."""
    containers = [
        part
        for part in (typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,))
        if typing.get_origin(part) in (tuple, list, dict)
    ]
    if not containers:
        return None
    (container,) = containers
    origin, args = typing.get_origin(container), typing.get_args(container)
    if origin is dict:
        keys = frozenset(_wire_types(args[0]))
        values = frozenset(_wire_types(args[1]))
        if object in values:
            return lambda value: value is None or set(map(type, value)) <= keys
        return lambda value: (
            value is None or (set(map(type, value)) <= keys and set(map(type, value.values())) <= values)
        )
    elements = frozenset(_wire_types(args[0]))
    return lambda value: value is None or set(map(type, value)) <= elements


class RecordCheck:
    """The checks of one record type (see the module's docstring)."""

    def __init__(self, cls: type[Any]) -> None:
        hints = typing.get_type_hints(cls)
        per_field = [_wire_types(hints[name]) for name in cls._fields]
        assert not any(object in allowed for allowed in per_field), f"{cls.__name__}: a field of any type"
        self.signatures = frozenset(itertools.product(*per_field))
        self.elements = [
            (index, check)
            for index, name in enumerate(cls._fields)
            if (check := _element_check(hints[name])) is not None
        ]

    def __call__(self, record: list[Any]) -> bool:
        if tuple(map(type, record)) not in self.signatures:
            return False
        return all(check(record[index]) for index, check in self.elements)


CHECKS: dict[int, RecordCheck] = {number: RecordCheck(cls) for number, (_name, cls) in R.RECORDS.items()}
