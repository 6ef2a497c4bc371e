"""Where encoded events go: files, stdout, sockets.

Every sink is opened *before* the command starts, so an unwritable path or a
socket nobody listens on is reported without touching any process. Live
readers (`--listen`) are not a sink but an output of their own (listen.py):
each has its own buffer so that none can slow the others.
"""

from __future__ import annotations

import errno
import os
import stat
from typing import Protocol

import trio

from .address import Address
from .errors import AtraceError


class Sink(Protocol):
    name: str

    async def write(self, data: bytes) -> None: ...

    async def aclose(self) -> None: ...


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


class FileSink:
    """A regular file (or /dev/null): plain blocking writes, the page cache
    makes them as fast as anything trio could offer.

    `suspend()` closes the file's fd until the next write, which reopens it
    in append mode: -ff keeps only a few of its per-task files open."""

    def __init__(self, path: str, fd: int | None = None) -> None:
        self.name = path
        self._owned = fd is None
        self._fd = self._open(os.O_TRUNC) if fd is None else fd

    def _open(self, mode: int) -> int:
        try:
            return os.open(self.name, os.O_WRONLY | os.O_CREAT | os.O_CLOEXEC | mode, 0o666)
        except OSError as err:
            raise AtraceError(f"Can't fopen '{self.name}': {err.strerror}") from None

    async def write(self, data: bytes) -> None:
        if self._fd < 0:
            self._fd = self._open(os.O_APPEND)
        write_all(self._fd, data)

    def fileno(self) -> int:
        return self._fd

    def suspend(self) -> None:
        if self._owned and self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    async def aclose(self) -> None:
        self.suspend()


class PipeSink:
    """stdout when it is a pipe or a terminal: writes may block on a slow
    reader, so they run in a worker thread and trio stays responsive. A
    write the session gives up on (a reader that stopped reading, while
    atrace is stopping) is abandoned in its thread: nothing else will be
    written, and the thread ends with the process."""

    def __init__(self, fd: int, name: str) -> None:
        self.name = name
        self._fd = fd

    async def write(self, data: bytes) -> None:
        await trio.to_thread.run_sync(write_all, self._fd, data, abandon_on_cancel=True)

    def fileno(self) -> int:
        return self._fd

    async def aclose(self) -> None:
        pass


def fd_sink(fd: int, name: str) -> Sink:
    """stdout or stderr: a file is written directly; anything that can
    block on a reader (a pipe, a terminal) through a worker thread."""
    mode = os.fstat(fd).st_mode
    if stat.S_ISREG(mode) or (stat.S_ISCHR(mode) and os.path.realpath(f"/proc/self/fd/{fd}") == "/dev/null"):
        return FileSink(name, fd=fd)
    return PipeSink(fd, name)


class SocketSink:
    """A connection to a reader that listens (`-o unix:/path`, `-o tcp:host:port`)."""

    def __init__(self, stream: trio.SocketStream, name: str) -> None:
        self.name = name
        self._stream = stream

    async def write(self, data: bytes) -> None:
        await self._stream.send_all(data)

    async def aclose(self) -> None:
        await self._stream.aclose()


async def connect(address: Address) -> SocketSink:
    try:
        if isinstance(address.target, str):
            stream = await trio.open_unix_socket(address.target)
        else:
            host, port = address.target
            stream = await trio.open_tcp_stream(host, port)
    except OSError as err:
        reason = err.strerror or str(err)
        if err.errno in (errno.ECONNREFUSED, errno.ENOENT):
            reason += " (is a reader listening there?)"
        raise AtraceError(f"cannot connect to {address.text}: {reason}") from None
    return SocketSink(stream, address.text)
