"""Records are built as plain tuples where speed matters (the tracer's stop
loop builds one per stop), yet their field order lives in one place,
events/records.py.  This test reads every tuple the package builds whose
first element is a record type and checks each element against the field
it lands in: by count, and by name (the element's own name, or one of the
names listed here for that record's field).  Swapping two fields, adding
one on one side only, or building a record for the wrong type fails here,
at no cost per stop.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from atrace.events import records as R

PACKAGE = Path(__file__).resolve().parent.parent / "atrace"
# Where records are built (the reader makes its typed views from records.py).
BUILDERS = [
    *sorted(PACKAGE.glob("tracer/*.py")),
    *(PACKAGE / name for name in ("session.py", "outputs.py", "listen.py")),
    PACKAGE / "events" / "wire.py",
]

# R.SYSCALL_ENTRY... spelled as records.py's constants, from the wire names.
TYPE_NAMES = {wire.upper(): number for number, (wire, _cls) in R.RECORDS.items()}

# (record, field) -> the other names an element in that place may carry.
ALIASES: dict[tuple[str, str], set[str]] = {
    ("*", "ts"): {"time_ns", "0"},
    ("*", "tid"): {"pid"},
    ("spawn", "tid"): {"tid"},
    ("exit", "tid"): {"child_tid"},
    ("exit", "tgid"): {"child_tgid"},
    ("exit", "signal"): {"sig"},
    ("exit", "core_dumped"): {"core"},
    ("signal", "signo"): {"sig"},
    ("signal", "sender_pid"): {"pid"},
    ("signal", "sender_uid"): {"uid"},
    ("stopped", "signo"): {"sig"},
    ("attached", "tgid"): {"pid"},
    ("syscall_exit", "data"): {"None"},  # a failed launch's execve: nothing read  # -p PID: its threads are attached
    ("lost", "events"): {"lost"},
    ("lost", "reason"): {"lost_reason"},
}


def _name(node: ast.expr) -> str:
    """What an element calls itself: a variable or attribute name, a
    called function's name, the key of a `.get("key")`, a constant."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Call):
        if isinstance(node.func, ast.Attribute) and node.func.attr == "get" and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant):
                return str(first.value)
        return _name(node.func)
    if isinstance(node, ast.Constant):
        return repr(node.value)
    return ast.unparse(node)


def _type_of(node: ast.expr, aliases: dict[str, str]) -> str | None:
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "R":
        return node.attr if node.attr in TYPE_NAMES else None
    if isinstance(node, ast.Name):
        return aliases.get(node.id)
    return None


def _local_aliases(tree: ast.AST) -> dict[str, str]:
    """`entry_type, exit_type = R.SYSCALL_ENTRY, R.SYSCALL_EXIT` (locals
    bound for speed) name record types too."""
    found: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            targets, values = node.targets[0], node.value
            both = isinstance(targets, ast.Tuple) and isinstance(values, ast.Tuple)
            pairs = zip(targets.elts, values.elts, strict=True) if both else [(targets, values)]
            for target, value in pairs:
                kind = _type_of(value, {})
                if isinstance(target, ast.Name) and kind is not None:
                    found[target.id] = kind
    return found


def _slice_length(node: ast.Starred) -> int | None:
    """Length of `*x[:N]` / `*x[A:B]` when the bounds are constants."""
    value = node.value
    if isinstance(value, ast.Subscript) and isinstance(value.slice, ast.Slice):
        lower, upper = value.slice.lower, value.slice.upper
        start = lower.value if isinstance(lower, ast.Constant) else 0 if lower is None else None
        stop = upper.value if isinstance(upper, ast.Constant) else None
        if isinstance(start, int) and isinstance(stop, int):
            return stop - start
    return None


def built_records() -> list[tuple[str, int, str, list[ast.expr]]]:
    found = []
    for path in BUILDERS:
        tree = ast.parse(path.read_text())
        aliases = _local_aliases(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Tuple) and node.elts:
                kind = _type_of(node.elts[0], aliases)
                # (R.LOST, R.TRAILER): a set of types, not a record
                others = [_type_of(element, aliases) for element in node.elts[1:]]
                if kind is not None and len(node.elts) > 1 and not any(others):
                    found.append((path.name, node.lineno, kind, node.elts))
    return found


def _check(kind: str, elements: list[ast.expr]) -> list[str]:
    wire_name, cls = R.RECORDS[TYPE_NAMES[kind]]
    fields: list[str] = list(cls._fields)
    required = len(fields) - len(cls._field_defaults)
    problems: list[str] = []
    # Align from the front until a starred element of unknown length, then
    # from the back.
    placed: list[tuple[int, ast.expr]] = []
    position = 0
    unknown_at = None
    for index, element in enumerate(elements):
        if isinstance(element, ast.Starred):
            length = _slice_length(element)
            if length is None:
                unknown_at = index
                break
            position += length
            continue
        placed.append((position, element))
        position += 1
    if unknown_at is None:
        if not required <= position <= len(fields):
            problems.append(f"{position} elements for {len(fields)} fields {fields}")
    else:
        back = len(fields)
        for element in reversed(elements[unknown_at + 1 :]):
            if isinstance(element, ast.Starred):
                break
            back -= 1
            placed.append((back, element))
    for index, element in placed:
        if index == 0 or index >= len(fields):
            continue
        field = fields[index]
        name = _name(element)
        allowed = {field} | ALIASES.get(("*", field), set()) | ALIASES.get((wire_name, field), set())
        if name not in allowed:
            problems.append(f"element {index} is {ast.unparse(element)!r} where {wire_name}.{field} goes")
    return problems


RECORDS_BUILT = built_records()


def test_the_tracer_builds_every_event_record() -> None:
    """The scan finds what it should: a scan that found nothing would pass
    every check below."""
    kinds = {kind for _file, _line, kind, _elements in RECORDS_BUILT}
    # (lost, header and trailer records are built with records.py's own
    # constructors, R.Lost(...), which need no check)
    assert {"SYSCALL_ENTRY", "SYSCALL_EXIT", "SPAWN", "EXEC", "EXIT", "SIGNAL", "STOPPED", "ATTACHED",
            "DETACHED"} <= kinds  # fmt: skip


@pytest.mark.parametrize(("file", "line", "kind", "elements"), RECORDS_BUILT,
                         ids=[f"{f}:{line}:{k}" for f, line, k, _e in RECORDS_BUILT])  # fmt: skip
def test_built_record_matches_records_py(file: str, line: int, kind: str, elements: list[ast.expr]) -> None:
    assert _check(kind, elements) == []


def test_the_check_catches_a_swap_and_a_missing_field() -> None:
    swapped = ast.parse("(R.SIGNAL, ts, tid, task.tgid, code, sig, pid, uid, extra)").body[0]
    short = ast.parse("(R.SPAWN, ts, tid, tgid, child_tid, child_tgid, kind)").body[0]
    assert isinstance(swapped, ast.Expr) and isinstance(swapped.value, ast.Tuple)
    assert isinstance(short, ast.Expr) and isinstance(short.value, ast.Tuple)
    assert len(_check("SIGNAL", swapped.value.elts)) == 2
    assert _check("SPAWN", short.value.elts) == ["7 elements for 8 fields " + str(list(R.Spawn._fields))]
