"""The report's facts, computed from BuildFacts: totals, jobs, critical
path, parallelism, the slowest jobs and calls, failures, CPU per process.

Everything the HTML page and the text summary show comes from here, so the
two cannot disagree, and the page receives aggregates, never the events.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from ..analysis.proctree import Process
from .collect import BuildFacts, SlowCall
from .critical import Bucket, Step, critical_path, parallelism
from .jobs import Failure, Job, JobView, find_jobs

TOP = 20


@dataclass(slots=True)
class Report:
    facts: BuildFacts
    view: JobView
    path: list[Step]
    buckets: list[Bucket]
    slow_jobs: list[Job]
    slow_calls: list[SlowCall]
    cpus: int | None
    utime: int | None
    stime: int | None
    by_cpu: list[Process]

    @property
    def jobs(self) -> list[Job]:
        return self.view.jobs

    @property
    def failures(self) -> list[Failure]:
        return [failure for failure in self.view.failures if not failure.ignored]

    @property
    def ignored(self) -> list[Failure]:
        return [failure for failure in self.view.failures if failure.ignored]

    @property
    def cpu(self) -> int | None:
        return None if self.utime is None else self.utime + (self.stime or 0)


def build_report(facts: BuildFacts, *, top: int = TOP) -> Report:
    view = find_jobs(facts)
    path = critical_path(view.jobs, facts.start, facts.end, facts.reaps)
    processes = facts.tree.all
    buckets = parallelism(view.jobs, processes, facts.start, facts.end)
    slow_jobs = sorted(view.jobs, key=lambda job: -job.duration)[:top]
    slow_calls = [call for call in facts.slow_calls if not _waiting_for_child(call, facts.end)][:top]
    utime = stime = None
    for proc in processes:
        if proc.utime is not None:
            utime = (utime or 0) + proc.utime
            stime = (stime or 0) + (proc.stime or 0)
    by_cpu = sorted((p for p in processes if p.utime is not None), key=lambda p: -(p.utime or 0) - (p.stime or 0))
    cpus = facts.header.get("cpus")
    return Report(facts, view, path, buckets, slow_jobs, slow_calls, cpus if isinstance(cpus, int) else None,
                  utime, stime, by_cpu[:50])  # fmt: skip


def _waiting_for_child(call: SlowCall, trace_end: int) -> bool:
    """A parent blocked while one of its children ran: it was waiting for it
    (make's pselect6, a shell reading a command substitution)."""
    proc = call.process
    if proc is None:
        return False
    begin, finish = call.start, call.start + call.duration
    return any(child.start < finish and (child.end if child.end is not None else trace_end) > begin
               for child in proc.children)  # fmt: skip


def local_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except OSError:
        return os.cpu_count() or 1
