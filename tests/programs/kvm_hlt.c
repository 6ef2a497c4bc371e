/*
 * kvm_hlt: runs a one-instruction guest (hlt) on a KVM vcpu, so that
 * KVM_RUN returns with exit reason KVM_EXIT_HLT; then runs it once more
 * without the vcpu's kvm_run mapped (a second vcpu, never mmapped), where
 * no exit reason can be read.
 *
 * Exit code 0 when the guest halted, 77 when /dev/kvm cannot be used,
 * 1 on any other failure.
 */
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

static int kvm_fd;

static int guest(int vm, int id, int map)
{
    int vcpu = ioctl(vm, KVM_CREATE_VCPU, id);
    if (vcpu < 0)
        return -1;
    struct kvm_sregs sregs;
    if (ioctl(vcpu, KVM_GET_SREGS, &sregs) < 0)
        return -1;
    sregs.cs.base = 0;
    sregs.cs.selector = 0;
    if (ioctl(vcpu, KVM_SET_SREGS, &sregs) < 0)
        return -1;
    struct kvm_regs regs;
    memset(&regs, 0, sizeof(regs));
    regs.rip = 0x1000;
    regs.rflags = 2;
    if (ioctl(vcpu, KVM_SET_REGS, &regs) < 0)
        return -1;
    struct kvm_run *run = NULL;
    if (map) {
        int size = ioctl(kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
        if (size <= 0)
            size = 4096;
        run = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
        if (run == MAP_FAILED)
            return -1;
    }
    if (ioctl(vcpu, KVM_RUN, 0) < 0)
        return -1;
    return run ? (int)run->exit_reason : KVM_EXIT_HLT;
}

int main(void)
{
    int kvm = kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (kvm < 0)
        return 77;
    int vm = ioctl(kvm, KVM_CREATE_VM, 0);
    if (vm < 0)
        return 77;
    unsigned char *mem = mmap(NULL, 0x2000, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED)
        return 1;
    mem[0x1000] = 0xf4; /* hlt */
    struct kvm_userspace_memory_region region = {
        .slot = 0, .guest_phys_addr = 0, .memory_size = 0x2000, .userspace_addr = (unsigned long)mem,
    };
    if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region) < 0)
        return 1;
    if (guest(vm, 0, 1) != KVM_EXIT_HLT)
        return 1;
    if (guest(vm, 1, 0) != KVM_EXIT_HLT)
        return 1;
    return 0;
}
