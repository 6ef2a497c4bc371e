#!/usr/bin/env python3
"""strace -c style table of a trace: calls, errors and time per syscall.

  python3 scripts/summary.py build.atrace
  python3 scripts/summary.py --by-process --sort calls build.atrace
  atrace -f -o - make | python3 scripts/summary.py -

Times are wall-clock time spent inside each call (strace -c -w).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout

from atrace.analysis import script
from atrace.analysis.paths import text
from atrace.analysis.summary import SORT_KEYS, count_by_process, count_events, format_table, merge

PROG = "summary.py"


def main(argv: list[str]) -> int:
    parser = script.parser(PROG, __doc__ or "")
    parser.add_argument("--by-process", action="store_true", help="one table per process, then the total")
    parser.add_argument("--sort", "-S", choices=sorted(SORT_KEYS), default="time", help="sort rows by (default time)")
    args = parser.parse_args(argv)
    events = script.events(args.trace, PROG, script.EVERY_CALL)
    out = sys.stdout
    if not args.by_process:
        # The tracer's -c code counts, so both tables agree call for call.
        out.write(format_table(count_events(events), args.sort))
        return 0
    tree, tables = count_by_process(events)
    for _level, proc in tree.walk():
        table = tables.get(proc)
        if not table:
            continue
        command = " ".join(text(a) for a in proc.argv) or "(no exec)"
        out.write(f"\npid {proc.pid}: {command[:200]}\n")
        out.write(format_table(table, args.sort))
    out.write("\nall processes:\n")
    out.write(format_table(merge(tables.values()), args.sort))
    return 0


if __name__ == "__main__":
    sys.exit(script.run(PROG, main))
