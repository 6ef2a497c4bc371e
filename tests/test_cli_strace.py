"""strace's command line as atrace accepts it: -a/--columns, long options
with getopt_long's prefixes, optional arguments only after `=`, -q/--quiet,
and the display options a msgpack trace keeps for `atrace tail`.

Each test traces tests/programs/cli_calls.c, whose calls have fixed results,
and compares exact lines; where strace is installed, the same arguments are
given to strace and its lines must be the same."""

from __future__ import annotations

import os
import pwd
import re
import shutil
import signal
import subprocess

import pytest
from conftest import (
    DEFAULT_TIMEOUT,
    assert_no_traceback,
    atrace_argv,
    atrace_env,
    describe,
    kill_group,
    proc_status,
    read_header,
    run,
    wait_until,
)

WRITE = 'write(1, "hi\\n", 3)'
CLOSE = "close(100)"
ERR = "= -1 EBADF (Bad file descriptor)"


def _lines(proc) -> list[str]:
    """The program's own calls and exit line, in order (the loader's calls
    are left out: they differ between libcs)."""
    text = proc.stderr.decode()
    return [ln for ln in text.splitlines() if WRITE in ln or CLOSE in ln or "+++ " in ln]


def _both(program, *options: str) -> list[str]:
    """atrace's lines with these options; strace's must be the same."""
    prog = str(program("cli_calls"))
    proc = run(atrace_argv(*options, prog))
    assert proc.returncode == 3, describe(proc)
    assert proc.stdout == b"hi\n"
    lines = _lines(proc)
    if shutil.which("strace"):
        real = run(["strace", *options, prog])
        assert real.returncode == 3, describe(real)
        assert _lines(real) == lines, (real.stderr.decode(), proc.stderr.decode())
    return lines


@pytest.mark.parametrize("spelling", [["-a", "20"], ["-a20"], ["--columns=20"], ["--columns", "20"], ["--col=20"]])
def test_columns_short_long_and_prefix(program, spelling):
    lines = _both(program, *spelling, "-e", "trace=write,close")
    assert lines == [
        WRITE + " = 3",  # 19 characters: one space before `=`
        CLOSE + " " * 10 + ERR,
        "+++ exited with 3 +++",
    ]


def test_columns_zero_and_wide(program):
    assert _both(program, "-a0", "--trace=close")[0] == CLOSE + " " + ERR
    assert _both(program, "-a", "50", "--trace=write")[0] == WRITE + " " * 31 + "= 3"


def test_default_column_is_40(program):
    assert _both(program, "--trace=write")[0] == WRITE + " " * 21 + "= 3"


@pytest.mark.parametrize(
    "options, exit_line",
    [
        (["-q"], True),
        (["-qq"], False),
        (["-qqq"], False),
        (["-e", "quiet=exit"], False),
        (["--quiet=exit"], False),
        (["--quiet=all"], False),
        (["-e", "quiet=!exit"], True),
        (["--quiet"], True),
        (["--silent=exit"], False),
        (["--silence=exits"], False),  # clone-flags.test's spelling
        (["-e", "quiet=exits,personality"], False),
    ],
)
def test_quiet_drops_the_exit_line(program, options, exit_line):
    lines = _both(program, *options, "--trace=write")
    assert lines[0] == WRITE + " " * 21 + "= 3"
    assert ("+++ exited with 3 +++" in lines) == exit_line, lines


def test_long_filters_and_their_prefixes(program):
    assert _both(program, "--trace=write,close", "--failed-only") == [CLOSE + " " * 30 + ERR, "+++ exited with 3 +++"]
    assert _both(program, "--trace=write,close", "--successful-only") == [WRITE + " " * 21 + "= 3",
                                                                           "+++ exited with 3 +++"]  # fmt: skip
    assert _both(program, "--trace=close", "--stat=failed") == [CLOSE + " " * 30 + ERR, "+++ exited with 3 +++"]
    # strace numbers the exit line with the task's last call: exit_group's
    assert _both(program, "-e", "trace=write,exit_group", "--syscall-number") == ["[   1] " + WRITE + " " * 14 + "= 3",
                                                                       "[ 231] +++ exited with 3 +++"]  # fmt: skip


