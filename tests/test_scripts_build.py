"""The analysis scripts on real traced builds, checked against what the build
is known to have done.

A small C project (three .c files, two headers, a Makefile) is written,
built under `atrace -f -o TRACE make -j2`, and every script's output is
compared with facts: the objects written, the headers read, the header
searched for in a directory that does not exist, the commands run and
their exit codes, and the compile database against the compiler commands
`make -n` prints. The Lua build (from ../shared/bench/get-workloads) is
traced the same way when the workload can be had.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import (
    REPO_ROOT,
    assert_no_traceback,
    atrace_argv,
    cut_between_records,
    cut_inside_a_record,
    describe,
    run,
)

import atrace

SCRIPTS = REPO_ROOT / "scripts"
CFLAGS = "-O1 -Wall -DPROJECT_FLAG=1 -Imissingdir -I."

MAKEFILE = f"""\
CC = gcc
CFLAGS = {CFLAGS}
OBJS = main.o util.o calc.o

all: app check

app: $(OBJS)
\t$(CC) -o app $(OBJS)

%.o: %.c common.h
\t$(CC) $(CFLAGS) -c -o $@ $<

check: app
\t./app > result.txt
\t-sh -c 'exit 3'
"""

SOURCES = {
    "common.h": "#define ANSWER 42\n",
    "util.h": "int twice(int x);\n",
    "main.c": '#include <stdio.h>\n#include "common.h"\n#include <util.h>\nint add(int, int);\n'
    'int main(void) { printf("%d\\n", add(twice(ANSWER), PROJECT_FLAG)); return 0; }\n',
    "util.c": '#include "common.h"\n#include <util.h>\nint twice(int x) { return 2 * x; }\n',
    "calc.c": '#include "common.h"\nint add(int a, int b) { return a + b; }\n',
}


def script(name: str, *args: object, input: bytes | None = None, cwd: Path | None = None) -> str:
    proc = run([sys.executable, str(SCRIPTS / f"{name}.py"), *map(str, args)], input=input, cwd=cwd,
               env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})  # fmt: skip
    assert_no_traceback(proc)
    assert proc.returncode == 0, describe(proc)
    assert b"cut short" not in proc.stderr, describe(proc)  # every trace here is whole
    return proc.stdout.decode("utf-8", "surrogateescape")


def trace_build(tmp: Path, project: Path, *command: str, timeout: float = 300) -> Path:
    trace = tmp / "build.atrace"
    proc = run(atrace_argv("-f", "-o", trace, "--", *command), cwd=project, timeout=timeout)
    assert_no_traceback(proc)
    assert proc.returncode == 0, describe(proc)
    return trace


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    if shutil.which("make") is None or shutil.which("gcc") is None:
        pytest.fail("make and gcc are needed for the build tests", pytrace=False)
    tmp = tmp_path_factory.mktemp("cproject")
    project = tmp / "proj"
    project.mkdir()
    for name, text in SOURCES.items():
        (project / name).write_text(text)
    (project / "Makefile").write_text(MAKEFILE)
    return project, trace_build(tmp, project, "make", "-j2")


def test_the_build_did_what_we_think(project: tuple[Path, Path]) -> None:
    root, _trace = project
    assert (root / "result.txt").read_text() == "85\n"


def test_summary_counts_every_call(project: tuple[Path, Path]) -> None:
    _root, trace = project
    events = list(atrace.read(trace))
    # A call counts once it returned (exit_group never does), as in strace's -c.
    returned = [call for call in atrace.calls(events) if not call.unfinished]
    table = script("summary", trace)
    total = table.splitlines()[-1].split()
    assert total[-1] == "total" and int(total[-3]) == len(returned)
    exits = [e for e in events if isinstance(e, atrace.SyscallEntry) and e.name == "exit_group"]
    assert exits and "exit_group" not in table
    rows = {line.split()[-1]: line.split() for line in table.splitlines()[2:-2]}
    executed = [call for call in returned if call.name == "execve"]
    assert int(rows["execve"][3]) == len(executed)
    by_calls = script("summary", "--sort", "calls", trace).splitlines()[2:-2]
    counts = [int(line.split()[3]) for line in by_calls]
    assert counts == sorted(counts, reverse=True)
    per_process = script("summary", "--by-process", trace)
    for name in ("main", "util", "calc"):
        assert f"gcc {CFLAGS} -c -o {name}.o {name}.c" in per_process
    assert per_process.count("% time") == per_process.count("\npid ") + 1


def test_summary_reads_stdin(project: tuple[Path, Path]) -> None:
    _root, trace = project
    assert script("summary", "-", input=trace.read_bytes()) == script("summary", trace)


def test_tree_shows_every_command_with_its_status(project: tuple[Path, Path]) -> None:
    root, trace = project
    tree = script("tree", trace)
    lines = tree.splitlines()
    assert lines[0].startswith(tuple("0123456789")) and " make -j2  [" in lines[0] and "exit 0" in lines[0]
    assert f"   cwd {root}" in lines[1]
    for name in ("main", "util", "calc"):
        line = next(line for line in lines if f"-c -o {name}.o {name}.c" in line)
        assert line.startswith("  ") and line.rstrip().endswith("exit 0]")
    failed = [line for line in lines if "FAILED" in line]
    assert len(failed) == 1 and "sh -c 'exit 3'" in failed[0] and "exit 3 FAILED" in failed[0]
    assert any("gcc -o app main.o util.o calc.o" in line for line in lines)
    assert any(line.strip().startswith(tuple("0123456789")) and "./app" in line for line in lines)
    shallow = script("tree", "--depth", "0", trace).splitlines()
    assert len(shallow) == 3 and "more processes, 1 failed" in shallow[-1]


def test_files_of_the_build(project: tuple[Path, Path]) -> None:
    _root, trace = project
    data = json.loads(script("files", "--json", trace))
    written = set(data["written"])
    assert {"main.o", "util.o", "calc.o", "app", "result.txt"} <= written
    assert {"main.o", "util.o", "calc.o", "app"} <= set(data["created"])
    assert {"main.c", "util.c", "calc.c", "common.h", "util.h", "Makefile"} <= set(data["read"])
    assert "missingdir" in data["missing"]  # gcc checks each -I directory
    assert "/usr/include/stdio.h" in data["read"]
    assert any(path.endswith("/gcc") for path in data["executed"])
    # gcc's temporary assembler files are created, then deleted
    assert any(path.startswith("/tmp/cc") and path.endswith(".s") for path in data["deleted"])


def test_files_by_process_puts_each_object_under_its_compiler(project: tuple[Path, Path]) -> None:
    _root, trace = project
    blocks = json.loads(script("files", "--by-process", "--json", trace))
    for name in ("main", "util", "calc"):
        assembler = [b for b in blocks if b["command"][:1] == ["as"] and f"{name}.o" in b["command"]]
        assert len(assembler) == 1 and f"{name}.o" in assembler[0]["written"]
        cc1 = [b for b in blocks if b["command"][0].endswith("cc1") and f"{name}.c" in b["command"]]
        assert len(cc1) == 1 and "common.h" in cc1[0]["read"]


def test_files_deps(project: tuple[Path, Path]) -> None:
    _root, trace = project
    deps = json.loads(script("files", "--deps", "--json", trace))
    by_output = {tuple(job["outputs"]): set(job["inputs"]) for job in deps}
    assert by_output[("main.o",)] == {"main.c", "common.h", "util.h"}
    assert by_output[("util.o",)] == {"util.c", "common.h", "util.h"}
    assert by_output[("calc.o",)] == {"calc.c", "common.h"}
    assert by_output[("app",)] == {"main.o", "util.o", "calc.o"}
    text = script("files", "--deps", trace)
    assert "\nmain.o: main.c " in text
    with_system = json.loads(script("files", "--deps", "--system", "--json", trace))
    main = next(job for job in with_system if job["outputs"] == ["main.o"])
    assert "/usr/include/stdio.h" in main["inputs"]


def make_compiler_commands(root: Path) -> list[list[str]]:
    """The compile commands make would run, from `make -n -B`."""
    dry = subprocess.run(["make", "-n", "-B"], cwd=root, capture_output=True, text=True, check=True).stdout
    return [shlex.split(line) for line in dry.splitlines() if line.startswith("gcc ") and " -c " in line]


def test_compile_db_matches_the_makefile(project: tuple[Path, Path], tmp_path: Path) -> None:
    root, trace = project
    db = json.loads(script("compile_db", trace))
    expected = make_compiler_commands(root)
    assert len(expected) == 3
    # Bear's rule: the compiler's absolute path (what execve ran) comes first
    assert all(entry["arguments"][0] == shutil.which("gcc") for entry in db)
    assert sorted(["gcc", *entry["arguments"][1:]] for entry in db) == sorted(expected)
    for entry in db:
        assert entry["directory"] == str(root)
        source = entry["arguments"][-1]
        assert entry["file"] == str(root / source)
        assert entry["output"] == str(root / source.replace(".c", ".o"))
    out = tmp_path / "compile_commands.json"
    script("compile_db", "-o", out, trace)
    assert json.loads(out.read_text()) == db


def test_timeline_json_svg_html(project: tuple[Path, Path]) -> None:
    _root, trace = project
    events = list(atrace.read(trace))
    processes = {e.tgid for e in events if isinstance(e, atrace.Exec)}
    chrome = json.loads(script("timeline", "--threshold", "0", trace))
    slices = [e for e in chrome["traceEvents"] if e["ph"] == "X"]
    exec_slices = [e for e in slices if e["cat"] == "exec"]
    assert {e["args"]["pid"] for e in exec_slices} >= processes
    assert any(e["name"].startswith("gcc ") and e["dur"] > 0 for e in exec_slices)
    assert all(e["ts"] >= 0 for e in slices)
    assert any(e["cat"] == "syscall" for e in slices)
    names = [e for e in chrome["traceEvents"] if e["ph"] == "M" and e["name"] == "process_name"]
    assert len(names) == len({e["pid"] for e in names})
    picture = ET.fromstring(script("timeline", "--svg", trace))
    rects = picture.findall(".//{http://www.w3.org/2000/svg}rect")
    assert len(rects) >= len(processes)
    assert 'fill="#d62728"' in script("timeline", "--svg", trace)  # the failed `sh -c 'exit 3'`
    assert script("timeline", "--html", trace).startswith("<!DOCTYPE html>")


def test_slow_lists_calls_and_processes(project: tuple[Path, Path]) -> None:
    _root, trace = project
    text = script("slow", "--top", "5", trace)
    head, _, rest = text.partition("processes most blocked")
    assert len(head.strip().splitlines()) == 2 + 5
    assert "wait4" not in head  # left out unless --include-waits
    assert "wait4" in script("slow", "--top", "50", "--include-waits", trace)
    assert "cc1" in rest or "gcc" in rest


@pytest.mark.parametrize("name", ["summary", "tree", "files", "compile_db", "timeline", "slow"])
def test_scripts_fail_in_one_line(name: str, tmp_path: Path, project: tuple[Path, Path]) -> None:
    _root, trace = project
    not_trace = tmp_path / "notes.txt"
    not_trace.write_text("hello\n")
    for bad in (tmp_path / "absent.atrace", not_trace):
        proc = run([sys.executable, str(SCRIPTS / f"{name}.py"), str(bad)])
        assert proc.returncode == 1 and proc.stdout == b""
        assert proc.stderr.decode().count("\n") == 1 and proc.stderr.startswith(f"{name}.py: ".encode()), describe(proc)
    helped = run([sys.executable, str(SCRIPTS / f"{name}.py"), "--help"])
    assert helped.returncode == 0 and b"usage:" in helped.stdout
    # Cut inside a record, and exactly between two (no trailer follows).
    data = trace.read_bytes()
    for size in (cut_inside_a_record(data), cut_between_records(data)):
        cut = tmp_path / "cut.atrace"
        cut.write_bytes(data[:size])
        proc = run([sys.executable, str(SCRIPTS / f"{name}.py"), str(cut)])
        assert_no_traceback(proc)
        assert proc.returncode == 0 and b"cut short" in proc.stderr, describe(proc)


# -- the Lua build -----------------------------------------------------------

LUA = "lua-5.4.4"
ZLIB = "zlib-1.2.13"


def workload(name: str) -> Path:
    """A real project's sources, downloaded by get-workloads when missing (CI)."""
    cache = Path(os.environ.get("ATRACE_WORKLOADS", Path.home() / ".cache" / "atrace-workloads"))
    if not (cache / name).is_dir():
        getter = REPO_ROOT.parent / "shared" / "bench" / "get-workloads"
        if not getter.exists():
            pytest.skip(f"no {name} workload and no {getter} to fetch it")
        proc = subprocess.run(["bash", str(getter), str(cache)], capture_output=True, timeout=600)
        if proc.returncode != 0 or not (cache / name).is_dir():
            pytest.skip(f"get-workloads could not fetch {name}: {proc.stderr.decode(errors='replace')[-300:]}")
    return cache / name


