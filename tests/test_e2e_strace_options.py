"""strace options that reach into the tracer (issue 11): -e kvm=vcpu, and
the -e qualifiers' edge cases, each checked against strace where it runs."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest
from conftest import atrace_argv, describe, kill_group, run


def _tracers(options: list[str]) -> list[list[str]]:
    """The argv of atrace with these options, and of strace where it is installed."""
    return [atrace_argv(*options)] + ([["strace", *options]] if shutil.which("strace") else [])


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
    for argv in _tracers(options):
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
    for argv in _tracers(options):
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
    for argv in _tracers(options):
        proc = run(argv)
        assert proc.returncode == 0, describe(proc)
        lines = [re.sub(r"\[pid +\d+<", "[pid N<", ln) for ln in proc.stderr.decode().splitlines()]
        assert lines == ["[pid N<cat>] +++ exited with 0 +++", "+++ exited with 0 +++"], (argv[0], lines)


def test_deprecated_F_follows_forks():
    """-F is strace's old -f: it follows the child, and says it is deprecated."""
    options = ["-F", "-q", "-e", "trace=none", "-e", "signal=none", "sh", "-c", "true & wait"]
    proc = run(atrace_argv(*options))
    assert proc.returncode == 0, describe(proc)
    lines = [re.sub(r"\d+", "N", re.sub(r"\[pid +", "[pid ", ln)) for ln in proc.stderr.decode().splitlines()]
    assert lines == ["atrace: option -F is deprecated, please use -f/--follow-forks instead",
                     "[pid N] +++ exited with N +++", "+++ exited with N +++"], lines  # fmt: skip
    if shutil.which("strace"):
        real = run(["strace", *options])
        assert [re.sub(r"\d+", "N", re.sub(r"\[pid +", "[pid ", ln)) for ln in real.stderr.decode().splitlines()] == [
            line.replace("atrace:", "strace:") for line in lines
        ]


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("-k", "atrace: Stack traces (-k/--stack-traces option) are not supported by atrace"),
        ("--stack-traces", "atrace: Stack traces (-k/--stack-traces option) are not supported by atrace"),
        ("--secontext", "atrace: SELinux context printing (--secontext option) is not supported by atrace"),
        ("--secontext=full", "atrace: SELinux context printing (--secontext option) is not supported by atrace"),
    ],
)
def test_options_atrace_cannot_honour_are_refused_with_a_reason(tmp_path, option, message):
    """Nothing runs: one line saying why, exit 1 (not 'unrecognized')."""
    marker = tmp_path / "ran"
    proc = run(atrace_argv(option, "sh", "-c", f": > {marker}"))
    assert proc.returncode == 1 and proc.stderr.decode() == message + "\n", describe(proc)
    assert not marker.exists()


def test_every_option_is_in_the_readme_table_and_explained_by_help():
    """The README's option table names every option atrace accepts, and
    `--help` says something about each (issue 11's audit)."""
    import argparse
    from pathlib import Path

    from atrace.cli import build_parser

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    table = "\n".join(line for line in readme.splitlines() if line.startswith("|"))
    parser = build_parser()
    unnamed, unexplained = [], []
    for action in parser._actions:
        if action.help == argparse.SUPPRESS or action.dest in ("help", "version"):
            continue
        if not action.help:
            unexplained.append(action.option_strings)
        for name in action.option_strings:
            if not re.search(rf"`{re.escape(name)}[`= \[]|[ ,(]{re.escape(name)}[`=, )]", table):
                unnamed.append(name)
    assert not unnamed and not unexplained, (unnamed, unexplained)


@pytest.mark.skipif(not _namespaces_usable(), reason="no user and pid namespaces here (unshare -Urpf)")
def test_pidns_translation_of_pids_inside_structs(program):
    """--pidns-translation of a pid the kernel writes into a struct
    (SO_PEERCRED's ucred) and of one a struct passes in (BLKTRACESETUP):
    the tracee is pid 1 of its namespace, and the text says which pid
    that is in atrace's, as strace does."""
    options = ["-f", "-qq", "--pidns-translation", "-e", "trace=getsockopt,ioctl", "-e", "signal=none",
               "unshare", "-Urpf", str(program("pidns_structs"))]  # fmt: skip
    for argv in _tracers(options):
        proc = run(argv)
        assert proc.returncode == 0, describe(proc)
        lines = [ln for ln in proc.stderr.decode().splitlines() if "getsockopt(" in ln or "ioctl(-1" in ln]
        host = re.match(r"\[pid +(\d+)\] ", lines[0]) if lines else None
        assert host, (argv[0], proc.stderr.decode())
        ns = f"1 /* {host.group(1)} in strace's PID NS */"
        assert [ln[host.end() :] for ln in lines] == [
            f"getsockopt(3, SOL_SOCKET, SO_PEERCRED, {{pid={ns}, uid=0, gid=0}}, [12]) = 0",
            "ioctl(-1, BLKTRACESETUP, {act_mask=0, buf_size=4096, buf_nr=2, start_lba=0, end_lba=0, "
            f"pid={ns}}}) = -1 EBADF (Bad file descriptor)",
        ], (argv[0], lines)


def test_clone_pidfd_with_its_path(program):
    """-y: the pidfd CLONE_PIDFD writes at clone's parent_tid is shown with
    its path, as strace shows it (clone-flags.test)."""
    options = ["-y", "-qq", "-e", "trace=clone", "-e", "signal=none", str(program("clone_pidfd"))]
    for argv in _tracers(options):
        proc = run(argv)
        assert proc.returncode == 0, describe(proc)
        lines = [re.sub(r"= \d+$", "= PID", ln) for ln in proc.stderr.decode().splitlines()]
        wanted = "clone(child_stack=NULL, flags=CLONE_PIDFD|SIGCHLD, parent_tid=[3<anon_inode:[pidfd]>]) = PID"
        assert lines == [wanted], (argv[0], lines)


def test_trace_path_through_a_symlink_is_resolved_and_said(tmp_path):
    """-P LINK: strace's note of what the path resolves into (unless -e
    quiet=path-resolution), and the calls on the file it resolves into shown."""
    target = tmp_path / "target"
    target.write_text("x")
    link = tmp_path / "link"
    link.symlink_to(target)
    for quiet in ([], ["-e", "quiet=path-resolution"]):
        options = [*quiet, "-P", str(link), "-e", "trace=openat", "cat", str(target)]
        for argv in _tracers(options):
            proc = run(argv)
            assert proc.returncode == 0, describe(proc)
            tool = os.path.basename(argv[0]) if argv[0] == "strace" else "atrace"
            lines = proc.stderr.decode().splitlines()
            note = [f'{tool}: Requested path "{link}" resolved into "{target}"'] if not quiet else []
            assert lines == [*note, f'openat(AT_FDCWD, "{target}", O_RDONLY) = 3', "+++ exited with 0 +++"], lines
