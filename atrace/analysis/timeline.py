"""A build's processes over time: Chrome trace-event JSON, and an SVG picture.

The JSON is the trace-event format that Perfetto and chrome://tracing open:
one track per process (its pid is the process, its tid the task), a slice
for each program a process ran (from the start of its successful execve to
the next one, or its end) and, on the task's track, a slice for each
syscall longer than a threshold. Slices on one track must nest: a program's
slice starts when its execve is *entered*, not at the exec event in the
middle of that call, so the execve slice lies inside the new program's.
A "jobs" process adds one track per lane of concurrently running build
jobs (atrace/report/jobs.py), with the critical path marked, and a counter
track with the number of jobs running.
"""

from __future__ import annotations

import html
import posixpath
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..events import records as R
from ..report.collect import WAITS, BuildFacts, Reap
from ..report.critical import critical_path
from ..report.jobs import find_jobs
from ..report.jobs import lanes as job_lanes
from .calls import Call, pair_calls
from .paths import text
from .proctree import Process, ProcessTree, TreeBuilder

# Chrome's format has no notion of pid reuse: a later process with a pid
# already used gets a synthetic id above any real pid (pid_max is 2**22).
_REUSED_PID_BASE = 1 << 23


@dataclass(slots=True)
class Segment:
    """A stretch of a process's life running one program."""

    process: Process
    start: int
    end: int
    label: str
    argv: list[str]
    cwd: str | None
    last: bool = False  # the program the process ended in


def segments(proc: Process, trace_end: int, exec_starts: dict[int, int] | None = None) -> list[Segment]:
    """The process's life cut at each exec (before the first: its parent's program).

    `exec_starts` maps an exec event's time to its execve call's entry
    time, where the new program's slice then starts."""
    end = proc.end if proc.end is not None else trace_end
    out: list[Segment] = []
    starts = exec_starts or {}
    marks = [(proc.start, None)] + [(max(starts.get(info.ts, info.ts), proc.start), info) for info in proc.execs]
    for index, (start, info) in enumerate(marks):
        stop = marks[index + 1][0] if index + 1 < len(marks) else end
        if info is None:
            if stop <= start and proc.execs:
                continue  # no life before its first exec worth a slice
            parent_argv = [] if proc.parent is None else [text(a) for a in proc.parent.argv]
            label = f"({_short(parent_argv)} child)" if parent_argv else "(process)"
            out.append(Segment(proc, start, max(stop, start), label, [], None))
        else:
            argv = [text(a) for a in info.argv]
            cwd = None if info.cwd is None else text(info.cwd)
            out.append(Segment(proc, start, max(stop, start), _short(argv), argv, cwd))
    if out:
        out[-1].last = True
    return out


def _short(argv: list[str]) -> str:
    if not argv:
        return "?"
    name = posixpath.basename(argv[0])
    rest = " ".join(argv[1:])
    return f"{name} {rest}"[:80].rstrip() if rest else name


@dataclass(slots=True)
class Timeline:
    tree: ProcessTree
    slow_calls: list[Call]
    start: int
    end: int
    # exec event time -> entry time of the execve that made it (for nesting)
    exec_starts: dict[int, int] = field(default_factory=dict)
    reaps: list[Reap] = field(default_factory=list)  # wait4/waitid returning a child, in time order


def collect(events: Iterable[R.Event], threshold_ns: int = 1_000_000) -> Timeline:
    """The tree, and the calls at least `threshold_ns` long."""
    builder = TreeBuilder()
    slow: list[Call] = []
    first: int | None = None
    last = 0
    exec_at: dict[int, int] = {}  # tid -> time of its last exec event
    exec_starts: dict[int, int] = {}
    reaps: list[Reap] = []
    for item in pair_calls(events, passthrough=True):
        if isinstance(item, Call):
            proc = builder.process(item.tid, item.tgid, item.start)
            if item.start < proc.start:
                # Calls arrive when they end: the launched command's execve
                # began before its exec event created the process.
                proc.start = item.start
            duration = item.duration
            if duration is not None and duration >= threshold_ns:
                slow.append(item)
            if item.name in WAITS and item.ret is not None and item.ret > 0 and item.end is not None:
                reaps.append(Reap(item.end, proc, item.ret))
            if item.name in _EXECS and item.ret == 0 and item.tid in exec_at:
                exec_starts[exec_at.pop(item.tid)] = item.start
            # Calls arrive when they end, so the earliest start is not first.
            begin, stamp = item.start, item.end if item.end is not None else item.start
        elif isinstance(item, (R.Header, R.Lost)):
            continue
        else:
            builder.add(item)
            begin = stamp = item.ts
            if isinstance(item, R.Exec):
                exec_at[item.tid] = item.ts
        if first is None or begin < first:
            first = begin
        last = max(last, stamp)
    return Timeline(builder.tree, slow, first or 0, last, exec_starts, reaps)