def test_optional_argument_never_takes_the_command(program):
    """`--absolute-timestamps PROG`: getopt_long gives the option no value,
    and PROG is the command (argparse alone would take PROG as the value)."""
    proc = run(atrace_argv("--absolute-timestamps=unix,us", "--trace=write", str(program("cli_calls"))))
    lines = _lines(proc)
    assert re.fullmatch(r"\d+\.\d{6} " + re.escape(WRITE) + " += 3", lines[0]), lines
    proc = run(atrace_argv("--absolute-timestamps", "--trace=write", "--syscall-times", str(program("cli_calls"))))
    assert proc.returncode == 3, describe(proc)
    (line,) = [ln for ln in _lines(proc) if WRITE in ln]
    clock, call = line.split(" ", 1)
    assert len(clock) == 8 and clock[2] == clock[5] == ":", line
    assert call.startswith(WRITE) and call.endswith(">") and "= 3 <0.0" in call, line


@pytest.mark.parametrize(
    "options, shape",
    [
        (["--absolute-timestamps=format:time", "--absolute-timestamps=precision:ms"], r"\d\d:\d\d:\d\d\.\d{3} "),
        (["--timestamps=unix,ns"], r"\d{10}\.\d{9} "),
        (["--timestamps=unix,s"], r"\d{10} "),
        (["--timestamps"], r"\d\d:\d\d:\d\d "),
        (["--timestamps=none"], ""),
        (["--relative-timestamps=ms"], r" {5}\d\.\d{3} "),
        (["--relative-timestamps=s"], r" {5}\d "),
        (["--relative-timestamps"], r" {5}\d\.\d{6} "),
    ],
)
def test_timestamp_precisions(program, options, shape):
    """Each spelling of strace's timestamp options and precisions; a repeated
    --absolute-timestamps changes only what it names."""
    for argv in (atrace_argv(*options, "--trace=write", program("cli_calls")),
                 ["strace", *options, "--trace=write", str(program("cli_calls"))]):  # fmt: skip
        if argv[0] == "strace" and not shutil.which("strace"):
            continue
        proc = run(argv)
        assert proc.returncode == 3, describe(proc)
        (line,) = [ln for ln in _lines(proc) if WRITE in ln]
        assert re.fullmatch(shape + re.escape(WRITE) + r" += 3", line), (argv, line)


@pytest.mark.parametrize("precision, shape", [("s", r"<\d+>"), ("ms", r"<\d+\.\d{3}>"), ("ns", r"<\d+\.\d{9}>")])
def test_syscall_times_precision(program, precision, shape):
    proc = run(atrace_argv(f"--syscall-times={precision}", "--trace=write", program("cli_calls")))
    (line,) = [ln for ln in _lines(proc) if WRITE in ln]
    assert re.fullmatch(re.escape(WRITE) + r" += 3 " + shape, line), line


def test_display_expressions(program):
    """-e abbrev=none is -v; -e verbose=all and -e raw=none are the defaults."""
    for options in (
        ["-X", "abbrev"],
        ["--const-print-style=abbrev"],
        ["-e", "abbrev=none"],
        ["--abbrev=all"],
        ["-e", "verbose=all"],
        ["--raw=none"],
        ["--no-abbrev"],
    ):
        assert _both(program, *options, "--trace=write")[0] == WRITE + " " * 21 + "= 3", options


