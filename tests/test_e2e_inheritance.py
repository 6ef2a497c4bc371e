"""End-to-end: what the traced command inherits (fds, stdin, signal state)."""

import signal

import pytest
from conftest import describe, run


def _parse_report(stdout: bytes) -> dict[str, str]:
    lines = stdout.decode().splitlines()
    return dict(line.split(":", 1) for line in lines)


def test_command_sees_only_fds_0_1_2(program, trace):
    """The command's only open fds are 0, 1 and 2 (run with -o FILE).

    Covers descriptor leaks from the tracer into the tracee: the trace file,
    trio's wakeup pipe/socketpair, epoll fds, the ptrace thread's eventfd -
    all must be close-on-exec or closed before the exec.
    """
    proc, _events = trace([program("inherit_report")])
    assert proc.returncode == 71, describe(proc)
    assert _parse_report(proc.stdout)["fds"].split() == ["0", "1", "2"]


def test_stdin_passes_through_to_the_command(trace):
    """Data piped into atrace's stdin is read by the traced ``cat``."""
    data = b"line one\nline two\n" * 1000
    proc, _events = trace(["/bin/cat"], input=data)
    assert proc.returncode == 0, describe(proc)
    assert proc.stdout == data


def _block_usr2_ignore_usr1():
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR2})
    signal.signal(signal.SIGUSR1, signal.SIG_IGN)


def _default_signal_state():
    pass


@pytest.mark.parametrize(
    "caller_setup", [_block_usr2_ignore_usr1, _default_signal_state], ids=["usr2-blocked-usr1-ignored", "defaults"]
)
def test_command_inherits_callers_signal_mask_and_ignored_set(program, trace, caller_setup):
    """SigBlk/SigIgn of the traced command equal those it gets untraced.

    Covers signal state leaking from the tracer: Python ignores SIGPIPE and
    SIGXFSZ, trio/threads may block signals in the ptrace thread that forks
    the command, and atrace may install handlers.  The command must start
    with its caller's mask and ignored set, exactly as without atrace.
    """
    exe = program("inherit_report")
    untraced = run([exe], preexec_fn=caller_setup)
    assert untraced.returncode == 71, describe(untraced)
    expected = _parse_report(untraced.stdout)
    if caller_setup is _block_usr2_ignore_usr1:  # the setup itself worked
        assert int(expected["SigBlk"], 16) & (1 << (signal.SIGUSR2 - 1))
        assert int(expected["SigIgn"], 16) & (1 << (signal.SIGUSR1 - 1))

    proc, _events = trace([exe], preexec_fn=caller_setup)
    assert proc.returncode == 71, describe(proc)
    got = _parse_report(proc.stdout)
    assert got["SigBlk"].strip() == expected["SigBlk"].strip()
    assert got["SigIgn"].strip() == expected["SigIgn"].strip()
