"""strace's option syntax where argparse's differs from getopt_long's.

cli.py declares the options; this module holds the parts of strace's
language argparse cannot say by itself: long options whose argument is
optional and only ever given as `--name=VALUE` (argparse would take the
command's name as the value), and the values of the options that spell a
set or a format (`--quiet=`, `--absolute-timestamps=`, `-e abbrev=`...).
"""

from __future__ import annotations

import argparse

from .errors import AtraceError

# -e quiet= / --quiet=: the messages strace can be asked not to print.
QUIET_MESSAGES = ("attach", "exit", "path-resolution", "personality", "thread-execve", "superseded")
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


def quiet_set(value: str) -> frozenset[str]:
    """-e quiet=SET: names, `all`, `none`, `!` to negate."""
    negate = value.startswith("!")
    names: set[str] = set()
    for part in value[negate:].split(","):
        if part == "all":
            names.update(QUIET_MESSAGES)
        elif part == "none":
            continue
        elif part in QUIET_MESSAGES:
            names.add(part)
        elif part == "thread_execve":
            names.add("thread-execve")
        else:
            raise AtraceError(f"invalid quiet '{part}'")
    return frozenset(QUIET_MESSAGES) - names if negate else frozenset(names)


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
    levels = {"": 2, "all": 2, "non-ascii": 1, "none": 0}
    if value not in levels:
        raise AtraceError(f"--strings-in-hex={value} is not supported yet")
    return levels[value]


def display_expression(qualifier: str, value: str) -> bool | None:
    """-e abbrev=, -e verbose=, -e raw= as far as atrace can honour them:
    True to print structs in full (-v), False for the default, None when the
    qualifier is not one of these."""
    whole = value in ("all", "%all")
    nothing = value in ("none", "!all")
    if qualifier in ("abbrev", "a"):
        if whole or nothing:
            return nothing
    elif qualifier in ("verbose", "v"):
        if whole:
            return False
    elif qualifier in ("raw", "x"):
        if nothing:
            return False
    else:
        return None
    raise AtraceError(f"-e {qualifier}={value} is not supported yet")
