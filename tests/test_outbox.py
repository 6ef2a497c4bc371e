"""The tracer-to-trio hand-off: bounded, ordered, nothing dropped."""

from __future__ import annotations

import threading
import time

from atrace.tracer.outbox import Outbox


def test_put_blocks_at_high_water_until_the_pump_drains() -> None:
    outbox = Outbox(high_water=100)
    done = threading.Event()

    def producer() -> None:
        for i in range(1000):
            outbox.put((i,))
        done.set()

    thread = threading.Thread(target=producer)
    thread.start()
    time.sleep(0.2)
    assert not done.is_set(), "the producer ran past the high-water mark"
    assert len(outbox.queue) <= 100
    received: list[tuple[int, ...]] = []
    while not done.is_set() or outbox.queue:
        received.extend(outbox.take())
        time.sleep(0.001)
    thread.join()
    assert received == [(i,) for i in range(1000)], "events lost or reordered"
    assert outbox.stalls > 0


def test_finished_is_read_before_the_last_take() -> None:
    outbox = Outbox()
    outbox.put((1,))
    outbox.finish()
    assert outbox.finished
    assert outbox.take() == [(1,)]
    assert outbox.take() == []


def test_release_lets_a_blocked_producer_go_without_dropping() -> None:
    """A detach request must reach a tracer thread that waits for room an
    output will never make: release() ends the wait, and nothing is lost."""
    outbox = Outbox(high_water=100)
    done = threading.Event()

    def producer() -> None:
        for i in range(300):
            outbox.put((i,))
        done.set()

    thread = threading.Thread(target=producer)
    thread.start()
    time.sleep(0.2)
    assert not done.is_set(), "the producer was not held at the high-water mark"
    outbox.release()  # nobody drains
    thread.join(10)
    assert done.is_set(), "release() did not end the wait"
    assert outbox.take() == [(i,) for i in range(300)] and outbox.dropped == 0
