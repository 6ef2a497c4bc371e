#!/usr/bin/env python3
"""The README's speed table, from the JSON files of scripts/bench.py runs.

    python3 scripts/bench.py --workload lua --configs untraced,strace,atrace,atrace-process,\\
        strace-process,atrace-files,strace-files --json lua.json
    python3 scripts/bench.py --workload printstrn-umoven --configs strace,atrace --json printstrn.json
    python3 scripts/bench_table.py lua.json zlib.json printstrn.json printpath.json

or, every workload and configuration in one command:

    python3 scripts/bench.py --workload all --json-dir out && python3 scripts/bench_table.py out/*.json

Prints a Markdown table: one row per ratio of medians, one column per
workload, each cell "wall (cpu)": the ratio of median wall times, then of
median CPU times (a ratio a run did not measure is left as "-"), and the
issue's target for it.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

# (ratio key in the JSON, what it compares, target)
ROWS = (
    ("atrace/strace", "full tracing: atrace / strace", "≤ 1.05 (text path: ≤ 1.0)"),
    ("atrace-process/untraced", "`-e trace=%process`: atrace / untraced", "≤ 1.10"),
    ("atrace-process/strace-process", "`%process`: atrace / `strace --seccomp-bpf`", "≤ 1.0"),
    ("atrace-files/strace-files", "file analyses' set: atrace / `strace --seccomp-bpf`", "≤ 1.0"),
    ("atrace/atrace-process", "speed-up: atrace full / atrace `%process`", "≥ 1.5"),
    ("strace/untraced", "for scale: strace full / untraced", ""),
    ("floor/strace", "the floor: a bare Python stop loop / strace", ""),
    ("atrace/floor", "atrace's own work: atrace / the floor", ""),
    ("floor-files/strace-files", "the floor, file set: bare Python loop / `strace --seccomp-bpf`", ""),
    ("atrace-files/floor-files", "atrace's own work, file set: atrace / the floor", ""),
    ("atrace/baseline", "a change: atrace / `--baseline` atrace", ""),
)


def table(runs: list[dict[str, object]]) -> str:
    names = [str(run["workload"]) for run in runs]
    lines = [
        "| ratio of medians | " + " | ".join(names) + " | target |",
        "|---|" + "---:|" * len(names) + "---|",
    ]
    for key, label, target in ROWS:
        values = []
        for run in runs:
            wall, cpu = (run.get(field) for field in ("ratios", "cpu_ratios"))
            value = wall.get(key) if isinstance(wall, dict) else None
            cpu_value = cpu.get(key) if isinstance(cpu, dict) else None
            cell = f"{value:.2f}" if isinstance(value, float) else "-"
            if isinstance(value, float) and isinstance(cpu_value, float):
                cell += f" ({cpu_value:.2f})"
            values.append(cell)
        if any(value != "-" for value in values):
            lines.append(f"| {label} | " + " | ".join(values) + f" | {target} |")
    rounds = sorted({int(str(run["rounds"])) for run in runs})
    lines.append("")
    lines.append(f"({'/'.join(map(str, rounds))} rounds each, alternating; wall time (CPU time) medians)")
    loads = [_load(run) for run in runs]
    if any(loads):
        found = ", ".join(f"{name} {load}" for name, load in zip(names, loads, strict=True) if load)
        lines.append(f"(load average at start-end: {found})")
    return "\n".join(lines)


def _load(run: dict[str, object]) -> str:
    """The 1-minute load average at the run's start and end, if recorded."""
    start, end = run.get("loadavg_at_start"), run.get("loadavg_at_end")
    if isinstance(start, float) and isinstance(end, list) and end and isinstance(end[0], float):
        return f"{start:.1f}-{end[0]:.1f}"
    return ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench_table.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("json", nargs="+", type=Path, help="bench.py --json files, one per workload")
    args = parser.parse_args(argv)
    try:
        runs = [json.loads(path.read_text()) for path in args.json]
    except (OSError, ValueError) as err:
        print(f"bench_table.py: error: {err}", file=sys.stderr)
        return 1
    print(table(runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
