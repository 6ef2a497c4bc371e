"""-e kvm=vcpu: KVM_RUN's exit reason after its return value, as strace
shows it (`ioctl(5<anon_inode:kvm-vcpu:0>, KVM_RUN, 0) = 0 (KVM_EXIT_HLT)`).
The tracer reads the reason (tracer/kvm_run.py) into the exit's `kvm_exit`."""

from __future__ import annotations

from ..call import Call

# struct kvm_run's exit_reason values (linux/kvm.h); strace names only these.
KVM_EXIT_NAMES = {
    0: "KVM_EXIT_UNKNOWN",
    1: "KVM_EXIT_EXCEPTION",
    2: "KVM_EXIT_IO",
    3: "KVM_EXIT_HYPERCALL",
    4: "KVM_EXIT_DEBUG",
    5: "KVM_EXIT_HLT",
    6: "KVM_EXIT_MMIO",
    7: "KVM_EXIT_IRQ_WINDOW_OPEN",
    8: "KVM_EXIT_SHUTDOWN",
    9: "KVM_EXIT_FAIL_ENTRY",
    10: "KVM_EXIT_INTR",
    11: "KVM_EXIT_SET_TPR",
    12: "KVM_EXIT_TPR_ACCESS",
    13: "KVM_EXIT_S390_SIEIC",
    14: "KVM_EXIT_S390_RESET",
    15: "KVM_EXIT_DCR",
    16: "KVM_EXIT_NMI",
    17: "KVM_EXIT_INTERNAL_ERROR",
    18: "KVM_EXIT_OSI",
    19: "KVM_EXIT_PAPR_HCALL",
    20: "KVM_EXIT_S390_UCONTROL",
    21: "KVM_EXIT_WATCHDOG",
    22: "KVM_EXIT_S390_TSCH",
    23: "KVM_EXIT_EPR",
    24: "KVM_EXIT_SYSTEM_EVENT",
    25: "KVM_EXIT_S390_STSI",
    26: "KVM_EXIT_IOAPIC_EOI",
    27: "KVM_EXIT_HYPERV",
    28: "KVM_EXIT_ARM_NISV",
    29: "KVM_EXIT_X86_RDMSR",
    30: "KVM_EXIT_X86_WRMSR",
    31: "KVM_EXIT_DIRTY_RING_FULL",
    32: "KVM_EXIT_AP_RESET_HOLD",
    33: "KVM_EXIT_X86_BUS_LOCK",
    34: "KVM_EXIT_XEN",
    35: "KVM_EXIT_RISCV_SBI",
    36: "KVM_EXIT_RISCV_CSR",
    37: "KVM_EXIT_NOTIFY",
}


def kvm_exit_note(call: Call) -> str | None:
    """`0 (KVM_EXIT_...)` for a KVM_RUN whose exit reason was recorded."""
    reason = (call.exit or {}).get("kvm_exit")
    name = KVM_EXIT_NAMES.get(reason) if isinstance(reason, int) else None
    return f"{call.ret} ({name})" if name is not None else None
