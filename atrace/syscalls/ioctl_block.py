"""Block devices' ioctls (linux/fs.h, blkpg.h, blktrace_api.h, type 0x12),
x86_64's layouts.  strace shows the requests that take a value by value,
the ints and longs read or passed as `[N]`, and the structs below."""

from __future__ import annotations

from .ioctl_codes import IOC_NONE, IOC_READ, IOC_WRITE, IoctlArg, ioc, value

_B = 0x12
BLKPG = ioc(IOC_NONE, _B, 105, 0)
BLKTRACESETUP = ioc(IOC_READ | IOC_WRITE, _B, 115, 72)
BLKPG_ARG, BLKPG_PARTITION, TRACE_SETUP = 24, 152, 72
# --pidns-translation: struct blk_user_trace_setup's pid, after name[32],
# act_mask, buf_size, buf_nr, start_lba and end_lba.
PID_FIELDS: dict[int, int] = {BLKTRACESETUP: 64}

ARGS: dict[int, IoctlArg] = {
    ioc(IOC_NONE, _B, 98, 0): value("blk_ulong_value"),  # BLKRASET
    ioc(IOC_NONE, _B, 100, 0): value("blk_ulong_value"),  # BLKFRASET
    ioc(IOC_NONE, _B, 103, 0): IoctlArg("blk_ushort", "out", 2),  # BLKSECTGET
    ioc(IOC_NONE, _B, 126, 0): IoctlArg("blk_ushort", "out", 2),  # BLKROTATIONAL
    ioc(IOC_NONE, _B, 93, 0): IoctlArg("blk_int", "in", 4),  # BLKROSET
    ioc(IOC_NONE, _B, 94, 0): IoctlArg("blk_int", "out", 4),  # BLKROGET
    ioc(IOC_NONE, _B, 104, 0): IoctlArg("blk_int", "out", 4),  # BLKSSZGET
    ioc(IOC_NONE, _B, 122, 0): IoctlArg("blk_int", "out", 4),  # BLKALIGNOFF
    ioc(IOC_READ, _B, 112, 8): IoctlArg("blk_int", "out", 4),  # BLKBSZGET (size_t in its number, an int read)
    ioc(IOC_WRITE, _B, 113, 8): IoctlArg("blk_int", "in", 4),  # BLKBSZSET
    **{ioc(IOC_NONE, _B, nr, 0): IoctlArg("blk_uint", "out", 4) for nr in (123, 120, 121, 124)},
    ioc(IOC_READ, _B, 132, 4): IoctlArg("blk_uint", "out", 4),  # BLKGETZONESZ
    ioc(IOC_READ, _B, 133, 4): IoctlArg("blk_uint", "out", 4),  # BLKGETNRZONES
    ioc(IOC_NONE, _B, 99, 0): IoctlArg("blk_long", "out", 8),  # BLKRAGET
    ioc(IOC_NONE, _B, 101, 0): IoctlArg("blk_long", "out", 8),  # BLKFRAGET
    ioc(IOC_NONE, _B, 96, 0): IoctlArg("blk_ulong", "out", 8),  # BLKGETSIZE
    ioc(IOC_READ, _B, 114, 8): IoctlArg("blk_ulong", "out", 8),  # BLKGETSIZE64
    ioc(IOC_READ, _B, 128, 8): IoctlArg("blk_ulong", "out", 8),  # BLKGETDISKSEQ
    **{ioc(IOC_NONE, _B, nr, 0): IoctlArg("blk_pair", "in", 16) for nr in (119, 125, 127)},  # DISCARD, SEC..., ZEROOUT
    BLKPG: IoctlArg("blkpg", "in", BLKPG_ARG, then_at=16, then_size=BLKPG_PARTITION),
    BLKTRACESETUP: IoctlArg("blk_trace_setup", "both", TRACE_SETUP),
    # BLKRRPART, BLKFLSBUF, BLKTRACESTART, BLKTRACESTOP, BLKTRACETEARDOWN: no argument.
    **{ioc(IOC_NONE, _B, nr, 0): IoctlArg("", "none") for nr in (95, 97, 116, 117, 118)},
}