def test_text_only_options_are_kept_for_tail(program, tmp_path):
    """With msgpack output, -a and -qq change nothing recorded: the header's
    options keep them and `atrace tail` renders with them, unless told else."""
    out = tmp_path / "t.atrace"
    proc = run(atrace_argv("-a", "24", "-qq", "--trace=write", "-o", out, program("cli_calls")))
    assert proc.returncode == 3, describe(proc)
    options = read_header(out).meta["options"]
    assert options["columns"] == 24 and options["quiet"] == ["attach", "exit", "personality"], options
    shown = run(atrace_argv("tail", "--no-follow", out))
    assert shown.stdout.decode().splitlines() == [WRITE + "     = 3"], describe(shown)
    wider = run(atrace_argv("tail", "--no-follow", "-a", "30", out))
    assert wider.stdout.decode().splitlines() == [WRITE + " " * 11 + "= 3"], describe(wider)
    plain = tmp_path / "plain.atrace"
    run(atrace_argv("--trace=write", "-o", plain, program("cli_calls")))
    assert "columns" not in read_header(plain).meta["options"]


@pytest.mark.parametrize(
    "options, message",
    [
        (["-a", "x"], "atrace: invalid -a argument: 'x'"),
        (["--quiet=chatter"], "atrace: invalid quiet 'chatter'"),
        (["--syscall-times=ps"], "atrace: invalid --syscall-times argument: 'ps'"),
        (["--absolute-timestamps=format:iso"], "atrace: invalid --absolute-timestamps argument: 'format:iso'"),
        (["-X", "fancy"], "atrace: invalid -X argument: 'fancy'"),
        (["-e", "abbrev=nosuchcall"], "atrace: invalid system call 'nosuchcall'"),
        (["--s=3"], "atrace: ambiguous option: --s=3 could match"),
    ],
)
def test_bad_option_values(program, options, message):
    proc = run(atrace_argv(*options, program("cli_calls")))
    assert proc.returncode != 0 and proc.stdout == b"", describe(proc)
    assert_no_traceback(proc)
    err = proc.stderr.decode()
    assert err.startswith(message) and err.count("\n") == 1, err


@pytest.mark.parametrize("quiet", [[], ["-q"], ["--quiet=attach"]])
def test_quiet_attach_notices(tmp_path, quiet):
    """-p: `Process N attached/detached` on stderr unless -q / quiet=attach."""
    target = subprocess.Popen(["sleep", "60"], start_new_session=True)
    tracer = subprocess.Popen(atrace_argv(*quiet, "-o", tmp_path / "t.atrace", "-p", str(target.pid)),
                              env=atrace_env(), stderr=subprocess.PIPE)  # fmt: skip
    try:
        wait_until(lambda: proc_status(target.pid).get("TracerPid", "0") != "0", what="atrace to attach")
        tracer.send_signal(signal.SIGINT)
        assert tracer.wait(DEFAULT_TIMEOUT) == -signal.SIGINT  # it ends by the signal, as strace
        assert tracer.stderr is not None
        notices = tracer.stderr.read().decode().splitlines()
        expected = [] if quiet else [f"atrace: Process {target.pid} attached", f"atrace: Process {target.pid} detached"]
        assert notices == expected
        assert target.poll() is None, "the target must go on running"
    finally:
        kill_group(target.pid)
        target.wait(DEFAULT_TIMEOUT)
        if tracer.poll() is None:
            tracer.kill()


