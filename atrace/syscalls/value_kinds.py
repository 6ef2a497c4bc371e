"""Plain kinds of process, module, namespace, key and swap calls: a value in
the register shown by a table of atrace.render.flag_tables (or a formatter of
its own).  Rows of (name, formatter, doc, bits: 32 for a C int, 0 for a
long); atrace.syscalls.kinds declares them like its own."""

from __future__ import annotations

MORE_PLAIN: tuple[tuple[str, str, str, int], ...] = (
    ("memfd_secret_flags", "flags:memfd_secret", "O_CLOEXEC (memfd_secret)", 32),
    ("fadvise_advice", "constant:fadvise", "a POSIX_FADV_* advice (fadvise64)", 32),
    ("pkey_access", "flags:pkey_access", "PKEY_DISABLE_* access rights (pkey_alloc)", 0),
    ("module_init_flags", "flags:module_init", "MODULE_INIT_* flags (finit_module)", 32),
    ("delete_module_flags", "flags:delete_module", "O_NONBLOCK, O_TRUNC (delete_module)", 32),
    ("unshare_flags", "flags:unshare", "the CLONE_* flags unshare takes (an unsigned long)", 0),
    ("setns_type", "flags:setns", "a CLONE_NEW* namespace type (setns)", 32),
    ("swap_flags", "swap_flags", "SWAP_FLAG_* flags above a priority (swapon)", 32),
    ("key_serial", "constant_dec:key_spec", "a key serial number, KEY_SPEC_* by name (add_key, request_key)", 32),
    ("dev", "dev", "a device number of a C unsigned int, as makedev() (ustat)", 32),
    ("perf_flags", "flags:perf_flags", "PERF_FLAG_* flags (perf_event_open; an unsigned long)", 0),
)
