"""-U / --summary-columns and -S / --summary-sort-by: strace's names for the
-c table's columns, and the table laid out with any of them.

Each column is a header, a least width (strace keeps the historical widths
of its default table), a format of one row's value and of the total, and
whether it is left-aligned. A column is as wide as its header, its least
width and its widest value. The syscall name always ends the table.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import AtraceError

if TYPE_CHECKING:
    from .summary import Row

# strace's spellings (-U and -S take the same words) -> the column.
COLUMN_NAMES = {
    **dict.fromkeys(("time", "time_percent", "time-percent"), "percent"),
    **dict.fromkeys(("time_total", "time-total", "total_time", "total-time"), "seconds"),
    **dict.fromkeys(("min_time", "min-time", "shortest", "time_min", "time-min"), "shortest"),
    **dict.fromkeys(("longest", "max_time", "max-time", "time_max", "time-max"), "longest"),
    **dict.fromkeys(("avg_time", "avg-time", "time_avg", "time-avg"), "avg"),
    **dict.fromkeys(("calls", "count"), "calls"),
    **dict.fromkeys(("error", "errors"), "errors"),
    **dict.fromkeys(("name", "syscall", "syscall_name", "syscall-name"), "name"),
    **dict.fromkeys(("none", "nothing"), "none"),
}
# The column a table is sorted by -> summary's sort key.
SORT_BY_COLUMN = {
    "percent": "time", "seconds": "time", "shortest": "min", "longest": "max", "avg": "avg",
    "calls": "calls", "errors": "errors", "name": "name", "none": "nothing",
}  # fmt: skip
DEFAULT_COLUMNS = ("percent", "seconds", "avg", "calls", "errors", "name")


def add_sort_and_column_options(group: argparse._ArgumentGroup) -> None:
    """-S and -U, in the command line's summary group."""
    group.add_argument(
        "-S",
        "--summary-sort-by",
        dest="sort_by",
        metavar="SORTBY",
        default="time",
        help="sort the -c table by a column (as -U names them): time (default), calls, errors, name, "
        "avg-time, min-time, max-time or nothing",
    )
    group.add_argument(
        "-U",
        "--summary-columns",
        dest="summary_columns",
        metavar="COLUMNS",
        help="the -c table's columns, in this order: time-percent, total-time, avg-time, min-time, max-time, "
        "calls, errors, name (strace's spellings: time_total, shortest, longest, count, syscall... are "
        "accepted); the name is always shown",
    )


def summary_columns(text: str) -> tuple[str, ...]:
    """-U COLUMNS: the columns in the order given, the name last if absent.
    Errors in strace's words."""
    chosen: list[str] = []
    for word in text.split(","):
        column = COLUMN_NAMES.get(word)
        if column is None or column == "none":
            raise AtraceError(f"unknown column name: '{word}'")
        if column in chosen:
            raise AtraceError(f"call summary column has been provided more than once: '{word}'")
        chosen.append(column)
    if "name" not in chosen:
        chosen.append("name")
    return tuple(chosen)


def _seconds(ns: int) -> str:
    return f"{ns / 1e9:.6f}"


@dataclass(frozen=True, slots=True)
class _Column:
    header: str
    width: int
    value: Callable[[str, Row, int], str]  # (name, row, table's total ns) -> text
    left: bool = False


def _avg(row: Row) -> str:
    return str(row.time_ns // 1000 // row.calls if row.calls else 0)


_COLUMNS = {
    "percent": _Column("% time", 6, lambda _n, r, t: f"{100.0 * r.time_ns / t if t else 0.0:.2f}"),
    "seconds": _Column("seconds", 11, lambda _n, r, _t: _seconds(r.time_ns)),
    "shortest": _Column("shortest", 8, lambda _n, r, _t: _seconds(r.min_ns or 0)),
    "longest": _Column("longest", 7, lambda _n, r, _t: _seconds(r.max_ns)),
    "avg": _Column("usecs/call", 11, lambda _n, r, _t: _avg(r)),
    "calls": _Column("calls", 9, lambda _n, r, _t: str(r.calls)),
    "errors": _Column("errors", 9, lambda _n, r, _t: str(r.errors) if r.errors else ""),
    "name": _Column("syscall", 16, lambda n, _r, _t: n, left=True),
}


def format_columns(ordered: list[tuple[str, Row]], total: Row, columns: tuple[str, ...]) -> str:
    """The table: header, rule, a line per call, rule, the total line."""
    specs = [_COLUMNS[c] for c in columns]
    total_ns = total.time_ns
    cells = [[spec.value(name, row, total_ns) for spec in specs] for name, row in ordered]
    # (the total's percentage is 100, or 0 for an empty table)
    last = [spec.value("total", total, total_ns) for spec in specs]
    if "percent" in columns:
        last[columns.index("percent")] = "100.00" if ordered else "0.00"
    # (a name's width counts one more: strace's longest name + 1)
    widths = [max([spec.width, len(spec.header)] + [len(line[i]) + spec.left for line in [*cells, last]])
              for i, spec in enumerate(specs)]  # fmt: skip

    def line(texts: list[str]) -> str:
        out = []
        for i, (text, spec) in enumerate(zip(texts, specs, strict=True)):
            if spec.left:
                out.append(text if i == len(specs) - 1 else text.ljust(widths[i]))
            else:
                out.append(text.rjust(widths[i]))
        return " ".join(out) + "\n"

    rule = " ".join("-" * w for w in widths) + "\n"
    return line([spec.header for spec in specs]) + rule + "".join(line(c) for c in cells) + rule + line(last)
