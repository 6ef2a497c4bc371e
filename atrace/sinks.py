"""Where encoded events go: files, stdout, sockets, listening readers.

Every sink is opened *before* the command starts, so an unwritable path or a
socket nobody listens on is reported without touching any process.
"""

from __future__ import annotations

import contextlib
import errno
import os
import socket
import stat
from typing import Protocol

import trio

from .errors import AtraceError


class Sink(Protocol):
    name: str

    async def write(self, data: bytes) -> None: ...

    async def aclose(self) -> None: ...


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


class FileSink:
    """A regular file (or /dev/null): plain blocking writes, the page cache
    makes them as fast as anything trio could offer."""

    def __init__(self, path: str, fd: int | None = None) -> None:
        self.name = path
        if fd is None:
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666)
            except OSError as err:
                raise AtraceError(f"Can't fopen '{path}': {err.strerror}") from None
            self._owned = True
        else:
            self._owned = False
        self._fd = fd

    async def write(self, data: bytes) -> None:
        _write_all(self._fd, data)

    async def aclose(self) -> None:
        if self._owned:
            os.close(self._fd)


class PipeSink:
    """stdout when it is a pipe or a terminal: writes may block on a slow
    reader, so they run in a worker thread and trio stays responsive."""

    def __init__(self, fd: int, name: str) -> None:
        self.name = name
        self._fd = fd

    async def write(self, data: bytes) -> None:
        await trio.to_thread.run_sync(_write_all, self._fd, data)

    async def aclose(self) -> None:
        pass


def stdout_sink() -> Sink:
    mode = os.fstat(1).st_mode
    if stat.S_ISREG(mode) or (stat.S_ISCHR(mode) and os.path.realpath("/proc/self/fd/1") == "/dev/null"):
        return FileSink("<stdout>", fd=1)
    return PipeSink(1, "<stdout>")


class SocketSink:
    """A connection to a reader that listens (`-o unix:/path`, `-o tcp:host:port`)."""

    def __init__(self, stream: trio.SocketStream, name: str) -> None:
        self.name = name
        self._stream = stream

    async def write(self, data: bytes) -> None:
        await self._stream.send_all(data)

    async def aclose(self) -> None:
        await self._stream.aclose()


def parse_address(address: str) -> tuple[str, str | tuple[str, int]] | None:
    """`unix:/path` or `tcp:host:port` -> (family, address); None for a file path."""
    if address.startswith("unix:"):
        return "unix", address[len("unix:") :]
    if address.startswith("tcp:"):
        host, _, port = address[len("tcp:") :].rpartition(":")
        if not host or not port.isdigit():
            raise AtraceError(f"bad address '{address}': expected tcp:HOST:PORT")
        return "tcp", (host.strip("[]"), int(port))
    return None


async def connect(address: str) -> SocketSink:
    parsed = parse_address(address)
    assert parsed is not None
    family, where = parsed
    try:
        if family == "unix":
            assert isinstance(where, str)
            stream = await trio.open_unix_socket(where)
        else:
            assert isinstance(where, tuple)
            stream = await trio.open_tcp_stream(*where)
    except OSError as err:
        reason = err.strerror or str(err)
        if err.errno in (errno.ECONNREFUSED, errno.ENOENT):
            reason += " (is a reader listening there?)"
        raise AtraceError(f"cannot connect to {address}: {reason}") from None
    return SocketSink(stream, address)


class ListenSink:
    """`--listen unix:/path`: live readers (atrace tail, scripts) connect at
    any time, each gets the header then every event from then on. A reader
    that goes away is dropped; the trace itself goes on."""

    def __init__(self, address: str, listener: trio.SocketListener, header: bytes, path: str | None) -> None:
        self.name = address
        self._listener = listener
        self._header = header
        self._path = path
        self._clients: list[trio.SocketStream] = []

    @classmethod
    def open(cls, address: str, header: bytes) -> ListenSink:
        parsed = parse_address(address)
        if parsed is None:
            raise AtraceError(f"bad listen address '{address}': expected unix:/path or tcp:HOST:PORT")
        family, where = parsed
        try:
            if family == "unix":
                assert isinstance(where, str)
                if os.path.exists(where) and stat.S_ISSOCK(os.stat(where).st_mode):
                    os.unlink(where)  # a stale socket of an earlier run
                sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                sock.bind(where)
                path: str | None = where
            else:
                assert isinstance(where, tuple)
                sock = socket.create_server(where, reuse_port=False)
                path = None
            sock.listen(16)
        except OSError as err:
            raise AtraceError(f"cannot listen on {address}: {err.strerror}") from None
        listener = trio.SocketListener(trio.socket.from_stdlib_socket(sock))
        return cls(address, listener, header, path)

    async def serve(self) -> None:
        while True:
            try:
                stream = await self._listener.accept()
            except trio.ClosedResourceError:
                return  # the trace ended and closed the listener
            try:
                await stream.send_all(self._header)
            except trio.BrokenResourceError:
                continue
            self._clients.append(stream)

    async def write(self, data: bytes) -> None:
        for client in list(self._clients):
            try:
                await client.send_all(data)
            except (trio.BrokenResourceError, trio.ClosedResourceError):
                self._clients.remove(client)

    async def aclose(self) -> None:
        for client in self._clients:
            await client.aclose()
        await self._listener.aclose()
        if self._path:
            with contextlib.suppress(OSError):
                os.unlink(self._path)
