"""The bounded hand-off of events from the tracer thread to trio.

Measured on this machine class: `trio.from_thread.run` costs tens of
microseconds (two thread switches), as much as a ptrace stop itself, and
waking trio per event keeps both cores busy with GIL ping-pong. So the tracer
only appends each event tuple to a deque (one atomic C call, no syscall) and
trio's pump takes everything accumulated every few milliseconds: events cross
threads in batches, without either side waking the other.

The deque is bounded by a high-water mark. When the pump falls behind (a
slow sink: a pipe nobody reads, a remote socket), the tracer thread waits
until it has drained. Tracees then wait in their stops: a slow sink slows
tracing instead of growing memory without bound, and nothing is dropped.

Waiting for room ends early when the tracer must detach (Ctrl-C while
attached): a stopped tracee must never wait on an output. The few events
detaching still produces (one per task) are queued past the mark.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from typing import Any

# About 20 MB of event tuples at most in flight.
HIGH_WATER = 100_000


class Outbox:
    def __init__(self, high_water: int = HIGH_WATER) -> None:
        # Public for the stop loop, which appends to it directly.
        self.queue: deque[tuple[Any, ...]] = deque()
        self.high_water = high_water
        self._drained = threading.Event()
        self._finished = threading.Event()
        self._abandoned = False
        self._released = False
        self.stalls = 0
        self.dropped = 0
        # True from the pump's take() until the outputs have the batch.
        self.delivering = False

    # -- tracer thread -------------------------------------------------

    def put(self, event: tuple[Any, ...]) -> None:
        queue = self.queue
        queue.append(event)
        if len(queue) >= self.high_water:
            self.wait_for_room()

    def wait_for_room(self) -> None:
        """Block the tracer thread until the pump has caught up."""
        self.stalls += 1
        while len(self.queue) >= self.high_water // 2:
            if self._abandoned:
                self.dropped += len(self.take())
                return
            if self._released:
                return
            self._drained.clear()
            if len(self.queue) < self.high_water // 2:
                break
            self._drained.wait(0.1)

    def wait_delivered(self, timeout: float = 2.0) -> None:
        """Block the tracer thread until everything queued has reached the
        outputs (or `timeout` s): for the rare message a tracee prints
        itself that must come after the trace's lines (a failed first
        exec). Polls: it is never on the hot path."""
        deadline = time.monotonic() + timeout
        while (self.queue or self.delivering) and not self._abandoned and time.monotonic() < deadline:
            time.sleep(0.002)

    def abandon(self) -> None:
        """The pump is gone (it failed): never block the tracer again, so it
        can detach from everything; what it still queues is dropped."""
        self._abandoned = True
        self._drained.set()

    def release(self) -> None:
        """Stop making the tracer wait for room (any thread): it is about to
        detach, and letting tracees go must not depend on an output's reader.
        Nothing is dropped; the queue may pass the high-water mark."""
        self._released = True
        self._drained.set()

    def finish(self) -> None:
        """No more events will come (the tracer thread is done)."""
        self._finished.set()

    # -- trio side -----------------------------------------------------

    def take(self) -> list[tuple[Any, ...]]:
        """Everything queued so far, oldest first."""
        queue = self.queue
        popleft = queue.popleft
        batch = [popleft() for _ in range(len(queue))]
        self._drained.set()
        return batch

    @property
    def finished(self) -> bool:
        """True once the tracer is done; check it *before* a last take()."""
        return self._finished.is_set()
