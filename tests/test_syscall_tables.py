"""Tests of the syscall tables (atrace.syscalls) against known facts."""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import pytest

from atrace.syscalls import (
    ARCH_I386,
    ARCH_X32,
    ARCH_X86_64,
    CLASSES,
    KINDS,
    X32_SYSCALL_BIT,
    Syscall,
    _i386,
    _x86_64,
    by_name,
    lookup,
    names,
    table,
)

ROOT = Path(__file__).resolve().parent.parent
ASM_DIR = Path("/usr/include/x86_64-linux-gnu/asm")
ROWS = {ARCH_X86_64: _x86_64.ROWS, ARCH_I386: _i386.ROWS}
HEADERS = {ARCH_X86_64: "unistd_64.h", ARCH_I386: "unistd_32.h"}
ARCHES = [ARCH_X86_64, ARCH_I386, ARCH_X32]


def calls(arch: int) -> list[Syscall]:
    return [call for call in table(arch) if call is not None]


def read_header(arch: int) -> dict[str, int]:
    path = ASM_DIR / HEADERS[arch]
    if not path.exists():
        pytest.skip(f"{path} is not installed")
    text = path.read_text()
    return {m[1]: int(m[2]) for m in re.finditer(r"#define __NR_(\w+) (\d+)\b", text)}


@pytest.mark.parametrize("arch", [ARCH_X86_64, ARCH_I386])
def test_numbers_agree_with_asm_headers(arch: int) -> None:
    header = read_header(arch)
    assert len(header) > 300
    for name, nr in header.items():
        call = by_name(arch, name)
        assert call is not None, f"{name} ({nr}) missing"
        assert call.nr == nr, name


@pytest.mark.parametrize("arch", [ARCH_X86_64, ARCH_I386])
def test_rows_are_sorted_and_unique(arch: int) -> None:
    numbers = [row[0] for row in ROWS[arch]]
    row_names = [row[1] for row in ROWS[arch]]
    assert numbers == sorted(set(numbers))
    assert len(row_names) == len(set(row_names))


@pytest.mark.parametrize("arch", ARCHES)
def test_names_are_unique(arch: int) -> None:
    assert len(names(arch)) == len(calls(arch))


@pytest.mark.parametrize("arch", ARCHES)
def test_vocabulary(arch: int) -> None:
    for call in calls(arch):
        assert call.classes <= CLASSES, call.name
        assert len(call.args) <= 6, call.name
        arg_names = [arg.name for arg in call.args]
        assert len(arg_names) == len(set(arg_names)), call.name
        for arg in call.args:
            assert arg.name.isidentifier(), call.name
            assert arg.kind in KINDS, (call.name, arg.kind)


def test_every_kind_is_used() -> None:
    used = {arg.kind for arch in ARCHES for call in calls(arch) for arg in call.args}
    assert used == KINDS


def test_every_class_is_used() -> None:
    used = set().union(*(call.classes for call in calls(ARCH_X86_64)))
    assert used == CLASSES


@pytest.mark.parametrize("arch", [ARCH_X86_64, ARCH_I386])
def test_argument_conventions(arch: int) -> None:
    """Kinds that refer to a neighbouring argument have that neighbour."""
    follower = {
        "buf_in": {"size"},
        "sockaddr_in": {"size"},
        "sockaddr_out": {"ptr"},
        "iov_in": {"ulong", "uint"},
        "iov_out": {"ulong", "uint"},
        "pollfd": {"uint"},
    }
    for call in calls(arch):
        kinds = [arg.kind for arg in call.args] + ["(end)"]
        for i, kind in enumerate(kinds[:-1]):
            if kind in follower:
                assert kinds[i + 1] in follower[kind], (call.name, kind)
            if kind in ("split_lo", "split_hi"):
                pair = {"split_lo", "split_hi"}
                neighbours = {kinds[i - 1] if i else "", kinds[i + 1]}
                assert pair - {kind} <= neighbours, (call.name, kind)


def get(arch: int, key: int | str) -> Syscall:
    """The call with that number or name, which must exist."""
    call = lookup(arch, key) if isinstance(key, int) else by_name(arch, key)
    assert call is not None, key
    return call


