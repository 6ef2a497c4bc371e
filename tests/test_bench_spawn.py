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


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed")
def test_a_baseline_on_its_own_pythonpath_runs_its_own_code(tmp_path: Path) -> None:
    """`--baseline "env PYTHONPATH=OTHER python -m atrace"`, run from this
    checkout's root: `-m` puts the cwd first on sys.path, so unless the
    runs happen elsewhere the baseline is this checkout, silently. The
    baseline here is a package of its own that notes each run, then hands
    over to the real atrace."""
    other = tmp_path / "other"
    (other / "atrace").mkdir(parents=True)
    marks = tmp_path / "baseline-runs"
    (other / "atrace" / "__init__.py").write_text("")
    (other / "atrace" / "__main__.py").write_text(
        "import os, sys\n"
        f"with open({str(marks)!r}, 'a') as f:\n"
        "    f.write(' '.join(sys.argv[1:3]) + '\\n')\n"
        f"os.execve(sys.executable, [sys.executable, '-m', 'atrace', *sys.argv[1:]], "
        f"{{**os.environ, 'PYTHONPATH': {str(REPO)!r}}})\n"
    )
    baseline = f"env PYTHONPATH={other} {sys.executable} -m atrace"
    result = subprocess.run(
        [sys.executable, str(BENCH), "--rounds", "1", "--processes", "2", "--atrace", atrace_command(tmp_path),
         "--baseline", baseline],
        capture_output=True, text=True, timeout=600, check=False, cwd=REPO,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert re.search(rf"^  baseline-inproc\s+{NUMBER}", result.stdout, re.M), result.stdout
    runs = marks.read_text().splitlines() if marks.exists() else []
    # its traced runs (served and in-process, on 2 processes and on none)
    assert sum(run == "-f -e" for run in runs) >= 4, runs
