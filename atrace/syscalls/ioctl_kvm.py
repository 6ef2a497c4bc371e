"""KVM's ioctls (linux/kvm.h, type 0xAE), x86_64's structs.  KVM_CREATE_VM
and KVM_CREATE_VCPU return an fd (-y shows its path)."""

from __future__ import annotations

from .ioctl_codes import IOC_NONE, IOC_READ, IOC_WRITE, IoctlArg, ioc, value

_K = 0xAE
MEMORY_REGION, REGS, SREGS, CPUID_ENTRY = 32, 144, 312, 40
# struct kvm_cpuid2's nent and padding, then at most this many entries.
CPUID_CAP = 8 + CPUID_ENTRY * 256
KVM_CREATE_VM, KVM_CREATE_VCPU = ioc(IOC_NONE, _K, 0x01, 0), ioc(IOC_NONE, _K, 0x41, 0)
RETURNS_FD = frozenset({KVM_CREATE_VM, KVM_CREATE_VCPU})

ARGS: dict[int, IoctlArg] = {
    **{ioc(IOC_NONE, _K, nr, 0): value("kvm_hex_value") for nr in (0x00, 0x01, 0x04, 0x80)},  # API_VERSION...RUN
    ioc(IOC_NONE, _K, 0x03, 0): value("kvm_cap"),  # KVM_CHECK_EXTENSION
    KVM_CREATE_VCPU: value("kvm_vcpu_id"),
    ioc(IOC_WRITE, _K, 0x46, MEMORY_REGION): IoctlArg("kvm_memory_region", "in", MEMORY_REGION),
    ioc(IOC_READ, _K, 0x81, REGS): IoctlArg("kvm_regs", "out", REGS),
    ioc(IOC_WRITE, _K, 0x82, REGS): IoctlArg("kvm_regs", "in", REGS),
    ioc(IOC_READ, _K, 0x83, SREGS): IoctlArg("kvm_sregs", "out", SREGS),
    ioc(IOC_WRITE, _K, 0x84, SREGS): IoctlArg("kvm_sregs", "in", SREGS),
    ioc(IOC_READ | IOC_WRITE, _K, 0x05, 8): IoctlArg("kvm_cpuid2", "out", CPUID_CAP),  # KVM_GET_SUPPORTED_CPUID
    ioc(IOC_READ | IOC_WRITE, _K, 0x09, 8): IoctlArg("kvm_cpuid2", "out", CPUID_CAP),  # KVM_GET_EMULATED_CPUID
    ioc(IOC_WRITE, _K, 0x90, 8): IoctlArg("kvm_cpuid2", "in", CPUID_CAP),  # KVM_SET_CPUID2
}
