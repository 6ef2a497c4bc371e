"""Fast checks of scripts/bench.py on a trivial command (no Lua build).

Timings are only checked to be numbers: the machines are shared and noisy,
so any threshold would make this test flaky.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "scripts" / "bench.py"
TRUE = shutil.which("true") or "/bin/true"
FALSE = shutil.which("false") or "/bin/false"
# A table row: config name, then median, min and max seconds.
ROW = re.compile(r"^(?P<config>[\w-]+)\s+(\d+\.\d+)\s+(\d+\.\d+)\s+(\d+\.\d+)\s")

needs_strace = pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed")


def run_bench(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(BENCH), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def table_rows(stdout: str) -> dict[str, list[float]]:
    rows = {}
    for line in stdout.splitlines():
        match = ROW.match(line)
        if match:
            rows[match["config"]] = [float(g) for g in match.groups()[1:]]
    return rows


@needs_strace
def test_table_lists_configs_with_numeric_timings() -> None:
    args = ["--workload", "cmd", "--rounds", "1", "--configs", "untraced,strace"]
    result = run_bench(*args, "--", TRUE)
    assert result.returncode == 0, result.stderr
    rows = table_rows(result.stdout)
    assert set(rows) == {"untraced", "strace"}, result.stdout
    for config, (median, low, high) in rows.items():
        assert low <= median <= high, (config, result.stdout)
    assert "strace/untraced" in result.stdout
    # One progress line per timed run, on stderr, not in the table.
    assert len(re.findall(r"^\[round 1/1\]", result.stderr, re.MULTILINE)) == 2


@needs_strace
def test_order_rotates_between_rounds() -> None:
    args = ["--workload", "cmd", "--rounds", "2", "--configs", "untraced,strace"]
    result = run_bench(*args, "--warmup", "0", "--", TRUE)
    assert result.returncode == 0, result.stderr
    order = re.findall(r"^\[round \d/2\] (\S+)", result.stderr, re.MULTILINE)
    assert order == ["untraced", "strace", "strace", "untraced"]


def test_failing_command_gives_one_line_error() -> None:
    args = ["--workload", "cmd", "--rounds", "1", "--configs", "untraced"]
    result = run_bench(*args, "--", FALSE)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    # Progress lines may precede it; the error itself is the one last line.
    errors = [line for line in lines if "error" in line]
    assert errors == [lines[-1]], result.stderr
    assert lines[-1].startswith("bench.py: error:")
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    # The build's output is kept for diagnosis; do not litter /tmp with it.
    kept = re.search(r"output in (\S+)\)", lines[-1])
    if kept:
        Path(kept[1]).unlink(missing_ok=True)


def test_missing_command_gives_one_line_error() -> None:
    args = ["--workload", "cmd", "--configs", "untraced"]
    result = run_bench(*args, "--", "/nonexistent/atrace-bench-cmd")
    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1].startswith("bench.py: error:")
    assert "Traceback" not in result.stderr


def test_help_describes_configurations() -> None:
    result = run_bench("--help")
    assert result.returncode == 0
    for word in ("untraced", "strace", "atrace", "ptrace-strace", "--json"):
        assert word in result.stdout


@needs_strace
def test_trace_set_configs_run_and_give_their_ratios() -> None:
    """The seccomp configurations trace a real command: sh running true."""
    configs = "untraced,atrace-process,strace-process,atrace-files,strace-files"
    args = ["--workload", "cmd", "--rounds", "1", "--warmup", "0", "--configs", configs]
    result = run_bench(*args, "--", "/bin/sh", "-c", "/bin/true; /bin/true")
    assert result.returncode == 0, result.stderr
    assert set(table_rows(result.stdout)) == set(configs.split(","))
    for ratio in ("atrace-process/untraced", "atrace-process/strace-process", "atrace-files/strace-files"):
        assert ratio in result.stdout


def test_text_workload_without_the_suite_gives_one_line_error(tmp_path: Path) -> None:
    result = run_bench("--workload", "printstrn-umoven", "--configs", "strace", "--suite-dir", str(tmp_path))
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        f"bench.py: error: {tmp_path / 'printstrn-umoven'} not found: build strace's tests "
        "(shared/strace-suite/run.sh) or give --suite-dir"
    ]


def test_readme_table_from_bench_json(tmp_path: Path) -> None:
    """bench_table.py turns bench.py --json files into the README's table."""
    table_script = BENCH.parent / "bench_table.py"
    result = run_bench("--workload", "cmd", "--rounds", "1", "--warmup", "0", "--configs", "untraced,atrace-process",
                       "--json", str(tmp_path / "cmd.json"), "--", TRUE)  # fmt: skip
    assert result.returncode == 0, result.stderr
    done = subprocess.run([sys.executable, str(table_script), str(tmp_path / "cmd.json")],
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = [line for line in done.stdout.splitlines() if line.startswith("| `-e trace=%process`")]
    assert len(rows) == 1 and re.search(r"\| \d+\.\d\d \(\d+\.\d\d\) \|", rows[0]), done.stdout
    assert "full tracing" not in done.stdout  # not measured: no row


def test_baseline_config_runs_another_atrace_and_gives_its_ratio() -> None:
    """--baseline CMD: a second atrace (here the same one) in the same rounds."""
    atrace = f"{sys.executable} -m atrace"
    args = ["--workload", "cmd", "--rounds", "1", "--warmup", "0", "--configs", "atrace,baseline"]
    result = run_bench(*args, "--baseline", atrace, "--", TRUE)
    assert result.returncode == 0, result.stderr
    assert set(table_rows(result.stdout)) == {"atrace", "baseline"}
    assert re.search(r"^  atrace/baseline\s+\d+\.\d\d\s+\d+\.\d\d$", result.stdout, re.MULTILINE), result.stdout


@needs_strace
def test_floor_config_runs_the_bare_python_tracer_and_gives_its_ratios() -> None:
    """floor: scripts/floor_tracer.py in the same rounds, with floor/strace
    and atrace/floor; its help says what it is."""
    configs = "strace,atrace,floor,strace-files,atrace-files,floor-files"
    args = ["--workload", "cmd", "--rounds", "1", "--warmup", "0", "--configs", configs]
    result = run_bench(*args, "--", TRUE)
    assert result.returncode == 0, result.stderr
    assert set(table_rows(result.stdout)) == set(configs.split(","))
    for ratio in ("floor/strace", "atrace/floor", "floor-files/strace-files", "atrace-files/floor-files"):
        assert re.search(rf"^  {ratio}\s+\d+\.\d\d\s+\d+\.\d\d$", result.stdout, re.MULTILINE), result.stdout
    assert "floor_tracer.py" in run_bench("--help").stdout


def test_baseline_config_without_its_command_gives_one_line_error() -> None:
    result = run_bench("--workload", "cmd", "--rounds", "1", "--configs", "baseline", "--", TRUE)
    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1] == "bench.py: error: the baseline configuration needs --baseline CMD"


