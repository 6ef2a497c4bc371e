#!/usr/bin/env python3
"""Write compile_commands.json (the file clangd and clang-tidy read) from
the compiler invocations of a traced build: gcc, cc, clang, c++, g++ and
their target-prefixed or versioned names.

  atrace -f -o build.atrace make
  python3 scripts/compile_db.py build.atrace > compile_commands.json
  python3 scripts/compile_db.py -o compile_commands.json build.atrace

One entry per source file, with directory, arguments (the other sources
of the command removed, the compiler's absolute path first), file and
output, by Bear's rules (atrace/analysis/compile_db.py): duplicates and
sources that no longer exist (configure's probes; --keep-missing keeps
them) are dropped, ccache/distcc wrappers are seen through. Unlike Bear,
statically linked compilers and build tools are seen too: the trace
records every execve.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout

from atrace.analysis import build_tree, script
from atrace.analysis.compile_db import entries

PROG = "compile_db.py"


def main(argv: list[str]) -> int:
    parser = script.parser(PROG, __doc__ or "")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    parser.add_argument("--keep-missing", action="store_true",
                        help="keep entries whose source file no longer exists (configure's probes)")  # fmt: skip
    args = parser.parse_args(argv)
    found = entries(build_tree(script.events(args.trace, PROG)), keep_missing=args.keep_missing)
    document = json.dumps(found, indent=2, ensure_ascii=False) + "\n"
    if args.output:
        try:
            Path(args.output).write_text(document, encoding="utf-8", errors="surrogateescape")
        except OSError as err:
            raise script.ScriptError(f"cannot write {args.output}: {err.strerror}") from None
        print(f"{PROG}: {len(found)} entries written to {args.output}", file=sys.stderr)
    else:
        # Arguments that were not UTF-8 go out as their original bytes.
        sys.stdout.flush()
        sys.stdout.buffer.write(document.encode("utf-8", "surrogateescape"))
    return 0


if __name__ == "__main__":
    sys.exit(script.run(PROG, main))
