"""Decoding of network calls: sockets, addresses, socket options, sendmsg/recvmsg and i386 socketcall."""

from __future__ import annotations

import struct

from decoding_support import TraceeMemory, compact, line, plan, render, run, trace

from atrace.render.sockaddr import format_sockaddr
from atrace.render.text import TextOptions
from atrace.syscalls import ARCH_I386

# -- messages ------------------------------------------------------------------


def _msghdr64(name: int, namelen: int, iov: int, iovlen: int, control: int, controllen: int, flags: int) -> bytes:
    return struct.pack("<QI4xQQQQI4x", name, namelen, iov, iovlen, control, controllen, flags)


def _msghdr32(name: int, namelen: int, iov: int, iovlen: int, control: int, controllen: int, flags: int) -> bytes:
    return struct.pack("<IIIIIII", name, namelen, iov, iovlen, control, controllen, flags)


RIGHTS64 = struct.pack("<Qii", 24, 1, 1) + struct.pack("<ii", 0, 1)
RIGHTS32 = struct.pack("<Iii", 16, 1, 1) + struct.pack("<i", 7)
CREDS64 = struct.pack("<Qii", 28, 1, 2) + struct.pack("<iII", 42, 0, 0) + b"\0" * 4
ADDR = struct.pack("<H", 2) + struct.pack(">H", 8080) + bytes([127, 0, 0, 1]) + b"\0" * 8


def test_sockets() -> None:
    assert compact(line("socket", [2, 0o2000001, 0], 3)) == "socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_IP) = 3"
    assert compact(line("socket", [1, 1, 0], 3)) == "socket(AF_UNIX, SOCK_STREAM, 0) = 3"
    inet = struct.pack("<H", 2) + struct.pack(">H", 9) + bytes([127, 0, 0, 1]) + bytes(8)
    assert format_sockaddr(inet, TextOptions()) == (
        '{sa_family=AF_INET, sin_port=htons(9), sin_addr=inet_addr("127.0.0.1")}'
    )
    unix = struct.pack("<H", 1) + b"/tmp/s\0"
    text = line("connect", [3, 0x10, len(unix)], -2, {"uservaddr": unix})
    assert compact(text) == (
        'connect(3, {sa_family=AF_UNIX, sun_path="/tmp/s"}, 9) = -1 ENOENT (No such file or directory)'
    )
    # Readable memory ends before the length passed: strace shows the address.
    text = line("connect", [3, 0x10, 110], -2, {"uservaddr": unix})
    assert compact(text) == "connect(3, 0x10, 110) = -1 ENOENT (No such file or directory)"
    six = struct.pack("<H", 10) + struct.pack(">HI", 80, 0) + bytes(15) + b"\1" + bytes(4)
    assert 'inet_pton(AF_INET6, "::1", &sin6_addr)' in format_sockaddr(six, TextOptions())
    text = line("accept4", [3, 0x10, 0x20, 0o2000000], 4, {"upeer_addrlen": 128}, {"upeer_sockaddr": [inet, 16]})
    assert compact(text).endswith("[128 => 16], SOCK_CLOEXEC) = 4")
    text = line("setsockopt", [3, 1, 2, 0x10, 4], 0, {"optval": (1).to_bytes(4, "little")})
    assert compact(text) == "setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0"
    text = line("sendto", [3, 0x10, 4, 0x4000, 0, 0], 4, {"buff": b"ping"})
    assert compact(text) == 'sendto(3, "ping", 4, MSG_NOSIGNAL, NULL, 0) = 4'


# -- socket options ------------------------------------------------------------


def test_getsockopt_reads_value_and_both_lengths() -> None:
    memory = TraceeMemory({0x1000: struct.pack("<iii", 77, 1000, 1000), 0x2000: struct.pack("<I", 12)})
    p = plan("getsockopt", memory)
    entry, exit_ = run(p, [3, 1, 17, 0x1000, 0x2000], 0)
    assert entry == {"optlen": 12}
    assert exit_ == {"optval": [struct.pack("<iii", 77, 1000, 1000), 12]}
    assert render("getsockopt", [3, 1, 17, 0x1000, 0x2000], 0, entry, exit_) == (
        "getsockopt(3, SOL_SOCKET, SO_PEERCRED, {pid=77, uid=1000, gid=1000}, [12]) = 0"
    )


def test_getsockopt_text() -> None:
    def get(level: int, name: int, before: int, data: bytes, after: int, ret: int = 0) -> str:
        exit_ = {"optval": [data, after]} if ret == 0 else None
        return render("getsockopt", [3, level, name, 0x1000, 0x2000], ret, {"optlen": before}, exit_)

    assert get(1, 4, 4, b"\0\0\0\0", 4) == "getsockopt(3, SOL_SOCKET, SO_ERROR, [0], [4]) = 0"
    # A pending error by its name.
    assert get(1, 4, 5, struct.pack("<i", 111), 4) == (
        "getsockopt(3, SOL_SOCKET, SO_ERROR, [ECONNREFUSED], [5 => 4]) = 0"
    )
    assert get(1, 3, 8, b"\1\0\0\0", 4) == "getsockopt(3, SOL_SOCKET, SO_TYPE, [1], [8 => 4]) = 0"
    assert get(6, 1, 4, b"\1\0\0\0", 4) == "getsockopt(3, SOL_TCP, TCP_NODELAY, [1], [4]) = 0"
    assert get(1, 13, 8, struct.pack("<ii", 1, 5), 8) == (
        "getsockopt(3, SOL_SOCKET, SO_LINGER, {l_onoff=1, l_linger=5}, [8]) = 0"
    )
    # A cut int option is shown in hex, another cut value in the usual escapes.
    assert get(1, 8, 2, b"\0\0", 2) == r'getsockopt(3, SOL_SOCKET, SO_RCVBUF, "\x00\x00", [2]) = 0'
    assert get(1, 20, 2, b"\0\0", 2) == r'getsockopt(3, SOL_SOCKET, SO_RCVTIMEO_OLD, "\0\0", [2]) = 0'
    assert (
        get(1, 17, 8, struct.pack("<ii", 0, -1), 8)
        == "getsockopt(3, SOL_SOCKET, SO_PEERCRED, {pid=0, uid=-1}, [8]) = 0"
    )
    assert get(1, 25, 4, b"", 0) == "getsockopt(3, SOL_SOCKET, SO_BINDTODEVICE, 0x1000, [4 => 0]) = 0"
    assert get(1, 9999, 4, b"", 0, -92) == (
        "getsockopt(3, SOL_SOCKET, 0x270f /* SO_??? */, 0x1000, [4]) = -1 ENOPROTOOPT (Protocol not available)"
    )


