"""-y against strace: fd paths with < and > escaped, AT_FDCWD with the
working directory (a real `cat`, traced by both)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from atrace.render.quoting import fd_path_text, fd_with_path

STRACE = shutil.which("strace")


def test_brackets_in_paths_are_octal() -> None:
    assert fd_path_text(b"/a/\x01\x020<<0::0>>1~") == "/a/\\1\\0020\\74\\0740::0\\76\\0761~"
    assert fd_path_text("/plain/path") == "/plain/path"


def test_deleted_mark_goes_after_the_brackets() -> None:
    assert fd_with_path("3", "/tmp/gone (deleted)") == "3</tmp/gone>(deleted)"
    assert fd_with_path("AT_FDCWD", "/tmp/<d> (deleted)") == "AT_FDCWD</tmp/\\74d\\76>(deleted)"
    assert fd_with_path("4", b"/tmp/kept") == "4</tmp/kept>"


@pytest.mark.skipif(STRACE is None, reason="strace is not installed")
def test_y_matches_strace_with_brackets_in_cwd(tmp_path: Path) -> None:
    cwd = tmp_path / "dir<1>"
    cwd.mkdir()
    (cwd / "in>put").write_text("x\n")
    outputs = []
    for label, tracer in (("strace", [STRACE]), ("atrace", [sys.executable, "-m", "atrace", "--text"])):
        out = tmp_path / f"{label}.txt"
        argv = [*tracer, "-y", "-e", "trace=openat,read,close", "-o", str(out), "cat", "in>put"]
        subprocess.run(argv, cwd=cwd, stdout=subprocess.DEVNULL, check=True, timeout=60)
        outputs.append(out.read_text())
    strace_text, atrace_text = outputs
    assert f'openat(AT_FDCWD<{tmp_path}/dir\\0741\\76>, "in>put", O_RDONLY) = 3<' in strace_text
    assert atrace_text == strace_text


FD_CALLS = "trace=openat,dup,close,pidfd_open,socket,socketpair,bind"


def _both(program, tmp_path: Path, *options: str) -> tuple[str, str]:
    """The text of strace and atrace tracing fd_details with `options`."""
    exe = str(program("fd_details"))
    outputs = []
    for label, tracer in (("strace", [STRACE]), ("atrace", [sys.executable, "-m", "atrace", "--text"])):
        out = tmp_path / f"{label}.txt"
        argv = [*tracer, *options, "-o", str(out), exe]
        subprocess.run(argv, cwd=tmp_path, stdout=subprocess.DEVNULL, check=True, timeout=60)
        outputs.append(out.read_text())
    return outputs[0], outputs[1]


def _main_part(text: str) -> str:
    """The lines from the program's own open of /dev/null on (the dynamic
    loader's opens before it are not the point), with pids and socket
    inodes (3 digits and more) as N: they differ from run to run."""
    return re.sub(r"\d{3,}", "N", text[text.index('"/dev/null"') :])


@pytest.mark.skipif(STRACE is None, reason="strace is not installed")
def test_yy_shows_devices_pidfds_and_sockets_as_strace(program, tmp_path: Path) -> None:
    strace_text, atrace_text = _both(program, tmp_path, "-yy", "-e", FD_CALLS)
    assert "= 3</dev/null<char 1:3>>" in strace_text
    assert "<pid:" in strace_text and "<UNIX-STREAM:[" in strace_text
    assert re.search(r"close\(\d<UNIX-STREAM:\[\d+->\d+\]>\)", strace_text)
    assert re.search(r"close\(\d<NETLINK:\[ROUTE:\d+\]>\)", strace_text)
    assert _main_part(atrace_text) == _main_part(strace_text)


@pytest.mark.skipif(STRACE is None, reason="strace is not installed")
@pytest.mark.parametrize("chosen", ["dev", "pidfd", "socket", "none", "path,pidfd", "all"])
def test_decode_fds_sets_as_strace(program, tmp_path: Path, chosen: str) -> None:
    strace_text, atrace_text = _both(program, tmp_path, f"--decode-fds={chosen}", "-e", FD_CALLS)
    assert _main_part(atrace_text) == _main_part(strace_text)


@pytest.mark.skipif(STRACE is None, reason="strace is not installed")
def test_p_follows_a_dup_d_fd_as_strace(program, tmp_path: Path) -> None:
    """-P matches an fd by what /proc says it is: dup(3) matches /dev/null,
    and so does the close of the copy the program never opened by name, and
    poll and select on it."""
    strace_text, atrace_text = _both(program, tmp_path, "-P", "/dev/null", "-e", FD_CALLS + ",poll,pselect6")
    assert "dup(3)" in strace_text and "close(4)" in strace_text
    assert "poll([{fd=0, events=POLLIN}, {fd=3, events=POLLIN}], 2, 0)" in strace_text
    assert "pselect6(4, [3]" in strace_text
    assert atrace_text == strace_text


@pytest.mark.skipif(STRACE is None, reason="strace is not installed")
def test_v_shows_execve_environment_as_strace(tmp_path: Path) -> None:
    """-v: execve's envp as its strings, as strace -v prints them."""
    outputs = []
    # LC_ALL set: a C locale would make the Python running atrace add LC_CTYPE (PEP 538).
    env = {"PATH": "/usr/bin:/bin", "ATRACE_TEST_VAR": "a\nb", "LC_ALL": "C.UTF-8"}
    for label, tracer in (("strace", [STRACE]), ("atrace", [sys.executable, "-m", "atrace", "--text"])):
        out = tmp_path / f"{label}.txt"
        argv = [*tracer, "-v", "-e", "trace=execve", "-o", str(out), "/bin/true"]
        subprocess.run(argv, cwd=tmp_path, env=env, check=True, timeout=60)
        outputs.append(out.read_text().splitlines()[0])
    assert '"ATRACE_TEST_VAR=a\\nb", "LC_ALL=C.UTF-8"]' in outputs[0]
    assert outputs[1] == outputs[0]


