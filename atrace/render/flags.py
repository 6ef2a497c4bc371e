"""Flag and constant tables (x86_64 / i386 values), and their formatters.

Tables are data: a flag table is a list of (bits, name) pairs, multi-bit
names first so that the widest name wins; a constant table maps a value to
its name.  Facts from the kernel's uapi headers.
"""

from __future__ import annotations

from .names import signal_name

FlagTable = list[tuple[int, str]]

OPEN_ACCESS = {0: "O_RDONLY", 1: "O_WRONLY", 2: "O_RDWR", 3: "O_ACCMODE"}
# In strace's order, which is not the bits' order. A multi-bit flag comes
# before the single bits it covers (O_SYNC before O_DSYNC, O_TMPFILE before
# O_DIRECTORY), so it is named whole; O_ASYNC is named FASYNC, last.
OPEN_FLAGS: FlagTable = [
    (0o100, "O_CREAT"),
    (0o200, "O_EXCL"),
    (0o400, "O_NOCTTY"),
    (0o1000, "O_TRUNC"),
    (0o2000, "O_APPEND"),
    (0o4000, "O_NONBLOCK"),
    (0o4010000, "O_SYNC"),
    (0o10000, "O_DSYNC"),
    (0o40000, "O_DIRECT"),
    (0o100000, "O_LARGEFILE"),
    (0o400000, "O_NOFOLLOW"),
    (0o1000000, "O_NOATIME"),
    (0o2000000, "O_CLOEXEC"),
    (0o10000000, "O_PATH"),
    (0o20200000, "O_TMPFILE"),
    (0o200000, "O_DIRECTORY"),
    (0o20000, "FASYNC"),
]
O_CREAT = 0o100
O_TMPFILE = 0o20200000
O_LARGEFILE = 0o100000

