"""`atrace tail`: show a trace as strace text, live while it is written.

SOURCE is a trace file (followed like `tail -f` until the tracer's trailer
arrives; --no-follow to print what is there and stop), `-` for stdin, or the
address of a tracer started with `--listen` (unix:/PATH, tcp:HOST:PORT).

  atrace tail build.atrace
  atrace tail -e trace=%file -e status=failed build.atrace
  atrace tail --pid 4242 -f unix:/tmp/atrace.sock
  atrace tail -P /etc/passwd --no-follow build.atrace
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from dataclasses import fields
from typing import IO, Any, NoReturn

from . import address, filters
from .analysis.select import EventFilter, Selection
from .errors import AtraceError
from .reader import TraceFormatError, TraceReader
from .render.flags import STYLES
from .render.options import apply_recorded
from .render.stage import TextMaker, text_pipeline
from .render.text import TextOptions

# What a renderer can raise on a record of the right shape but with junk in
# its fields (a corrupt file that still parses as msgpack).
_JUNK_ERRORS = (TypeError, ValueError, KeyError, IndexError, AttributeError, OverflowError)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise AtraceError(f"tail: {message} (see 'atrace tail --help')")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="atrace tail", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", help="trace file, '-' for stdin, or unix:/PATH / tcp:HOST:PORT of a listening tracer")
    parser.add_argument("--no-follow", action="store_true", help="print what the file holds now and exit")
    parser.add_argument(
        "-e",
        dest="expressions",
        metavar="EXPR",
        action="append",
        default=[],
        help="trace=SET (names, %%class, /regex, ! to negate), status=successful,failed,unfinished, "
        "signal=SET, trace-fds=SET; repeatable (filtered as the tracer's own text is)",
    )
    parser.add_argument(
        "--pid", dest="pids", metavar="PID", type=int, action="append", help="show only this process (repeatable)"
    )
    parser.add_argument(
        "-f", dest="descendants", action="store_true", help="with --pid: also the processes it starts, and theirs"
    )
    parser.add_argument(
        "-P",
        dest="paths",
        metavar="PATH",
        action="append",
        help="show only calls that access PATH (by name or through an fd; repeatable)",
    )
    parser.add_argument(
        "-s",
        dest="string_limit",
        type=int,
        default=32,
        metavar="SIZE",
        help="maximum string size to print (default 32)",
    )
    parser.add_argument("--always-show-pid", action="store_true", help="prefix every line with its pid")
    parser.add_argument(
        "-t",
        dest="timestamps",
        action="count",
        default=0,
        help="prefix lines with the time of day (-tt with microseconds, -ttt as epoch seconds)",
    )
    parser.add_argument("-r", dest="relative", action="store_true", help="prefix lines with the time since the last")
    parser.add_argument("-T", dest="syscall_times", action="store_true", help="show the time spent in each call")
    parser.add_argument("-n", dest="syscall_numbers", action="store_true", help="show syscall numbers")
    parser.add_argument(
        "-a",
        "--columns",
        dest="columns",
        type=int,
        default=40,
        metavar="COLUMN",
        help="the column of ' = ' (default: the trace's own -a, else 40)",
    )
    parser.add_argument("-v", dest="verbose", action="store_true", help="print structures in full")
    parser.add_argument("-X", "--const-print-style", dest="const_style", choices=STYLES, default="abbrev",
                        help="named constants as names (abbrev), numbers (raw) or both (verbose); "
                        "default: the tracer's -X, recorded in the trace")  # fmt: skip
    parser.add_argument(
        "-x", dest="hex_strings", action="count", default=0, help="non-printable string bytes in hex (-xx: all bytes)"
    )
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                        help="colour the output (default: when stdout is a terminal)")  # fmt: skip
    return parser


def selection_from_args(args: argparse.Namespace) -> Selection:
    """What tail chooses before the filter stage: -e trace= (a trace may hold
    every call) and --pid (-f: with its descendants).  status=, signal=,
    trace-fds= and -P are the filter stage's, as for the tracer's own text
    (display_filter)."""
    selection = Selection()
    chosen = _expressions(args)
    if chosen.recorded is not None:
        selection.numbers = chosen.recorded
    if args.pids:
        selection.pids = frozenset(args.pids)
        selection.descendants = args.descendants
    elif args.descendants:
        raise AtraceError("tail: -f needs --pid PID")
    return selection


def display_filter(args: argparse.Namespace) -> filters.DisplayFilter | None:
    """The filter stage's filter, built as the tracer's command line builds
    it; -P matches each call's paths as the traced process resolved them
    (its working directory, dirfds and fds, followed through the trace)."""
    chosen = _expressions(args)
    try:
        return filters.display_filter(chosen.statuses, chosen.signals, args.paths or [], chosen.fds, False, False,
                                      resolve_in_tracee=True)  # fmt: skip
    except AtraceError as err:
        raise AtraceError(f"tail: {err}") from None


def _expressions(args: argparse.Namespace) -> filters.Selection:
    try:
        return filters.parse_expressions(args.expressions)
    except AtraceError as err:
        raise AtraceError(f"tail: {err}") from None


def text_options(args: argparse.Namespace) -> TextOptions:
    """The renderer's options from ours, passing only those it has."""
    known = {f.name for f in fields(TextOptions)}
    wanted: dict[str, Any] = {
        name: getattr(args, name)
        for name in ("string_limit", "always_show_pid", "timestamps", "relative", "syscall_times",
                     "syscall_numbers", "verbose", "hex_strings", "columns", "const_style")
    }  # fmt: skip
    for name, value in wanted.items():
        if value and name not in known:
            raise AtraceError(f"tail: this renderer does not support the option for {name} yet")
    return TextOptions(filter=display_filter(args), **{key: value for key, value in wanted.items() if key in known})


