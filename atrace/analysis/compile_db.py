"""compile_commands.json entries from the compiler invocations of a trace.

Bear finds compilations by preloading a library into the build, which
misses statically linked tools; the trace sees every execve whatever the
binary. The entries follow the rules Bear documents, so that clang tools
accept them:

* one entry per source file: a command compiling several sources gives one
  entry each, with the *other* sources removed from its arguments;
* `arguments[0]` is the compiler's absolute path (what execve ran);
* `output` is the `-o` file (`-o FILE` or `-oFILE`), else what the
  compiler writes by default (SOURCE.o with -c, SOURCE.s with -S);
* compiler wrappers (ccache, distcc...) are recognised: the entry is the
  compiler command they were given, and the compiler they run in turn is
  not listed again; a ccache cache hit, which runs no compiler, is listed;
* the compiler's own helper runs (clang -cc1, a driver exec'd by another
  compiler) and preprocessing- or dependency-only runs are left out;
* duplicate entries are removed, and by default so are entries whose source
  no longer exists (configure's probes delete their conftest.c).
"""

from __future__ import annotations

import os
import posixpath
import re
import shutil
from typing import Any

from .paths import text
from .proctree import ExecInfo, Process, ProcessTree

# gcc, cc, c++, g++, clang, clang++, with a target prefix and a version
# suffix (x86_64-linux-gnu-gcc-12, clang-16).
COMPILER = re.compile(r"^(?:[\w.]+-)*(?:gcc|cc|c\+\+|g\+\+|clang|clang\+\+)(?:-[\d.]+)?$")
WRAPPERS = frozenset({"ccache", "distcc", "sccache", "icecc", "buildcache"})
SOURCE_SUFFIXES = frozenset(
    {".c", ".cc", ".cpp", ".cxx", ".c++", ".cp", ".C", ".m", ".mm", ".s", ".S", ".sx", ".i", ".ii"}
)
# Options whose next argument is a value, never a source file.
_TAKES_VALUE = frozenset(
    {"-o", "-I", "-D", "-U", "-include", "-imacros", "-isystem", "-iquote", "-idirafter", "-MF", "-MT", "-MQ",
     "-x", "-L", "-l", "-Xlinker", "-Xassembler", "-Xpreprocessor", "--param", "-aux-info", "-arch", "-target"}
)  # fmt: skip
_NOT_A_COMPILE = frozenset({"-E", "-M", "-MM", "-cc1", "-cc1as", "--version", "-v", "-dumpversion", "-dumpmachine"})


def is_compiler(argv: list[str]) -> bool:
    return bool(argv) and COMPILER.match(posixpath.basename(argv[0])) is not None


def is_wrapper(argv: list[str]) -> bool:
    return len(argv) > 1 and posixpath.basename(argv[0]) in WRAPPERS and is_compiler(argv[1:])


def _source_positions(argv: list[str]) -> list[int]:
    found = []
    skip = False
    for index, arg in enumerate(argv[1:], 1):
        if skip:
            skip = False
            continue
        if arg in _TAKES_VALUE:
            skip = True
        elif not arg.startswith("-") and posixpath.splitext(arg)[1] in SOURCE_SUFFIXES:
            found.append(index)
    return found


def source_files(argv: list[str]) -> list[str]:
    """The source files named on a compiler command line."""
    return [argv[index] for index in _source_positions(argv)]


def output_option(argv: list[str]) -> str | None:
    """The -o file (`-o FILE` or `-oFILE`; the last one wins, as in gcc)."""
    found = None
    skip = False
    for index, arg in enumerate(argv[1:], 1):
        if skip:
            skip = False
        elif arg == "-o":
            if index + 1 < len(argv):
                found = argv[index + 1]
            skip = True
        elif arg.startswith("-o") and len(arg) > 2:
            found = arg[2:]
        elif arg in _TAKES_VALUE:
            skip = True
    return found


def compile_output(argv: list[str], source: str | None = None) -> list[str]:
    """What the command writes for `source` (or for each of its sources)."""
    explicit = output_option(argv)
    if explicit is not None:
        return [explicit]
    if "-c" in argv or "-S" in argv:
        suffix = ".o" if "-c" in argv else ".s"
        sources = [source] if source is not None else source_files(argv)
        return [posixpath.splitext(posixpath.basename(path))[0] + suffix for path in sources]
    return ["a.out"]


def entries(tree: ProcessTree, *, keep_missing: bool = False) -> list[dict[str, Any]]:
    """compile_commands.json entries, in the order the compilers started."""
    found: list[tuple[int, dict[str, Any]]] = []
    for _level, proc in tree.walk():
        found.extend(_process_entries(proc))
    found.sort(key=lambda item: item[0])
    out: list[dict[str, Any]] = []
    seen: set[tuple[Any, ...]] = set()
    for _start, entry in found:
        key = (entry["directory"], entry["file"], entry.get("output"), tuple(entry["arguments"]))
        if key in seen:
            continue
        seen.add(key)
        if not keep_missing and not os.path.exists(entry["file"]):
            continue
        out.append(entry)
    return out


def _runs_compiler(info: ExecInfo) -> bool:
    argv = [text(a) for a in info.argv]
    return is_compiler(argv) or is_wrapper(argv)


def _inside_compiler(proc: Process) -> bool:
    parent = proc.parent
    while parent is not None:
        if any(_runs_compiler(info) for info in parent.execs):
            return True
        parent = parent.parent
    return False


def _wrapped_compiler(wrapper: Process, name: str, directory: str) -> str:
    """The absolute path of the compiler a wrapper (ccache gcc ...) was given:
    the compiler it ran, or on a cache hit, where it runs none, a PATH search
    (here, at analysis time: the trace does not hold the environment)."""
    if "/" in name:
        return posixpath.normpath(posixpath.join(directory, name))
    for _level, proc in wrapper.walk():
        for info in proc.execs if proc is not wrapper else ():
            if info.filename is not None and posixpath.basename(text(info.filename)) == name:
                return posixpath.normpath(posixpath.join(directory, text(info.filename)))
    return shutil.which(name) or name


def _process_entries(proc: Process) -> list[tuple[int, dict[str, Any]]]:
    out: list[tuple[int, dict[str, Any]]] = []
    for info in proc.execs:
        argv = [text(a) for a in info.argv]
        if info.cwd is None or not _runs_compiler(info):
            continue
        directory = text(info.cwd)
        if is_wrapper(argv):
            argv = argv[1:]
            program = _wrapped_compiler(proc, argv[0], directory)
        else:
            # execve's own file name: absolute after a PATH search, else
            # relative to the working directory.
            filename = text(info.filename) if info.filename is not None else argv[0]
            program = posixpath.normpath(posixpath.join(directory, filename))
        if _NOT_A_COMPILE.intersection(argv) or _inside_compiler(proc):
            continue
        positions = _source_positions(argv)
        for position in positions:
            others = set(positions) - {position}
            arguments = [program] + [arg for index, arg in enumerate(argv[1:], 1) if index not in others]
            source = argv[position]
            entry: dict[str, Any] = {
                "directory": directory,
                "arguments": arguments,
                "file": posixpath.normpath(posixpath.join(directory, source)),
            }
            (target,) = compile_output(argv, source)[:1]
            entry["output"] = posixpath.normpath(posixpath.join(directory, target))
            out.append((info.ts, entry))
    return out
