"""strace's option syntax where argparse's differs from getopt_long's.

cli.py declares atrace's own options and strace's first ones; this module
declares the display options added for strace's whole command line (-a, -q,
-X, the long spellings with optional values, the `-e` qualifiers' long
forms), merges each option's short and long spellings (`display_expressions`),
and holds the parts of strace's language argparse cannot say by itself: long
options whose argument is optional and only ever given as `--name=VALUE`
(argparse would take the command's name as the value), and the values of the
options that spell a set or a format (`--quiet=`, `--absolute-timestamps=`,
`-e abbrev=`...).
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from .errors import AtraceError
from .filters import call_names, every_call_name, note_resolved_paths
from .render.options import FD_DETAILS, STYLES

# -e quiet= / --quiet=: the messages strace can be asked not to print.
QUIET_MESSAGES = ("attach", "exit", "path-resolution", "personality", "thread-execve", "superseded")
# Other spellings strace 6.1 accepts for some of them.
QUIET_ALIASES = {"exits": "exit"}
# -q, -qq, -qqq (strace --help)
QUIET_LEVELS: tuple[frozenset[str], ...] = (
    frozenset(),
    frozenset({"attach", "personality"}),
    frozenset({"attach", "personality", "exit"}),
    frozenset(QUIET_MESSAGES),
)


def optional_values(parser: argparse.ArgumentParser, argv: list[str]) -> list[str]:
    """argv with each long option of optional argument given without `=`
    written as `--name=` (getopt_long: its value can only follow `=`).

    Options end at `--` or at the first word that is neither an option nor an
    option's argument: the command and its own arguments are left alone."""
    longs: dict[str, argparse.Action] = {}
    shorts: dict[str, argparse.Action] = {}
    for action in parser._actions:
        for name in action.option_strings:
            if name.startswith("--"):
                longs[name] = action
            else:
                shorts[name[1:]] = action
    out = list(argv)
    i = 0
    while i < len(out):
        word = out[i]
        if word == "--" or not word.startswith("-") or word == "-":
            break
        if word.startswith("--"):
            name, eq, _value = word.partition("=")
            matches = [full for full in longs if full == name] or [full for full in longs if full.startswith(name)]
            found = longs[matches[0]] if len(matches) == 1 else None
            if found is not None and not eq:
                if found.nargs == "?":
                    out[i] = matches[0] + "="
                elif found.nargs != 0:
                    i += 1  # its argument is the next word
        else:
            for at, letter in enumerate(word[1:], 1):
                short = shorts.get(letter)
                if short is None:
                    break
                if short.nargs != 0:
                    if at == len(word) - 1:
                        i += 1  # `-o FILE`: the next word is the value
                    break
        i += 1
    return out


def name_set(
    value: str, known: tuple[str, ...], what: str, aliases: dict[str, str] | None = None
) -> frozenset[str]:
    """A set of names as strace's qualifiers spell it: names (`_` for `-`),
    `all`, `none`, `!` to negate; an unknown one is "invalid WHAT 'NAME'"."""
    negate = value.startswith("!")
    names: set[str] = set()
    for part in value[negate:].split(","):
        part = (aliases or {}).get(part, part)
        if part == "all":
            names.update(known)
        elif part == "none":
            continue
        elif part.replace("_", "-") in known:
            names.add(part.replace("_", "-"))
        else:
            raise AtraceError(f"invalid {what} '{part}'")
    return frozenset(known) - names if negate else frozenset(names)


def quiet_set(value: str) -> frozenset[str]:
    """-e quiet=SET: names, `all`, `none`, `!` to negate."""
    return name_set(value, QUIET_MESSAGES, "quiet", QUIET_ALIASES)


# strace's PRECISION words: digits after the point
PRECISIONS = {"s": 0, "ms": 3, "us": 6, "ns": 9}


def absolute_timestamps(values: list[str]) -> tuple[int, int]:
    """--absolute-timestamps=[format:]FMT[,[precision:]PREC], repeatable (a
    later one changes only what it names), as (-t's count, digits): count 0
    for none, 1 or 2 the time of day, 3 seconds since the epoch."""
    fmt, precision = "time", "s"
    for value in values:
        for part in value.split(",") if value else []:
            key, sep, word = part.partition(":")
            if not sep:
                key, word = ("precision" if part in PRECISIONS else "format"), part
            if key == "format" and word in ("none", "time", "unix"):
                fmt = word
            elif key == "precision" and word in PRECISIONS:
                precision = word
            else:
                raise AtraceError(f"invalid --absolute-timestamps argument: '{value}'")
    digits = PRECISIONS[precision]
    if fmt == "none":
        return 0, digits
    return (3 if fmt == "unix" else 2 if digits else 1), digits


