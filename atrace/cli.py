"""Command line: parse strace-compatible options, then hand over.

Parsing only: what a run does lives in session.py and tracer/.
"""

from __future__ import annotations

import argparse
import os
import pwd
import resource
import signal
import sys
from typing import NoReturn

from . import __version__, daemon, filters, strace_options, tracing_options
from .errors import AtraceError, InternalError
from .filters import parse_expressions
from .render.options import TextOptions
from .session import SessionConfig, SessionResult, run_session
from .sinks import piped_command
from .summary import Summary, overhead, sort_key
from .summary_columns import add_sort_and_column_options, summary_columns
from .tips import tip_text
from .tracer.inject_spec import injection_table
from .tracer.launch import CallerSignals, Command, resolve
from .tracer.loop import Die, HandOff, TracerConfig

DESCRIPTION = """\
Trace the system calls, signals and process lifecycle of a command and of
every process and thread it starts, as strace does, and record them as a
structured msgpack event stream (docs/FORMAT.md) or print them as strace text.

  atrace ls                      strace-format text on stderr
  atrace -f -o build.atrace make whole build tree to a trace file
  atrace -f -o - make | python3 scripts/summary.py -
  atrace -p 1234                 attach to a running process (Ctrl-C detaches)
  atrace tail build.atrace       follow a trace as it is written
  atrace report build.atrace     an HTML report: critical path, CPU, failures
"""

