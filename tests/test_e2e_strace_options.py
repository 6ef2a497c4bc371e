"""strace options that reach into the tracer (issue 11): -e kvm=vcpu, and
the -e qualifiers' edge cases, each checked against strace where it runs."""

from __future__ import annotations

import os
import shutil

import pytest
from conftest import atrace_argv, describe, run


def _kvm_usable() -> bool:
    try:
        os.close(os.open("/dev/kvm", os.O_RDWR))
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _kvm_usable(), reason="/dev/kvm cannot be opened here")
@pytest.mark.parametrize("spelling", [["-e", "kvm=vcpu"], ["--kvm=vcpu"]])
def test_kvm_vcpu_exit_reason(program, spelling):
    """-e kvm=vcpu: a KVM_RUN that returned shows why (the guest's hlt);
    a vcpu whose kvm_run is not mapped shows none (nothing to read it in)."""
    prog = str(program("kvm_hlt"))
    options = [*spelling, "-y", "-e", "trace=ioctl"]
    proc = run(atrace_argv(*options, prog))
    assert proc.returncode == 0, describe(proc)
    runs = [ln for ln in proc.stderr.decode().splitlines() if "KVM_RUN" in ln]
    assert runs == [
        "ioctl(5<anon_inode:kvm-vcpu:0>, KVM_RUN, 0) = 0 (KVM_EXIT_HLT)",
        "ioctl(6<anon_inode:kvm-vcpu:1>, KVM_RUN, 0) = 0",
    ], proc.stderr.decode()
    plain = run(atrace_argv("-y", "-e", "trace=ioctl", prog))
    assert [ln for ln in plain.stderr.decode().splitlines() if "KVM_RUN" in ln][0].endswith("KVM_RUN, 0) = 0")
    if shutil.which("strace"):
        real = run(["strace", *options, prog])
        assert real.returncode == 0, describe(real)
        assert [ln for ln in real.stderr.decode().splitlines() if "KVM_RUN" in ln] == runs


@pytest.mark.parametrize("value", ["vcpu,vcpu", "all", "", "cpu"])
def test_kvm_takes_only_vcpu(program, value):
    """strace's only -e kvm= value is vcpu, and its message names the rest."""
    proc = run(atrace_argv("-e", f"kvm={value}", str(program("cli_calls"))))
    assert proc.returncode == 1 and proc.stderr.decode() == f"atrace: invalid -e kvm= argument: '{value}'\n"
    if shutil.which("strace"):
        real = run(["strace", "-e", f"kvm={value}", str(program("cli_calls"))])
        assert real.returncode == 1 and real.stderr.decode() == f"strace: invalid -e kvm= argument: '{value}'\n"