def test_setsockopt_text() -> None:
    def set_(level: int, name: int, data: bytes, length: int, ret: int = 0) -> str:
        return render("setsockopt", [3, level, name, 0x1000, length], ret, {"optval": data}, {})

    assert set_(1, 2, b"\1\0\0\0", 4) == "setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0"
    assert set_(1, 2, b"\1\0\0\0\0\0\0\0", 8) == "setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 8) = 0"
    assert (
        set_(1, 2, b"\1\0", 2, -22)
        == "setsockopt(3, SOL_SOCKET, SO_REUSEADDR, 0x1000, 2) = -1 EINVAL (Invalid argument)"
    )
    assert (
        set_(1, 13, struct.pack("<ii", 1, 5), 8)
        == "setsockopt(3, SOL_SOCKET, SO_LINGER, {l_onoff=1, l_linger=5}, 8) = 0"
    )
    assert set_(6, 13, b"cubic", 5) == 'setsockopt(3, SOL_TCP, TCP_CONGESTION, "cubic", 5) = 0'
    assert set_(0, 2, b"\7", 1) == r'setsockopt(3, SOL_IP, IP_TTL, "\7", 1) = 0'


def test_sol_socket_values_by_length() -> None:
    """strace's sockopt-sol_socket: an int option reads an int whenever the
    length allows one; an option strace does not decode is its bytes, or its
    address when they end in unreadable memory; a cut int option set is its
    address."""

    def set_(name: int, data: bytes, length: int) -> str:
        return render("setsockopt", [3, 1, name, 0x1000, length], -92, {"optval": data}, {})

    def get(name: int, before: int, data: bytes, after: int) -> str:
        return render("getsockopt", [3, 1, name, 0x1000, 0x2000], 42, {"optlen": before}, {"optval": [data, after]})

    # Five bytes of which four are readable: the address; all readable: the bytes.
    assert set_(3, b"\1\0\0\0", 5).startswith("setsockopt(3, SOL_SOCKET, SO_TYPE, 0x1000, 5)")
    assert set_(3, b"\1\0\0\0\0", 5).startswith(r'setsockopt(3, SOL_SOCKET, SO_TYPE, "\1\0\0\0\0", 5)')
    assert set_(3, b"\0\0\0", 3).startswith(r'setsockopt(3, SOL_SOCKET, SO_TYPE, "\0\0\0", 3)')
    assert set_(1, b"\0\0\0", 3).startswith("setsockopt(3, SOL_SOCKET, SO_DEBUG, 0x1000, 3)")
    assert set_(27, b"\1\0\0\0\0", 5).startswith("setsockopt(3, SOL_SOCKET, SO_DETACH_FILTER, [1], 5)")
    assert get(1, 5, b"\1\0\0\0", 5).startswith("getsockopt(3, SOL_SOCKET, SO_DEBUG, [1], [5])")
    # Five bytes asked, four readable: an option of unknown size is its address.
    assert get(3, 5, b"\1\0\0\0", 5).startswith("getsockopt(3, SOL_SOCKET, SO_TYPE, 0x1000, [5])")
    assert get(3, 5, b"\1\0\0\0\xff", 5).startswith(r'getsockopt(3, SOL_SOCKET, SO_TYPE, "\1\0\0\0\377", [5])')
    assert get(74, 4, b"\xff\0\0\0", 4).startswith("getsockopt(3, SOL_SOCKET, SO_TXREHASH, [SOCK_TXREHASH_DEFAULT]")
    assert get(74, 4, b"\2\0\0\0", 4).startswith("getsockopt(3, SOL_SOCKET, SO_TXREHASH, [2 /* SOCK_TXREHASH_??? */]")
    assert render("setsockopt", [3, 0x107, 1, 0, 0], -9, {"optval": None}, {}).startswith("setsockopt(3, SOL_PACKET, ")


def test_setsockopt_reads_a_struct_below_the_string_limit() -> None:
    memory = TraceeMemory({0x1000: struct.pack("<ii", 1, 5) + b"\0" * 8})
    entry, _ = run(plan("setsockopt", memory, limit=4), [3, 1, 13, 0x1000, 8], 0)
    assert entry["optval"] == struct.pack("<ii", 1, 5)


