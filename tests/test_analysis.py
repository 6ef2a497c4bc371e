"""The analysis library on hand-made event streams: pairing calls, the
process tree (pid reuse, children seen before their spawn, threads), paths
through cwd and fds, file classification, compile commands and filters."""

from __future__ import annotations

import pytest

import atrace
from atrace.analysis import build_tree, calls, pair_calls, split_by_process, split_by_task
from atrace.analysis.compile_db import entries, is_compiler, source_files
from atrace.analysis.files import file_accesses
from atrace.analysis.select import FilterError, Selection, parse_statuses, parse_trace_set, select
from atrace.analysis.summary import count, format_table
from atrace.events import records as R

AT_FDCWD = 4294967196  # -100 as the register holds it
O_WRONLY_CREAT_TRUNC = 0o1101
O_DIRECTORY = 0o200000


def entry(ts: int, tid: int, name: str, args: tuple[int, ...] = (0,) * 6, data=None, tgid: int | None = None,
          nr: int | None = None) -> R.SyscallEntry:  # fmt: skip
    from atrace.syscalls import by_name

    number = nr if nr is not None else by_name(0, name).nr  # type: ignore[union-attr]
    return R.SyscallEntry(R.SYSCALL_ENTRY, ts, tid, tgid or tid, 0, number, name, list(args) + [0] * (6 - len(args)),
                          data)  # fmt: skip


def ret(ts: int, tid: int, value: int, tgid: int | None = None) -> R.SyscallExit:
    return R.SyscallExit(R.SYSCALL_EXIT, ts, tid, tgid or tid, 0, value, None)


def spawn(ts: int, parent: int, child: int, thread: bool = False) -> R.Spawn:
    return R.Spawn(R.SPAWN, ts, parent, parent, child, parent if thread else child, "clone" if thread else "fork",
                   0x10F00 if thread else 0)  # fmt: skip


def exec_(ts: int, pid: int, argv: list[str], cwd: str = "/src", old_tid: int | None = None) -> R.Exec:
    return R.Exec(R.EXEC, ts, pid, pid, old_tid or pid, "/usr/bin/" + argv[0], argv, cwd)


def exit_(ts: int, tid: int, code: int | None = 0, signal: int | None = None, tgid: int | None = None) -> R.Exit:
    return R.Exit(R.EXIT, ts, tid, tgid or tid, code, signal, False)


def test_pair_calls_durations_errors_and_unfinished() -> None:
    events = [
        entry(100, 1, "openat", (AT_FDCWD,), {"filename": "a"}),
        entry(110, 2, "read"),
        ret(150, 1, -2),
        ret(400, 2, 5),
        entry(500, 2, "read"),
        exit_(600, 2),
        entry(700, 1, "close"),
    ]
    done = list(calls(events))
    assert [(c.name, c.tid, c.duration, c.errno, c.error, c.unfinished) for c in done] == [
        ("openat", 1, 50, 2, "ENOENT", False),
        ("read", 2, 290, None, None, False),
        ("read", 2, None, None, None, True),  # its task exited inside it
        ("close", 1, None, None, None, True),  # the trace ended inside it
    ]
    mixed = list(pair_calls(events, passthrough=True))
    assert isinstance(mixed[2], atrace.analysis.Call) and mixed[2].unfinished and isinstance(mixed[3], R.Exit)


def test_exec_by_a_thread_moves_its_call_to_the_leader() -> None:
    events = [
        entry(1, 10, "futex"),  # the leader blocks
        entry(2, 11, "execve", tgid=10, data={"filename": "/bin/true"}),
        exec_(3, 10, ["true"], old_tid=11),
        ret(4, 10, 0),
    ]
    done = list(calls(events))
    assert [(c.name, c.unfinished) for c in done] == [("futex", True), ("execve", False)]


