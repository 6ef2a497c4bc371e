"""`atrace report` on real traced builds, and the trace facts it relies on
(CPU time in exit records, stderr writes kept whole).

A Makefile with a known shape is built under the tracer: a chain of three
`sleep`-padded steps (a shell running sleep then touch: the shell is no
job, its two commands are) that is longer than everything else (so it is
the critical path), three small compiles beside it, one compile that fails for
real and one command that fails under make's `-` prefix (ignored). The
report's facts are checked against that shape, and the HTML page is opened
in headless Chromium, whose DOM (built by the page's own script) is checked.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import assert_no_traceback, atrace_argv, cut_inside_a_record, describe, run
from test_scripts_build import LUA, ZLIB, traced_workload

import atrace
from atrace.report.collect import collect
from atrace.report.model import Report, build_report

CHAIN_SLEEP = "1"
JOBS = 8  # make -j: a slot for every job, so that the chain never waits for one
SIDES = ("side1", "side2", "side3")

MAKEFILE = f"""\
all: chain3 {" ".join(f"{s}.o" for s in SIDES)} bad.o ignored

chain1:
\tsleep {CHAIN_SLEEP} && touch chain1
chain2: chain1
\tsleep {CHAIN_SLEEP} && touch chain2
chain3: chain2
\tsleep {CHAIN_SLEEP} && touch chain3

%.o: %.c
\tgcc -O1 -c -o $@ $<

