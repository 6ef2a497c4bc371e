#!/usr/bin/env python3
"""Write Bear's intercept events (JSON lines) from a trace, for Bear's own
tools: `bear citnames` (Bear 3, the default) or `bear semantic` (Bear 4,
--bear-version 4) make a compilation database from them.

  atrace -f -o build.atrace make
  python3 scripts/bear_events.py -o events.json build.atrace
  bear citnames --input events.json --output compile_commands.json

One event per program a process ran (Bear 3: a start and an end event),
with its file name, arguments and working directory. The environment is
not in the trace: it is written empty.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout

from atrace.analysis import build_tree, script
from atrace.analysis.bear import intercept_events

PROG = "bear_events.py"


def main(argv: list[str]) -> int:
    parser = script.parser(PROG, __doc__ or "")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    parser.add_argument("--bear-version", type=int, choices=(3, 4), default=3,
                        help="the events layout: 3 for bear citnames (default), 4 for bear semantic")  # fmt: skip
    args = parser.parse_args(argv)
    tree = build_tree(script.events(args.trace, PROG))
    lines = "".join(json.dumps(event, ensure_ascii=False) + "\n" for event in intercept_events(tree, args.bear_version))
    data = lines.encode("utf-8", "surrogateescape")
    script.write_output(data, args.output)
    return 0


if __name__ == "__main__":
    sys.exit(script.run(PROG, main))