STAT = shutil.which("stat")


@pytest.mark.skipif(STRACE is None or STAT is None, reason="strace or coreutils' stat is not installed")
def test_v_shows_statx_whole_as_strace(tmp_path: Path) -> None:
    """-v: coreutils' stat calls statx; its struct whole, times by the mask."""
    sample = tmp_path / "sample"
    sample.write_text("x")
    outputs = []
    for label, tracer in (("strace", [STRACE]), ("atrace", [sys.executable, "-m", "atrace", "--text"])):
        out = tmp_path / f"{label}.txt"
        argv = [*tracer, "-v", "-e", "trace=statx", "-o", str(out), STAT, str(sample)]
        subprocess.run(argv, cwd=tmp_path, stdout=subprocess.DEVNULL, check=True, timeout=60)
        outputs.append(out.read_text())
    assert "stx_blksize=" in outputs[0] and "stx_mtime={tv_sec=" in outputs[0]
    assert outputs[1] == outputs[0]


XDP_CONNECT = """
import ctypes, os, struct
fd = os.open("/dev/zero", os.O_RDONLY)
os.dup2(fd, 7)
libc = ctypes.CDLL(None, use_errno=True)
for flags, umem in ((1, 7), (0, 7)):
    address = ctypes.create_string_buffer(struct.pack("<HHIII", 44, flags, 0, 0, umem), 16)
    libc.connect(-1, address, 16)
"""


@pytest.mark.skipif(STRACE is None, reason="strace is not installed")
def test_y_names_an_af_xdp_address_shared_umem_fd(tmp_path: Path) -> None:
    """-y: the path of sockaddr_xdp's shared_umem_fd (with XDP_SHARED_UMEM
    only), inside connect's address, as strace shows it."""
    outputs = []
    for label, tracer in (("strace", [STRACE]), ("atrace", [sys.executable, "-m", "atrace", "--text"])):
        out = tmp_path / f"{label}.txt"
        argv = [*tracer, "-y", "-e", "trace=connect", "-o", str(out), sys.executable, "-I", "-S", "-c", XDP_CONNECT]
        subprocess.run(argv, stdout=subprocess.DEVNULL, check=True, timeout=60)
        outputs.append([line for line in out.read_text().splitlines() if line.startswith("connect(")])
    strace_lines, atrace_lines = outputs
    assert atrace_lines == strace_lines
    assert atrace_lines[0].startswith("connect(-1, {sa_family=AF_XDP, sxdp_flags=XDP_SHARED_UMEM, sxdp_ifindex=0, "
                                      "sxdp_queue_id=0, sxdp_shared_umem_fd=7</dev/zero>}, 16)")  # fmt: skip
    assert "sxdp_shared_umem_fd=0x7}" in atrace_lines[1]


RIGHTS = """
import os, socket
a, b = socket.socketpair()
null = os.open("/dev/null", os.O_RDONLY)
socket.send_fds(a, [b"x"], [null, 0])
msg, fds, flags, addr = socket.recv_fds(b, 16, 4)
"""


@pytest.mark.skipif(STRACE is None, reason="strace is not installed")
def test_y_names_the_fds_of_scm_rights(tmp_path: Path) -> None:
    """-y: the paths of the fds an SCM_RIGHTS message passes (the sender's,
    at entry) and the receiver gets (its new fds, at exit), as strace shows them."""
    outputs = []
    for label, tracer in (("strace", [STRACE]), ("atrace", [sys.executable, "-m", "atrace", "--text"])):
        out = tmp_path / f"{label}.txt"
        argv = [*tracer, "-y", "-e", "trace=sendmsg,recvmsg", "-o", str(out), sys.executable, "-I", "-S", "-c", RIGHTS]
        subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, check=True, timeout=60)
        # A socket's inode and recv_fds' buffer address differ between the two runs.
        text = re.sub(r"socket:\[\d+\]", "socket:[N]", out.read_text())
        text = re.sub(r"msg_name=0x[0-9a-f]+", "msg_name=ADDR", text)
        outputs.append([line for line in text.splitlines() if "msg(" in line])
    strace_lines, atrace_lines = outputs
    assert len(atrace_lines) == 2 and atrace_lines == strace_lines
    assert "cmsg_data=[5</dev/null>, 0</dev/null>]" in atrace_lines[0]
    assert re.search(r"recvmsg\(.*cmsg_type=SCM_RIGHTS, cmsg_data=\[6</dev/null>, 7</dev/null>\]", atrace_lines[1])
