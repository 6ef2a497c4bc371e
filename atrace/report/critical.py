"""The critical path of a build, and its parallelism over time.

The trace says when each job ran, and when each waiter (make, a shell)
reaped which child (its wait4/waitid returning the child's pid), but not
which job needed which. The critical path is rebuilt backwards from the
job that ended last. The job before a job J on the path is:

* an earlier job of J's own *unit* (what the driver started: a recipe's
  shell runs its commands in sequence), the last to end before J started;
* else, what the waiter that started J's unit had reaped last before it
  started it: the last job to end inside that reaped child (make starts
  the next target when a child it waited for ends). If the waiter reaped
  nothing before, it started the unit without waiting, and the question
  goes up to the waiter's own start (a recursive make, a shell's earlier
  command);
* in a trace without wait records (`-e trace=` without wait4), the last job
  of the unit that ended last before J's unit started, else the last job
  to end before J started.

The time between two jobs on the path is an idle gap (the driver's own
work, or nothing running); so are the stretches before the first job and
after the last. For a -j1 build every job is on the path.

Parallelism is sampled in equal buckets over the wall time: how many jobs
were running on average, and how many CPUs were busy, assuming each
process spread its CPU time evenly over its life (the trace records CPU
time once per task, at its exit).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from ..analysis.proctree import Process
from .collect import Reap
from .jobs import Job


@dataclass(slots=True)
class Step:
    """One element of the critical path: a job, or an idle gap before `job`."""

    start: int
    end: int
    job: Job | None  # None: idle gap

    @property
    def duration(self) -> int:
        return self.end - self.start


def critical_path(jobs: list[Job], start: int, end: int, reaps: list[Reap] | None = None) -> list[Step]:
    """The chain of jobs and gaps covering [start, end], in time order; marks the jobs `critical`."""
    if not jobs:
        return [Step(start, end, None)] if end > start else []
    finder = _Predecessors(jobs, reaps or [])
    path: list[Step] = []
    current = finder.by_end[-1]
    if end > current.end:
        path.append(Step(current.end, end, None))
    while True:
        current.critical = True
        path.append(Step(current.start, current.end, current))
        before = finder.of(current)
        if before is None or before.critical:  # zero-length jobs at one instant could loop
            break
        if current.start > before.end:
            path.append(Step(before.end, current.start, None))
        current = before
    if current.start > start:
        path.append(Step(start, current.start, None))
    path.reverse()
    return path


class _Predecessors:
    def __init__(self, jobs: list[Job], reaps: list[Reap]) -> None:
        self.by_unit: dict[Process, list[Job]] = {}
        for job in jobs:
            self.by_unit.setdefault(job.unit or job.root, []).append(job)
        unit_end = {unit: max(job.end for job in members) for unit, members in self.by_unit.items()}
        self.units = sorted(self.by_unit, key=lambda unit: unit_end[unit])
        self.unit_ends = [unit_end[unit] for unit in self.units]
        self.by_end = sorted(jobs, key=lambda job: (job.end, job.start))
        self.ends = [job.end for job in self.by_end]
        self.reaps: dict[Process, list[Reap]] = {}
        for reap in reaps:
            self.reaps.setdefault(reap.waiter, []).append(reap)
        # process -> the last job to end among the jobs at or below it
        self.last_below: dict[Process, Job] = {}
        for job in jobs:
            proc: Process | None = job.root
            while proc is not None:
                known = self.last_below.get(proc)
                if known is None or (known.end, known.start) < (job.end, job.start):
                    self.last_below[proc] = job
                proc = proc.parent

    def of(self, job: Job) -> Job | None:
        unit = job.unit or job.root
        earlier = [other for other in self.by_unit[unit] if other is not job and other.end <= job.start]
        if earlier:
            return max(earlier, key=lambda other: (other.end, other.start))
        if self.reaps:
            return self._released_by(unit, job)
        return self._by_time(unit, job)

    def _released_by(self, anchor: Process, job: Job) -> Job | None:
        """What the waiters above `anchor` had reaped before starting it."""
        while anchor.parent is not None:
            waiter = anchor.parent
            for reap in reversed(self.reaps.get(waiter, ())):
                if reap.ts > anchor.start:
                    continue
                child = reap.child()
                found = None if child is None else self.last_below.get(child)
                if found is not None and found is not job and found.end <= job.start:
                    return found
            anchor = waiter
        return None

    def _by_time(self, unit: Process, job: Job) -> Job | None:
        released = min(unit.start, job.start)
        index = bisect.bisect_right(self.unit_ends, released) - 1
        while index >= 0 and self.units[index] is unit:
            index -= 1
        if index >= 0:
            return max(self.by_unit[self.units[index]], key=lambda other: (other.end, other.start))
        index = bisect.bisect_right(self.ends, job.start) - 1
        while index >= 0 and self.by_end[index] is job:
            index -= 1
        return self.by_end[index] if index >= 0 else None


@dataclass(slots=True)
class Bucket:
    start: int
    end: int
    jobs: float  # jobs running, averaged over the bucket
    cpus: float  # CPUs busy, averaged over the bucket (None-CPU processes count 0)


def parallelism(jobs: list[Job], processes: list[Process], start: int, end: int, buckets: int = 300) -> list[Bucket]:
    span = max(end - start, 1)
    width = span / buckets
    running = [0.0] * buckets
    busy = [0.0] * buckets
    for job in jobs:
        _spread(running, job.start - start, job.end - start, width, 1.0)
    for proc in processes:
        if proc.utime is None:
            continue
        stop = proc.end if proc.end is not None else end
        life = stop - proc.start
        cpu = proc.utime + (proc.stime or 0)
        if life <= 0:
            index = min(int((proc.start - start) / width), buckets - 1)
            busy[max(index, 0)] += cpu / width
            continue
        _spread(busy, proc.start - start, stop - start, width, cpu / life)
    return [Bucket(int(start + i * width), int(start + (i + 1) * width), running[i], busy[i]) for i in range(buckets)]


def _spread(series: list[float], begin: float, finish: float, width: float, rate: float) -> None:
    """Add `rate` x the time [begin, finish) overlaps each bucket, per bucket width."""
    count = len(series)
    begin = max(begin, 0.0)
    finish = min(finish, count * width)
    if finish <= begin:
        return
    first = int(begin / width)
    last = min(int(finish / width), count - 1)
    for index in range(first, last + 1):
        low = max(begin, index * width)
        high = min(finish, (index + 1) * width)
        if high > low:
            series[index] += rate * (high - low) / width