def test_sendmsg_x86_64() -> None:
    memory = TraceeMemory({
        0x1000: _msghdr64(0x2000, 16, 0x3000, 2, 0x4000, 24, 0),
        0x2000: ADDR,
        0x3000: struct.pack("<QQQQ", 0x5000, 5, 0x6000, 40),
        0x4000: RIGHTS64,
        0x5000: b"hello",
        0x6000: b"x" * 40,
    })  # fmt: skip
    entry, _ = run(plan("sendmsg", memory), [3, 0x1000, 0x40], 45)
    assert entry["msg"]["iov"] == [[b"hello", 5], [b"x" * 33, 40]]
    assert entry["msg"]["control"] == RIGHTS64
    assert render("sendmsg", [3, 0x1000, 0x40], 45, entry, {}) == (
        'sendmsg(3, {msg_name={sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr("127.0.0.1")}, '
        'msg_namelen=16, msg_iov=[{iov_base="hello", iov_len=5}, {iov_base="' + "x" * 32 + '"..., iov_len=40}], '
        "msg_iovlen=2, msg_control=[{cmsg_len=24, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[0, 1]}], "
        "msg_controllen=24, msg_flags=0}, MSG_DONTWAIT) = 45"
    )


def test_sendmsg_control_bytes_left_after_the_messages() -> None:
    """Bytes left after the control messages, too few for a header (or
    after a cmsg_len shorter than one): their address, as strace shows it."""
    short_len = struct.pack("<Qii", 3, 1, 1) + b"\xff"
    memory = TraceeMemory({0x1000: _msghdr64(0, 0, 0, 0, 0x4000, 17, 0), 0x4000: short_len})
    entry, _ = run(plan("sendmsg", memory), [3, 0x1000, 0], -9)
    assert render("sendmsg", [3, 0x1000, 0], -9, entry, {}).startswith(
        "sendmsg(3, {msg_name=NULL, msg_namelen=0, msg_iov=NULL, msg_iovlen=0, msg_control=[{cmsg_len=3, "
        "cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS}, ... /* 0x4010 */], msg_controllen=17, msg_flags=0}, 0)"
    )
    # A cmsg_len reaching past the buffer: nothing after it.
    long_len = struct.pack("<Qii", 20, 1, 1) + b"\xff"
    memory = TraceeMemory({0x1000: _msghdr64(0, 0, 0, 0, 0x4000, 17, 0), 0x4000: long_len})
    entry, _ = run(plan("sendmsg", memory), [3, 0x1000, 0], -9)
    assert "cmsg_type=SCM_RIGHTS}], msg_controllen=17" in render("sendmsg", [3, 0x1000, 0], -9, entry, {})


def _cmsg(level: int, kind: int, data: bytes) -> bytes:
    return struct.pack("<QiI", 16 + len(data), level, kind) + data + bytes(-len(data) % 8)


def test_sendmsg_control_types_and_short_timestamps() -> None:
    def control(raw: bytes) -> str:
        memory = TraceeMemory({0x1000: _msghdr64(0, 0, 0, 0, 0x4000, len(raw), 0), 0x4000: raw})
        entry, _ = run(plan("sendmsg", memory), [3, 0x1000, 0], -9)
        text = render("sendmsg", [3, 0x1000, 0], -9, entry, {})
        return text[text.index("msg_control=") + 12 : text.index(", msg_controllen")]

    assert (
        control(_cmsg(1, 29, bytes(8)))
        == "[{cmsg_len=24, cmsg_level=SOL_SOCKET, cmsg_type=SO_TIMESTAMP_OLD, cmsg_data=???}]"
    )
    stamps = struct.pack("<6q", 1, 2, 3, 4, 5, 6)
    assert control(_cmsg(1, 37, stamps)) == (
        "[{cmsg_len=64, cmsg_level=SOL_SOCKET, cmsg_type=SO_TIMESTAMPING_OLD, cmsg_data=[{tv_sec=1, tv_nsec=2}, "
        "{tv_sec=3, tv_nsec=4}, {tv_sec=5, tv_nsec=6}]}]"
    )
    assert (
        control(_cmsg(1, 0xFACEFEED, b""))
        == "[{cmsg_len=16, cmsg_level=SOL_SOCKET, cmsg_type=0xfacefeed /* SCM_??? */}]"
    )
    assert control(_cmsg(0, 0xFACEFEED, b"")) == "[{cmsg_len=16, cmsg_level=SOL_IP, cmsg_type=0xfacefeed /* IP_??? */}]"
    assert control(_cmsg(6, 0xDEADBEEF, b"")) == "[{cmsg_len=16, cmsg_level=SOL_TCP, cmsg_type=0xdeadbeef}]"
    assert control(_cmsg(0, 23, struct.pack("<I", 4207869677))) == (
        "[{cmsg_len=20, cmsg_level=SOL_IP, cmsg_type=IP_CHECKSUM, cmsg_data=[4207869677]}]"
    )
    err = struct.pack("<IBBBxII", 111, 2, 3, 4, 5, 6) + struct.pack("<HH4s8x", 2, 0x3930, bytes([127, 0, 0, 1]))
    assert control(_cmsg(0, 11, err)) == (
        "[{cmsg_len=48, cmsg_level=SOL_IP, cmsg_type=IP_RECVERR, cmsg_data={ee_errno=111, ee_origin=2, ee_type=3, "
        "ee_code=4, ee_info=5, ee_data=6, offender={sa_family=AF_INET, sin_port=htons(12345), "
        'sin_addr=inet_addr("127.0.0.1")}}}]'
    )
    # IP options: at most -s bytes without -v.
    assert control(_cmsg(0, 7, bytes(range(0x41, 0x41 + 33)))).endswith("0x5f, 0x60, ...]}]")