TABLES: dict[str, FlagTable] = {
    "at": [
        (0x100, "AT_SYMLINK_NOFOLLOW"),
        (0x200, "AT_REMOVEDIR"),
        (0x400, "AT_SYMLINK_FOLLOW"),
        (0x800, "AT_NO_AUTOMOUNT"),
        (0x1000, "AT_EMPTY_PATH"),
        (0x2000, "AT_STATX_FORCE_SYNC"),
        (0x4000, "AT_STATX_DONT_SYNC"),
        (0x8000, "AT_RECURSIVE"),
    ],
    "access": [(4, "R_OK"), (2, "W_OK"), (1, "X_OK")],
    # struct statfs's f_flags: the mount's ST_* flags; ST_VALID says the
    # kernel filled f_flags at all.
    "statfs_flags": [
        (1, "ST_RDONLY"),
        (2, "ST_NOSUID"),
        (4, "ST_NODEV"),
        (8, "ST_NOEXEC"),
        (16, "ST_SYNCHRONOUS"),
        (32, "ST_VALID"),
        (64, "ST_MANDLOCK"),
        (128, "ST_WRITE"),
        (256, "ST_APPEND"),
        (512, "ST_IMMUTABLE"),
        (1024, "ST_NOATIME"),
        (2048, "ST_NODIRATIME"),
        (4096, "ST_RELATIME"),
        (8192, "ST_NOSYMFOLLOW"),
    ],
    # faccessat2's flags: AT_EACCESS shares its bit with AT_REMOVEDIR.
    "access_at": [(0x100, "AT_SYMLINK_NOFOLLOW"), (0x200, "AT_EACCESS"), (0x1000, "AT_EMPTY_PATH")],
    "prot": [
        (0x1, "PROT_READ"),
        (0x2, "PROT_WRITE"),
        (0x4, "PROT_EXEC"),
        (0x8, "PROT_SEM"),
        (0x01000000, "PROT_GROWSDOWN"),
        (0x02000000, "PROT_GROWSUP"),
    ],
    "mmap": [
        (0x3, "MAP_SHARED_VALIDATE"),
        (0x1, "MAP_SHARED"),
        (0x2, "MAP_PRIVATE"),
        (0x10, "MAP_FIXED"),
        (0x20, "MAP_ANONYMOUS"),
        (0x40, "MAP_32BIT"),
        (0x100, "MAP_GROWSDOWN"),
        (0x800, "MAP_DENYWRITE"),
        (0x1000, "MAP_EXECUTABLE"),
        (0x2000, "MAP_LOCKED"),
        (0x4000, "MAP_NORESERVE"),
        (0x8000, "MAP_POPULATE"),
        (0x10000, "MAP_NONBLOCK"),
        (0x20000, "MAP_STACK"),
        (0x40000, "MAP_HUGETLB"),
        (0x80000, "MAP_SYNC"),
        (0x100000, "MAP_FIXED_NOREPLACE"),
    ],
    "clone": [
        (0x100, "CLONE_VM"),
        (0x200, "CLONE_FS"),
        (0x400, "CLONE_FILES"),
        (0x800, "CLONE_SIGHAND"),
        (0x1000, "CLONE_PIDFD"),
        (0x2000, "CLONE_PTRACE"),
        (0x4000, "CLONE_VFORK"),
        (0x8000, "CLONE_PARENT"),
        (0x10000, "CLONE_THREAD"),
        (0x20000, "CLONE_NEWNS"),
        (0x40000, "CLONE_SYSVSEM"),
        (0x80000, "CLONE_SETTLS"),
        (0x100000, "CLONE_PARENT_SETTID"),
        (0x200000, "CLONE_CHILD_CLEARTID"),
        (0x400000, "CLONE_DETACHED"),
        (0x800000, "CLONE_UNTRACED"),
        (0x1000000, "CLONE_CHILD_SETTID"),
        (0x2000000, "CLONE_NEWCGROUP"),
        (0x4000000, "CLONE_NEWUTS"),
        (0x8000000, "CLONE_NEWIPC"),
        (0x10000000, "CLONE_NEWUSER"),
        (0x20000000, "CLONE_NEWPID"),
        (0x40000000, "CLONE_NEWNET"),
        (0x80000000, "CLONE_IO"),
        (0x100000000, "CLONE_CLEAR_SIGHAND"),
        (0x200000000, "CLONE_INTO_CGROUP"),
        (0x400000000, "CLONE_NEWTIME"),
    ],
    "sa": [
        (0x04000000, "SA_RESTORER"),
        (0x08000000, "SA_ONSTACK"),
        (0x10000000, "SA_RESTART"),
        (0x40000000, "SA_NODEFER"),
        (0x80000000, "SA_RESETHAND"),
        (0x4, "SA_SIGINFO"),
        (0x1, "SA_NOCLDSTOP"),
        (0x2, "SA_NOCLDWAIT"),
    ],
    "sock_type": [(0o2000000, "SOCK_CLOEXEC"), (0o4000, "SOCK_NONBLOCK")],
    "wait": [
        (0x1, "WNOHANG"),
        (0x2, "WUNTRACED"),
        (0x4, "WEXITED"),
        (0x8, "WCONTINUED"),
        (0x1000000, "WNOWAIT"),
        (0x20000000, "__WNOTHREAD"),
        (0x40000000, "__WALL"),
        (0x80000000, "__WCLONE"),
    ],
    "poll": [
        (0x1, "POLLIN"),
        (0x2, "POLLPRI"),
        (0x4, "POLLOUT"),
        (0x8, "POLLERR"),
        (0x10, "POLLHUP"),
        (0x20, "POLLNVAL"),
        (0x40, "POLLRDNORM"),
        (0x80, "POLLRDBAND"),
        (0x100, "POLLWRNORM"),
        (0x200, "POLLWRBAND"),
        (0x400, "POLLMSG"),
        (0x2000, "POLLRDHUP"),
    ],
    "epoll": [
        (0x1, "EPOLLIN"),
        (0x2, "EPOLLPRI"),
        (0x4, "EPOLLOUT"),
        (0x8, "EPOLLERR"),
        (0x10, "EPOLLHUP"),
        (0x20, "EPOLLNVAL"),
        (0x40, "EPOLLRDNORM"),
        (0x80, "EPOLLRDBAND"),
        (0x100, "EPOLLWRNORM"),
        (0x200, "EPOLLWRBAND"),
        (0x400, "EPOLLMSG"),
        (0x2000, "EPOLLRDHUP"),
        (1 << 28, "EPOLLEXCLUSIVE"),
        (1 << 29, "EPOLLWAKEUP"),
        (1 << 30, "EPOLLONESHOT"),
        (1 << 31, "EPOLLET"),
    ],
    "epoll_create": [(0o2000000, "EPOLL_CLOEXEC")],
    "fd": [(1, "FD_CLOEXEC")],
    "grnd": [(1, "GRND_NONBLOCK"), (2, "GRND_RANDOM"), (4, "GRND_INSECURE")],
    "mremap": [(1, "MREMAP_MAYMOVE"), (2, "MREMAP_FIXED"), (4, "MREMAP_DONTUNMAP")],
    "msync": [(1, "MS_ASYNC"), (2, "MS_INVALIDATE"), (4, "MS_SYNC")],
    "msg": [
        (0x1, "MSG_OOB"),
        (0x2, "MSG_PEEK"),
        (0x4, "MSG_DONTROUTE"),
        (0x8, "MSG_CTRUNC"),
        (0x10, "MSG_PROXY"),
        (0x20, "MSG_TRUNC"),
        (0x40, "MSG_DONTWAIT"),
        (0x80, "MSG_EOR"),
        (0x100, "MSG_WAITALL"),
        (0x200, "MSG_FIN"),
        (0x400, "MSG_SYN"),
        (0x800, "MSG_CONFIRM"),
        (0x1000, "MSG_RST"),
        (0x2000, "MSG_ERRQUEUE"),
        (0x4000, "MSG_NOSIGNAL"),
        (0x8000, "MSG_MORE"),
        (0x10000, "MSG_WAITFORONE"),
        (0x20000000, "MSG_FASTOPEN"),
        (0x40000000, "MSG_CMSG_CLOEXEC"),
    ],
    "statx_mask": [
        (0xFFF, "STATX_ALL"),
        (0x7FF, "STATX_BASIC_STATS"),
        (0x1, "STATX_TYPE"),
        (0x2, "STATX_MODE"),
        (0x4, "STATX_NLINK"),
        (0x8, "STATX_UID"),
        (0x10, "STATX_GID"),
        (0x20, "STATX_ATIME"),
        (0x40, "STATX_MTIME"),
        (0x80, "STATX_CTIME"),
        (0x100, "STATX_INO"),
        (0x200, "STATX_SIZE"),
        (0x400, "STATX_BLOCKS"),
        (0x800, "STATX_BTIME"),
        (0x1000, "STATX_MNT_ID"),
        (0x2000, "STATX_DIOALIGN"),
    ],
    "timer": [(1, "TIMER_ABSTIME")],
    "close_range": [(2, "CLOSE_RANGE_UNSHARE"), (4, "CLOSE_RANGE_CLOEXEC")],
    "resolve": [
        (0x1, "RESOLVE_NO_XDEV"),
        (0x2, "RESOLVE_NO_MAGICLINKS"),
        (0x4, "RESOLVE_NO_SYMLINKS"),
        (0x8, "RESOLVE_BENEATH"),
        (0x10, "RESOLVE_IN_ROOT"),
        (0x20, "RESOLVE_CACHED"),
    ],
    "rename": [(1, "RENAME_NOREPLACE"), (2, "RENAME_EXCHANGE"), (4, "RENAME_WHITEOUT")],
    "ss": [(1, "SS_ONSTACK"), (2, "SS_DISABLE"), (1 << 31, "SS_AUTODISARM")],
    "mpol_mode_flags": [
        (1 << 15, "MPOL_F_STATIC_NODES"),
        (1 << 14, "MPOL_F_RELATIVE_NODES"),
        (1 << 13, "MPOL_F_NUMA_BALANCING"),
    ],
    "mbind": [(1, "MPOL_MF_STRICT"), (2, "MPOL_MF_MOVE"), (4, "MPOL_MF_MOVE_ALL")],
    "get_mempolicy": [(1, "MPOL_F_NODE"), (2, "MPOL_F_ADDR"), (4, "MPOL_F_MEMS_ALLOWED")],
}
# The value printed when no flag of the table is set.
_ZERO_NAMES = {"prot": "PROT_NONE", "access": "F_OK"}

