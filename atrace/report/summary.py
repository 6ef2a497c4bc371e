"""The short text summary `atrace report` prints on the terminal."""

from __future__ import annotations

from .model import Report


def _s(ns: int | None) -> str:
    return "?" if ns is None else f"{ns / 1e9:.2f} s"


def text_summary(report: Report, output: str | None, *, top: int = 5) -> str:
    facts = report.facts
    lines = [
        f"wall time {_s(facts.wall)}, CPU {_s(report.cpu)} (user {_s(report.utime)}, system {_s(report.stime)})"
        f" on {report.cpus if report.cpus is not None else '?'} CPUs",
        f"{len(facts.tree.all)} processes, {len(report.jobs)} jobs, {len(report.failures)} failed"
        f" ({len(report.ignored)} more failures ignored by the build)",
    ]
    recorded = (facts.header.get("options") or {}).get("trace")
    if recorded is not None:
        lines.append(f"the trace recorded only {len(recorded)} system calls (-e trace=): slowest calls and stderr"
                     " texts cover only those")  # fmt: skip
    if facts.lost:
        lines.append(f"{facts.lost} events were lost while tracing: the facts are incomplete")
    jobs_on_path = [step for step in report.path if step.job is not None]
    gaps = sum(step.duration for step in report.path if step.job is None)
    wall = max(facts.wall, 1)
    lines.append(
        f"critical path: {len(jobs_on_path)} jobs, {100 * sum(s.duration for s in jobs_on_path) / wall:.0f}% of the"
        f" wall time; idle gaps {100 * gaps / wall:.0f}%"
    )
    for step in sorted(jobs_on_path, key=lambda s: -s.duration)[:top]:
        assert step.job is not None
        lines.append(f"  {step.duration / 1e9:8.2f} s  {100 * step.duration / wall:5.1f}%  {step.job.label}")
    for failure in report.failures:
        label = failure.job.label if failure.job else " ".join(failure.command)[:80]
        lines.append(f"FAILED: {label} ({failure.status})")
        for line in failure.stderr.decode("utf-8", "replace").splitlines()[:3]:
            lines.append(f"    {line}")
    if output is not None:
        lines.append(f"report written to {output}")
    return "\n".join(lines) + "\n"
