"""A build's dependency view: which outputs were produced from which inputs.

Work is grouped into jobs: a job is what a build driver (make, ninja...)
started, with everything that started in turn (gcc and its cc1, as, ld).
A job's outputs are the files it wrote and left behind (temporaries that it
deleted again are dropped, renames are followed to the final name); its
inputs are the files it read that it did not itself produce.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from .files import FileReport, FileSets
from .paths import text
from .proctree import Process

DRIVERS = frozenset({"make", "gmake", "ninja", "samu", "remake", "bmake", "pmake"})
# Not part of what a build step depends on: kernel views, the loader cache,
# device nodes.
NOISE_PREFIXES = ("/proc/", "/sys/", "/dev/", "/etc/ld.so.")
SYSTEM_PREFIXES = ("/usr/", "/lib/", "/lib64/", "/lib32/", "/etc/", "/opt/", "/bin/", "/sbin/")


@dataclass(slots=True)
class Job:
    root: Process
    outputs: list[str] = field(default_factory=list)
    inputs: list[str] = field(default_factory=list)


def _is_driver(proc: Process) -> bool:
    return any(posixpath.basename(text(info.argv[0])) in DRIVERS for info in proc.execs if info.argv)


def job_roots(report: FileReport) -> list[Process]:
    """The roots of the jobs: children of a driver that are not drivers."""
    roots = []
    for _level, proc in report.tree.walk():
        if _is_driver(proc):
            continue
        parent = proc.parent
        if parent is None or _is_driver(parent):
            roots.append(proc)
    return roots


def jobs(report: FileReport, *, system: bool = False) -> list[Job]:
    """The jobs that produced at least one output, with their inputs.

    System files (under /usr, /lib, /etc...) are left out of the inputs
    unless `system` is set; executables and shared libraries a job only
    ran or loaded are never inputs.
    """
    out = []
    for root in job_roots(report):
        files = _job_files(report, root)
        outputs = _outputs(files)
        if not outputs:
            continue
        produced = set(outputs) | set(files.deleted)
        inputs = [
            path
            for path in files.read
            if path not in produced
            and path not in files.executed
            and not path.startswith(NOISE_PREFIXES)
            and (system or not path.startswith(SYSTEM_PREFIXES))
            and ".so" not in posixpath.basename(path)
        ]
        out.append(Job(root, outputs, inputs))
    return out


def _job_files(report: FileReport, root: Process) -> FileSets:
    # Drivers started inside a job (a recursive make) make their own jobs.
    merged = FileSets()
    stack = [root]
    while stack:
        proc = stack.pop()
        sets = report.by_process.get(proc)
        if sets is not None:
            merged.merge(sets)
        stack.extend(child for child in proc.children if not _is_driver(child))
    return merged


def _outputs(files: FileSets) -> list[str]:
    final: dict[str, None] = {}
    renamed_to = dict(files.renamed)
    for path in files.written:
        while path in renamed_to:  # follow a temporary to its final name
            path = renamed_to.pop(path)
        if path in files.deleted or path.startswith(NOISE_PREFIXES):
            continue
        final[path] = None
    return list(final)
