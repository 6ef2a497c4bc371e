"""strace text rendered by a process of its own (atrace/text_process.py):
what it writes is what atrace renders in-process (`atrace tail` over the
same trace), large batches included, and its failures reach the user as
atrace's own do."""

from __future__ import annotations

import os
import re
from pathlib import Path

from conftest import assert_no_traceback, atrace_argv, describe, run

from atrace.text_process import RENDERER_NICENESS

# 300 reads and writes of 4 KiB, each printed whole (-s4096): about 16 KiB
# of text a call, so batches span many of the pipe's reads.
BIG_COPY = ["dd", "if=/dev/zero", "of=/dev/null", "bs=4096", "count=300"]
ADDRESS = re.compile(r"0x[0-9a-f]+")


def _normalized(text: str) -> list[str]:
    """Lines without what differs between two runs (addresses, dd's timing)."""
    return [ADDRESS.sub("ADDR", line) for line in text.splitlines() if "copied" not in line]


def test_big_lines_reach_the_file_whole_and_in_order(tmp_path: Path) -> None:
    options = ["-s4096", "-e", "trace=read,write"]
    live = run(atrace_argv("--text", "-o", tmp_path / "live.txt", *options, "--", *BIG_COPY))
    recorded = run(atrace_argv("-o", tmp_path / "all.atrace", *options, "--", *BIG_COPY))
    assert_no_traceback(live)
    assert live.returncode == 0 and recorded.returncode == 0, describe(live) + describe(recorded)
    offline = run(atrace_argv("tail", "--no-follow", "-s4096", tmp_path / "all.atrace"))
    assert offline.returncode == 0, describe(offline)
    text = (tmp_path / "live.txt").read_text()
    zeros = '"' + "\\0" * 4096 + '"'
    assert text.count(f"read(0, {zeros}, 4096) = 4096\n") == 300
    assert text.count(f"write(1, {zeros}, 4096) = 4096\n") == 300
    assert text.endswith("+++ exited with 0 +++\n")
    assert _normalized(text) == _normalized(offline.stdout.decode())


def test_a_failing_text_output_is_one_line_and_the_command_runs_on(tmp_path: Path) -> None:
    proc = run(atrace_argv("--text", "-o", "/dev/full", "-e", "trace=write", "--", "sh", "-c", "echo out; exit 3"))
    assert_no_traceback(proc)
    assert proc.returncode == 3, describe(proc)
    assert proc.stdout == b"out\n"
    lines = proc.stderr.decode().splitlines()
    assert len(lines) == 1, describe(proc)
    assert re.fullmatch(r"atrace: [1-9][0-9]* events lost \(/dev/full: No space left on device\)", lines[0])


def test_text_on_stderr_comes_before_atrace_ends(tmp_path: Path) -> None:
    """The default output (text on stderr) is complete when atrace exits:
    it waits for its renderer."""
    proc = run(atrace_argv("-e", "trace=write", "--", "sh", "-c", "for i in 1 2 3 4 5; do echo $i; done"))
    assert proc.returncode == 0, describe(proc)
    text = proc.stderr.decode()
    writes = [" ".join(line.split()) for line in text.splitlines() if line.startswith("write(1, ")]
    assert writes == [f'write(1, "{i}\\n", 2) = 2' for i in range(1, 6)]
    assert text.endswith("+++ exited with 0 +++\n")


# Run under atrace, with the text file's path as argv[1]: the niceness of
# the tracer's children that hold the file open (the renderer; not the
# tracer's waker, which leads a process group of its own), the tracer's
# own (a resident worker's may differ from the caller's), then its own.
_NICENESS_OF_THE_RENDERER = """
import glob, os, sys
tracer = next(l.split()[1] for l in open("/proc/self/status") if l.startswith("TracerPid:"))
tgid = next(l.split()[1] for l in open(f"/proc/{tracer}/status") if l.startswith("Tgid:"))
children = set()
for path in glob.glob(f"/proc/{tgid}/task/*/children"):
    children.update(int(pid) for pid in open(path).read().split())
def writes_the_text(pid):
    return any(os.path.realpath(fd) == sys.argv[1] for fd in glob.glob(f"/proc/{pid}/fd/*"))
writers = [pid for pid in children if os.getpgid(pid) != pid and writes_the_text(pid)]
def niceness(pid):
    return int(open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[16])
print(f"{[niceness(pid) for pid in writers]};{niceness(tgid)};{os.nice(0)}")
"""


def test_the_renderer_is_niced_and_the_tracee_is_not(tmp_path: Path) -> None:
    """A niced renderer yields its core to a waking tracee (the traced
    program waits on it) and renders in the gaps; the traced program's own
    priority is untouched."""
    out = tmp_path / "out.txt"
    proc = run(atrace_argv("--text", "-o", out, "-e", "trace=none", "--", "python3", "-c", _NICENESS_OF_THE_RENDERER,
                           str(out.resolve())))  # fmt: skip
    assert proc.returncode == 0, describe(proc)
    renderer, tracer, tracee = proc.stdout.decode().rstrip("\n").split(";")
    assert renderer == f"[{min(int(tracer) + RENDERER_NICENESS, 19)}]", describe(proc)
    assert int(tracee) == os.nice(0)  # as the caller's, through atrace
