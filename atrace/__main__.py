"""`python -m atrace` and the `atrace` console script."""

from __future__ import annotations

import contextlib
import os
import sys

from .cli import main


def run() -> None:
    """main(), then, after a trace, exit without tearing the interpreter
    down: freeing every module's objects costs a trace ~0.08 s of CPU at
    its end, which a short build feels. Everything atrace writes is written
    by then (outputs closed, renderer reaped); only stdio may hold a buffer.
    The subcommands (tail, report) exit the ordinary way: they write
    through Python's buffered files."""
    code = main()
    if sys.argv[1:2] in (["tail"], ["report"]):
        raise SystemExit(code)
    for stream in (sys.stdout, sys.stderr):
        if stream is None:  # started with that fd closed (`>&-`)
            continue
        # A closed pipe: nothing more can reach it anyway.
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