@pytest.mark.parametrize("follow", [["--follow-forks"], []])
def test_output_separately(program, tmp_path, follow):
    """--output-separately: one PREFIX.TID file per task (-ff with -f; the
    command's one file without), each with its own lines."""
    prog = str(program("cli_calls"))
    proc = run(atrace_argv(*follow, "--output-separately", "--text", "-o", tmp_path / "t", "--trace=write",
                           "sh", "-c", f"{prog}; {prog}"))  # fmt: skip
    files = sorted(tmp_path.glob("t.*"))
    if follow:
        assert proc.returncode == 3, describe(proc)
        assert len(files) == 3, files
        writes = [p for p in files if (WRITE + " " * 21 + "= 3") in p.read_text().splitlines()]
        assert len(writes) == 2, [p.read_text() for p in files]
    else:
        # only sh is traced: its file has its exit, not its children's writes
        assert len(files) == 1 and files[0].suffix[1:].isdigit(), files
        lines = files[0].read_text().splitlines()
        assert lines[-1] == "+++ exited with 3 +++" and not [ln for ln in lines if WRITE in ln], lines
    # Without -o there is nothing to separate (strace: a warning, then the trace)
    alone = run(atrace_argv("--output-separately", "--trace=write", prog))
    assert alone.returncode == 3, describe(alone)
    lines = alone.stderr.decode().splitlines()
    assert lines[0] == "atrace: --output-separately has no effect without -o/--output", lines
    assert lines[1:] == [WRITE + " " * 21 + "= 3", "+++ exited with 3 +++"], lines
    bad = run(atrace_argv("--output-separately", "-o", "-", prog))
    assert bad.returncode == 1 and bad.stderr.decode().startswith("atrace: -ff (--output-separately) needs -o")


def test_env_sets_and_removes_variables(tmp_path):
    """-E VAR=VAL / --env=VAR=VAL set, -E VAR removes, in order; strace agrees."""
    script = 'printf "%s|%s|%s" "$FOO" "$BAZ" "${GONE-unset}"'
    options = ["-E", "FOO=one", "--env=BAZ=a=b", "-E", "GONE", "-E", "FOO=two", "--trace=none"]
    env = {**atrace_env(), "GONE": "here"}
    proc = run(atrace_argv(*options, "sh", "-c", script), env=env)
    assert proc.returncode == 0, describe(proc)
    assert proc.stdout == b"two|a=b|unset"
    if shutil.which("strace"):
        real = run(["strace", *options, "sh", "-c", script], env=env)
        assert real.stdout == proc.stdout
    bad = run(atrace_argv("-E", "=x", "true"))
    assert bad.returncode == 1 and bad.stderr.decode() == "atrace: invalid -E argument: '=x'\n"


@pytest.mark.parametrize("options", [[], ["-q"], ["--quiet=personality"]])
def test_quiet_personality_notes(program, options):
    """`[ Process PID=N runs in 32 bit mode. ]` is hidden by -q and
    quiet=personality; the calls themselves are still shown."""
    proc = run(atrace_argv(*options, "--trace=write", program("int80")))
    assert proc.returncode == 0, describe(proc)
    text = proc.stderr.decode()
    assert ("runs in 32 bit mode" in text) == (not options), text
    assert 'write(1, "via int80\\n", 10)' in text and 'write(1, "native\\n", 7)' in text, text


@pytest.mark.skipif(os.geteuid() != 0, reason="-u needs root")
@pytest.mark.parametrize("spelling", [["-u", "nobody"], ["--user=nobody"]])
def test_user_runs_the_command_as_that_user(spelling):
    nobody = pwd.getpwnam("nobody")
    proc = run(atrace_argv(*spelling, "--trace=none", "sh", "-c", "id -u; id -g; id -G"))
    assert proc.returncode == 0, describe(proc)
    groups = " ".join(map(str, os.getgrouplist(nobody.pw_name, nobody.pw_gid)))
    assert proc.stdout.decode() == f"{nobody.pw_uid}\n{nobody.pw_gid}\n{groups}\n"
    if shutil.which("strace"):
        real = run(["strace", *spelling, "--trace=none", "sh", "-c", "id -u; id -g; id -G"])
        assert real.stdout == proc.stdout
    for name in ("no-such-user-here", str(nobody.pw_uid)):  # a name, as strace: not a uid
        bad = run(atrace_argv("-u", name, "true"))
        assert bad.returncode == 1 and bad.stderr.decode() == f"atrace: Cannot find user '{name}'\n"


