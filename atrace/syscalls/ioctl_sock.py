"""Socket ioctls (linux/sockios.h): what each request's argument points
to: a struct ifreq (40 bytes on x86_64: a 16-byte name, then a 24-byte
union), an int, or a bridge name.  Registered by atrace.syscalls.ioctls;
shown by atrace.render.decode.ioctl_sock."""

from __future__ import annotations

from ._ioctl_names import IOCTL_NAMES
from .ioctls import Indirect

_NUMBERS = {name: number for number, name in IOCTL_NAMES.items()}


def _numbers(*names: str) -> list[int]:
    return [_NUMBERS[name] for name in names]


# Requests that pass a struct ifreq in: its name, then the union member the
# request sets.
SETTERS = _numbers("SIOCADDMULTI", "SIOCDELMULTI", "SIOCSIFADDR", "SIOCSIFBRDADDR", "SIOCSIFDSTADDR",
                   "SIOCSIFFLAGS", "SIOCSIFHWADDR", "SIOCSIFHWBROADCAST", "SIOCSIFMAP", "SIOCSIFMETRIC",
                   "SIOCSIFMTU", "SIOCSIFNAME", "SIOCSIFNETMASK", "SIOCSIFSLAVE", "SIOCSIFTXQLEN")  # fmt: skip
# Requests that pass the name (SIOCGIFNAME: the index) and get the member back.
GETTERS = _numbers("SIOCGIFADDR", "SIOCGIFBRDADDR", "SIOCGIFDSTADDR", "SIOCGIFFLAGS", "SIOCGIFHWADDR",
                   "SIOCGIFINDEX", "SIOCGIFMAP", "SIOCGIFMETRIC", "SIOCGIFMTU", "SIOCGIFNAME", "SIOCGIFNETMASK",
                   "SIOCGIFSLAVE", "SIOCGIFTXQLEN")  # fmt: skip
BRIDGE_NAMES = _numbers("SIOCBRADDBR", "SIOCBRDELBR")
BRIDGE_PORTS = _numbers("SIOCBRADDIF", "SIOCBRDELIF")
INT_OUT = _numbers("FIOGETOWN", "SIOCATMARK", "SIOCGIFENCAP", "SIOCGPGRP", "SIOCOUTQNSD")
INT_IN = _numbers("FIOSETOWN", "SIOCSIFENCAP", "SIOCSPGRP")

SIOCGIFCONF = _NUMBERS["SIOCGIFCONF"]
IFREQ_SIZE = 40
# The interfaces SIOCGIFCONF lists: as many struct ifreq as -s shows, with
# room to spare (strace reads one past the last it shows).
IFCONF_MAX = 64

SIZES: dict[str, int] = {
    "ifconf": 16,  # int ifc_len, then the buffer's address
    "ifreq_set": 40,
    "ifreq_get": 40,
    "ifreq_index": 40,
    "bridge_name": 17,  # IFNAMSIZ, and one more to see whether a NUL ends it
}

ARGS: dict[int, tuple[str, str]] = {
    **{request: ("ifreq_set", "in") for request in SETTERS},
    **{request: ("ifreq_get", "inout") for request in GETTERS},
    **{request: ("bridge_name", "in") for request in BRIDGE_NAMES},
    **{request: ("ifreq_index", "in") for request in BRIDGE_PORTS},
    **{request: ("int", "out") for request in INT_OUT},
    **{request: ("int", "in") for request in INT_IN},
    SIOCGIFCONF: ("ifconf", "inout"),
}
INDIRECT: dict[int, Indirect] = {SIOCGIFCONF: Indirect(0, (8, 4), IFREQ_SIZE * IFCONF_MAX)}