def test_split_by_task_and_process() -> None:
    events = [entry(1, 1, "read"), entry(2, 3, "read", tgid=1), ret(3, 1, 0), ret(4, 3, 0, tgid=1)]
    assert {tid: len(evs) for tid, evs in split_by_task(events).items()} == {1: 2, 3: 2}
    assert {pid: len(evs) for pid, evs in split_by_process(events).items()} == {1: 4}


def test_tree_links_children_reported_before_their_spawn_and_keeps_reused_pids_apart() -> None:
    events = [
        exec_(1, 1, ["make"]),
        entry(2, 2, "getpid"),  # the child's first stop comes before the spawn record
        spawn(3, 1, 2),
        exec_(4, 2, ["gcc", "-c", "a.c"]),
        exec_(5, 2, ["cc1", "a.c"]),  # a second exec in the same process
        exit_(6, 2, 1),
        spawn(7, 1, 3, thread=True),
        exit_(8, 3, tgid=1),
        spawn(9, 1, 2),  # pid 2 reused
        exec_(10, 2, ["ld"]),
        exit_(11, 2, None, signal=9),
        exit_(12, 1, 0),
    ]
    tree = build_tree(events)
    assert [p.pid for p in tree.roots] == [1]
    make = tree.roots[0]
    assert [(c.pid, [e.argv[0] for e in c.execs]) for c in make.children] == [(2, ["gcc", "cc1"]), (2, ["ld"])]
    first, second = make.children
    assert (first.exit_code, first.failed, first.start, first.end) == (1, True, 2, 6)
    assert (second.signal, second.failed, second.ppid) == (9, True, 1)
    assert 3 not in [p.pid for p in tree.all]  # a thread is not a process
    assert [(depth, p.pid) for depth, p in tree.walk()] == [(0, 1), (1, 2), (1, 2)]
    assert make.duration == 11 and not make.failed


def test_files_follow_cwd_dirfd_and_renames() -> None:
    events = [
        exec_(1, 1, ["tool"], cwd="/w"),
        entry(2, 1, "openat", (AT_FDCWD, 0, 0), {"filename": "in.c"}),
        ret(3, 1, 3),
        entry(4, 1, "openat", (AT_FDCWD, 0, O_DIRECTORY), {"filename": "sub"}),
        ret(5, 1, 4),
        entry(6, 1, "openat", (4, 0, O_WRONLY_CREAT_TRUNC), {"filename": "tmp.o"}),
        ret(7, 1, 5),
        entry(8, 1, "rename", (), {"oldname": "sub/tmp.o", "newname": "sub/out.o"}),
        ret(9, 1, 0),
        entry(10, 1, "chdir", (), {"filename": "/x"}),
        ret(11, 1, 0),
        entry(12, 1, "stat", (), {"filename": "missing.h"}),
        ret(13, 1, -2),
        entry(14, 1, "unlink", (), {"pathname": "old"}),
        ret(15, 1, 0),
        exit_(16, 1),
    ]
    report = file_accesses(events)
    total = report.total()
    assert list(total.read) == ["/w/in.c"]
    assert list(total.written) == ["/w/sub/tmp.o", "/w/sub/out.o"]
    assert list(total.created) == ["/w/sub/tmp.o"]
    assert total.renamed == [("/w/sub/tmp.o", "/w/sub/out.o")]
    assert list(total.missing) == ["/x/missing.h"]
    assert list(total.deleted) == ["/x/old"]
    assert list(total.executed) == ["/usr/bin/tool"]