@pytest.mark.parametrize("closed", ["stdout", "stderr", "both"])
def test_started_with_stdio_closed(tmp_path, closed):
    """strace's redirect-fds: atrace started with fd 1 and/or 2 closed
    (`>&-`) traces and exits like the command, without a traceback (Python
    then has no sys.stdout / sys.stderr object at all)."""
    log = tmp_path / "log"
    err = tmp_path / "err"
    redirect = {"stdout": f">&- 2>{err}", "stderr": "2>&-", "both": ">&- 2>&-"}[closed]
    argv = " ".join(f"'{a}'" for a in atrace_argv("--text", "-o", str(log), "-e", "trace=chdir", "sh", "-c", "cd /"))
    proc = subprocess.run(["sh", "-c", f"{argv} {redirect}"], env=atrace_env(), capture_output=True,
                          timeout=DEFAULT_TIMEOUT)  # fmt: skip
    assert proc.returncode == 0, describe(proc)
    assert log.read_text().splitlines()[0].split() == ["chdir(\"/\")", "=", "0"]
    if closed == "stdout":
        assert "Traceback" not in err.read_text()


def _no_aslr(argv: list[str]) -> list[str]:
    """argv run with address-space randomisation off (setarch -R): a
    program's addresses are then the same in every run, atrace's and strace's."""
    return ["setarch", os.uname().machine, "-R", *argv]


@pytest.mark.parametrize("spelling", [["-i", "-f"], ["-if"], ["--instruction-pointer"]])
def test_instruction_pointer(program, spelling):
    """-i: `[address] ` before each line: where the call was made (after
    the syscall instruction, in libc), where the signal hit (the faulting
    store in the program's own text), `?`s on the exit line (strace's pc.test)."""
    prog = str(program("segv"))
    options = [*spelling, "-e", "trace=write"]
    proc = run(_no_aslr(atrace_argv(*options, prog)))
    assert proc.returncode == -signal.SIGSEGV, describe(proc)
    lines = [ln for ln in proc.stderr.decode().splitlines() if "write(" in ln or "SIGSEGV" in ln]
    shape = r"\[([0-9a-f]{16})\] "
    write = re.fullmatch(shape + r'write\(1, "about to fault\\n", 15\) += 15', lines[0])
    fault = re.fullmatch(shape + r"--- SIGSEGV \{si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=NULL\} ---", lines[1])
    assert write and fault, lines
    assert lines[2] == "[????????????????] +++ killed by SIGSEGV +++", lines
    # Without randomisation a PIE program is loaded at 0x555555554000 and
    # libc far above it, near the stack.
    assert 0x555555554000 <= int(fault.group(1), 16) < 0x555555554000 + os.path.getsize(prog), lines
    assert int(write.group(1), 16) > 0x7F0000000000, lines
    if shutil.which("strace"):
        real = run(_no_aslr(["strace", *options, prog]))
        assert [ln for ln in real.stderr.decode().splitlines() if "write(" in ln or "SIGSEGV" in ln] == lines


def test_instruction_pointer_in_a_recorded_trace(program, tmp_path):
    """-i with -o: the addresses are recorded, and `atrace tail` shows them
    as the tracer's own text would (the header keeps -i)."""
    prog = str(program("segv"))
    trace = tmp_path / "t.atrace"
    proc = run(_no_aslr(atrace_argv("-i", "-e", "trace=write", "-o", str(trace), prog)))
    assert proc.returncode == -signal.SIGSEGV, describe(proc)
    direct = run(_no_aslr(atrace_argv("-i", "-e", "trace=write", prog)))
    shown = run(atrace_argv("tail", str(trace)))
    assert shown.returncode == 0, describe(shown)
    wanted = [ln for ln in direct.stderr.decode().splitlines() if ln.startswith("[")]
    assert len(wanted) == 3 and [ln for ln in shown.stdout.decode().splitlines() if ln.startswith("[")] == wanted
