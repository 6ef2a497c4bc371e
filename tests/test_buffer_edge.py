"""A buffer argument that ends at unreadable memory, as strace shows it.

strace reads the bytes it shows of an input buffer, plus one when the
buffer is longer than -s (to know it is), all of them or nothing: when
that read faults it shows the buffer's address (strace's printstrn-umoven
test, its test_efault part). The regions here sit right before an
unmapped page of a real process, read by the tracer's own reader.
"""

from __future__ import annotations

from decoding_support import TraceeMemory, trace


def test_a_buffer_cut_by_unreadable_memory_shows_its_address() -> None:
    memory = TraceeMemory({0x1000: b"abc"})
    assert trace("write", memory, [1, 0x1000, 5], -14, limit=32) == "write(1, 0x1000, 5) = -1 EFAULT (Bad address)"


def test_the_byte_past_the_limit_must_be_readable_too() -> None:
    # 32 readable bytes of a 40-byte buffer with -s 32: strace's read of 33 faults.
    memory = TraceeMemory({0x1000: b"x" * 32})
    assert trace("write", memory, [1, 0x1000, 40], -14, limit=32) == "write(1, 0x1000, 40) = -1 EFAULT (Bad address)"
    memory = TraceeMemory({0x1000: b"x" * 33})
    assert trace("write", memory, [1, 0x1000, 40], -14, limit=32) == (
        f'write(1, "{"x" * 32}"..., 40) = -1 EFAULT (Bad address)'
    )


def test_a_readable_buffer_is_shown_whole_up_to_the_limit() -> None:
    memory = TraceeMemory({0x1000: b"y" * 32})
    assert trace("write", memory, [1, 0x1000, 32], 32, limit=32) == f'write(1, "{"y" * 32}", 32) = 32'
    memory = TraceeMemory({0x1000: b"hello"})
    assert trace("write", memory, [1, 0x1000, 5], 5, limit=4) == 'write(1, "hell"..., 5) = 5'