def args(call: Syscall) -> list[str]:
    return [f"{arg.name}:{arg.kind}" for arg in call.args]


def test_well_known_rows() -> None:
    openat = get(ARCH_X86_64, 257)
    assert openat.name == "openat"
    assert args(openat) == ["dfd:dirfd", "filename:path", "flags:open_flags", "mode:mode"]
    execve = get(ARCH_X86_64, 59)
    assert execve.name == "execve" and len(execve.args) == 3
    assert args(execve) == ["filename:path", "argv:argv", "envp:envp"]
    assert args(get(ARCH_X86_64, 0)) == ["fd:fd", "buf:buf_out", "count:size"]
    assert args(get(ARCH_X86_64, 1)) == ["fd:fd", "buf:buf_in", "count:size"]
    assert args(get(ARCH_X86_64, "wait4"))[1:] == ["stat_addr:wait_status_out", "options:wait_options", "ru:rusage_out"]
    assert by_name(ARCH_X86_64, "newfstatat") == lookup(ARCH_X86_64, 262)
    assert by_name(ARCH_X86_64, "exit_group") == lookup(ARCH_X86_64, 231)

    i386_execve = get(ARCH_I386, 11)
    assert i386_execve.name == "execve"
    assert args(i386_execve) == args(execve)
    socketcall = get(ARCH_I386, 102)
    assert socketcall.name == "socketcall"
    assert args(socketcall) == ["call:int", "args:socketcall_args"]
    for arch in (ARCH_X86_64, ARCH_I386):
        clone3 = get(arch, 435)
        assert clone3.name == "clone3"
        assert args(clone3) == ["uargs:clone_args", "size:size"]
    assert by_name(ARCH_X86_64, "socketcall") is None
    assert by_name(ARCH_I386, "newfstatat") is None


def test_abi_differences_between_x86_64_and_i386() -> None:
    # i386 has CONFIG_CLONE_BACKWARDS: tls comes before child_tidptr.
    assert [a.name for a in get(ARCH_X86_64, 56).args] == [
        "clone_flags",
        "newsp",
        "parent_tidptr",
        "child_tidptr",
        "tls",
    ]
    assert [a.name for a in get(ARCH_I386, 120).args] == [
        "clone_flags",
        "newsp",
        "parent_tidptr",
        "tls",
        "child_tidptr",
    ]
    # 64-bit file offsets take two registers on i386.
    assert args(get(ARCH_X86_64, "pread64"))[3:] == ["pos:off"]
    assert args(get(ARCH_I386, "pread64"))[3:] == ["poslo:split_lo", "poshi:split_hi"]
    # i386's mmap (90) is the old one-pointer form; mmap2 has the six registers.
    assert args(get(ARCH_I386, 90)) == ["arg:ptr"]
    assert len(get(ARCH_I386, "mmap2").args) == 6


NEW_CALLS = [
    "pidfd_send_signal",
    "io_uring_setup",
    "io_uring_enter",
    "io_uring_register",
    "open_tree",
    "move_mount",
    "fsopen",
    "fsconfig",
    "fsmount",
    "fspick",
    "pidfd_open",
    "clone3",
    "close_range",
    "openat2",
    "pidfd_getfd",
    "faccessat2",
    "process_madvise",
    "epoll_pwait2",
    "mount_setattr",
    "quotactl_fd",
    "landlock_create_ruleset",
    "landlock_add_rule",
    "landlock_restrict_self",
    "memfd_secret",
    "process_mrelease",
    "futex_waitv",
    "set_mempolicy_home_node",
    "cachestat",
    "fchmodat2",
    "map_shadow_stack",
    "futex_wake",
    "futex_wait",
    "futex_requeue",
    "statmount",
    "listmount",
    "lsm_get_self_attr",
    "lsm_set_self_attr",
    "lsm_list_modules",
    "mseal",
    "setxattrat",
    "getxattrat",
    "listxattrat",
    "removexattrat",
    "open_tree_attr",
]


@pytest.mark.parametrize("arch", [ARCH_X86_64, ARCH_I386, ARCH_X32])
def test_4xx_range_is_complete(arch: int) -> None:
    assert [get(arch, nr).name for nr in range(424, 468)] == NEW_CALLS


