"""Reading an input file's bytes safely: regular files only, a size cap, errors as sentences.

A path given to tieguard may be anything: a named pipe (reading blocks for ever), a
device such as ``/dev/zero`` (never ends), a symbolic link loop, a file on a failing
disk. Every such case becomes an :class:`~tieguard.errors.InputError` whose message
names the path and the fix; nothing is read before the path is known to be a regular
file of acceptable size.
"""

from __future__ import annotations

import errno
import os
import stat
import time
from pathlib import Path

from ..errors import InputError

__all__ = ["read_input_bytes", "io_error_message", "write_work_copy", "Deadline", "MB",
           "raise_if_interrupted"]

MB = 1024 * 1024

_KINDS = {
    stat.S_IFIFO: "a named pipe (FIFO)", stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device", stat.S_IFSOCK: "a socket",
}


def io_error_message(path: Path | str, exc: OSError, doing: str = "reading") -> str:
    """A sentence for an operating-system error while ``doing`` something with ``path``."""
    code = exc.errno
    if code == errno.ENOENT:
        return f"The file {path} does not exist. Check the path."
    if code == errno.ELOOP:
        return (f"{path} is a symbolic link that leads (through other links) back to itself, "
                "so it names no file. Pass the path of the export file itself.")
    if code in (errno.EACCES, errno.EPERM):
        return (f"tieguard may not read {path} (permission denied). Copy the file somewhere "
                "you can read it, or ask its owner for read access.")
    if code == errno.EISDIR:
        return f"{path} is a directory, not a file. Name the file itself."
    if code in (errno.ENOSPC, errno.EDQUOT):
        return (f"The disk is full (or your quota is used up) while {doing} {path}. "
                "Free some space (or set TMPDIR to a disk with room) and run the command again.")
    if code == errno.ENAMETOOLONG:
        return f"The path {str(path)[:200]}... is too long for the file system. Use a shorter path."
    reason = exc.strerror or type(exc).__name__
    return (f"An input/output error occurred while {doing} {path} ({reason}). Check the disk "
            "or the network share, or copy the file to a local disk and try again.")


def _refuse_kind(path: Path, mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise InputError(f"{path} is a directory, not a file. Name the file itself.")
    if not stat.S_ISREG(mode):
        kind = _KINDS.get(stat.S_IFMT(mode), "not a regular file")
        raise InputError(
            f"{path} is {kind}, not a regular file; tieguard reads only regular files, "
            "because reading a pipe or device can block or never end. Save the export "
            "to a file and pass that file."
        )


def _too_large(path: Path, size: int, max_bytes: int) -> InputError:
    return InputError(
        f"{path} is {size / MB:,.1f} MB, more than the limit of {max_bytes / MB:,.0f} MB "
        "(setting sources.max_file_mb). A LinkedIn Connections.csv is a few MB: check that "
        "this is the right file, or raise the limit in tieguard.toml."
    )


def read_input_bytes(path: Path, max_bytes: int) -> bytes:
    """The bytes of the regular file ``path``; refuse anything else with a sentence."""
    try:
        info = os.stat(path)  # follows links; a link loop raises ELOOP
    except OSError as exc:
        raise InputError(io_error_message(path, exc)) from exc
    _refuse_kind(path, info.st_mode)
    if info.st_size > max_bytes:
        raise _too_large(path, info.st_size, max_bytes)
    try:
        # O_NONBLOCK: should the path be swapped for a pipe after the check, open and
        # read return at once instead of blocking
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise InputError(io_error_message(path, exc)) from exc
    try:
        _refuse_kind(path, os.fstat(fd).st_mode)
        chunks: list[bytes] = []
        size = 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            size += len(chunk)
            if size > max_bytes:
                raise _too_large(path, size, max_bytes)
            chunks.append(chunk)
    except OSError as exc:
        raise InputError(io_error_message(path, exc)) from exc
    finally:
        os.close(fd)
    return b"".join(chunks)


def write_work_copy(path: Path, text: str) -> None:
    """Write a UTF-8 work copy of an input (for the engine's reader); a full disk or
    another OS error becomes a sentence."""
    try:
        path.write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        raise InputError(io_error_message(path, exc, "writing a work copy to")) from exc


class Deadline:
    """A time limit for recognising one file; :meth:`check` raises once it has passed."""

    def __init__(self, path: Path, seconds: float) -> None:
        self.path = path
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.end:
            raise InputError(
                f"Recognising {self.path} took longer than {self.seconds:g} s (setting "
                "sources.sniff_seconds): the file is unusually shaped (enormous lines or "
                "headers). Check that it is the right file and export it again."
            )


def raise_if_interrupted(exc: BaseException) -> None:
    """Re-raise an engine error caused by an interrupt (Ctrl-C) as KeyboardInterrupt, so
    that code catching the engine's errors to try another way never swallows it."""
    if "interrupt" in type(exc).__name__.lower() or "interrupted" in str(exc).lower()[:200]:
        raise KeyboardInterrupt from exc
