"""strace options that reach into the tracer (issue 11): -e kvm=vcpu, and
the -e qualifiers' edge cases, each checked against strace where it runs."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest
from conftest import atrace_argv, describe, kill_group, run


def _kvm_usable() -> bool:
    try:
        os.close(os.open("/dev/kvm", os.O_RDWR))
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _kvm_usable(), reason="/dev/kvm cannot be opened here")
@pytest.mark.parametrize("spelling", [["-e", "kvm=vcpu"], ["--kvm=vcpu"]])
def test_kvm_vcpu_exit_reason(program, spelling):
    """-e kvm=vcpu: a KVM_RUN that returned shows why (the guest's hlt);
    a vcpu whose kvm_run is not mapped shows none (nothing to read it in)."""
    prog = str(program("kvm_hlt"))
    options = [*spelling, "-y", "-e", "trace=ioctl"]
    proc = run(atrace_argv(*options, prog))
    assert proc.returncode == 0, describe(proc)
    runs = [ln for ln in proc.stderr.decode().splitlines() if "KVM_RUN" in ln]
    assert runs == [
        "ioctl(5<anon_inode:kvm-vcpu:0>, KVM_RUN, 0) = 0 (KVM_EXIT_HLT)",
        "ioctl(6<anon_inode:kvm-vcpu:1>, KVM_RUN, 0) = 0",
    ], proc.stderr.decode()
    plain = run(atrace_argv("-y", "-e", "trace=ioctl", prog))
    assert next(ln for ln in plain.stderr.decode().splitlines() if "KVM_RUN" in ln).endswith("KVM_RUN, 0) = 0")
    if shutil.which("strace"):
        real = run(["strace", *options, prog])
        assert real.returncode == 0, describe(real)
        assert [ln for ln in real.stderr.decode().splitlines() if "KVM_RUN" in ln] == runs


@pytest.mark.parametrize("value", ["vcpu,vcpu", "all", "", "cpu"])
def test_kvm_takes_only_vcpu(program, value):
    """strace's only -e kvm= value is vcpu, and its message names the rest."""
    proc = run(atrace_argv("-e", f"kvm={value}", str(program("cli_calls"))))
    assert proc.returncode == 1 and proc.stderr.decode() == f"atrace: invalid -e kvm= argument: '{value}'\n"
    if shutil.which("strace"):
        real = run(["strace", "-e", f"kvm={value}", str(program("cli_calls"))])
        assert real.returncode == 1 and real.stderr.decode() == f"strace: invalid -e kvm= argument: '{value}'\n"


RAW_EXECVE = r"execve\(0x[0-9a-f]+, 0x[0-9a-f]+, 0x[0-9a-f]+\) += 0"


@pytest.mark.parametrize("raw_set", ["/.", "all", "!none", "execve", "/^exec", "%process", "!chdir"])
def test_raw_sets_spelled_every_way(program, raw_set):
    """-e raw=SET takes every spelling of a call set -e trace= does; a set
    that is every call (`all`, `/.`, `!none`) makes execve raw as well
    (strace's qual_syscall.test)."""
    options = ["-e", f"raw={raw_set}", "-e", "execve", str(program("cli_calls"))]
    for argv in (atrace_argv(*options), ["strace", *options] if shutil.which("strace") else None):
        if argv is None:
            continue
        proc = run(argv)
        assert proc.returncode == 3, describe(proc)
        first = proc.stderr.decode().splitlines()[0]
        assert re.fullmatch(RAW_EXECVE, first), (argv[0], first)


def test_abbrev_set_without_execve_shows_the_whole_environment(program):
    """-e abbrev=!execve: execve is not abbreviated, so its environment is
    shown as strings, every one of them (more than -s's 32), as with -v."""
    prog = str(program("cli_calls"))
    # (LC_CTYPE: set, so that python running atrace adds none of its own)
    env = {**{f"V{i:02d}": str(i) for i in range(40)}, "LC_CTYPE": "C.UTF-8"}
    wanted = "[" + ", ".join(f'"{name}={value}"' for name, value in env.items()) + "]"
    options = ["-s", "300", "-e", "abbrev=!execve", "-e", "execve", prog]
    for argv in (atrace_argv(*options),
                 ["strace", *options] if shutil.which("strace") else None):  # fmt: skip
        if argv is None:
            continue
        proc = run(argv, env=env)
        assert proc.returncode == 3, describe(proc)
        first = proc.stderr.decode().splitlines()[0]
        assert first == f'execve("{prog}", ["{prog}"], {wanted}) = 0', (argv[0], first)


def _namespaces_usable() -> bool:
    return run(["unshare", "-Urpf", "true"]).returncode == 0


@pytest.mark.skipif(not _namespaces_usable(), reason="no user and pid namespaces here (unshare -Urpf)")
def test_pidns_translation_beside_a_sibling_namespace():
    """atrace in a pid namespace of its own whose /proc is the outer one
    (strace's suite runs it so: `unshare -Urpf strace ...`), next to a
    sibling namespace holding the same small pids: a tracee's task is
    found by its pid in atrace's namespace *and* by being traced by
    atrace, not taken from the sibling (same number, not ours), so the
    translation is still made (it failed when two suite tests ran at once)."""
    decoy = subprocess.Popen(
        ["unshare", "-Urpf", "sh", "-c", "for i in $(seq 30); do sleep 60 & done; echo ready; wait"],
        stdout=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip
    try:
        assert decoy.stdout is not None and decoy.stdout.readline() == b"ready\n"
        inner = ["unshare", "-Upf", "sh", "-c", "echo $$ > /dev/null"]
        proc = run(["unshare", "-Urpf", *atrace_argv("--pidns-translation", "-f", "-e", "trace=getpid", *inner)])
        assert proc.returncode == 0, describe(proc)
        lines = [ln for ln in proc.stderr.decode().splitlines() if "getpid" in ln]
        shape = r"\[pid +(\d+)\] getpid\(\) += 1 /\* (\d+) in strace's PID NS \*/"
        m = re.fullmatch(shape, lines[0]) if lines else None
        assert m and m.group(1) == m.group(2), proc.stderr.decode()
    finally:
        kill_group(decoy.pid)
        decoy.wait()


@pytest.mark.skipif(not _namespaces_usable(), reason="no user and pid namespaces here (unshare -Urpf)")
def test_fd_paths_when_proc_is_another_namespaces():
    """-y with atrace in a pid namespace whose /proc is the outer one's
    (`unshare -Urpf atrace`): /proc/PID is read for the task atrace traces,
    not for whatever has that pid in /proc's numbering."""
    script = "exec 3</etc/hostname; exec 3<&-"
    options = ["-y", "-e", "trace=close", "sh", "-c", script]
    wanted = "close(3</etc/hostname>)".ljust(40) + "= 0"
    proc = run(["unshare", "-Urpf", *atrace_argv(*options)])
    assert proc.returncode == 0, describe(proc)
    assert wanted in proc.stderr.decode().splitlines(), proc.stderr.decode()
    if shutil.which("strace"):
        real = run(["unshare", "-Urpf", "strace", *options])
        assert wanted in real.stderr.decode().splitlines(), real.stderr.decode()


def test_summary_counts_calls_at_their_return(program):
    """-c counts a call when it returns, as strace does: exit_group, which
    never returns, is not in the table; the other calls' counts are strace's."""
    options = ["-c", "-U", "name,calls,errors", "-S", "name", str(program("cli_calls"))]
    proc = run(atrace_argv(*options))
    assert proc.returncode == 3, describe(proc)
    table = proc.stderr.decode().splitlines()
    names = [line.split()[0] for line in table[2:-2]]
    assert "exit_group" not in names and "write" in names and "close" in names, table
    assert table[-1].split()[0] == "total"
    if shutil.which("strace"):
        real = run(["strace", *options])
        assert real.returncode == 3, describe(real)
        assert real.stderr.decode().splitlines() == table


def test_decode_pids_comm_on_exit_lines_is_the_name_at_exit():
    """-Y: a task's exit line shows its command name as it exited, even with
    no traced call since it exec'd (the shell's child became `cat`), as strace."""
    options = ["-Y", "-f", "-q", "-e", "trace=none", "-e", "signal=none", "sh", "-c", "cat /dev/null; exit 0"]
    for argv in (atrace_argv(*options), ["strace", *options] if shutil.which("strace") else None):
        if argv is None:
            continue
        proc = run(argv)
        assert proc.returncode == 0, describe(proc)
        lines = [re.sub(r"\[pid +\d+<", "[pid N<", ln) for ln in proc.stderr.decode().splitlines()]
        assert lines == ["[pid N<cat>] +++ exited with 0 +++", "+++ exited with 0 +++"], (argv[0], lines)
