"""The one exception type that reaches the user as an `atrace: ...` line."""

from __future__ import annotations


class AtraceError(Exception):
    """A failure the user can act on; its message is printed after `atrace: `."""