CONSTANTS: dict[str, dict[int, str]] = {
    "flock_type": {0: "F_RDLCK", 1: "F_WRLCK", 2: "F_UNLCK"},
    "whence": {0: "SEEK_SET", 1: "SEEK_CUR", 2: "SEEK_END", 3: "SEEK_DATA", 4: "SEEK_HOLE"},
    "sigmask_how": {0: "SIG_BLOCK", 1: "SIG_UNBLOCK", 2: "SIG_SETMASK"},
    "rlimit": {
        0: "RLIMIT_CPU", 1: "RLIMIT_FSIZE", 2: "RLIMIT_DATA", 3: "RLIMIT_STACK", 4: "RLIMIT_CORE",
        5: "RLIMIT_RSS", 6: "RLIMIT_NPROC", 7: "RLIMIT_NOFILE", 8: "RLIMIT_MEMLOCK", 9: "RLIMIT_AS",
        10: "RLIMIT_LOCKS", 11: "RLIMIT_SIGPENDING", 12: "RLIMIT_MSGQUEUE", 13: "RLIMIT_NICE",
        14: "RLIMIT_RTPRIO", 15: "RLIMIT_RTTIME",
    },
    "fcntl": {
        0: "F_DUPFD", 1: "F_GETFD", 2: "F_SETFD", 3: "F_GETFL", 4: "F_SETFL", 5: "F_GETLK",
        6: "F_SETLK", 7: "F_SETLKW", 8: "F_SETOWN", 9: "F_GETOWN", 10: "F_SETSIG", 11: "F_GETSIG",
        12: "F_GETLK64", 13: "F_SETLK64", 14: "F_SETLKW64",
        15: "F_SETOWN_EX", 16: "F_GETOWN_EX", 17: "F_GETOWNER_UIDS", 36: "F_OFD_GETLK",
        37: "F_OFD_SETLK", 38: "F_OFD_SETLKW", 1024: "F_SETLEASE", 1025: "F_GETLEASE",
        1026: "F_NOTIFY", 1030: "F_DUPFD_CLOEXEC", 1031: "F_SETPIPE_SZ", 1032: "F_GETPIPE_SZ",
        1033: "F_ADD_SEALS", 1034: "F_GET_SEALS",
    },
    "ioctl": {
        # strace names the three requests the OSS sequencer shares with termios by both names.
        0x5401: "TCGETS", 0x5402: "SNDCTL_TMR_START or TCSETS", 0x5403: "SNDCTL_TMR_STOP or TCSETSW",
        0x5404: "SNDCTL_TMR_CONTINUE or TCSETSF", 0x5405: "TCGETA",
        0x5406: "TCSETA", 0x5407: "TCSETAW", 0x5408: "TCSETAF", 0x5409: "TCSBRK", 0x540A: "TCXONC",
        0x540B: "TCFLSH", 0x540C: "TIOCEXCL", 0x540D: "TIOCNXCL", 0x540E: "TIOCSCTTY",
        0x540F: "TIOCGPGRP", 0x5410: "TIOCSPGRP", 0x5411: "TIOCOUTQ", 0x5412: "TIOCSTI",
        0x5413: "TIOCGWINSZ", 0x5414: "TIOCSWINSZ", 0x5415: "TIOCMGET", 0x5416: "TIOCMBIS",
        0x5417: "TIOCMBIC", 0x5418: "TIOCMSET", 0x541B: "FIONREAD", 0x541C: "TIOCLINUX",
        0x541D: "TIOCCONS", 0x5420: "TIOCPKT", 0x5421: "FIONBIO", 0x5422: "TIOCNOTTY",
        0x5423: "TIOCSETD", 0x5424: "TIOCGETD", 0x5429: "TIOCGSID", 0x802C542A: "TCGETS2",
        0x402C542B: "TCSETS2", 0x80045430: "TIOCGPTN", 0x40045431: "TIOCSPTLCK",
        0x5437: "TIOCVHANGUP", 0x40045436: "TIOCSIG", 0x80045440: "TIOCGEXCL", 0x80045438: "TIOCGPKT",
        0x80045439: "TIOCGPTLCK", 0x5441: "TIOCGPTPEER", 0x5450: "FIONCLEX", 0x5451: "FIOCLEX",
        0x5452: "FIOASYNC", 0x5453: "TIOCSERCONFIG", 0x541E: "TIOCGSERIAL", 0x5460: "FIOQSIZE",
        0x40086602: "FS_IOC_SETFLAGS", 0x80086601: "FS_IOC_GETFLAGS", 0x80087601: "FS_IOC_GETVERSION",
        0x1: "FIBMAP", 0x2: "FIGETBSZ",
        0x80081272: "BLKGETSIZE64", 0x1260: "BLKGETSIZE", 0x1268: "BLKSSZGET",
        # Requests that btrfs defined first and the VFS took over share numbers: both names.
        0x40049409: "BTRFS_IOC_CLONE or FICLONE", 0x4020940D: "BTRFS_IOC_CLONE_RANGE or FICLONERANGE",
        0xC0189436: "BTRFS_IOC_FILE_EXTENT_SAME or FIDEDUPERANGE",
        0x80086301: "KCOV_INIT_TRACE", 0xC020660B: "FS_IOC_FIEMAP",
        0x8910: "SIOCGIFNAME", 0x8912: "SIOCGIFCONF", 0x8913: "SIOCGIFFLAGS", 0x8915: "SIOCGIFADDR",
        0x8927: "SIOCGIFHWADDR", 0x8933: "SIOCGIFINDEX",
    },
    "family": {
        0: "AF_UNSPEC", 1: "AF_UNIX", 2: "AF_INET", 3: "AF_AX25", 4: "AF_IPX", 5: "AF_APPLETALK",
        6: "AF_NETROM", 7: "AF_BRIDGE", 8: "AF_ATMPVC", 9: "AF_X25", 10: "AF_INET6", 11: "AF_ROSE",
        12: "AF_DECnet", 13: "AF_NETBEUI", 14: "AF_SECURITY", 15: "AF_KEY", 16: "AF_NETLINK",
        17: "AF_PACKET", 18: "AF_ASH", 19: "AF_ECONET", 20: "AF_ATMSVC", 21: "AF_RDS", 22: "AF_SNA",
        23: "AF_IRDA", 24: "AF_PPPOX", 25: "AF_WANPIPE", 26: "AF_LLC", 27: "AF_IB", 28: "AF_MPLS",
        29: "AF_CAN", 30: "AF_TIPC", 31: "AF_BLUETOOTH", 32: "AF_IUCV", 33: "AF_RXRPC", 34: "AF_ISDN",
        35: "AF_PHONET", 36: "AF_IEEE802154", 37: "AF_CAIF", 38: "AF_ALG", 39: "AF_NFC", 40: "AF_VSOCK",
        41: "AF_KCM", 42: "AF_QIPCRTR", 43: "AF_SMC", 44: "AF_XDP", 45: "AF_MCTP",
    },
    "sock_type": {1: "SOCK_STREAM", 2: "SOCK_DGRAM", 3: "SOCK_RAW", 4: "SOCK_RDM", 5: "SOCK_SEQPACKET",
                  6: "SOCK_DCCP", 10: "SOCK_PACKET"},
    "ipproto": {0: "IPPROTO_IP", 1: "IPPROTO_ICMP", 2: "IPPROTO_IGMP", 4: "IPPROTO_IPIP", 6: "IPPROTO_TCP",
                17: "IPPROTO_UDP", 41: "IPPROTO_IPV6", 58: "IPPROTO_ICMPV6", 132: "IPPROTO_SCTP",
                136: "IPPROTO_UDPLITE", 255: "IPPROTO_RAW", 262: "IPPROTO_MPTCP"},
    "netlink": {0: "NETLINK_ROUTE", 2: "NETLINK_USERSOCK", 4: "NETLINK_SOCK_DIAG", 9: "NETLINK_AUDIT",
                15: "NETLINK_KOBJECT_UEVENT", 16: "NETLINK_GENERIC"},
    "sol": {0: "SOL_IP", 1: "SOL_SOCKET", 6: "SOL_TCP", 17: "SOL_UDP", 41: "SOL_IPV6", 255: "SOL_RAW",
            263: "SOL_PACKET", 270: "SOL_NETLINK"},
    "so": {
        1: "SO_DEBUG", 2: "SO_REUSEADDR", 3: "SO_TYPE", 4: "SO_ERROR", 5: "SO_DONTROUTE", 6: "SO_BROADCAST",
        7: "SO_SNDBUF", 8: "SO_RCVBUF", 9: "SO_KEEPALIVE", 10: "SO_OOBINLINE", 11: "SO_NO_CHECK",
        12: "SO_PRIORITY", 13: "SO_LINGER", 14: "SO_BSDCOMPAT", 15: "SO_REUSEPORT", 16: "SO_PASSCRED",
        17: "SO_PEERCRED", 18: "SO_RCVLOWAT", 19: "SO_SNDLOWAT", 20: "SO_RCVTIMEO_OLD",
        21: "SO_SNDTIMEO_OLD", 25: "SO_BINDTODEVICE", 26: "SO_ATTACH_FILTER", 29: "SO_TIMESTAMP_OLD",
        30: "SO_ACCEPTCONN", 31: "SO_PEERSEC", 32: "SO_SNDBUFFORCE", 33: "SO_RCVBUFFORCE",
        34: "SO_PASSSEC", 36: "SO_MARK", 38: "SO_PROTOCOL", 39: "SO_DOMAIN", 46: "SO_BUSY_POLL",
        22: "SO_SECURITY_AUTHENTICATION", 23: "SO_SECURITY_ENCRYPTION_TRANSPORT",
        24: "SO_SECURITY_ENCRYPTION_NETWORK", 27: "SO_DETACH_FILTER", 28: "SO_PEERNAME",
        35: "SO_TIMESTAMPNS_OLD", 37: "SO_TIMESTAMPING_OLD", 40: "SO_RXQ_OVFL", 41: "SO_WIFI_STATUS",
        42: "SO_PEEK_OFF", 43: "SO_NOFCS", 44: "SO_LOCK_FILTER", 45: "SO_SELECT_ERR_QUEUE",
        47: "SO_MAX_PACING_RATE", 48: "SO_BPF_EXTENSIONS", 49: "SO_INCOMING_CPU", 50: "SO_ATTACH_BPF",
        51: "SO_ATTACH_REUSEPORT_CBPF", 52: "SO_ATTACH_REUSEPORT_EBPF", 53: "SO_CNX_ADVICE", 55: "SO_MEMINFO",
        56: "SO_INCOMING_NAPI_ID", 57: "SO_COOKIE", 59: "SO_PEERGROUPS", 60: "SO_ZEROCOPY", 61: "SO_TXTIME",
        62: "SO_BINDTOIFINDEX", 63: "SO_TIMESTAMP_NEW", 64: "SO_TIMESTAMPNS_NEW", 65: "SO_TIMESTAMPING_NEW",
        66: "SO_RCVTIMEO_NEW", 67: "SO_SNDTIMEO_NEW", 68: "SO_DETACH_REUSEPORT_BPF", 69: "SO_PREFER_BUSY_POLL",
        70: "SO_BUSY_POLL_BUDGET", 71: "SO_NETNS_COOKIE", 72: "SO_BUF_LOCK", 73: "SO_RESERVE_MEM",
        74: "SO_TXREHASH", 75: "SO_RCVMARK",
    },
    "tcp": {1: "TCP_NODELAY", 2: "TCP_MAXSEG", 3: "TCP_CORK", 4: "TCP_KEEPIDLE", 5: "TCP_KEEPINTVL",
            6: "TCP_KEEPCNT", 7: "TCP_SYNCNT", 8: "TCP_LINGER2", 9: "TCP_DEFER_ACCEPT", 10: "TCP_WINDOW_CLAMP",
            11: "TCP_INFO", 12: "TCP_QUICKACK", 13: "TCP_CONGESTION", 14: "TCP_MD5SIG",
            15: "TCP_COOKIE_TRANSACTIONS", 16: "TCP_THIN_LINEAR_TIMEOUTS", 17: "TCP_THIN_DUPACK",
            18: "TCP_USER_TIMEOUT", 19: "TCP_REPAIR", 20: "TCP_REPAIR_QUEUE", 21: "TCP_QUEUE_SEQ",
            22: "TCP_REPAIR_OPTIONS", 23: "TCP_FASTOPEN", 24: "TCP_TIMESTAMP", 25: "TCP_NOTSENT_LOWAT",
            26: "TCP_CC_INFO", 27: "TCP_SAVE_SYN", 28: "TCP_SAVED_SYN", 29: "TCP_REPAIR_WINDOW",
            30: "TCP_FASTOPEN_CONNECT", 31: "TCP_ULP", 32: "TCP_MD5SIG_EXT", 33: "TCP_FASTOPEN_KEY",
            34: "TCP_FASTOPEN_NO_COOKIE", 35: "TCP_ZEROCOPY_RECEIVE", 36: "TCP_INQ", 37: "TCP_TX_DELAY"},
    "ipv6": {26: "IPV6_V6ONLY", 16: "IPV6_UNICAST_HOPS", 67: "IPV6_TCLASS", 49: "IPV6_RECVPKTINFO"},
    "ip": {1: "IP_TOS", 2: "IP_TTL", 3: "IP_HDRINCL", 4: "IP_OPTIONS", 8: "IP_PKTINFO", 10: "IP_MTU_DISCOVER",
           11: "IP_RECVERR", 14: "IP_MTU", 15: "IP_FREEBIND", 32: "IP_MULTICAST_IF", 33: "IP_MULTICAST_TTL",
           34: "IP_MULTICAST_LOOP", 35: "IP_ADD_MEMBERSHIP"},
    "shutdown": {0: "SHUT_RD", 1: "SHUT_WR", 2: "SHUT_RDWR"},
    "madv": {
        0: "MADV_NORMAL", 1: "MADV_RANDOM", 2: "MADV_SEQUENTIAL", 3: "MADV_WILLNEED", 4: "MADV_DONTNEED",
        8: "MADV_FREE", 9: "MADV_REMOVE", 10: "MADV_DONTFORK", 11: "MADV_DOFORK", 12: "MADV_MERGEABLE",
        13: "MADV_UNMERGEABLE", 14: "MADV_HUGEPAGE", 15: "MADV_NOHUGEPAGE", 16: "MADV_DONTDUMP",
        17: "MADV_DODUMP", 18: "MADV_WIPEONFORK", 19: "MADV_KEEPONFORK", 20: "MADV_COLD",
        21: "MADV_PAGEOUT", 22: "MADV_POPULATE_READ", 23: "MADV_POPULATE_WRITE",
        24: "MADV_DONTNEED_LOCKED", 25: "MADV_COLLAPSE", 100: "MADV_HWPOISON", 101: "MADV_SOFT_OFFLINE",
    },
    "arch_prctl": {
        0x1001: "ARCH_SET_GS", 0x1002: "ARCH_SET_FS", 0x1003: "ARCH_GET_FS", 0x1004: "ARCH_GET_GS",
        0x1011: "ARCH_GET_CPUID", 0x1012: "ARCH_SET_CPUID", 0x1021: "ARCH_GET_XCOMP_SUPP",
        0x1022: "ARCH_GET_XCOMP_PERM", 0x1023: "ARCH_REQ_XCOMP_PERM", 0x2001: "ARCH_MAP_VDSO_X32",
        0x2002: "ARCH_MAP_VDSO_32", 0x2003: "ARCH_MAP_VDSO_64",
    },
    "prctl": {
        1: "PR_SET_PDEATHSIG", 2: "PR_GET_PDEATHSIG", 3: "PR_GET_DUMPABLE", 4: "PR_SET_DUMPABLE",
        5: "PR_GET_UNALIGN", 6: "PR_SET_UNALIGN", 7: "PR_GET_KEEPCAPS", 8: "PR_SET_KEEPCAPS",
        9: "PR_GET_FPEMU", 10: "PR_SET_FPEMU", 11: "PR_GET_FPEXC", 12: "PR_SET_FPEXC",
        13: "PR_GET_TIMING", 14: "PR_SET_TIMING", 15: "PR_SET_NAME", 16: "PR_GET_NAME",
        19: "PR_GET_ENDIAN", 20: "PR_SET_ENDIAN", 21: "PR_GET_SECCOMP", 22: "PR_SET_SECCOMP",
        23: "PR_CAPBSET_READ", 24: "PR_CAPBSET_DROP", 25: "PR_GET_TSC", 26: "PR_SET_TSC",
        27: "PR_GET_SECUREBITS", 28: "PR_SET_SECUREBITS", 29: "PR_SET_TIMERSLACK",
        30: "PR_GET_TIMERSLACK", 31: "PR_TASK_PERF_EVENTS_DISABLE", 32: "PR_TASK_PERF_EVENTS_ENABLE",
        33: "PR_MCE_KILL", 34: "PR_MCE_KILL_GET", 35: "PR_SET_MM", 36: "PR_SET_CHILD_SUBREAPER",
        37: "PR_GET_CHILD_SUBREAPER", 38: "PR_SET_NO_NEW_PRIVS", 39: "PR_GET_NO_NEW_PRIVS",
        40: "PR_GET_TID_ADDRESS", 41: "PR_SET_THP_DISABLE", 42: "PR_GET_THP_DISABLE",
        45: "PR_SET_FP_MODE", 46: "PR_GET_FP_MODE", 47: "PR_CAP_AMBIENT", 53: "PR_SET_SPECULATION_CTRL",
        52: "PR_GET_SPECULATION_CTRL", 0x53564D41: "PR_SET_VMA", 0x59616D61: "PR_SET_PTRACER",
    },
    "dumpable": {0: "SUID_DUMP_DISABLE", 1: "SUID_DUMP_USER", 2: "SUID_DUMP_ROOT"},
    "capability": {
        0: "CAP_CHOWN", 1: "CAP_DAC_OVERRIDE", 2: "CAP_DAC_READ_SEARCH", 3: "CAP_FOWNER", 4: "CAP_FSETID",
        5: "CAP_KILL", 6: "CAP_SETGID", 7: "CAP_SETUID", 8: "CAP_SETPCAP", 9: "CAP_LINUX_IMMUTABLE",
        10: "CAP_NET_BIND_SERVICE", 11: "CAP_NET_BROADCAST", 12: "CAP_NET_ADMIN", 13: "CAP_NET_RAW",
        14: "CAP_IPC_LOCK", 15: "CAP_IPC_OWNER", 16: "CAP_SYS_MODULE", 17: "CAP_SYS_RAWIO", 18: "CAP_SYS_CHROOT",
        19: "CAP_SYS_PTRACE", 20: "CAP_SYS_PACCT", 21: "CAP_SYS_ADMIN", 22: "CAP_SYS_BOOT", 23: "CAP_SYS_NICE",
        24: "CAP_SYS_RESOURCE", 25: "CAP_SYS_TIME", 26: "CAP_SYS_TTY_CONFIG", 27: "CAP_MKNOD", 28: "CAP_LEASE",
        29: "CAP_AUDIT_WRITE", 30: "CAP_AUDIT_CONTROL", 31: "CAP_SETFCAP", 32: "CAP_MAC_OVERRIDE",
        33: "CAP_MAC_ADMIN", 34: "CAP_SYSLOG", 35: "CAP_WAKE_ALARM", 36: "CAP_BLOCK_SUSPEND", 37: "CAP_AUDIT_READ",
        38: "CAP_PERFMON", 39: "CAP_BPF", 40: "CAP_CHECKPOINT_RESTORE",
    },
    # FUTEX_WAKE_OP's operation and comparison (the fields of val3).
    "futex_op": {0: "FUTEX_OP_SET", 1: "FUTEX_OP_ADD", 2: "FUTEX_OP_OR", 3: "FUTEX_OP_ANDN", 4: "FUTEX_OP_XOR"},
    "futex_cmp": {0: "FUTEX_OP_CMP_EQ", 1: "FUTEX_OP_CMP_NE", 2: "FUTEX_OP_CMP_LT", 3: "FUTEX_OP_CMP_LE",
                  4: "FUTEX_OP_CMP_GT", 5: "FUTEX_OP_CMP_GE"},
    # struct statfs's f_type: the filesystem magic numbers of linux/magic.h
    # (ext2, ext3 and ext4 share theirs: strace names it EXT2_SUPER_MAGIC).
    "fs_magic": {
        0x2f: "QNX4_SUPER_MAGIC", 0x187: "AUTOFS_SUPER_MAGIC", 0x137f: "MINIX_SUPER_MAGIC",
        0x138f: "MINIX_SUPER_MAGIC2", 0x1cd1: "DEVPTS_SUPER_MAGIC", 0x2468: "MINIX2_SUPER_MAGIC",
        0x2478: "MINIX2_SUPER_MAGIC2", 0x3434: "NILFS_SUPER_MAGIC", 0x4d44: "MSDOS_SUPER_MAGIC",
        0x4d5a: "MINIX3_SUPER_MAGIC", 0x517b: "SMB_SUPER_MAGIC", 0x564c: "NCP_SUPER_MAGIC",
        0x6969: "NFS_SUPER_MAGIC", 0x72b6: "JFFS2_SUPER_MAGIC", 0x9660: "ISOFS_SUPER_MAGIC",
        0x9fa0: "PROC_SUPER_MAGIC", 0x9fa1: "OPENPROM_SUPER_MAGIC", 0x9fa2: "USBDEVICE_SUPER_MAGIC",
        0xadf5: "ADFS_SUPER_MAGIC", 0xadff: "AFFS_SUPER_MAGIC", 0xef53: "EXT2_SUPER_MAGIC",
        0xf15f: "ECRYPTFS_SUPER_MAGIC", 0x27e0eb: "CGROUP_SUPER_MAGIC", 0x414a53: "EFS_SUPER_MAGIC",
        0xc0ffee: "HOSTFS_SUPER_MAGIC", 0xc36400: "CEPH_SUPER_MAGIC", 0x1021994: "TMPFS_MAGIC",
        0x1021997: "V9FS_MAGIC", 0x7655821: "RDTGROUP_SUPER_MAGIC", 0x9041934: "ANON_INODE_FS_MAGIC",
        0xbad1dea: "FUTEXFS_SUPER_MAGIC", 0x11307854: "MTD_INODE_FS_MAGIC", 0x15013346: "UDF_SUPER_MAGIC",
        0x2011bab0: "EXFAT_SUPER_MAGIC", 0x28cd3d45: "CRAMFS_MAGIC", 0x42494e4d: "BINFMTFS_MAGIC",
        0x43415d53: "SMACK_MAGIC", 0x444d4142: "DMA_BUF_MAGIC", 0x453dcd28: "CRAMFS_MAGIC_WEND",
        0x454d444d: "DEVMEM_MAGIC", 0x50495045: "PIPEFS_MAGIC", 0x52654973: "REISERFS_SUPER_MAGIC",
        0x5345434d: "SECRETMEM_MAGIC", 0x5346414f: "AFS_SUPER_MAGIC", 0x534f434b: "SOCKFS_MAGIC",
        0x58465342: "XFS_SUPER_MAGIC", 0x5a3c69f0: "AAFS_MAGIC", 0x5a4f4653: "ZONEFS_MAGIC",
        0x6165676c: "PSTOREFS_MAGIC", 0x62646576: "BDEVFS_MAGIC", 0x62656572: "SYSFS_MAGIC",
        0x63677270: "CGROUP2_SUPER_MAGIC", 0x64626720: "DEBUGFS_MAGIC", 0x64646178: "DAXFS_MAGIC",
        0x65735546: "FUSE_SUPER_MAGIC", 0x68191122: "QNX6_SUPER_MAGIC", 0x6b414653: "AFS_FS_MAGIC",
        0x6c6f6f70: "BINDERFS_SUPER_MAGIC", 0x6e736673: "NSFS_MAGIC", 0x73636673: "SECURITYFS_MAGIC",
        0x73717368: "SQUASHFS_MAGIC", 0x73757245: "CODA_SUPER_MAGIC", 0x7461636f: "OCFS2_SUPER_MAGIC",
        0x74726163: "TRACEFS_MAGIC", 0x794c7630: "OVERLAYFS_SUPER_MAGIC", 0x858458f6: "RAMFS_MAGIC",
        0x9123683e: "BTRFS_SUPER_MAGIC", 0x958458f6: "HUGETLBFS_MAGIC", 0xabba1974: "XENFS_SUPER_MAGIC",
        0xcafe4a11: "BPF_FS_MAGIC", 0xde5e81e4: "EFIVARFS_MAGIC", 0xe0f5e1e2: "EROFS_SUPER_MAGIC_V1",
        0xf2f52010: "F2FS_SUPER_MAGIC", 0xf97cff8c: "SELINUX_MAGIC", 0xf995e849: "HPFS_SUPER_MAGIC",
        0xfe534d42: "SMB2_SUPER_MAGIC", 0xff534d42: "CIFS_SUPER_MAGIC",
    },
    "clock": {
        0: "CLOCK_REALTIME", 1: "CLOCK_MONOTONIC", 2: "CLOCK_PROCESS_CPUTIME_ID", 3: "CLOCK_THREAD_CPUTIME_ID",
        4: "CLOCK_MONOTONIC_RAW", 5: "CLOCK_REALTIME_COARSE", 6: "CLOCK_MONOTONIC_COARSE",
        7: "CLOCK_BOOTTIME", 8: "CLOCK_REALTIME_ALARM", 9: "CLOCK_BOOTTIME_ALARM", 11: "CLOCK_TAI",
    },
    "futex": {
        0: "FUTEX_WAIT", 1: "FUTEX_WAKE", 2: "FUTEX_FD", 3: "FUTEX_REQUEUE", 4: "FUTEX_CMP_REQUEUE",
        5: "FUTEX_WAKE_OP", 6: "FUTEX_LOCK_PI", 7: "FUTEX_UNLOCK_PI", 8: "FUTEX_TRYLOCK_PI",
        9: "FUTEX_WAIT_BITSET", 10: "FUTEX_WAKE_BITSET", 11: "FUTEX_WAIT_REQUEUE_PI",
        12: "FUTEX_CMP_REQUEUE_PI", 13: "FUTEX_LOCK_PI2",
    },
    "epoll_ctl": {1: "EPOLL_CTL_ADD", 2: "EPOLL_CTL_DEL", 3: "EPOLL_CTL_MOD"},
    "which_prio": {0: "PRIO_PROCESS", 1: "PRIO_PGRP", 2: "PRIO_USER"},
    "rusage_who": {0: "RUSAGE_SELF", -1: "RUSAGE_CHILDREN", 1: "RUSAGE_THREAD"},
    "itimer": {0: "ITIMER_REAL", 1: "ITIMER_VIRTUAL", 2: "ITIMER_PROF"},
    "mpol": {0: "MPOL_DEFAULT", 1: "MPOL_PREFERRED", 2: "MPOL_BIND", 3: "MPOL_INTERLEAVE", 4: "MPOL_LOCAL",
             5: "MPOL_PREFERRED_MANY"},
    "flock": {1: "LOCK_SH", 2: "LOCK_EX", 8: "LOCK_UN"},
    "fadvise": {0: "POSIX_FADV_NORMAL", 1: "POSIX_FADV_RANDOM", 2: "POSIX_FADV_SEQUENTIAL",
                3: "POSIX_FADV_WILLNEED", 4: "POSIX_FADV_DONTNEED", 5: "POSIX_FADV_NOREUSE"},
}  # fmt: skip

