"""Display options of the text renderer (strace's -s, -x, -v, -t, -T...)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..filters import DisplayFilter


@dataclass(slots=True)
class TextOptions:
    string_limit: int = 32
    hex_strings: int = 0  # -x: 1 non-printable as \x, -xx: 2 everything
    always_show_pid: bool = False
    pid_column: bool = False  # strace -o FILE -f style: "PID  " on every line
    verbose: bool = False  # -v: structs in full
    timestamps: int = 0  # -t 1, -tt 2, -ttt 3
    relative: bool = False  # -r
    syscall_times: bool = False  # -T
    syscall_numbers: bool = False  # -n
    # "[ Process PID=N runs in 32 bit mode. ]": strace writes these to
    # stderr only, never into an -o file.
    personality_notes: bool = True
    filter: DisplayFilter | None = field(default=None)
