"""TEE ioctls (linux/tee.h) traced in a real process
(tests/programs/ioctl_tee.c, every call on fd -1): the structs passed in,
the argument struct and parameters a struct tee_ioctl_buf_data points to
(raw when buf_len does not match them or buf_ptr cannot be read), what the
kernel would write back (`-e inject=` makes the calls succeed), and the
same lines as strace's under -X, -y and injected success."""

from __future__ import annotations

from pathlib import Path

import pytest
from ioctl_support import ATRACE, STRACE, build, stable_lines

EBADF = " = -1 EBADF (Bad file descriptor)"
PARAMS = ("params=[{attr=TEE_IOCTL_PARAM_ATTR_TYPE_NONE}, {attr=TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_INOUT"
          "|TEE_IOCTL_PARAM_ATTR_META, a=0x1001, b=0x20, c=0x7}, {attr=TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_OUTPUT, "
          "shm_offs=0x1002, size=0x20, shm_id=7}]")  # fmt: skip
UUID = "uuid=01234567-89ab-cdef-fedc-ba9876543210"


@pytest.fixture(scope="module")
def program(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory, "ioctl_tee")


def test_structs_and_buffers(program: Path, tmp_path: Path) -> None:
    lines = stable_lines(ATRACE, [], program, tmp_path)
    assert lines[:7] == [
        f"ioctl(-1, TEE_IOC_CANCEL, NULL){EBADF}",
        f"ioctl(-1, TEE_IOC_CANCEL, {{cancel_id=42, session=0xbeef}}){EBADF}",
        f"ioctl(-1, TEE_IOC_CLOSE_SESSION, {{session=0xfeed}}){EBADF}",
        f"ioctl(-1, TEE_IOC_SHM_ALLOC, {{size=0x4000, flags=TEE_IOCTL_SHM_MAPPED|TEE_IOCTL_SHM_DMA_BUF|0x80}}){EBADF}",
        f"ioctl(-1, TEE_IOC_SHM_REGISTER, {{addr=0x7000, length=0x2000, flags=0}}){EBADF}",
        f"ioctl(-1, TEE_IOC_VERSION, NULL){EBADF}",
        f"ioctl(-1, TEE_IOC_VERSION, ADDR){EBADF}",  # written back only on success
    ]
    for expected in (
        f"ioctl(-1, TEE_IOC_INVOKE, {{buf_len=120, buf_ptr={{func=9, session=0xabc, cancel_id=1, num_params=3, "
        f"{PARAMS}}}}}){EBADF}",
        f"ioctl(-1, TEE_IOC_INVOKE, {{buf_len=119, buf_ptr=ADDR}}){EBADF}",  # does not match num_params
        f"ioctl(-1, TEE_IOC_INVOKE, {{buf_len=1099511627776, buf_ptr=ADDR}}){EBADF}",
        f"ioctl(-1, TEE_IOC_OPEN_SESSION, {{buf_len=152, buf_ptr={{{UUID}, clnt_login=TEE_IOCTL_LOGIN_GROUP, "
        f"clnt_uuid=1234, cancel_id=5, num_params=3, {PARAMS}}}}}){EBADF}",
        f"ioctl(-1, TEE_IOC_OPEN_SESSION, {{buf_len=152, buf_ptr={{{UUID}, clnt_login=0x33 /* TEE_IOCTL_LOGIN_??? */, "
        "clnt_uuid=[0xd2, 0x4, 0, 0, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5], "
        f"cancel_id=5, num_params=3, {PARAMS}}}}}){EBADF}",
        f"ioctl(-1, TEE_IOC_SUPPL_SEND, {{buf_len=104, buf_ptr=0xdead0000}}){EBADF}",
    ):
        assert expected in lines


def test_what_comes_back(program: Path, tmp_path: Path) -> None:
    lines = stable_lines(ATRACE, ["-e", "inject=ioctl:retval=0"], program, tmp_path)
    for expected in (
        "ioctl(-1, TEE_IOC_VERSION, {impl_id=TEE_IMPL_ID_OPTEE, gen_caps=TEE_GEN_CAP_GP|TEE_GEN_CAP_REG_MEM|0x10, "
        "impl_caps=TEE_OPTEE_CAP_TZ}) = 0 (INJECTED)",
        "ioctl(-1, TEE_IOC_SHM_REGISTER, {addr=0x7000, length=0x2000, flags=0} => {length=0x2000, flags=0, id=0})"
        " = 0 (INJECTED)",
        "ioctl(-1, _IOC(_IOC_READ|_IOC_WRITE, 0xa4, 0x8, 0x20), {fd=3, flags=TEE_IOCTL_SHM_DMA_BUF} => "
        "{size=0x10, id=0}) = 0 (INJECTED)",
        f"ioctl(-1, TEE_IOC_SUPPL_SEND, {{buf_len=104, buf_ptr={{num_params=3, {PARAMS}}} => {{ret=1, {PARAMS}}}}})"
        " = 0 (INJECTED)",
    ):
        assert expected in lines


@pytest.mark.skipif(STRACE is None, reason="strace is not installed")
@pytest.mark.parametrize("options", [[], ["-Xraw"], ["-Xverbose"], ["-y"], ["-e", "inject=ioctl:retval=0"],
                                     ["-Xverbose", "-e", "inject=ioctl:retval=0"]])  # fmt: skip
def test_same_lines_as_strace(program: Path, tmp_path: Path, options: list[str]) -> None:
    assert STRACE is not None
    theirs = stable_lines([STRACE], options, program, tmp_path)
    assert len(theirs) == 19
    assert stable_lines(ATRACE, options, program, tmp_path) == theirs
