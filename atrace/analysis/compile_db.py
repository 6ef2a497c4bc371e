"""compile_commands.json entries from the compiler invocations of a trace.

Bear finds compilations by preloading a library into the build, which
misses statically linked tools; the trace sees every execve whatever the
binary. An entry is made for each source file of each compiler exec,
except for the compiler's own helper runs (clang -cc1, a driver exec'd by
another compiler) and preprocessing- or dependency-only runs.
"""

from __future__ import annotations

import posixpath
import re
from typing import Any

from .paths import text
from .proctree import Process, ProcessTree

# gcc, cc, c++, g++, clang, clang++, with a target prefix and a version
# suffix (x86_64-linux-gnu-gcc-12, clang-16).
COMPILER = re.compile(r"^(?:[\w.]+-)*(?:gcc|cc|c\+\+|g\+\+|clang|clang\+\+)(?:-[\d.]+)?$")
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


def source_files(argv: list[str]) -> list[str]:
    """The source files named on a compiler command line."""
    found = []
    skip = False
    for arg in argv[1:]:
        if skip:
            skip = False
            continue
        if arg in _TAKES_VALUE:
            skip = True
        elif not arg.startswith("-") and posixpath.splitext(arg)[1] in SOURCE_SUFFIXES:
            found.append(arg)
    return found


def _output(argv: list[str]) -> str | None:
    for index, arg in enumerate(argv[:-1]):
        if arg == "-o":
            return argv[index + 1]
    return None


def entries(tree: ProcessTree) -> list[dict[str, Any]]:
    """compile_commands.json entries, in the order the compilers started."""
    out: list[dict[str, Any]] = []
    for _level, proc in tree.walk():
        out.extend(_process_entries(proc))
    out.sort(key=lambda entry: entry.pop("_start"))
    return out


def _inside_compiler(proc: Process) -> bool:
    parent = proc.parent
    while parent is not None:
        if any(is_compiler([text(a) for a in info.argv]) for info in parent.execs):
            return True
        parent = parent.parent
    return False


def _process_entries(proc: Process) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for info in proc.execs:
        argv = [text(a) for a in info.argv]
        if not is_compiler(argv) or info.cwd is None or _NOT_A_COMPILE.intersection(argv):
            continue
        if _inside_compiler(proc):
            continue
        directory = text(info.cwd)
        output = _output(argv)
        for source in source_files(argv):
            entry: dict[str, Any] = {
                "directory": directory,
                "arguments": argv,
                "file": posixpath.normpath(posixpath.join(directory, source)),
            }
            if "-c" in argv:
                # Without -o, gcc and clang write SOURCE's base name with .o.
                target = output or posixpath.splitext(posixpath.basename(source))[0] + ".o"
                entry["output"] = posixpath.normpath(posixpath.join(directory, target))
            entry["_start"] = info.ts
            out.append(entry)
    return out
