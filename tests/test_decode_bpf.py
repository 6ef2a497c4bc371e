"""bpf's decoder: the command, and BPF_PROG_LOAD's attr as far as the size
covers it (copied from a real process by the tracer's plan)."""

from __future__ import annotations

import struct

from decoding_support import TraceeMemory, trace

E2BIG, EINVAL = -7, -22


def _prog_load(tail: bytes = b"") -> bytes:
    head = struct.pack("<IIQQIIQII16sIIII", 1, 2, 0, 0x1000, 3, 4096, 0, 0x050A0B, 0x11, b"name\0", 0, 1, 7, 8)
    rest = struct.pack("<QIIQIIIIQ", 0, 9, 10, 0, 11, 12, 0xFFFFFFFF, 0, 0)
    return head + rest + tail


def test_prog_load_fields_by_size() -> None:
    memory = TraceeMemory({0x1000: _prog_load(bytes(4096 - 128)), 0x3000: _prog_load(b"\1" + bytes(4096 - 129))})
    first = "bpf(BPF_PROG_LOAD, {prog_type=BPF_PROG_TYPE_SOCKET_FILTER, insn_cnt=2, insns=NULL, license=0x1000"
    # strace copies no more than the size: the rest of the first fields are 0.
    assert trace("bpf", memory, [5, 0x1000, 4], EINVAL) == (
        "bpf(BPF_PROG_LOAD, {prog_type=BPF_PROG_TYPE_SOCKET_FILTER, insn_cnt=0, insns=NULL, license=NULL}, 4)"
        " = -1 EINVAL (Invalid argument)"
    )
    assert trace("bpf", memory, [5, 0x1000, 48], EINVAL).startswith(
        first + ", log_level=3, log_size=4096, log_buf=NULL, kern_version=KERNEL_VERSION(5, 10, 11), "
        "prog_flags=BPF_F_STRICT_ALIGNMENT|BPF_F_SLEEPABLE}, 48) = -1"
    )
    whole = trace("bpf", memory, [5, 0x1000, 128], EINVAL)
    assert whole.endswith(
        ', prog_name="name", prog_ifindex=0, expected_attach_type=BPF_CGROUP_INET_EGRESS, prog_btf_fd=7, '
        "func_info_rec_size=8, func_info=NULL, func_info_cnt=9, line_info_rec_size=10, line_info=NULL, "
        "line_info_cnt=11, attach_btf_id=12, attach_prog_fd=-1, fd_array=NULL}, 128) = -1 EINVAL (Invalid argument)"
    )
    # Past what strace knows: `...` only for bytes that are not 0.
    assert trace("bpf", memory, [5, 0x1000, 256], E2BIG).endswith(
        "fd_array=NULL}, 256) = -1 E2BIG (Argument list too long)"
    )
    assert trace("bpf", memory, [5, 0x3000, 256], E2BIG).endswith(
        "fd_array=NULL, ...}, 256) = -1 E2BIG (Argument list too long)"
    )
    # More than a page, or not readable as far as the size: the address.
    assert trace("bpf", memory, [5, 0x1000, 4097], E2BIG).startswith("bpf(BPF_PROG_LOAD, 0x1000, 4097) = -1")
    short = TraceeMemory({0x2000: _prog_load()[:100]})
    assert trace("bpf", short, [5, 0x2000, 128], E2BIG).startswith("bpf(BPF_PROG_LOAD, 0x2000, 128) = -1")


def test_prog_load_styles_and_other_commands() -> None:
    memory = TraceeMemory({0x1000: _prog_load(bytes(4096 - 128))})
    assert trace("bpf", memory, [5, 0x1000, 44], EINVAL, const_style="raw").startswith(
        "bpf(0x5, {prog_type=0x1, insn_cnt=2, insns=NULL, license=0x1000, log_level=3, log_size=4096, log_buf=NULL, "
        "kern_version=0x50a0b}, 44) = -1"
    )
    assert "kern_version=0x50a0b /* KERNEL_VERSION(5, 10, 11) */" in trace(
        "bpf", memory, [5, 0x1000, 44], EINVAL, const_style="verbose"
    )
    # Only BPF_PROG_LOAD's attr is decoded (and copied).
    memory.reads.clear()
    assert trace("bpf", memory, [0, 0x1000, 72], EINVAL).startswith("bpf(BPF_MAP_CREATE, 0x1000, 72) = -1")
    assert memory.reads == []
    assert trace("bpf", memory, [99, 0x1000, 72], EINVAL).startswith("bpf(0x63 /* BPF_??? */, 0x1000, 72) = -1")
