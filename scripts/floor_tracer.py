#!/usr/bin/env python3
"""The least a ptrace tracer written in Python can do: the floor under atrace.

Runs a command and follows every fork, vfork, clone and exec, stopping at
every system call's entry and exit (or, with --seccomp, only at the calls
named, as atrace and `strace --seccomp-bpf` do), and at each stop makes
the calls any tracer must make: waitpid, PTRACE_GET_SYSCALL_INFO and the
restart. With --read-paths it also reads the first argument's string at
every entry, as a tracer of file calls must. It records nothing, decodes
nothing and writes nothing.

So its cost is a lower bound for any tracer whose stop loop is Python:
scripts/bench.py's `floor` configuration runs it beside atrace and strace
on the same builds, and the gap between it and strace is what Python costs
before atrace does any work of its own. It uses atrace's own bindings
(atrace/tracer/_ptrace.py: bare ctypes calls that keep the GIL) and its
seccomp filter builder, so it measures the language, not another binding.

    python3 scripts/floor_tracer.py [--seccomp CALL,...] [--read-paths] [--count] -- COMMAND...

Exit status: the command's (128+N when it was killed by signal N).
"""

from __future__ import annotations

import argparse
import ctypes
import os
import signal
import sys
from functools import partial

from atrace.syscalls import ARCH_I386, ARCH_X32, ARCH_X86_64, by_name
from atrace.tracer import _ptrace as P
from atrace.tracer.seccomp import Installer

OPTIONS = (P.PTRACE_O_TRACESYSGOOD | P.PTRACE_O_TRACEFORK | P.PTRACE_O_TRACEVFORK | P.PTRACE_O_TRACECLONE
           | P.PTRACE_O_TRACEEXEC | P.PTRACE_O_EXITKILL)  # fmt: skip
SYSCALL_STOP = (P.SYSCALL_STOP_SIGNAL << 8) | 0x7F
SECCOMP_STOP = (((P.PTRACE_EVENT_SECCOMP << 8) | signal.SIGTRAP) << 8) | 0x7F


def start(argv: list[str], filter_calls: list[str] | None) -> int:
    """Fork the command stopped before its exec, seized with our options."""
    installer = None
    if filter_calls is not None:
        recorded = {arch: frozenset(call.nr for call in map(partial(by_name, arch), filter_calls) if call is not None)
                    for arch in (ARCH_X86_64, ARCH_I386, ARCH_X32)}  # fmt: skip
        installer = Installer.for_set(recorded)  # (atrace's filter: these calls, plus execve and execveat)
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


def trace(root: int, seccomp: bool, read_paths: bool) -> tuple[int, int]:
    """Follow the tree until every task is gone: (the root's exit status, syscall stops)."""
    info = ctypes.create_string_buffer(P.SYSCALL_INFO_SIZE)
    info_addr = ctypes.c_void_p(ctypes.addressof(info))
    ptrace, waitpid = P.raw_ptrace, os.waitpid
    get_info, size = P.PTRACE_GET_SYSCALL_INFO, P.SYSCALL_INFO_SIZE
    unpack = P.SYSCALL_INFO.unpack_from
    reader = P.MemoryReader() if read_paths else None
    after_exit = P.PTRACE_CONT if seccomp else P.PTRACE_SYSCALL
    entry_ops = (P.SYSCALL_INFO_ENTRY, P.SYSCALL_INFO_SECCOMP)
    tasks = {root}
    code = stops = 0
    while tasks:
        try:
            pid, status = waitpid(-1, P.WALL)
        except ChildProcessError:
            break
        if status in (SYSCALL_STOP, SECCOMP_STOP):
            stops += 1
            ptrace(get_info, pid, size, info_addr)
            fields = unpack(info)
            if fields[0] in entry_ops:
                if reader is not None and fields[3]:
                    reader.read_cstring(pid, fields[3], 4096)
                ptrace(P.PTRACE_SYSCALL, pid, 0, 0)
            else:
                ptrace(after_exit, pid, 0, 0)
            continue
        if os.WIFSTOPPED(status):
            sig = os.WSTOPSIG(status)
            event = status >> 16
            if event in P.SPAWN_EVENTS or event == P.PTRACE_EVENT_EXEC:
                ptrace(P.PTRACE_SYSCALL if not seccomp else P.PTRACE_CONT, pid, 0, 0)
            elif event == P.PTRACE_EVENT_STOP:
                tasks.add(pid)  # a new task's first stop, or a group-stop
                if sig in P.GROUP_STOP_SIGNALS:
                    ptrace(P.PTRACE_LISTEN, pid, 0, 0)
                else:
                    ptrace(P.PTRACE_SYSCALL if not seccomp else P.PTRACE_CONT, pid, 0, 0)
            else:
                ptrace(P.PTRACE_SYSCALL if not seccomp else P.PTRACE_CONT, pid, 0, sig)
            continue
        tasks.discard(pid)
        if pid == root:
            code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status)
    return code, stops


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seccomp", metavar="CALLS", help="stop only at these calls (comma separated)")
    parser.add_argument("--read-paths", action="store_true", help="read the first argument's string at each entry")
    parser.add_argument("--count", action="store_true", help="say how many syscall stops there were (on stderr)")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command given")
    calls = args.seccomp.split(",") if args.seccomp else None
    root = start(command, calls)
    code, stops = trace(root, calls is not None, args.read_paths)
    if args.count:
        print(f"floor_tracer: {stops} syscall stops", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
