"""The exceptions that reach the user as an `atrace: ...` line."""

from __future__ import annotations


class AtraceError(Exception):
    """A failure the user can act on; its message is printed after `atrace: `."""


class InternalError(Exception):
    """atrace itself broke down mid-trace (a bug): `cause` is what went wrong
    and `lost` how many of the tracer's events never reached the outputs.
    The tracees were let go; the user gets one line, not a traceback."""

    def __init__(self, cause: BaseException, lost: int) -> None:
        super().__init__(repr(cause))
        self.cause = cause
        self.lost = lost
