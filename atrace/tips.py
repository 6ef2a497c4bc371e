"""--tips: a short note about an atrace option, printed after the trace.

strace prints one of its own tips in a drawing; atrace has its own words
(and no drawing): tips are data, one entry each, chosen at random or by
--tips=id:N (N wraps round the list, as strace's ids do).
"""

from __future__ import annotations

import random
import textwrap

from .tracing_options import Tips

TIPS = (
    "-o FILE writes a msgpack event stream that scripts read with atrace.read(); "
    "atrace tail FILE prints it as strace text, even while it is written.",
    "atrace report TRACE turns a build trace into one HTML page: the critical path, CPU per job, every failure.",
    "-e trace=%file,%process records only those classes; with -f and a launched command the other calls "
    "do not even stop (seccomp-bpf).",
    "--listen unix:/tmp/a.sock serves the live trace to any number of readers; a slow one never slows the trace.",
    "-ff -o PREFIX writes one file per task, PREFIX.TID, each a whole trace.",
    "-c prints a table of calls, errors and system time; -C prints it after the trace, -w makes it wall-clock.",
    "-p PID attaches to a running process and all its threads; Ctrl-C detaches and leaves it as it was.",
    "-D runs the tracer as the command's detached grandchild: the command keeps its pid and its parent.",
    "-b execve lets a process go at its next execve, --syscall-limit=N lets every task go after N calls.",
    "-y shows the path behind each fd, -Y the command name behind each pid.",
    "-z shows only the calls that succeeded, -Z only those that failed, -P PATH only those that touch PATH.",
)


def tip_text(tips: Tips, width: int = 72) -> str:
    """The tip's lines for stderr, or "" for --tips=format:none."""
    if tips.style == "none":
        return ""
    index = random.randrange(len(TIPS)) if tips.tip is None else tips.tip % len(TIPS)
    body = textwrap.wrap(TIPS[index], width - 4)
    if tips.style == "full":
        rule = "+" + "-" * (width - 2) + "+"
        lines = [rule, *(f"| {line:<{width - 4}} |" for line in body), rule]
    else:
        lines = [f"atrace tip {index}:", *(f"  {line}" for line in body)]
    return "\n".join(lines) + "\n"
