"""Decoding of signal calls and signal lines: sigaction, masks, sigaltstack, sigreturn's frame, siginfo."""

from __future__ import annotations

import struct
from typing import Any, cast

import pytest
from decoding_support import TraceeMemory, compact, line, plan, run, trace

from atrace.events import records as R
from atrace.render.fmt_signal import format_sigset
from atrace.render.text import TextOptions, TextRenderer
from atrace.syscalls import ARCH_I386, ARCH_X32, ARCH_X86_64, by_name
from atrace.tracer import decoding

EFAULT, EINVAL = -14, -22


# -- sigreturn ----------------------------------------------------------------

SP = 0x7000


def test_signals() -> None:
    assert format_sigset(0) == "[]"
    assert format_sigset((1 << 1) | (1 << 14)) == "[INT TERM]"
    assert format_sigset(~((1 << 1) | (3 << 31)) & (2**64 - 1)) == "~[INT RTMIN RT_1]"
    act = struct.pack("<QQQQ", 0x401000, 0x14000000, 0x7F00, 1 << 14)
    text = line("rt_sigaction", [10, 0x1000, 0, 8], 0, {"act": act})
    assert compact(text) == (
        "rt_sigaction(SIGUSR1, {sa_handler=0x401000, sa_mask=[TERM], sa_flags=SA_RESTORER|SA_RESTART, "
        "sa_restorer=0x7f00}, NULL, 8) = 0"
    )
    assert compact(line("rt_sigprocmask", [0, 0x10, 0, 8], 0, {"set": (1 << 9).to_bytes(8, "little")})) == (
        "rt_sigprocmask(SIG_BLOCK, [USR1], NULL, 8) = 0"
    )
    assert compact(line("kill", [42, 15], 0)) == "kill(42, SIGTERM) = 0"
    assert compact(line("tgkill", [42, 43, 6], 0)) == "tgkill(42, 43, SIGABRT) = 0"


def test_sigchld_cpu_times_get_seconds_when_not_zero() -> None:
    renderer = TextRenderer(TextOptions(personality_notes=False))
    extra = {"status": 0, "utime": 136, "stime": 0}
    text = renderer.render([(R.SIGNAL, 1, 10, 10, 17, 1, 11, 0, extra)])
    assert text == (
        "--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=11, si_uid=0, si_status=0, "
        "si_utime=136 /* 1.36 s */, si_stime=0} ---\n"
    )


# -- sigaltstack ---------------------------------------------------------------


def test_sigaltstack_x86_64_new_at_entry_old_at_exit() -> None:
    new = struct.pack("<Qi4xQ", 0x55701080E2A0, 0, 65536)
    old = struct.pack("<Qi4xQ", 0, 2, 0)
    memory = TraceeMemory({0x1000: new, 0x2000: old})
    assert trace("sigaltstack", memory, [0x1000, 0x2000], 0) == (
        "sigaltstack({ss_sp=0x55701080e2a0, ss_flags=0, ss_size=65536}, "
        "{ss_sp=NULL, ss_flags=SS_DISABLE, ss_size=0}) = 0"
    )
    assert trace("sigaltstack", memory, [0, 0x2000], 0) == (
        "sigaltstack(NULL, {ss_sp=NULL, ss_flags=SS_DISABLE, ss_size=0}) = 0"
    )


def test_sigaltstack_unknown_flags_failure_and_bad_pointer() -> None:
    odd = struct.pack("<Qi4xQ", 0x1000, 12345, 65536)
    memory = TraceeMemory({0x1000: odd, 0x2000: bytes(24)})
    assert trace("sigaltstack", memory, [0x1000, 0x2000], EINVAL) == (
        "sigaltstack({ss_sp=0x1000, ss_flags=SS_ONSTACK|0x3038, ss_size=65536}, 0x2000) = -1 EINVAL (Invalid argument)"
    )
    assert trace("sigaltstack", memory, [0x8, 0], EFAULT) == "sigaltstack(0x8, NULL) = -1 EFAULT (Bad address)"


def test_sigaltstack_i386_layout() -> None:
    memory = TraceeMemory(
        {0x1000: struct.pack("<III", 0x572B41A0, 1 << 31, 8192), 0x2000: struct.pack("<III", 0, 2, 0)}
    )
    text = trace("sigaltstack", memory, [0x1000, 0x2000], 0, ARCH_I386)
    assert text == (
        "sigaltstack({ss_sp=0x572b41a0, ss_flags=SS_AUTODISARM, ss_size=8192}, "
        "{ss_sp=NULL, ss_flags=SS_DISABLE, ss_size=0}) = 0"
    )
    assert memory.reads == [(0x1000, 12), (0x2000, 12)]


@pytest.mark.parametrize(
    ("name", "arch", "regions"),
    [
        ("rt_sigreturn", ARCH_X86_64, {SP + 296: struct.pack("<Q", 1 << 0 | 1 << 14)}),
        ("rt_sigreturn", ARCH_I386, {SP + 248: struct.pack("<Q", 1 << 0 | 1 << 14)}),
        ("sigreturn", ARCH_I386, {SP + 80: struct.pack("<I", 1 << 0 | 1 << 14), SP + 712: struct.pack("<I", 0)}),
    ],
)
def test_sigreturn_reads_the_mask_from_the_frame(
    monkeypatch: pytest.MonkeyPatch, name: str, arch: int, regions: dict[int, bytes]
) -> None:
    monkeypatch.setattr(decoding, "stack_pointer", lambda pid: SP)
    memory = TraceeMemory(regions)
    assert trace(name, memory, [], 0, arch) == f"{name}({{mask=[HUP TERM]}}) = 0"