def test_recvmsg_x86_64_reads_what_was_received() -> None:
    before = _msghdr64(0, 0, 0x3000, 2, 0x4000, 256, 0)
    after = _msghdr64(0, 0, 0x3000, 2, 0x4000, 56, 0x40000000)
    memory = TraceeMemory({
        0x1000: before,
        0x3000: struct.pack("<QQQQ", 0x5000, 4, 0x6000, 64),
        0x4000: CREDS64 + RIGHTS64,
        0x5000: b"hell",
        0x6000: b"o world" + b"\0" * 57,
    })  # fmt: skip
    p = plan("recvmsg", memory)
    entry, _ = run(p, [4, 0x1000, 0x40000000], 5)
    assert entry == {"msg": before}
    memory.regions[0x1000] = after
    _, exit_ = run(p, [4, 0x1000, 0x40000000], 5)
    assert exit_["msg"]["iov"] == [[b"hell", 4], [b"o", 64]]
    assert render("recvmsg", [4, 0x1000, 0x40000000], 5, entry, exit_) == (
        'recvmsg(4, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="hell", iov_len=4}, {iov_base="o", iov_len=64}], '
        "msg_iovlen=2, msg_control=[{cmsg_len=28, cmsg_level=SOL_SOCKET, cmsg_type=SCM_CREDENTIALS, "
        "cmsg_data={pid=42, uid=0, gid=0}}, {cmsg_len=24, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, "
        "cmsg_data=[0, 1]}], msg_controllen=56, msg_flags=MSG_CMSG_CLOEXEC}, MSG_CMSG_CLOEXEC) = 5"
    )
    assert render("recvmsg", [4, 0x1000, 0x40], -11, {"msg": _msghdr64(0, 16, 0, 0, 0, 0, 0)}, None) == (
        "recvmsg(4, {msg_namelen=16}, MSG_DONTWAIT) = -1 EAGAIN (Resource temporarily unavailable)"
    )


def test_recvmsg_namelen_in_and_out() -> None:
    exit_ = {"msg": {"msghdr": _msghdr64(0x2000, 16, 0, 0, 0, 0, 0), "name": ADDR, "iov": None, "control": None}}
    text = render("recvmsg", [3, 0x1000, 0], 0, {"msg": _msghdr64(0x2000, 24, 0, 0, 0, 0, 0)}, exit_)
    assert "msg_namelen=24 => 16, msg_iov=NULL, msg_iovlen=0, msg_controllen=0, msg_flags=0}" in text


def test_sendmsg_i386_socketcall() -> None:
    """i386: 32-bit msghdr, iovec and cmsghdr, reached through socketcall."""
    args = struct.pack("<IIIIII", 3, 0x1000, 0, 0, 0, 0)
    memory = TraceeMemory({
        0x900: args,
        0x1000: _msghdr32(0, 0, 0x3000, 1, 0x4000, 16, 0),
        0x3000: struct.pack("<II", 0x5000, 5),
        0x4000: RIGHTS32,
        0x5000: b"hello",
    })  # fmt: skip
    entry, _ = run(plan("socketcall", memory, ARCH_I386), [16, 0x900], 5, ARCH_I386)
    assert render("socketcall", [16, 0x900], 5, entry, {}, ARCH_I386) == (
        'sendmsg(3, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="hello", iov_len=5}], msg_iovlen=1, '
        "msg_control=[{cmsg_len=16, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[7]}], "
        "msg_controllen=16, msg_flags=0}, 0) = 5"
    )


def test_recvmmsg_x86_64() -> None:
    entries = _msghdr64(0, 0, 0x3000, 1, 0, 0, 8) + struct.pack("<I4x", 5)
    memory = TraceeMemory({0x1000: entries, 0x3000: struct.pack("<QQ", 0x5000, 64), 0x5000: b"hello" + b"\0" * 59})
    _, exit_ = run(plan("recvmmsg", memory), [4, 0x1000, 1, 0x40, 0], 1)
    assert render("recvmmsg", [4, 0x1000, 1, 0x40, 0], 1, {}, exit_) == (
        'recvmmsg(4, [{msg_hdr={msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="hello", iov_len=64}], '
        "msg_iovlen=1, msg_controllen=0, msg_flags=MSG_CTRUNC}, msg_len=5}], 1, MSG_DONTWAIT, NULL) = 1"
    )


def test_struct_socket_options() -> None:
    """Multicast requests and the ICMP filter: decoded when the length
    covers the struct, the address otherwise."""
    mreq6 = bytes.fromhex("ff01000000000000000000000000000c") + struct.pack("<I", 1)
    memory = TraceeMemory({0x1000: mreq6, 0x2000: struct.pack("<I", 0xFFFFFFFF)})
    assert trace("setsockopt", memory, [3, 41, 20, 0x1000, 20], 0) == (
        'setsockopt(3, SOL_IPV6, IPV6_ADD_MEMBERSHIP, {inet_pton(AF_INET6, "ff01::c", &ipv6mr_multiaddr), '
        'ipv6mr_interface=if_nametoindex("lo")}, 20) = 0'
    )
    assert trace("setsockopt", memory, [3, 41, 21, 0x1000, 19], -22) == (
        "setsockopt(3, SOL_IPV6, IPV6_DROP_MEMBERSHIP, 0x1000, 19) = -1 EINVAL (Invalid argument)"
    )
    assert trace("setsockopt", memory, [3, 255, 1, 0x2000, 4], 0) == "setsockopt(3, SOL_RAW, ICMP_FILTER, ~[], 4) = 0"


