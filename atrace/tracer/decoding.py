"""What the tracer thread reads from a tracee's memory at each stop.

The syscall tables say, per argument, what kind of value it is, and each
kind's declaration (atrace.syscalls.kinds) says whether it needs the
tracee's memory, when, and how much (paths, strings, argv, buffers,
structs); everything else is formatted later from the raw registers.  This
module turns the tables into per-number *plans* once, at start-up, for each
of the three ABIs: a plan has the call's name, whether the trace set records
it, and a short tuple of (key, argument index, reader) steps, so the hot
path does one lookup and one loop with a single call per value it needs.
The readers themselves are in atrace.tracer.readers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..syscalls import ARCH_I386, ARCH_X86_64, SOCKETCALLS, Syscall, by_name, ioctls, table
from ..syscalls.abi import RESTART_RETURNS
from ..syscalls.calls import (
    CLONE_PARENT_SETTID,
    CLONE_PIDFD,
    DUMPED_CALLS,
    FD_RETURNING,
    NEVER_RETURN,
    SIGRETURN_MASK,
    SIGSET_SIZE_ARGS,
)
from ..syscalls.copy_sizes import copy_size
from ..syscalls.ioctls import returns_fd, takes_fd
from ..syscalls.kinds import KIND, Kind
from . import dumps
from ._ptrace import MemoryReader, stack_pointer
from .call_readers import CallReaders
from .fd_paths import (
    dirfd_path,
    fd_detail_key,
    fd_details,
    fd_path,
    fd_path_key,
    polled_paths,
    returned_fd_details,
    returned_fd_path,
    selected_paths,
    target_fd_details,
    target_fd_path,
    written_fd_path,
    written_fds,
)
from .file_readers import (
    mount_attr,
    open_how_tail,
    received_rights_paths,
    rule_attr,
    rule_parent_path,
    ruleset_attr,
    sent_rights_paths,
    uring_wq_fd_path,
    userns_fd_path,
    xdp_umem_fd_path,
)
from .kvm_run import kvm_exit_reason
from .netlink_probe import NetlinkReaders
from .pids import CHOSEN_PID_ARGS, PID_RETURNS, STRUCT_PIDS, PidNamespaces, own_comm
from .readers import ExitReader, ExitStep, Reader, Readers, Step, Value, text_or_bytes
from .registers import call_instruction_pointer
from .shapes import exec_argv

__all__ = ["Decoder", "Plan", "exec_argv", "recorded_numbers", "text_or_bytes"]


@dataclass(frozen=True, slots=True)
class Plan:
    """Memory reads for one syscall, at entry and at exit."""

    name: str
    entry: tuple[Step, ...] = ()
    exit: tuple[ExitStep, ...] = ()
    execs: bool = False  # execve/execveat: the loop keeps its data for the exec event
    recorded: bool = True  # in the trace set (-e trace=): its entry and exit are recorded
    # Errors after which the exit values are read all the same: the restart
    # codes, for a call whose kernel writes an argument when interrupted.
    exit_errors: frozenset[int] = frozenset()
    # exit/exit_group: the task ends in the call (the loop may read its
    # process's CPU time at the entry instead of at an exit event)
    ends: bool = False


def _ioctl_fd_path(pid: int, arch: int, args: Sequence[int], index: int, /) -> Value:
    """-y: the path of an ioctl argument that is an fd (NBD_SET_SOCK)."""
    return fd_path(pid, arch, args, index) if takes_fd(args[1] & 0xFFFFFFFF) else None


def _ioctl_returned_fd_path(pid: int, args: Sequence[int], index: int, ret: int, /) -> Value:
    """-y: the path of the fd an ioctl returned (KVM_CREATE_VM)."""
    return returned_fd_path(pid, args, index, ret) if returns_fd(args[1] & 0xFFFFFFFF) else None


def recorded_numbers(arch: int, trace_set: dict[int, frozenset[int]] | None) -> frozenset[int]:
    """The syscall numbers of ABI `arch` (x32: without X32_SYSCALL_BIT) whose
    entries and exits are recorded under a trace set (`TracerConfig.recorded`,
    from atrace.filters.syscall_set; None: every call, the table's holes
    too).  The plans take their `recorded` from here, and so can a filter
    that stops only the recorded calls."""
    if trace_set is None:
        return frozenset(range(len(table(arch))))
    return trace_set.get(arch, frozenset())


class Decoder(Readers):
    """Builds plans and the readers they call (tracer thread only).

    Readers copy what an option asks for and nothing more: strings and
    buffers up to the -s limit, structs as raw bytes in one read.
    """

    def __init__(
        self,
        memory: MemoryReader,
        string_limit: int,
        fd_paths: bool | frozenset[str] = False,
        recorded: dict[int, frozenset[int]] | None = None,
        pid_comm: bool = False,
        pidns: bool = False,
        dump_fds: tuple[frozenset[int] | None, frozenset[int] | None] = (None, None),
        envp_strings: bool = False,
        instruction_pointer: bool = False,
        kvm_vcpu: bool = False,
    ) -> None:
        super().__init__(memory, string_limit)
        # -Y and --pidns-translation (tracer/pids.py): /proc reads for each
        # pid argument and returned pid, so only when asked.
        self._pid_comm = pid_comm
        self._pidns = pidns
        self.pids = PidNamespaces() if pid_comm or pidns else None
        # -e read= / -e write=: the fds whose dumped calls' data is read
        # whole, by a decoder without the -s cut (tracer/dumps.py).
        self._dump_fds = {"read": dump_fds[0], "write": dump_fds[1]}
        self._whole: Decoder | None = None
        if any(dump_fds):
            self._whole = Decoder(MemoryReader(dumps.DUMP_LIMIT), dumps.DUMP_LIMIT, fd_paths, recorded)
            # It keeps what it could read of a buffer that runs into
            # unreadable memory: strace dumps that, then says where it ended.
            self._whole.keep_partial = True
        # -y / -P: the path of every fd argument and returned fd, read from
        # /proc/PID/fd (a readlink each, so only when asked); -yy's details
        # (devices, sockets, pidfds: a stat each, tracer/fd_paths.py) too
        # when the set names them. True is -y's {"path"}.
        # "match" (-P): also the paths of the fds in poll's and select's sets.
        wanted = frozenset({"path"}) if fd_paths is True else frozenset(fd_paths or ())
        self._fd_paths = bool(wanted)
        self._fd_watched = "match" in wanted
        self._fd_details = wanted - {"path", "match"}
        # -e trace=: the numbers recorded per ABI (None: every call).
        self._recorded = recorded
        # -v: execve's environment as strings (the argv reader), else its count.
        self._envp_strings = envp_strings
        # -i: every call's entry records where it was made.
        self._ip_steps: tuple[Step, ...] = (("ip", 0, call_instruction_pointer),) if instruction_pointer else ()
        # Readers by the name a kind declares (atrace.syscalls.kinds).
        self.entry_readers: dict[str, Reader] = {
            "path": self._path,
            "string": self._string,
            "argv": self._argv,
            "envp": self._envp,
            "buffer_in": self._buffer_in,
            "iov_in": self._iov_in,
            "iov_heads": self._iov_heads,
            "sockaddr_in": self._sockaddr_in,
            "pollfd": self._pollfd,
            "fdset": self._fdset,
            "clone_args": self._clone_args,
            "socketcall_entry": self._socketcall_entry,
            "futex_timeout": self._futex_timeout(time64=False),
            "futex_timeout64": self._futex_timeout(time64=True),
            "pselect6_sig": self._pselect6_sig,
            "ioctl_in": self._ioctl_entry,
            "msghdr_in": self._msghdr_in,
            "msghdr_head": self._msghdr_head,
            "mmsghdr_in": self._mmsghdr_in,
            "epoll_event": self._epoll_event,
            "cpuset_in": self._cpuset_in,
            "fcntl_in": self._fcntl_entry,
            "gids_in": self._gid_list_in(4),
            "gids16_in": self._gid_list_in(2),
            "nodemask_in": self._nodemask_in,
            "memfd_name": self._memfd_name,
            "move_pages_in": self._move_pages_in,
        }
        self._sub_plans: dict[int, Plan] | None = None
        # Readers whose memory depends on a command argument (prctl, seccomp...).
        self._call_readers = CallReaders(memory, string_limit)
        # Values that belong to the call rather than to one argument, read at
        # exit under their own key: clone3's parent_tid is inside its struct.
        self._call_exit_readers: dict[str, tuple[tuple[str, ExitReader], ...]] = {
            "clone3": (("pidfd", self._clone3_written(CLONE_PIDFD, 1)),
                       ("parent_tid", self._clone3_written(CLONE_PARENT_SETTID, 3))),
        }  # fmt: skip
        # A buffer sent or received on a netlink socket: whole, with the
        # socket's protocol (atrace.tracer.netlink_probe).
        self._netlink = NetlinkReaders(memory)
        self._call_entry_readers: dict[str, tuple[tuple[str, Reader], ...]] = {
            name: (("netlink", self._netlink.sent),) for name in ("sendto", "send")
        }
        self._call_entry_readers["kcmp"] = (("epoll_slot", self._kcmp_epoll_slot),)
        self._call_entry_readers["clone3"] = (("set_tid", self._clone3_set_tid),)
        self._call_entry_readers["openat2"] = (("how_tail", open_how_tail(memory)),)
        # mount's data: a string strace shows unless the flags say it is ignored.
        self._call_entry_readers["mount"] = (
            ("data_str", lambda pid, arch, args, _i: self._string(pid, arch, args, 4)),
        )
        # process_madvise's iovec array (its length is the next argument, as for iov_heads).
        self._call_entry_readers["process_madvise"] = (
            ("vec_iov", lambda pid, arch, args, _i: self._iov_heads(pid, arch, args, 1)),
        )
        self._call_entry_readers["mount_setattr"] = (("attr", mount_attr(memory)),)
        self._call_entry_readers["landlock_create_ruleset"] = (("ruleset", ruleset_attr(memory)),)
        self._call_entry_readers["landlock_add_rule"] = (("rule", rule_attr(memory)),)
        self._call_exit_readers.update({name: (("netlink", self._netlink.received),) for name in ("recvfrom", "recv")})
        if kvm_vcpu:  # -e kvm=vcpu: KVM_RUN's exit reason, from the vcpu's shared kvm_run
            self._call_exit_readers["ioctl"] = (("kvm_exit", kvm_exit_reason(memory)),)
        # Exit readers whose layout does not depend on the ABI; the others
        # are made per ABI (exit_reader).
        self._exit_readers: dict[str, ExitReader] = {
            "move_pages_status": self._move_pages_status,
            "buffer_out": self._buffer_out,
            "path_out": self._path_out,
            "dirents": self._dirents,
            "parent_tid": self._parent_tid,
            "ioctl_out": self._ioctl_exit,
            "cpuset_out": self._cpuset_out,
            "gids_out": self._gid_list_out(4),
            "gids16_out": self._gid_list_out(2),
            "socketcall_exit": self._socketcall_exit,
            "mincore_vec": self._mincore_vec,
        }

    def plans(self, arch: int) -> tuple[Plan | None, ...]:
        """Plans indexed by syscall number for one personality (for x32,
        without X32_SYSCALL_BIT): every number of its table has one, a hole
        too (named syscall_NR); numbers past the end have None, and are
        recorded only when every call is."""
        recorded = recorded_numbers(arch, self._recorded)
        return tuple(self.plan_at(arch, nr, recorded) for nr in range(len(table(arch))))

    def plan_at(self, arch: int, nr: int, recorded: frozenset[int]) -> Plan | None:
        """The plan of one number of `arch` (see plans), `recorded` being
        recorded_numbers(arch, ...): what the tracer builds on a number's
        first stop instead of all of them at start-up."""
        calls = table(arch)
        if not 0 <= nr < len(calls):
            return None
        sc = calls[nr]
        if sc is None:
            return Plan(f"syscall_{nr}", self._ip_steps, recorded=nr in recorded)
        return self.plan_for(sc, arch, nr in recorded)

    def _socketcall_plans(self) -> dict[int, Plan]:
        """i386 socketcall: the plan of each call it multiplexes, by its number."""
        if self._sub_plans is None:
            plans = {}
            for number, name in SOCKETCALLS.items():
                call = by_name(ARCH_I386, name)
                if call is not None:
                    plans[number] = self.plan_for(call, ARCH_I386)
            self._sub_plans = plans
        return self._sub_plans

    def plan_for(self, syscall: Syscall, arch: int = ARCH_X86_64, recorded: bool = True) -> Plan:
        """The reads of one call, derived from its arguments' kinds."""
        entry: list[Step] = []
        exit_: list[ExitStep] = []
        for index, arg in enumerate(syscall.args):
            kind = KIND[arg.kind]
            sized = self._sigset_sized(syscall, kind)
            if kind.at_entry:
                # envp is recorded as a count: the strings would be most of
                # the trace and strace shows only how many there are.
                key = "envc" if kind.name == "envp" else arg.name
                entry.append((key, index, self.entry_reader(kind, arch, syscall.name) if sized is None else sized[0]))
                if kind.name == "envp" and self._envp_strings:
                    entry.append((arg.name, index, self._argv))
            if kind.at_exit:
                reader = self.exit_reader(kind, arch, syscall.name) if sized is None else sized[1]
                exit_.append((arg.name, index, reader))
            if kind.length_after and index + 1 < len(syscall.args):
                entry.append((syscall.args[index + 1].name, index + 1, self._socklen))
        offsets = SIGRETURN_MASK.get((syscall.name, arch))
        if offsets is not None:
            # The mask a sigreturn restores: a value of the call, not of an argument.
            entry.append(("mask", 0, self._sigreturn_mask(offsets)))
        entry.extend((key, 0, reader) for key, reader in self._call_entry_readers.get(syscall.name, ()))
        exit_.extend((key, 0, reader) for key, reader in self._call_exit_readers.get(syscall.name, ()))
        if syscall.name == "sendmsg":
            entry.append(("netlink", 0, self._netlink.sent_msg(arch != ARCH_I386)))
        elif syscall.name == "recvmsg":
            exit_.append(("netlink", 0, self._netlink.received_msg(arch != ARCH_I386)))
        if self._fd_paths:
            for index, arg in enumerate(syscall.args):
                if (syscall.name, index) == ("pidfd_getfd", 1):
                    # An fd of the process the pidfd refers to, not the caller's.
                    entry.append((fd_path_key(arg.name), index, target_fd_path))
                    if self._fd_details:
                        entry.append((fd_detail_key(arg.name), index, target_fd_details(self._fd_details)))
                elif arg.kind in ("fd", "dirfd"):
                    entry.append((fd_path_key(arg.name), index, dirfd_path if arg.kind == "dirfd" else fd_path))
                    if self._fd_details:
                        entry.append((fd_detail_key(arg.name), index, fd_details(self._fd_details)))
                elif arg.kind == "fds_out":
                    exit_.append((f"{arg.name}_fds", index, written_fds(self._memory, self._fd_details)))
                elif arg.kind == "sockaddr_in":
                    entry.append((f"{arg.name}_umem_fd_path", index, xdp_umem_fd_path(self._memory)))
            if syscall.name == "clone":  # -y: the pidfd CLONE_PIDFD writes at parent_tid (argument 2 in every ABI)
                exit_.append(("pidfd_path", 2, written_fd_path(self._memory, CLONE_PIDFD)))
            if syscall.name == "landlock_add_rule":
                entry.append(("parent_fd_path", 0, rule_parent_path(self._memory)))
            if syscall.name == "mount_setattr":
                entry.append(("userns_fd_path", 0, userns_fd_path(self._memory)))
            if syscall.name == "io_uring_setup":
                entry.append(("wq_fd_path", 1, uring_wq_fd_path(self._memory)))
            if syscall.name == "sendmsg":
                entry.append(("msg_rights_paths", 1, sent_rights_paths(self._memory)))
            elif syscall.name == "recvmsg":
                exit_.append(("msg_rights_paths", 1, received_rights_paths(self._memory, arch != ARCH_I386)))
            kinds = [arg.kind for arg in syscall.args]
            if self._fd_watched and "pollfd" in kinds:
                entry.append(("watched_paths", kinds.index("pollfd"), polled_paths(self._memory)))
            elif self._fd_watched and "fdset" in kinds:
                entry.append(("watched_paths", 0, selected_paths(self._memory)))
            if syscall.name in FD_RETURNING:
                exit_.append((fd_path_key("ret"), 0, returned_fd_path))
                if self._fd_details:
                    exit_.append((fd_detail_key("ret"), 0, returned_fd_details(self._fd_details)))
            if syscall.name == "ioctl":
                entry.append((fd_path_key(syscall.args[2].name), 2, _ioctl_fd_path))
                exit_.append((fd_path_key("ret"), 0, _ioctl_returned_fd_path))
                # a struct's fd (ioctls.FD_FIELDS)
                entry.append((fd_path_key("arg_fd"), 2, self._ioctl_fd_path))
        self._pid_steps(syscall, entry, exit_, arch != ARCH_I386)
        if self._pidns and syscall.name == "ioctl":
            entry.append(("arg_pid_pidns", 2, self._ioctl_pid))
        if syscall.name == "ioctl":
            # The buffer some structs point to follows the struct's bytes.
            third = syscall.args[2].name
            exit_ = [(key, i, self._ioctl_buffer(read, arch == ARCH_X86_64) if key == third else read)
                     for key, i, read in exit_]  # fmt: skip
        execs = any(arg.kind == "argv" for arg in syscall.args)
        fds = self._dump_fds.get(DUMPED_CALLS.get(syscall.name, ""))
        if fds and self._whole is not None:
            whole = self._whole.plan_for(syscall, arch, recorded)
            entry, exit_ = dumps.widen(fds, (entry, exit_), (whole.entry, whole.exit))
        kinds_of = [KIND[arg.kind] for arg in syscall.args]
        errors = frozenset().union(*(RESTART_RETURNS if k.on_restart else k.exit_errors for k in kinds_of))
        ends = syscall.name in NEVER_RETURN
        return Plan(syscall.name, (*self._ip_steps, *entry), tuple(exit_), execs, recorded, errors, ends)

    def _ioctl_fd_path(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        """-y: the path of the fd inside an ioctl's struct (ioctls.FD_FIELDS)."""
        offset = ioctls.FD_FIELDS.get(args[index - 1] & 0xFFFFFFFF)
        raw = self._memory.read(pid, args[index] + offset, 4) if offset is not None and args[index] else None
        return fd_path(pid, arch, [int.from_bytes(raw, "little")], 0) if raw and len(raw) == 4 else None

    def _ioctl_pid(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        """--pidns-translation: the tgid inside an ioctl's struct (ioctls.PID_FIELDS)."""
        offset = ioctls.PID_FIELDS.get(args[index - 1] & 0xFFFFFFFF)
        raw = self._memory.read(pid, args[index] + offset, 4) if offset is not None and args[index] else None
        if self.pids is None or not raw or len(raw) != 4:
            return None
        return self.pids.translate(pid, int.from_bytes(raw, "little"), "NStgid")

    def _ioctl_buffer(self, struct_reader: ExitReader, wide: bool) -> ExitReader:
        """ioctl's argument at exit: the struct's bytes, and for the requests
        of ioctls.INDIRECT (SIOCGIFCONF's array of struct ifreq) after them
        what the struct's pointer points to, as long as its length says."""

        def read(pid: int, args: Sequence[int], index: int, ret: int, /) -> Value:
            head = struct_reader(pid, args, index, ret)
            layout = ioctls.INDIRECT.get(args[index - 1] & 0xFFFFFFFF)
            pointer_at = layout.pointer[0 if wide else 1] if layout is not None else 0
            size = 8 if wide else 4
            if layout is None or not isinstance(head, bytes) or len(head) < pointer_at + size:
                return head
            length = int.from_bytes(head[layout.length : layout.length + 4], "little", signed=True)
            pointer = int.from_bytes(head[pointer_at : pointer_at + size], "little")
            buffer = self._memory.read(pid, pointer, min(length, layout.cap)) if length > 0 and pointer else None
            return head + buffer if buffer else head

        return read

    def _sigset_sized(self, syscall: Syscall, kind: Kind) -> tuple[Reader, ExitReader] | None:
        """A sigset whose size another argument gives: read that many bytes."""
        if kind.name not in ("sigset", "sigset_out"):
            return None
        sizes = [i for i, arg in enumerate(syscall.args) if arg.name in SIGSET_SIZE_ARGS]
        return None if not sizes else self._sized_sigset(sizes[0])

    def _pid_steps(self, syscall: Syscall, entry: list[Step], exit_: list[ExitStep], wide: bool = True) -> None:
        """-Y: `<name>_comm`, `ret_comm` and the caller's own `comm`;
        --pidns-translation: `<name>_pidns`, `ret_pidns`."""
        pids = self.pids
        if pids is None:
            return
        if self._pid_comm:
            entry.append(("comm", 0, own_comm))
        for index, arg in enumerate(syscall.args):
            if arg.kind == "pid":
                if self._pid_comm:
                    entry.append((f"{arg.name}_comm", index, pids.comm_of_arg(arg.name)))
                if self._pidns:
                    entry.append((f"{arg.name}_pidns", index, pids.arg_reader(arg.name)))
        if self._pidns and syscall.name in CHOSEN_PID_ARGS:
            entry.append(("pid_pidns", 0, pids.chosen_reader(syscall.name)))
        for index, arg in enumerate(syscall.args):
            if arg.kind in ("siginfo", "siginfo_out"):
                self._si_pid_steps(arg.name, index, arg.kind == "siginfo", wide, (entry, exit_))
        if self._pidns and syscall.name in STRUCT_PIDS:
            exit_.append((STRUCT_PIDS[syscall.name][0], 0, pids.struct_reader(syscall.name, self._memory.read)))
        if syscall.name in PID_RETURNS:
            if self._pid_comm:
                exit_.append(("ret_comm", 0, pids.comm_of_return(syscall.name)))
            if self._pidns:
                exit_.append(("ret_pidns", 0, pids.return_reader(syscall.name)))

    def _si_pid_steps(
        self, name: str, index: int, at_entry: bool, wide: bool, steps: tuple[list[Step], list[ExitStep]]
    ) -> None:
        """-Y and --pidns-translation of a siginfo_t's si_pid (the renderer
        shows it for the codes that carry one): `<name>_si_pid_comm`,
        `<name>_si_pid_pidns`, read when the struct is."""
        pids = self.pids
        assert pids is not None
        wanted = [(f"{name}_si_pid_comm", pids.comm)] if self._pid_comm else []
        wanted += [(f"{name}_si_pid_pidns", pids.translate)] if self._pidns else []
        for key, look_up in wanted:
            if at_entry:
                steps[0].append((key, index, self._si_pid_reader(look_up)))
            else:
                steps[1].append((key, index, self._si_pid_exit_reader(look_up, wide)))

    def entry_reader(self, kind: Kind, arch: int, call: str) -> Reader:
        """The reader of a kind at entry: its own, or a copy of its layout."""
        if kind.entry_reader:
            by_command = self._call_readers.entry(kind.entry_reader, call)
            return by_command if by_command is not None else self.entry_readers[kind.entry_reader]
        return self._struct_at_entry(copy_size(kind, arch, call))

    def exit_reader(self, kind: Kind, arch: int, call: str) -> ExitReader:
        """The reader of a kind at exit: its own, or a copy of its layout."""
        if not kind.exit_reader:
            return self._struct_at_exit(copy_size(kind, arch, call))
        reader = self._exit_readers.get(kind.exit_reader) or self._call_readers.exit(
            kind.exit_reader, call, arch != ARCH_I386
        )
        return reader if reader is not None else self._abi_exit_reader(kind.exit_reader, arch != ARCH_I386)

    def _socketcall_args(self, pid: int, args: Sequence[int], index: int) -> tuple[Plan, list[int]] | None:
        plan = self._socketcall_plans().get(args[index - 1] & 0xFFFFFFFF)
        if plan is None:
            return None
        raw = self._memory.read(pid, args[index], 24)
        if raw is None or len(raw) < 24:
            return None
        return plan, list(int.from_bytes(raw[i : i + 4], "little") for i in range(0, 24, 4))

    def _socketcall_entry(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        """[call args, decoded data] of the multiplexed call, read as its own plan would."""
        found = self._socketcall_args(pid, args, index)
        if found is None:
            return None
        plan, sub_args = found
        data = {key: read(pid, arch, sub_args, i) for key, i, read in plan.entry}
        return [sub_args, data]

    def _socketcall_exit(self, pid: int, args: Sequence[int], index: int, ret: int) -> Value:
        found = self._socketcall_args(pid, args, index)
        if found is None or not found[0].exit:
            return None
        plan, sub_args = found
        return [sub_args, {key: read(pid, sub_args, i, ret) for key, i, read in plan.exit}]

    def _sigreturn_mask(self, offsets: tuple[int, ...]) -> Reader:
        read = self._memory.read

        def reader(pid: int, arch: int, args: Sequence[int], index: int, /) -> Value:
            sp = stack_pointer(pid)
            if sp is None:
                return None
            if len(offsets) == 1:
                return read(pid, sp + offsets[0], 8)
            words = [read(pid, sp + offset, 4) for offset in offsets]
            return b"".join(w for w in words if w) if all(w and len(w) == 4 for w in words) else None

        return reader