def precision(option: str, value: str) -> int:
    """-r's and -T's PRECISION (default microseconds) as digits."""
    if value == "":
        return 6
    if value not in PRECISIONS:
        raise AtraceError(f"invalid --{option} argument: '{value}'")
    return PRECISIONS[value]


def strings_in_hex(value: str) -> int:
    """--strings-in-hex[=all|non-ascii|non-ascii-chars] as -x's count."""
    levels = {"": 2, "all": 2, "non-ascii": 1, "none": 0, "non-ascii-chars": 3}
    if value not in levels:
        raise AtraceError(f"invalid --strings-in-hex argument: '{value}'")
    return levels[value]


# -e abbrev=, verbose=, raw= and their short qualifiers: the TextOptions
# field each one's set of calls goes to.
CALL_SETS = {"abbrev": "abbrev", "a": "abbrev", "verbose": "dereference", "v": "dereference",
             "raw": "raw", "x": "raw"}  # fmt: skip


class Expression(argparse.Action):
    """--trace=SET and the other long spellings of `-e QUALIFIER=SET`."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:  # fmt: skip
        assert isinstance(values, str)
        namespace.expressions = [*namespace.expressions, f"{self.const}={values}"]


def add_expression_longs(group: argparse._ArgumentGroup) -> None:
    qualifiers = ("trace", "signal", "signals", "status", "trace-fds", "abbrev", "verbose", "raw")
    for qualifier in (*qualifiers, "inject", "fault", "read", "write", "kvm"):
        group.add_argument(f"--{qualifier}", action=Expression, const=qualifier, metavar="SET", dest="expressions",
                           help=f"as -e {qualifier}=SET")  # fmt: skip


def add_display_options(group: argparse._ArgumentGroup) -> None:
    """Display options added for strace's whole command line (issue 11)."""
    group.add_argument(
        "-a",
        "--columns",
        dest="columns",
        metavar="COLUMN",
        type=column,
        default=40,
        help="the column where ' = ' and the return value start (default 40)",
    )
    group.add_argument(
        "-i",
        "--instruction-pointer",
        dest="instruction_pointer",
        action="store_true",
        help="print the instruction pointer at the time of each call and signal: [00007f...]",
    )
    group.add_argument(
        "-q",
        dest="quiet_level",
        action="count",
        default=0,
        help="do not print attach/detach and personality notes; -qq: nor '+++ exited with' lines; "
        "-qqq: no suppressible message at all",
    )
    group.add_argument(
        "--quiet",
        "--silent",
        "--silence",
        dest="quiet_sets",
        metavar="SET",
        nargs="?",
        action="append",
        default=[],
        help="as -e quiet=SET: attach, exit, path-resolution, personality, thread-execve, superseded, all; "
        "alone: as -q",
    )
    group.add_argument(
        "--absolute-timestamps",
        "--timestamps",
        dest="absolute_timestamps",
        metavar="FORMAT",
        nargs="?",
        action="append",
        help="[format:]time|unix|none[,[precision:]s|ms|us|ns], repeatable: -t is time, -tt time,us, -ttt unix,us",
    )
    group.add_argument("--relative-timestamps", dest="relative_precision", metavar="s|ms|us|ns", nargs="?",
                       help="as -r (default: microseconds)")  # fmt: skip
    group.add_argument(
        "--syscall-times", dest="times_precision", metavar="s|ms|us|ns", nargs="?", help="as -T (default: microseconds)"
    )
    group.add_argument(
        "--strings-in-hex", dest="strings_in_hex", metavar="all|non-ascii|non-ascii-chars|none", nargs="?",
        help="-xx (all) or -x (non-ascii); non-ascii-chars: only those bytes in hex, not the whole string",
    )
    group.add_argument(
        "-X",
        "--const-print-style",
        dest="const_style",
        metavar="raw|abbrev|verbose",
        default="abbrev",
        help="how named constants and flags are printed: abbrev (names, the default), raw (numbers), "
        "verbose (numbers, then the names as a comment)",
    )
    group.add_argument(
        "--decode-fds",
        dest="decode_fds",
        metavar="SET",
        nargs="?",
        help="what to show of each fd, a comma list of path (-y, the default), dev (a device's type and "
        "major:minor), socket (a socket's protocol), pidfd (a pidfd's pid), all (-yy) or none; "
        "-e decode-fds=SET is the same",
    )


