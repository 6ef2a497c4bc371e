#!/usr/bin/env python3
"""Where a traced build waited: the slowest syscalls, and the processes that
spent the most time blocked in syscalls, with the files involved.

  python3 scripts/slow.py build.atrace
  python3 scripts/slow.py --top 50 --include-waits build.atrace

Waiting for children (wait4, waitid) is left out unless --include-waits:
a make spends its life there.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout

from atrace.analysis import script
from atrace.analysis.paths import text
from atrace.analysis.slow import slow_report

PROG = "slow.py"


def main(argv: list[str]) -> int:
    parser = script.parser(PROG, __doc__ or "")
    parser.add_argument("--top", type=int, default=20, metavar="N", help="how many of each to show (default 20)")
    parser.add_argument("--include-waits", action="store_true", help="count wait4/waitid as blocked time")
    args = parser.parse_args(argv)
    if args.top <= 0:
        raise script.ScriptError("--top must be > 0")
    report = slow_report(
        script.events(args.trace, PROG, script.EVERY_CALL), top=args.top, include_waits=args.include_waits
    )
    print(f"slowest syscalls (top {args.top}):")
    print(f"{'ms':>10}  {'pid':>7}  {'syscall':<16} {'result':<10} path / command")
    for slow in report.slowest:
        call = slow.call
        result = call.error or ("?" if call.ret is None else str(call.ret))
        where = ", ".join(slow.paths) or shlex.join(text(a) for a in slow.process.argv)[:80]
        print(f"{script.ms(call.duration)[:-3]:>10}  {call.tid:>7}  {call.name:<16} {result:<10} {where}")
    print()
    print(f"processes most blocked in syscalls (top {args.top}):")
    print(f"{'ms':>10}  {'pid':>7}  {'calls':>7}  command; where the time went")
    for blocked in report.blocked:
        command = shlex.join(text(a) for a in blocked.process.argv)[:100] or "(no exec)"
        names = ", ".join(f"{name} {ns / 1e6:.1f}" for name, ns in blocked.by_name.most_common(3))
        print(f"{blocked.total_ns / 1e6:>10.1f}  {blocked.process.pid:>7}  {blocked.calls:>7}  {command}")
        print(f"{'':>30}syscalls: {names}")
        if blocked.by_path:
            paths = ", ".join(f"{path} {ns / 1e6:.1f}" for path, ns in blocked.by_path.most_common(3))
            print(f"{'':>30}files: {paths}")
    return 0


if __name__ == "__main__":
    sys.exit(script.run(PROG, main))
