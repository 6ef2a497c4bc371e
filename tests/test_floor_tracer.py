"""scripts/floor_tracer.py, the bare Python stop loop bench.py measures as
the floor: it must really trace (every task of the tree, every call, or
only the filter's calls under --seccomp), or the floor it gives is wrong."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

FLOOR = Path(__file__).resolve().parent.parent / "scripts" / "floor_tracer.py"
CALLS = 1000


def floor(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(FLOOR), "--count", *args], capture_output=True, text=True,
                          timeout=120, check=False)  # fmt: skip


def counts(done: subprocess.CompletedProcess[str]) -> tuple[int, int]:
    """(syscall stops, paths read), as --count says them."""
    match = re.fullmatch(r"floor_tracer: (\d+) syscall stops, (\d+) paths read\n", done.stderr)
    assert match, done.stderr
    return int(match[1]), int(match[2])


def stops(done: subprocess.CompletedProcess[str]) -> int:
    return counts(done)[0]


def test_it_stops_at_every_call_of_the_whole_tree(program: Any) -> None:
    """Two stops per call, in the children too (a fork, then an exec),
    and the command's output and exit status come through."""
    loop = program("stop_loop")
    alone = floor("--", str(loop), "getppid", str(CALLS))
    assert alone.returncode == 0 and alone.stdout.strip() == str(CALLS), alone
    assert 2 * CALLS <= stops(alone) < 2 * CALLS + 200
    tree = floor("--", "sh", "-c", f"{loop} getppid {CALLS}; {loop} getppid {CALLS}; exit 7")
    assert tree.returncode == 7 and tree.stdout.split() == [str(CALLS)] * 2, tree
    assert stops(tree) > 2 * stops(alone)  # both children, and the shell


def test_its_children_are_traced() -> None:
    done = floor("--", "sh", "-c", "grep TracerPid /proc/self/status")
    (line,) = done.stdout.splitlines()
    assert line.startswith("TracerPid:") and int(line.split()[1]) != 0, done


def test_under_seccomp_only_the_named_calls_stop(program: Any) -> None:
    loop = program("stop_loop")
    named = floor("--seccomp", "getppid", "--", str(loop), "getppid", str(CALLS))
    other = floor("--seccomp", "openat", "--read-paths", "--", str(loop), "getppid", str(CALLS))
    assert named.returncode == 0 and other.returncode == 0, (named, other)
    assert named.stdout.strip() == other.stdout.strip() == str(CALLS)
    assert 2 * CALLS <= stops(named) < 2 * CALLS + 20
    assert stops(other) < 20  # the exec, and the loader's few openat
    paths = floor("--seccomp", "%file", "--read-paths", "--", str(loop), "openat", str(CALLS))
    assert paths.returncode == 0 and paths.stdout.strip() == str(CALLS), paths
    stopped, read = counts(paths)
    assert 2 * CALLS <= stopped < 2 * CALLS + 40  # openat only: close is not in %file
    assert CALLS <= read < CALLS + 20  # each openat's path (and the loader's few)
    assert counts(floor("--seccomp", "%file", "--", str(loop), "openat", "10"))[1] == 0  # without --read-paths


def test_a_command_that_cannot_run_is_one_line_and_127(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(FLOOR), "--", str(tmp_path / "missing")], capture_output=True,
                          text=True, timeout=60, check=False)  # fmt: skip
    assert done.returncode == 127
    assert done.stderr == f"floor_tracer: cannot run {tmp_path / 'missing'}: No such file or directory\n"
