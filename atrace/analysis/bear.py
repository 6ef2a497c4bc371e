"""Bear's intercept events (JSON lines) from a trace, so that Bear's own
tools (`bear citnames`, `bear semantic`) can read what atrace recorded.

Bear documents two layouts of its events file:

* Bear 3 (`bear intercept`, read by `bear citnames`): one object per line,
  `{"rid", "started": {"execution": {"executable", "arguments",
  "working_dir", "environment"}, "pid", "ppid"}, "timestamp"}` when a
  program starts and `{"rid", "terminated": {"status"}, "timestamp"}` when
  it ends; `rid` ties the two, the status is a string, the timestamp
  ISO 8601 UTC;
* Bear 4 (read by `bear semantic`): one object per execution with exactly
  the four keys `executable, arguments, working_dir, environment`.

The trace has every execve, its file name, argv and working directory, but
not the environment (only its size): `environment` is written empty, which
both layouts allow.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from .paths import text
from .proctree import ProcessTree


def _timestamp(ns: int) -> str:
    moment = datetime.fromtimestamp(ns // 1_000_000_000, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + f".{ns % 1_000_000_000 // 1000:06d}Z"


def intercept_events(tree: ProcessTree, bear_version: int = 3) -> Iterator[dict[str, Any]]:
    """The events in time order."""
    timed: list[tuple[int, int, dict[str, Any]]] = []
    serial = 0
    for proc in tree.all:
        for index, info in enumerate(proc.execs):
            if info.cwd is None:
                continue
            argv = [text(arg) for arg in info.argv]
            execution = {
                "executable": text(info.filename) if info.filename is not None else (argv[0] if argv else ""),
                "arguments": argv,
                "working_dir": text(info.cwd),
                "environment": {},
            }
            serial += 1
            if bear_version != 3:
                timed.append((info.ts, serial, execution))
                continue
            rid = str(serial)
            started = {"execution": execution, "pid": proc.pid, "ppid": proc.ppid or 0}
            timed.append((info.ts, serial, {"rid": rid, "started": started, "timestamp": _timestamp(info.ts)}))
            # Its end: the next exec of the same process, or the process's end.
            last = index == len(proc.execs) - 1
            if last and proc.end is not None and proc.ended:
                status = proc.exit_code if proc.exit_code is not None else 128 + (proc.signal or 0)
                terminated = {"rid": rid, "terminated": {"status": str(status)}, "timestamp": _timestamp(proc.end)}
                timed.append((proc.end, serial, terminated))
    timed.sort(key=lambda item: (item[0], item[1]))
    for _ts, _serial, event in timed:
        yield event
