#!/usr/bin/env python3
"""The process tree of a trace: every process with the programs it exec'd.

  python3 scripts/tree.py build.atrace
  python3 scripts/tree.py --depth 2 build.atrace

Each line: pid, command line (every exec, not only the last), working
directory, start..end (seconds after the trace began), duration, and how it
ended. Failed processes (non-zero exit, killed) are marked FAILED (red on a
terminal). --depth N folds what is deeper into a count.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout

from atrace.analysis import Process, build_tree, script
from atrace.analysis.paths import text
from atrace.render.names import signal_name

PROG = "tree.py"


def status(proc: Process) -> str:
    if proc.signal is not None:
        return f"killed by {signal_name(proc.signal)}" + (" (core dumped)" if proc.core_dumped else "")
    if proc.exit_code is not None:
        return f"exit {proc.exit_code}"
    return "still running at the end of the trace"


def lines(proc: Process, origin: int, depth: int, max_depth: int | None, show_cwd: bool) -> list[tuple[str, bool]]:
    """(text, failed) for the process and its subtree."""
    indent = "  " * depth
    start = f"+{(proc.start - origin) / 1e9:.3f}s"
    end = f"+{(proc.end - origin) / 1e9:.3f}s" if proc.end is not None else "end"
    duration = f"{proc.duration / 1e9:.3f}s" if proc.duration is not None else "?"
    execs = proc.execs
    first = shlex.join(text(a) for a in execs[0].argv) if execs else "(fork of its parent, no exec)"
    head = f"{indent}{proc.pid} {first}"
    meta = f"[{start}..{end} {duration} {status(proc)}{' FAILED' if proc.failed else ''}]"
    out = [(f"{head}  {meta}", proc.failed)]
    prev_cwd = None
    for index, info in enumerate(execs):
        cwd = None if info.cwd is None else text(info.cwd)
        if index:
            out.append((f"{indent}   then exec {shlex.join(text(a) for a in info.argv)}", False))
        if show_cwd and cwd is not None and cwd != prev_cwd:
            out.append((f"{indent}   cwd {cwd}", False))
        prev_cwd = cwd
    if max_depth is not None and depth >= max_depth and proc.children:
        hidden = sum(1 for child in proc.children for _ in child.walk())
        failed = sum(1 for child in proc.children for _lvl, p in child.walk() if p.failed)
        note = f", {failed} failed" if failed else ""
        out.append((f"{indent}  ... {hidden} more processes{note}", bool(failed)))
        return out
    for child in proc.children:
        out.extend(lines(child, origin, depth + 1, max_depth, show_cwd))
    return out


def main(argv: list[str]) -> int:
    parser = script.parser(PROG, __doc__ or "")
    parser.add_argument("--depth", type=int, metavar="N", help="show N levels below the roots, fold the rest")
    parser.add_argument("--no-cwd", action="store_true", help="leave out the working directories")
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    args = parser.parse_args(argv)
    tree = build_tree(script.events(args.trace, PROG))
    origin = min((p.start for p in tree.all), default=0)
    rows = [row for root in tree.roots for row in lines(root, origin, 0, args.depth, not args.no_cwd)]
    colour = args.color == "always" or (args.color == "auto" and sys.stdout.isatty())
    if colour:
        from rich.console import Console
        from rich.text import Text

        console = Console(highlight=False, soft_wrap=True, force_terminal=True)
        for row, failed in rows:
            console.print(Text(row, style="bold red" if failed else ""))
    else:
        sys.stdout.write("".join(row + "\n" for row, _failed in rows))
    return 0


if __name__ == "__main__":
    sys.exit(script.run(PROG, main))
