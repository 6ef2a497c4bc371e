"""What every analysis script shares: reading its trace argument, and failing
with one clear line instead of a traceback."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator
from typing import NoReturn

from ..errors import AtraceError
from ..events import records as R
from ..reader import TraceReader


class ScriptError(AtraceError):
    """A bad argument or input; printed as `PROG: message`."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise ScriptError(f"{message} (see --help)")


def parser(prog: str, description: str) -> Parser:
    result = Parser(prog=prog, description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    result.add_argument("trace", help="trace file written by `atrace -o`, or - to read it from stdin")
    return result


def events(source: str, prog: str) -> Iterator[R.Event]:
    """The events of the trace; a cut trace is analysed up to the cut, with a warning."""
    reader = TraceReader(source)
    yield from reader
    # Cut inside a record, or between two with no trailer after them (the
    # writer never finished): either way the trace is not whole.
    if reader.truncated or reader.trailer is None:
        print(f"{prog}: warning: {reader.name} is cut short; analysed up to the last complete record",
              file=sys.stderr)  # fmt: skip


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


def ms(ns: int | None) -> str:
    return "-" if ns is None else f"{ns / 1e6:.1f} ms"