# S_IFMT file types, as strace names them.
FILE_TYPES = {
    0o140000: "S_IFSOCK",
    0o120000: "S_IFLNK",
    0o100000: "S_IFREG",
    0o060000: "S_IFBLK",
    0o040000: "S_IFDIR",
    0o020000: "S_IFCHR",
    0o010000: "S_IFIFO",
}
_MODE_BITS: FlagTable = [(0o4000, "S_ISUID"), (0o2000, "S_ISGID"), (0o1000, "S_ISVTX")]


def named_bits(value: int, table: FlagTable) -> tuple[list[str], int]:
    """Names of the flags set in value, and the bits no name covers."""
    names = []
    for bits, name in table:
        if bits and value & bits == bits:
            names.append(name)
            value &= ~bits
    return names, value


def format_flags(value: int, table_name: str, zero: str | None = None) -> str:
    """`A|B|0x40` as strace prints a flag word; `zero` (or the table's own
    zero name, else `0`) when nothing is set."""
    table = TABLES[table_name]
    signal_part = ""
    if table_name == "clone" and value & 0xFF:
        signal_part = signal_name(value & 0xFF)
        value &= ~0xFF
    names, rest = named_bits(value, table)
    if signal_part:
        names.append(signal_part)
    if rest:
        names.append(hex(rest))
    if not names:
        return zero if zero is not None else _ZERO_NAMES.get(table_name, "0")
    return "|".join(names)