def test_compile_db_helpers_and_entries() -> None:
    assert all(is_compiler([name]) for name in ["gcc", "/usr/bin/cc", "x86_64-linux-gnu-gcc-12", "clang++", "c++"])
    assert not any(is_compiler([name]) for name in ["cc1", "collect2", "ld", "gcc-ar", "make"])
    assert source_files(["gcc", "-o", "x.c", "-I", "inc.c", "-c", "a.c", "b.cpp", "-MF", "d.c"]) == ["a.c", "b.cpp"]
    events = [
        exec_(1, 1, ["make"], cwd="/p"),
        spawn(2, 1, 2),
        exec_(3, 2, ["gcc", "-c", "-o", "a.o", "a.c"], cwd="/p"),
        spawn(4, 2, 3),
        exec_(5, 3, ["gcc", "-E", "b.c"], cwd="/p"),  # only preprocessing, and inside a compiler
        spawn(6, 1, 4),
        exec_(7, 4, ["gcc", "-o", "app", "a.o"], cwd="/p"),  # a link: no source
    ]
    assert entries(build_tree(events), keep_missing=True) == [
        {"directory": "/p", "arguments": ["/usr/bin/gcc", "-c", "-o", "a.o", "a.c"], "file": "/p/a.c",
         "output": "/p/a.o"}
    ]  # fmt: skip
    assert entries(build_tree(events)) == []  # /p/a.c does not exist (any more)


def test_child_exit_before_its_spawn_is_linked_not_a_root() -> None:
    """The kernel can report a short-lived child's whole life before its
    parent's fork event: it is one child of its parent, not an extra root
    plus a phantom child that never ends."""
    events = [
        exec_(1, 1, ["make"]),
        exec_(2, 2, ["true"]),
        exit_(3, 2, 0),
        spawn(4, 1, 2),
        exit_(5, 1, 0),
    ]
    tree = build_tree(events)
    assert [p.pid for p in tree.roots] == [1]
    (child,) = tree.roots[0].children
    assert (child.pid, child.exit_code, child.start, child.end, child.argv) == (2, 0, 2, 3, ["true"])
    assert len(tree.all) == 2
    # a pid reused later by a different child is still a new process
    events += [exec_(6, 7, ["sh"]), spawn(7, 7, 2), exit_(8, 2, 1), exit_(9, 7, 0)]
    tree = build_tree(events)
    assert [(p.pid, p.exit_code) for p in tree.all] == [(1, 0), (2, 0), (7, 0), (2, 1)]


def test_summary_table() -> None:
    events = [entry(0, 1, "read"), ret(1000, 1, 1), entry(2000, 1, "read"), ret(5000, 1, -9), entry(6000, 1, "close"),
              ret(6000, 1, 0)]  # fmt: skip
    table = count(calls(events))
    assert (table["read"].calls, table["read"].errors, table["read"].time_ns) == (2, 1, 4000)
    text = format_table(table)
    lines = text.splitlines()
    assert lines[2].split() == ["100.00", "0.000004", "2", "2", "1", "read"]
    assert lines[-1].split()[-3:] == ["3", "1", "total"]


def test_filter_expressions() -> None:
    names, negate = parse_trace_set("%file,read")
    assert {"openat", "execve", "read"} <= names and "mmap" not in names and not negate
    assert parse_trace_set("!write") == (frozenset({"write"}), True)
    with pytest.raises(FilterError):
        parse_trace_set("nosuchcall")
    with pytest.raises(FilterError):
        parse_statuses("sometimes")


def test_select_by_status_pid_and_path() -> None:
    events = [
        entry(1, 1, "openat", (AT_FDCWD,), {"filename": "/a"}),
        ret(2, 1, -2),
        entry(3, 1, "openat", (AT_FDCWD,), {"filename": "/b"}),
        ret(4, 1, 3),
        entry(5, 1, "read", (3,)),
        ret(6, 1, 10),
        spawn(7, 1, 2),
        entry(8, 2, "getpid"),
        ret(9, 2, 2),
        entry(10, 5, "getpid"),
        ret(11, 5, 5),
    ]
    failed = [e for e in select(events, Selection(statuses=frozenset({"failed"}))) if isinstance(e, R.SyscallExit)]
    assert [e.ret for e in failed] == [-2]
    family = list(select(events, Selection(pids=frozenset({1}), descendants=True)))
    assert {e.tid for e in family if isinstance(e, R.SyscallEntry)} == {1, 2}
    on_b = [e for e in select(events, Selection(paths=frozenset({"/b"}))) if isinstance(e, R.SyscallEntry)]
    assert [e.name for e in on_b] == ["openat", "read"]  # read(3) is /b through its fd
