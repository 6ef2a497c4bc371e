"""Fast checks of scripts/bench_stops.py (a few hundred calls, one round).

Timings are only checked to be numbers: the machines are shared and noisy,
so any threshold would make this test flaky.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "scripts" / "bench_stops.py"
NUMBER = r"\d+\.\d+"


def run_bench(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(BENCH), *args], capture_output=True, text=True, timeout=300, check=False)


def atrace_command(tmp_path: Path) -> str:
    """This work tree's atrace, whatever is installed on PATH."""
    script = tmp_path / "atrace"
    script.write_text(f'#!/bin/sh\nPYTHONPATH={REPO} exec {sys.executable} -m atrace "$@"\n')
    script.chmod(0o755)
    return str(script)


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed")
def test_every_workload_gives_both_tracers_and_their_ratios(tmp_path: Path) -> None:
    result = run_bench("--rounds", "1", "--calls", "200", "--atrace", atrace_command(tmp_path))
    assert result.returncode == 0, result.stderr
    blocks = re.findall(r"^(\w+ \w+): 200 calls, 1 rounds$", result.stdout, re.M)
    assert blocks == ["getppid full", "openat full", "openat seccomp"], result.stdout
    for tracer in ("atrace", "strace"):
        rows = re.findall(
            rf"^  {tracer}\s+wall\s+{NUMBER} s\s+cpu\s+{NUMBER} s\s+per stop: wall\s+-?{NUMBER} us", result.stdout, re.M
        )
        assert len(rows) == 3, result.stdout
    assert len(re.findall(rf"^  atrace/strace: wall {NUMBER}  cpu {NUMBER}", result.stdout, re.M)) == 3


def test_a_tracer_that_fails_gives_one_line_error(tmp_path: Path) -> None:
    result = run_bench(
        "--rounds",
        "1",
        "--calls",
        "10",
        "--atrace",
        "/nonexistent/atrace",
        "--strace",
        "/nonexistent/strace",
        "--only",
        "getppid",
    )
    assert result.returncode == 1
    assert result.stderr.startswith("bench_stops.py: error: /nonexistent/")
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    failing = tmp_path / "fails"
    failing.write_text("#!/bin/sh\necho 'something broke' >&2\nexit 3\n")
    failing.chmod(0o755)
    result = run_bench(
        "--rounds", "1", "--calls", "10", "--atrace", str(failing), "--strace", str(failing), "--only", "getppid"
    )
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("bench_stops.py: error: ") and "(exit 3): something broke" in line


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed")
def test_atrace_runs_in_process_so_its_cpu_is_counted(tmp_path: Path) -> None:
    """A served run's tracer is the resident server's worker, whose CPU
    wait4 would not count: every atrace run is in-process."""
    seen = tmp_path / "seen"
    script = tmp_path / "atrace"
    script.write_text(
        f'#!/bin/sh\necho "${{ATRACE_RESIDENT-unset}}" >> {seen}\n'
        f'PYTHONPATH={REPO} exec {sys.executable} -m atrace "$@"\n'
    )
    script.chmod(0o755)
    result = run_bench("--rounds", "1", "--calls", "100", "--atrace", str(script), "--only", "getppid")
    assert result.returncode == 0, result.stderr
    runs = seen.read_text().split()
    assert len(runs) == 3  # the untimed first run, then on N calls and on none
    assert set(runs) == {"off"}