ignored:
\t-false
"""
BAD_SOURCE = "int broken(void) { return missing_name; }\n"
EXPECTED_PATH = [f"sleep {CHAIN_SLEEP}", "touch chain1", f"sleep {CHAIN_SLEEP}", "touch chain2",
                 f"sleep {CHAIN_SLEEP}", "touch chain3"]  # fmt: skip


def report_of(trace: Path) -> Report:
    reader = atrace.read(trace)
    return build_report(collect(reader, None, truncated=lambda: reader.truncated))


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    if shutil.which("make") is None or shutil.which("gcc") is None:
        pytest.fail("make and gcc are needed for the report tests", pytrace=False)
    root = tmp_path_factory.mktemp("reportbuild")
    for index, side in enumerate(SIDES):
        (root / f"{side}.c").write_text(f"int {side}(int x) {{ return x * {index + 2}; }}\n")
    (root / "bad.c").write_text(BAD_SOURCE)
    (root / "Makefile").write_text(MAKEFILE)
    trace = root / "build.atrace"
    proc = run(atrace_argv("-f", "-o", trace, "make", "-k", f"-j{JOBS}"), cwd=root, timeout=300)
    assert_no_traceback(proc)
    assert proc.returncode == 2, describe(proc)  # -k: the real failure fails the build
    assert (root / "chain3").exists() and all((root / f"{side}.o").exists() for side in SIDES)
    return root, trace


def test_jobs_are_the_makefile_commands(build: tuple[Path, Path]) -> None:
    _root, trace = build
    report = report_of(trace)
    labels = sorted(job.label for job in report.jobs)
    expected = [f"sleep {CHAIN_SLEEP}"] * 3 + [f"touch chain{n}" for n in (1, 2, 3)]
    expected += [f"{side}.c → {side}.o" for side in SIDES] + ["bad.c → bad.o", "false"]
    assert labels == sorted(expected)
    # make waits, it is no job; gcc's cc1 and as are inside their compile's job
    compile_job = next(job for job in report.jobs if job.label == "side1.c → side1.o")
    assert {Path(str(p.argv[0])).name for p in compile_job.processes} >= {"gcc", "as"}
    assert any("cc1" in str(p.argv[0]) for p in compile_job.processes)
    assert len(report.facts.tree.all) > len(report.jobs)


def test_critical_path_is_the_sleep_chain(build: tuple[Path, Path]) -> None:
    _root, trace = build
    report = report_of(trace)
    on_path = [step.job.label for step in report.path if step.job is not None]
    assert on_path == EXPECTED_PATH
    assert sorted(job.label for job in report.jobs if job.critical) == sorted(EXPECTED_PATH)
    # the steps and the idle gaps tile the wall time exactly
    assert report.path[0].start == report.facts.start and report.path[-1].end == report.facts.end
    assert all(a.end == b.start for a, b in zip(report.path, report.path[1:], strict=False))
    sleeps = [step for step in report.path if step.job is not None and step.job.label.startswith("sleep")]
    assert all(step.duration >= float(CHAIN_SLEEP) * 1e9 for step in sleeps)
    assert sum(step.duration for step in sleeps) / report.facts.wall > 0.5


def test_cpu_times_are_recorded_and_plausible(build: tuple[Path, Path]) -> None:
    _root, trace = build
    report = report_of(trace)
    cpus = report.cpus
    assert cpus is not None and cpus >= 1
    assert report.cpu is not None and 0 < report.cpu < report.facts.wall * cpus
    for job in report.jobs:
        assert job.cpu is not None and 0 < job.cpu <= job.duration * cpus, job.label
    compiles = [job for job in report.jobs if job.kind == "compile"]
    sleeps = [job for job in report.jobs if job.label.startswith("sleep")]
    # compiling burns CPU, sleeping does not
    assert min(job.cpu or 0 for job in compiles) > max(job.cpu or 0 for job in sleeps)
    assert sum(job.cpu or 0 for job in report.jobs) <= report.cpu


def test_failures_real_and_ignored(build: tuple[Path, Path]) -> None:
    _root, trace = build
    report = report_of(trace)
    (real,) = report.failures
    assert real.job is not None and real.job.label == "bad.c → bad.o"
    assert real.status == "exit 1" and real.command == ["gcc", "-O1", "-c", "-o", "bad.o", "bad.c"]
    assert b"missing_name" in real.stderr and b"error" in real.stderr
    (ignored,) = report.ignored
    assert ignored.job is not None and ignored.job.label == "false" and ignored.status == "exit 1"


def test_parallelism_against_cpus(build: tuple[Path, Path]) -> None:
    _root, trace = build
    report = report_of(trace)
    peak = max(bucket.jobs for bucket in report.buckets)
    assert 3 < peak <= JOBS + 0.01  # at the start: the chain, the compiles, false
    # during the last sleep only the chain runs
    last_sleep = next(step for step in reversed(report.path) if step.job and step.job.label.startswith("sleep"))
    middle = (last_sleep.start + last_sleep.end) // 2
    bucket = next(b for b in report.buckets if b.start <= middle < b.end)
    assert 0.9 < bucket.jobs <= 1.01 and bucket.cpus < 0.5


def test_report_command_writes_page_and_summary(build: tuple[Path, Path], tmp_path: Path) -> None:
    _root, trace = build
    page = tmp_path / "r.html"
    proc = run(atrace_argv("report", trace, "-o", page))
    assert_no_traceback(proc)
    assert proc.returncode == 0, describe(proc)
    out = proc.stdout.decode()
    assert "11 jobs" in out and "1 failed (1 more failures ignored" in out
    assert "FAILED: bad.c → bad.o (exit 1)" in out and "missing_name" in out
    assert f"report written to {page}" in out
    text = page.read_text()
    assert "<script src" not in text and "http://" not in text.replace("http://www.w3.org/2000/svg", "")
    # from a pipe, page to stdout, summary to stderr
    piped = run(atrace_argv("report", "-", "-o", "-"), input=trace.read_bytes())
    assert piped.returncode == 0, describe(piped)
    assert piped.stdout.decode().startswith("<!DOCTYPE html>") and b"11 jobs" in piped.stderr


def test_report_on_bad_input(tmp_path: Path) -> None:
    junk = tmp_path / "junk.atrace"
    junk.write_bytes(b"this is not a trace\n")
    for argv in (["report", junk], ["report", tmp_path / "absent.atrace"], ["report"]):
        proc = run(atrace_argv(*argv), cwd=tmp_path)
        assert_no_traceback(proc)
        assert proc.returncode == 1, describe(proc)
        lines = proc.stderr.decode().splitlines()
        assert len(lines) == 1 and lines[0].startswith("atrace:"), lines
    assert not list(tmp_path.glob("*.html"))


# -- the page in a real browser ----------------------------------------------


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("CI"):
        pytest.fail("chromium is needed in CI (.ci/run installs it)", pytrace=False)
    pytest.skip("no chromium here")


def dump_dom(page: Path, tmp_path: Path) -> str:
    profile = tmp_path / "chromium-profile"
    argv = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
            "--virtual-time-budget=5000", "--dump-dom", page.as_uri()]  # fmt: skip
    proc = subprocess.run(argv, capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")[-2000:]
    return proc.stdout.decode()


def elements(dom: str, tag: str, cls: str) -> list[str]:
    """Opening tags of `tag` whose class attribute holds `cls`."""
    found = re.findall(rf"<{tag}\b[^>]*\bclass=\"([^\"]*)\"[^>]*>", dom)
    return [classes for classes in found if cls in classes.split()]


def test_page_renders_in_chromium(build: tuple[Path, Path], tmp_path: Path) -> None:
    _root, trace = build
    page = tmp_path / "report.html"
    proc = run(atrace_argv("report", trace, "-o", page))
    assert proc.returncode == 0, describe(proc)
    dom = dump_dom(page, tmp_path)
    assert 'id="script-error"' not in dom, re.findall(r'id="script-error"[^<]*', dom)
    assert 'id="report-ready"' in dom
    jobs = elements(dom, "g", "job")
    assert len(jobs) == 11
    assert len(elements(dom, "g", "critical")) == len(EXPECTED_PATH)
    for label in ("side2.c → side2.o", "touch chain3"):
        assert f'data-label="{label}"' in dom
    assert len(elements(dom, "div", "failure")) == 2 and len(elements(dom, "div", "ignored")) == 1
    assert "missing_name" in dom
    assert 'class="jobs-line"' in dom and 'class="cpu-line"' in dom and 'class="cpu-count"' in dom
    path_rows = re.findall(r'<tr class="step">(.*?)</tr>', dom)
    assert [re.findall(r"<td>(.*?)</td>", row)[-1] for row in path_rows] == EXPECTED_PATH
    cards = dict(re.findall(r'data-key="(\w+)"><span>[^<]*</span><b>([^<]*)</b>', dom))
    assert cards["jobs"] == "11" and cards["failures"] == "1" and cards["ignored"] == "1"


def test_a_script_error_shows_in_the_page(build: tuple[Path, Path], tmp_path: Path) -> None:
    """The marker the browser test looks for does appear when the script breaks."""
    _root, trace = build
    page = tmp_path / "report.html"
    assert run(atrace_argv("report", trace, "-o", page)).returncode == 0
    broken = page.read_text().replace("D.jobs.forEach(function (j) { byIndex", "D.jobz.forEach(function (j) { byIndex")
    page.write_text(broken)
    dom = dump_dom(page, tmp_path)
    assert 'id="script-error"' in dom and 'id="report-ready"' not in dom


# -- the facts the report needs from the tracer ---------------------------------


def test_exit_records_carry_cpu_time(program, tmp_path: Path) -> None:
    exe = program("cpu_threads")
    trace = tmp_path / "cpu.atrace"
    proc = run(atrace_argv("-f", "-o", trace, exe))
    assert proc.returncode == 0, describe(proc)
    user, system = map(int, proc.stdout.split())  # the program's own getrusage, all threads
    exits = [event for event in atrace.read(trace) if isinstance(event, atrace.Exit)]
    assert len(exits) == 3  # two threads and the leader
    assert all(e.utime is not None and e.stime is not None for e in exits)
    traced = sum(e.utime or 0 for e in exits) + sum(e.stime or 0 for e in exits)
    # what it used after its getrusage (printf, exit) is a few ms at most
    assert user + system - 10_000_000 <= traced <= user + system + 30_000_000, (user, system, exits)
    spinners = [e for e in exits if e.tid != e.tgid]
    assert all((e.utime or 0) > 50_000_000 for e in spinners)
    leader = next(e for e in exits if e.tid == e.tgid)
    assert (leader.stime or 0) > 0  # reading /dev/zero is system time
    tree = atrace.build_tree(atrace.read(trace))
    (process,) = tree.all
    assert process.utime == sum(e.utime or 0 for e in exits)


def test_stderr_writes_are_kept_whole(tmp_path: Path) -> None:
    trace = tmp_path / "err.atrace"
    message = "E" * 3000
    code = f"import os; os.write(2, b'{message}'); os.write(1, b'{message}')"
    proc = run(atrace_argv("-o", trace, sys.executable, "-c", code))
    assert proc.returncode == 0, describe(proc)
    writes = {e.args[0]: e.data["buf"] for e in atrace.read(trace)
              if isinstance(e, atrace.SyscallEntry) and e.name == "write"}  # fmt: skip
    # -s 32 still cuts stdout: at -s + 1 bytes, the last telling the buffer is longer (docs/FORMAT.md)
    assert writes[2] == message.encode() and writes[1] == b"E" * 33
    text = run(atrace_argv(sys.executable, "-c", code))
    line = next(line for line in text.stderr.decode().splitlines() if line.startswith("write(2,"))
    assert line == f'write(2, "{"E" * 32}"..., 3000) = 3000'


# -- a real build ---------------------------------------------------------------


@pytest.fixture(scope="module")
def lua(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return traced_workload(tmp_path_factory, LUA, "make", "-C", "src", "-j2", "linux")


def test_lua_report(lua: tuple[Path, Path], tmp_path: Path) -> None:
    root, trace = lua
    report = report_of(trace)
    sources = sorted(p.name for p in (root / "src").glob("*.c"))
    labels = [job.label for job in report.jobs]
    compiles = sorted(label.split(" → ")[0] for label in labels if label.endswith(".o") and " → " in label)
    assert compiles == sources
    assert {"lapi.c → lapi.o", "link liblua.a", "ranlib liblua.a", "link lua", "link luac"} <= set(labels)
    assert not report.failures and not report.ignored
    assert report.path and report.path[-1].end == report.facts.end
    on_path = [step.job for step in report.path if step.job is not None]
    last = on_path[-1].label
    assert last in ("link lua", "link luac")  # the build ends linking
    # What the link waited for last: the library, or its own main object
    # when that compile ended after the library (-j2: either can be last).
    program = last.removeprefix("link ")
    assert on_path[-2].label in ("ranlib liblua.a", f"{program}.c → {program}.o"), [j.label for j in on_path]
    if on_path[-2].label == "ranlib liblua.a":
        assert on_path[-3].label == "link liblua.a"
    assert all(job.cpu for job in report.jobs if job.kind == "compile")
    page = tmp_path / "lua.html"
    proc = run(atrace_argv("report", trace, "-o", page))
    assert proc.returncode == 0, describe(proc)
    dom = dump_dom(page, tmp_path)
    assert 'id="script-error"' not in dom and 'id="report-ready"' in dom
    assert len(elements(dom, "g", "job")) == len(report.jobs)
    data = json.loads(re.search(r'id="report-data">(.*?)</script>', page.read_text(), re.S).group(1))  # type: ignore[union-attr]
    assert data["jobCount"] == len(report.jobs) and data["failures"] == 0


# -- the Perfetto JSON -----------------------------------------------------------


def straddling(chrome: dict[str, object]) -> list[tuple[dict[str, object], dict[str, object]]]:
    """Pairs of slices on one track that overlap without one holding the other."""
    tracks: dict[tuple[object, object], list[tuple[int, int, dict[str, object]]]] = {}
    for event in chrome["traceEvents"]:  # type: ignore[attr-defined]
        if event["ph"] == "X":
            # integer ns, so that float rounding cannot invent an overlap
            start = round(event["ts"] * 1000)
            end = start + round(event["dur"] * 1000)
            tracks.setdefault((event["pid"], event["tid"]), []).append((start, end, event))
    bad = []
    for slices in tracks.values():
        stack: list[tuple[int, int, dict[str, object]]] = []
        for item in sorted(slices, key=lambda s: (s[0], -s[1])):
            while stack and stack[-1][1] <= item[0]:
                stack.pop()
            if stack and item[1] > stack[-1][1]:
                bad.append((stack[-1][2], item[2]))
            stack.append(item)
    return bad


def timeline_json(trace: Path) -> dict[str, object]:
    proc = run([sys.executable, str(Path(__file__).parent.parent / "scripts" / "timeline.py"), "--threshold", "0",
                trace])  # fmt: skip
    assert proc.returncode == 0, describe(proc)
    return json.loads(proc.stdout)  # type: ignore[no-any-return]


def test_timeline_slices_nest_with_job_lanes(build: tuple[Path, Path]) -> None:
    _root, trace = build
    chrome = timeline_json(trace)
    events = chrome["traceEvents"]
    assert straddling(chrome) == []
    execs = [e for e in events if e["ph"] == "X" and e.get("cat") == "syscall" and e["name"] == "execve"]
    assert len(execs) > 10  # with every call drawn, each exec's call sits inside its program's slice
    jobs = [e for e in events if e["ph"] == "X" and e.get("cat") in ("job", "critical")]
    assert sorted(e["name"] for e in jobs if e["cat"] == "critical") == sorted(EXPECTED_PATH)
    assert len(jobs) == 11 and len({e["tid"] for e in jobs}) <= JOBS
    counter = [e["args"]["jobs"] for e in events if e["ph"] == "C"]
    assert max(counter) == len({e["tid"] for e in jobs}) and counter[-1] == 0


def test_straddling_finds_an_overlap() -> None:
    chrome = {"traceEvents": [{"ph": "X", "pid": 1, "tid": 1, "ts": 0, "dur": 10},
                              {"ph": "X", "pid": 1, "tid": 1, "ts": 5, "dur": 10}]}  # fmt: skip
    assert len(straddling(chrome)) == 1


def test_lua_timeline_nests(lua: tuple[Path, Path]) -> None:
    _root, trace = lua
    assert straddling(timeline_json(trace)) == []


@pytest.fixture(scope="module")
def zlib(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return traced_workload(tmp_path_factory, ZLIB, "sh", "-c", "./configure && make -j2")


def test_zlib_report(zlib: tuple[Path, Path], tmp_path: Path) -> None:
    """configure's probes are configure tests whose failures the build ignored;
    the shared objects' `mv objs/X.o X.lo` are jobs of their own; no process
    is left "running" at the end (a child reported before its spawn)."""
    _root, trace = zlib
    report = report_of(trace)
    assert all(proc.end is not None for proc in report.facts.tree.all)
    assert len(report.facts.tree.roots) == 1
    probes = [job for job in report.jobs if job.kind == "configure test"]
    assert len(probes) >= 5 and all("ztest" in job.label or "a.out" in job.label for job in probes)
    assert not report.failures
    # the probes that must fail, and the recipe `mkdir objs 2>/dev/null || test -d objs`
    assert any(f.job is not None and f.job.kind == "configure test" for f in report.ignored)
    assert any(f.job is not None and f.job.label == "mkdir objs" for f in report.ignored)
    assert all(f.job is not None and (f.job.kind == "configure test" or f.job.label == "mkdir objs")
               for f in report.ignored)  # fmt: skip
    labels = {job.label for job in report.jobs}
    assert {"adler32.c → adler32.o", "mv objs/adler32.o adler32.lo", "link libz.a"} <= labels
    assert len(elements(dump_dom(write_page(trace, tmp_path), tmp_path), "g", "job")) == len(report.jobs)
    # files.py --deps: the renamed object carries the inputs of the compile
    deps = run([sys.executable, str(Path(__file__).parent.parent / "scripts" / "files.py"), "--deps", "--json", trace])
    assert deps.returncode == 0, describe(deps)
    by_output = {output: job for job in json.loads(deps.stdout) for output in job["outputs"]}
    assert {"adler32.c", "zlib.h", "zutil.h"} <= set(by_output["adler32.lo"]["inputs"])
    assert not any(path.startswith("objs/") for path in by_output)
    assert "libz.so.1.2.13" in by_output["example64" if "example64" in by_output else "examplesh"]["inputs"] or any(
        "libz.so.1.2.13" in job["inputs"] for job in by_output.values()
    )


def write_page(trace: Path, tmp_path: Path) -> Path:
    page = tmp_path / "page.html"
    proc = run(atrace_argv("report", trace, "-o", page))
    assert proc.returncode == 0, describe(proc)
    return page


def test_report_on_a_process_only_trace(build: tuple[Path, Path], tmp_path: Path) -> None:
    """Jobs, the critical path and failures come from the lifecycle records
    and the writes (make's "(ignored)" line) alone; the page and summary say
    what a restricted trace cannot show."""
    root, _trace = build
    copy = tmp_path / "copy"
    copy.mkdir()
    for path in root.glob("*.c"):
        shutil.copy(path, copy / path.name)
    shutil.copy(root / "Makefile", copy / "Makefile")
    trace = copy / "process.atrace"
    proc = run(
        atrace_argv("-f", "-e", "trace=%process,write", "-o", trace, "make", "-k", f"-j{JOBS}"), cwd=copy, timeout=300
    )
    assert proc.returncode == 2, describe(proc)
    report = report_of(trace)
    assert sorted(job.label for job in report.jobs) == sorted(job.label for job in report_of(_trace).jobs)
    assert [s.job.label for s in report.path if s.job] == EXPECTED_PATH
    (real,) = report.failures
    assert real.job is not None and real.job.label == "bad.c → bad.o" and b"missing_name" in real.stderr
    (ignored,) = report.ignored
    assert ignored.job is not None and ignored.job.label == "false"
    page = tmp_path / "p.html"
    done = run(atrace_argv("report", trace, "-o", page))
    assert done.returncode == 0 and b"recorded only" in done.stdout, describe(done)
    assert 'id="trace-set"' in dump_dom(page, tmp_path)


def test_report_on_a_cut_trace(build: tuple[Path, Path], tmp_path: Path) -> None:
    """A trace cut mid-record (the tracer was killed) is reported up to the
    cut, with one warning line; a failure whose waiter had not ended yet is
    not called ignored."""
    _root, trace = build
    data = trace.read_bytes()
    cut = tmp_path / "cut.atrace"
    cut.write_bytes(data[: cut_inside_a_record(data)])
    page = tmp_path / "cut.html"
    proc = run(atrace_argv("report", cut, "-o", page))
    assert_no_traceback(proc)
    assert proc.returncode == 0, describe(proc)
    (warning,) = proc.stderr.decode().splitlines()
    assert warning.startswith("atrace: warning:") and "cut short" in warning
    report = report_of(cut)
    assert report.facts.truncated and 0 < len(report.jobs) <= 11
    for failure in report.ignored:  # the build went on, or make said "(ignored)"
        waiter = failure.process.parent
        assert waiter is not None
        assert waiter.ended or b"(ignored)" in report.facts.stderr_text(waiter)
    assert 'id="report-ready"' in dump_dom(page, tmp_path)


def test_critical_path_follows_what_make_reaped() -> None:
    """make reaped A, then started C; D, unrelated, happened to end between
    A's reap and C's start: C waited for A, not for D (make only learnt of
    D's end after it had started C)."""
    from atrace.events import records as R

    def life(pid: int, start: int, end: int, argv: list[str]) -> list[R.Event]:
        return [R.Spawn(R.SPAWN, start, 1, 1, pid, pid, "fork", 0),
                R.Exec(R.EXEC, start + 1, pid, pid, pid, "/bin/" + argv[0], argv, "/p"),
                R.Exit(R.EXIT, end, pid, pid, 0, None, False, 1000, 0)]  # fmt: skip

    def reap(at: int, pid: int) -> list[R.Event]:
        return [R.SyscallEntry(R.SYSCALL_ENTRY, at - 1, 1, 1, 0, 61, "wait4", (0,) * 6, None),
                R.SyscallExit(R.SYSCALL_EXIT, at, 1, 1, 61, pid, None)]  # fmt: skip

    events: list[R.Event] = [R.Exec(R.EXEC, 0, 1, 1, 1, "/usr/bin/make", ["make", "-j3"], "/p")]
    events += life(2, 10, 1000, ["sleep", "A"]) + life(4, 20, 1100, ["sleep", "D"])
    events += reap(1005, 2) + life(3, 1200, 2000, ["sleep", "C"]) + reap(1250, 4) + reap(2005, 3)
    events.append(R.Exit(R.EXIT, 2010, 1, 1, 0, None, False, 5000, 0))
    events.sort(key=lambda event: event[1])
    with_reaps = build_report(collect(iter(events), None, truncated=lambda: False))
    assert [s.job.label for s in with_reaps.path if s.job] == ["sleep A", "sleep C"]
    # without the wait records, only the times are left, and they point at D
    blind = [e for e in events if not isinstance(e, (R.SyscallEntry, R.SyscallExit))]
    by_time = build_report(collect(iter(blind), None, truncated=lambda: False))
    assert [s.job.label for s in by_time.path if s.job] == ["sleep D", "sleep C"]


def test_ignored_failure_is_the_one_make_reaped_before_saying_so() -> None:
    """`false` (under make's `-`) and a failing compile both ended before
    make reaped either; make reaped `false` first and said "(ignored)" for
    it: that line names `false`, not the compile that ended last before it."""
    from atrace.events import records as R

    def life(pid: int, start: int, end: int, argv: list[str], status: int) -> list[R.Event]:
        return [R.Spawn(R.SPAWN, start, 1, 1, pid, pid, "fork", 0),
                R.Exec(R.EXEC, start + 1, pid, pid, pid, "/bin/" + argv[0], argv, "/p"),
                R.Exit(R.EXIT, end, pid, pid, status, None, False, 1000, 0)]  # fmt: skip

    def reap(at: int, pid: int) -> list[R.Event]:
        return [R.SyscallEntry(R.SYSCALL_ENTRY, at - 1, 1, 1, 0, 61, "wait4", (0,) * 6, None),
                R.SyscallExit(R.SYSCALL_EXIT, at, 1, 1, 61, pid, None)]  # fmt: skip

    said = b"make: [Makefile:49: ignored] Error 1 (ignored)\n"
    events: list[R.Event] = [R.Exec(R.EXEC, 0, 1, 1, 1, "/usr/bin/make", ["make", "-k", "-j2"], "/p")]
    events += life(2, 10, 1000, ["false"], 1) + life(3, 20, 1100, ["cc", "-c", "bad.c", "-o", "bad.o"], 1)
    events += reap(1200, 2)
    events += [R.SyscallEntry(R.SYSCALL_ENTRY, 1300, 1, 1, 0, 1, "write", (2, 0, len(said), 0, 0, 0), {"buf": said}),
               R.SyscallExit(R.SYSCALL_EXIT, 1301, 1, 1, 1, len(said), None)]  # fmt: skip
    events += reap(1400, 3)
    events.append(R.Exit(R.EXIT, 2010, 1, 1, 2, None, False, 5000, 0))
    events.sort(key=lambda event: event[1])
    report = build_report(collect(iter(events), None, truncated=lambda: False))
    assert [f.command[0] for f in report.ignored] == ["false"]
    assert [f.command[0] for f in report.failures] == ["cc"]
