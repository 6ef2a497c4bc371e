"""A build's dependency view: which outputs were produced from which inputs.

Work is grouped into jobs: a job is what a build driver (make, ninja...)
started, with everything that started in turn (gcc and its cc1, as, ld).
A job's outputs are the files it wrote and left behind (temporaries that it
deleted again are dropped, renames are followed to the final name); its
inputs are the files it read that it did not itself produce.

Jobs are taken in the order they started, so that what one job does to an
earlier job's output carries the history along:

* a file renamed by a later job (`mv objs/adler32.o adler32.lo`) keeps the
  inputs it was built from, under its new name, and the old name is no
  longer an output;
* a file rewritten in place (ranlib, strip) keeps its inputs too;
* a failed job still appears, with the inputs it read and, for a compile,
  the output it was asked for.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from .compile_db import compile_output, is_compiler
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
    failed: bool = False


def _is_driver(proc: Process) -> bool:
    return any(posixpath.basename(text(info.argv[0])) in DRIVERS for info in proc.execs if info.argv)


def job_roots(report: FileReport) -> list[Process]:
    """The roots of the jobs, in the order they started: children of a driver that are not drivers."""
    roots = []
    for _level, proc in report.tree.walk():
        if _is_driver(proc):
            continue
        parent = proc.parent
        if parent is None or _is_driver(parent):
            roots.append(proc)
    roots.sort(key=lambda proc: proc.start)
    return roots


def jobs(report: FileReport, *, system: bool = False) -> list[Job]:
    """The jobs that produced at least one output, or failed, with their inputs.

    System files (under /usr, /lib, /etc...) are left out of the inputs
    unless `system` is set; executables a job only ran are never inputs,
    nor shared libraries the build did not produce itself (what the loader
    mapped into every process).
    """
    found: list[tuple[Job, FileSets]] = []
    made_by: dict[str, Job] = {}  # output path -> the job that produced it last
    for root in job_roots(report):
        files = _job_files(report, root)
        outputs = _outputs(files)
        failed = root.failed
        if not outputs and not failed:
            continue
        if failed and not outputs:
            outputs = _intended_outputs(root)
        produced = set(outputs) | set(files.deleted)
        inputs = {
            path: None
            for path in files.read
            if path not in produced
            and path not in files.executed
            and not path.startswith(NOISE_PREFIXES)
            and (system or not path.startswith(SYSTEM_PREFIXES))
        }
        job = Job(root, outputs, list(inputs), failed)
        # What this job did to earlier jobs' outputs.
        for old, new in files.renamed:
            earlier = made_by.pop(old, None)
            if earlier is not None and earlier is not job:
                earlier.outputs.remove(old)
                _inherit(job, earlier)
                made_by[new] = job
        for path in outputs:
            earlier = made_by.get(path)
            if earlier is not None and earlier is not job and path in files.read:
                _inherit(job, earlier)  # rewritten in place
            made_by[path] = job
        found.append((job, files))
    produced_here = set(made_by)
    out = []
    for job, _files in found:
        if not job.outputs and not job.failed:
            continue  # everything it made was renamed away by later jobs
        job.inputs = [path for path in job.inputs if not _foreign_library(path, produced_here)]
        out.append(job)
    return out


def _inherit(job: Job, earlier: Job) -> None:
    seen = set(job.inputs) | set(job.outputs)
    job.inputs.extend(path for path in earlier.inputs if path not in seen)


def _foreign_library(path: str, produced: set[str]) -> bool:
    """A shared library the build did not make: the runtime's, not an input."""
    name = posixpath.basename(path)
    return (name.endswith(".so") or ".so." in name) and path not in produced


def _intended_outputs(root: Process) -> list[str]:
    """What a failed compile was asked to write (its -o, or SOURCE.o with -c)."""
    if not root.execs:
        return []
    info = root.execs[-1]
    argv = [text(arg) for arg in info.argv]
    if not is_compiler(argv) or info.cwd is None:
        return []
    cwd = text(info.cwd)
    return [posixpath.normpath(posixpath.join(cwd, path)) for path in compile_output(argv)]


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
