"""The ioctl families of character and block devices (input, GPIO, PTP,
RTC, loop, block, MTD, UBI, LIRC, counter, NBD, perf, /dev/random), traced in a real
process (tests/programs/ioctl_families.c, every call on fd -1): exact lines
for what the kernel would write back (`-e inject=` makes the calls succeed
with the program's own structs in place), and the whole output against
strace's under the -v and -X styles."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from ioctl_support import ATRACE, STRACE, build, stable_lines


@pytest.fixture(scope="module")
def program(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory, "ioctl_families")


def test_answers_and_passed_structs(program: Path, tmp_path: Path) -> None:
    lines = stable_lines(ATRACE, ["-e", "inject=ioctl:retval=8"], program, tmp_path)
    for expected in (
        "ioctl(-1, EVIOCGID, {bustype=3, vendor=1133, product=50475, version=273}) = 8 (INJECTED)",
        "ioctl(-1, EVIOCGBIT(0, 32), [EV_KEY EV_ABS EV_LED]) = 8 (INJECTED)",
        'ioctl(-1, EVIOCGNAME(64), "AT Trans") = 8 (INJECTED)',
        "ioctl(-1, EVIOCSABS(0x3e /* ABS_??? */), {value=5, minimum=4294967286, ...}) = 8 (INJECTED)",
        "ioctl(-1, GPIO_GET_LINEINFO_IOCTL, {line_offset=7} => {flags=GPIOLINE_FLAG_IS_OUT|GPIOLINE_FLAG_ACTIVE_LOW, "
        'name="led0", consumer=""}) = 8 (INJECTED)',
        "ioctl(-1, PTP_PEROUT_REQUEST, {start={sec=1000000000, nsec=0} /* 2001-09-09T01:46:40+0000 */, "
        "period={sec=1, nsec=0}, index=0, flags=PTP_PEROUT_ONE_SHOT}) = 8 (INJECTED)",
        "ioctl(-1, RTC_RD_TIME, {tm_sec=1, tm_min=2, tm_hour=3, tm_mday=4, tm_mon=5, tm_year=106, ...}) = 8 (INJECTED)",
        "ioctl(-1, LOOP_SET_STATUS64, {lo_offset=0x200, lo_number=0, lo_flags=LO_FLAGS_READ_ONLY|LO_FLAGS_AUTOCLEAR, "
        'lo_file_name="/tmp/disk.img", ...}) = 8 (INJECTED)',
        "ioctl(-1, BLKPG, {op=BLKPG_ADD_PARTITION, flags=0, datalen=152, data={start=2048, length=1048576, pno=1, "
        'devname="", volname=""}}) = 8 (INJECTED)',
        "ioctl(-1, NBD_SET_FLAGS, NBD_FLAG_HAS_FLAGS|NBD_FLAG_READ_ONLY) = 8 (INJECTED)",
        "ioctl(-1, COUNTER_ENABLE_EVENTS_IOCTL) = 8 (INJECTED)",
        "ioctl(-1, MIXER_READ(1) or MEMGETINFO, {type=MTD_NANDFLASH, flags=MTD_WRITEABLE, size=0x100000, "
        "erasesize=0x20000, writesize=0x800, oobsize=0x40, padding=0}) = 8 (INJECTED)",
        "ioctl(-1, UBI_IOCMKVOL, {vol_id=1, alignment=0, bytes=1048576, vol_type=UBI_DYNAMIC_VOLUME, flags=0, "
        'name_len=6, name="rootfs"} => [1]) = 8 (INJECTED)',
        'ioctl(-1, PERF_EVENT_IOC_SET_FILTER, "filter") = 8 (INJECTED)',
        'ioctl(-1, RNDADDENTROPY, {entropy_count=32, buf_size=4, buf="seed"}) = 8 (INJECTED)',
    ):
        assert expected in lines


def test_failed_calls_show_what_went_in(program: Path, tmp_path: Path) -> None:
    lines = stable_lines(ATRACE, ["-Xverbose"], program, tmp_path)
    assert "ioctl(-1, 0x80084502 /* EVIOCGID */, ADDR) = -1 EBADF (Bad file descriptor)" in lines
    assert "ioctl(-1, 0x40044590 /* EVIOCGRAB */, 1) = -1 EBADF (Bad file descriptor)" in lines
    assert ("ioctl(-1, 0xc048b402 /* GPIO_GET_LINEINFO_IOCTL */, {line_offset=7}) = -1 EBADF (Bad file descriptor)"
            in lines)  # fmt: skip
    lirc = "ioctl(-1, 0x40046912 /* LIRC_SET_REC_MODE */, [0x4 /* LIRC_MODE_MODE2 */])"
    assert f"{lirc} = -1 EBADF (Bad file descriptor)" in lines


@pytest.mark.skipif(STRACE is None, reason="strace is not installed")
@pytest.mark.parametrize("options", [[], ["-v"], ["-Xraw"], ["-Xverbose"], ["-e", "inject=ioctl:retval=8"],
                                     ["-v", "-Xverbose", "-e", "inject=ioctl:retval=8"]])  # fmt: skip
def test_same_lines_as_strace(program: Path, tmp_path: Path, options: list[str]) -> None:
    assert STRACE is not None
    theirs = stable_lines([STRACE], options, program, tmp_path)
    ours = stable_lines(ATRACE, options, program, tmp_path)
    assert len(theirs) == 35
    assert ours == theirs


def test_pid_inside_a_struct_in_another_pid_namespace(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> None:
    """--pidns-translation: BLKTRACESETUP's pid, 1 in the program's own pid
    namespace, with the pid atrace's namespace gives it (as strace shows it)."""
    if subprocess.run(["unshare", "-Urpf", "true"], check=False).returncode != 0:
        pytest.skip("no user and pid namespaces here (unshare -Urpf)")
    program = build(tmp_path_factory, "ioctl_pidns")
    tools = [ATRACE] if STRACE is None else [ATRACE, [STRACE]]
    for tool in tools:
        out = tmp_path / "trace.txt"
        text = ["--text"] if tool == ATRACE else []
        subprocess.run([*tool, "-qq", "-f", "--pidns-translation", "-e", "trace=ioctl", "-o", str(out), *text,
                        "unshare", "-Urpf", str(program)], check=True, timeout=120)  # fmt: skip
        lines = [line for line in out.read_text().splitlines() if "BLKTRACESETUP" in line]
        assert len(lines) == 1, (tool, lines)
        host = lines[0].split()[0]
        assert lines[0].split(None, 1)[1].split(") =")[0] == (
            "ioctl(-1, BLKTRACESETUP, {act_mask=1, buf_size=4096, buf_nr=2, start_lba=0, end_lba=0, "
            f"pid=1 /* {host} in strace's PID NS */}}"
        ), tool