def test_control_messages_timestamps_and_ip() -> None:
    from atrace.render.decode.msg import _control
    from atrace.syscalls import ARCH_X86_64

    def cmsg(level: int, kind: int, data: bytes) -> bytes:
        head = struct.pack("<Qii", 16 + len(data), level, kind) + data
        return head + b"\0" * (-len(head) % 8)

    raw = cmsg(1, 29, struct.pack("<qq", 1700000000, 5)) + cmsg(1, 64, struct.pack("<qq", 7, 8))
    assert _control(raw, len(raw), ARCH_X86_64, TextOptions()) == (
        "[{cmsg_len=32, cmsg_level=SOL_SOCKET, cmsg_type=SO_TIMESTAMP_OLD, cmsg_data={tv_sec=1700000000, tv_usec=5}}, "
        "{cmsg_len=32, cmsg_level=SOL_SOCKET, cmsg_type=SO_TIMESTAMPNS_NEW, cmsg_data={tv_sec=7, tv_nsec=8}}]"
    )
    pktinfo = struct.pack("<i", 1) + bytes([127, 0, 0, 1]) * 2
    raw = cmsg(0, 8, pktinfo) + cmsg(0, 1, b"\0") + cmsg(0, 7, b"") + cmsg(0, 6, b"\1\0")
    assert _control(raw, len(raw), ARCH_X86_64, TextOptions()) == (
        '[{cmsg_len=28, cmsg_level=SOL_IP, cmsg_type=IP_PKTINFO, cmsg_data={ipi_ifindex=if_nametoindex("lo"), '
        'ipi_spec_dst=inet_addr("127.0.0.1"), ipi_addr=inet_addr("127.0.0.1")}}, '
        "{cmsg_len=17, cmsg_level=SOL_IP, cmsg_type=IP_TOS, cmsg_data=[0]}, "
        "{cmsg_len=16, cmsg_level=SOL_IP, cmsg_type=IP_RETOPTS}, "
        "{cmsg_len=18, cmsg_level=SOL_IP, cmsg_type=IP_RECVOPTS, cmsg_data=[0x1, 0]}]"
    )


def test_socket_filter_set_and_get() -> None:
    """SO_ATTACH_FILTER's program (read through its struct sock_fprog) with
    the SKF_* load offsets; SO_GET_FILTER's length counts instructions."""
    program = struct.pack("<HBBi", 0x30, 0, 0, -0x200000 + 4) + struct.pack("<HBBi", 0x30, 0, 0, -0x1000)
    program += struct.pack("<HBBI", 0x06, 0, 0, 0xFFFF)
    memory = TraceeMemory({0x1000: struct.pack("<H6xQ", 3, 0x2000), 0x2000: program})
    entry, _ = run(plan("setsockopt", memory), [3, 1, 26, 0x1000, 16], 0)
    assert entry["optval"] == [3, 0x2000, program]
    text = "setsockopt(3, SOL_SOCKET, SO_ATTACH_FILTER, {len=3, filter=[BPF_STMT(BPF_LD|BPF_B|BPF_ABS, SKF_LL_OFF+4), "
    text += "BPF_STMT(BPF_LD|BPF_B|BPF_ABS, SKF_AD_OFF+SKF_AD_PROTOCOL), BPF_STMT(BPF_RET|BPF_K, 0xffff)]}, 16) = 0"
    assert compact(line("setsockopt", [3, 1, 26, 0x1000, 16], 0, entry, None, verbose=True)) == text
    assert trace("setsockopt", memory, [3, 1, 26, 0x1000, 16], 0) == (
        "setsockopt(3, SOL_SOCKET, SO_ATTACH_FILTER, {len=3, filter=0x2000}, 16) = 0"
    )
    memory = TraceeMemory({0x3000: program, 0x4000: struct.pack("<I", 3)})
    assert trace("getsockopt", memory, [3, 1, 26, 0x3000, 0x4000], 0) == (
        "getsockopt(3, SOL_SOCKET, SO_GET_FILTER, [BPF_STMT(BPF_LD|BPF_B|BPF_ABS, SKF_LL_OFF+4), "
        "BPF_STMT(BPF_LD|BPF_B|BPF_ABS, SKF_AD_OFF+SKF_AD_PROTOCOL), BPF_STMT(BPF_RET|BPF_K, 0xffff)], [3]) = 0"
    )
    # strace's sock_filter-v-X tests: each part of an opcode and offset in the -X style.
    raw = compact(line("setsockopt", [3, 1, 26, 0x1000, 16], 0, entry, None, verbose=True, const_style="raw"))
    assert raw == (
        "setsockopt(3, 0x1, 0x1a, {len=3, filter=[BPF_STMT(0|0x10|0x20, 0xffe00000+4), "
        "BPF_STMT(0|0x10|0x20, 0xfffff000+0), BPF_STMT(0x6|0, 0xffff)]}, 16) = 0"
    )
    verbose = compact(line("setsockopt", [3, 1, 26, 0x1000, 16], 0, entry, None, verbose=True, const_style="verbose"))
    assert verbose.startswith(
        "setsockopt(3, 0x1 /* SOL_SOCKET */, 0x1a /* SO_ATTACH_FILTER */, {len=3, filter=["
        "BPF_STMT(0 /* BPF_LD */|0x10 /* BPF_B */|0x20 /* BPF_ABS */, 0xffe00000 /* SKF_LL_OFF */+4), "
        "BPF_STMT(0 /* BPF_LD */|0x10 /* BPF_B */|0x20 /* BPF_ABS */, "
        "0xfffff000 /* SKF_AD_OFF */+0 /* SKF_AD_PROTOCOL */)"
    ), verbose
    get = render("getsockopt", [3, 1, 26, 0, 0x4000], 0, {"optlen": 4096}, {"optval": [b"", 0]}, const_style="verbose")
    assert get == "getsockopt(3, 0x1 /* SOL_SOCKET */, 0x1a /* SO_GET_FILTER */, NULL, [4096 => 0]) = 0"


