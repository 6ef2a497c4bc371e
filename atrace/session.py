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
from typing import Any, cast

import trio

from .errors import AtraceError, InternalError
from .events import Event
from .events import records as R
from .events.wire import Encoder, header_meta
from .render.options import recorded_display
from .render.text import TextOptions, TextRenderer
from .sinks import FileSink, ListenSink, Sink, connect, parse_address, stdout_sink
from .summary import Summary, SummaryOutput
from .tracer.loop import Tracer, TracerConfig, TraceResult
from .tracer.outbox import Outbox

# How often the pump collects events when the tracer is busy: short enough
# for a live view, long enough that batches amortize the per-batch cost.
PUMP_INTERVAL = 0.02


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


class Output:
    """Turns batches of raw event tuples into bytes for one sink."""

    def __init__(self, sink: Sink, header: dict[str, Any], text: TextRenderer | None) -> None:
        self.sink = sink
        self._text = text
        self._encoder = Encoder()
        self._header = header
        self.failed: str | None = None  # why the sink could not be written
        self.lost = 0
        self.lost_reason = ""  # why events were lost while the sink still worked

    async def start(self) -> None:
        if self._text is None:
            await self._send(self._encoder.header(self._header), 0)

    async def deliver(self, batch: list[tuple[Any, ...]]) -> None:
        if self.failed:
            self.lost += len(batch)
            return
        # The renderer views raw tuples as the typed events they encode.
        data = self._text.render(cast(list[Event], batch)).encode() if self._text else self._encoder.encode(batch)
        await self._send(data, len(batch))

    async def finish(self, summary: dict[str, Any]) -> None:
        if self._text is not None:
            tail = self._text.finish().encode()
            if tail:
                await self._send(tail, 0)
        elif not self.failed:
            if self.lost:
                await self._send(self._encoder.encode([(R.LOST, 0, self.lost, self.lost_reason)]), 0)
            await self._send(self._encoder.trailer({**summary, "lost": self.lost}), 0)
        await self.sink.aclose()

    async def _send(self, data: bytes, events: int) -> None:
        try:
            await self.sink.write(data)
        except (OSError, trio.BrokenResourceError, trio.ClosedResourceError) as err:
            self.failed = getattr(err, "strerror", None) or str(err) or type(err).__name__
            self.lost += events


class AttachNotices:
    """`-p`: tell on stderr when atrace attaches to and detaches from each
    process, as strace does ("Process 1234 attached with 4 threads"),
    whatever -o says: these are about atrace, not part of the trace."""

    def __init__(self) -> None:
        self.lost = 0

    async def start(self) -> None:
        pass

    async def deliver(self, batch: list[tuple[Any, ...]]) -> None:
        counts: dict[tuple[int, int], int] = {}
        for event in batch:
            if event[0] == R.ATTACHED or event[0] == R.DETACHED:
                key = (event[0], event[3])
                counts[key] = counts.get(key, 0) + 1
        for (kind, tgid), threads in counts.items():
            what = "attached" if kind == R.ATTACHED else "detached"
            more = f" with {threads} threads" if kind == R.ATTACHED and threads > 1 else ""
            sys.stderr.write(f"atrace: Process {tgid} {what}{more}\n")
        if counts:
            sys.stderr.flush()

    async def finish(self, summary: dict[str, Any]) -> None:
        pass


class PerTaskOutputs:
    """-ff: each task's events go to OUTPUT.TID, each file a whole trace."""

    def __init__(self, prefix: str, header: dict[str, Any], text: TextOptions | None) -> None:
        self._prefix = prefix
        self._header = header
        self._text = text
        self._outputs: dict[int, Output] = {}
        self.lost = 0

    async def deliver(self, batch: list[tuple[Any, ...]]) -> None:
        by_task: dict[int, list[tuple[Any, ...]]] = {}
        for event in batch:
            if event[0] in (R.LOST, R.TRAILER):
                continue
            by_task.setdefault(event[2], []).append(event)
        for tid, events in by_task.items():
            output = self._outputs.get(tid)
            if output is None:
                sink = FileSink(f"{self._prefix}.{tid}")
                renderer = TextRenderer(self._text) if self._text else None
                output = self._outputs[tid] = Output(sink, self._header, renderer)
                await output.start()
            await output.deliver(events)

    async def finish(self, summary: dict[str, Any]) -> None:
        for output in self._outputs.values():
            await output.finish(summary)
            self.lost += output.lost

    async def start(self) -> None:
        pass