def traced_workload(tmp_path_factory: pytest.TempPathFactory, name: str, *command: str) -> tuple[Path, Path]:
    source = workload(name)
    tmp = tmp_path_factory.mktemp(name)
    root = tmp / name
    shutil.copytree(source, root)  # never build in the shared cache
    return root, trace_build(tmp, root, *command)


@pytest.fixture(scope="module")
def lua(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return traced_workload(tmp_path_factory, LUA, "make", "-C", "src", "-j2", "linux")


@pytest.fixture(scope="module")
def zlib(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return traced_workload(tmp_path_factory, ZLIB, "sh", "-c", "./configure && make -j2 libz.a")


def test_zlib_configure_and_build_facts(zlib: tuple[Path, Path]) -> None:
    root, trace = zlib
    objects = {p.name for p in root.glob("*.o")}
    assert len(objects) >= 10
    db = json.loads(script("compile_db", trace))
    library = [e for e in db if not Path(e["file"]).name.startswith("ztest")]  # configure's probes
    assert {Path(e["output"]).name for e in library} == objects
    assert all(e["directory"] == str(root) and "-c" in e["arguments"] for e in library)
    files = json.loads(script("files", "--json", trace))
    assert {"libz.a", "Makefile", "zconf.h", "configure.log"} | objects <= set(files["written"])
    assert {"zlib.h", "zutil.h", "Makefile.in", "configure"} <= set(files["read"])
    deps = json.loads(script("files", "--deps", "--json", trace))
    archive = next(job for job in deps if job["outputs"] == ["libz.a"])
    assert set(archive["inputs"]) == objects
    # configure probes the compiler with programs that must fail to build
    tree = script("tree", trace)
    failed = [line for line in tree.splitlines() if "FAILED" in line]
    assert failed and all("ztest" in line or "cc1" in line or "configure" in line for line in failed), failed
    assert tree.splitlines()[0].rstrip().endswith("exit 0]")


def test_lua_build_facts(lua: tuple[Path, Path]) -> None:
    root, trace = lua
    src = root / "src"
    sources = sorted(p.stem for p in src.glob("*.c"))
    db = json.loads(script("compile_db", trace))
    assert sorted(Path(e["file"]).stem for e in db) == sources
    assert all(e["directory"] == str(src) and e["output"] == str(src / (Path(e["file"]).stem + ".o")) for e in db)
    files = json.loads(script("files", "--json", "--absolute", trace))
    assert {str(src / f"{name}.o") for name in sources} <= set(files["written"])
    assert {str(src / name) for name in ("lua", "luac", "liblua.a")} <= set(files["written"])
    assert {str(p) for p in src.glob("*.h")} <= set(files["read"])
    deps = {tuple(j["outputs"]): set(j["inputs"]) for j in json.loads(script("files", "--deps", "--json", trace))}
    assert deps[("src/lua",)] == {"src/lua.o", "src/liblua.a"}
    assert {"src/lapi.c", "src/lapi.h", "src/lua.h"} <= deps[("src/lapi.o",)]
    tree = script("tree", trace)
    assert "FAILED" not in tree and tree.count("exit 0]") == tree.count("\n") - tree.count("   cwd ")
    summary = script("summary", trace).splitlines()
    assert int(summary[-1].split()[-3]) > 10_000


def test_lua_compile_db_arguments_match_make(lua: tuple[Path, Path]) -> None:
    root, trace = lua
    db = json.loads(script("compile_db", trace))
    dry = subprocess.run(["make", "-n", "-B", "linux"], cwd=root / "src", capture_output=True, text=True).stdout
    expected = sorted(shlex.split(line) for line in dry.splitlines() if line.startswith("gcc ") and " -c " in line)
    assert sorted(["gcc", *e["arguments"][1:]] for e in db) == expected
