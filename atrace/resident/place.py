"""Where a server listens, and the key of the code it runs.

Light: the client imports this before anything else (os and zlib only).
"""

from __future__ import annotations

import os
import stat
import sys
import zlib

# Set to "off" to always run in-process.
SWITCH_ENV = "ATRACE_RESIDENT"
# Seconds a server waits for a connection before it exits (default 300).
IDLE_ENV = "ATRACE_RESIDENT_IDLE"
DEFAULT_IDLE = 300.0

PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def enabled() -> bool:
    return os.environ.get(SWITCH_ENV, "on").lower() not in ("off", "0", "no", "false")


def idle_seconds() -> float:
    try:
        return max(0.1, float(os.environ.get(IDLE_ENV, DEFAULT_IDLE)))
    except ValueError:
        return DEFAULT_IDLE


def code_key() -> str:
    """The interpreter, the package's place, and the newest mtime and the
    count of its .py files: an edited checkout or a reinstall gets another
    key, hence another server (the old one idles out)."""
    newest = 0
    count = 0
    pending = [PACKAGE_DIR]
    while pending:
        with os.scandir(pending.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name != "__pycache__":
                        pending.append(entry.path)
                elif entry.name.endswith(".py"):
                    count += 1
                    newest = max(newest, entry.stat(follow_symlinks=False).st_mtime_ns)
    return f"{sys.executable}\0{PACKAGE_DIR}\0{newest}\0{count}"


def private_dir(path: str) -> bool:
    """Whether `path` is a real directory of ours that only we can enter."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) == 0o700


def socket_dir(create: bool) -> str | None:
    """$XDG_RUNTIME_DIR when it is ours and private, else /tmp/atrace-UID
    (made 0700 when `create`); None when neither can be trusted: another
    user could then put a socket of theirs in our way."""
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and os.path.isabs(runtime) and private_dir(runtime):
        return runtime
    fallback = f"/tmp/atrace-{os.getuid()}"
    if create:
        try:
            os.mkdir(fallback, 0o700)
            os.chmod(fallback, 0o700)  # (whatever the umask took off)
        except FileExistsError:
            pass
        except OSError:
            return None
    return fallback if private_dir(fallback) else None


def socket_name(key: str) -> str:
    """The socket's file name: the key's digest (the server checks the key
    itself at each connection; a digest is short enough for sun_path)."""
    data = key.encode("utf-8", "surrogateescape")
    return f"atrace-{zlib.crc32(data):08x}{zlib.adler32(data):08x}.sock"