def format_constant(value: int, table_name: str, unknown: str = "hex") -> str:
    """A constant's name; an unknown value as strace shows it: a hex number
    with the table's prefix as a comment (`0x99 /* F_??? */`) or a plain
    decimal when unknown is 'dec'."""
    name = CONSTANTS[table_name].get(value)
    if name is not None:
        return name
    if unknown == "dec":
        return str(value)
    prefix = _UNKNOWN_PREFIX.get(table_name)
    return f"{value:#x} /* {prefix}??? */" if prefix else hex(value)


_UNKNOWN_PREFIX = {
    "fcntl": "F_", "flock_type": "F_", "rlimit": "RLIMIT_", "family": "AF_", "sock_type": "SOCK_", "sol": "SOL_",
    "so": "SO_", "madv": "MADV_", "arch_prctl": "ARCH_", "prctl": "PR_", "clock": "CLOCK_",
    "futex": "FUTEX_", "epoll_ctl": "EPOLL_CTL_", "whence": "SEEK_", "sigmask_how": "SIG_",
    "ipproto": "IPPROTO_", "tcp": "TCP_", "ip": "IP_", "ipv6": "IPV6_", "itimer": "ITIMER_", "mpol": "MPOL_",
    "capability": "CAP_",
}  # fmt: skip


