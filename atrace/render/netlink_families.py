"""The netlink protocols strace knows: the names of their message types,
their type-specific NLM_F_* flags, and their payload decoders
(atrace.render.netlink.PROTOCOLS, filled here)."""

from __future__ import annotations

from .netlink import PROTOCOLS, Protocol
from .netlink_diag import sock_diag_payload
from .netlink_misc import genl_type, selinux_payload
from .netlink_route import route_payload

NETLINK_ROUTE, NETLINK_SOCK_DIAG, NETLINK_XFRM, NETLINK_SELINUX, NETLINK_AUDIT = 0, 4, 6, 7, 9
NETLINK_NETFILTER, NETLINK_GENERIC, NETLINK_CRYPTO = 12, 16, 21

_NEW, _DEL, _GET = "netlink_new_flags", "netlink_delete_flags", "netlink_get_flags"
RTM_DELACTION = 49


def _route_flags(kind: int) -> str | None:
    # New, delete and get messages alternate in fours from RTM_BASE (16);
    # RTM_DELACTION takes the get flags (NLM_F_ROOT).
    if kind == RTM_DELACTION:
        return _GET
    return (_NEW, _DEL, _GET, None)[kind & 3]


# XFRM's new, delete and get messages by type.
_XFRM_FLAGS = {16: _NEW, 26: _NEW, 30: _NEW, 34: _NEW, 36: _NEW, 17: _DEL, 20: _DEL, 18: _GET, 21: _GET,
               31: _GET, 35: _GET, 37: _GET}  # fmt: skip
# CRYPTO_MSG_NEWALG, DELALG, DELRNG, GETALG.
_CRYPTO_FLAGS = {0x10: _NEW, 0x11: _DEL, 0x14: _DEL, 0x13: _GET}

PROTOCOLS.update({
    NETLINK_ROUTE: Protocol("nl_route_types", "RTM_???", _route_flags, route_payload),
    NETLINK_SOCK_DIAG: Protocol("nl_sock_diag_types", "SOCK_DIAG_???", lambda _kind: _GET, sock_diag_payload),
    NETLINK_XFRM: Protocol("nl_xfrm_types", "XFRM_MSG_???", _XFRM_FLAGS.get),
    NETLINK_SELINUX: Protocol("nl_selinux_types", "SELNL_MSG_???", payload=selinux_payload),
    NETLINK_GENERIC: Protocol(None, "GENERIC_FAMILY_???", type_text=genl_type),
    NETLINK_AUDIT: Protocol("nl_audit_types", "AUDIT_???"),
    NETLINK_CRYPTO: Protocol("nl_crypto_types", "CRYPTO_MSG_???", _CRYPTO_FLAGS.get),
})  # fmt: skip
