"""The resident server (atrace/resident/): a run handed to a pre-imported
worker must be the same run as in-process, for the trace and for the
command, which must not be able to tell.

Every test here runs real atrace processes against a server of this module
only: a private XDG_RUNTIME_DIR (so the socket is not the rest of the
suite's) and a short idle time (the server goes away after the module).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import atrace_argv, atrace_env, describe, run

IDLE = "30"


@pytest.fixture(scope="module")
def runtime_dir(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("xdg")
    path.chmod(0o700)
    return path


@pytest.fixture(scope="module")
def env(runtime_dir) -> dict[str, str]:
    env = atrace_env()
    env.update(XDG_RUNTIME_DIR=str(runtime_dir), ATRACE_RESIDENT_IDLE=IDLE)
    env.pop("ATRACE_RESIDENT", None)
    return env


def status(env: dict[str, str]) -> dict[str, str] | None:
    """`atrace resident status` as a dict, or None without a server."""
    proc = run(atrace_argv("resident", "status"), env=env)
    if proc.returncode != 0:
        return None
    return dict(line.split(": ", 1) for line in proc.stdout.decode().splitlines())


@pytest.fixture(scope="module")
def server(env) -> dict[str, str]:
    """A running server: a first run starts it in the background."""
    assert status(env) is None
    first = run(atrace_argv("-e", "trace=none", "true"), env=env)
    assert first.returncode == 0, describe(first)
    deadline = time.monotonic() + 60
    while (found := status(env)) is None:
        assert time.monotonic() < deadline, "no server 60 s after a first run"
        time.sleep(0.2)
    yield found
    run(atrace_argv("resident", "stop"), env=env)


def runs_served(env: dict[str, str]) -> int:
    found = status(env)
    assert found is not None, "the server went away"
    return int(found["runs"])


def off(env: dict[str, str]) -> dict[str, str]:
    return {**env, "ATRACE_RESIDENT": "off"}


def test_second_run_is_served_and_traces_the_same(server, env):
    argv = atrace_argv("-e", "trace=write,exit_group", "sh", "-c", "echo hi; echo err >&2; exit 3")
    before = runs_served(env)
    served = run(argv, env=env)
    assert runs_served(env) == before + 1
    local = run(argv, env=off(env))
    assert runs_served(env) == before + 1  # the in-process run was not the server's
    assert served.returncode == local.returncode == 3, describe(served)
    assert served.stdout == local.stdout == b"hi\n"
    assert b'write(1, "hi\\n", 3) = 3' in b" ".join(served.stderr.split())
    assert served.stderr == local.stderr


def test_msgpack_trace_is_the_same(server, env, tmp_path):
    import atrace

    def calls(path: Path) -> list[tuple[int, int]]:
        # (numbers and results: the arguments hold addresses, which ASLR moves)
        return [(e.nr, e.ret) for e in atrace.read(str(path)) if isinstance(e, atrace.SyscallExit)]

    argv = ["-f", "-e", "trace=openat,write", "sh", "-c", "cat /etc/passwd"]
    served = run(atrace_argv("-o", tmp_path / "served.atrace", *argv), env=env)
    local = run(atrace_argv("-o", tmp_path / "local.atrace", *argv), env=off(env))
    assert served.returncode == local.returncode == 0, describe(served)
    assert served.stdout == local.stdout != b""
    assert (1, len(served.stdout)) in calls(tmp_path / "served.atrace")  # write (x86_64 nr 1) of it all
    assert calls(tmp_path / "served.atrace") == calls(tmp_path / "local.atrace")


def _probe(program, env, tmp_path, tracer: list[str]) -> tuple[int, str]:
    """The probe's report on what it inherited, run through `tracer` from a
    shell that set up an unusual state; (the shell's pid, the report)."""
    probe = program("resident_probe")
    cwd = tmp_path / "cwd"
    cwd.mkdir(exist_ok=True)
    script = f"umask 027; ulimit -n 77; trap '' USR1 HUP; exec {' '.join(tracer)} {probe} 3</etc/hostname >&- 2>\"$0\""
    report = tmp_path / "report"
    proc = subprocess.Popen(
        ["sh", "-c", script, str(report)],
        cwd=cwd,
        env={**env, "PROBE_VAR": "from the caller"},
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    assert proc.wait(timeout=60) == 0
    text = report.read_text()
    return proc.pid, "\n".join(line for line in text.splitlines() if not line.startswith("+++"))


def test_the_command_cannot_tell(server, env, program, tmp_path):
    """Signal state, fds (an extra one, a closed stdout), cwd, umask, rlimit,
    environment, process group and session, and the parent: the atrace
    process, as an in-process run and an untraced command have them."""
    tracer = [sys.executable, "-m", "atrace", "-e", "trace=none", "-o", "/dev/null"]
    before = runs_served(env)
    shell, served = _probe(program, env, tmp_path, tracer)
    assert runs_served(env) == before + 1
    local_shell, local = _probe(program, off(env), tmp_path, tracer)
    bare_shell, bare = _probe(program, env, tmp_path, [])
    # the shell exec'd atrace: it is the probe's parent, and the probe is in
    # its process group and session (untraced, the shell exec'd the probe)
    for pid, text in ((shell, served), (local_shell, local)):
        assert f" ppid={pid} pgid={pid} sid={pid}\n" in text, text
    assert f"pid={bare_shell} " in bare and f" pgid={bare_shell} sid={bare_shell}\n" in bare
    rest = [text.split("\n", 1)[1] for text in (served, local, bare)]
    assert rest[0] == rest[1] == rest[2]
    for expected in ("umask=027", "nofile=77", f"cwd={tmp_path / 'cwd'}", "ignored 1\n", "ignored 10\n",
                     "fd 3 /etc/hostname", "PROBE_VAR=from the caller"):  # fmt: skip
        assert expected in rest[0], rest[0]
    assert "fd 1 " not in rest[0]  # closed stays closed


def test_output_is_relative_to_the_callers_cwd(server, env, tmp_path):
    before = runs_served(env)
    proc = run(atrace_argv("-o", "rel.atrace", "true"), env=env, cwd=tmp_path)
    assert proc.returncode == 0, describe(proc)
    assert runs_served(env) == before + 1
    assert (tmp_path / "rel.atrace").stat().st_size > 0


@pytest.mark.parametrize("script, code", [("exit 7", 7), ("kill -USR2 $$", -signal.SIGUSR2)])
def test_exit_and_death_are_reproduced(server, env, script, code):
    served = run(atrace_argv("-e", "trace=none", "sh", "-c", script), env=env)
    local = run(atrace_argv("-e", "trace=none", "sh", "-c", script), env=off(env))
    assert served.returncode == local.returncode == code, describe(served)
    # (the same but for the pids in them)
    assert re.sub(rb"\d+", b"N", served.stderr) == re.sub(rb"\d+", b"N", local.stderr)


def _started(env: dict[str, str], marker: Path) -> subprocess.Popen[bytes]:
    """atrace on a shell that says it started, then waits (untraced sleep
    would be a child of it: a traced one shows the shell is traced)."""
    proc = subprocess.Popen(
        atrace_argv("-f", "-e", "trace=none", "sh", "-c", f"echo $$ > {marker}; while :; do sleep 0.1; done"),
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while not marker.exists() or not marker.read_text().strip():
        assert time.monotonic() < deadline and proc.poll() is None, "the command did not start"
        time.sleep(0.05)
    return proc


def _gone(pid: int) -> bool:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            return True
        if state == "Z":
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("mode", ["served", "in-process"])
@pytest.mark.parametrize("signo, group", [(signal.SIGTERM, False), (signal.SIGINT, True)], ids=["kill", "ctrl-c"])
def test_fatal_signal_to_atrace(server, env, tmp_path, mode, signo, group):
    """As in-process: detach, the command is killed by it, atrace ends by
    it; sent to atrace alone (kill) or to its process group (Ctrl-C at a
    terminal: atrace and the command both get it)."""
    proc = _started(env if mode == "served" else off(env), tmp_path / "pid")
    shell = int((tmp_path / "pid").read_text())
    if group:
        os.killpg(proc.pid, signo)
    else:
        proc.send_signal(signo)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == -signo, stderr
    assert _gone(shell)


@pytest.mark.parametrize("mode", ["served", "in-process"])
def test_sigkill_to_atrace(server, env, tmp_path, mode):
    """The kernel ends the trace: the command, killed with its tracer as
    in-process (PTRACE_O_EXITKILL), is not left stopped; no worker stays."""
    before = runs_served(env)
    proc = _started(env if mode == "served" else off(env), tmp_path / "pid")
    assert runs_served(env) == before + (mode == "served")
    shell = int((tmp_path / "pid").read_text())
    proc.kill()
    proc.wait(timeout=60)
    assert _gone(shell)
    workers = _workers(int(server["pid"]))
    assert workers == [], workers


def _workers(server: int) -> list[int]:
    """The live workers of this module's server: its children."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if b"atrace.resident.server" in cmdline and ppid == server and _state(entry) != "Z":
            found.append(int(entry.name))
    return found


def _state(entry: Path) -> str:
    try:
        return (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"


def test_off_switch(server, env):
    before = runs_served(env)
    proc = run(atrace_argv("-e", "trace=exit_group", "true"), env=off(env))
    assert proc.returncode == 0 and b"exit_group(0)" in proc.stderr, describe(proc)
    assert runs_served(env) == before


def test_untrusted_socket_dir_runs_in_process(server, env, tmp_path):
    loose = tmp_path / "loose"
    loose.mkdir()
    loose.chmod(0o755)
    other = {**env, "XDG_RUNTIME_DIR": str(loose)}
    # (not ours alone: the fallback /tmp/atrace-UID is then the place; only
    # check that the run works and no socket lands in the loose directory)
    proc = run(atrace_argv("-e", "trace=exit_group", "true"), env=other)
    assert proc.returncode == 0 and b"exit_group(0)" in proc.stderr, describe(proc)
    assert list(loose.iterdir()) == []


@pytest.mark.skipif(not os.path.exists("/usr/bin/unshare"), reason="unshare(1) not installed")
def test_other_namespace_runs_in_process(server, env):
    before = runs_served(env)
    probe = run(["unshare", "-U", "true"], env=env)
    if probe.returncode != 0:
        pytest.skip("user namespaces not available")
    refused = int(status(env)["refused"])
    proc = run(["unshare", "-U", *atrace_argv("-e", "trace=exit_group", "true")], env=env)
    assert proc.returncode == 0 and b"exit_group(0)" in proc.stderr, describe(proc)
    # the server saw the connection and refused it: run in-process
    assert runs_served(env) == before
    assert int(status(env)["refused"]) == refused + 1


def test_bad_option_through_the_server(server, env):
    before = runs_served(env)
    served = run(atrace_argv("--no-such-option", "true"), env=env)
    assert runs_served(env) == before + 1
    local = run(atrace_argv("--no-such-option", "true"), env=off(env))
    assert served.returncode == local.returncode != 0
    assert served.stderr == local.stderr
    assert served.stderr.startswith(b"atrace: ") and served.stderr.count(b"\n") == 1


def test_daemonize_is_not_served_but_works(server, env):
    proc = run(atrace_argv("-D", "-e", "trace=exit_group", "true"), env=env)
    assert proc.returncode == 0 and b"exit_group(0)" in proc.stderr, describe(proc)
