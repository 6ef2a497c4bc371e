"""`atrace report TRACE [-o report.html]`: the command line."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import NoReturn

from ..errors import AtraceError
from ..reader import TraceReader
from .collect import collect
from .model import build_report
from .page import render
from .summary import text_summary

DESCRIPTION = """\
Write one self-contained HTML page (no network needed) about a traced build:
wall and CPU time, jobs, the critical path, parallelism over time, the
slowest jobs and system calls, failures with their stderr; and print a short
summary. TRACE is a file written by `atrace -f -o TRACE ...`, or - for stdin.

  atrace -f -o build.atrace make -j4
  atrace report build.atrace              writes build.html
  atrace report build.atrace -o r.html
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise AtraceError(f"report: {message} (see 'atrace report --help')")


def default_output(trace: str) -> str:
    if trace == "-" or (":" in trace and not os.path.exists(trace)):
        return "atrace-report.html"
    path = Path(trace)
    return str(path.with_suffix(".html")) if path.suffix != ".html" else str(path) + ".html"


def main(argv: list[str]) -> int:
    parser = _Parser(
        prog="atrace report", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("trace", help="trace file, or - to read it from stdin")
    parser.add_argument("-o", dest="output", metavar="HTML",
                        help="where to write the page (default: TRACE with .html; - for stdout)")  # fmt: skip
    parser.add_argument("--title", help="the page's title (default: the traced command)")
    args = parser.parse_args(argv)
    output = args.output or default_output(args.trace)
    reader = TraceReader(args.trace)
    progress = _progress if sys.stderr.isatty() else None
    facts = collect(reader, progress, truncated=lambda: reader.truncated or reader.trailer is None)
    if progress is not None:
        print("\r\033[K", end="", file=sys.stderr)
    if facts.truncated:
        print(f"atrace: warning: {reader.name} is cut short; reported up to the last complete record",
              file=sys.stderr)  # fmt: skip
    report = build_report(facts)
    command = facts.header.get("command") or []
    title = args.title or ("atrace report: " + " ".join(str(arg) for arg in command) if command else "atrace report")
    page = render(report, title)
    if output == "-":
        sys.stdout.write(page)
        sys.stdout.flush()
        summary_to = sys.stderr
    else:
        try:
            Path(output).write_text(page, encoding="utf-8")
        except OSError as err:
            raise AtraceError(f"cannot write {output}: {err.strerror}") from None
        summary_to = sys.stdout
    print(text_summary(report, None if output == "-" else output), end="", file=summary_to)
    return 0


def _progress(records: int) -> None:
    print(f"\ratrace report: {records:,} records read…", end="", file=sys.stderr, flush=True)
