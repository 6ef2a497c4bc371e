"""Traffic control attributes of rtnetlink (qdiscs, classes, filters,
actions): statistics, rate estimators, size tables."""

from __future__ import annotations

from .netlink_core import nested
from .netlink_rtattr import attr_set
from .netlink_values import array_attr, d, fld, nla_flags, nla_str, struct_attr, u, u8, u32, u64

# Statistics structs are read up to their last field (strace's offsetofend).
_STATS = attr_set("rtnl_tca_stats_attrs", "TCA_STATS_???", {
    **dict.fromkeys(("TCA_STATS_BASIC", "TCA_STATS_BASIC_HW"),
                    struct_attr("<QI", (fld("bytes", u), fld("packets", u)))),
    "TCA_STATS_RATE_EST": struct_attr("<II", (fld("bps", u), fld("pps", u))),
    "TCA_STATS_QUEUE": struct_attr("<5I", tuple(fld(name, u) for name in ("qlen", "backlog", "drops", "requeues",
                                                                         "overlimits"))),
    "TCA_STATS_RATE_EST64": struct_attr("<QQ", (fld("bps", u), fld("pps", u))),
    "TCA_STATS_PKT64": u64,
})  # fmt: skip
TC_STATS2 = nested(_STATS)
_TC_STATS = struct_attr("<QIIIIIII", tuple(fld(name, u) for name in (
    "bytes", "packets", "drops", "overlimits", "bps", "pps", "qlen", "backlog")))  # fmt: skip
_STAB = attr_set("rtnl_tca_stab_attrs", "TCA_STAB_???", {
    "TCA_STAB_BASE": struct_attr("<BBhiIIII", (
        fld("cell_log", u), fld("size_log", u), fld("cell_align", d), fld("overhead", d), fld("linklayer", u),
        fld("mpu", u), fld("mtu", u), fld("tsize", u))),
    "TCA_STAB_DATA": array_attr("<H", lambda value: str(value[0])),
})  # fmt: skip

TC_ATTRS = attr_set("rtnl_tc_attrs", "TCA_???", {
    "TCA_KIND": nla_str,
    "TCA_STATS": _TC_STATS,
    "TCA_RATE": struct_attr("<bB", (fld("interval", d), fld("ewma_log", u))),
    **dict.fromkeys(("TCA_FCNT", "TCA_CHAIN", "TCA_INGRESS_BLOCK", "TCA_EGRESS_BLOCK", "TCA_DUMP_FLAGS"), u32),
    "TCA_STATS2": TC_STATS2,
    "TCA_STAB": nested(_STAB),
    "TCA_HW_OFFLOAD": u8,
})  # fmt: skip
_HW_STATS = nla_flags(("rtnl_tca_act_hw_stats",), "TCA_ACT_HW_STATS_???", size=4)
TC_ACTION_ATTRS = attr_set("rtnl_tc_action_attrs", "TCA_ACT_???", {
    "TCA_ACT_KIND": nla_str,
    "TCA_ACT_INDEX": u32,
    "TCA_ACT_STATS": TC_STATS2,
    "TCA_ACT_FLAGS": nla_flags(("rtnl_tca_act_flags",), "TCA_ACT_FLAGS_???", size=4),
    "TCA_ACT_HW_STATS": _HW_STATS,
    "TCA_ACT_USED_HW_STATS": _HW_STATS,
    "TCA_ACT_IN_HW_COUNT": u32,
})  # fmt: skip
