"""What every analysis script shares: reading its trace argument, and failing
with one clear line instead of a traceback."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NoReturn

from ..errors import AtraceError
from ..events import records as R
from ..filters import syscall_set
from ..reader import TraceReader
from ..syscalls import ARCH_X86_64, table


class ScriptError(AtraceError):
    """A bad argument or input; printed as `PROG: message`."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise ScriptError(f"{message} (see --help)")


def parser(prog: str, description: str) -> Parser:
    result = Parser(prog=prog, description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    result.add_argument("trace", help="trace file written by `atrace -o`, or - to read it from stdin")
    return result


# What an analysis needs recorded (docs/ANALYSIS.md): every call, or the
# named set of the file analyses. The process tree, compile database and
# timeline need no syscall record at all: spawn, exec and exit records are
# written whatever -e trace= says.
EVERY_CALL = "all"
FILE_CALLS = "%deps"


def events(source: str, prog: str, needs: str | None = None) -> Iterator[R.Event]:
    """The events of the trace; a cut trace is analysed up to the cut, with a warning.

    With `needs`, a trace whose header says it recorded less than that
    (`options.trace`) fails at once with one line naming what to record."""
    reader = TraceReader(source)
    stream = iter(reader)
    first = next(stream, None)
    if first is not None:
        if needs is not None and isinstance(first, R.Header):
            check_recorded(first.meta, needs)
        yield first
    yield from stream
    # Cut inside a record, or between two with no trailer after them (the
    # writer never finished): either way the trace is not whole.
    if reader.truncated or reader.trailer is None:
        print(f"{prog}: warning: {reader.name} is cut short; analysed up to the last complete record",
              file=sys.stderr)  # fmt: skip


def check_recorded(meta: dict[str, Any], needs: str) -> None:
    options = meta.get("options")
    recorded = options.get("trace") if isinstance(options, dict) else None
    if recorded is None:
        return  # every call (or a trace older than the key: it had no -e trace=)
    if needs == EVERY_CALL:
        raise ScriptError(
            f"this trace recorded only some system calls (-e trace=, {len(recorded)} names); this analysis needs "
            "every call: record the trace without -e trace="
        )
    numbers = (syscall_set(needs) or {}).get(ARCH_X86_64, frozenset())
    calls = table(ARCH_X86_64)
    needed = {call.name for call in calls if call is not None and call.nr in numbers}
    missing = sorted(needed - set(recorded))
    if missing:
        shown = ", ".join(missing[:4]) + (f" and {len(missing) - 4} more" if len(missing) > 4 else "")
        raise ScriptError(f"this trace did not record {shown}, which this analysis needs: record it with "
                          f"-e trace={needs} (or without -e trace=)")  # fmt: skip


def run(prog: str, main: Callable[[list[str]], int], argv: list[str] | None = None) -> int:
    """Call main(argv), turning the expected failures into one line and exit 1."""
    try:
        return main(sys.argv[1:] if argv is None else argv)
    except AtraceError as err:
        print(f"{prog}: {err}", file=sys.stderr)
        return 1
    except (TypeError, ValueError, KeyError, IndexError, AttributeError) as err:
        # Records that parse as msgpack but hold junk (a damaged file) fail
        # deep inside an analysis; say so in one line.
        if os.environ.get("ATRACE_DEBUG"):
            raise
        print(f"{prog}: cannot analyse this trace, is it corrupt? ({type(err).__name__}: {err})", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader of our output went away (| head): not an error. Point
        # stdout at /dev/null so the interpreter's final flush stays quiet.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


def write_output(data: bytes, path: str | None) -> None:
    """The script's result to the file named by -o, else to stdout."""
    if path:
        try:
            Path(path).write_bytes(data)
        except OSError as err:
            raise ScriptError(f"cannot write {path}: {err.strerror}") from None
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)


def ms(ns: int | None) -> str:
    return "-" if ns is None else f"{ns / 1e6:.1f} ms"