def format_open_flags(value: int) -> str:
    value &= 0xFFFFFFFF
    names = [OPEN_ACCESS[value & 3]]
    more, rest = named_bits(value & ~3, OPEN_FLAGS)
    names += more
    if rest:
        names.append(hex(rest))
    return "|".join(names)


def format_mode(value: int) -> str:
    """Permission bits (and set-id bits) as strace shows a creation mode."""
    value &= 0o7777
    special, rest = named_bits(value, _MODE_BITS)
    # C's "%#03o": a leading 0, at least three digits (022, 0644, 000).
    perms = f"0{rest:o}".rjust(3, "0") if rest else "000"
    return "|".join([*special, perms]) if special else perms


def format_file_mode(value: int) -> str:
    """st_mode: the file type, then the permissions (`S_IFREG|0644`)."""
    kind = FILE_TYPES.get(value & 0o170000)
    perms = format_mode(value)
    if kind is None:
        return f"{value & 0o170000:#o}|{perms}" if value & 0o170000 else perms
    return f"{kind}|{perms}"


def format_socket_type(value: int) -> str:
    names = [format_constant(value & 0xF, "sock_type")]
    more, rest = named_bits(value & ~0xF & 0xFFFFFFFF, TABLES["sock_type"])
    names += more
    if rest:
        names.append(hex(rest))
    return "|".join(names)


def format_ioctl_request(value: int) -> str:
    """An ioctl request: its name, else the _IOC(dir, type, nr, size) parts."""
    value &= 0xFFFFFFFF
    name = CONSTANTS["ioctl"].get(value)
    if name is not None:
        return name
    direction = value >> 30
    kind, number, size = (value >> 8) & 0xFF, value & 0xFF, (value >> 16) & 0x3FFF
    dirs = {0: "_IOC_NONE", 1: "_IOC_WRITE", 2: "_IOC_READ", 3: "_IOC_READ|_IOC_WRITE"}[direction]
    if direction == 0 and size == 0:
        return f"_IOC({dirs}, {kind:#x}, {number:#x}, 0)"
    return f"_IOC({dirs}, {kind:#x}, {number:#x}, {size:#x})"
