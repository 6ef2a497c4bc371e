"""POSIX message queues as strace's mq, mq_sendrecv tests show them: the
queue's attributes, the notification, the priority received, and mq_open's
optional arguments."""

from __future__ import annotations

import struct

from decoding_support import TraceeMemory, plan, render, run, trace

ATTR = struct.pack("<qqqq32x", 0x800, 10, 8192, 0)
ATTR_TEXT = "{mq_flags=O_NONBLOCK, mq_maxmsg=10, mq_msgsize=8192, mq_curmsgs=0}"


def test_mq_open_shows_mode_and_attributes_only_with_o_creat() -> None:
    memory = TraceeMemory({0x1000: b"/q\0", 0x2000: ATTR})
    assert trace("mq_open", memory, [0x1000, 0o2, 0o700, 0x2000], 3) == 'mq_open("/q", O_RDWR) = 3'
    assert trace("mq_open", memory, [0x1000, 0o102, 0o700, 0x2000], 3) == (
        f'mq_open("/q", O_RDWR|O_CREAT, 0700, {ATTR_TEXT}) = 3'
    )
    # The reserved longs are read too: an attr ending before them is its address.
    memory = TraceeMemory({0x1000: b"/q\0", 0x2000: ATTR[:32]})
    assert trace("mq_open", memory, [0x1000, 0o102, 0o700, 0x2000], -14) == (
        'mq_open("/q", O_RDWR|O_CREAT, 0700, 0x2000) = -1 EFAULT (Bad address)'
    )


def test_mq_getsetattr_in_and_out() -> None:
    memory = TraceeMemory({0x2000: ATTR})
    entry, exit_ = run(plan("mq_getsetattr", memory), [3, 0, 0x2000], 0)
    assert render("mq_getsetattr", [3, 0, 0x2000], 0, entry, exit_) == f"mq_getsetattr(3, NULL, {ATTR_TEXT}) = 0"
    assert trace("mq_getsetattr", memory, [3, 0x2000, 0], 0) == f"mq_getsetattr(3, {ATTR_TEXT}, NULL) = 0"


def test_mq_notify_and_timedreceive() -> None:
    event = struct.pack("<QiiQQ", 0xDEADBEEFBADC0DED, 14, 0, 0, 0)
    memory = TraceeMemory({0x3000: event})
    assert trace("mq_notify", memory, [3, 0x3000], -14) == (
        "mq_notify(3, {sigev_value={sival_int=-1159983635, sival_ptr=0xdeadbeefbadc0ded}, sigev_signo=SIGALRM, "
        "sigev_notify=SIGEV_SIGNAL}) = -1 EFAULT (Bad address)"
    )
    memory = TraceeMemory({0x4000: b"hi", 0x5000: struct.pack("<I", 42)})
    assert trace("mq_timedreceive", memory, [3, 0x4000, 64, 0x5000, 0], 2) == (
        'mq_timedreceive(3, "hi", 64, [42], NULL) = 2'
    )
    # A message not readable as far as it is shown is its address; none, NULL.
    memory = TraceeMemory({0x4000: b"hi"})
    assert trace("mq_timedsend", memory, [3, 0x4000, 64, 0, 0], -9).startswith("mq_timedsend(3, 0x4000, 64, 0,")
    assert trace("mq_timedsend", memory, [3, 0, 0, 0, 0], -9).startswith("mq_timedsend(3, NULL, 0, 0,")


def test_semop_array() -> None:
    """strace's semop and semtimedop tests: struct sembuf by struct, where
    readable memory ends `... /* address */`."""
    ops = struct.pack("<Hhh", 0, -1, 0x1000) + struct.pack("<Hhh", 64206, -4083, 0xBEEF - 0x10000)
    memory = TraceeMemory({0x1000: ops})
    assert trace("semop", memory, [5, 0x1000, 2], 0) == (
        "semop(5, [{sem_num=0, sem_op=-1, sem_flg=SEM_UNDO}, {sem_num=64206, sem_op=-4083, "
        "sem_flg=SEM_UNDO|IPC_NOWAIT|0xa6ef}], 2) = 0"
    )
    assert trace("semop", memory, [5, 0x1000 + 6, 2], -14) == (
        "semop(5, [{sem_num=64206, sem_op=-4083, sem_flg=SEM_UNDO|IPC_NOWAIT|0xa6ef}, ... /* 0x100c */], 2)"
        " = -1 EFAULT (Bad address)"
    )
    assert trace("semtimedop", memory, [5, 0x1000, 1, 0], 0) == (
        "semtimedop(5, [{sem_num=0, sem_op=-1, sem_flg=SEM_UNDO}], 1, NULL) = 0"
    )


def test_msgsnd_and_msgrcv_messages() -> None:
    """strace's ipc_msgbuf tests: the message's type and text; msgrcv's
    msgtyp is a long."""
    message = struct.pack("<q", 9199991941521739245) + b"STRACE_STRING\0"
    memory = TraceeMemory({0x1000: message})
    assert trace("msgsnd", memory, [7, 0x1000, 14, 0], 0) == (
        'msgsnd(7, {mtype=9199991941521739245, mtext="STRACE_STRING\\0"}, 14, 0) = 0'
    )
    assert trace("msgrcv", memory, [7, 0x1000, 14, -9199991941521739245 & (1 << 64) - 1, 0], 14) == (
        'msgrcv(7, {mtype=9199991941521739245, mtext="STRACE_STRING\\0"}, 14, -9199991941521739245, 0) = 14'
    )
    assert trace("msgrcv", memory, [7, 0x1000, 14, 1, 0o4000], -42) == (
        "msgrcv(7, 0x1000, 14, 1, IPC_NOWAIT) = -1 ENOMSG (No message of desired type)"
    )


def test_mq_flags_with_other_bits_in_hex() -> None:
    """strace's mq_sendrecv test: an mq_flags word with more than O_NONBLOCK is its number."""
    memory = TraceeMemory({0x2000: struct.pack("<qqqq32x", 0xC2C1C0BFBEBDBCBB - (1 << 64), 2, 64, 0)})
    assert trace("mq_getsetattr", memory, [3, 0x2000, 0], -9).startswith(
        "mq_getsetattr(3, {mq_flags=0xc2c1c0bfbebdbcbb, mq_maxmsg=2, mq_msgsize=64, mq_curmsgs=0}, NULL)"
    )
