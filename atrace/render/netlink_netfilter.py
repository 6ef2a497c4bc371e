"""NETLINK_NETFILTER: message types (a subsystem in the high byte, its own
message in the low one), their NLM_F_* flags, and struct nfgenmsg."""

from __future__ import annotations

from .netlink_core import NLMSG_DONE, NLMSG_MIN_TYPE, AttrSet, Header, Mem, hexstr, nlattrs, xval
from .netlink_tables import XLAT

# Each subsystem's message table and its default, by subsystem id.
_SUBSYS_TYPES: dict[int, tuple[str, str]] = {
    1: ("nf_ctnetlink_msg_types", "IPCTNL_MSG_CT_???"),
    2: ("nf_ctnetlink_exp_msg_types", "IPCTNL_MSG_EXP_???"),
    3: ("nf_queue_msg_types", "NFQNL_MSG_???"),
    4: ("nf_ulog_msg_types", "NFULNL_MSG_???"),
    5: ("nf_osf_msg_types", "OSF_MSG_???"),
    6: ("nf_ipset_msg_types", "IPSET_CMD_???"),
    7: ("nf_acct_msg_types", "NFNL_MSG_ACCT_???"),
    8: ("nf_cttimeout_msg_types", "IPCTNL_MSG_TIMEOUT_???"),
    9: ("nf_cthelper_msg_types", "NFNL_MSG_CTHELPER_???"),
    10: ("nf_nftables_msg_types", "NFT_MSG_???"),
    11: ("nf_nft_compat_msg_types", "NFNL_MSG_COMPAT_???"),
    12: ("nf_hook_msg_types", "NFT_MSG_HOOK_???"),
}
NFNL_SUBSYS_NFTABLES = 10
NFNL_MSG_BATCH_BEGIN, NFNL_MSG_BATCH_END = 0x10, 0x11

_NEW, _GET, _DEL = "netlink_new_flags", "netlink_get_flags", "netlink_delete_flags"
# The messages that create, query or delete, by name (strace's choice of
# flag table for each).
_FLAG_CLASSES = {
    _NEW: ("IPCTNL_MSG_CT_NEW", "IPCTNL_MSG_EXP_NEW", "NFNL_MSG_ACCT_NEW", "IPCTNL_MSG_TIMEOUT_NEW",
           "NFNL_MSG_CTHELPER_NEW", "NFT_MSG_NEWTABLE", "NFT_MSG_NEWCHAIN", "NFT_MSG_NEWRULE", "NFT_MSG_NEWSET",
           "NFT_MSG_NEWSETELEM", "NFT_MSG_NEWGEN", "NFT_MSG_NEWOBJ", "NFT_MSG_NEWFLOWTABLE"),
    _GET: ("IPCTNL_MSG_CT_GET", "IPCTNL_MSG_CT_GET_CTRZERO", "IPCTNL_MSG_CT_GET_STATS_CPU", "IPCTNL_MSG_CT_GET_STATS",
           "IPCTNL_MSG_CT_GET_DYING", "IPCTNL_MSG_CT_GET_UNCONFIRMED", "IPCTNL_MSG_EXP_GET",
           "IPCTNL_MSG_EXP_GET_STATS_CPU", "NFNL_MSG_ACCT_GET", "NFNL_MSG_ACCT_GET_CTRZERO", "IPCTNL_MSG_TIMEOUT_GET",
           "NFNL_MSG_CTHELPER_GET", "NFT_MSG_GETTABLE", "NFT_MSG_GETCHAIN", "NFT_MSG_GETRULE", "NFT_MSG_GETSET",
           "NFT_MSG_GETSETELEM", "NFT_MSG_GETGEN", "NFT_MSG_GETOBJ", "NFT_MSG_GETOBJ_RESET", "NFT_MSG_GETFLOWTABLE",
           "NFNL_MSG_COMPAT_GET", "NFNL_MSG_HOOK_GET"),
    _DEL: ("IPCTNL_MSG_CT_DELETE", "IPCTNL_MSG_EXP_DELETE", "NFNL_MSG_ACCT_DEL", "IPCTNL_MSG_TIMEOUT_DELETE",
           "NFNL_MSG_CTHELPER_DEL", "NFT_MSG_DELTABLE", "NFT_MSG_DELCHAIN", "NFT_MSG_DELRULE", "NFT_MSG_DELSET",
           "NFT_MSG_DELSETELEM", "NFT_MSG_DELOBJ", "NFT_MSG_DELFLOWTABLE"),
}  # fmt: skip


def _flag_tables() -> dict[int, str]:
    """(subsystem << 8 | message) -> its flag table."""
    out: dict[int, str] = {}
    for subsys, (table, _dflt) in _SUBSYS_TYPES.items():
        for value, name in XLAT[table]:
            for flags_table, members in _FLAG_CLASSES.items():
                if name in members:
                    out.setdefault(subsys << 8 | value, flags_table)
    return out


_FLAGS = _flag_tables()


def netfilter_flags(kind: int) -> str | None:
    return _FLAGS.get(kind)


def netfilter_type(kind: int) -> str:
    """NFNL_MSG_BATCH_BEGIN..., else SUBSYS<<8|MESSAGE."""
    control = {value: name for value, name in XLAT["nl_netfilter_msg_types"]}.get(kind)
    if control is not None:
        return xval(kind, "nl_netfilter_msg_types", "NFNL_MSG_???")
    subsys, message = kind >> 8, kind & 0xFF
    head = xval(subsys, "nl_netfilter_subsys_ids", "NFNL_SUBSYS_???")
    table = _SUBSYS_TYPES.get(subsys)
    tail = xval(message, table[0], table[1]) if table else (hex(message) if message else "0")
    return f"{head}<<8|{tail}"


_ANY_ATTRS = AttrSet(None, "")


def netfilter_payload(mem: Mem, hdr: Header, off: int, length: int) -> str | None:
    """struct nfgenmsg (res_id in network order), then attributes."""
    if hdr.type == NLMSG_DONE:
        return None
    if length < 4:
        return hexstr(mem, off, length)
    raw = mem.get(off, 4)
    if raw is None:
        return mem.addr(off)
    family, version = raw[0], raw[1]
    res_id = int.from_bytes(raw[2:4], "big")
    if hdr.type >> 8 == NFNL_SUBSYS_NFTABLES and res_id == NFNL_SUBSYS_NFTABLES:
        res_text = "htons(NFNL_SUBSYS_NFTABLES)"
    elif hdr.type >> 8 == NFNL_SUBSYS_NFTABLES and int.from_bytes(raw[2:4], "little") == NFNL_SUBSYS_NFTABLES:
        res_text = "NFNL_SUBSYS_NFTABLES"  # the kernel's own wrong byte order
    else:
        res_text = f"htons({res_id})"
    text = (f"{{nfgen_family={xval(family, 'addrfams', 'AF_???')}, "
            f"version={xval(version, 'netfilter_versions', 'NFNETLINK_???')}, res_id={res_text}}}")  # fmt: skip
    if length > 4:
        batch = NFNL_MSG_BATCH_BEGIN <= hdr.type <= NFNL_MSG_BATCH_END or hdr.type < NLMSG_MIN_TYPE
        rest = hexstr(mem, off + 4, length - 4) if batch else nlattrs(mem, off + 4, length - 4, _ANY_ATTRS)
        text += ", " + rest
    return text
