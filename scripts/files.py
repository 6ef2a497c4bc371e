#!/usr/bin/env python3
"""The files a traced build read, wrote, created, renamed, deleted, or looked
for and did not find; for the whole build or for each process.

  python3 scripts/files.py build.atrace               whole build
  python3 scripts/files.py --by-process build.atrace  one block per process
  python3 scripts/files.py --deps build.atrace        outputs <- inputs
  python3 scripts/files.py --json build.atrace        machine-readable

Paths under the directory the trace started in are shown relative to it
(--absolute to keep them absolute). --deps groups the work into jobs (what
make or ninja started, with its children: gcc with its cc1 and as) and
prints, make-style, each job's outputs and the project files it read;
--system adds the inputs under /usr, /lib, /etc. A file a later job renamed
or rewrote in place keeps the inputs it was made from; a failed job is
listed with its inputs, marked FAILED.
"""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout

from atrace.analysis import script
from atrace.analysis.deps import jobs
from atrace.analysis.files import FileSets, file_accesses
from atrace.analysis.paths import text

PROG = "files.py"
KINDS = ("read", "written", "created", "renamed", "deleted", "missing", "executed")


def shown(path: str, base: str | None) -> str:
    if base and path.startswith(base.rstrip("/") + "/"):
        return path[len(base.rstrip("/")) + 1 :]
    return path


def make_escape(path: str) -> str:
    """A path as a word of a make rule: spaces, colons, # and $ escaped;
    a newline (which make cannot escape) shown as ?."""
    out = path.replace("$", "$$").replace("\n", "?")
    for char in " :#":
        out = out.replace(char, "\\" + char)
    return out


def as_dict(sets: FileSets, base: str | None, kinds: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for kind in kinds:
        if kind == "renamed":
            out[kind] = [[shown(a, base), shown(b, base)] for a, b in sets.renamed]
        else:
            out[kind] = [shown(p, base) for p in getattr(sets, kind)]
    return out


def write_sets(data: dict[str, Any], indent: str) -> None:
    for kind, items in data.items():
        if not items:
            continue
        print(f"{indent}{kind} ({len(items)}):")
        for item in items:
            print(f"{indent}  {' -> '.join(item) if isinstance(item, list) else item}")


def main(argv: list[str]) -> int:
    parser = script.parser(PROG, __doc__ or "")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--by-process", action="store_true", help="one block per process")
    mode.add_argument("--deps", action="store_true", help="build dependencies: each job's outputs and inputs")
    parser.add_argument("--only", metavar="KINDS", help=f"comma-separated subset of: {','.join(KINDS)}")
    parser.add_argument("--system", action="store_true", help="with --deps: include inputs under /usr, /lib, /etc")
    parser.add_argument("--absolute", action="store_true", help="do not shorten paths under the starting directory")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args(argv)
    kinds = KINDS
    if args.only:
        kinds = tuple(k.strip() for k in args.only.split(","))
        unknown = set(kinds) - set(KINDS)
        if unknown:
            raise script.ScriptError(
                f"--only: unknown kind {', '.join(sorted(unknown))}; choose from {', '.join(KINDS)}"
            )
    report = file_accesses(script.events(args.trace, PROG, script.FILE_CALLS))
    roots = report.tree.roots
    base = None if args.absolute or not roots or roots[0].cwd is None else text(roots[0].cwd)  # type: ignore[arg-type]

    if args.deps:
        found = jobs(report, system=args.system)
        if args.json:
            print(json.dumps([{"pid": j.root.pid, "command": [text(a) for a in j.root.argv],
                               "outputs": [shown(p, base) for p in j.outputs],
                               "inputs": [shown(p, base) for p in j.inputs], "failed": j.failed}
                              for j in found], indent=1))  # fmt: skip
            return 0
        for job in found:
            # A command line may hold newlines: one comment line whatever it holds.
            command = shlex.join(text(a) for a in job.root.argv)[:300].replace("\\", "\\\\").replace("\n", "\\n")
            status = f" (FAILED: exit {job.root.exit_code})" if job.failed and job.root.exit_code is not None else (
                " (FAILED)" if job.failed else "")  # fmt: skip
            print(f"# pid {job.root.pid}{status}: {command}")
            if not job.outputs:
                print("# (no output) inputs: " + " ".join(make_escape(shown(p, base)) for p in job.inputs))
                continue
            outputs = " ".join(make_escape(shown(p, base)) for p in job.outputs)
            print(f"{outputs}: " + " ".join(make_escape(shown(p, base)) for p in job.inputs))
        return 0
    if args.by_process:
        blocks = []
        for _level, proc in report.tree.walk():
            sets = report.by_process.get(proc)
            if sets is None:
                continue
            data = as_dict(sets, base, kinds)
            if any(data.values()):
                blocks.append((proc, data))
        if args.json:
            print(json.dumps([{"pid": p.pid, "command": [text(a) for a in p.argv], **d} for p, d in blocks], indent=1))
            return 0
        for proc, data in blocks:
            print(f"pid {proc.pid}: {shlex.join(text(a) for a in proc.argv)[:300] or '(no exec)'}")
            write_sets(data, "  ")
        return 0
    data = as_dict(report.total(), base, kinds)
    if args.json:
        print(json.dumps(data, indent=1))
    else:
        write_sets(data, "")
    return 0


if __name__ == "__main__":
    sys.exit(script.run(PROG, main))