_EXECS = frozenset({"execve", "execveat"})


def chrome_trace(timeline: Timeline) -> dict[str, Any]:
    """The Chrome trace-event JSON object (timestamps in microseconds)."""
    origin = timeline.start
    events: list[dict[str, Any]] = []
    ids: dict[Process, int] = {}
    used: set[int] = set()
    for _level, proc in timeline.tree.walk():
        pid = proc.pid if proc.pid not in used else _REUSED_PID_BASE + len(ids)
        used.add(pid)
        ids[proc] = pid
        segs = segments(proc, timeline.end, timeline.exec_starts)
        name = segs[-1].label if segs else str(proc.pid)
        events.append({"ph": "M", "name": "process_name", "pid": pid, "tid": pid,
                       "args": {"name": f"{proc.pid} {name}"}})  # fmt: skip
        events.append({"ph": "M", "name": "process_sort_index", "pid": pid, "tid": pid,
                       "args": {"sort_index": len(ids)}})  # fmt: skip
        for seg in segs:
            args: dict[str, Any] = {"pid": proc.pid, "argv": seg.argv, "cwd": seg.cwd}
            if seg.last:
                args.update(exit_code=proc.exit_code, signal=proc.signal)
            events.append({"ph": "X", "cat": "exec", "name": seg.label, "pid": pid, "tid": proc.pid,
                           "ts": (seg.start - origin) / 1000, "dur": (seg.end - seg.start) / 1000,
                           "args": args})  # fmt: skip
    by_task = {tid: proc for proc in timeline.tree.all for tid in proc.threads | {proc.pid}}
    for call in timeline.slow_calls:
        owner = by_task.get(call.tid)
        if owner is None or call.end is None:
            continue
        events.append({"ph": "X", "cat": "syscall", "name": call.name, "pid": ids[owner], "tid": call.tid,
                       "ts": (call.start - origin) / 1000, "dur": (call.end - call.start) / 1000,
                       "args": {"ret": call.ret, "error": call.error, "data": _jsonable(call.data)}})  # fmt: skip
    events.extend(_job_tracks(timeline, origin))
    return {"traceEvents": events, "displayTimeUnit": "ms"}


# The jobs' tracks get a pid no real process has (above pid_max and the reused ones).
JOBS_PID = (1 << 24) + 1


def _job_tracks(timeline: Timeline, origin: int) -> list[dict[str, Any]]:
    """A "jobs" process: a track per lane of concurrent jobs, the critical path's
    jobs marked, and a counter of the jobs running."""
    reaps = sorted(timeline.reaps, key=lambda reap: reap.ts)  # calls come as they end, nearly in order
    facts = BuildFacts({}, timeline.tree, timeline.start, timeline.end, 0, 0, False, [], reaps=reaps)
    jobs = find_jobs(facts).jobs
    critical_path(jobs, timeline.start, timeline.end, reaps)
    out: list[dict[str, Any]] = [
        {"ph": "M", "name": "process_name", "pid": JOBS_PID, "tid": 0, "args": {"name": "build jobs"}},
        {"ph": "M", "name": "process_sort_index", "pid": JOBS_PID, "tid": 0, "args": {"sort_index": -1}},
    ]
    lane_of = job_lanes(jobs)
    for lane in sorted(set(lane_of)):
        out.append({"ph": "M", "name": "thread_name", "pid": JOBS_PID, "tid": lane + 1,
                    "args": {"name": f"lane {lane + 1}"}})  # fmt: skip
    changes: list[tuple[int, int]] = []
    for job, lane in zip(jobs, lane_of, strict=True):
        out.append({"ph": "X", "cat": "critical" if job.critical else "job", "name": job.label, "pid": JOBS_PID,
                    "tid": lane + 1, "ts": (job.start - origin) / 1000, "dur": job.duration / 1000,
                    "args": {"pid": job.root.pid, "critical": job.critical, "failed": job.failed,
                             "utime_ms": None if job.utime is None else job.utime / 1e6,
                             "stime_ms": None if job.stime is None else job.stime / 1e6}})  # fmt: skip
        changes.append((job.start, 1))
        changes.append((job.end, -1))
    running = 0
    for ts, delta in sorted(changes):
        running += delta
        out.append({"ph": "C", "name": "jobs running", "pid": JOBS_PID, "ts": (ts - origin) / 1000,
                    "args": {"jobs": running}})  # fmt: skip
    return out