def test_returned_addresses_cut_to_the_smaller_length() -> None:
    """strace's accept/getsockname/msg_name tests: of an address the kernel
    fills, no more than the caller's buffer is shown (here the family
    alone), whatever length the kernel wrote back."""
    unix = struct.pack("<H", 1) + b"A" * 22
    text = render("accept", [3, 0x10, 0x20], 14, {"upeer_addrlen": 2}, {"upeer_sockaddr": [unix, 24]})
    assert text == "accept(3, {sa_family=AF_UNIX}, [2 => 24]) = 14"
    text = render("accept", [3, 0x10, 0x20], 14, {"upeer_addrlen": 8}, {"upeer_sockaddr": [unix, 24]})
    assert text == 'accept(3, {sa_family=AF_UNIX, sun_path="AAAAAA"}, [8 => 24]) = 14'
    exit_ = {"msg": {"msghdr": _msghdr64(0x2000, 24, 0, 0, 0, 0, 0), "name": unix, "iov": None, "control": None}}
    text = render("recvmsg", [3, 0x1000, 0], 0, {"msg": _msghdr64(0x2000, 2, 0, 0, 0, 0, 0)}, exit_)
    assert text.startswith("recvmsg(3, {msg_name={sa_family=AF_UNIX}, msg_namelen=2 => 24,")
    text = render("recvmsg", [3, 0x1000, 0], 0, {"msg": _msghdr64(0x2000, 1, 0, 0, 0, 0, 0)}, exit_)
    assert text.startswith("recvmsg(3, {msg_name=0x2000, msg_namelen=1 => 24,")


def test_recvfrom_truncated_datagram_shows_the_buffer() -> None:
    """MSG_TRUNC: the call returns the datagram's length, the buffer holds its size."""
    text = render("recvfrom", [3, 0x1000, 1, 0x20, 0, 0], 2, {}, {"ubuf": b"A"})
    assert text == 'recvfrom(3, "A", 1, MSG_TRUNC, NULL, NULL) = 2'


def test_packet_options_in_each_style() -> None:
    """strace's net-packet_mreq and net-tpacket_* tests: SOL_PACKET's
    structs, decoded only at their own size; the address in each -X style."""
    mreq = struct.pack("<iHH", 0, 0xFFFF, 9) + b"\xff" * 8

    def set_(name: int, data: bytes, length: int, style: str = "abbrev") -> str:
        text = render("setsockopt", [3, 263, name, 0x1000, length], -9, {"optval": data}, {}, const_style=style)
        return text.removesuffix(" = -1 EBADF (Bad file descriptor)")

    assert set_(1, mreq, 16) == (
        "setsockopt(3, SOL_PACKET, PACKET_ADD_MEMBERSHIP, {mr_ifindex=0, mr_type=0xffff /* PACKET_MR_??? */, "
        "mr_alen=9, mr_address=ff:ff:ff:ff:ff:ff:ff:ff}, 16)"
    )
    assert set_(2, mreq[:6] + b"\6\0" + mreq[8:], 16, "raw") == (
        "setsockopt(3, 0x107, 0x2, {mr_ifindex=0, mr_type=0xffff, mr_alen=6, "
        r'mr_address="\xff\xff\xff\xff\xff\xff"}, 16)'
    )
    assert set_(1, struct.pack("<iHH", 0, 1, 2) + b"\xab\xcd" + bytes(6), 16, "verbose") == (
        "setsockopt(3, 0x107 /* SOL_PACKET */, 0x1 /* PACKET_ADD_MEMBERSHIP */, {mr_ifindex=0, "
        r'mr_type=0x1 /* PACKET_MR_PROMISC */, mr_alen=2, mr_address="\xab\xcd" /* ab:cd */}, 16)'
    )
    assert set_(1, mreq + b"\0", 17) == "setsockopt(3, SOL_PACKET, PACKET_ADD_MEMBERSHIP, 0x1000, 17)"
    assert set_(5, struct.pack("<4I", 4096, 2, 2048, 4), 16) == (
        "setsockopt(3, SOL_PACKET, PACKET_RX_RING, {tp_block_size=4096, tp_block_nr=2, tp_frame_size=2048, "
        "tp_frame_nr=4}, 16)"
    )

    def stats(data: bytes, before: int) -> str:
        return render("getsockopt", [3, 263, 6, 0x1000, 0x2000], 42, {"optlen": before}, {"optval": [data, before]})

    assert stats(b"\xff" * 7, 7).startswith(
        r'getsockopt(3, SOL_PACKET, PACKET_STATISTICS, {tp_packets=4294967295, tp_drops="\xff\xff\xff"}, [7])'
    )
    assert stats(struct.pack("<3I", 1, 2, 3), 12).startswith(
        "getsockopt(3, SOL_PACKET, PACKET_STATISTICS, {tp_packets=1, tp_drops=2, tp_freeze_q_cnt=3}, [12])"
    )


def test_ipc_flags_in_each_style() -> None:
    """strace's ipc_* -X tests: the key, the flags as one number (with
    shmget's huge page size apart), then the permissions."""
    huge = 0x2CE1E00 | 21 << 26 | 0o125
    assert render("shmget", [0x41747263, 1, huge], -17, None, None) == (
        "shmget(0x41747263, 1, IPC_CREAT|IPC_EXCL|SHM_HUGETLB|SHM_NORESERVE|0x2ce0000|21<<SHM_HUGE_SHIFT|0125)"
        " = -1 EEXIST (File exists)"
    )
    assert render("shmget", [0, 1, huge], 5, None, None, const_style="raw") == (
        "shmget(0, 1, 0x2ce1e00|21<<26|0125) = 5"
    )
    assert render("shmget", [0, 1, 0x2CE0000 | 0o600], 5, None, None, const_style="verbose") == (
        "shmget(0 /* IPC_PRIVATE */, 1, 0x2ce0000|0600) = 5"
    )
    assert render("msgget", [1, 0o6125], -2, None, None, const_style="verbose") == (
        "msgget(0x1, 0xc00 /* IPC_EXCL|IPC_NOWAIT */|0125) = -1 ENOENT (No such file or directory)"
    )
    assert render("shmat", [3, 0, 0xFFFFFACE], -22, None, None) == (
        "shmat(3, NULL, SHM_RDONLY|SHM_RND|SHM_REMAP|SHM_EXEC|0xffff0ace) = -1 EINVAL (Invalid argument)"
    )


