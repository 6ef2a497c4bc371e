"""Named constants of the socket and IPC decoders (render/decode/net.py,
sockopts.py, ipc.py), merged by atrace.render.decoder_tables into the tables
render/flags.py prints by (so -X raw and verbose apply to them)."""

from __future__ import annotations

NET_TABLES: dict[str, list[tuple[int, str]]] = {
    # shmat's flags (linux/shm.h).
    "shmat": [(0o10000, "SHM_RDONLY"), (0o20000, "SHM_RND"), (0o40000, "SHM_REMAP"), (0o100000, "SHM_EXEC")],
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
    # struct packet_mreq's mr_type.
    "packet_mr": {0: "PACKET_MR_MULTICAST", 1: "PACKET_MR_PROMISC", 2: "PACKET_MR_ALLMULTI",
                  3: "PACKET_MR_UNICAST"},
}  # fmt: skip
NET_UNKNOWN_PREFIX: dict[str, str] = {"packet": "PACKET_", "packet_mr": "PACKET_MR_", "shmat": "SHM_"}
