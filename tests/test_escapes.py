"""quote(): strings as strace prints them, on the cases where the escaping
depends on context (an octal escape before a digit, a printed backslash
before digits) and in each -x mode."""

from __future__ import annotations

import pytest

from atrace.render.quoting import quote


@pytest.mark.parametrize(
    ("raw", "hex_mode", "expected"),
    [
        (b"plain text", 0, '"plain text"'),
        (b"\x01" + b"7", 0, '"\\0017"'),  # a digit follows: three digits
        (b"\x01" + b"8", 0, '"\\18"'),  # 8 is not octal: shortest
        (b"\x01a", 0, '"\\1a"'),
        (b"\x00\x00", 0, '"\\0\\0"'),
        (b"\x00" + b"0", 0, '"\\0000"'),
        (b"\x1f\x7f\xff", 0, '"\\37\\177\\377"'),
        (b"\xff" + b"0", 0, '"\\3770"'),
        (b"\\012", 0, '"\\\\012"'),  # a backslash and digits, not an escape
        (b'"\\"', 0, '"\\"\\\\\\""'),
        (b"\n1\t\r\v\f", 0, '"\\n1\\t\\r\\v\\f"'),
        # -x: hexed whole when anything but printable ASCII and whitespace is in it.
        (b"a\x01\n", 1, '"\\x61\\x01\\x0a"'),
        (b"ab\tc\n", 1, '"ab\\tc\\n"'),
        (b"a\n", 2, '"\\x61\\x0a"'),
    ],
)
def test_quote(raw: bytes, hex_mode: int, expected: str) -> None:
    assert quote(raw, 100, hex_mode) == expected


def test_quote_cut_at_the_limit() -> None:
    assert quote(b"abcdef", 3) == '"abc"...'
    assert quote(b"ab\x01" + b"1", 3) == '"ab\\1"...'  # the digit after the cut does not count
    assert quote(b"abcdef", 3, cut=False) == '"abcdef"'