def test_aio_counts_are_longs() -> None:
    """strace's aio and aio_pgetevents tests: io_submit's and io_getevents'
    counts are longs, shown whole and signed."""
    big = 0xCA80_FEED_DEAD_BEEF - (1 << 64)
    assert render("io_submit", [0xFACE1E55DEADBEEF, big & (1 << 64) - 1, 0], -22, None, None) == (
        f"io_submit(0xface1e55deadbeef, {big}, NULL) = -1 EINVAL (Invalid argument)"
    )
    text = render("io_getevents", [1, (1 << 64) - 2, 1 << 40, 0, 0], -22, None, None)
    assert text.startswith(f"io_getevents(0x1, -2, {1 << 40}, NULL, NULL)")


def test_control_messages_cut_as_strace_does() -> None:
    """strace's msg_control test: a buffer too short for a header is its
    address; a message without data bytes shows no cmsg_data; SCM_RIGHTS
    lists -s fds, then `...`."""

    def sent(control: bytes, controllen: int) -> str:
        header = _msghdr64(0, 0, 0, 0, 0x4000, controllen, 0)
        memory = TraceeMemory({0x1000: header, 0x4000: control})
        entry, _ = run(plan("sendmsg", memory), [3, 0x1000, 0], -9)
        return render("sendmsg", [3, 0x1000, 0], -9, entry, {}, string_limit=4)

    assert "msg_control=0x4000, msg_controllen=1," in sent(b"\0", 1)
    assert "msg_control=[{cmsg_len=16, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS}], msg_controllen=16" in sent(
        struct.pack("<Qii", 16, 1, 1), 16
    )
    fds = struct.pack("<Qii", 40, 1, 1) + struct.pack("<6i", 0, 1, 2, 3, 4, 5)
    assert "cmsg_data=[0, 1, 2, 3, ...]}], msg_controllen=40" in sent(fds, 40)


def _connect(address: bytes, style: str = "abbrev", length: int | None = None) -> str:
    size = len(address) if length is None else length
    text = render("connect", [-1 & 0xFFFFFFFF, 0x10, size], -9, {"uservaddr": address}, None, const_style=style)
    head, sep, _ = text.partition(f", {size}) = -1 EBADF")
    assert sep, text
    return head.removeprefix("connect(-1, ")


def test_sockaddr_families() -> None:
    """strace's sockaddr_xlat and net-sockaddr tests: each family's struct,
    sa_data when shorter than it."""
    packet = struct.pack("<H", 17) + struct.pack(">H", 3) + struct.pack("<iHBB", 7, 1, 0, 8) + b"abcdefgh"
    assert _connect(packet) == (
        "{sa_family=AF_PACKET, sll_protocol=htons(ETH_P_ALL), sll_ifindex=7, sll_hatype=ARPHRD_ETHER, "
        "sll_pkttype=PACKET_HOST, sll_halen=8, sll_addr=[0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68]}"
    )
    assert _connect(packet[:19]) == r'{sa_family=AF_PACKET, sa_data="\0\3\7\0\0\0\1\0\0\10abcdefg"}'
    inet = struct.pack("<H", 2) + struct.pack(">H", 12345) + bytes([127, 0, 0, 1]) + bytes(8)
    assert _connect(inet, "raw") == r'{sa_family=0x2, sin_port="\x30\x39", sin_addr="\x7f\x00\x00\x01"}'
    assert _connect(inet, "verbose") == (
        r'{sa_family=0x2 /* AF_INET */, sin_port="\x30\x39" /* htons(12345) */, '
        r'sin_addr="\x7f\x00\x00\x01" /* inet_addr("127.0.0.1") */}'
    )
    six = struct.pack("<H", 10) + struct.pack(">HI", 1, 2) + bytes(15) + b"\1"
    assert _connect(six, "raw").endswith('sin6_addr="' + "\\x00" * 15 + '\\x01"}')
    rxrpc = struct.pack("<HHHH", 33, 2501, 4, 16) + inet[:16] + bytes(12)
    assert _connect(rxrpc) == (
        "{sa_family=AF_RXRPC, srx_service=0x9c5 /* YFS_CM_SERVICE */, transport_type=SOCK_RDM, transport_len=16, "
        'transport={sin={sin_family=AF_INET, sin_port=htons(12345), sin_addr=inet_addr("127.0.0.1")}}}'
    )
    ieee = struct.pack("<HxxiHH", 36, 2, 0xFFFF, 0xFFFE) + bytes(8)
    assert _connect(ieee) == (
        "{sa_family=AF_IEEE802154, addr={addr_type=0x2 /* IEEE802154_ADDR_SHORT */, "
        "pan_id=0xffff /* IEEE802154_PANID_BROADCAST */, short_addr=0xfffe /* IEEE802154_ADDR_UNDEF */}}"
    )
    alg = struct.pack("<H", 38) + b"hash".ljust(14, b"\0") + struct.pack("<II", 0x1001, 0) + b"sha1".ljust(64, b"\0")
    assert _connect(alg) == (
        '{sa_family=AF_ALG, salg_type="hash", salg_feat=0x1001 /* CRYPTO_ALG_KERN_DRIVER_ONLY|0x1 */, '
        'salg_mask=0, salg_name="sha1"}'
    )
    vsock = struct.pack("<HHIIB3x", 40, 0, 0xFFFFFFFF, 2, 1)
    assert _connect(vsock) == (
        "{sa_family=AF_VSOCK, svm_cid=VMADDR_CID_HOST, svm_port=VMADDR_PORT_ANY, svm_flags=VMADDR_FLAG_TO_HOST}"
    )
    xdp = struct.pack("<HHIII", 44, 0xBAD0, 0, 3, 0xFEEDBEAD)
    assert _connect(xdp) == (
        "{sa_family=AF_XDP, sxdp_flags=0xbad0 /* XDP_??? */, sxdp_ifindex=0, sxdp_queue_id=3, "
        "sxdp_shared_umem_fd=0xfeedbead}"
    )
    assert _connect(xdp, "raw") == (
        "{sa_family=0x2c, sxdp_flags=0xbad0, sxdp_ifindex=0, sxdp_queue_id=3, sxdp_shared_umem_fd=0xfeedbead}"
    )
    mctp = struct.pack("<HHIBBBB", 45, 0, 0, 0xFF, 1, 8, 0)
    assert _connect(mctp) == (
        "{sa_family=AF_MCTP, smctp_network=MCTP_NET_ANY, smctp_addr={s_addr=MCTP_ADDR_ANY}, smctp_type=0x1, "
        "smctp_tag=0x8}"
    )
    netlink = struct.pack("<HHII", 16, 0, 42, 0xFACEFEED)
    assert _connect(netlink) == "{sa_family=AF_NETLINK, nl_pid=42, nl_groups=0xfacefeed}"
    # An abstract name is shown whole, NULs and all; a path stops at its NUL.
    assert _connect(struct.pack("<H", 1) + b"\0\0\1ab") == r'{sa_family=AF_UNIX, sun_path=@"\0\1ab"}'
    assert _connect(struct.pack("<H", 1) + b"/x\0yz") == '{sa_family=AF_UNIX, sun_path="/x"}'