def test_x86_64_range_0_to_334_has_no_holes() -> None:
    assert all(lookup(ARCH_X86_64, nr) is not None for nr in range(335))
    assert lookup(ARCH_X86_64, 400) is None


# Memberships checked by hand against strace 6.1 (strace -e trace=%CLASS), and
# for every call by `python scripts/gen_syscall_tables.py --check-strace`.
KNOWN_CLASSES = {
    "read": {"desc"},
    "openat": {"desc", "file"},
    "open": {"desc", "file"},
    "execve": {"file", "process"},
    "execveat": {"desc", "file", "process"},
    "clone": {"process"},
    "clone3": {"process"},
    "newfstatat": {"desc", "file", "fstat", "stat_like"},
    "statx": {"desc", "file", "fstat", "stat_like"},
    "stat": {"file", "stat", "stat_like"},
    "lstat": {"file", "lstat", "stat_like"},
    "fstatfs": {"desc", "fstatfs", "statfs_like"},
    "statfs": {"file", "statfs", "statfs_like"},
    "ustat": {"statfs_like"},
    "mmap": {"desc", "memory"},
    "shmat": {"ipc", "memory"},
    "socket": {"network"},
    "sendfile": {"desc", "network"},
    "kill": {"process", "signal"},
    "rt_sigaction": {"signal"},
    "gettimeofday": {"clock"},
    "clock_gettime": {"clock"},
    "getpid": {"pure"},
    "getuid": {"creds", "pure"},
    "setuid": {"creds"},
    "prctl": {"creds"},
    "nanosleep": set(),
    "close_range": set(),
}


@pytest.mark.parametrize(("name", "classes"), sorted(KNOWN_CLASSES.items()))
def test_known_class_memberships(name: str, classes: set[str]) -> None:
    assert get(ARCH_X86_64, name).classes == classes


def test_i386_shares_classes_by_name() -> None:
    assert get(ARCH_I386, "stat64").classes == {"file", "stat", "stat_like"}
    assert get(ARCH_I386, "getuid32").classes == {"creds", "pure"}
    for call in calls(ARCH_I386):
        native = by_name(ARCH_X86_64, call.name)
        if native is not None:
            assert call.classes == native.classes, call.name


def test_x32() -> None:
    execve = get(ARCH_X32, X32_SYSCALL_BIT | 520)
    assert execve.name == "execve" and execve.nr == 520
    assert execve.args == get(ARCH_X86_64, "execve").args
    assert get(ARCH_X32, X32_SYSCALL_BIT | 0).name == "read"
    # x86_64-only numbers: x32 uses its own number for these.
    assert lookup(ARCH_X32, X32_SYSCALL_BIT | 13) is None
    assert by_name(ARCH_X32, "rt_sigaction") == lookup(ARCH_X32, X32_SYSCALL_BIT | 512)
    assert get(ARCH_X32, X32_SYSCALL_BIT | 435).name == "clone3"


def test_lookup_edges() -> None:
    assert lookup(ARCH_X86_64, -1) is None
    assert lookup(ARCH_X86_64, 10_000) is None
    assert lookup(ARCH_I386, 222) is None  # unused slot
    assert by_name(ARCH_X86_64, "no_such_call") is None
    with pytest.raises(ValueError):
        table(7)


def test_tables_are_cached() -> None:
    assert table(ARCH_X86_64) is table(ARCH_X86_64)
    assert names(ARCH_I386) is names(ARCH_I386)
    assert "openat" in names(ARCH_I386)


def load_generator() -> ModuleType:
    path = ROOT / "scripts" / "gen_syscall_tables.py"
    spec = importlib.util.spec_from_file_location("gen_syscall_tables", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(("arch", "rows"), [("x86_64", _x86_64.ROWS), ("i386", _i386.ROWS)])
def test_generated_modules_are_up_to_date(arch: str, rows: Sequence[tuple[int, str, str, tuple[str, ...]]]) -> None:
    if not (ASM_DIR / "unistd_64.h").exists():
        pytest.skip("asm headers are not installed")
    gen = load_generator()
    assert gen.rows(arch, ASM_DIR) == list(rows), "rerun python scripts/gen_syscall_tables.py"
