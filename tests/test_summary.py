"""-c / -C tables (atrace.summary) and the options that drive them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from atrace.errors import AtraceError
from atrace.events import records as R
from atrace.summary import Summary, sort_key

REPO = Path(__file__).resolve().parent.parent


def call(ts: int, tid: int, name: str, ret: int, elapsed: int, tgid: int | None = None) -> list[tuple[object, ...]]:
    tgid = tid if tgid is None else tgid
    return [
        (R.SYSCALL_ENTRY, ts, tid, tgid, 0, 0, name, (0,) * 6, None),
        (R.SYSCALL_EXIT, ts + elapsed, tid, tgid, 0, ret, None),
    ]


def events() -> list[tuple[object, ...]]:
    out: list[tuple[object, ...]] = []
    out += call(0, 1, "read", 5, 3000)
    out += call(10_000, 1, "read", -11, 1000)
    out += call(20_000, 2, "openat", 3, 6000)
    out.append((R.SYSCALL_ENTRY, 30_000, 1, 1, 0, 231, "exit_group", (0,) * 6, None))
    out.append((R.EXIT, 31_000, 1, 1, 0, None, False))
    return out


def test_table_layout_and_totals() -> None:
    summary = Summary()
    summary.feed(events())
    lines = summary.render().splitlines()
    assert lines[0] == "% time     seconds  usecs/call     calls    errors syscall"
    assert lines[1] == "------ ----------- ----------- --------- --------- ----------------"
    assert lines[2] == " 60.00    0.000006           6         1           openat"
    assert lines[3] == " 40.00    0.000004           2         2         1 read"
    # exit_group never returns: strace counts a call at its return
    assert lines[4] == "------ ----------- ----------- --------- --------- ----------------"
    assert lines[-1] == "100.00    0.000010           3         3         1 total"


def test_sort_orders() -> None:
    summary = Summary(sort=sort_key("calls"))
    summary.feed(events())
    assert summary.render().splitlines()[2].endswith(" read")
    by_name = Summary(sort=sort_key("name"))
    by_name.feed(events())
    assert [line.split()[-1] for line in by_name.render().splitlines()[2:4]] == ["openat", "read"]
    with pytest.raises(AtraceError, match="invalid sortby"):
        sort_key("bogus")


def test_per_process_tables() -> None:
    summary = Summary(per_process=True)
    summary.feed(events())
    text = summary.render()
    assert text.startswith("Process 1:\n% time")
    assert "Process 2:\n" in text
    assert text.count("total") == 2


def test_dash_c_prints_only_the_table() -> None:
    done = subprocess.run([sys.executable, "-m", "atrace", "-c", "-S", "name", "true"], capture_output=True,
                          text=True, cwd=REPO, timeout=60)  # fmt: skip
    assert done.returncode == 0
    lines = done.stderr.splitlines()
    assert lines[0].startswith("% time")
    assert lines[-1].endswith(" total")
    assert not any("execve(" in line for line in lines)
    assert any(line.endswith(" execve") for line in lines)


def test_dash_big_c_prints_trace_and_table() -> None:
    done = subprocess.run([sys.executable, "-m", "atrace", "-C", "-e", "trace=close", "true"], capture_output=True,
                          text=True, cwd=REPO, timeout=60)  # fmt: skip
    assert "close(3)" in done.stderr
    assert done.stderr.rstrip().endswith("total")
    assert " close\n" in done.stderr


def _first_row(table: str) -> str:
    """The syscall name of the table's top row."""
    return table.splitlines()[2].split()[-1]


def test_default_time_is_system_time_and_w_is_wall_clock(program) -> None:  # type: ignore[no-untyped-def]
    binary = str(program("cpu_vs_sleep"))
    common = [sys.executable, "-m", "atrace", "-c", "-e", "trace=read,nanosleep,clock_nanosleep"]
    cpu = subprocess.run([*common, binary], capture_output=True, text=True, cwd=REPO, timeout=60)
    wall = subprocess.run([*common, "-w", binary], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert cpu.returncode == 0 and wall.returncode == 0, cpu.stderr + wall.stderr
    # Reading 160 MiB of zeroes costs the kernel tens of ms; sleeping costs
    # no CPU but 0.4 s of wall-clock time.
    assert _first_row(cpu.stderr) == "read", cpu.stderr
    assert _first_row(wall.stderr) in ("nanosleep", "clock_nanosleep"), wall.stderr


def test_stime_is_recorded_only_for_summaries(trace, program) -> None:  # type: ignore[no-untyped-def]
    binary = str(program("cpu_vs_sleep"))
    _, plain = trace([binary])
    exits = [e for e in plain if e.type == R.SYSCALL_EXIT]
    assert exits and all(e.stime is None for e in exits)
    _, counted = trace([binary], options=["-C"])
    exits = [e for e in counted if e.type == R.SYSCALL_EXIT]
    assert exits and all(isinstance(e.stime, int) and e.stime >= 0 for e in exits)
    assert sum(e.stime for e in exits) > 0


def test_live_and_offline_summaries_count_alike(tmp_path: Path) -> None:
    """One run, counted twice: by the tracer's -C (wall-clock, -w) while it
    traces, and by scripts/summary.py over the trace it wrote: its total
    table with the tracer's own code, its per-process tables through
    analysis.calls.pair_calls into the same rows.  The tables are the same
    to the digit; a successful execve is timed to its exit in all."""
    trace_file = tmp_path / "t.atrace"
    live = subprocess.run([sys.executable, "-m", "atrace", "-f", "-C", "-w", "-S", "name", "-o", str(trace_file),
                           "sh", "-c", "ls /nonexistent-atrace; cat /etc/hostname"],
                          capture_output=True, text=True, cwd=REPO, timeout=60)  # fmt: skip
    assert live.returncode == 0, live.stderr
    offline = subprocess.run([sys.executable, "scripts/summary.py", "--sort", "name", str(trace_file)],
                             capture_output=True, text=True, cwd=REPO, timeout=60)  # fmt: skip
    assert offline.returncode == 0, offline.stderr
    live_table = [line for line in live.stderr.splitlines(keepends=True) if not line.startswith("ls:")]
    assert "".join(live_table) == offline.stdout
    by_process = subprocess.run([sys.executable, "scripts/summary.py", "--by-process", "--sort", "name",
                                 str(trace_file)], capture_output=True, text=True, cwd=REPO, timeout=60)  # fmt: skip
    assert by_process.returncode == 0, by_process.stderr
    assert by_process.stdout.count("\npid ") == 3  # sh, ls, cat
    assert by_process.stdout.split("\nall processes:\n", 1)[1] == offline.stdout
    rows = {line.split()[-1]: line.split() for line in live_table[2:-2]}
    assert len(rows) > 10 and "openat" in rows and rows["openat"][-2].isdigit()  # some failed
    assert rows["execve"][3] == "3" and float(rows["execve"][1]) > 0, rows["execve"]