def column(text: str) -> int:
    if not text.isdigit():
        raise AtraceError(f"invalid -a argument: '{text}'")
    return int(text)


@dataclass(slots=True)
class Display:
    """The display options once their short and long spellings are merged."""

    verbose: bool
    # -e abbrev=, -e verbose=, -e raw=: the calls of each (None: every call)
    abbrev: frozenset[str] | None
    dereference: frozenset[str] | None
    raw: frozenset[str]
    const_style: str
    hex_strings: int
    timestamps: int
    relative: bool
    syscall_times: bool
    fd_paths: bool
    quiet: frozenset[str]
    timestamp_digits: int | None
    relative_digits: int
    times_digits: int
    # -y / -yy / --decode-fds / -e decode-fds=: what to show behind each fd
    # (tracer/fd_paths.py FD_DETAILS); fd_paths is "anything at all".
    decode_fds: frozenset[str] = frozenset()


def decode_fds_set(value: str) -> frozenset[str]:
    """--decode-fds=SET: a comma list of path, socket, dev, pidfd, or all
    or none; a leading ! takes the others."""
    negated = value.startswith("!")
    chosen: set[str] = set()
    for item in (value[1:] if negated else value).split(","):
        if item == "all":
            chosen.update(FD_DETAILS)
        elif item in FD_DETAILS:
            chosen.add(item)
        elif item != "none":
            raise AtraceError(f"invalid decode-fds '{item}'")
    return frozenset(FD_DETAILS) - chosen if negated else frozenset(chosen)


def display_expressions(args: argparse.Namespace) -> tuple[list[str], Display]:
    """Take the display qualifiers (-e quiet=, abbrev=, verbose=, raw=) out
    of the -e list, and merge each option's short and long spellings."""
    rest: list[str] = []
    verbose = args.verbose
    decode: frozenset[str] | None = None
    calls: dict[str, frozenset[str] | None] = {"abbrev": None, "dereference": None, "raw": frozenset()}
    quiet = QUIET_LEVELS[min(args.quiet_level, 3)]
    for value in args.quiet_sets:
        quiet |= QUIET_LEVELS[1] if not value else quiet_set(value)
    for expression in args.expressions:
        qualifier, sep, value = expression.partition("=")
        if sep and qualifier in ("quiet", "q", "silent", "silence"):
            quiet = quiet_set(value)
            continue
        if sep and qualifier in ("decode-fds", "decode-fd"):
            decode = decode_fds_set(value)
            continue
        if sep and qualifier in CALL_SETS:
            calls[CALL_SETS[qualifier]] = call_names(value)
            continue
        rest.append(expression)
    if calls["abbrev"] == frozenset():
        verbose = True  # -e abbrev=none is -v
    raw = calls["raw"]  # None: every call (-e raw=all, or a regex all names match)
    timestamps = min(args.timestamps, 3)
    timestamp_digits = None
    if args.absolute_timestamps:
        timestamps, timestamp_digits = absolute_timestamps(args.absolute_timestamps)
    hex_strings = min(args.hex_strings, 2)
    if args.strings_in_hex is not None:
        hex_strings = strings_in_hex(args.strings_in_hex)
    relative = args.relative
    relative_digits = times_digits = 6
    if args.relative_precision is not None:
        relative, relative_digits = True, precision("relative-timestamps", args.relative_precision)
    syscall_times = args.syscall_times
    if args.times_precision is not None:
        syscall_times, times_digits = True, precision("syscall-times", args.times_precision)
    if args.const_style not in STYLES:
        raise AtraceError(f"invalid -X argument: '{args.const_style}'")
    if args.decode_fds is not None:
        decode = decode_fds_set(args.decode_fds or "path")
    elif decode is None:
        decode = frozenset(FD_DETAILS) if args.fd_paths >= 2 else frozenset({"path"}) if args.fd_paths else frozenset()
    fd_paths = bool(decode)
    if "path-resolution" not in quiet:
        note_resolved_paths(args.paths)
    return rest, Display(
        verbose, calls["abbrev"], calls["dereference"], every_call_name() if raw is None else raw, args.const_style,
        hex_strings, timestamps, relative, syscall_times, fd_paths, quiet,
        timestamp_digits, relative_digits, times_digits, decode,
    )  # fmt: skip
