"""Pids atrace did not ask for (issue 11, strace's clone_ptrace and
clone_parent tests): without -f, a child cloned with CLONE_PTRACE is let go
at its first stop ("Detached unknown pid N"), and a child cloned with
CLONE_PARENT, which atrace reaps, is said to have exited ("Exit of unknown
pid N ignored"); -q / -qq / --quiet= drop those notes as strace's do."""

from __future__ import annotations

import pytest
from conftest import atrace_argv, describe, run


def _trace(program, tmp_path, mode: str, *options: str):
    out = tmp_path / "t.txt"
    proc = run(atrace_argv("--text", "-o", out, "-e", "trace=none", *options, program("clone_unknown"), mode))
    child = int(proc.stdout.split()[0]) if proc.stdout.split() else -1
    return proc, child, out.read_text().splitlines()


@pytest.mark.parametrize(
    ("options", "noted"), [((), True), (("-q",), False), (("--quiet=attach",), False), (("--quiet=exit",), True)]
)
def test_clone_ptrace_child_is_detached(program, tmp_path, options, noted):
    """The CLONE_PTRACE child is not traced: no signal or exit line of its
    own in the trace, it dies of the parent's SIGUSR1 (the program checks
    that), and the note names it unless quieted."""
    proc, child, lines = _trace(program, tmp_path, "ptrace", *options)
    assert proc.returncode == 0, describe(proc)
    assert not [line for line in lines if "SIGUSR1 {" in line or "killed by" in line], lines
    assert lines[0].startswith(f"--- SIGCHLD {{si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid={child},"), lines
    assert (lines[-1] == "+++ exited with 0 +++") == ("--quiet=exit" not in options), lines
    note = f"atrace: Detached unknown pid {child}"
    assert (note in proc.stderr.decode().splitlines()) == noted, describe(proc)


@pytest.mark.parametrize(("options", "noted"), [((), True), (("-qq",), False), (("--quiet=exit",), False)])
def test_clone_parent_child_exit_is_noted(program, tmp_path, options, noted):
    """The CLONE_PARENT child is atrace's to reap: the program cannot wait
    for it (it checks that), and atrace says it ignored its exit."""
    proc, child, lines = _trace(program, tmp_path, "parent", *options)
    assert proc.returncode == 0, describe(proc)
    assert (lines[-1:] == ["+++ exited with 0 +++"]) == (not options), lines
    note = f"atrace: Exit of unknown pid {child} ignored"
    assert (note in proc.stderr.decode().splitlines()) == noted, describe(proc)
