"""TEE (Trusted Execution Environment) ioctls (linux/tee.h, type 0xa4):
what each request's argument is.  The session and supplicant requests pass
a struct tee_ioctl_buf_data (u64 buf_ptr, u64 buf_len) pointing to their
own argument struct followed by its struct tee_ioctl_param array: buf_len
bytes of it are copied after the struct, in and again out.  The structs
have no pointer-sized field, so every ABI agrees."""

from __future__ import annotations

from .ioctl_codes import IOC_READ, IOC_WRITE, IoctlArg, ioc

TEE = 0xA4
BUF_DATA = 16
# TEE_MAX_ARG_SIZE: the kernel refuses a longer buffer (strace shows it raw).
MAX_ARG = 1024

VERSION = ioc(IOC_READ, TEE, 0, 12)
SHM_ALLOC = ioc(IOC_READ | IOC_WRITE, TEE, 1, 16)
OPEN_SESSION = ioc(IOC_READ, TEE, 2, BUF_DATA)
INVOKE = ioc(IOC_READ, TEE, 3, BUF_DATA)
CANCEL = ioc(IOC_READ, TEE, 4, 8)
CLOSE_SESSION = ioc(IOC_READ, TEE, 5, 4)
SUPPL_RECV = ioc(IOC_READ, TEE, 6, BUF_DATA)
SUPPL_SEND = ioc(IOC_READ, TEE, 7, BUF_DATA)
# Not in mainline Linux (struct tee_ioctl_shm_register_fd_data: s64 fd, u64
# size, u32 flags, u32 id, padded to 32 bytes); strace decodes it unnamed.
SHM_REGISTER_FD = ioc(IOC_READ | IOC_WRITE, TEE, 8, 32)
SHM_REGISTER = ioc(IOC_READ | IOC_WRITE, TEE, 9, 24)

_BUFFER = IoctlArg("tee_buf", "both", BUF_DATA, then_at=0, then_size=MAX_ARG, then_len_at=8)

ARGS: dict[int, IoctlArg] = {
    VERSION: IoctlArg("tee_version", "out", 12),
    SHM_ALLOC: IoctlArg("tee_shm_alloc", "both", 16),
    OPEN_SESSION: _BUFFER,
    INVOKE: _BUFFER,
    CANCEL: IoctlArg("tee_cancel", "in", 8),
    CLOSE_SESSION: IoctlArg("tee_close_session", "in", 4),
    SUPPL_RECV: _BUFFER,
    SUPPL_SEND: _BUFFER,
    SHM_REGISTER_FD: IoctlArg("tee_shm_register_fd", "both", 32),
    SHM_REGISTER: IoctlArg("tee_shm_register", "both", 24),
}
# -y: SHM_REGISTER_FD's fd (its low 32 bits, little-endian).
FD_FIELDS: dict[int, int] = {SHM_REGISTER_FD: 0}
