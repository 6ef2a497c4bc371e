"""The notes strace adds after a tampered call's result (-e inject=).

The exit record's data lists what was done to the call under `injected`
(docs/FORMAT.md); strace shows ` (INJECTED)` for a result it made (error=,
retval=), ` (INJECTED: args)` or ` (INJECTED: args, retval)` when bytes
were also written into the arguments' memory (poke_enter=, poke_exit=), and
` (DELAYED)` for a delay. A signal alone leaves no note: its delivery is
shown by itself.
"""

from __future__ import annotations

from typing import Any

_RESULT = frozenset({"error", "retval"})
_ARGS = frozenset({"poke_enter", "poke_exit"})
_DELAYS = frozenset({"delay_enter", "delay_exit"})


def injection_notes(done: Any) -> str:
    """The notes for an exit record's `injected` list ("" for none)."""
    if not isinstance(done, list):
        return ""
    what = set(done)
    notes = ""
    if what & _ARGS:
        notes = " (INJECTED: args, retval)" if what & _RESULT else " (INJECTED: args)"
    elif what & _RESULT:
        notes = " (INJECTED)"
    if what & _DELAYS:
        notes += " (DELAYED)"
    return notes
