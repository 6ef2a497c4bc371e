"""The critical path of a build, and its parallelism over time.

The trace does not say which job waited for which, only when each ran. The
critical path is rebuilt backwards from the job that ended last: the job
before it on the path is the one that ended last before it started (what
the driver was waiting for when it started it), and so on until no job
ended before. The time between two jobs on the path is an idle gap (the
driver's own work, or nothing running); so are the stretches before the
first job and after the last. For a -j1 build every job is on the path.

Parallelism is sampled in equal buckets over the wall time: how many jobs
were running on average, and how many CPUs were busy, assuming each
process spread its CPU time evenly over its life (the trace records CPU
time once per task, at its exit).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from ..analysis.proctree import Process
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


def critical_path(jobs: list[Job], start: int, end: int) -> list[Step]:
    """The chain of jobs and gaps covering [start, end], in time order; marks the jobs `critical`."""
    if not jobs:
        return [Step(start, end, None)] if end > start else []
    by_unit: dict[Process, list[Job]] = {}
    for job in jobs:
        by_unit.setdefault(job.unit or job.root, []).append(job)
    unit_end = {unit: max(job.end for job in members) for unit, members in by_unit.items()}
    units = sorted(by_unit, key=lambda unit: unit_end[unit])
    unit_ends = [unit_end[unit] for unit in units]
    by_end = sorted(jobs, key=lambda job: (job.end, job.start))
    ends = [job.end for job in by_end]
    path: list[Step] = []
    current = by_end[-1]
    if end > current.end:
        path.append(Step(current.end, end, None))
    while True:
        current.critical = True
        path.append(Step(current.start, current.end, current))
        before = _predecessor(current, by_unit, units, unit_ends, by_end, ends)
        if before is None or before.critical:  # zero-length jobs at one instant could loop
            break
        if current.start > before.end:
            path.append(Step(before.end, current.start, None))
        current = before
    if current.start > start:
        path.append(Step(start, current.start, None))
    path.reverse()
    return path


def _predecessor(
    job: Job,
    by_unit: dict[Process, list[Job]],
    units: list[Process],
    unit_ends: list[int],
    by_end: list[Job],
    ends: list[int],
) -> Job | None:
    """What `job` waited for: an earlier job of its own unit (a recipe's
    commands run in sequence), else the last job of the unit the driver saw
    end last before it started this job's unit, else the last job to end
    before it started."""
    unit = job.unit or job.root
    earlier = [other for other in by_unit[unit] if other is not job and other.end <= job.start]
    if earlier:
        return max(earlier, key=lambda other: (other.end, other.start))
    released = min(unit.start, job.start)
    index = bisect.bisect_right(unit_ends, released) - 1
    while index >= 0 and units[index] is unit:
        index -= 1
    if index >= 0:
        return max(by_unit[units[index]], key=lambda other: (other.end, other.start))
    index = bisect.bisect_right(ends, job.start) - 1
    while index >= 0 and by_end[index] is job:
        index -= 1
    return by_end[index] if index >= 0 else None


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
