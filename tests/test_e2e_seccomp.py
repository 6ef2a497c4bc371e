"""End-to-end: seccomp-bpf, where only the calls of the trace set stop.

The corner cases the other e2e tests cover run under seccomp too (their
``trace_set`` fixture); these are the cases seccomp itself brings: calls
outside the set never stop, a tracee's own filter, and the fallbacks.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess

import pytest
from conftest import atrace_argv, atrace_env, describe, proc_status, read_events, read_header, run, syscalls, wait_until

import atrace

CALLS = 5000


def _stop_count(program, tmp_path, *options, env=None):
    trace_file = tmp_path / f"t{len(list(tmp_path.iterdir()))}.msgpack"
    argv = atrace_argv(*options, "-o", trace_file, "--", program("stop_count"), CALLS)
    proc = run(argv, cwd=tmp_path, env=env)
    assert proc.returncode == 0, describe(proc)
    m = re.fullmatch(rb"calls (\d+) nvcsw (\d+)\n", proc.stdout)
    assert m and int(m.group(1)) == CALLS, describe(proc)
    return proc, int(m.group(2)), read_events(trace_file), read_header(trace_file)


def _atrace_lines(proc):
    return [line for line in proc.stderr.decode().splitlines() if line.startswith("atrace:")]


@pytest.mark.parametrize("seccomp", ["on", "off"])
def test_calls_outside_the_set_leave_no_record_and_never_stop(program, tmp_path, seccomp):
    """5000 getppid and 3 getpid with -e trace=getpid.

    Either way only the getpid calls are recorded. The program counts its
    own voluntary context switches, one per ptrace stop: with seccomp the
    getppid calls never stop (a handful of switches in all), without it
    each stops twice (at least 10000).
    """
    proc, switches, events, header = _stop_count(
        program, tmp_path, "-f", f"--seccomp-bpf={seccomp}", "-e", "trace=getpid"
    )
    assert header.meta["options"]["seccomp"] is (seccomp == "on")
    entries, exits = syscalls(events, "getpid")
    assert len(entries) == len(exits) == 3
    assert all(x.ret > 0 for x in exits)
    assert syscalls(events, "getppid") == ([], [])
    assert {e.name for e in events if isinstance(e, atrace.SyscallEntry)} == {"getpid"}
    if seccomp == "on":
        assert switches < CALLS // 10, switches
    else:
        assert switches >= 2 * CALLS, switches
    assert _atrace_lines(proc) == []


@pytest.mark.parametrize("seccomp", ["on", "off"])
def test_an_exec_under_seccomp_has_no_exit_stop(program, tmp_path, seccomp):
    """A successful execve's exit record is written at its exec event under
    seccomp, and the task runs on from there: the exit stop that would only
    say `= 0` never happens.

    The program counts its voluntary context switches across an exec of
    itself, one per ptrace stop: under seccomp its entry and its exec event
    (2; 3 with the exit stop); fully traced, those three and two for each
    call of the new program's start-up. Either way each exec has its exit
    record, = 0.
    """
    trace_file = tmp_path / "t.msgpack"
    argv = atrace_argv("-f", f"--seccomp-bpf={seccomp}", "-e", "trace=execve", "-o", trace_file, "--",
                       program("exec_switches"))  # fmt: skip
    proc = run(argv, cwd=tmp_path)
    assert proc.returncode == 0, describe(proc)
    m = re.fullmatch(rb"exec nvcsw (\d+)\n", proc.stdout)
    assert m, describe(proc)
    switches = int(m.group(1))
    if seccomp == "on":
        assert switches == 2, switches
    else:
        assert switches > 3, switches
    entries, exits = syscalls(read_events(trace_file), "execve")
    assert len(entries) == len(exits) == 2
    assert [x.ret for x in exits] == [0, 0]
    assert [x.ts >= e.ts for e, x in zip(entries, exits, strict=True)] == [True, True]
    assert _atrace_lines(proc) == []


@pytest.mark.parametrize("explicit", [True, False])
def test_forced_install_failure_falls_back_to_every_call(program, tmp_path, explicit):
    """The filter's install fails (forced for tests by ATRACE_TEST_SECCOMP_FAIL):
    every call stops again, the trace is still right, and only an explicit
    --seccomp-bpf says so, in one line."""
    env = atrace_env()
    env["ATRACE_TEST_SECCOMP_FAIL"] = "1"
    options = ["-f", "-e", "trace=getpid"] + (["--seccomp-bpf"] if explicit else [])
    proc, switches, events, _header = _stop_count(program, tmp_path, *options, env=env)
    entries, exits = syscalls(events, "getpid")
    assert len(entries) == len(exits) == 3
    assert syscalls(events, "getppid") == ([], [])
    assert switches >= 2 * CALLS, switches
    lines = _atrace_lines(proc)
    if explicit:
        assert len(lines) == 1 and "--seccomp-bpf not used" in lines[0] and "Invalid argument" in lines[0], lines
    else:
        assert lines == []


def test_explicit_without_f_says_so(program, tmp_path):
    """Without -f a child would not be traced, and a filter it inherited
    would fail its traced calls with ENOSYS: no filter, one line."""
    proc, switches, events, header = _stop_count(program, tmp_path, "--seccomp-bpf", "-e", "trace=getpid")
    assert header.meta["options"]["seccomp"] is False
    assert len(syscalls(events, "getpid")[0]) == 3
    assert switches >= 2 * CALLS
    lines = _atrace_lines(proc)
    assert len(lines) == 1 and "needs -f" in lines[0], lines


def test_attach_with_explicit_seccomp_falls_back(tmp_path):
    """-p with --seccomp-bpf: a running process cannot be given a filter;
    atrace says so in one line and traces it by stopping at every call."""
    target = subprocess.Popen(["/bin/sh", "-c", "while :; do /bin/sleep 0.05; done"], start_new_session=True)
    try:
        trace_file = tmp_path / "attach.msgpack"
        argv = atrace_argv("-f", "--seccomp-bpf", "-e", "trace=wait4", "-o", trace_file, "-p", target.pid)
        tracer = subprocess.Popen([str(a) for a in argv], env=atrace_env(), stderr=subprocess.PIPE)
        wait_until(lambda: proc_status(target.pid).get("TracerPid", "0") != "0", what="atrace to attach")
        wait_until(lambda: len(syscalls(read_events(trace_file), "wait4")[1]) >= 2, what="wait4 calls in the trace")
        tracer.send_signal(signal.SIGINT)
        _, err = tracer.communicate(timeout=30)
        assert tracer.returncode == -signal.SIGINT, err  # ends by the signal, as strace
        # (the other atrace: lines are the attach and detach notices)
        lines = [line for line in err.decode().splitlines() if line.startswith("atrace:") and "Process" not in line]
        assert len(lines) == 1 and "--seccomp-bpf not used" in lines[0] and "-p" in lines[0], lines
        assert read_header(trace_file).meta["options"]["seccomp"] is False
        assert target.poll() is None and proc_status(target.pid).get("TracerPid") == "0"
    finally:
        os.killpg(target.pid, signal.SIGKILL)
        target.wait()


@pytest.mark.parametrize("own_filter", ["allow", "errno"])
def test_tracee_with_its_own_filter_runs_as_untraced(program, tmp_path, own_filter):
    """A tracee installs its own filter: allow-all, or EPERM for getppid.

    It behaves as untraced. Its allow-all filter leaves atrace's TRACE in
    charge: getppid is recorded. Its ERRNO outranks atrace's TRACE, so that
    getppid never reaches atrace: not recorded (the documented limit), while
    getpid is.
    """
    exe = program("own_seccomp")
    untraced = run([exe, own_filter])
    assert untraced.returncode == 0, describe(untraced)
    trace_file = tmp_path / "own.msgpack"
    argv = atrace_argv("-f", "--seccomp-bpf", "-e", "trace=getppid,getpid", "-o", trace_file, "--", exe, own_filter)
    proc = run(argv, cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (0, untraced.stdout), describe(proc)
    assert _atrace_lines(proc) == []
    events = read_events(trace_file)
    getpid = syscalls(events, "getpid")
    assert len(getpid[0]) == len(getpid[1]) == 1
    ppid_entries, ppid_exits = syscalls(events, "getppid")
    if own_filter == "allow":
        assert untraced.stdout.startswith(b"getppid ok")
        assert len(ppid_entries) == len(ppid_exits) == 1 and ppid_exits[0].ret > 0
    else:
        assert untraced.stdout.startswith(b"getppid failed errno 1")
        assert ppid_entries == ppid_exits == []


STATUS_SCRIPT = "grep -E '^(NoNewPrivs|Seccomp):' /proc/self/status"


@pytest.mark.parametrize("privileged", [True, False], ids=["cap_sys_admin", "without_cap_sys_admin"])
def test_no_new_privs_only_without_cap_sys_admin(tmp_path, privileged):
    """The command runs under the filter (Seccomp: 2; with --seccomp-bpf=off
    as untraced); no_new_privs is set only when atrace lacks
    CAP_SYS_ADMIN, as the kernel then requires, so that as root setuid
    programs keep their privileges."""
    if os.geteuid() != 0:
        pytest.skip("needs root (to have CAP_SYS_ADMIN, and to drop it with setpriv)")
    prefix = []
    if not privileged:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("setpriv (util-linux) is not installed")
        prefix = [setpriv, "--bounding-set=-sys_admin", "--inh-caps=-sys_admin"]
    seen = {}
    for mode in ("on", "off"):
        argv = [*prefix, *atrace_argv("-f", f"--seccomp-bpf={mode}", "-e", "trace=getpid", "-o", tmp_path / mode)]
        proc = run([*argv, "--", "/bin/sh", "-c", STATUS_SCRIPT], cwd=tmp_path)
        assert proc.returncode == 0, describe(proc)
        seen[mode] = dict(line.split(":\t") for line in proc.stdout.decode().splitlines())
    # (what the command has untraced: 0 and 0, unless the tests themselves
    # run under a filter, as in some containers)
    untraced = run(["/bin/sh", "-c", STATUS_SCRIPT])
    assert seen["off"] == dict(line.split(":\t") for line in untraced.stdout.decode().splitlines())
    assert seen["on"] == {"NoNewPrivs": "0" if privileged else "1", "Seccomp": "2"}


def test_calls_outside_the_set_have_no_memory_reads():
    """The tracer's per-number plans, the one place that decides what a stop
    reads: with -e trace=openat, openat keeps its path read, write (outside
    the set) reads nothing, execve keeps its reads for the exec record; with
    no set every call keeps its reads."""
    from atrace.filters import syscall_set
    from atrace.syscalls import ARCH_I386, ARCH_X86_64, by_name
    from atrace.tracer.loop import Tracer, TracerConfig
    from atrace.tracer.outbox import Outbox

    def plans(recorded, arch):
        tracer = Tracer(TracerConfig(recorded=recorded), Outbox())
        return {number: tracer.plan(arch, number) for number in nr.values()}

    def steps(plan):  # (key, argument) of each read: the readers are bound to each tracer's decoder
        return [step[:2] for step in plan.entry], [step[:2] for step in plan.exit]

    chosen = syscall_set("openat")
    for arch in (ARCH_X86_64, ARCH_I386):
        nr = {name: by_name(arch, name).nr for name in ("openat", "write", "execve")}
        every, some = plans(None, arch), plans(chosen, arch)
        assert every[nr["write"]].entry and not some[nr["write"]].entry and not some[nr["write"]].exit
        assert steps(some[nr["openat"]]) == steps(every[nr["openat"]]) and some[nr["openat"]].entry
        assert steps(some[nr["execve"]]) == steps(every[nr["execve"]]) and some[nr["execve"]].entry
        assert some[nr["write"]].name == "write"


def test_x32_call_in_the_set_stops(program, tmp_path):
    """getpid made through the x32 ABI (the x32 bit in the number) stops
    under seccomp with -e trace=getpid: the filter's x32 branch traces it
    (a kernel without x32 answers ENOSYS after the stop, as untraced)."""
    from atrace.syscalls import ARCH_X32, ARCH_X86_64

    exe = program("x32_call")
    untraced = run([exe])
    trace_file = tmp_path / "x32.msgpack"
    proc = run(atrace_argv("-f", "--seccomp-bpf", "-e", "trace=getpid", "-o", trace_file, "--", exe), cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (0, untraced.stdout), describe(proc)
    assert read_header(trace_file).meta["options"]["seccomp"] is True
    entries, exits = syscalls(read_events(trace_file), "getpid")
    assert [e.arch for e in entries] == [ARCH_X32, ARCH_X86_64]
    assert len(exits) == 2 and exits[1].ret > 0
    if untraced.stdout.startswith(b"x32 getpid ENOSYS"):
        assert exits[0].ret == -38


def test_seccomp_bpf_takes_no_value_before_the_command(program, tmp_path):
    """As strace's: `--seccomp-bpf CMD` runs CMD (not a value for the option)."""
    trace_file = tmp_path / "t.msgpack"
    exe = program("stop_count")
    proc = run(atrace_argv("-f", "-e", "trace=getpid", "-o", trace_file, "--seccomp-bpf", exe, "10"), cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout.startswith(b"calls 10 "), describe(proc)
    assert read_header(trace_file).meta["options"]["seccomp"] is True
    bad = run(atrace_argv("--seccomp-bpf=maybe", exe), cwd=tmp_path)
    assert bad.returncode != 0 and bad.stderr.decode().startswith("atrace: ") and len(bad.stderr.splitlines()) == 1
