#!/usr/bin/env python3
"""A build's processes over time, as a picture.

  python3 scripts/timeline.py build.atrace > build.json      Chrome trace-event JSON
  python3 scripts/timeline.py --html build.atrace > build.html
  python3 scripts/timeline.py --svg build.atrace > build.svg

The JSON opens in Perfetto (ui.perfetto.dev) or chrome://tracing: one track
per process, a slice for each program it ran, and a slice for each syscall
that took at least --threshold milliseconds (default 1). --html and --svg
draw a self-contained picture with no viewer needed: each row a slot of
parallelism, each bar a program run (hover for its command line); failed
processes in red.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout

from atrace.analysis import script
from atrace.analysis.timeline import chrome_trace, collect, html_page, svg

PROG = "timeline.py"


def main(argv: list[str]) -> int:
    parser = script.parser(PROG, __doc__ or "")
    form = parser.add_mutually_exclusive_group()
    form.add_argument("--html", action="store_true", help="a self-contained HTML page")
    form.add_argument("--svg", action="store_true", help="a self-contained SVG picture")
    parser.add_argument("--threshold", type=float, default=1.0, metavar="MS",
                        help="JSON: syscalls at least this long get a slice (default 1 ms)")  # fmt: skip
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    args = parser.parse_args(argv)
    if args.threshold < 0:
        raise script.ScriptError("--threshold must be >= 0")
    timeline = collect(script.events(args.trace, PROG), threshold_ns=int(args.threshold * 1e6))
    title = f"atrace timeline of {args.trace}"
    if args.html:
        document = html_page(timeline, title)
    elif args.svg:
        document = svg(timeline, title)
    else:
        document = json.dumps(chrome_trace(timeline)) + "\n"
    data = document.encode("utf-8", "replace")  # a viewer wants valid UTF-8
    script.write_output(data, args.output)
    return 0


if __name__ == "__main__":
    sys.exit(script.run(PROG, main))
