#!/usr/bin/env python3
"""The least a ptrace tracer written in Python can do: the floor under atrace.

Runs a command and follows every fork, vfork, clone and exec, stopping at
every system call's entry and exit (or, with --seccomp, only at the calls
named, as atrace and `strace --seccomp-bpf` do), and at each stop makes
the calls any tracer must make: waitpid, PTRACE_GET_SYSCALL_INFO and the
restart. With --read-paths it also reads every path argument at each
entry, as a tracer of file calls must. It records nothing, decodes
nothing and writes nothing.

So its cost is a lower bound for any tracer whose stop loop is Python:
scripts/bench.py's `floor` configuration runs it beside atrace and strace
on the same builds, and the gap between it and strace is what Python costs
before atrace does any work of its own. It uses atrace's own bindings
(atrace/tracer/_ptrace.py: bare ctypes calls that keep the GIL) and its
seccomp filter builder, so it measures the language, not another binding.

    python3 scripts/floor_tracer.py [--seccomp SET] [--read-paths] [--count] -- COMMAND...

Exit status: the command's (128+N when it was killed by signal N).
"""

from __future__ import annotations

import argparse
import ctypes
import os
import signal
import sys

from atrace import cli
from atrace.syscalls import ARCH_I386, ARCH_X86_64, table
from atrace.tracer import _ptrace as P
from atrace.tracer.seccomp import Installer

OPTIONS = (P.PTRACE_O_TRACESYSGOOD | P.PTRACE_O_TRACEFORK | P.PTRACE_O_TRACEVFORK | P.PTRACE_O_TRACECLONE
           | P.PTRACE_O_TRACEEXEC | P.PTRACE_O_EXITKILL)  # fmt: skip


def trace_set(expression: str) -> dict[int, frozenset[int]]:
    """The numbers per ABI that `-e trace=EXPRESSION` records, parsed by
    atrace's own command line (names, %classes, /regex, !...)."""
    parser = cli.build_parser()
    config = cli.config_from_args(parser.parse_args(["-f", "-e", f"trace={expression}", "true"]))
    recorded = config.tracer.recorded
    if recorded is None:
        raise SystemExit(f"floor_tracer: {expression!r} names every call: run without --seccomp")
    return recorded


def path_arguments() -> dict[tuple[int, int], tuple[int, ...]]:
    """(audit arch, number) -> the indices of the call's path arguments."""
    found = {}
    for arch, audit in ((ARCH_X86_64, P.AUDIT_ARCH_X86_64), (ARCH_I386, P.AUDIT_ARCH_I386)):
        for call in table(arch):
            if call is not None:
                indices = tuple(i for i, arg in enumerate(call.args) if arg.kind == "path")
                if indices:
                    found[(audit, call.nr)] = indices
    return found


def start(argv: list[str], filter_set: str | None) -> int:
    """Fork the command stopped before its exec, seized with our options."""
    installer = None
    if filter_set is not None:
        # atrace's filter for that set (which adds execve and execveat)
        installer = Installer.for_set(trace_set(filter_set))
    pid = os.fork()
    if pid == 0:
        try:
            os.kill(os.getpid(), signal.SIGSTOP)
            if installer is not None and installer.install() != 0:
                os._exit(126)
            os.execvp(argv[0], argv)
        except OSError as err:
            print(f"floor_tracer: cannot run {argv[0]}: {err.strerror}", file=sys.stderr)
        finally:
            os._exit(127)
    os.waitpid(pid, os.WUNTRACED)
    if P.raw_ptrace(P.PTRACE_SEIZE, pid, 0, OPTIONS | (P.PTRACE_O_TRACESECCOMP if installer else 0)) < 0:
        raise SystemExit("floor_tracer: PTRACE_SEIZE failed")
    os.kill(pid, signal.SIGCONT)
    return pid


def trace(root: int, seccomp: bool, read_paths: bool) -> tuple[int, int, int]:
    """Follow the tree until every task is gone: (the root's exit status,
    syscall stops, paths read)."""
    info = ctypes.create_string_buffer(P.SYSCALL_INFO_SIZE)
    info_addr = ctypes.c_void_p(ctypes.addressof(info))
    ptrace, waitpid = P.raw_ptrace, os.waitpid
    get_info, size = P.PTRACE_GET_SYSCALL_INFO, P.SYSCALL_INFO_SIZE
    unpack = P.SYSCALL_INFO.unpack_from
    reader = P.MemoryReader() if read_paths else None
    paths = path_arguments() if read_paths else {}
    # Every stop but an entry is restarted so: under seccomp the task runs
    # to its next traced call, else it stops at its next call's entry.
    resume = P.PTRACE_CONT if seccomp else P.PTRACE_SYSCALL
    entry_ops = (P.SYSCALL_INFO_ENTRY, P.SYSCALL_INFO_SECCOMP)
    tasks = {root}
    code = stops = read = 0
    while tasks:
        try:
            pid, status = waitpid(-1, P.WALL)
        except ChildProcessError:
            break
        if status in (P.SYSCALL_STOP_STATUS, P.SECCOMP_STOP_STATUS):
            stops += 1
            ptrace(get_info, pid, size, info_addr)
            fields = unpack(info)
            if fields[0] in entry_ops:
                if reader is not None:
                    for index in paths.get((fields[1], fields[2]), ()):
                        if reader.read_cstring(pid, fields[3 + index], 4096) is not None:
                            read += 1
                ptrace(P.PTRACE_SYSCALL, pid, 0, 0)
            else:
                ptrace(resume, pid, 0, 0)
            continue
        if os.WIFSTOPPED(status):
            sig = os.WSTOPSIG(status)
            event = status >> 16
            if event in P.SPAWN_EVENTS or event == P.PTRACE_EVENT_EXEC:
                ptrace(resume, pid, 0, 0)
            elif event == P.PTRACE_EVENT_STOP:
                tasks.add(pid)  # a new task's first stop, or a group-stop
                if sig in P.GROUP_STOP_SIGNALS:
                    ptrace(P.PTRACE_LISTEN, pid, 0, 0)
                else:
                    ptrace(resume, pid, 0, 0)
            else:
                ptrace(resume, pid, 0, sig)
            continue
        tasks.discard(pid)
        if pid == root:
            code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status)
    return code, stops, read


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--seccomp",
        metavar="SET",
        help="stop only at the calls of this set (as `atrace -e trace=SET`), through a seccomp filter",
    )
    parser.add_argument("--read-paths", action="store_true", help="read each path argument at each call's entry")
    parser.add_argument(
        "--count", action="store_true", help="say how many syscall stops and path reads there were (on stderr)"
    )
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command given")
    root = start(command, args.seccomp)
    code, stops, read = trace(root, args.seccomp is not None, args.read_paths)
    if args.count:
        print(f"floor_tracer: {stops} syscall stops, {read} paths read", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
