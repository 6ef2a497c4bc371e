"""One trace run, owned by a trio nursery.

The nursery holds: the tracer thread (via trio.to_thread), the pump that
takes event batches from the outbox and hands them to every output, the
signal watcher, and the listener for live readers. When the tracer thread
returns, the pump drains what is left, every output writes its trailer and
closes, and only then does the run end: nothing the tracer produced is lost.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import trio

from . import address
from .errors import AtraceError, InternalError
from .events.wire import Encoder, header_meta
from .filters import recorded_names
from .listen import LiveReaders
from .outputs import AttachNotices, Output, PerTaskOutputs, StreamOutput
from .render.options import TextOptions, recorded_display
from .sinks import CommandSink, FileSink, Sink, connect, fd_sink, piped_command
from .summary import Summary, SummaryOutput
from .text_process import TextProcessOutput, text_output
from .tracer.loop import Tracer, TracerConfig, TraceResult
from .tracer.outbox import Outbox
from .tracing_options import Behaviour

if TYPE_CHECKING:
    from .render.stage import TextMaker

# How often the pump collects events when the tracer is busy: short enough
# for a live view, long enough that batches amortize the per-batch cost.
PUMP_INTERVAL = 0.02
# When a take finds nothing (a build under `-e trace=%process` records a
# few events a second), each nap is twice the last, up to this: an idle
# tick costs the trio thread a few hundred microseconds of CPU, 50 times a
# second at PUMP_INTERVAL, taken from the build. The first take that finds
# events brings the interval back; the tracer's end cuts any nap short.
PUMP_IDLE_INTERVAL = 0.32
# Once atrace is stopping on a signal (Ctrl-C while attached: the tracees
# are let go at once), how long the outputs still get to write what is
# left. An output whose reader does not take it by then is given up on, its
# missing events counted as lost: atrace must not wait on a stalled pipe.
STOP_GRACE = 1.0


@dataclass(slots=True)
class SessionConfig:
    tracer: TracerConfig
    output: str | None = None  # None: text on stderr; "-": stdout; unix:/tcp: socket
    per_task: bool = False  # -ff: one file per task, OUTPUT.TID
    text: bool = False  # strace text instead of msgpack, also to files
    listen: str | None = None
    text_options: TextOptions = field(default_factory=TextOptions)
    # -c / -C (atrace.summary): a table on stderr at the end; with -c
    # (summary_only) no trace text.
    summary: Summary | None = None
    summary_only: bool = False
    behaviour: Behaviour = field(default_factory=Behaviour)


@dataclass(slots=True)
class SessionResult:
    trace: TraceResult
    events: int
    lost: int
    lost_reasons: list[str]
    # -p: the signal that made atrace detach (SIGINT, SIGTERM...); atrace
    # then ends by it, as strace does (a shell sees 143 for SIGTERM).
    stop_signal: int | None = None


class Session:
    def __init__(self, config: SessionConfig) -> None:
        self.config = config
        self.outbox = Outbox()
        self.tracer = Tracer(config.tracer, self.outbox)
        self.events = 0
        # Events taken from the outbox that the pump could not hand to the
        # outputs because it failed; with what the outbox dropped after, they
        # are reported as lost.
        self.undelivered = 0
        self.pump_failed = False
        self._pump_nap: trio.CancelScope | None = None  # the pump's wait between batches
        self._root_pid = 0
        self.tracer.root_pid_known = self._set_root_pid
        self.tracer.passing_through = self._passing_through
        # Set once the outputs' ending has begun: early when the tracer
        # passes the tasks through (nothing more to record, the command
        # may run long), else when the tracer returns.
        self._ending: trio.Event | None = None
        self._ended = trio.Event()
        self._nursery: trio.Nursery | None = None
        self._pump_done = trio.Event()
        self._outputs: list[Output] = []
        self._stopping = False  # a signal asked an attached trace to stop
        self._stop_signal: int | None = None

    def _set_root_pid(self, pid: int) -> None:
        self._root_pid = pid
        # The command has its stdin and stdout now: atrace lets go of its
        # own copies (as strace does), or a reader of the command's output
        # would never see end-of-file after the command closes it.
        release_standard_fds(keep_stdout=self.config.output == "-")

    async def _open_outputs(self, meta: dict[str, Any]) -> tuple[list[Output], LiveReaders | None]:
        config = self.config
        text_options = config.text_options
        outputs: list[Output] = []
        stream: StreamOutput | TextProcessOutput | None = None  # the -o output, when it is one stream
        target = config.output
        where = address.parse(target) if target else None
        if config.per_task and target and target != "-" and where is None:
            outputs.append(
                PerTaskOutputs(target, meta, text_options if config.text else None, append=config.behaviour.append)
            )
        elif target is None and config.summary_only:
            pass
        elif target is None:
            text_options.pid_column = False
            # "Process N attached/detached" (-p, -b execve) goes to stderr in
            # order with the text only when both are written by this process.
            own_process = not (config.tracer.attach or config.tracer.detach_on_execve)
            outputs.append(text_output(fd_sink(2, "<stderr>"), meta, text_pipeline(text_options), own_process))
        else:
            if target == "-":
                sink: Sink = fd_sink(1, "<stdout>")
            elif where is not None:
                sink = await connect(where)
            elif (command := piped_command(target)) is not None:
                sink = CommandSink(command)
            else:
                sink = FileSink(target, append=config.behaviour.append)
            if config.text and config.summary_only:
                stream = StreamOutput(sink, meta, _NoText())
                outputs.append(stream)
            elif config.text:
                # strace's -o FILE: a pid column with -f, or when it starts
                # with several processes (-p and a command, several -p)
                started = len(config.tracer.attach) + (config.tracer.command is not None)
                text_options.pid_column = config.tracer.follow_forks or started > 1
                stream = text_output(sink, meta, text_pipeline(text_options))
                outputs.append(stream)
            else:
                outputs.append(StreamOutput(sink, meta, None))
        detaches = config.tracer.attach or config.tracer.detach_on_execve
        if detaches and "attach" not in text_options.quiet:
            outputs.append(AttachNotices())
        if config.summary is not None:
            if stream is not None and config.text:
                # strace writes the table into the -o file, after the trace:
                # the table finishes first (it comes first in the list), and
                # the file writes it when it closes.
                def into_file(text: str, stream: StreamOutput | TextProcessOutput = stream) -> None:
                    stream.epilogue += text

                outputs.insert(0, SummaryOutput(config.summary, into_file))
            else:
                outputs.append(SummaryOutput(config.summary, sys.stderr.write))
        listener = None
        if config.listen:
            listen_at = address.parse(config.listen)
            if listen_at is None:
                raise AtraceError(f"bad listen address '{config.listen}': expected unix:/PATH or tcp:HOST:PORT")
            listener = LiveReaders.open(listen_at, Encoder().header(meta))
            outputs.append(listener)
        return outputs, listener

    async def run(self) -> SessionResult:
        config = self.config
        command = config.tracer.command
        meta = header_meta(
            command.argv if command else None,
            list(config.tracer.attach),
            {
                "follow_forks": config.tracer.follow_forks,
                "string_limit": config.tracer.string_limit,
                "trace": recorded_names(config.tracer.recorded),
                **recorded_display(config.text_options),
            },
        )
        meta["options"]["seccomp"] = self.tracer.seccomp  # whether only the set's calls stop
        outputs, listener = await self._open_outputs(meta)
        self._outputs = outputs
        for output in outputs:
            await output.start()
        result = TraceResult()
        async with trio.open_nursery() as nursery:
            if listener is not None:
                nursery.start_soon(listener.serve)
            nursery.start_soon(self._watch_signals)
            pump_done = self._pump_done = trio.Event()
            nursery.start_soon(self._pump, outputs, pump_done)
            self._nursery = nursery
            try:
                result = await trio.to_thread.run_sync(self.tracer.run)
                self._kill_launched_command()
            finally:
                with trio.CancelScope(shield=True):
                    if self._ending is None:
                        await self._end_outputs(outputs, pump_done, result)
                    await self._ended.wait()
            nursery.cancel_scope.cancel()
        lost = sum(output.lost for output in outputs)
        reasons = [failure for output in outputs if (failure := output.failure)]
        return SessionResult(result, self.events, lost, reasons, self._stop_signal)

    async def _end_outputs(self, outputs: list[Output], pump_done: trio.Event, result: TraceResult) -> None:
        """Deliver what is left and finish every output (once)."""
        self._ending = trio.Event()
        try:
            self.outbox.finish()
            if self._pump_nap is not None:
                self._pump_nap.cancel()
            with trio.CancelScope(shield=True):
                await pump_done.wait()
                if self.pump_failed:
                    self._count_lost_after_failure(outputs)
                summary = {
                    "events": self.events,
                    "exit_code": result.exit_code,
                    "signal": result.signal,
                }
                for output in outputs:
                    await output.finish(summary)
        finally:
            self._ended.set()

    def _passing_through(self) -> None:
        """On the tracer thread: it stops recording but waits for the
        command's end (tracer/passthrough.py). The command is killed as after
        a detach (then or never: once the pass-through has reaped it, its pid
        may be another process's), and the outputs end now, not when the
        command does."""
        self._kill_launched_command()
        self._root_pid = 0
        if self._nursery is not None:
            trio.from_thread.run_sync(self._nursery.start_soon, self._end_outputs, self._outputs, self._pump_done,
                                      TraceResult())  # fmt: skip

    async def _pump(self, outputs: list[Output], done: trio.Event) -> None:
        outbox = self.outbox
        nap = PUMP_INTERVAL
        try:
            while True:
                finished = outbox.finished  # read before take(): no event slips past
                outbox.delivering = True  # (before take(): see Outbox.wait_delivered)
                batch = outbox.take()
                nap = PUMP_INTERVAL if batch else min(2 * nap, PUMP_IDLE_INTERVAL)
                if batch:
                    self.events += len(batch)
                    self.undelivered = len(batch)
                    for output in outputs:
                        await output.deliver(batch)
                    self.undelivered = 0
                outbox.delivering = False
                if finished:
                    # (read before this take: the batch was the last one;
                    # napping once more would hold the run's end up to
                    # PUMP_INTERVAL for nothing)
                    return
                # A nap the tracer's end cuts short (run's finally): the
                # last batch goes out at once, not up to PUMP_INTERVAL later,
                # which a short trace (and a test suite starting atrace
                # a thousand times) would wait for at every exit.
                with trio.move_on_after(nap) as self._pump_nap:
                    await trio.sleep_forever()
        except BaseException:
            # Without a pump the tracer would fill the outbox and wait
            # forever with every tracee stopped: let the tracees go.
            self.pump_failed = True
            outbox.abandon()
            self.tracer.request_detach("atrace's output stage failed")
            raise
        finally:
            done.set()

    def _count_lost_after_failure(self, outputs: list[Output]) -> None:
        """After a pump failure: what never reached the outputs (the batch in
        flight, what the outbox dropped and what is still queued) is lost,
        and each output that can still be written says so in its trace."""
        self.undelivered += self.outbox.dropped + len(self.outbox.take())
        for output in outputs:
            output.note_lost(self.undelivered, "atrace internal error")

    def _stop_waiting_for_readers(self) -> None:
        """Stopping on a signal: no output may keep atrace waiting for its
        reader past STOP_GRACE; a second signal gives up on them at once."""
        deadline = trio.current_time() + (0 if self._stopping else STOP_GRACE)
        self._stopping = True
        for output in self._outputs:
            output.give_up_by(deadline)

    async def _watch_signals(self) -> None:
        """Ctrl-C and friends (-I2), as strace handles them:
        detach everything and finish the trace; a call in progress ends
        `<detached ...>`. A launched command (not -D's) is then killed by
        the same signal, and atrace ends by it too."""
        if self.config.behaviour.interruptible != 2:
            return  # -I1: they kill atrace; -I3/-I4: ignored (run_session)
        watched = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT}
        with trio.open_signal_receiver(*watched) as signals:
            async for signo in signals:
                if self._stop_signal is None:
                    self._stop_signal = int(signo)
                self.tracer.request_detach(signal.Signals(signo).name)
                self._stop_waiting_for_readers()

    def _kill_launched_command(self) -> None:
        """After a detach on a fatal signal: the command atrace started
        gets it too (continued first, should it be stopped), as strace's."""
        config = self.config.tracer
        if self._stop_signal is None or not self._root_pid or config.command is None or config.daemon is not None:
            return
        for signo in (signal.SIGCONT, self._stop_signal):
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._root_pid, signo)


class _NoText:
    """-c with -o FILE as text: the file gets the table alone, no trace."""

    def render(self, events: object) -> str:
        return ""

    def finish(self) -> str:
        return ""


# The tracer thread must get the GIL back the moment waitpid returns, or
# every tracee that stops waits with it. Python's default switch interval
# (5 ms) would let the pump keep the GIL that long while it packs a batch;
# at 0.1 ms it yields quickly and only its batches take a little longer.
SWITCH_INTERVAL = 0.0001


def text_pipeline(options: TextOptions) -> TextMaker:
    """The renderer's modules take a third of atrace's start-up (0.2 s of
    CPU): they are imported only when a text output is made."""
    from .render.stage import text_pipeline as make

    return make(options)


# The signals strace calls fatal, which -I decides about.
FATAL_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT)


