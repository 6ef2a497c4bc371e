"""Fast checks of scripts/bench_spawn.py (a few processes, one round):
the figures are there, as numbers (never thresholds: noisy machines)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_bench_stops import atrace_command

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "scripts" / "bench_spawn.py"
NUMBER = r"-?\d+\.\d+"


def run_bench(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(BENCH), *args], capture_output=True, text=True, timeout=600, check=False)


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed")
def test_each_configuration_gives_its_cost_per_process(tmp_path: Path) -> None:
    result = run_bench("--rounds", "1", "--processes", "5", "--atrace", atrace_command(tmp_path))
    assert result.returncode == 0, result.stderr
    assert re.search(r"^5 processes, 1 rounds", result.stdout, re.M), result.stdout
    for config in ("untraced", "strace", "atrace", "atrace-inproc"):
        row = rf"^  {config}\s+{NUMBER}(\s+{NUMBER}){{7}}$"
        assert re.search(row, result.stdout, re.M), (config, result.stdout)
    assert re.search(rf"^  atrace/strace: wall {NUMBER}  per process: wall {NUMBER};", result.stdout, re.M)


def test_a_tracer_that_fails_gives_one_line_error(tmp_path: Path) -> None:
    result = run_bench("--rounds", "1", "--processes", "2", "--atrace", str(tmp_path / "no-such-atrace"))
    assert result.returncode == 1
    assert result.stderr.startswith("bench_spawn.py: error: "), result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr
