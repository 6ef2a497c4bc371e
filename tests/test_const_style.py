"""-X raw|abbrev|verbose (--const-print-style=), -e raw=, -e abbrev=/-v and
-e verbose=: how constants, flags, modes, signals and structs are printed.

Each test traces tests/programs/xstyle_calls.c, whose calls have fixed
results, and compares exact lines; where strace is installed, the same
arguments are given to strace and its lines must be the same (both runs are
checked to have traced the program)."""

from __future__ import annotations

import re
import shutil

import pytest
from conftest import atrace_argv, describe, read_header, run

FIRST = 'openat(AT_FDCWD, "/dev/null", O_RDONLY|O_CLOEXEC)'

# The program's calls after the loader's (which differ between libcs), as
# strace 6.1 prints them in each style.
EXPECTED = {
    "abbrev": [
        'openat(AT_FDCWD, "/dev/null", O_RDONLY|O_CLOEXEC) = 3',
        "lseek(3, 0, SEEK_END) = 0",
        "fstat(3, {st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}) = 0",
        "mprotect(0x10000, 0, PROT_READ|PROT_EXEC) = 0",
        "mprotect(0x10000, 0, PROT_NONE) = 0",
        "mmap(NULL, 0, PROT_NONE, MAP_FILE, -1, 0) = -1 EBADF (Bad file descriptor)",
        "umask(022) = 022",
        "umask(07777) = 022",
        "umask(022) = 0777",
        "rt_sigprocmask(SIG_BLOCK, [INT TERM], NULL, 8) = 0",
        "kill(2147483632, SIGUSR1) = -1 ESRCH (No such process)",
        'mknod("/nonexistent/xstyle", S_IFCHR|0600, makedev(0x1, 0x7)) = -1 ENOENT (No such file or directory)',
        'mknod("/nonexistent/xstyle", S_IFIFO|S_ISUID|0644) = -1 ENOENT (No such file or directory)',
        "eventfd2(0, EFD_CLOEXEC|EFD_NONBLOCK) = 4",
        "socket(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC, 0) = 5",
        'memfd_create("xstyle", 30<<MFD_HUGE_SHIFT) = -1 EINVAL (Invalid argument)',
        'unlinkat(AT_FDCWD, "/nonexistent/xstyle", AT_REMOVEDIR) = -1 ENOENT (No such file or directory)',
        "nanosleep({tv_sec=0, tv_nsec=1000}, NULL) = 0",
    ],
    "raw": [
        'openat(-100, "/dev/null", 0x80000) = 3',
        "lseek(3, 0, 0x2) = 0",
        "fstat(3, {st_mode=020666, st_rdev=0x103, ...}) = 0",
        "mprotect(0x10000, 0, 0x5) = 0",
        "mprotect(0x10000, 0, 0) = 0",
        "mmap(NULL, 0, 0, 0, -1, 0) = -1 EBADF (Bad file descriptor)",
        "umask(022) = 022",
        "umask(07777) = 022",
        "umask(022) = 0777",
        "rt_sigprocmask(0, [2 15], NULL, 8) = 0",
        "kill(2147483632, 10) = -1 ESRCH (No such process)",
        'mknod("/nonexistent/xstyle", 020600, 0x107) = -1 ENOENT (No such file or directory)',
        'mknod("/nonexistent/xstyle", 014644) = -1 ENOENT (No such file or directory)',
        "eventfd2(0, 0x80800) = 4",
        "socket(0x1, 0x1|0x80000, 0) = 5",
        'memfd_create("xstyle", 0x78000000) = -1 EINVAL (Invalid argument)',
        'unlinkat(-100, "/nonexistent/xstyle", 0x200) = -1 ENOENT (No such file or directory)',
        "nanosleep({tv_sec=0, tv_nsec=1000}, NULL) = 0",
    ],
    "verbose": [
        'openat(-100 /* AT_FDCWD */, "/dev/null", 0x80000 /* O_RDONLY|O_CLOEXEC */) = 3',
        "lseek(3, 0, 0x2 /* SEEK_END */) = 0",
        "fstat(3, {st_mode=020666 /* S_IFCHR|0666 */, st_rdev=0x103 /* makedev(0x1, 0x3) */, ...}) = 0",
        "mprotect(0x10000, 0, 0x5 /* PROT_READ|PROT_EXEC */) = 0",
        "mprotect(0x10000, 0, 0 /* PROT_NONE */) = 0",
        "mmap(NULL, 0, 0 /* PROT_NONE */, 0 /* MAP_FILE */, -1, 0) = -1 EBADF (Bad file descriptor)",
        "umask(022) = 022",
        "umask(07777) = 022",
        "umask(022) = 0777",
        "rt_sigprocmask(0 /* SIG_BLOCK */, [2 /* INT */ 15 /* TERM */], NULL, 8) = 0",
        "kill(2147483632, 10 /* SIGUSR1 */) = -1 ESRCH (No such process)",
        'mknod("/nonexistent/xstyle", 020600 /* S_IFCHR|0600 */, 0x107 /* makedev(0x1, 0x7) */)'
        " = -1 ENOENT (No such file or directory)",
        'mknod("/nonexistent/xstyle", 014644 /* S_IFIFO|S_ISUID|0644 */) = -1 ENOENT (No such file or directory)',
        "eventfd2(0, 0x80800 /* EFD_CLOEXEC|EFD_NONBLOCK */) = 4",
        "socket(0x1 /* AF_UNIX */, 0x1 /* SOCK_STREAM */|0x80000 /* SOCK_CLOEXEC */, 0) = 5",
        'memfd_create("xstyle", 0x78000000 /* 30<<MFD_HUGE_SHIFT */) = -1 EINVAL (Invalid argument)',
        'unlinkat(-100 /* AT_FDCWD */, "/nonexistent/xstyle", 0x200 /* AT_REMOVEDIR */)'
        " = -1 ENOENT (No such file or directory)",
        "nanosleep({tv_sec=0, tv_nsec=1000}, NULL) = 0",
    ],
}


def _calls(text: str) -> list[str]:
    """The program's own lines (from its openat of /dev/null to its exit),
    alignment spaces squeezed (-a0 keeps one)."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if '"/dev/null"' in line and line.startswith("openat(")), None)
    assert start is not None, text
    return [line for line in lines[start:] if not line.startswith(("exit_group(", "+++"))]


# Stack and heap addresses: they differ between two runs.
_ADDRESS = re.compile(r"0x[0-9a-f]{9,}")


def _both(program, *options: str) -> list[str]:
    """atrace's lines with these options; strace's must be the same."""
    prog = str(program("xstyle_calls"))
    proc = run(atrace_argv("-a0", *options, prog))
    assert proc.returncode == 0, describe(proc)
    lines = _calls(proc.stderr.decode())
    if shutil.which("strace"):
        real = run(["strace", "-a0", *options, prog])
        assert real.returncode == 0, describe(real)
        theirs = [_ADDRESS.sub("ADDR", line) for line in _calls(real.stderr.decode())]
        assert theirs == [_ADDRESS.sub("ADDR", line) for line in lines], (real.stderr.decode(), proc.stderr.decode())
    return lines


@pytest.mark.parametrize("style", ["abbrev", "raw", "verbose"])
def test_const_print_style(program, style):
    assert _both(program, "-X", style) == EXPECTED[style]


@pytest.mark.parametrize("spelling", [["-Xraw"], ["--const-print-style=raw"], ["--const-print-style", "raw"]])
def test_const_print_style_spellings(program, spelling):
    assert _both(program, *spelling) == EXPECTED["raw"]


def test_raw_calls(program):
    """-e raw=SET: those calls' arguments and return values as hex numbers,
    strings unread; the other calls decoded as usual."""
    lines = _both(program, "-e", "raw=lseek,umask", "-e", "trace=lseek,umask,eventfd2,openat")
    assert lines == [
        FIRST + " = 3",
        "lseek(0x3, 0, 0x2) = 0",
        "umask(0x12) = 0x12",
        "umask(0xfff) = 0x12",
        "umask(0x12) = 0x1ff",
        "eventfd2(0, EFD_CLOEXEC|EFD_NONBLOCK) = 4",
    ]
    mknod = _both(program, "--raw=mknod", "-e", "trace=openat,mknod")[1]
    assert re.fullmatch(r"mknod\(0x[0-9a-f]+, 0x2180, 0x107\) = -1 ENOENT \(No such file or directory\)", mknod)


@pytest.mark.parametrize("options", [["-v"], ["-e", "abbrev=none"], ["--no-abbrev"], ["-e", "abbrev=!fstat,lseek"]])
def test_structs_in_full(program, options):
    """-v and -e abbrev=SET (a call left out of the set) print stat whole."""
    lines = _both(program, *options, "-e", "trace=openat,fstat")
    whole = r"fstat\(3, \{st_dev=makedev\((?:0|0x[0-9a-f]+), (?:0|0x[0-9a-f]+)\), st_ino=\d+, st_mode=S_IFCHR\|0666, "
    assert re.fullmatch(whole + r"st_nlink=\d+, .*st_rdev=makedev\(0x1, 0x3\), .*\}\) = 0", lines[1]), lines


def test_abbrev_set_keeps_the_others_short(program):
    assert _both(program, "-e", "abbrev=fstat", "-e", "trace=openat,fstat") == [FIRST + " = 3", EXPECTED["abbrev"][2]]


def test_structs_not_fetched(program):
    """-e verbose=SET: a call outside it shows its struct's address."""
    lines = _both(program, "-e", "verbose=!fstat", "-e", "trace=openat,fstat,rt_sigprocmask")
    assert lines[0] == FIRST + " = 3"
    assert re.fullmatch(r"fstat\(3, 0x[0-9a-f]+\) = 0", lines[1]), lines
    assert lines[2] == EXPECTED["abbrev"][9]


def test_styles_recorded_for_tail(program, tmp_path):
    """With msgpack output the options are kept in the header, and `atrace
    tail` renders the trace with them (unless told otherwise)."""
    out = tmp_path / "t.atrace"
    options = ["-X", "verbose", "-e", "raw=lseek", "-e", "abbrev=none", "-e", "verbose=!mknod"]
    proc = run(atrace_argv(*options, "-o", out, str(program("xstyle_calls"))))
    assert proc.returncode == 0, describe(proc)
    recorded = read_header(out).meta["options"]
    assert recorded["const_style"] == "verbose" and recorded["raw"] == ["lseek"] and recorded["verbose"] is True
    assert "mknod" not in recorded["dereference"] and "fstat" in recorded["dereference"]
    shown = run(atrace_argv("tail", "--no-follow", "-a0", out))
    lines = _calls(shown.stdout.decode())
    assert lines[0] == EXPECTED["verbose"][0] and lines[1] == "lseek(0x3, 0, 0x2) = 0", lines
    assert "st_dev=" in lines[2] and "st_mode=020666 /* S_IFCHR|0666 */" in lines[2], lines
    assert lines[11].startswith('mknod("/nonexistent/xstyle", 020600 /* S_IFCHR|0600 */'), lines
    raw = run(atrace_argv("tail", "--no-follow", "-a0", "-X", "raw", out))
    assert _calls(raw.stdout.decode())[0] == EXPECTED["raw"][0], "tail's own -X wins over the header's"


@pytest.mark.parametrize(
    "options, message",
    [
        (["-X", "fancy"], "atrace: invalid -X argument: 'fancy'"),
        (["-e", "raw=nosuchcall"], "atrace: invalid system call 'nosuchcall'"),
        (["-e", "verbose=%nosuchclass"], "atrace: invalid system call '%nosuchclass'"),
    ],
)
def test_bad_values(program, options, message):
    proc = run(atrace_argv(*options, str(program("xstyle_calls"))))
    assert proc.returncode != 0 and proc.stdout == b"", describe(proc)
    assert proc.stderr.decode().splitlines() == [message], describe(proc)


def test_sets_by_number(program):
    """A syscall number names that call in a set (-e raw=8 is lseek on x86_64)."""
    assert _both(program, "-e", "raw=8", "-e", "trace=openat,lseek") == [FIRST + " = 3", "lseek(0x3, 0, 0x2) = 0"]


def test_decoded_structs_not_fetched(program):
    """-e verbose=SET also turns the structs of a call with a decoder of its
    own (nanosleep) into addresses, and of a plain call (rt_sigprocmask)."""
    lines = _both(program, "-e", "verbose=none", "-e", "trace=openat,rt_sigprocmask,nanosleep")
    assert re.fullmatch(r"rt_sigprocmask\(SIG_BLOCK, 0x[0-9a-f]+, NULL, 8\) = 0", lines[1]), lines
    assert re.fullmatch(r"nanosleep\(0x[0-9a-f]+, NULL\) = 0", lines[2]), lines
