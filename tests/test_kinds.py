"""Every argument kind is declared once (atrace.syscalls.kinds) and complete:
the tracer can read it, the renderer can parse and print it, FORMAT.md
describes it, and the tables derived from it agree with it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import cast

import pytest
from decoding_support import FakeMemory

from atrace.render import structs
from atrace.render.kinds import KIND_FORMATTERS, OUT_KINDS
from atrace.syscalls import ARCH_I386, ARCH_X32, ARCH_X86_64, KINDS, table
from atrace.syscalls.kinds import BOTH, ENTRY, EXIT, KIND, NONE
from atrace.tracer._ptrace import MemoryReader
from atrace.tracer.decoding import Decoder

ROOT = Path(__file__).resolve().parent.parent
ARCHES = (ARCH_X86_64, ARCH_I386, ARCH_X32)


def decoder() -> Decoder:
    return Decoder(cast(MemoryReader, FakeMemory({})), 32)


def test_one_declaration_per_kind() -> None:
    assert set(KIND) == KINDS
    assert all(name == kind.name for name, kind in KIND.items())


@pytest.mark.parametrize("name", sorted(KINDS))
def test_kind_is_complete(name: str) -> None:
    kind = KIND[name]
    assert kind.phase in (NONE, ENTRY, EXIT, BOTH)
    assert kind.doc, "every kind says what it is"
    # The tracer can read it at each phase it declares, from its own reader
    # or from its layout, for every ABI.
    dec = decoder()
    for arch in ARCHES:
        if kind.at_entry:
            assert kind.entry_reader or kind.layout is not None
            assert callable(dec.entry_reader(kind, arch, "call"))
        if kind.at_exit:
            assert kind.exit_reader or kind.layout is not None
            assert callable(dec.exit_reader(kind, arch, "call"))
    if kind.phase == NONE:
        assert not (kind.entry_reader or kind.exit_reader or kind.layout or kind.parser)
    if kind.phase == ENTRY:
        assert not kind.exit_reader
    if kind.phase == EXIT:
        assert not kind.entry_reader
    # A kind printed at exit is read at exit.
    if kind.printed_at_exit:
        assert kind.at_exit
    # The renderer prints it.
    assert name in KIND_FORMATTERS
    assert (name in OUT_KINDS) == kind.printed_at_exit
    # Its parser exists, and a layout's parse accepts exactly what the
    # tracer copies (nothing shorter).
    if kind.parser:
        assert name in structs.PARSERS
    if kind.layout is not None and kind.parser in ("fields", "value"):
        for arch in ARCHES:
            size = kind.layout.size(arch)
            assert structs.parse(name, bytes(size), arch, "call") is not None
            assert structs.parse(name, bytes(size - 1), arch, "call") is None


def test_every_memory_kind_reaches_the_plans() -> None:
    """Each kind with a phase is read by some call's plan (x86_64 or i386),
    at the phases it declares."""
    dec = decoder()
    seen: dict[str, set[str]] = {}
    for arch in (ARCH_X86_64, ARCH_I386):
        for call in table(arch):
            if call is None:
                continue
            plan = dec.plan_for(call, arch)
            entry_keys = {key for key, _, _ in plan.entry}
            exit_keys = {key for key, _, _ in plan.exit}
            for arg in call.args:
                kind = KIND[arg.kind]
                key = "envc" if arg.kind == "envp" else arg.name
                if kind.at_entry:
                    assert key in entry_keys, (call.name, arg.name)
                    seen.setdefault(arg.kind, set()).add("entry")
                if kind.at_exit:
                    assert arg.name in exit_keys, (call.name, arg.name)
                    seen.setdefault(arg.kind, set()).add("exit")
                if kind.phase == NONE:
                    assert arg.name not in entry_keys | exit_keys or arg.name in {
                        a.name for i, a in enumerate(call.args) if i > 0 and KIND[call.args[i - 1].kind].length_after
                    }, (call.name, arg.name)
    assert set(seen) == {name for name, kind in KIND.items() if kind.phase != NONE}


def test_format_md_data_map_names_every_kind() -> None:
    text = (ROOT / "docs" / "FORMAT.md").read_text()
    section = text[text.index("### The `data` map") : text.index("### syscall_exit")]
    missing = [name for name in sorted(KINDS) if not re.search(rf"`{re.escape(name)}`", section)]
    assert not missing, f"docs/FORMAT.md's data map does not name: {missing}"