# -- colour ----------------------------------------------------------------

# pid prefix (`[pid 12] ` or a pid column), then a -t/-tt/-ttt/-r stamp
_PREFIX = re.compile(r"((?:\[pid\s+\d+\] |\d+ +)?(?:[\d:.]+ +)?)")
_CALL = re.compile(r"(<\.\.\. )?([a-z_][a-z0-9_]*)(\(| resumed>)")
_ERROR = re.compile(r"= -1 (E[A-Z0-9_]+|ERESTART\w*)(.*)$")
_RESULT = re.compile(r"= (\?|[-0-9a-fx]+)(.*)$")


class Colouriser:
    """Colours strace text as the renderer produces it, which may end in the
    middle of a line (a call in progress): it keeps track of whether the
    next piece starts a line, and styles each piece by its shape.

    The styles are rich's, turned into escape sequences once: printing every
    line through rich's Console is ten times slower than the renderer, and a
    build trace has millions of lines.
    """

    def __init__(self, out: IO[str]) -> None:
        from rich.console import Console
        from rich.style import Style

        console = Console(file=out, force_terminal=True)
        system = console.color_system
        codes: dict[str, tuple[str, str]] = {}
        for name in ("dim", "bold cyan", "bold red", "bold green", "bold magenta", "yellow"):
            rendered = Style.parse(name).render("\0", color_system=system)  # type: ignore[arg-type]
            before, _, after = rendered.partition("\0")
            codes[name] = (before, after)
        self._codes = codes
        self._out = out
        self._at_line_start = True

    def _paint(self, text: str, style: str) -> str:
        before, after = self._codes[style]
        return before + text + after

    def write(self, text: str) -> None:
        parts: list[str] = []
        for piece in text.splitlines(keepends=True):
            self._style(piece, parts)
            self._at_line_start = piece.endswith("\n")
        self._out.write("".join(parts))

    def _style(self, piece: str, out: list[str]) -> None:
        paint = self._paint
        newline = "\n" if piece.endswith("\n") else ""
        rest = piece[: len(piece) - len(newline)]
        if self._at_line_start:
            match = _PREFIX.match(rest)
            if match and match.end():
                out.append(paint(match.group(1), "dim"))
                rest = rest[match.end() :]
            if rest.startswith(("---", "+++", "atrace:")):
                if rest.startswith("---"):
                    style = "bold magenta"
                elif rest.startswith("+++ exited with 0 "):
                    style = "bold green"
                else:
                    style = "bold red"
                out.append(paint(rest, style) + newline)
                return
            match = _CALL.match(rest)
            if match:
                if match.group(1):
                    out.append(paint(match.group(1), "dim"))
                out.append(paint(match.group(2), "bold cyan"))
                out.append(paint(match.group(3), "dim") if match.group(1) else match.group(3))
                rest = rest[match.end() :]
        error = _ERROR.search(rest)
        if error:
            out.append(rest[: error.start()] + paint(rest[error.start() :], "bold red") + newline)
            return
        unfinished = rest.find(" <unfinished ...>")
        if unfinished >= 0:
            out.append(rest[:unfinished] + paint(rest[unfinished:], "dim") + newline)
            return
        result = _RESULT.search(rest)
        if result and result.group(1) == "?":
            out.append(rest[: result.start()] + paint(rest[result.start() :], "yellow") + newline)
            return
        out.append(rest + newline)

    def flush(self) -> None:
        self._out.flush()