def test_an_atrace_command_runs_from_a_bytecode_cache(tmp_path: Path) -> None:
    """--atrace CMD under PYTHONDONTWRITEBYTECODE: its timed runs find
    atrace's modules compiled (by the preflight run), as an installed
    atrace would, instead of compiling them at every start."""
    seen = tmp_path / "seen"
    wrapper = tmp_path / "atrace"
    repo = Path(__file__).resolve().parent.parent
    wrapper.write_text(
        "#!/bin/sh\n"
        # (not bench.py's `atrace resident status` calls: runs only)
        f'[ "$1" = resident ] || echo "${{PYTHONDONTWRITEBYTECODE-unset}}'
        f' $(find "$PYTHONPYCACHEPREFIX" -path "*/atrace/tracer/*.pyc" 2>/dev/null | wc -l)" >> {seen}\n'
        f'PYTHONPATH={repo} exec {sys.executable} -m atrace "$@"\n'
    )
    wrapper.chmod(0o755)
    args = ["--workload", "cmd", "--rounds", "1", "--warmup", "0", "--configs", "atrace"]
    result = subprocess.run(
        [sys.executable, str(BENCH), *args, "--atrace", str(wrapper), "--", TRUE],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert result.returncode == 0, result.stderr
    # The preflight run on `true` started from an empty cache; the timed
    # run found atrace's modules (atrace/tracer/...) compiled there.
    preflight, timed = seen.read_text().splitlines()
    assert preflight == "unset 0"
    assert timed.split()[0] == "unset" and int(timed.split()[1]) > 0


def test_cpu_of_a_served_run_includes_the_resident_worker(tmp_path: Path) -> None:
    """A run the resident server serves has its tracer in the server's
    worker, not among the benchmark's children: bench.py reads the
    worker's CPU from the server's status, once the server has reaped it."""
    import importlib.util

    from conftest import atrace_argv, atrace_env

    spec = importlib.util.spec_from_file_location("bench_under_test", BENCH)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    sys.modules["bench_under_test"] = bench  # (dataclasses look their module up)
    spec.loader.exec_module(bench)
    runtime = tmp_path / "xdg"
    runtime.mkdir(mode=0o700)
    env = {**atrace_env(), "XDG_RUNTIME_DIR": str(runtime), "ATRACE_RESIDENT_IDLE": "30"}
    env.pop("ATRACE_RESIDENT", None)
    atrace = atrace_argv()
    assert bench.worker_cpu(atrace, env) is None  # no server yet
    subprocess.run([*atrace, "-e", "trace=none", "true"], env=env, check=True, capture_output=True)
    try:
        before = None
        for _ in range(300):
            if (before := bench.worker_cpu(atrace, env)) is not None:
                break
            time.sleep(0.2)
        assert before is not None, "no resident server after a first run"
        command = "for i in 1 2 3 4 5 6 7 8 9 10; do /bin/true; done"
        served = subprocess.run([*atrace, "-f", "-o", str(tmp_path / "t"), "sh", "-c", command], env=env, check=False)
        assert served.returncode == 0
        after = bench.worker_cpu(atrace, env)
        assert after is not None and after[0] == before[0]  # the same server, which served it
        status = bench.resident_status(atrace, env)
        assert int(status["runs"]) >= 1
        assert after[1] > before[1]  # the worker's CPU, reaped and counted
        # --atrace/--baseline CMD may carry trace options: the status is
        # still asked of atrace itself (not traced as a command `resident`).
        assert bench.worker_cpu([*atrace, "-e", "trace=%process"], env) == after
    finally:
        subprocess.run([*atrace, "resident", "stop"], env=env, check=False, capture_output=True)
