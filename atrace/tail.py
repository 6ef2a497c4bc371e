"""`atrace tail`: show a trace as strace text, live while it is written.

SOURCE is a trace file (followed like `tail -f` until the tracer's trailer
arrives), `-` for stdin, or the address of a tracer started with
`--listen` (unix:/PATH, tcp:HOST:PORT).
"""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

from .errors import AtraceError
from .reader import TraceReader
from .render.text import TextOptions, TextRenderer


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise AtraceError(f"tail: {message} (see 'atrace tail --help')")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="atrace tail", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", help="trace file, '-' for stdin, or unix:/PATH / tcp:HOST:PORT of a listening tracer")
    parser.add_argument("--no-follow", action="store_true", help="print what the file holds now and exit")
    parser.add_argument("-s", dest="string_limit", type=int, default=32, metavar="SIZE",
                        help="maximum string size to print (default 32)")
    parser.add_argument("--always-show-pid", action="store_true", help="prefix every line with its pid")
    return parser


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    live = args.source != "-" and not args.source.startswith(("unix:", "tcp:"))
    reader = TraceReader(args.source, follow=live and not args.no_follow)
    renderer = TextRenderer(TextOptions(string_limit=args.string_limit, always_show_pid=args.always_show_pid))
    out = sys.stdout
    try:
        for event in reader:
            text = renderer.render([event])
            if text:
                out.write(text)
                out.flush()
    except KeyboardInterrupt:
        pass
    except BrokenPipeError:
        return 0
    out.write(renderer.finish())
    if reader.truncated:
        print(f"atrace: {reader.name}: the trace is cut short (its writer stopped mid-record)", file=sys.stderr)
        return 1
    return 0
