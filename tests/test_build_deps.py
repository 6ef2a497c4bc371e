"""files.py --deps and compile_db.py on a traced build that does what real
builds do and the first versions got wrong: a job renaming another job's
output (zlib's `mv objs/adler32.o adler32.lo`), ranlib rewriting a library
in place, the project's own shared library linked by a later job, a
compile that fails, a command line with a newline in it, a command that
compiles two sources at once, `-oFILE`, `-S`, the same compile run twice,
a source deleted after it was compiled (configure's probes), and ccache,
cold and warm. The compile database is checked by clang-check.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO_ROOT, assert_no_traceback, atrace_argv, describe, run

import atrace

MAKEFILE = """\
all: a.lo libp.a app multi.txt a.s dup probe bad.o

objs/a.o: a.c a.h
\tmkdir -p objs
\tgcc -c -o objs/a.o a.c
a.lo: objs/a.o
\tmv objs/a.o a.lo
p1.o p2.o: p1.c p2.c
\tgcc -c p1.c p2.c
libp.a: p1.o p2.o
\tar rc libp.a p1.o p2.o
\tranlib libp.a
libq.so: q.c
\tgcc -shared -fPIC -olibq.so q.c
app: main.c libq.so
\tgcc -o app main.c -L. -lq
a.s: a.c
\tgcc -S a.c
multi.txt:
\tprintf '%s\\n' "one\\
two" > multi.txt
dup:
\tgcc -c -o dup.o p1.c
\tgcc -c -o dup.o p1.c
probe:
\techo 'int probe;' > conftest.c && gcc -c -o conftest.o conftest.c && rm -f conftest.c conftest.o
bad.o: bad.c
\tgcc -c -o bad.o bad.c
"""
SOURCES = {
    "a.h": "#define A 1\n",
    "a.c": '#include "a.h"\nint a(void) { return A; }\n',
    "p1.c": "int p1(void) { return 1; }\n",
    "p2.c": "int p2(void) { return 2; }\n",
    "q.c": "int q(void) { return 3; }\n",
    "main.c": "int q(void);\nint main(void) { return q() - 3; }\n",
    "bad.c": "int bad(void) { return undeclared_thing; }\n",
}


def script(name: str, *args: object) -> str:
    proc = run([sys.executable, str(REPO_ROOT / "scripts" / f"{name}.py"), *map(str, args)])
    assert_no_traceback(proc)
    assert proc.returncode == 0, describe(proc)
    return proc.stdout.decode()


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    if shutil.which("make") is None or shutil.which("gcc") is None:
        pytest.fail("make and gcc are needed", pytrace=False)
    root = tmp_path_factory.mktemp("depsbuild")
    for name, text in SOURCES.items():
        (root / name).write_text(text)
    (root / "Makefile").write_text(MAKEFILE)
    trace = root / "build.atrace"
    proc = run(atrace_argv("-f", "-o", trace, "make", "-k"), cwd=root, timeout=300)
    assert_no_traceback(proc)
    assert proc.returncode == 2, describe(proc)  # bad.o fails
    assert (root / "a.lo").exists() and not (root / "objs" / "a.o").exists() and (root / "app").exists()
    assert (root / "multi.txt").read_text() == "one\ntwo\n" or "one" in (root / "multi.txt").read_text()
    return root, trace


def deps_by_output(trace: Path) -> tuple[list[dict[str, object]], dict[str, dict[str, object]]]:
    found = json.loads(script("files", "--deps", "--json", trace))
    by_output = {}
    for job in found:
        for output in job["outputs"]:
            by_output[output] = job
    return found, by_output


def test_renamed_output_keeps_its_inputs(build: tuple[Path, Path]) -> None:
    _root, trace = build
    found, by_output = deps_by_output(trace)
    assert {"a.c", "a.h"} <= set(by_output["a.lo"]["inputs"])  # type: ignore[arg-type]
    assert by_output["a.lo"]["command"] == ["mv", "objs/a.o", "a.lo"]
    assert not any("objs/a.o" in job["outputs"] for job in found)  # type: ignore[operator]


def test_in_place_rewrite_keeps_its_inputs(build: tuple[Path, Path]) -> None:
    _root, trace = build
    found, _ = deps_by_output(trace)
    ranlib = next(job for job in found if job["command"] == ["ranlib", "libp.a"])
    assert ranlib["outputs"] == ["libp.a"] and {"p1.o", "p2.o"} <= set(ranlib["inputs"])  # type: ignore[arg-type]


def test_own_shared_library_is_an_input(build: tuple[Path, Path]) -> None:
    _root, trace = build
    _found, by_output = deps_by_output(trace)
    inputs = set(by_output["app"]["inputs"])  # type: ignore[arg-type]
    assert {"main.c", "libq.so"} <= inputs
    assert not any("libc.so" in path for path in inputs)
    with_system = {
        o: j for j in json.loads(script("files", "--deps", "--json", "--system", trace)) for o in j["outputs"]
    }
    assert not any(".so" in Path(path).name and path != "libq.so" for path in with_system["app"]["inputs"])


def test_failed_compile_is_listed_with_inputs(build: tuple[Path, Path]) -> None:
    root, trace = build
    _found, by_output = deps_by_output(trace)
    assert not (root / "bad.o").exists()
    bad = by_output["bad.o"]
    assert bad["failed"] is True and "bad.c" in bad["inputs"]  # type: ignore[operator]
    assert by_output["a.lo"]["failed"] is False


def test_deps_text_is_valid_make(build: tuple[Path, Path], tmp_path: Path) -> None:
    _root, trace = build
    text = script("files", "--deps", trace)
    # the command with a newline in it stays on its one comment line
    (comment,) = [line for line in text.splitlines() if "printf" in line]
    assert comment.startswith("# pid ") and "two" in comment
    assert all(line.startswith("# ") or ": " in line or line.endswith(":") for line in text.splitlines())
    rules = tmp_path / "deps.mk"
    rules.write_text(".PHONY: parse-check\nparse-check:\n" + text)
    parsed = subprocess.run(["make", "-r", "-n", "-p", "-f", rules, "parse-check"], capture_output=True, text=True,
                            cwd=tmp_path)  # fmt: skip
    assert parsed.returncode == 0, parsed.stderr
    assert "\nbad.o: bad.c" in parsed.stdout and "\na.lo: " in parsed.stdout


# -- compile_commands.json --------------------------------------------------------


def test_compile_db_follows_bears_rules(build: tuple[Path, Path]) -> None:
    root, trace = build
    db = json.loads(script("compile_db", trace))
    gcc = next(e.filename for e in atrace.read(trace) if isinstance(e, atrace.Exec) and e.argv[0] == "gcc")
    assert Path(gcc).is_absolute()
    assert all(entry["arguments"][0] == gcc and entry["directory"] == str(root) for entry in db)
    by_file: dict[str, list[dict[str, object]]] = {}
    for entry in db:
        by_file.setdefault(Path(entry["file"]).name, []).append(entry)
    # one entry per source, the other source taken out of the arguments
    (p1,) = [e for e in by_file["p1.c"] if e["output"] == str(root / "p1.o")]
    (p2,) = by_file["p2.c"]
    assert p1["arguments"][1:] == ["-c", "p1.c"] and p2["arguments"][1:] == ["-c", "p2.c"]
    assert p2["output"] == str(root / "p2.o")
    # the same command twice is one entry
    assert [e["output"] for e in by_file["p1.c"]].count(str(root / "dup.o")) == 1
    (q,) = by_file["q.c"]
    assert q["output"] == str(root / "libq.so")  # -olibq.so
    a_entries = {e["output"] for e in by_file["a.c"]}
    assert a_entries == {str(root / "objs" / "a.o"), str(root / "a.s")}  # -S writes a.s
    assert by_file["main.c"][0]["output"] == str(root / "app")
    assert "bad.c" in by_file  # it failed, but it is a compile of an existing file
    # the probe's source is gone: dropped, unless asked for
    assert "conftest.c" not in by_file
    kept = json.loads(script("compile_db", "--keep-missing", trace))
    assert len([e for e in kept if Path(e["file"]).name == "conftest.c"]) == 1
    assert len(kept) == len(db) + 1


def clang_check() -> str | None:
    found = shutil.which("clang-check")
    if found is None and os.environ.get("CI"):
        pytest.fail("clang-check is needed in CI (.ci/run installs clang-tools)", pytrace=False)
    return found


def test_clang_check_accepts_the_database(build: tuple[Path, Path], tmp_path: Path) -> None:
    root, trace = build
    tool = clang_check()
    if tool is None:
        pytest.skip("no clang-check here")
    script("compile_db", "-o", root / "compile_commands.json", trace)
    sources = ["a.c", "p1.c", "p2.c", "q.c", "main.c"]
    done = subprocess.run([tool, "-p", str(root), *sources], cwd=root, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    # and it does read the database: the broken source is reported as broken
    failed = subprocess.run([tool, "-p", str(root), "bad.c"], cwd=root, capture_output=True, text=True, timeout=300)
    assert failed.returncode != 0 and "undeclared_thing" in failed.stdout + failed.stderr


# -- ccache, cold and warm ---------------------------------------------------------


def test_ccache_compiles_are_listed_cold_and_warm(tmp_path: Path) -> None:
    ccache = shutil.which("ccache")
    if ccache is None:
        if os.environ.get("CI"):
            pytest.fail("ccache is needed in CI (.ci/run installs it)", pytrace=False)
        pytest.skip("no ccache here")
    (tmp_path / "c.c").write_text("int c(void) { return 4; }\n")
    env = dict(os.environ, CCACHE_DIR=str(tmp_path / "cache"), CCACHE_NOHASHDIR="1")
    gcc = shutil.which("gcc")
    dbs = []
    for round_ in ("cold", "warm"):
        (tmp_path / "c.o").unlink(missing_ok=True)
        trace = tmp_path / f"{round_}.atrace"
        proc = run(atrace_argv("-f", "-o", trace, "ccache", "gcc", "-c", "-o", "c.o", "c.c"), cwd=tmp_path,
                   env=dict(env, PYTHONPATH=str(REPO_ROOT)))  # fmt: skip
        assert proc.returncode == 0, describe(proc)
        assert (tmp_path / "c.o").exists()
        compilers = [e for e in atrace.read(trace) if isinstance(e, atrace.Exec) and "cc1" in str(e.argv[0])]
        assert bool(compilers) == (round_ == "cold")  # a warm cache runs no compiler at all
        dbs.append(json.loads(script("compile_db", trace)))
    for db in dbs:
        assert db == [{"directory": str(tmp_path), "arguments": [gcc, "-c", "-o", "c.o", "c.c"],
                       "file": str(tmp_path / "c.c"), "output": str(tmp_path / "c.o")}]  # fmt: skip


# -- trace sets: what each analysis needs recorded ------------------------------------


def test_file_analyses_need_only_the_deps_set(build: tuple[Path, Path], tmp_path: Path) -> None:
    """The same build recorded with -e trace=%deps gives the same --deps
    answer as the full trace, in a much smaller trace."""
    full_root, full_trace = build
    root = tmp_path / "again"
    root.mkdir()
    for name in [*SOURCES, "Makefile"]:
        shutil.copy(full_root / name, root / name)
    trace = root / "deps.atrace"
    proc = run(atrace_argv("-f", "-e", "trace=%deps", "-o", trace, "make", "-k"), cwd=root, timeout=300)
    assert proc.returncode == 2, describe(proc)
    header = atrace.read(trace).header.meta
    recorded = header["options"]["trace"]
    assert "openat" in recorded and "fchdir" in recorded and "dup2" in recorded and "read" not in recorded
    assert atrace.read(full_trace).header.meta["options"]["trace"] is None
    assert trace.stat().st_size < full_trace.stat().st_size * 0.75

    def jobs(path: Path) -> list[tuple[object, ...]]:
        found = json.loads(script("files", "--deps", "--json", path))
        return sorted(
            (tuple(j["command"]), tuple(j["outputs"]), tuple(sorted(j["inputs"])), j["failed"]) for j in found
        )

    assert jobs(trace) == jobs(full_trace)
    assert json.loads(script("compile_db", trace)) == [
        {**entry, "directory": str(root), "file": entry["file"].replace(str(full_root), str(root)),
         "output": entry["output"].replace(str(full_root), str(root))}
        for entry in json.loads(script("compile_db", full_trace))
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("recorded", "name", "needs"),
    [("openat,close", "files", "-e trace=%deps"), ("%deps", "summary", "without -e trace="),
     ("%deps", "slow", "without -e trace="), ("%process", "files", "-e trace=%deps")],
)  # fmt: skip
def test_a_script_says_what_its_trace_lacks(tmp_path: Path, recorded: str, name: str, needs: str) -> None:
    trace = tmp_path / "t.atrace"
    proc = run(atrace_argv("-f", "-e", f"trace={recorded}", "-o", trace, "sh", "-c", "cat /etc/hostname"))
    assert proc.returncode == 0, describe(proc)
    done = run([sys.executable, str(REPO_ROOT / "scripts" / f"{name}.py"), trace])
    assert_no_traceback(done)
    assert done.returncode == 1 and done.stdout == b""
    (line,) = done.stderr.decode().splitlines()
    assert line.startswith(f"{name}.py: ") and needs in line
    # what needs only the process lifecycle works on any set
    for lifecycle in ("tree", "compile_db", "timeline"):
        ok = run([sys.executable, str(REPO_ROOT / "scripts" / f"{lifecycle}.py"), trace])
        assert ok.returncode == 0, describe(ok)


# -- Bear's intercept events --------------------------------------------------------


def test_bear_events_feed_bears_own_citnames(build: tuple[Path, Path], tmp_path: Path) -> None:
    """Bear's citnames makes the same database from atrace's events as from
    the events Bear's own interception records for the same build."""
    root, trace = build
    bear = shutil.which("bear")
    if bear is None:
        if os.environ.get("CI"):
            pytest.fail("bear is needed in CI (.ci/run installs it)", pytrace=False)
        pytest.skip("no bear here")
    events = tmp_path / "atrace-events.json"
    script("bear_events", "-o", events, trace)
    lines = [json.loads(line) for line in events.read_text().splitlines()]
    started = [line for line in lines if "started" in line]
    assert len(started) == sum(len(p.execs) for p in atrace.build_tree(atrace.read(trace)).all)
    assert {line["rid"] for line in lines if "terminated" in line} <= {line["rid"] for line in started}
    ours = tmp_path / "ours.json"
    subprocess.run([bear, "citnames", "--input", events, "--output", ours], cwd=root, check=True, timeout=120)

    copy = tmp_path / "bear-build"
    copy.mkdir()
    for name in [*SOURCES, "Makefile"]:
        shutil.copy(root / name, copy / name)
    intercepted = copy / "events.json"
    subprocess.run([bear, "intercept", "--output", intercepted, "--", "make", "-k"], cwd=copy, capture_output=True,
                   timeout=300)  # fmt: skip
    theirs = copy / "theirs.json"
    subprocess.run([bear, "citnames", "--input", intercepted, "--output", theirs], cwd=copy, check=True, timeout=120)

    def entries(path: Path, directory: Path) -> list[str]:
        return sorted(
            json.dumps(e, sort_keys=True).replace(str(directory), "DIR") for e in json.loads(path.read_text())
        )

    expected = entries(theirs, copy)
    assert len(expected) >= 8
    assert entries(ours, root) == expected
    # the Bear 4 layout: the four keys, one execution a line
    flat = [json.loads(line) for line in script("bear_events", "--bear-version", "4", trace).splitlines()]
    assert [sorted(e) for e in flat] == [["arguments", "environment", "executable", "working_dir"]] * len(started)
