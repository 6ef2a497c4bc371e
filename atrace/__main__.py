"""`python -m atrace` and the `atrace` console script.

Light on purpose: a run is first offered to the resident server
(atrace/resident/), which needs only stdlib here; the CLI and its imports
(trio, the tracer, the renderer: ~0.4 s) are loaded only when the run
goes in-process.
"""

from __future__ import annotations

import os
import sys


def run() -> None:
    """A resident server's run, or main() in-process; then, after a trace,
    exit without tearing the interpreter down: freeing every module's
    objects costs a trace ~0.08 s of CPU at its end, which a short build
    feels. Everything atrace writes is written by then (outputs closed,
    renderer reaped); only stdio may hold a buffer. The subcommands (tail,
    report) exit the ordinary way: they write through Python's buffered
    files."""
    argv = sys.argv[1:]
    try:
        from .resident import client

        if argv[:1] == ["resident"]:
            raise SystemExit(client.control(argv[1:]))
        served = client.run(argv)
    except KeyboardInterrupt:
        print("atrace: interrupted", file=sys.stderr)
        raise SystemExit(130) from None
    if served is not None:
        os._exit(served)
    import contextlib

    from .cli import main

    code = main()
    if argv[:1] in (["tail"], ["report"]):
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
