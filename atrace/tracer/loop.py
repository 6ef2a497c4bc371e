"""The stop loop: the one thread that owns ptrace.

Everything ptrace happens here: launch (fork, stop, seize), attach, every
`waitpid(-1, __WALL)`, register and memory reads, restarts and detaches. The
thread blocks in waitpid; it never polls.

Per stop the work is kept short: classify the wait status, one
PTRACE_GET_SYSCALL_INFO (number, arguments and personality in one call, no
GETREGS), the memory reads the syscall's plan asks for, the restart, and one
tuple appended to the outbox. Formatting happens elsewhere.

Stops are classified from the wait status alone (see `man 2 ptrace`):

* syscall stop: WSTOPSIG == SIGTRAP|0x80 (PTRACE_O_TRACESYSGOOD); whether it
  is an entry or an exit comes from PTRACE_GET_SYSCALL_INFO's `op`, so no
  in-syscall bit can go out of step;
* event stop: status >> 16 is a PTRACE_EVENT_*; PTRACE_EVENT_STOP with a
  stopping signal is a group-stop (kept stopped with PTRACE_LISTEN), with
  SIGTRAP the start of a new task or the answer to PTRACE_INTERRUPT;
* anything else stopped is a signal-delivery stop: the signal is recorded and
  injected on restart;
* exited / killed: the task is gone.

A task that vanished under us (ESRCH) is ordinary: the call fails, we move
on, and its death is reaped later like any other.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..errors import AtraceError
from ..events import records as R
from ..syscalls import ARCH_I386, ARCH_X32, ARCH_X86_64
from ..syscalls import table as syscall_table
from . import _ptrace as P
from .decoding import Decoder, Plan, exec_argv, recorded_numbers, text_or_bytes
from .inject import Injector
from .inject_spec import InjectTable
from .launch import CallerSignals, Command, fork_stopped
from .outbox import Outbox
from .passthrough import pass_through
from .pids import comm
from .proc_dirs import proc_dir
from .registers import stopped_instruction_pointer
from .seccomp import FilterTooLarge, Installer, is_install_call
from .task_times import proc_tgid, process_cpu_time, task_cpu_time

# Has the resident worker's client fork the command (with the seccomp filter
# to install, if any) and returns its pid, stopped by its own SIGSTOP.
HandOff = Callable[[Command, Installer | None], int]
# ... and ends the run by a signal in its client's place (cli._finish).
Die = Callable[[int], None]

_CLONE_THREAD = 0x00010000
# Before blocking in waitpid, poll up to this many times with WNOHANG. On
# these VMs a sleeping tracer thread is woken through its idle vCPU at a
# cost of tens of microseconds per stop, while in a busy trace the next stop
# is usually a few microseconds away. Measured on the Lua build (2 cores,
# otherwise idle): 0 polls ~1.30x strace, 50-200 polls ~1.2x. But polls that
# find nothing burn CPU the tracees need: on a loaded machine, or under
# seccomp where the next stop may be far away, they made the trace slower
# (printpath-umovestr with the load at 9 on 2 cores: 100 polls 45-56 s,
# none 32-46 s; a fork-and-exec loop under seccomp made 16 polls per stop).
# So the budget adapts, between SPIN_MIN and SPIN_POLLS: after polls that
# found a stop, twice the polls that stop took (plus SPIN_MIN); after polls
# that found none, half.
SPIN_POLLS = 100
SPIN_MIN = 8
_SIGNED = 1 << 63
# -ERESTART_RESTARTBLOCK .. -ERESTARTSYS: a call that will be restarted.
_RESTARTED_LOW, _RESTARTED_HIGH = -516, -512
_WRAP = 1 << 64


@dataclass(slots=True)
class TracerConfig:
    command: Command | None = None
    attach: list[int] = field(default_factory=list)
    follow_forks: bool = False
    string_limit: int = 32
    # -y, -yy, --decode-fds, -P: record what is behind each fd (True: the
    # path; a set: tracer/fd_paths.py's details too)
    fd_paths: bool | frozenset[str] = False
    envp_strings: bool = False  # -v: record execve's environment strings, not only their count
    caller: CallerSignals | None = None
    # Syscall numbers to record, per personality; None records every call.
    # Stops still happen for the others (they are needed to follow the tree).
    recorded: dict[int, frozenset[int]] | None = None
    # -c without -w: record the system CPU time of each call, as strace's
    # summary shows it. It comes with the wait status (wait4's rusage).
    cpu_time: bool = False
    # seccomp-bpf: "auto" (used when it can be: launch mode, -f, a set that
    # is not everything), "on" (the same, and say why when it cannot), "off".
    seccomp: str = "auto"
    # Tracing behaviour (atrace/tracing_options.py): -b execve, the limit
    # of recorded calls, --kill-on-exit, -d.
    detach_on_execve: bool = False
    pid_comm: bool = False  # -Y: record the command name behind each pid
    pidns: bool = False  # --pidns-translation: and pids in atrace's pid namespace
    syscall_limit: int | None = None
    kill_on_exit: bool = False
    debug: bool = False
    # -D: the command is atrace's original process, not a child: its pid,
    # and the pipe it waits on until the tracer has seized it.
    daemon: tuple[int, int] | None = None
    # -e inject= / -e fault=: what is done to which calls (tracer/inject.py).
    inject: InjectTable | None = None
    # The resident server's worker (atrace/resident/worker.py): its client
    # forks the command, which stops itself as fork_stopped's child does.
    hand_off: HandOff | None = None
    # -e read= / -e write=: fds whose read/written data is recorded whole.
    dump_fds: tuple[frozenset[int] | None, frozenset[int] | None] = (None, None)
    # Without -f, the stderr notes about pids that are not ours (a child
    # made with CLONE_PTRACE or CLONE_PARENT): "attach", "exit" (-q drops them).
    unknown_notes: frozenset[str] = frozenset({"attach", "exit"})
    # -i: record the instruction pointer of each call and signal (tracer/registers.py).
    instruction_pointer: bool = False
    # -e kvm=vcpu: record KVM_RUN's exit reason (tracer/kvm_run.py).
    kvm_vcpu: bool = False


@dataclass(slots=True)
class TraceResult:
    """How the root command ended (launch mode); nothing when attaching."""

    exit_code: int | None = None
    signal: int | None = None
    core_dumped: bool = False


class Task:
    """What the loop must remember about one traced thread between stops."""

    __slots__ = (
        "announced", "arch", "args", "comm", "cpu", "entry_stime", "exec_data", "exec_failed", "held_entry",
        "hidden", "inject_counts", "nr", "plan", "tamper", "tgid", "tid",
    )  # fmt: skip

    def __init__(self, tid: int, tgid: int) -> None:
        self.tid = tid
        self.tgid = tgid
        self.arch = ARCH_X86_64
        self.nr = -1  # syscall in progress, -1 when none
        self.args: tuple[int, ...] = ()
        self.plan: Plan | None = None
        self.exec_data: dict[str, Any] | None = None  # execve's decoded args until the exec event
        self.hidden = False  # the launched child before its exec: not the user's program yet
        self.exec_failed = False  # the launched child's execve failed (and was shown)
        self.held_entry: tuple[Any, ...] | None = None
        self.announced = True  # False until its parent's fork event names it (see _adopt)
        self.entry_stime = 0  # with cpu_time: the process's system time at the call's entry, ns
        self.cpu: tuple[int, int] | tuple[None, None] = (None, None)  # (utime, stime) ns, read at PTRACE_EVENT_EXIT
        self.comm: str | bytes | None = None  # -Y: its command name, read at PTRACE_EVENT_EXIT
        self.inject_counts: dict[tuple[int, int], int] = {}  # -e inject=: invocations per (arch, nr)
        self.tamper: Any = None  # -e inject=: the inject.Tamper of the call in progress


class Tracer:
    def __init__(self, config: TracerConfig, outbox: Outbox) -> None:
        self.config = config
        self._outbox = outbox
        self._emit = outbox.put
        self._tasks: dict[int, Task] = {}
        self._root_pid = 0
        self._result = TraceResult()
        self._memory = P.MemoryReader()
        decoder = Decoder(
            self._memory,
            config.string_limit,
            config.fd_paths,
            config.recorded,
            config.pid_comm,
            config.pidns,
            config.dump_fds,
            envp_strings=config.envp_strings,
            instruction_pointer=config.instruction_pointer,
            kvm_vcpu=config.kvm_vcpu,
        )
        recorded = config.recorded
        # Plans by number, each built at its number's first stop (plan):
        # building all ~1,500 at start-up cost a short run ~20 ms of CPU.
        self._decoder = decoder
        self._recorded_numbers = {arch: recorded_numbers(arch, config.recorded) for arch in _ARCHES}
        self._plans: dict[int, list[Plan | None]] = {arch: [_UNBUILT] * len(syscall_table(arch)) for arch in _ARCHES}
        self._pidns = decoder.pids if config.pidns else None  # for signals' senders
        self._recorded = recorded
        self._info = P.SYSCALL_INFO_BUFFER
        self._info_addr = ctypes.addressof(self._info)
        self._siginfo = ctypes.create_string_buffer(P.SIGINFO_SIZE)
        self._siginfo_addr = ctypes.addressof(self._siginfo)
        self._msg = ctypes.c_ulong()
        self._msg_addr = ctypes.addressof(self._msg)
        # Prebuilt pointers for the GIL-holding binding (see _resume).
        self._msg_ptr = ctypes.c_void_p(self._msg_addr)
        self._siginfo_ptr = ctypes.c_void_p(self._siginfo_addr)
        self._detaching = False
        self._detach_requested = False
        # Tasks that died before their parent's fork event arrived, with what
        # their exit record needs (ts, code, signal, core) if they never had
        # one (no stop of their own).
        self._gone_unannounced: dict[int, tuple[int, int | None, int | None, bool] | None] = {}
        self._waker_pid = 0
        self._own_children: frozenset[int] = frozenset()
        # Processes that have (or had, or may have had: attached ones) more
        # than one task: their CPU time is read per task from /proc; any
        # other process's from its CPU clocks (_cpu_time).
        self._threaded: set[int] = set()
        # New tasks kept in their first stop until their parent's fork
        # event names them (see _on_event_stop).
        self._held: dict[int, Task] = {}
        options = P.PTRACE_O_TRACESYSGOOD | P.PTRACE_O_TRACEEXEC | P.PTRACE_O_TRACEEXIT
        if config.kill_on_exit:
            options |= P.PTRACE_O_EXITKILL
        if config.follow_forks:
            options |= P.PTRACE_O_TRACEFORK | P.PTRACE_O_TRACEVFORK | P.PTRACE_O_TRACECLONE
        # seccomp-bpf: the filter waiting to be installed in the launched
        # child; once its install call returns 0 (seen at that call's exit
        # stop), a task outside a traced call runs with PTRACE_CONT.
        self._installer = self._seccomp_installer(config)
        self.seccomp = self._installer is not None
        self._seccomp_on = False
        # -c/-C: each task's ru_stime at its last stop (see _waitpid_noting_stime)
        self._stimes: dict[int, int] = {}
        self._after_exit = P.PTRACE_SYSCALL
        if self._installer is not None:
            options |= P.PTRACE_O_TRACESECCOMP
        self._options = options
        # The options every task has: a launched command's tree inherits
        # the EXITKILL it is seized with (with -p or -D too, some tasks
        # have it and some not: then only --kill-on-exit's).
        launched_only = config.command is not None and config.daemon is None and not config.attach
        self._task_options = options | (P.PTRACE_O_EXITKILL if launched_only else 0)
        # ... and those of a task about to end without its exit event
        # (_on_exit_call).
        self._options_at_end = self._task_options & ~P.PTRACE_O_TRACEEXIT
        if config.debug:
            os.write(2, f"atrace: ptrace_setoptions = {options:#x}\n".encode())
        # -e inject= / -e fault=: tampering with the selected calls.
        self._inject = Injector(config.inject, self._restart_held) if config.inject else None
        self.root_pid_known: Callable[[int], None] = lambda pid: None
        # Called (on this thread) when a detach request is met by passing the
        # tasks through: the session kills the launched command as it would
        # after a detach.
        self.passing_through: Callable[[], None] | None = None
        self._pass_through_reason = ""
        self._calls_left = config.syscall_limit
        if self._calls_left is not None:
            self._emit = self._emit_counting_calls

    @staticmethod
    def _seccomp_installer(config: TracerConfig) -> Installer | None:
        """The filter to install, or None: seccomp off, or not usable here
        (then said in one line when the user asked for it explicitly)."""
        if config.seccomp == "off":
            return None
        reason = seccomp_unusable(config)
        if reason is None:
            if config.recorded is None:
                return None  # every call is traced: nothing to filter out
            try:
                return Installer.for_set(config.recorded)
            except FilterTooLarge as err:
                reason = str(err)
        if config.seccomp == "on":
            os.write(2, f"atrace: --seccomp-bpf not used: {reason}; every call stops\n".encode())
        return None

    # -- requests from other threads -----------------------------------

    def request_detach(self, why: str = "a signal") -> None:
        """Ask the loop to detach from everything (Ctrl-C while attached, or
        the rest of atrace failed: tracees must not be left stopped). `why`
        is said if the tasks are passed through instead (_pass_through).

        Callable from any thread: it kills the waker child, whose death
        wakes the tracer thread out of waitpid, and releases the outbox, in
        case the thread is waiting there for an output that does not drain.
        """
        self._pass_through_reason = self._pass_through_reason or why
        self._detach_requested = True
        self._outbox.release()
        waker = self._waker_pid
        if waker:
            with contextlib.suppress(ProcessLookupError):
                os.kill(waker, signal.SIGKILL)

    def plan(self, arch: int, nr: int) -> Plan | None:
        """The plan of syscall `nr` of ABI `arch` (x32: without its bit),
        built and kept on its first use."""
        plans = self._plans[arch]
        if not 0 <= nr < len(plans):
            return None
        plan = plans[nr]
        if plan is _UNBUILT:
            plan = plans[nr] = _reading_only(self._decoder.plan_at(arch, nr, self._recorded_numbers[arch]))
        return plan

    # -- the thread's entry point --------------------------------------

    def run(self) -> TraceResult:
        # atrace's own children so far (the text renderer, an `-o |command`):
        # their deaths are not a traced program's.
        self._own_children = _children_of_atrace()
        try:
            self._spawn_waker()
            if self.config.daemon is not None:
                self._seize_daemon_parent(*self.config.daemon)
            elif self.config.command is not None:
                self._launch(self.config.command)
            if self.config.attach:
                # (with a command too, as strace: both are traced)
                self._attach_all(self.config.attach)
            try:
                self._loop()
            except _PassThrough:
                self._pass_through(self._pass_through_reason)
            except BaseException as err:
                # Our failure must not leave tracees stopped, nor changed:
                # let them all go, or pass through those with our filter.
                if self._filtered():
                    self._pass_through(f"atrace failed: {err!r}")
                else:
                    self._detach_everything()
                raise
        finally:
            if self._inject is not None:
                self._inject.close()
            if self._waker_pid:
                try:
                    os.kill(self._waker_pid, signal.SIGKILL)
                    os.waitpid(self._waker_pid, 0)
                except OSError:
                    pass
            self._outbox.finish()
        return self._result

    # -- start ---------------------------------------------------------

    def _launch(self, command: Command) -> None:
        if self.config.hand_off is not None:
            pid = self.config.hand_off(command, self._installer)  # stopped (its parent waited)
        else:
            caller = self.config.caller or CallerSignals.capture()
            pid = fork_stopped(command, caller, self._installer)
            _, status = os.waitpid(pid, os.WUNTRACED)
            if not os.WIFSTOPPED(status):
                raise AtraceError(f"{command.executable}: the child ended before it could be traced")
        err = P.ptrace(P.PTRACE_SEIZE, pid, 0, self._options | P.PTRACE_O_EXITKILL)
        if err < 0:
            os.kill(pid, signal.SIGKILL)
            if self.config.hand_off is None:
                os.waitpid(pid, 0)
            raise AtraceError(f"ptrace(PTRACE_SEIZE, {pid}): {os.strerror(-err)}")
        self._root_task(pid)
        # The child sits in its own SIGSTOP; continue it. Its stops (the
        # SIGCONT, the execve) are hidden until the exec: strace does the same.
        os.kill(pid, signal.SIGCONT)

    def _root_task(self, pid: int) -> None:
        """The command's process, just seized: hidden until its exec."""
        task = Task(pid, pid)
        task.hidden = True
        self._tasks[pid] = task
        self._root_pid = pid
        self.root_pid_known(pid)

    def _seize_daemon_parent(self, pid: int, go: int) -> None:
        """-D: the command is the process that started atrace, waiting on
        the pipe `go` to exec it; seize it, then let it go. Its calls up
        to its exec are atrace's, hidden as a launched child's are."""
        err = P.ptrace(P.PTRACE_SEIZE, pid, 0, self._options)
        if err < 0:
            os.close(go)  # it reads end-of-file and exits, untraced
            raise AtraceError(f"attach: ptrace(PTRACE_SEIZE, {pid}): {os.strerror(-err)}")
        self._root_task(pid)
        self._threaded.add(pid)  # (it is atrace's own process: /proc for its CPU time)
        P.ptrace(P.PTRACE_INTERRUPT, pid)  # stop it: syscall stops from here on
        os.write(go, b"x")
        os.close(go)

    def _emit_counting_calls(self, event: tuple[Any, ...]) -> None:
        """--syscall-limit: the outbox's put, counting the recorded calls;
        at the limit every task is detached (and runs on untraced)."""
        self._outbox.put(event)
        if event[0] == R.SYSCALL_ENTRY and self._calls_left is not None:
            self._calls_left -= 1
            if self._calls_left <= 0 and not self._detaching:
                self._calls_left = None
                self._begin_detach()

    def _attach_all(self, pids: list[int]) -> None:
        failures: list[str] = []
        for pid in pids:
            try:
                self._attach_process(pid)
            except OSError as err:
                failures.append(f"attach: ptrace(PTRACE_SEIZE, {pid}): {err.strerror}")
        if failures and not self._tasks:
            raise AtraceError("; ".join(failures))
        for message in failures:
            os.write(2, f"atrace: {message}\n".encode())

    def _attach_process(self, pid: int) -> None:
        """Seize every thread of `pid`, repeating until no new thread appears."""
        seized: set[int] = set()
        while True:
            try:
                tids = {int(name) for name in os.listdir(f"/proc/{pid}/task")}
            except FileNotFoundError:
                raise OSError(3, os.strerror(3)) from None
            new = tids - seized
            if not new:
                break
            for tid in sorted(new):
                stopped = _proc_state(tid) in ("T", "t")
                err = P.ptrace(P.PTRACE_SEIZE, tid, 0, self._options)
                if err < 0:
                    if tid == pid and not seized:
                        raise OSError(-err, os.strerror(-err))
                    continue  # a thread that exited meanwhile
                seized.add(tid)
                self._tasks[tid] = Task(tid, pid)
                self._threaded.add(pid)  # threads that ended before the attach count in its clocks
                self._emit((R.ATTACHED, time.time_ns(), tid, pid))
                # A stopped task reports its group-stop by itself once seized;
                # interrupting it too would only add a spurious trap.
                if not stopped:
                    P.ptrace(P.PTRACE_INTERRUPT, tid)

    def _spawn_waker(self) -> None:
        """A child whose only job is to die when another thread wants the
        tracer thread's attention: its death ends the blocking waitpid."""
        pid = os.fork()
        if pid == 0:
            try:
                os.setpgid(0, 0)  # out of the terminal's signals
                # No copy of stdin/stdout: their readers and writers must see
                # end-of-file when the command closes them.
                null = os.open(os.devnull, os.O_RDWR)
                os.dup2(null, 0)
                os.dup2(null, 1)
                P.prctl(P.PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
                while True:
                    signal.pause()
            finally:
                os._exit(0)
        self._waker_pid = pid
        if self._detach_requested:
            self.request_detach()

    # -- the loop ------------------------------------------------------

    def _loop(self) -> None:
        """Wait for stops until no task is left.

        Syscall stops are nearly every stop, so they are handled inline with
        everything bound to locals: a method call and a few attribute lookups
        per stop are measurable at a few hundred thousand stops a second.
        Every other kind of stop goes to a method.
        """
        tasks = self._tasks
        waitpid = os.waitpid
        cpu_time = self.config.cpu_time
        stimes = self._stimes
        if cpu_time:
            waitpid = _waitpid_noting_stime(stimes)
        stime = None
        wall = P.WALL
        ptrace = P.raw_ptrace
        get_info, info_size = P.PTRACE_GET_SYSCALL_INFO, P.SYSCALL_INFO_SIZE
        info_addr = ctypes.c_void_p(self._info_addr)
        restart = P.PTRACE_SYSCALL
        # After a call's exit: PTRACE_CONT once the seccomp filter is in
        # place (the next traced call's seccomp stop is its entry), else
        # PTRACE_SYSCALL to stop at the next entry.
        after_exit = self._after_exit
        unpack_info = P.SYSCALL_INFO.unpack_from
        info = self._info
        op_exit, op_seccomp = P.SYSCALL_INFO_EXIT, P.SYSCALL_INFO_SECCOMP
        audit_x86_64, x32_bit = P.AUDIT_ARCH_X86_64, P.X32_SYSCALL_BIT
        plans64, plans32, plans_x32 = self._plans[ARCH_X86_64], self._plans[ARCH_I386], self._plans[ARCH_X32]
        now = time.time_ns
        queue = self._outbox.queue
        # (--syscall-limit counts through self._emit; without it, a bare append)
        emit = queue.append if self._calls_left is None else self._emit
        high_water = self._outbox.high_water
        recorded = self._recorded
        # Records are tuples in events/records.py's field order (checked by
        # tests/test_record_layout.py, which reads every tuple built here).
        entry_type, exit_type = R.SYSCALL_ENTRY, R.SYSCALL_EXIT
        spin = SPIN_POLLS
        spin_min = SPIN_MIN
        # Under seccomp a task restarted with PTRACE_CONT (after a call's
        # exit, an event, a signal) runs to its next traced call, usually
        # far off: polls for it mostly find nothing. Its budget is its own
        # and may fall to one poll; `near` says which budget the last
        # restart calls for (fully traced, every restart is near).
        spin_far = SPIN_MIN
        near = True
        inject = self._inject
        tamper = None
        nohang = wall | os.WNOHANG
        syscall_stop, seccomp_stop = P.SYSCALL_STOP_STATUS, P.SECCOMP_STOP_STATUS
        while tasks:
            try:
                pid = 0
                for polls in range(1, (spin if near else spin_far) + 1):  # noqa: B007 (read after the loop)
                    pid, status = waitpid(-1, nohang)
                    if pid:
                        break
                if pid:
                    # Room for twice the polls this stop needed.
                    if near:
                        spin = min(2 * polls + spin_min, SPIN_POLLS)
                    else:
                        spin_far = min(2 * polls + 1, SPIN_POLLS)
                else:
                    if near:
                        spin = max(spin >> 1, spin_min)
                    else:
                        spin_far = max(spin_far >> 1, 1)
                    pid, status = waitpid(-1, wall)
            except ChildProcessError:
                break
            if status != syscall_stop and status != seccomp_stop:
                self._on_other_status(pid, status)
                near = after_exit == restart
                continue
            task = tasks.get(pid)
            if task is None:
                task = self._adopt(pid)
            if ptrace(get_info, pid, info_size, info_addr) < 0:
                continue  # gone (ESRCH); its death is reaped later
            ts = now()
            fields = unpack_info(info)
            # Only what needs the stopped tracee happens before the restart
            # (the syscall info, the memory reads); the bookkeeping after it
            # overlaps with the tracee running again. The time a tracee
            # waits in each stop is what a traced build pays.
            op = fields[0]
            if op == op_seccomp and task.nr >= 0:
                # A seccomp stop right after this call's syscall-entry stop
                # (the task ran with PTRACE_SYSCALL, our filter's install
                # having failed, and a filter of its own said TRACE): the
                # entry is recorded already; go on to the exit stop.
                ptrace(restart, pid, 0, 0)
                continue
            if op != op_exit:
                nr = fields[2]
                if fields[1] == audit_x86_64:
                    arch = ARCH_X86_64
                    table = plans64
                    if nr & x32_bit:
                        arch = ARCH_X32
                        nr &= ~x32_bit
                        table = plans_x32
                else:
                    arch = ARCH_I386
                    table = plans32
                args = fields[3:9]
                plan = table[nr] if nr < len(table) else None
                if plan is _UNBUILT:
                    plan = self.plan(arch, nr)
                if inject is not None:
                    # Before the reads: they show what poke_enter= wrote, as strace does.
                    tamper = self._inject_entry(task, pid, arch, nr, args, plan, op == op_seccomp)
                data = None
                if plan is not None and plan.entry:
                    data = {}
                    for key, index, read in plan.entry:
                        data[key] = read(pid, arch, args, index)
                if tamper is not None and tamper.ret is not None:
                    # The call is not run: it returns even if it never does
                    # (exit_group made to fail); its exit record follows.
                    data = {**(data or {}), "tampered": True}
                if plan is not None and plan.ends:
                    self._on_exit_call(task)
            else:
                ret = fields[2]
                if ret >= _SIGNED:
                    ret -= _WRAP
                plan = task.plan
                if plan is not None and plan.ends:
                    self._exit_call_returned(task)
                tamper = task.tamper
                if tamper is not None:
                    ret = inject.at_exit(tamper, pid, task.args, ret)  # type: ignore[union-attr]
                data = None
                if (ret >= 0 or (plan is not None and ret in plan.exit_errors)) and plan is not None and plan.exit \
                        and not task.hidden:  # fmt: skip
                    args = task.args
                    data = {}
                    for key, index, read_exit in plan.exit:
                        data[key] = read_exit(pid, args, index, ret)
            request = after_exit if op == op_exit else restart
            near = request == restart
            if task.hidden and op == op_exit:
                if self._installer is not None:
                    request = self._after_install_call(task, ret)
                    after_exit = self._after_exit
                if ret < 0 and plan is not None and plan.execs:
                    # Before the restart: once it runs, the child says why.
                    stime = stimes.get(pid, 0) - task.entry_stime if cpu_time else None
                    self._on_failed_launch_exec(task, (exit_type, ts, pid, task.tgid, task.nr, ret, None, stime))
            if self._detaching:
                self._detach(task, 0)
                if op == op_exit and _RESTARTED_LOW <= ret <= _RESTARTED_HIGH:
                    # Our interrupt broke the call off; the kernel restarts
                    # it once the task is let go: it is unfinished, shown
                    # `<detached ...>` as strace does, not ended.
                    continue
            elif tamper is None:
                ptrace(request, pid, 0, 0)
            else:
                inject.resume(pid, tamper, request, op == op_exit)  # type: ignore[union-attr]
            if op != op_exit:
                if cpu_time:
                    task.entry_stime = stimes.get(pid, 0)
                task.nr = nr
                task.arch = arch
                task.args = args
                task.plan = plan
                task.tamper = tamper
                if plan is not None:
                    name = plan.name
                    if plan.execs:
                        task.exec_data = data
                else:
                    name = f"syscall_{nr}"
                # The plan decides (-e trace=); a number past every table is
                # recorded only when everything is.
                if plan.recorded if plan is not None else recorded is None:
                    entry = (entry_type, ts, pid, task.tgid, arch, nr, name, args, data)
                    if not task.hidden:
                        emit(entry)
                    elif plan is not None and plan.execs:
                        # Only the exec is held: any other call of the
                        # launched child before it is atrace's, not the
                        # user's program (under a set without execve it
                        # would otherwise be shown as the exec's entry).
                        task.held_entry = entry
            else:
                nr = task.nr
                if cpu_time:
                    stime = stimes.get(pid, 0) - task.entry_stime
                if tamper is not None:
                    data = inject.note(tamper, data)  # type: ignore[union-attr]
                    task.tamper = tamper = None
                if not task.hidden and (plan.recorded if plan is not None else recorded is None):
                    emit((exit_type, ts, pid, task.tgid, nr, ret, data, stime))
                task.nr = -1
            if len(queue) >= high_water:
                self._outbox.wait_for_room()

    def _on_other_status(self, pid: int, status: int) -> None:
        """Every stop but a syscall stop, and deaths."""
        if status & 0xFF == 0x7F:
            task = self._tasks.get(pid)
            if task is None:
                if not self.config.follow_forks:
                    self._detach_unknown(pid)
                    return
                task = self._adopt(pid)
            sig = (status >> 8) & 0xFF
            if status >> 16:
                self._on_event_stop(task, status >> 16, sig)
            else:
                self._on_signal_stop(task, sig)
        elif self._inject is not None and self._inject.owns(pid):
            self._inject.on_timer(pid)
        elif pid == self._waker_pid:
            self._waker_pid = 0
            if self._detach_requested and not self._detaching:
                self._begin_detach()
        else:
            self._on_death(pid, status)

    def _detach_unknown(self, pid: int) -> None:
        """Without -f, a stop of a pid atrace did not attach: a child whose
        parent cloned it with CLONE_PTRACE. It is not to be traced; let it
        go at once (its first stop is the kernel's SIGSTOP: not passed on)."""
        P.ptrace(P.PTRACE_DETACH, pid, 0, 0)
        if "attach" in self.config.unknown_notes:
            os.write(2, f"atrace: Detached unknown pid {pid}\n".encode())

    def _adopt(self, tid: int) -> Task:
        """A stop from a task we have not heard of: a new child whose first
        stop the kernel reported before its parent's fork event."""
        tgid = proc_tgid(tid) or tid
        if tgid != tid:
            self._threaded.add(tgid)
        task = Task(tid, tgid)
        task.announced = False
        self._tasks[tid] = task
        return task

    def _after_install_call(self, task: Task, ret: int) -> int:
        """At an exit stop of the launched child before its exec: when it is
        the filter's install call, switch to seccomp mode or fall back.
        Returns the restart request for the child."""
        if is_install_call(task.arch, task.nr, task.args):
            self._installer = None
            if ret == 0:
                self._seccomp_on = True
                self._after_exit = P.PTRACE_CONT
            else:
                self.seccomp = False
                if self.config.seccomp == "on":
                    reason = f"the filter's install failed ({os.strerror(-ret)})"
                    os.write(2, f"atrace: --seccomp-bpf not used: {reason}; every call stops\n".encode())
        return self._after_exit

    def _inject_entry(self, task: Task, pid: int, arch: int, nr: int, args: tuple[int, ...], plan: Plan | None,
                      seccomp_stop: bool) -> Any:  # fmt: skip
        """-e inject=: tamper with this entry if it is a recorded call of the
        program (not the launched child's before its exec), as strace does."""
        if task.hidden or plan is None or not plan.recorded or self._detaching:
            return None
        assert self._inject is not None
        return self._inject.at_entry(task.inject_counts, pid, arch, nr, args, seccomp_stop)

    def _restart_held(self, tid: int, request: int, sig: int) -> None:
        """Restart a task an injected delay held (or detach it, when detaching)."""
        task = self._tasks.get(tid)
        if task is None:
            return  # gone meanwhile (killed in its stop)
        if self._detaching:
            self._detach(task, sig)
        else:
            P.raw_ptrace(request, tid, 0, sig)

    def _resume(self, task: Task, sig: int = 0) -> None:
        # The restarts go through the GIL-holding binding, as in the hot
        # path: under seccomp most stops come here (events, signals), and
        # releasing the GIL for the call let the trio thread hold the tracee
        # up for a switch interval.
        if self._detaching:
            self._detach(task, sig)
        elif self._seccomp_on and task.nr < 0:
            # Outside a traced call: run to the next seccomp stop. (A task
            # between a seccomp stop and its call's exit stays on
            # PTRACE_SYSCALL, to get that exit stop; a new task starts here.)
            P.raw_ptrace(P.PTRACE_CONT, task.tid, 0, sig)
        else:
            P.raw_ptrace(P.PTRACE_SYSCALL, task.tid, 0, sig)

    def _on_event_stop(self, task: Task, event: int, sig: int) -> None:
        tid = task.tid
        if event == P.PTRACE_EVENT_STOP:
            if sig in P.GROUP_STOP_SIGNALS:
                if not task.hidden:
                    self._emit((R.STOPPED, time.time_ns(), tid, task.tgid, sig))
                if self._detaching:
                    self._detach(task, 0)  # it stays stopped after detach
                else:
                    # Stay stopped, but let SIGCONT wake it: job control keeps
                    # working and the parent's waitpid(WUNTRACED) sees the stop.
                    P.ptrace(P.PTRACE_LISTEN, tid)
            elif not task.announced and not self._detaching:
                # A new task's first stop, before its parent's fork event:
                # it waits there for that event (already pending: the
                # parent reports it before going on), so that its own
                # records never come before its spawn record.
                self._held[tid] = task
            else:
                self._resume(task)  # new task, or PTRACE_INTERRUPT / LISTEN wake-up
            return
        if event == P.PTRACE_EVENT_EXIT or (event == P.PTRACE_EVENT_EXEC and self._alone(task)):
            # (no message needed: an exit's status comes with the death; a
            # process that never had another task exec'd from its leader)
            message = tid
        elif P.raw_ptrace(P.PTRACE_GETEVENTMSG, tid, 0, self._msg_ptr) < 0:
            return
        else:
            message = self._msg.value
        if event in P.SPAWN_EVENTS:
            self._on_spawn(task, P.SPAWN_EVENTS[event], message)
        elif event == P.PTRACE_EVENT_EXEC:
            was_hidden = task.hidden
            task = self._on_exec(task, message)
            if self.config.detach_on_execve and not was_hidden:
                # -b execve: let the process go at its exec (the launched
                # command's own first exec is not one of these, as strace).
                self._detach(task, 0)
                return
            self._end_exec_call(task)
        elif event == P.PTRACE_EVENT_EXIT:
            # The task is dying; its exit status comes with its death, and the
            # syscall it was in (exit_group, or any call a fatal signal cut)
            # will have no exit record. It is still there to ask for its CPU
            # time, once per task: nothing is added to syscall stops.
            task.cpu = self._cpu_time(task)
            if self.config.pid_comm:
                # -Y: the name its exit line shows (an exec since its last call renamed it)
                name = comm(tid)
                task.comm = name if isinstance(name, str | bytes) else None
        self._resume(task)

    def _on_spawn(self, parent: Task, kind: str, child_tid: int) -> None:
        flags = self._clone_flags(parent)
        child_tgid = child_tid
        if flags & _CLONE_THREAD:
            child_tgid = parent.tgid
            self._threaded.add(child_tgid)
        child = self._tasks.get(child_tid)
        late_exit = None
        if child_tid in self._gone_unannounced:
            # waitpid favours the newest tracees, so a short-lived child can
            # run, exit and be reaped before its parent's event is read. It
            # is gone: record its birth, but do not wait for it forever.
            late_exit = self._gone_unannounced.pop(child_tid)
        elif child is None:
            child = Task(child_tid, child_tgid)
            self._tasks[child_tid] = child
        else:
            child.tgid = child_tgid
            child.announced = True
        if child is not None:
            child.arch = parent.arch
            child.hidden = parent.hidden
        self._emit((R.SPAWN, time.time_ns(), parent.tid, parent.tgid, child_tid, child_tgid, kind, flags))
        held = self._held.pop(child_tid, None)
        if held is not None:
            self._resume(held)
        if late_exit is not None:
            self._emit((R.EXIT, *late_exit[:1], child_tid, child_tgid, *late_exit[1:]))

    def _cpu_time(self, task: Task) -> tuple[int, int] | tuple[None, None]:
        """A dying task's CPU time (user, system ns): from its process's
        CPU clocks when the task is a leader that never had another task
        (one clock_gettime each, no /proc lookup: see task_times.py), else
        from /proc. Without -f a process's threads are not seen: /proc."""
        if self._alone(task):
            return process_cpu_time(task.tid)
        return task_cpu_time(task.tgid, task.tid)

    def _alone(self, task: Task) -> bool:
        """Whether `task` leads a process that never had another task (as
        far as the trace can tell: with -f, not attached)."""
        return task.tid == task.tgid and self.config.follow_forks and task.tgid not in self._threaded

    def _on_exit_call(self, task: Task) -> None:
        """At the entry of exit or exit_group (a call of the trace set, or
        every call stops): when the task is the only one its process ever
        had, the process ends in this call, and its CPU time is read now,
        from its clocks, as at its exit event (the call's own few µs
        before that event are not counted). The exit event is then turned
        off for it (PTRACE_SETOPTIONS): one stop less per process. Not
        with -e inject= (the call may be made to fail), -Y (its name is
        read at the exit event) or while detaching."""
        if not self._alone(task) or self._inject is not None or self.config.pid_comm or self._detaching:
            return
        cpu = process_cpu_time(task.tid)
        if cpu[0] is not None and P.ptrace(P.PTRACE_SETOPTIONS, task.tid, 0, self._options_at_end) == 0:
            task.cpu = cpu

    def _exit_call_returned(self, task: Task) -> None:
        """exit or exit_group returned after all (a seccomp filter of the
        program's own, checked after the syscall-entry stop, made it fail):
        the task goes on, and its exit event is wanted again."""
        if task.cpu[0] is not None:
            task.cpu = (None, None)
            P.ptrace(P.PTRACE_SETOPTIONS, task.tid, 0, self._task_options)

    def _clone_flags(self, parent: Task) -> int:
        """The clone flags of the call that created a task (0 for fork/vfork)."""
        nr, arch = parent.nr, parent.arch
        first = parent.args[0] if parent.args else 0
        if nr < 0:
            # No stop at this call's entry (seccomp: not in the set): the
            # registers say what it is.
            found = P.syscall_in_progress(parent.tid)
            if found is None:
                return 0
            audit_arch, nr, first = found
            arch = ARCH_X86_64 if audit_arch == P.AUDIT_ARCH_X86_64 else ARCH_I386
            if arch == ARCH_X86_64 and nr & P.X32_SYSCALL_BIT:
                arch, nr = ARCH_X32, nr & ~P.X32_SYSCALL_BIT
        if nr == _CLONE3_NR:
            raw = self._memory.read(parent.tid, first, 8)
            return int.from_bytes(raw, "little") if raw and len(raw) == 8 else 0
        if nr == _CLONE_NR.get(arch):
            return first & 0xFFFFFFFF
        return 0

    def _on_exec(self, task: Task, old_tid: int) -> Task:
        """execve succeeded. When a non-leader thread exec'd, it now has the
        leader's tid: its state moves there, and neither the old tid nor the
        replaced leader gets an exit record (they did not exit)."""
        tid = task.tid
        if old_tid != tid:
            execer = self._tasks.pop(old_tid, None)
            if execer is not None:
                execer.tid = tid
                execer.tgid = tid
                self._tasks[tid] = execer
                task = execer
        data = task.exec_data or {}
        task.exec_data = None
        if task.hidden:
            task.hidden = False
            if task.held_entry is not None:
                self._emit(task.held_entry)
                task.held_entry = None
        try:
            cwd: str | bytes | None = text_or_bytes(os.fsencode(os.readlink(f"{proc_dir(tid)}/cwd")))
        except OSError:
            cwd = None
        argv = exec_argv(data.get("argv"))
        self._emit((R.EXEC, time.time_ns(), tid, task.tgid, old_tid, data.get("filename"), argv, cwd))
        return task

    def _end_exec_call(self, task: Task) -> None:
        """Under seccomp, a successful exec's call ends at its exec event.

        Its exit stop, which comes right after, would only say that it
        returned 0 and then restart the task to its next traced call. So
        the exit record is written here, and `_resume` sends the task there
        now (PTRACE_CONT clears the syscall-exit stop PTRACE_SYSCALL asked
        for): one stop less per exec, of the dozen or so a process costs.
        Not when the call has values to read at exit, or is tampered with
        (-e inject=): those need the exit stop; nor while detaching. Fully
        traced, the task runs with PTRACE_SYSCALL and stops at that exit
        anyway, so nothing is done here then."""
        plan = task.plan
        if not self._seccomp_on or self._detaching or task.nr < 0 or task.tamper is not None:
            return
        if plan is None or not plan.execs or plan.exit:
            return
        if plan.recorded:
            ret = 0  # (a failed exec has no exec event)
            stime = self._stimes.get(task.tid, 0) - task.entry_stime if self.config.cpu_time else None
            self._emit((R.SYSCALL_EXIT, time.time_ns(), task.tid, task.tgid, task.nr, ret, None, stime))
        task.nr = -1

    def _on_signal_stop(self, task: Task, sig: int) -> None:
        tid = task.tid
        if P.raw_ptrace(P.PTRACE_GETSIGINFO, tid, 0, self._siginfo_ptr) < 0:
            self._resume(task, sig)
            return
        if not task.hidden:
            signo, _errno, code, pid, uid, status, utime, stime = P.SIGINFO.unpack_from(self._siginfo)
            extra: dict[str, int] | None = None
            if signo == signal.SIGCHLD and code > 0:
                extra = {"status": status, "utime": utime, "stime": stime}
            elif signo in _FAULT_SIGNALS and code > 0:
                extra = {"addr": int.from_bytes(self._siginfo.raw[16:24], "little")}
            ip = stopped_instruction_pointer(tid) if self.config.instruction_pointer else None
            if ip is not None:
                extra = {**(extra or {}), "ip": ip}
            if self._pidns is not None and pid > 0 and (code <= 0 or signo == signal.SIGCHLD):
                # (si_pid: the process that sent it, or the child for SIGCHLD)
                host = self._pidns.translate(tid, pid, "NSpid")
                if host is not None:
                    extra = {**(extra or {}), "pid_ns": host}
            self._emit((R.SIGNAL, time.time_ns(), tid, task.tgid, sig, code, pid, uid, extra))
        self._resume(task, sig)

    def _on_failed_launch_exec(self, task: Task, exit_record: tuple[Any, ...]) -> None:
        """The launched command's execve failed (ENOEXEC, EACCES...): show
        the call and its error, as strace does; what the child does next
        (report it and exit 1) is atrace's, not the user's program."""
        if task.held_entry is not None and task.plan is not None and task.plan.recorded:
            self._emit(task.held_entry)
            self._emit(exit_record)
            # The child says why on stderr once restarted: after these lines.
            self._outbox.wait_delivered()
        task.held_entry = None
        task.exec_failed = True

    def _on_death(self, tid: int, status: int) -> None:
        if os.WIFEXITED(status):
            code: int | None = os.WEXITSTATUS(status)
            sig: int | None = None
        else:
            code = None
            sig = os.WTERMSIG(status)
        core = bool(status & 0x80)
        task = self._tasks.pop(tid, None)
        if self._held and (sig is not None or task is None or task.tgid in self._threaded or self._detaching):
            # A task killed in a clone (a signal, or its group's exit or
            # exec: a thread) never reports its fork event (man 2 ptrace):
            # the tasks held for one may wait for it forever. Let them all
            # go, their order unkept. (A task that ends by its own exit
            # reported its fork events first.)
            for held in self._held.values():
                self._resume(held)
            self._held.clear()
        self._threaded.discard(tid)  # (a leader's death: its pid may be reused)
        if task is None and not self.config.follow_forks and tid not in self._own_children:
            # A child of atrace's that it never traced (the program cloned it
            # with CLONE_PARENT): reaped here, as strace does, and said so.
            if "exit" in self.config.unknown_notes:
                os.write(2, f"atrace: Exit of unknown pid {tid} ignored\n".encode())
            return
        if task is None:
            # Killed before its first stop and before its parent's fork event
            # was read: keep the exit for when that event names it.
            self._gone_unannounced[tid] = (time.time_ns(), code, sig, core)
            return
        if not task.announced:
            # Its parent's fork event must not resurrect it.
            self._gone_unannounced[tid] = None
        if task.hidden and task.held_entry is not None and not task.exec_failed:
            self._emit(task.held_entry)  # the exec never happened: show why
        self._emit((R.EXIT, time.time_ns(), tid, task.tgid, code, sig, core, *task.cpu, task.comm))
        if tid == self._root_pid:
            self._result.exit_code = code
            self._result.signal = sig
            self._result.core_dumped = core

    # -- detaching -----------------------------------------------------

    def _begin_detach(self) -> None:
        """Interrupt every task; each is detached at its next stop. With
        --kill-on-exit they are killed instead: their deaths end the loop."""
        if self.config.kill_on_exit and self._detach_requested:
            for tid in list(self._tasks):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(tid, signal.SIGKILL)
            return
        if self._filtered():
            # Detached, a task with our filter would see its traced calls
            # fail (ENOSYS): Tracer.run passes them through instead.
            if not self._detach_requested:
                self._pass_through_reason = "--syscall-limit reached"
            raise _PassThrough
        self._detaching = True
        if self._inject is not None:
            self._inject.release_all()  # a held task is stopped already: detach it now
        for tid in list(self._tasks):
            P.ptrace(P.PTRACE_INTERRUPT, tid)

    def _detach_everything(self) -> None:
        """After our own failure: let every tracee go.  A task held at a
        ptrace-stop (the one whose stop failed among them) gets no new stop
        from PTRACE_INTERRUPT, so each is detached at once; PTRACE_DETACH
        fails with ESRCH for a running one, which is interrupted and
        detached at its next stop."""
        for task in list(self._tasks.values()):
            if P.ptrace(P.PTRACE_DETACH, task.tid, 0, 0) >= 0:
                self._tasks.pop(task.tid, None)
                self._emit((R.DETACHED, time.time_ns(), task.tid, task.tgid))
        if not self._tasks:
            return
        if not self._detaching:
            self._begin_detach()
        # Best effort: the kernel detaches whatever is left when we exit.
        with contextlib.suppress(Exception):
            self._loop()

    def _filtered(self) -> bool:
        """Whether the tasks may carry our seccomp filter: it is in place,
        or its install call may have run without its exit stop seen yet."""
        return self._seccomp_on or (self._installer is not None and bool(self._tasks))

    def _pass_through(self, why: str) -> None:
        """Stop recording, but stay the tracer of the launched tree, whose
        tasks carry our seccomp filter: detached, their traced calls would
        fail with ENOSYS (tracer/passthrough.py). Returns when all are gone."""
        if self._inject is not None:
            with contextlib.suppress(Exception):
                self._inject.release_all()  # restarted (not detached: _detaching is unset)
        self._detaching = True
        with contextlib.suppress(Exception):
            for task in list(self._tasks.values()):
                self._emit((R.DETACHED, time.time_ns(), task.tid, task.tgid))
        self._outbox.finish()  # nothing more is recorded: the outputs may end
        os.write(2, f"atrace: stopped recording ({why}); the command runs on untraced and atrace waits for "
                 "it to end (its tasks carry atrace's seccomp filter, which needs a tracer)\n".encode())  # fmt: skip
        if self.passing_through is not None:
            with contextlib.suppress(Exception):  # (the pass-through must happen whatever the session does)
                self.passing_through()
        tasks = self._tasks
        unannounced = [tid for tid, task in tasks.items() if not task.announced]
        status = pass_through(tasks, self._root_pid, unannounced, self._gone_unannounced)
        if status is not None:  # the exit status rules hold: the command's own
            signaled = os.WIFSIGNALED(status)
            self._result.exit_code = None if signaled else os.WEXITSTATUS(status)
            self._result.signal = os.WTERMSIG(status) if signaled else None
            self._result.core_dumped = bool(status & 0x80)

    def _detach(self, task: Task, sig: int) -> None:
        P.ptrace(P.PTRACE_DETACH, task.tid, 0, sig)
        self._tasks.pop(task.tid, None)
        self._emit((R.DETACHED, time.time_ns(), task.tid, task.tgid))


def seccomp_unusable(config: TracerConfig) -> str | None:
    """Why these options rule a seccomp filter out, or None."""
    if config.command is None or config.daemon is not None or config.attach:
        return "a running process (-p, -D) cannot be given a filter"
    if config.detach_on_execve:
        # A detached task keeps the filter: its traced calls would fail.
        # (--syscall-limit lets every task go at once: they are passed
        # through instead, see _pass_through; -b lets one process go
        # while the others are traced.)
        return "it is not compatible with -b (a detached process would see ENOSYS)"
    if not config.follow_forks:
        return "it needs -f (a child not followed would see the traced calls fail with ENOSYS)"
    return None


def seccomp_likely(config: TracerConfig) -> bool:
    """Whether a run with these options will try to install a filter (it
    may still be too large: a guess, see resident/worker.py)."""
    return config.seccomp != "off" and config.recorded is not None and seccomp_unusable(config) is None


class _PassThrough(Exception):
    """Raised out of the stop loop to stop recording but keep the tasks
    (see Tracer._pass_through)."""


_FAULT_SIGNALS = frozenset({signal.SIGSEGV, signal.SIGBUS, signal.SIGILL, signal.SIGFPE, signal.SIGTRAP})
# clone and clone3 numbers per personality: clone's first argument is the
# flags; clone3's first argument points at struct clone_args, flags first.
_CLONE_NR = {ARCH_X86_64: 56, ARCH_X32: 56, ARCH_I386: 120}
_CLONE3_NR = 435  # the same number in every personality


_ARCHES = (ARCH_X86_64, ARCH_I386, ARCH_X32)
# A number whose plan is not built yet (Tracer.plan builds it).
_UNBUILT = Plan("<unbuilt>")


def _reading_only(plan: Plan | None) -> Plan | None:
    """The plan without memory reads for a call outside the set: a call
    that is not recorded costs its stops (without seccomp) and nothing more.
    execve keeps its reads: the exec record carries its file name and argv."""
    return plan if plan is None or plan.recorded or plan.execs else Plan(plan.name, recorded=False, ends=plan.ends)


def _waitpid_noting_stime(stimes: dict[int, int]) -> Callable[[int, int], tuple[int, int]]:
    """waitpid that also notes each reported task's system CPU time (ns).

    For a stopped tracee, wait4's rusage is that of its whole thread group
    at the stop, so the difference between a call's entry and exit stops is
    the system time spent in the call: what strace -c shows by default.
    """
    wait4 = os.wait4

    def waitpid(pid: int, options: int) -> tuple[int, int]:
        pid, status, usage = wait4(pid, options)
        if pid:
            stimes[pid] = round(usage.ru_stime * 1_000_000) * 1000
        return pid, status

    return waitpid


def _children_of_atrace() -> frozenset[int]:
    """The pids of this process's children (every thread's)."""
    found: set[int] = set()
    with contextlib.suppress(OSError):
        for tid in os.listdir("/proc/self/task"):
            with contextlib.suppress(OSError), open(f"/proc/self/task/{tid}/children") as f:
                found.update(int(word) for word in f.read().split())
    return frozenset(found)


def _proc_state(tid: int) -> str:
    try:
        with open(f"/proc/{tid}/stat", "rb") as f:
            stat = f.read()
        return stat[stat.rindex(b")") + 2 : stat.rindex(b")") + 3].decode()
    except (OSError, ValueError):
        return "?"
