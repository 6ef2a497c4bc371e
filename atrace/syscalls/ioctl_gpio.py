"""GPIO character devices' ioctls (linux/gpio.h, type 0xB4): what each
request's argument is, as data (atrace.render.decode.ioctl_gpio formats
them).  Most requests are _IOWR: strace shows what goes in and, once the
call succeeded, `=> ` what came back ("both")."""

from __future__ import annotations

from .ioctl_codes import IOC_READ, IOC_WRITE, IoctlArg, ioc

_RW = IOC_READ | IOC_WRITE
_G = 0xB4

# Struct sizes (linux/gpio.h; the same on every ABI: no longs or pointers).
CHIPINFO, LINEINFO, HANDLE_REQUEST, EVENT_REQUEST = 68, 72, 364, 48
HANDLE_DATA, HANDLE_CONFIG = 64, 84
V2_LINE_INFO, V2_LINE_REQUEST, V2_LINE_CONFIG, V2_LINE_VALUES = 256, 592, 272, 16

ARGS: dict[int, IoctlArg] = {
    ioc(IOC_READ, _G, 0x01, CHIPINFO): IoctlArg("gpio_chipinfo", "out", CHIPINFO),
    ioc(_RW, _G, 0x02, LINEINFO): IoctlArg("gpio_lineinfo", "both", LINEINFO),
    ioc(_RW, _G, 0x0B, LINEINFO): IoctlArg("gpio_lineinfo", "both", LINEINFO),  # ..._WATCH_IOCTL
    ioc(_RW, _G, 0x0C, 4): IoctlArg("gpio_unwatch", "in", 4),
    ioc(_RW, _G, 0x03, HANDLE_REQUEST): IoctlArg("gpio_handle_request", "both", HANDLE_REQUEST),
    ioc(_RW, _G, 0x04, EVENT_REQUEST): IoctlArg("gpio_event_request", "both", EVENT_REQUEST),
    ioc(_RW, _G, 0x08, HANDLE_DATA): IoctlArg("gpio_handle_data", "out", HANDLE_DATA),
    ioc(_RW, _G, 0x09, HANDLE_DATA): IoctlArg("gpio_handle_data", "in", HANDLE_DATA),
    ioc(_RW, _G, 0x0A, HANDLE_CONFIG): IoctlArg("gpio_handle_config", "in", HANDLE_CONFIG),
    ioc(_RW, _G, 0x05, V2_LINE_INFO): IoctlArg("gpio_v2_line_info", "both", V2_LINE_INFO),
    ioc(_RW, _G, 0x06, V2_LINE_INFO): IoctlArg("gpio_v2_line_info", "both", V2_LINE_INFO),  # ..._WATCH_IOCTL
    ioc(_RW, _G, 0x07, V2_LINE_REQUEST): IoctlArg("gpio_v2_line_request", "both", V2_LINE_REQUEST),
    ioc(_RW, _G, 0x0D, V2_LINE_CONFIG): IoctlArg("gpio_v2_line_config", "in", V2_LINE_CONFIG),
    ioc(_RW, _G, 0x0E, V2_LINE_VALUES): IoctlArg("gpio_v2_get_values", "both", V2_LINE_VALUES),
    ioc(_RW, _G, 0x0F, V2_LINE_VALUES): IoctlArg("gpio_v2_set_values", "in", V2_LINE_VALUES),
}
