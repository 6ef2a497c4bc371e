"""strace's tracing-behaviour options: how atrace runs, not what it shows.

-D/--daemonize (the tracer as a detached grandchild), -I/--interruptible
(which signals may interrupt atrace), -b/--detach-on=execve, -A
(append to the -o file), -d/--debug, --tips, --syscall-limit=N,
--kill-on-exit, -Y/--decode-pids=comm|pidns/--pidns-translation, -e kvm=vcpu. Their
declarations, and their values checked and worded as strace words its
errors (strace's tests of options grep for those words).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass

from .errors import AtraceError
from .strace_options import name_set

# -D's count and --daemonize's words: 1 the tracer is the command's
# grandchild, 2 also in a process group of its own, 3 in a session of its own.
DAEMONIZE_WORDS = {"grandchild": 1, "pgroup": 2, "pgrp": 2, "process_group": 2, "session": 3}
# -I's numbers and words (strace --help): 1 anywhere or always (no signal is blocked),
# 2 waiting (fatal signals blocked while decoding: atrace's handling of
# them, the default), 3 never (always blocked), 4 never_tstp (and SIGTSTP).
INTERRUPTIBLE_WORDS = {"anywhere": 1, "always": 1, "waiting": 2, "never": 3, "never_tstp": 4}
# --decode-pids= / -e decode-pids=: what a pid is shown with.
DECODE_PIDS = ("comm", "pidns")


@dataclass(slots=True)
class Behaviour:
    daemonize: int = 0  # 0: atrace is the command's parent; 1-3 as -D's count
    interruptible: int = 2
    detach_on_execve: bool = False
    append: bool = False
    debug: bool = False
    tips: Tips | None = None
    syscall_limit: int | None = None
    kill_on_exit: bool = False
    pid_comm: bool = False  # -Y: pid<comm>
    pidns: bool = False  # --pidns-translation
    kvm_vcpu: bool = False  # -e kvm=vcpu: KVM_RUN's exit reason


@dataclass(slots=True)
class Tips:
    """--tips: which tip (None: a random one) and how it is drawn."""

    tip: int | None = None
    style: str = "compact"  # none, compact, full


def add_options(group: argparse._ArgumentGroup) -> None:
    group.add_argument(
        "-D",
        dest="daemonize_count",
        action="count",
        default=0,
        help="run the tracer as the command's detached grandchild, so the command keeps the pid and parent "
        "atrace was started with; -DD: the tracer also in a process group of its own, -DDD: in a session of its own",
    )
    group.add_argument(
        "--daemonize",
        dest="daemonize",
        metavar="grandchild|pgroup|session",
        nargs="?",
        help="as -D, -DD, -DDD (alone: grandchild)",
    )
    group.add_argument(
        "-I",
        dest="interruptible_short",
        metavar="1-4",
        help="when a fatal signal (SIGINT, SIGTERM, SIGHUP, SIGQUIT) may interrupt atrace: 1 anywhere (it kills "
        "atrace at once), 2 waiting (atrace detaches, kills a launched command by the same signal, and ends "
        "by it), 3 never (they are ignored), 4 never_tstp (3, and ^Z does not stop atrace); also as the words "
        "anywhere, waiting, never, never_tstp. Default, as strace: 4 with -D, 3 with -o and a command, else 2",
    )
    group.add_argument("--interruptible", dest="interruptible_long", metavar="1-4", help="as -I")
    group.add_argument(
        "-A",
        "--output-append-mode",
        dest="append",
        action="store_true",
        help="append to the -o file (and -ff's files) instead of truncating it",
    )
    group.add_argument(
        "-b",
        "--detach-on",
        dest="detach_on",
        metavar="execve",
        action="append",
        default=[],
        help="detach from a process when it succeeds in an execve (only execve)",
    )
    group.add_argument(
        "--syscall-limit",
        dest="syscall_limit",
        metavar="N",
        help="detach from every task after N traced calls (those the -e trace= set records) and let them run on "
        "(under seccomp-bpf: pass them through to their end, recording nothing)",
    )
    group.add_argument(
        "--kill-on-exit",
        dest="kill_on_exit",
        action="store_true",
        help="kill every traced task when atrace ends or detaches (PTRACE_O_EXITKILL), also with -p",
    )
    group.add_argument(
        "-d",
        "--debug",
        dest="debug",
        action="store_true",
        help="debug notes on stderr (the ptrace options set on each tracee)",
    )
    group.add_argument(
        "--tips",
        dest="tips",
        metavar="[id:N|random][,format:none|compact|full]",
        nargs="?",
        action="append",
        help="print a tip about atrace's options at the end (stderr)",
    )
    group.add_argument(
        "-Y",
        dest="pid_comm",
        action="store_true",
        help="show each pid with its command name: 1234<make> (as --decode-pids=comm)",
    )
    group.add_argument(
        "--decode-pids",
        "--decode-pid",
        dest="decode_pids",
        metavar="comm,pidns",
        action="append",
        default=[],
        help="comm: pids with their command name (-Y); pidns: also pids as atrace's pid namespace sees them "
        "(--pidns-translation)",
    )
    group.add_argument(
        "--pidns-translation",
        dest="pidns_translation",
        action="store_true",
        help="as --decode-pids=pidns",
    )
    group.add_argument(
        "-F",
        dest="follow_deprecated",
        action="count",
        default=0,
        help="as -f (strace's deprecated spelling, said so on stderr)",
    )
    # Accepted so that they are refused with a reason, not as unknown.
    group.add_argument("-k", "--stack-traces", dest="stack_traces", action="store_true",
                       help="not supported: atrace records no stack traces")  # fmt: skip
    group.add_argument("--secontext", dest="secontext", nargs="?", const="", metavar="full|mismatch",
                       help="not supported: atrace prints no SELinux contexts")  # fmt: skip


def _count_or_word(option: str, value: str, words: dict[str, int], top: int) -> int:
    """A number 1..top or one of `words` (case-insensitive), as strace takes -I and --daemonize."""
    if value.isdigit() and 1 <= int(value) <= top and value[0] != "0":
        return int(value)
    found = words.get(value.lower())
    if found is None:
        raise AtraceError(f"invalid {option} argument: '{value}'")
    return found


def _decode_pids(values: list[str]) -> frozenset[str]:
    chosen: frozenset[str] = frozenset()
    for value in values:
        chosen = name_set(value, DECODE_PIDS, "decode-pids")
    return chosen


def _tips(values: list[str | None]) -> Tips:
    tips = Tips()
    for value in values:
        for part in (value or "").split(","):
            if part == "":
                continue
            key, sep, word = part.partition(":")
            if not sep:
                key, word = ("format" if part in ("none", "compact", "full") else "id"), part
            if key == "format" and word in ("none", "compact", "full"):
                tips.style = word
            elif key == "id" and word == "random":
                tips.tip = None
            elif key == "id" and word.isdigit() and int(word) < 2**31:
                tips.tip = int(word)
            else:
                raise AtraceError(f"invalid --tips argument: '{value}'")
    return tips


def behaviour(args: argparse.Namespace, expressions: list[str]) -> tuple[Behaviour, list[str]]:
    """The options' values, checked; and the -e list without decode-pids= and kvm=."""
    out = Behaviour()
    if args.daemonize_count and args.daemonize is not None:
        raise AtraceError("-D and --daemonize cannot be provided simultaneously")
    if args.daemonize_count > 3:
        raise AtraceError(f"Too many -D's ({args.daemonize_count}), maximum supported -D count is 3")
    out.daemonize = args.daemonize_count
    if args.daemonize is not None:
        out.daemonize = _count_or_word("--daemonize", args.daemonize or "grandchild", DAEMONIZE_WORDS, 0)
    if args.interruptible_short is not None:
        out.interruptible = _count_or_word("-I", args.interruptible_short, INTERRUPTIBLE_WORDS, 4)
    if args.interruptible_long is not None:
        out.interruptible = _count_or_word("--interruptible", args.interruptible_long, INTERRUPTIBLE_WORDS, 4)
    if args.interruptible_short is None and args.interruptible_long is None:
        # strace's default: never_tstp with -D, never with -o and a command
        # (the signals go to the command; atrace traces it to its end),
        # else waiting.
        out.interruptible = 4 if out.daemonize else 3 if args.output and args.command else 2
    for call in args.detach_on:
        if call != "execve":
            raise AtraceError(f"Syscall '{call}' for -b isn't supported")
        out.detach_on_execve = True
    out.append = args.append
    out.debug = args.debug
    if args.tips is not None:
        out.tips = _tips(args.tips)
    if args.syscall_limit is not None:
        if not args.syscall_limit.isdigit() or int(args.syscall_limit) == 0:
            raise AtraceError(f"invalid --syscall-limit argument: '{args.syscall_limit}'")
        out.syscall_limit = int(args.syscall_limit)
    out.kill_on_exit = args.kill_on_exit
    if args.stack_traces:
        raise AtraceError("Stack traces (-k/--stack-traces option) are not supported by atrace")
    if args.secontext is not None:
        raise AtraceError("SELinux context printing (--secontext option) is not supported by atrace")
    if args.follow_deprecated:
        # strace: -F counts as an -f (and says it is deprecated, once)
        print("atrace: option -F is deprecated, please use -f/--follow-forks instead", file=sys.stderr)
        args.follow += args.follow_deprecated
    rest: list[str] = []
    pid_values = list(args.decode_pids)
    for expression in expressions:
        qualifier, sep, value = expression.partition("=")
        if sep and qualifier in ("decode-pids", "decode-pid"):
            pid_values.append(value)
        elif sep and qualifier == "kvm":
            if value != "vcpu":  # strace's only value, and its words
                raise AtraceError(f"invalid -e kvm= argument: '{value}'")
            out.kvm_vcpu = True
        else:
            rest.append(expression)
    chosen = _decode_pids(pid_values)
    out.pid_comm = args.pid_comm or "comm" in chosen
    out.pidns = args.pidns_translation or "pidns" in chosen
    return out, rest
