"""-e inject= / -e fault= parsing: which invocations `when=` selects, the
values each option takes, and the merging of several expressions.

The invocations `when=` selects are checked against the countdown strace's
own test program (tests/qual_fault.c in strace's sources) uses to predict
which calls fail: an independent statement of the same rule."""

from __future__ import annotations

import errno

import pytest

from atrace.errors import AtraceError
from atrace.syscalls import ARCH_I386, ARCH_X86_64, by_name
from atrace.tracer.inject_spec import injection_table, parse_delay, parse_errno, parse_when


def _countdown(first: int, last: int, step: int, calls: int) -> list[bool]:
    """Which of `calls` invocations fail, by qual_fault.c's countdown (last
    -1: no end; step 0 after the first: once)."""
    failed = []
    for _ in range(calls):
        fail = False
        if last != 0:
            first -= 1
            if last != -1:
                last -= 1
            if first == 0:
                fail, first = True, step
        failed.append(fail)
    return failed


CASES = [  # (when=, first, last, step) as qual_fault.test passes them to the program
    ("1", 1, 1, 1), ("3", 3, 3, 1), ("2+", 2, -1, 1), ("7+", 7, -1, 1),
    ("1..5", 1, 5, 1), ("2..11", 2, 11, 1), ("3..7+", 3, 7, 1),
    ("2+3", 2, -1, 3), ("1+7", 1, -1, 7), ("3..11+2", 3, 11, 2), ("1..2+7", 1, 2, 7), ("7..7+1", 7, 7, 1),
]  # fmt: skip


@pytest.mark.parametrize(("text", "first", "last", "step"), CASES)
def test_when_selects_what_stracess_test_program_expects(text: str, first: int, last: int, step: int) -> None:
    when = parse_when(text)
    assert when is not None
    expected = _countdown(first, last, step, 40)
    assert [when.matches(n) for n in range(1, 41)] == expected
    assert any(expected)


BAD_WHEN = ["0", "-1", "4-", "5+-", "6++", "7+0", "8+-1", "9+1+", "65536", "1+65536", ".", "..+", "+", "10.", "11.12",
            "15..", "..20", "24..23", "25..26+0", "27..65535", ""]  # fmt: skip


@pytest.mark.parametrize("text", BAD_WHEN)
def test_invalid_when(text: str) -> None:
    assert parse_when(text) is None


def test_values() -> None:
    assert parse_errno("ENOENT") == errno.ENOENT
    assert parse_errno("einval") == errno.EINVAL  # strace's names are case-blind
    assert parse_errno("22") == 22 and parse_errno("4095") == 4095
    assert parse_errno("4096") is None and parse_errno("-1") is None and parse_errno("EWHAT") is None
    assert parse_errno("ERESTARTSYS") == 512
    # delays: microseconds unless a unit says otherwise (strace's delay.test spellings)
    for text in ("800000", "8e5", "800ms", "+8e8ns", "0.8s", ".8E6"):
        assert parse_delay(text) == 800_000_000, text
    assert parse_delay("-1") is None and parse_delay("1h") is None


def test_later_expressions_replace_earlier_ones_per_call() -> None:
    table = injection_table([("fault", "all"), ("inject", "chdir:retval=7:when=2+"), ("fault", "none")])
    assert table is not None
    chdir, close = by_name(ARCH_X86_64, "chdir"), by_name(ARCH_X86_64, "close")
    assert chdir is not None and close is not None
    assert table[ARCH_X86_64][chdir.nr].retval == 7 and table[ARCH_X86_64][chdir.nr].error is None
    assert table[ARCH_X86_64][close.nr].error == errno.ENOSYS
    i386_chdir = by_name(ARCH_I386, "chdir")
    assert i386_chdir is not None and table[ARCH_I386][i386_chdir.nr].when.first == 2
    assert injection_table([("fault", "none")]) is None


def test_invalid_expression_message() -> None:
    with pytest.raises(AtraceError, match=r"^invalid inject argument 'chdir:signal=1:signal=2'$"):
        injection_table([("inject", "chdir:signal=1:signal=2")])
    with pytest.raises(AtraceError, match=r"^invalid fault argument 'chdir:delay_enter=1'$"):
        injection_table([("fault", "chdir:delay_enter=1")])
