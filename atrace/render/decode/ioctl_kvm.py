"""KVM's ioctls as strace prints them: capabilities by name, the guest
memory region, registers and special registers (abbreviated unless -v) and
CPUID tables.  What is read: atrace.syscalls.ioctl_kvm."""

from __future__ import annotations

from ...syscalls.ioctl_kvm import CPUID_ENTRY, MEMORY_REGION, REGS, SREGS
from .._device_names import DEVICE_NAMES
from ..call import Call, format_array
from ..flags import FlagTable, number
from .ioctl_common import ShapeFormatter, arg_data, code_name, fields, flag_names, phase_of, struct_text

_MEM_FLAGS: FlagTable = [(1, "KVM_MEM_LOG_DIRTY_PAGES"), (2, "KVM_MEM_READONLY")]
_CPUID_FLAGS: FlagTable = [(1, "KVM_CPUID_FLAG_SIGNIFCANT_INDEX"), (2, "KVM_CPUID_FLAG_STATEFUL_FUNC"),
                           (4, "KVM_CPUID_FLAG_STATE_READ_NEXT")]  # fmt: skip
_REGS = ("rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rsp", "rbp", "r8", "r9", "r10", "r11", "r12", "r13", "r14",
         "r15", "rip", "rflags")  # fmt: skip
# Shown when abbreviated, with `...` for the registers between them.
_SHORT_REGS = ("rax", "...", "rsp", "rbp", "...", "rip", "rflags")
_SEGMENTS = ("cs", "ds", "es", "fs", "gs", "ss", "tr", "ldt")
_SEGMENT_FIELDS = ("type", "present", "dpl", "db", "s", "l", "g", "avl")


def _memory_region(call: Call, request: int) -> str | None:
    raw = arg_data(call, "in")
    values = fields("IIQQQ", raw) if raw is not None and len(raw) >= MEMORY_REGION else None
    if values is None:
        return None
    slot, flags, guest, size, user = values
    return struct_text([f"slot={slot}", f"flags={flag_names(flags, _MEM_FLAGS, 'KVM_MEM_???')}",
                        f"guest_phys_addr={number(guest)}", f"memory_size={size}",
                        f"userspace_addr={number(user)}"])  # fmt: skip


def _regs(call: Call, request: int) -> str | None:
    raw = arg_data(call, phase_of(request))
    values = fields("18Q", raw) if raw is not None and len(raw) >= REGS else None
    if values is None:
        return None
    shown = dict(zip(_REGS, values, strict=True))
    names = _SHORT_REGS if call.abbreviated else _REGS
    return struct_text([name if name == "..." else f"{name}={number(shown[name])}" for name in names])


def _segment(raw: bytes, offset: int) -> str:
    base, limit, selector, *flags = fields("QIH8B", raw, offset) or (0,) * 11
    parts = [f"base={number(base)}", f"limit={limit}", f"selector={selector}"]
    return struct_text(parts + [f"{name}={v}" for name, v in zip(_SEGMENT_FIELDS, flags, strict=True)])


def _sregs(call: Call, request: int) -> str | None:
    raw = arg_data(call, phase_of(request))
    if raw is None or len(raw) < SREGS:
        return None
    if call.abbreviated:
        return struct_text([f"cs={_segment(raw, 0)}", "..."])
    parts = [f"{name}={_segment(raw, 24 * i)}" for i, name in enumerate(_SEGMENTS)]
    for i, name in enumerate(("gdt", "idt")):
        base, limit = fields("QH", raw, 192 + 16 * i) or (0, 0)
        parts.append(f"{name}={{base={number(base)}, limit={limit}}}")
    registers = fields("7Q", raw, 224) or (0,) * 7
    parts += [f"{name}={v}" for name, v in zip(("cr0", "cr2", "cr3", "cr4", "cr8", "efer"), registers, strict=False)]
    bitmap = ", ".join(number(v) for v in fields("4Q", raw, 280) or ())
    return struct_text([*parts, f"apic_base={number(registers[6])}", f"interrupt_bitmap=[{bitmap}]"])


def _cpuid_entry(raw: bytes, offset: int) -> str | None:
    values = fields("7I", raw, offset) if len(raw) >= offset + CPUID_ENTRY else None
    if values is None:
        return None
    function, index, flags, *regs = values
    parts = [f"function={number(function)}", f"index={number(index)}",
             f"flags={flag_names(flags, _CPUID_FLAGS, 'KVM_CPUID_FLAG_???')}"]  # fmt: skip
    names = ("eax", "ebx", "ecx", "edx")
    return struct_text(parts + [f"{name}={number(v)}" for name, v in zip(names, regs, strict=True)])


def _cpuid2(call: Call, request: int) -> str | None:
    raw = arg_data(call, phase_of(request))
    head = fields("I", raw) if raw is not None else None
    if raw is None or head is None:
        return None
    count = head[0]
    if call.abbreviated:
        entries = "[...]" if count else "[]"
    else:
        shown = [entry for entry in (_cpuid_entry(raw, 8 + CPUID_ENTRY * i) for i in range(count)) if entry is not None]
        entries = format_array(call.ulong(2) + 8, count, shown, CPUID_ENTRY, None)
    return struct_text([f"nent={count}", f"entries={entries}"])


SHAPES: dict[str, ShapeFormatter] = {
    "kvm_hex_value": lambda call, request: number(call.ulong(2)),
    "kvm_cap": lambda call, request: code_name(call.ulong(2), DEVICE_NAMES["kvm_cap"], "KVM_CAP_???"),
    "kvm_vcpu_id": lambda call, request: str(call.ulong(2) & 0xFFFFFFFF),
    "kvm_memory_region": _memory_region,
    "kvm_regs": _regs,
    "kvm_sregs": _sregs,
    "kvm_cpuid2": _cpuid2,
}
