"""ioctl families of storage, filesystems, seccomp, terminals, SCSI and
userfaultfd (HDIO_*, FS_IOC_*, FIFREEZE, SECCOMP_IOCTL_NOTIF_*, TCSETS2,
SG_*, UFFDIO_*, SIOC*...): a real program (tests/programs/ioctl_storage_families.c) traced with an injected
success, so that what the kernel would write back is shown too.  The lines
are checked as written here and, where strace is installed, against what
strace prints for the same program."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROGRAMS = Path(__file__).resolve().parent / "programs"
REPO = PROGRAMS.parent.parent
STRACE = shutil.which("strace")
OPTIONS = ["-e", "trace=ioctl", "-e", "inject=ioctl:retval=42"]
_SPACES = re.compile(r"\)\s+= ")

EXPECTED_HDIO = [
    "ioctl(-1, HDIO_GET_QDMA, 0) = 42 (INJECTED)",
    "ioctl(-1, HDIO_SET_XFER, 0xbadc0ded) = 42 (INJECTED)",
    "ioctl(-1, HDIO_GETGEO, NULL) = 42 (INJECTED)",
    "ioctl(-1, HDIO_GETGEO, {heads=202, sectors=254, cylinders=47806, start=12345}) = 42 (INJECTED)",
    "ioctl(-1, HDIO_DRIVE_CMD, {command=ATA_CMD_WRITE, sector_number=255, feature=238, sector_count=0}"
    " => {status=0xca, error=255, nsector=238}) = 42 (INJECTED)",
    "ioctl(-1, HDIO_DRIVE_CMD, {command=0x80 /* ATA_CMD_??? */, sector_number=255, feature=238, sector_count=1}"
    ' => {status=0x80, error=255, nsector=238, buf="' + "\\x78" * 32 + '"...}) = 42 (INJECTED)',
    "ioctl(-1, HDIO_DRIVE_RESET, [0xdeadbeef, 0x11, 0]) = 42 (INJECTED)",
    "ioctl(-1, HDIO_GET_32BIT, [18072662652283387903]) = 42 (INJECTED)",
    "ioctl(-1, HDIO_SET_DMA, 77) = 42 (INJECTED)",
    "ioctl(-1, HDIO_GET_NICE, [1 << IDE_NICE_DSC_OVERLAP|1 << IDE_NICE_ATAPI_OVERLAP|1 << IDE_NICE_1"
    "|1 << IDE_NICE_0|1 << IDE_NICE_2|0xfacefeedded1ffe0]) = 42 (INJECTED)",
    "ioctl(-1, HDIO_SET_NICE, 1 << IDE_NICE_DSC_OVERLAP|1 << IDE_NICE_0) = 42 (INJECTED)",
    "ioctl(-1, HDIO_SET_BUSSTATE, BUSSTATE_ON) = 42 (INJECTED)",
    "ioctl(-1, HDIO_SET_BUSSTATE, 0x7 /* BUSSTATE_??? */) = 42 (INJECTED)",
    'ioctl(-1, HDIO_GET_IDENTITY, "IDENTITY\\n\\1' + "\\0" * 22 + '"...) = 42 (INJECTED)',
]
EXPECTED_FS = [
    "ioctl(-1, FIFREEZE) = 42 (INJECTED)",
    "ioctl(-1, FITHAW) = 42 (INJECTED)",
    "ioctl(-1, FITRIM, {start=0x1000, len=4096, minlen=512}) = 42 (INJECTED)",
    "ioctl(-1, FS_IOC_FSGETXATTR, {fsx_xflags=FS_XFLAG_REALTIME|FS_XFLAG_IMMUTABLE|FS_XFLAG_HASATTR, fsx_extsize=7,"
    " fsx_nextents=3, fsx_projid=0x2a, fsx_cowextsize=0}) = 42 (INJECTED)",
    "ioctl(-1, FS_IOC_FSSETXATTR, {fsx_xflags=FS_XFLAG_REALTIME|FS_XFLAG_IMMUTABLE|FS_XFLAG_HASATTR, fsx_extsize=7,"
    " fsx_projid=0x2a, fsx_cowextsize=0}) = 42 (INJECTED)",
    "ioctl(-1, FS_IOC_GETFLAGS, [FS_IMMUTABLE_FL|0x4000000]) = 42 (INJECTED)",
    "ioctl(-1, FS_IOC32_SETFLAGS, [FS_IMMUTABLE_FL|0x4000000]) = 42 (INJECTED)",
    "ioctl(-1, FS_IOC_FIEMAP, {fm_start=0, fm_length=65536, fm_flags=FIEMAP_FLAG_SYNC, fm_extent_count=2}"
    " => {fm_flags=FIEMAP_FLAG_SYNC, fm_mapped_extents=2, ...}) = 42 (INJECTED)",
    "ioctl(-1, _IOC(_IOC_NONE, 0x66, 0xff, 0), 0) = 42 (INJECTED)",
]
FIEMAP_VERBOSE = (
    "ioctl(-1, FS_IOC_FIEMAP, {fm_start=0, fm_length=65536, fm_flags=FIEMAP_FLAG_SYNC, fm_extent_count=2}"
    " => {fm_flags=FIEMAP_FLAG_SYNC, fm_mapped_extents=2, fm_extents=[{fe_logical=0, fe_physical=4096,"
    " fe_length=8192, fe_flags=FIEMAP_EXTENT_UNWRITTEN}, {fe_logical=8192, fe_physical=65536, fe_length=4096,"
    " fe_flags=FIEMAP_EXTENT_LAST|0x40}]}) = 42 (INJECTED)"
)
_NOTIF = "{id=0x5, pid=0, flags=0, data={nr=%s, arch=%s, instruction_pointer=NULL, args=[0xbad, 0, 0, 0, 0, 0]}}"
EXPECTED_SECCOMP = [
    "ioctl(-1, SECCOMP_IOCTL_NOTIF_RECV, {id=0, pid=0, flags=0, data={nr=0, arch=0 /* AUDIT_ARCH_??? */,"
    " instruction_pointer=NULL, args=[0, 0, 0, 0, 0, 0]}}) = 42 (INJECTED)",
    "ioctl(-1, SECCOMP_IOCTL_NOTIF_RECV, %s => %s) = 42 (INJECTED)"
    % ((_NOTIF % ("__NR_gettid", "AUDIT_ARCH_X86_64"),) * 2),
    "ioctl(-1, SECCOMP_IOCTL_NOTIF_RECV, %s => %s) = 42 (INJECTED)"
    % ((_NOTIF % ("224 /* gettid */", "AUDIT_ARCH_I386"),) * 2),
    "ioctl(-1, SECCOMP_IOCTL_NOTIF_SEND, {id=0x7, val=-1, error=-ENOSR, flags=SECCOMP_USER_NOTIF_FLAG_CONTINUE})"
    " = 42 (INJECTED)",
    "ioctl(-1, SECCOMP_IOCTL_NOTIF_ID_VALID, [0xdecaffedfacefeed]) = 42 (INJECTED)",
    "ioctl(-1, SECCOMP_IOCTL_NOTIF_ADDFD, {id=0x1, flags=SECCOMP_ADDFD_FLAG_SETFD, srcfd=0, newfd=9,"
    " newfd_flags=O_CLOEXEC}) = 42 (INJECTED)",
    "ioctl(-1, SECCOMP_IOCTL_NOTIF_ADDFD, NULL) = 42 (INJECTED)",
]
_TERMIOS2 = "{c_iflag=ICRNL, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|, c_cflag=B9600|CS8|CREAD, c_lflag=, ...}"
EXPECTED_TERMIOS = [
    f"ioctl(-1, TCSETS2, {_TERMIOS2}) = 42 (INJECTED)",
    f"ioctl(-1, TCGETS2, {_TERMIOS2}) = 42 (INJECTED)",
]
TERMIOS2_VERBOSE = (
    "ioctl(-1, TCSETS2, {c_iflag=ICRNL, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|, c_cflag=B9600|CS8|CREAD, c_lflag=,"
    " c_line=0x90 /* N_??? */, c_cc=[[VINTR]=0, [VQUIT]=0, [VERASE]=0, [VKILL]=0, [VEOF]=0, [VTIME]=0, [VMIN]=0,"
    " [VSWTC]=0, [VSTART]=0, [VSTOP]=0, [VSUSP]=0, [VEOL]=0, [VREPRINT]=0, [VDISCARD]=0, [VWERASE]=0, [VLNEXT]=0,"
    " [VEOL2]=0, [17]=0, [18]=0], c_ispeed=9600, c_ospeed=4800}) = 42 (INJECTED)"
)
EXPECTED_SCSI_UFFD = [
    "ioctl(-1, SG_GET_TIMEOUT) = 42 (INJECTED)",
    "ioctl(-1, SG_SET_TRANSFORM, 0xfacefeed) = 42 (INJECTED)",
    "ioctl(-1, SG_SET_TIMEOUT, [-5]) = 42 (INJECTED)",
    "ioctl(-1, SG_GET_PACK_ID, [-5]) = 42 (INJECTED)",
    "ioctl(-1, SG_SCSI_RESET, [SG_SCSI_RESET_NO_ESCALATE|SG_SCSI_RESET_DEVICE]) = 42 (INJECTED)",
    "ioctl(-1, UFFDIO_API, {api=0xaa, features=0, ioctls=0}) = 42 (INJECTED)",
    "ioctl(-1, UFFDIO_REGISTER, {range={start=0x10000, len=0x1000}, mode=UFFDIO_REGISTER_MODE_MISSING, ioctls=0})"
    " = 42 (INJECTED)",
    "ioctl(-1, UFFDIO_COPY, {dst=0x10000, src=0x20000, len=0x1000, mode=UFFDIO_COPY_MODE_DONTWAKE, copy=0x1000})"
    " = 42 (INJECTED)",
    "ioctl(-1, UFFDIO_WAKE, {start=0x10000, len=0x1000}) = 42 (INJECTED)",
]
EXPECTED_SOCK = [
    'ioctl(-1, SIOCGIFINDEX, {ifr_name="lo", ifr_ifindex=0}) = 42 (INJECTED)',
    'ioctl(-1, SIOCSIFFLAGS, {ifr_name="lo", ifr_flags=IFF_UP|IFF_LOOPBACK}) = 42 (INJECTED)',
    'ioctl(-1, SIOCSIFMTU, {ifr_name="lo", ifr_mtu=1500}) = 42 (INJECTED)',
    'ioctl(-1, SIOCBRADDBR, "br0") = 42 (INJECTED)',
    "ioctl(-1, FIOSETOWN, [77]) = 42 (INJECTED)",
]
_DM_HEAD = '{version=[4, 1, 2], data_size=360, %sname="vol", %sflags=DM_READONLY_FLAG}'
_DM_BACK = _DM_HEAD % ("%s", "target_count=1, open_count=0, event_nr=0, ")
EXPECTED_DM = [
    f"ioctl(-1, DM_DEV_STATUS, [{_DM_HEAD % ('', '')}] => [{_DM_BACK % ''}]) = 42 (INJECTED)",
    f"ioctl(-1, DM_TABLE_LOAD, [{_DM_HEAD % ('data_start=312, ', 'target_count=1, ')}, ...]"
    f" => [{_DM_BACK % 'data_start=312, '}]) = 42 (INJECTED)",
]
EXPECTED = (EXPECTED_HDIO + EXPECTED_FS + EXPECTED_SECCOMP + EXPECTED_TERMIOS + EXPECTED_SCSI_UFFD + EXPECTED_SOCK
            + EXPECTED_DM)  # fmt: skip


@pytest.fixture(scope="module")
def program(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("gcc") is None:
        pytest.skip("gcc is not installed")
    out = tmp_path_factory.mktemp("ioctl") / "ioctl_storage_families"
    subprocess.run(["gcc", "-O1", "-o", str(out), str(PROGRAMS / "ioctl_storage_families.c")], check=True)
    return out


def _lines(text: str) -> list[str]:
    return [_SPACES.sub(") = ", line) for line in text.splitlines() if line.startswith("ioctl(")]


def _trace(tracer: list[str], program: Path, extra: list[str]) -> list[str]:
    out = program.parent / f"{Path(tracer[-1]).name}.txt"
    out.unlink(missing_ok=True)
    done = subprocess.run([*tracer, *OPTIONS, *extra, "-o", str(out), str(program)], capture_output=True,
                          timeout=120, check=False, cwd=REPO, stdin=subprocess.DEVNULL)  # fmt: skip
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    return _lines(out.read_text())


def _atrace(program: Path, *extra: str) -> list[str]:
    return _trace([sys.executable, "-m", "atrace"], program, ["--text", *extra])


def test_interfaces_the_kernel_lists(program: Path) -> None:
    # Not injected: the kernel fills the array SIOCGIFCONF's struct points to.
    options = ["-e", "trace=ioctl", "--text", "-s", "1"]
    out = program.parent / "real.txt"
    subprocess.run([sys.executable, "-m", "atrace", *options, "-o", str(out), str(program), "real"], check=True,
                   cwd=REPO, capture_output=True, timeout=120)  # fmt: skip
    lines = _lines(out.read_text())
    assert len(lines) == 1 and lines[0].startswith(
        "ioctl(3, SIOCGIFCONF, {ifc_len=160 /* 4 * sizeof(struct ifreq) */ => "
    )
    assert (
        '[{ifr_name="lo", ifr_addr={sa_family=AF_INET, sin_port=htons(0), sin_addr=inet_addr("127.0.0.1")}}' in lines[0]
    )
    if STRACE is not None:
        subprocess.run([STRACE, "-e", "trace=ioctl", "-s", "1", "-o", str(out), str(program), "real"], check=True,
                       capture_output=True, timeout=120)  # fmt: skip
        assert _lines(out.read_text()) == lines


def test_storage_ioctls_as_expected(program: Path) -> None:
    assert _atrace(program) == EXPECTED


def test_fiemap_extents_with_verbose(program: Path) -> None:
    assert FIEMAP_VERBOSE in _atrace(program, "-v")


def test_termios2_speeds_with_verbose(program: Path) -> None:
    assert TERMIOS2_VERBOSE in _atrace(program, "-v")


def test_seccomp_addfd_source_fd_path_with_y(program: Path) -> None:
    # stdin is /dev/null: the fd the struct names, shown with its path.
    assert "srcfd=0</dev/null>, newfd=9" in "\n".join(_atrace(program, "-y"))


@pytest.mark.skipif(STRACE is None, reason="strace is not installed")
@pytest.mark.parametrize("style", ["-Xabbrev", "-Xraw", "-Xverbose", "-v", "-y"])
def test_storage_ioctls_match_strace(program: Path, style: str) -> None:
    assert STRACE is not None
    expected = _trace([STRACE], program, [style])
    assert len(expected) == len(EXPECTED)  # strace ran the whole program
    assert _atrace(program, style) == expected
