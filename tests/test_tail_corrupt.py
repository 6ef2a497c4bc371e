"""Every `atrace tail` filter on corrupt traces: one line, never a crash.

A real trace (a shell that opens files, forks and fails a call) is damaged
the ways files get damaged: bytes flipped, bytes overwritten, a piece
inserted, the end cut. Whatever the damage and whatever the filter, tail
either prints the trace (damage msgpack and the field checks cannot tell
from data, such as a changed number) or ends with exit 1 and one
`atrace: ...` line that gives a reason; never "internal error", never a
traceback.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest
from conftest import assert_no_traceback, atrace_argv, run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import atrace
from atrace.cli import main


@pytest.fixture(scope="module")
def good_trace(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, int, Path]:
    where = tmp_path_factory.mktemp("corrupt")
    trace = where / "good.atrace"
    script = "cat /etc/hostname > /dev/null; ls /nonexistent 2>/dev/null; (echo x > /dev/null) & wait; exit 3"
    proc = run(atrace_argv("-f", "-o", trace, "--", "sh", "-c", script))
    assert_no_traceback(proc)
    assert proc.returncode == 3
    events = list(atrace.read(trace))
    root = next(e.tid for e in events if isinstance(e, atrace.Exec))
    return trace.read_bytes(), root, where


FILTERS: list[list[str]] = [
    [],
    ["-P", "/etc/hostname"],
    ["-e", "trace=%file"],
    ["-e", "trace=!%process"],
    ["-e", "trace=/^open"],
    ["-e", "status=failed"],
    ["-e", "status=successful,unfinished"],
    ["-e", "signal=SIGCHLD"],
    ["--pid", "ROOT"],
    ["--pid", "ROOT", "-f"],
    ["-P", "/etc/hostname", "-e", "status=successful", "--pid", "ROOT", "-f"],
]


def damaged(data_object: st.DataObject, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(data_object.draw(st.integers(1, 4))):
        if not out:
            break
        kind = data_object.draw(st.sampled_from(["flip", "byte", "insert", "cut"]))
        at = data_object.draw(st.integers(0, max(len(out) - 1, 0)))
        if kind == "flip":
            out[at] ^= 1 << data_object.draw(st.integers(0, 7))
        elif kind == "byte":
            out[at] = data_object.draw(st.integers(0, 255))
        elif kind == "insert":
            out[at:at] = data_object.draw(st.binary(min_size=1, max_size=8))
        else:
            del out[at:]
    return bytes(out)


def tail(argv: list[str]) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["tail", "--no-follow", "--color", "never", *argv])
    return code, err.getvalue()


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: " ".join(f) or "no filter")
def test_tail_filters_on_damaged_traces(good_trace: tuple[bytes, int, Path], filters: list[str]) -> None:
    data, root, where = good_trace
    argv = [str(root) if arg == "ROOT" else arg for arg in filters]
    # The undamaged trace goes through this filter cleanly: the check below
    # is about damage, not about a filter that always fails.
    path = where / "damaged.atrace"
    path.write_bytes(data)
    assert tail([*argv, str(path)]) == (0, "")
    outcomes: dict[int, int] = {}

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
    @given(st.data())
    def check(data_object: st.DataObject) -> None:
        path.write_bytes(damaged(data_object, data))
        code, err = tail([*argv, str(path)])
        outcomes[code] = outcomes.get(code, 0) + 1
        if code == 0:
            assert err == "", err
            return
        assert code == 1, err
        lines = err.splitlines()
        assert len(lines) == 1 and lines[0].startswith("atrace: "), err
        assert "internal error" not in err and "Traceback" not in err, err
        assert not lines[0].rstrip().endswith(":"), f"a message without its reason: {err}"

    check()
    assert outcomes.get(1), "no damage was ever detected: the test does not test anything"