def test_mmsg_vectors_as_strace_shows_them() -> None:
    """strace's mmsg_name tests: a failed sendmmsg shows the vector as sent
    (where readable memory ends, its address); a successful one each handled
    message's msg_len; recvmmsg each msg_namelen going in and out."""
    one = _msghdr64(0, 0, 0x3000, 1, 0, 0, 0) + struct.pack("<I4x", 0)
    memory = TraceeMemory({0x1000: one, 0x3000: struct.pack("<QQ", 0x5000, 1), 0x5000: b"4"})
    entry, _ = run(plan("sendmmsg", memory), [5, 0x1000, 2, 0x40], -9)
    assert render("sendmmsg", [5, 0x1000, 2, 0x40], -9, entry, {}) == (
        'sendmmsg(5, [{msg_hdr={msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="4", iov_len=1}], msg_iovlen=1, '
        "msg_controllen=0, msg_flags=0}}, ... /* 0x1040 */], 2, MSG_DONTWAIT) = -1 EBADF (Bad file descriptor)"
    )
    sent = one[:56] + struct.pack("<I4x", 1)
    memory = TraceeMemory({0x1000: one, 0x3000: struct.pack("<QQ", 0x5000, 1), 0x5000: b"4"})
    p = plan("sendmmsg", memory)
    entry, _ = run(p, [5, 0x1000, 1, 0], 1)
    memory.regions[0x1000] = sent
    _, exit_ = run(p, [5, 0x1000, 1, 0], 1)
    assert render("sendmmsg", [5, 0x1000, 1, 0], 1, entry, exit_).endswith("msg_flags=0}, msg_len=1}], 1, 0) = 1")
    unix = struct.pack("<H", 1) + b"sock"
    before = _msghdr64(0x6000, 2, 0x3000, 1, 0, 0, 0) + struct.pack("<I4x", 0)
    after = _msghdr64(0x6000, 6, 0x3000, 1, 0, 0, 0) + struct.pack("<I4x", 1)
    memory = TraceeMemory({0x1000: before, 0x3000: struct.pack("<QQ", 0x5000, 1), 0x5000: b"x", 0x6000: unix})
    p = plan("recvmmsg", memory)
    entry, _ = run(p, [4, 0x1000, 1, 0, 0], 1)
    memory.regions[0x1000] = after
    _, exit_ = run(p, [4, 0x1000, 1, 0, 0], 1)
    assert render("recvmmsg", [4, 0x1000, 1, 0, 0], 1, entry, exit_).startswith(
        "recvmmsg(4, [{msg_hdr={msg_name={sa_family=AF_UNIX}, msg_namelen=2 => 6, "
    )


def _ax25_call(text: bytes, ssid_byte: int) -> bytes:
    return bytes(char << 1 for char in text.ljust(6)) + bytes([ssid_byte])


def test_ax25_addresses() -> None:
    """strace's net-sockaddr test: callsigns, the null address `*`, invalid
    ones as bytes with what they spell, digipeaters cut by the length."""
    head = struct.pack("<H", 3) + _ax25_call(b"VALID", 13 << 1) + b"\0\0\0"
    assert _connect(head + struct.pack("<i", 0)) == "{sa_family=AF_AX25, sax25_call=VALID-13, sax25_ndigis=0}"
    digis = _ax25_call(b"OK", 15 << 1) + b"\x40" * 6 + b"\0" + _ax25_call(b"smalls", 9 << 1)
    assert _connect(head + struct.pack("<i", 3) + digis) == (
        "{sa_family=AF_AX25, fsa_ax25={sax25_call=VALID-13, sax25_ndigis=3}, fsa_digipeater=[OK-15, *, "
        r'{ax25_call="\xe6\xda\xc2\xd8\xd8\xe6\x12"} /* smalls-9 */]}'
    )
    assert _connect(head + struct.pack("<i", 8) + digis[:8]) == (
        "{sa_family=AF_AX25, fsa_ax25={sax25_call=VALID-13, sax25_ndigis=8}, fsa_digipeater=[OK-15, ...], ...}"
    )
