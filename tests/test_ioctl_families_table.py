"""The one table of ioctl families (atrace.syscalls.ioctl_families): every
request a family reads, names or shows has a type the table lists (the
renderer imports a family's printer by its requests' type, so a type left
out would print that request undecoded), the printers are imported only
when a request of their family is printed, and the tracer's side and the
renderer's come from the same list."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from atrace.syscalls._ioctl_names import IOCTL_NAMES
from atrace.syscalls.ioctl_codes import ioc
from atrace.syscalls.ioctl_families import BY_TYPE, FAMILIES, Family

DECODE = Path(__file__).resolve().parent.parent / "atrace" / "render" / "decode"
SYSCALLS = DECODE.parent.parent / "syscalls"
# Modules named ioctl_* that are not families: shared helpers and the table.
_NOT_FAMILIES = {"common", "codes", "families"}


def _printer(family: Family) -> ModuleType:
    return importlib.import_module(f"atrace.render.decode.ioctl_{family.name}")


def _requests(family: Family) -> set[int]:
    """Every request the family's two modules key something by."""
    data = importlib.import_module(f"atrace.syscalls.ioctl_{family.name}")
    printer = _printer(family)
    keys = set(data.ARGS) | set(getattr(data, "SIZED", {}))
    return keys | set(getattr(printer, "FORMS", {})) | set(getattr(printer, "NAMES", {}))


@pytest.mark.parametrize("family", FAMILIES, ids=[family.name for family in FAMILIES])
def test_every_request_has_a_listed_type(family: Family) -> None:
    requests = _requests(family)
    assert requests or hasattr(_printer(family), "NAME_REQUEST"), family
    assert {request >> 8 & 0xFF for request in requests} <= set(family.types)


_NAMERS = [family for family in FAMILIES if hasattr(_printer(family), "NAME_REQUEST")]


@pytest.mark.parametrize("family", _NAMERS, ids=[family.name for family in _NAMERS])
def test_a_namer_names_only_its_types(family: Family) -> None:
    """A family's NAME_REQUEST runs only once its types loaded it: it must
    name no request of another type."""
    namer = _printer(family).NAME_REQUEST
    # Every request of every family and of the headers, and every
    # direction, type and number with one size.
    sweep = set(IOCTL_NAMES).union(*map(_requests, FAMILIES))
    sweep |= {ioc(d, kind, nr, 8) for d in range(4) for kind in range(256) for nr in range(256)}
    named = [request for request in sweep if namer(request, True) is not None]
    assert named
    assert all(request >> 8 & 0xFF in family.types for request in named)


def test_both_sides_have_a_module_for_every_family_and_no_other() -> None:
    listed = {family.name for family in FAMILIES}
    for folder in (SYSCALLS, DECODE):
        found = {path.stem.removeprefix("ioctl_") for path in folder.glob("ioctl_*.py")} - _NOT_FAMILIES
        assert found == listed, folder
    assert sum(len(families) for families in BY_TYPE.values()) == sum(len(f.types) for f in FAMILIES)


def test_printers_are_imported_when_first_needed() -> None:
    """Start-up imports no family printer; printing an evdev request
    imports evdev's (and no other)."""
    code = (
        "import sys, atrace.render.decode as d\n"
        "loaded = lambda: sorted(m for m in sys.modules if m.startswith('atrace.render.decode.ioctl_'))\n"
        "print(loaded())\n"
        "from atrace.render.decode import ioctl\n"
        "ioctl._load_families(0x80044501)\n"  # EVIOCGVERSION
        "print(loaded())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    before, after = out.splitlines()
    assert before == "['atrace.render.decode.ioctl_common']"
    assert after == "['atrace.render.decode.ioctl_common', 'atrace.render.decode.ioctl_evdev']"