def _open_at_start() -> frozenset[int]:
    """Which of fd 0 and 1 atrace was started with (imported before atrace
    opens anything): one started closed (`<&-`) may be reused by atrace's
    own files and sockets, which must not be touched."""
    found = set()
    for fd in (0, 1):
        with contextlib.suppress(OSError):
            os.fstat(fd)
            found.add(fd)
    return frozenset(found)


_STDIO_AT_START = _open_at_start()


def release_standard_fds(keep_stdout: bool) -> None:
    """Point fd 0 (and fd 1 unless it is an output) at /dev/null."""
    chosen = [fd for fd in ((0,) if keep_stdout else (0, 1)) if fd in _STDIO_AT_START]
    if not chosen:
        return
    try:
        null = os.open(os.devnull, os.O_RDWR)
    except OSError:
        return
    for fd in chosen:
        with contextlib.suppress(OSError):
            os.dup2(null, fd)
    if null not in chosen:
        os.close(null)


def _interruptible(level: int) -> None:
    """-I: 1 (anywhere) the fatal signals kill atrace outright (the
    launched command dies with it: PTRACE_O_EXITKILL); 2 (waiting, the
    default) the signal watcher handles them; 3 (never) they are ignored,
    4 (never_tstp) and SIGTSTP too. The command still gets the caller's
    dispositions (captured before this)."""
    if level == 2:
        return
    action = signal.SIG_DFL if level == 1 else signal.SIG_IGN
    for signo in FATAL_SIGNALS:
        signal.signal(signo, action)
    if level == 4:
        signal.signal(signal.SIGTSTP, signal.SIG_IGN)


def run_session(config: SessionConfig) -> SessionResult:
    sys.setswitchinterval(SWITCH_INTERVAL)
    _interruptible(config.behaviour.interruptible)
    session = Session(config)
    try:
        return trio.run(session.run)
    except BaseExceptionGroup as group:
        # The nursery wraps what its tasks raised; a user-facing error inside
        # is still just that error.
        leaves = _leaves(group)
        for leaf in leaves:
            if isinstance(leaf, AtraceError):
                raise leaf from None
        if session.pump_failed:
            cause = leaves[0] if len(leaves) == 1 else group
            raise InternalError(cause, session.undelivered) from group
        raise


def _leaves(group: BaseExceptionGroup[BaseException]) -> list[BaseException]:
    found: list[BaseException] = []
    for exc in group.exceptions:
        found.extend(_leaves(exc) if isinstance(exc, BaseExceptionGroup) else [exc])
    return found
