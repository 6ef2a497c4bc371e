"""SCSI generic ioctls (scsi/sg.h): the requests that pass or answer an int
by address.  Registered by atrace.syscalls.ioctls; shown by
atrace.render.decode.ioctl_scsi."""

from __future__ import annotations

SG_SCSI_RESET = 0x2284
# Requests that pass a signed int by address: NEXT_CMD_LEN, SET_COMMAND_Q,
# SET_DEBUG, SET_FORCE_LOW_DMA, SET_FORCE_PACK_ID, SET_KEEP_ORPHAN,
# SET_RESERVED_SIZE, SET_TIMEOUT.
SETTERS = (0x2283, 0x2271, 0x227E, 0x2279, 0x227B, 0x2287, 0x2275, 0x2201)
# Requests that answer one: EMULATED_HOST, GET_ACCESS_COUNT, GET_COMMAND_Q,
# GET_KEEP_ORPHAN, GET_LOW_DMA, GET_NUM_WAITING, GET_PACK_ID,
# GET_RESERVED_SIZE, GET_SG_TABLESIZE, GET_TRANSFORM, GET_VERSION_NUM.
GETTERS = (0x2203, 0x2289, 0x2270, 0x2288, 0x227A, 0x227D, 0x227C, 0x2272, 0x227F, 0x2205, 0x2282)

SIZES: dict[str, int] = {"sg_reset": 4}

ARGS: dict[int, tuple[str, str]] = {
    SG_SCSI_RESET: ("sg_reset", "in"),
    **{request: ("int", "in") for request in SETTERS},
    **{request: ("int", "out") for request in GETTERS},
}