@dataclass(slots=True)
class SessionResult:
    trace: TraceResult
    events: int
    lost: int
    lost_reasons: list[str]


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
        self._root_pid = 0
        self.tracer.root_pid_known = self._set_root_pid

    def _set_root_pid(self, pid: int) -> None:
        self._root_pid = pid

    async def _open_outputs(self, meta: dict[str, Any]) -> tuple[list[Any], ListenSink | None]:
        config = self.config
        text_options = config.text_options
        outputs: list[Any] = []
        target = config.output
        if config.per_task and target and target != "-" and parse_address(target) is None:
            outputs.append(PerTaskOutputs(target, meta, text_options if config.text else None))
        elif target is None and config.summary_only:
            pass
        elif target is None:
            text_options.pid_column = False
            outputs.append(Output(FileSink("<stderr>", fd=2), meta, TextRenderer(text_options)))
        else:
            if target == "-":
                sink: Sink = stdout_sink()
            elif parse_address(target) is not None:
                sink = await connect(target)
            else:
                sink = FileSink(target)
            renderer = None
            if config.text:
                text_options.pid_column = config.tracer.follow_forks
                renderer = TextRenderer(text_options)
            outputs.append(Output(sink, meta, renderer))
        if config.tracer.attach and "attach" not in text_options.quiet:
            outputs.append(AttachNotices())
        if config.summary is not None:
            outputs.append(SummaryOutput(config.summary, sys.stderr.write))
        listener = None
        if config.listen:
            listener = ListenSink.open(config.listen, Encoder().header(meta))
            outputs.append(Output(listener, meta, None))
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
                **recorded_display(config.text_options),
            },
        )
        outputs, listener = await self._open_outputs(meta)
        for output in outputs:
            await output.start()
        result = TraceResult()
        async with trio.open_nursery() as nursery:
            if listener is not None:
                nursery.start_soon(listener.serve)
            nursery.start_soon(self._watch_signals)
            pump_done = trio.Event()
            nursery.start_soon(self._pump, outputs, pump_done)
            try:
                result = await trio.to_thread.run_sync(self.tracer.run)
            finally:
                self.outbox.finish()
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
            nursery.cancel_scope.cancel()
        lost = sum(output.lost for output in outputs)
        reasons = [
            f"{output.sink.name}: {output.failed}" for output in outputs if isinstance(output, Output) and output.failed
        ]
        return SessionResult(result, self.events, lost, reasons)

    async def _pump(self, outputs: list[Any], done: trio.Event) -> None:
        outbox = self.outbox
        try:
            while True:
                finished = outbox.finished  # read before take(): no event slips past
                batch = outbox.take()
                if batch:
                    self.events += len(batch)
                    self.undelivered = len(batch)
                    for output in outputs:
                        await output.deliver(batch)
                    self.undelivered = 0
                elif finished:
                    return
                await trio.sleep(PUMP_INTERVAL)
        except BaseException:
            # Without a pump the tracer would fill the outbox and wait
            # forever with every tracee stopped: let the tracees go.
            self.pump_failed = True
            outbox.abandon()
            self.tracer.request_detach()
            raise
        finally:
            done.set()

    def _count_lost_after_failure(self, outputs: list[Any]) -> None:
        """After a pump failure: what never reached the outputs (the batch in
        flight, what the outbox dropped and what is still queued) is lost,
        and each output that can still be written says so in its trace."""
        self.undelivered += self.outbox.dropped + len(self.outbox.take())
        for output in outputs:
            if isinstance(output, Output):
                output.lost += self.undelivered
                output.lost_reason = "atrace internal error"

    async def _watch_signals(self) -> None:
        """Ctrl-C and friends. Attached: detach everything and finish the
        trace. Launched: the command is the one to decide; a SIGTERM or SIGHUP
        sent to atrace alone is passed on to it (Ctrl-C already reaches it
        through the terminal's process group)."""
        attached = self.config.tracer.command is None
        watched = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT}
        with trio.open_signal_receiver(*watched) as signals:
            async for signo in signals:
                if attached:
                    self.tracer.request_detach()
                elif signo in (signal.SIGTERM, signal.SIGHUP) and self._root_pid:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(self._root_pid, signo)


# The tracer thread must get the GIL back the moment waitpid returns, or
# every tracee that stops waits with it. Python's default switch interval
# (5 ms) would let the pump keep the GIL that long while it packs a batch;
# at 0.1 ms it yields quickly and only its batches take a little longer.
SWITCH_INTERVAL = 0.0001


def run_session(config: SessionConfig) -> SessionResult:
    sys.setswitchinterval(SWITCH_INTERVAL)
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
