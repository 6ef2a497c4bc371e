"""Named constants of the socket and IPC decoders (render/decode/net.py,
sockopts.py, ipc.py), merged by atrace.render.decoder_tables into the tables
render/flags.py prints by (so -X raw and verbose apply to them)."""

from __future__ import annotations

NET_TABLES: dict[str, list[tuple[int, str]]] = {
    # shmat's flags (linux/shm.h).
    "shmat": [(0o10000, "SHM_RDONLY"), (0o20000, "SHM_RND"), (0o40000, "SHM_REMAP"), (0o100000, "SHM_EXEC")],
    # struct sockaddr_vm's svm_flags, struct sockaddr_xdp's sxdp_flags.
    "vmaddr_flag": [(1, "VMADDR_FLAG_TO_HOST")],
    "xdp_flags": [(1, "XDP_SHARED_UMEM"), (2, "XDP_COPY"), (4, "XDP_ZEROCOPY"), (8, "XDP_USE_NEED_WAKEUP")],
    # msgsnd's and msgrcv's msgflg (linux/msg.h); struct mq_attr's mq_flags.
    "msgflg": [(0o4000, "IPC_NOWAIT"), (0o10000, "MSG_NOERROR"), (0o20000, "MSG_EXCEPT"), (0o40000, "MSG_COPY")],
    "mq_flags": [(0o4000, "O_NONBLOCK")],
    # struct sembuf's sem_flg.
    "sem_flg": [(0o10000, "SEM_UNDO"), (0o4000, "IPC_NOWAIT")],
}
NET_CONSTANTS: dict[str, dict[int, str]] = {
    # SOL_PACKET's options (linux/if_packet.h).
    "packet": {1: "PACKET_ADD_MEMBERSHIP", 2: "PACKET_DROP_MEMBERSHIP", 3: "PACKET_RECV_OUTPUT",
               5: "PACKET_RX_RING", 6: "PACKET_STATISTICS", 7: "PACKET_COPY_THRESH", 8: "PACKET_AUXDATA",
               9: "PACKET_ORIGDEV", 10: "PACKET_VERSION", 11: "PACKET_HDRLEN", 12: "PACKET_RESERVE",
               13: "PACKET_TX_RING", 14: "PACKET_LOSS", 15: "PACKET_VNET_HDR", 16: "PACKET_TX_TIMESTAMP",
               17: "PACKET_TIMESTAMP", 18: "PACKET_FANOUT", 19: "PACKET_TX_HAS_OFF", 20: "PACKET_QDISC_BYPASS",
               21: "PACKET_ROLLOVER_STATS", 22: "PACKET_FANOUT_DATA", 23: "PACKET_IGNORE_OUTGOING",
               24: "PACKET_VNET_HDR_SZ"},
    # Socket types as a plain value (sockaddr_rxrpc's transport_type).
    "sock_kind": {1: "SOCK_STREAM", 2: "SOCK_DGRAM", 3: "SOCK_RAW", 4: "SOCK_RDM", 5: "SOCK_SEQPACKET",
                  6: "SOCK_DCCP", 10: "SOCK_PACKET"},
    # struct sockaddr_ll's sll_hatype and sll_pkttype.
    "arphrd": {0: "ARPHRD_NETROM", 1: "ARPHRD_ETHER", 2: "ARPHRD_EETHER", 3: "ARPHRD_AX25", 4: "ARPHRD_PRONET",
               5: "ARPHRD_CHAOS", 6: "ARPHRD_IEEE802", 7: "ARPHRD_ARCNET", 8: "ARPHRD_APPLETLK", 15: "ARPHRD_DLCI",
               19: "ARPHRD_ATM", 23: "ARPHRD_METRICOM", 24: "ARPHRD_IEEE1394", 27: "ARPHRD_EUI64",
               32: "ARPHRD_INFINIBAND", 512: "ARPHRD_PPP", 768: "ARPHRD_TUNNEL", 769: "ARPHRD_TUNNEL6",
               772: "ARPHRD_LOOPBACK", 776: "ARPHRD_SIT", 778: "ARPHRD_IPGRE", 801: "ARPHRD_IEEE80211",
               823: "ARPHRD_IP6GRE", 824: "ARPHRD_NETLINK", 65534: "ARPHRD_NONE", 65535: "ARPHRD_VOID"},
    "packet_type": {0: "PACKET_HOST", 1: "PACKET_BROADCAST", 2: "PACKET_MULTICAST", 3: "PACKET_OTHERHOST",
                    4: "PACKET_OUTGOING", 5: "PACKET_LOOPBACK", 6: "PACKET_USER", 7: "PACKET_KERNEL"},
    # struct sockaddr_nfc's nfc_protocol.
    "nfc_proto": {1: "NFC_PROTO_JEWEL", 2: "NFC_PROTO_MIFARE", 3: "NFC_PROTO_FELICA", 4: "NFC_PROTO_ISO14443",
                  5: "NFC_PROTO_NFC_DEP", 6: "NFC_PROTO_ISO14443_B", 7: "NFC_PROTO_ISO15693"},
    # struct packet_mreq's mr_type.
    "packet_mr": {0: "PACKET_MR_MULTICAST", 1: "PACKET_MR_PROMISC", 2: "PACKET_MR_ALLMULTI",
                  3: "PACKET_MR_UNICAST"},
}  # fmt: skip
NET_UNKNOWN_PREFIX: dict[str, str] = {"packet": "PACKET_", "packet_mr": "PACKET_MR_", "shmat": "SHM_",
                                      "sock_kind": "SOCK_", "arphrd": "ARPHRD_", "packet_type": "PACKET_",
                                      "nfc_proto": "NFC_PROTO_"}  # fmt: skip