# -- main ------------------------------------------------------------------


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    selection = selection_from_args(args)
    options = text_options(args)
    out = sys.stdout
    colour = args.color == "always" or (args.color == "auto" and out.isatty())
    writer: Callable[[str], object]
    if colour:
        colouriser = Colouriser(out)
        writer, flush = colouriser.write, colouriser.flush
    else:
        writer, flush = out.write, out.flush
    live = args.source != "-" and not address.is_address(args.source)
    reader = TraceReader(args.source, follow=live and not args.no_follow, on_wait=flush)
    apply_recorded(options, reader.header.meta.get("options"))
    renderer = text_pipeline(options)
    chooser = EventFilter(selection)
    interrupted = False
    try:
        try:
            _show(reader, chooser, renderer, writer)
        except KeyboardInterrupt:
            interrupted = True
        writer(renderer.finish())
        flush()
    except BrokenPipeError:
        _quiet_stdout()
        return 0
    except TraceFormatError:
        _finish_quietly(renderer, writer, flush)
        raise
    if reader.truncated:
        print(f"atrace: {reader.name}: the trace is cut short (its writer stopped mid-record)", file=sys.stderr)
        return 1
    if reader.writer_gone:
        print(f"atrace: {reader.name}: the tracer exited without finishing the trace (no trailer)", file=sys.stderr)
        return 1
    if reader.trailer is None and not interrupted:
        print(f"atrace: {reader.name}: the trace is cut short (it ends without a trailer)", file=sys.stderr)
        return 1
    return 0


def _show(reader: TraceReader, chooser: EventFilter, renderer: TextMaker, writer: Callable[[str], object]) -> None:
    """Filter and render every event. The reader has checked each record's
    fields; what a call's `data` map holds is checked by what reads it (the
    filters' path tracking, the renderer), which fail on a value of the
    wrong type: that is a corrupt trace too."""
    try:
        for event in reader:
            shown = chooser.feed(event)
            if shown:
                writer(renderer.render(shown))
        writer(renderer.render(chooser.flush()))
    except _JUNK_ERRORS as err:
        why = f"a record holds an impossible value ({str(err) or type(err).__name__})"
        raise TraceFormatError(f"{reader.name}: corrupt trace: {why}") from None


def _finish_quietly(renderer: TextMaker, writer: Callable[[str], object], flush: Callable[[], object]) -> None:
    """Close the last line before the error message goes to stderr."""
    try:
        writer(renderer.finish())
        flush()
    except (BrokenPipeError, *_JUNK_ERRORS):
        pass


def _quiet_stdout() -> None:
    """The reader of our output went away (| head): silence the final flush."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