EPILOG = """\
Exit status: that of the traced command; when it is killed by a signal, atrace kills itself with the
same signal (without a core dump). On SIGINT, SIGTERM, SIGHUP or SIGQUIT atrace detaches (a launched
command is then killed by that signal) and ends by that signal too (a shell sees 130 for SIGINT, 143
for SIGTERM), as strace does; 1 if events were lost. Under seccomp-bpf the command is passed through to
its end, not detached (its traced calls would fail). ATRACE_RESIDENT=off: no resident (atrace resident status|stop).
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise AtraceError(f"{message} (see 'atrace --help')")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise AtraceError(f"invalid -s argument: '{text}'") from None
    if value < 0:
        raise AtraceError(f"invalid -s argument: '{text}'")
    return value


def _pids(text: str) -> list[int]:
    """-p accepts one pid or a comma/space separated list, like strace."""
    pids = []
    for part in text.replace(",", " ").split():
        if not part.isdigit() or int(part) <= 0:
            raise argparse.ArgumentTypeError(f"Invalid process id: '{part}'")
        pids.append(int(part))
    if not pids:
        raise argparse.ArgumentTypeError(f"Invalid process id: '{text}'")
    return pids


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="atrace",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        add_help=False,
    )
    parser.add_argument("-h", "--help", action="help", help="show this help and exit")
    parser.add_argument("-V", "--version", action="version", version=f"atrace {__version__}")
    tracing = parser.add_argument_group("tracing")
    tracing.add_argument(
        "-f",
        "--follow-forks",
        dest="follow",
        action="count",
        default=0,
        help="follow forks, vforks, clones (threads) and execs; -ff with -o writes one file per task",
    )
    tracing.add_argument(
        "-p",
        "--attach",
        dest="attach",
        metavar="PID",
        type=_pids,
        action="append",
        default=[],
        help="attach to a running process and all its threads (repeatable, or PID,PID...); "
        "Ctrl-C or SIGTERM detaches and leaves it running as before",
    )
    # strace's --seccomp-bpf takes no value, so "--seccomp-bpf CMD" must not
    # read CMD as one: "--seccomp-bpf=off" is an option string of its own
    # (argparse matches whole option strings before splitting at "=").
    tracing.add_argument(
        "--seccomp-bpf",
        dest="seccomp",
        action="store_const",
        const="on",
        default="auto",
        help="stop only at the calls of the -e trace= set, with a seccomp-bpf filter installed in the command "
        "(forks, execs, exits and signals are followed all the same). Automatic (the default) when launching "
        "a command with -f and a set that is not every call (without a set there is nothing to filter); "
        "given explicitly, atrace says so when the filter cannot be used (-p, no -f, no seccomp in the kernel)",
    )
    tracing.add_argument(
        "--seccomp-bpf=off", dest="seccomp", action="store_const", const="off", help="stop at every call"
    )
    tracing.add_argument("--seccomp-bpf=on", dest="seccomp", action="store_const", const="on", help=argparse.SUPPRESS)
    tracing.add_argument(
        "-E",
        "--env",
        dest="env",
        metavar="VAR[=VAL]",
        action="append",
        default=[],
        help="put VAR=VAL in the command's environment, or with VAR alone remove VAR (repeatable)",
    )
    tracing.add_argument(
        "-u",
        "--user",
        dest="user",
        metavar="USERNAME",
        help="run the command as USERNAME (uid, gid and groups; atrace must run as root)",
    )
    output = parser.add_argument_group("output")
    output.add_argument(
        "-o",
        "--output",
        dest="output",
        metavar="OUTPUT",
        help="write the msgpack event stream to OUTPUT: a file, '-' for stdout (the command's "
        "stdout then goes to stderr), unix:/PATH or tcp:HOST:PORT to connect to a listening reader. "
        "Without -o, strace-format text goes to stderr",
    )
    output.add_argument(
        "--listen",
        metavar="ADDR",
        help="also serve the live stream on unix:/PATH or tcp:HOST:PORT (tcp:[IPV6]:PORT) to any number of "
        "readers (atrace tail, scripts); one that falls behind gets a counted gap, never slows the trace",
    )
    output.add_argument(
        "--output-separately",
        action="store_true",
        help="one file per task, PREFIX.TID (with -f: -ff)",
    )
    output.add_argument("--text", action="store_true", help="write strace-format text to -o instead of msgpack")
    output.add_argument(
        "-s",
        "--string-limit",
        dest="string_limit",
        metavar="SIZE",
        type=_positive_int,
        default=32,
        help="maximum string size to record and print (default 32); file names are always whole",
    )
    output.add_argument("--always-show-pid", action="store_true", help="prefix every text line with its pid")
    display = parser.add_argument_group("text display (strace's)")
    display.add_argument("-v", "--no-abbrev", dest="verbose", action="store_true", help="print structs in full")
    display.add_argument(
        "-x",
        dest="hex_strings",
        action="count",
        default=0,
        help="non-printable string bytes in hex; -xx: all bytes in hex",
    )
    display.add_argument(
        "-t",
        dest="timestamps",
        action="count",
        default=0,
        help="prefix lines with the time of day; -tt with microseconds; -ttt as seconds since the epoch",
    )
    display.add_argument(
        "-r", dest="relative", action="store_true", help="prefix lines with the time since the previous one"
    )
    display.add_argument("-T", dest="syscall_times", action="store_true", help="show the time spent in each call")
    display.add_argument(
        "-n", "--syscall-number", dest="syscall_numbers", action="store_true", help="show syscall numbers"
    )
    display.add_argument(
        "-y",
        dest="fd_paths",
        action="count",
        default=0,
        help="show the path of each fd: 3</etc/hosts>; -yy also devices (3</dev/null<char 1:3>>), sockets "
        "(3<TCP:[1234]>) and pidfds (3<pid:42>)",
    )
    strace_options.add_display_options(display)
    filters = parser.add_argument_group("filters")
    filters.add_argument(
        "-e",
        dest="expressions",
        metavar="EXPR",
        action="append",
        default=[],
        help="trace=SET (names, %%class, /regex, !negation, ?name, all, none: the calls recorded; the last counts), "
        "status=SET (successful, failed, unfinished), signal=SET, trace-fds=SET; abbrev=SET (calls whose structs "
        "are abbreviated), verbose=SET (calls whose structs are decoded), raw=SET (calls printed in hex); "
        "inject=SET:error=ERRNO|retval=N[:signal=SIG][:syscall=PURE][:delay_enter=T][:delay_exit=T]"
        "[:poke_enter=@argN=HEX][:poke_exit=@argN=HEX][:when=FIRST[..LAST][+[STEP]]] tampers with the calls "
        "of SET (shown with (INJECTED), (DELAYED)); fault=SET[:error=ERRNO][:when=...] is inject with "
        "error=ENOSYS by default; read=FDS, write=FDS dump in hex all the data read from / written to those fds",
    )
    filters.add_argument(
        "-z", "--successful-only", dest="successful_only", action="store_true", help="show only calls that succeeded"
    )
    filters.add_argument(
        "-Z", "--failed-only", dest="failed_only", action="store_true", help="show only calls that failed"
    )
    filters.add_argument(
        "-P",
        "--trace-path",
        dest="paths",
        metavar="PATH",
        action="append",
        default=[],
        help="show only calls that touch PATH (repeatable)",
    )
    summary = parser.add_argument_group("summary")
    summary.add_argument(
        "-c",
        "--summary-only",
        dest="summary_only",
        action="store_true",
        help="print a table of calls, errors and times instead of the trace",
    )
    summary.add_argument(
        "-C", "--summary", dest="summary_too", action="store_true", help="like -c, and print the trace too"
    )
    add_sort_and_column_options(summary)
    summary.add_argument(
        "-w",
        "--summary-wall-clock",
        dest="wall_clock",
        action="store_true",
        help="-c times are wall-clock latency (entry to exit) instead of system CPU time",
    )
    summary.add_argument(
        "-O",
        dest="overhead_short",
        metavar="OVERHEAD",
        help="time to take off each call in the -c table: a number of microseconds, or with a unit "
        "(s, ms, us, ns: 4.5e2ms)",
    )
    summary.add_argument("--summary-syscall-overhead", dest="overhead_long", metavar="OVERHEAD", help="as -O")
    summary.add_argument(
        "--summary-per-process",
        action="store_true",
        help="one -c table per process instead of one in all",
    )
    strace_options.add_expression_longs(filters)
    tracing_options.add_options(parser.add_argument_group("tracing behaviour (strace's)"))
    parser.add_argument("command", nargs=argparse.REMAINDER, help="command to run and trace")
    return parser


def _environment(changes: list[str]) -> dict[str, str]:
    """The command's environment: ours with -E's changes, in their order."""
    env = dict(os.environ)
    for change in changes:
        name, sep, value = change.partition("=")
        if not name:
            raise AtraceError(f"invalid -E argument: '{change}'")
        if sep:
            env[name] = value
        else:
            env.pop(name, None)
    return env


def _user(name: str) -> tuple[int, int, list[int]]:
    """-u USERNAME as strace takes it: a name (a number is not a uid)."""
    if os.geteuid() != 0:
        raise AtraceError("-u USERNAME needs atrace to run as root")
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        raise AtraceError(f"Cannot find user '{name}'") from None
    return entry.pw_uid, entry.pw_gid, os.getgrouplist(entry.pw_name, entry.pw_gid)


def _check_attach_targets(pids: list[int]) -> None:
    for pid in pids:
        if pid == os.getpid():
            raise AtraceError(f"attach: cannot trace atrace itself (pid {pid})")
        if not os.path.exists(f"/proc/{pid}"):
            raise AtraceError(f"attach: ptrace(PTRACE_SEIZE, {pid}): No such process")


def _check_combinations(args: argparse.Namespace, per_task: bool) -> None:
    """Options that cannot go together, worded as strace words them."""
    summary = args.summary_only or args.summary_too
    if args.summary_only and args.summary_too:
        raise AtraceError("-c/--summary-only and -C/--summary are mutually exclusive")
    if summary and per_task:
        raise AtraceError("(-c/--summary-only or -C/--summary) and -ff/--output-separately are mutually exclusive")
    if args.wall_clock and not summary:
        raise AtraceError("-w/--summary-wall-clock must be given with (-c/--summary-only or -C/--summary)")
    if args.summary_columns is not None and not summary:
        raise AtraceError("-U/--summary-columns must be given with (-c/--summary-only or -C/--summary)")
    if per_task and args.output and piped_command(args.output) is not None:
        raise AtraceError("piping the output and -ff/--output-separately are mutually exclusive")
    if args.append and not args.output:
        print("atrace: -A/--output-append-mode has no effect without -o/--output", file=sys.stderr)


def config_from_args(args: argparse.Namespace) -> SessionConfig:
    command_argv: list[str] = list(args.command)
    if command_argv and command_argv[0] == "--":
        command_argv = command_argv[1:]
    attach = [pid for group in args.attach for pid in group]
    if not command_argv and not attach:
        raise AtraceError("must have PROG [ARGS] or -p PID (see 'atrace --help')")
    expressions, display = strace_options.display_expressions(args)
    behaviour, expressions = tracing_options.behaviour(args, expressions)
    if behaviour.daemonize and not command_argv:
        raise AtraceError("PROG [ARGS] must be specified with -D/--daemonize")
    per_task = args.follow >= 2 or args.output_separately
    _check_combinations(args, per_task)
    if per_task and not args.output:
        # As strace: one file per task means nothing without -o (-ff is -f)
        if args.output_separately:
            print("atrace: --output-separately has no effect without -o/--output", file=sys.stderr)
        per_task = False
    if per_task and args.output == "-":
        raise AtraceError("-ff (--output-separately) needs -o PREFIX: each task's trace goes to PREFIX.TID")
    command = None
    if attach:
        _check_attach_targets(attach)
    if command_argv:
        command = Command(
            executable=resolve(command_argv),
            argv=command_argv,
            env=_environment(args.env),
            user=_user(args.user) if args.user is not None else None,
            stdout_to_stderr=args.output == "-",
        )
    selection = parse_expressions(expressions)
    display_filter = filters.display_filter(
        selection.statuses, selection.signals, args.paths, selection.fds, args.successful_only, args.failed_only
    )
    overhead_ns = 0
    if args.overhead_short is not None:
        overhead_ns = overhead("-O", args.overhead_short)
    if args.overhead_long is not None:
        overhead_ns = overhead("--summary-syscall-overhead", args.overhead_long)
    summary = None
    if args.summary_only or args.summary_too:
        summary = Summary(sort=sort_key(args.sort_by), per_process=args.summary_per_process, wall_clock=args.wall_clock)
        summary.overhead_ns = overhead_ns
        if args.summary_columns is not None:
            summary.columns = summary_columns(args.summary_columns)
    tracer = TracerConfig(
        fd_paths=display.decode_fds | ({"path", "match"} if args.paths else set()),
        command=command,
        attach=attach,
        follow_forks=args.follow >= 1,
        string_limit=args.string_limit,
        caller=CallerSignals.capture(),
        recorded=selection.recorded,
        cpu_time=summary is not None and not args.wall_clock,
        seccomp=args.seccomp,
        detach_on_execve=behaviour.detach_on_execve,
        pid_comm=behaviour.pid_comm,
        pidns=behaviour.pidns,
        syscall_limit=behaviour.syscall_limit,
        kill_on_exit=behaviour.kill_on_exit,
        debug=behaviour.debug,
        inject=injection_table(selection.injections),
        dump_fds=(selection.read_fds, selection.write_fds),
        envp_strings=display.verbose or (display.abbrev is not None and "execve" not in display.abbrev),
        unknown_notes=frozenset({"attach", "exit"}) - display.quiet,
        instruction_pointer=args.instruction_pointer,
        kvm_vcpu=behaviour.kvm_vcpu,
    )
    text_options = TextOptions(
        string_limit=args.string_limit,
        always_show_pid=args.always_show_pid,
        hex_strings=display.hex_strings,
        verbose=display.verbose,
        abbrev=display.abbrev,
        dereference=display.dereference,
        raw=display.raw,
        const_style=display.const_style,
        timestamps=display.timestamps,
        relative=display.relative,
        syscall_times=display.syscall_times,
        syscall_numbers=args.syscall_numbers,
        instruction_pointer=args.instruction_pointer,
        personality_notes=args.output is None and "personality" not in display.quiet,
        columns=args.columns,
        timestamp_digits=display.timestamp_digits,
        relative_digits=display.relative_digits,
        times_digits=display.times_digits,
        quiet=display.quiet,
        filter=display_filter,
        dump_read=selection.read_fds,
        dump_write=selection.write_fds,
        # None (show what was recorded) unless -y or -P recorded something.
        decode_fds=display.decode_fds if display.decode_fds or args.paths else None,
    )
    return SessionConfig(
        tracer=tracer,
        output=args.output,
        per_task=per_task,
        text=args.text,
        listen=args.listen,
        text_options=text_options,
        summary=summary,
        summary_only=args.summary_only and not args.summary_too,
        behaviour=behaviour,
    )


def main(argv: list[str] | None = None, launch: HandOff | None = None, die: Die | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        if argv[:1] == ["tail"]:
            from .tail import main as tail_main

            return tail_main(argv[1:])
        if argv[:1] == ["report"]:
            from .report.command import main as report_main

            return report_main(argv[1:])
        parser = build_parser()
        config = config_from_args(parser.parse_args(strace_options.optional_values(parser, argv)))
        command = config.tracer.command
        if config.behaviour.daemonize and command is not None:
            # From here on this process is the tracer grandchild; the
            # original one became the command.
            caller = config.tracer.caller or CallerSignals.capture()
            config.tracer.daemon = daemon.split(command, caller, config.behaviour.daemonize)
        config.tracer.hand_off = launch  # (and die: the resident worker's, resident/worker.py)
        result = run_session(config)
        if config.behaviour.tips is not None:
            sys.stderr.write(tip_text(config.behaviour.tips))
    except AtraceError as err:
        print(f"atrace: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("atrace: interrupted", file=sys.stderr)
        return 130
    except InternalError as err:
        if os.environ.get("ATRACE_DEBUG"):
            raise
        lost = f"; {err.lost} events lost" if err.lost else ""
        print(f"atrace: internal error: {err.cause!r}{lost} (ATRACE_DEBUG=1 shows the traceback)", file=sys.stderr)
        return 1
    except Exception as err:
        if os.environ.get("ATRACE_DEBUG"):
            raise
        print(f"atrace: internal error: {err!r} (ATRACE_DEBUG=1 shows the traceback)", file=sys.stderr)
        return 1
    return _finish(result, die or _die_by_signal)


def _finish(result: SessionResult, die: Die) -> int:
    if result.lost:
        reasons = "; ".join(result.lost_reasons) or "output failed"
        print(f"atrace: {result.lost} events lost ({reasons})", file=sys.stderr)
    trace = result.trace
    if result.stop_signal is not None and not result.lost:
        # Detached on SIGINT/SIGTERM...: end by it, as strace does.
        die(result.stop_signal)
        return 128 + result.stop_signal
    if trace.signal is not None:
        die(trace.signal)
        return 128 + trace.signal
    if trace.exit_code is not None:
        return trace.exit_code
    return 1 if result.lost else 0


def _die_by_signal(signo: int) -> None:
    """End the way the command ended, as strace does, but never dump core."""
    sys.stdout.flush()
    sys.stderr.flush()
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if signo not in (signal.SIGKILL, signal.SIGSTOP):
        signal.signal(signo, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, [signo])
    os.kill(os.getpid(), signo)