def test_sigreturn_mask_high_word_holds_signals_33_to_64(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(decoding, "stack_pointer", lambda pid: SP)
    # Bit 1 of extramask[0] is signal 34, bit 0 of oldmask SIGHUP.
    memory = TraceeMemory({SP + 80: struct.pack("<I", 1), SP + 712: struct.pack("<I", 1 << 1)})
    assert trace("sigreturn", memory, [], 0, ARCH_I386) == "sigreturn({mask=[HUP RT_2]}) = 0"


def test_sigreturn_without_a_readable_frame(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(decoding, "stack_pointer", lambda pid: None)
    assert trace("rt_sigreturn", TraceeMemory({}), [], 0) == "rt_sigreturn() = 0"
    # x32 has plans of its own, and its frame a layout of its own: nothing is read.
    monkeypatch.setattr(decoding, "stack_pointer", lambda pid: SP)
    memory = TraceeMemory({SP + 296: struct.pack("<Q", 1)})
    entry, _ = run(plan("rt_sigreturn", memory, ARCH_X32), [], 0, ARCH_X32)
    assert entry == {} and memory.reads == []


def test_siginfo_in_and_out_by_abi() -> None:
    """rt_sigqueueinfo passes a siginfo_t in (read at entry), waitid has the
    kernel fill one (read at exit, shown once the call succeeded), each in
    its ABI's layout; a short or missing copy shows the address."""
    queued = struct.pack("<iii4xiIq", 10, 0, -1, 42, 0, 7) + bytes(96)
    memory = TraceeMemory({0x1000: queued})
    assert trace("rt_sigqueueinfo", memory, [42, 10, 0x1000], 0) == (
        "rt_sigqueueinfo(42, SIGUSR1, {si_signo=SIGUSR1, si_code=SI_QUEUE, si_pid=42, si_uid=0, si_int=7, "
        "si_ptr=0x7}) = 0"
    )
    child = struct.pack("<iiiiIiii", 17, 0, 1, 99, 0, 3, 0, 0) + bytes(96)
    memory = TraceeMemory({0x2000: child})
    assert trace("waitid", memory, [1, 99, 0x2000, 4], 0, ARCH_I386) == (
        "waitid(P_PID, 99, {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=99, si_uid=0, si_status=3, si_utime=0, "
        "si_stime=0}, WEXITED, NULL) = 0"
    )
    assert trace("waitid", memory, [1, 99, 0x2000, 4], -10, ARCH_I386) == (
        "waitid(P_PID, 99, 0x2000, WEXITED, NULL) = -1 ECHILD (No child processes)"
    )
    short = TraceeMemory({0x1000: queued[:40]})
    assert trace("rt_sigqueueinfo", short, [42, 10, 0x1000], 0) == "rt_sigqueueinfo(42, SIGUSR1, 0x1000) = 0"


def test_siginfo_sender_pid_by_comm_and_pid_namespace() -> None:
    """-Y and --pidns-translation look up a siginfo_t's si_pid (read where
    the ABI's union starts) and the line shows what they found."""
    queued = struct.pack("<iii4xiIq", 10, 0, -1, 42, 0, 7) + bytes(96)
    memory = TraceeMemory({0x1000: queued, 0x2000: struct.pack("<iiiiI", 17, 0, 1, 99, 0) + bytes(108)})
    decoder = decoding.Decoder(cast(Any, memory), 32, pid_comm=True, pidns=True)
    seen = decoder._si_pid_reader(lambda tid, value, field: f"{value} {field}")(1, ARCH_X86_64, [42, 10, 0x1000], 2)
    assert seen == "42 NSpid"
    i386 = decoder._si_pid_exit_reader(lambda tid, value, field: value, False)(1, [1, 99, 0x2000, 4, 0], 2, 0)
    assert i386 == 99
    entry_keys = {key for key, _, _ in decoder.plan_for(_call("rt_sigqueueinfo"), ARCH_X86_64).entry}
    exit_keys = {key for key, _, _ in decoder.plan_for(_call("waitid"), ARCH_X86_64).exit}
    assert {"uinfo_si_pid_comm", "uinfo_si_pid_pidns"} <= entry_keys
    assert {"infop_si_pid_comm", "infop_si_pid_pidns"} <= exit_keys
    text = _render_queued(queued, {"uinfo_si_pid_pidns": 1234, "uinfo_si_pid_comm": "sender"})
    assert "si_pid=42<sender> /* 1234 in strace's PID NS */, si_uid=0" in text


def _call(name: str) -> Any:
    found = by_name(ARCH_X86_64, name)
    assert found is not None
    return found


def _render_queued(raw: bytes, more: dict[str, Any]) -> str:
    call = _call("rt_sigqueueinfo")
    renderer = TextRenderer(TextOptions(personality_notes=False))
    events = [
        (
            R.SYSCALL_ENTRY,
            1,
            10,
            10,
            ARCH_X86_64,
            call.nr,
            call.name,
            (42, 10, 0x1000, 0, 0, 0),
            {"uinfo": raw, **more},
        ),
        (R.SYSCALL_EXIT, 2, 10, 10, call.nr, 0, None),
    ]
    return renderer.render(cast(Any, events))