def _jsonable(value: Any) -> Any:
    """Decoded syscall data for JSON: byte strings become text (undecodable
    bytes as surrogates, which the writer turns back into the bytes)."""
    if isinstance(value, bytes):
        return text(value)
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(item) for item in value]
    return value


# -- the picture ----------------------------------------------------------

_ROW = 18
_LEFT = 10
_WIDTH = 1400


def lanes(timeline: Timeline) -> list[list[Segment]]:
    """Segments packed into rows, each in the first row free at its start,
    so that the number of rows is the build's peak parallelism."""
    rows: list[list[Segment]] = []
    ends: list[int] = []
    all_segments = [seg for proc in timeline.tree.all for seg in segments(proc, timeline.end)]
    for seg in sorted(all_segments, key=lambda s: (s.start, -s.end)):
        for index, end in enumerate(ends):
            if end <= seg.start:
                rows[index].append(seg)
                ends[index] = seg.end
                break
        else:
            rows.append([seg])
            ends.append(seg.end)
    return rows


def svg(timeline: Timeline, title: str = "atrace timeline") -> str:
    """A self-contained SVG of the process timeline (hover shows details)."""
    rows = lanes(timeline)
    span = max(timeline.end - timeline.start, 1)
    scale = (_WIDTH - 2 * _LEFT) / span
    height = 40 + _ROW * len(rows) + 20
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_WIDTH}" height="{height}" font-family="sans-serif" '
        f'font-size="11">',
        f"<title>{html.escape(title)}</title>",
        f'<text x="{_LEFT}" y="16" font-size="14">{html.escape(title)} — {span / 1e9:.3f} s, '
        f"{len(timeline.tree.all)} processes</text>",
    ]
    for second in range(int(span / 1e9) + 1):
        x = _LEFT + second * 1e9 * scale
        out.append(f'<line x1="{x:.1f}" y1="24" x2="{x:.1f}" y2="{height - 18}" stroke="#ddd"/>')
        out.append(f'<text x="{x + 2:.1f}" y="{height - 6}" fill="#888">{second}s</text>')
    for index, row in enumerate(rows):
        y = 30 + index * _ROW
        for seg in row:
            x = _LEFT + (seg.start - timeline.start) * scale
            w = max((seg.end - seg.start) * scale, 1.0)
            proc = seg.process
            failed = proc.failed and seg.last
            colour = "#d62728" if failed else _colour(seg.label.split(" ")[0])
            how = "" if proc.end is None else (
                f", killed by signal {proc.signal}" if proc.signal is not None else f", exit {proc.exit_code}"
            )  # fmt: skip
            tip = f"pid {proc.pid}: {' '.join(seg.argv) or seg.label}\n{(seg.end - seg.start) / 1e6:.1f} ms{how}"
            out.append(
                f'<g><title>{html.escape(tip)}</title><rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{_ROW - 3}" '
                f'fill="{colour}" stroke="#333" stroke-width="0.3"/>'
            )
            if w > 40:
                label = html.escape(seg.label[: int(w / 6.5)])
                out.append(f'<text x="{x + 2:.1f}" y="{y + 11}" fill="#000" pointer-events="none">{label}</text>')
            out.append("</g>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


def html_page(timeline: Timeline, title: str = "atrace timeline") -> str:
    return (
        f"<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head>\n"
        f"<body style='margin:8px'>\n{svg(timeline, title)}</body></html>\n"
    )


def _colour(name: str) -> str:
    """A stable pastel colour per program name."""
    hue = zlib.crc32(name.encode()) % 360
    return f"hsl({hue},55%,72%)"
