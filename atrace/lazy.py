"""Package attributes imported on first use (a module-level __getattr__)."""

from __future__ import annotations

# Not `from typing import ...`: the `atrace` command imports this module
# first thing, and typing costs its resident client a tenth of its start.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any


def lazy_attributes(package: str, where: dict[str, str], namespace: dict[str, Any]) -> Callable[[str], Any]:
    """A __getattr__ for `package`: NAME comes from its submodule
    where[NAME], imported on first use, then kept in `namespace` (the
    package's globals) so that the next lookup is an ordinary one."""

    def getattr_(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        from importlib import import_module

        value = getattr(import_module(f".{module}", package), name)
        namespace[name] = value
        return value

    return getattr_
