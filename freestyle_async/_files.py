"""The one way the SDK and its command write a file at a path a user gave.

- A symlink is followed: its target is written, the link stays.
- A target that exists and is not a regular file (a character device such as ``/dev/null``, a
  FIFO, ``/dev/stdout``) is written into directly: it is never replaced by a regular file.
- Otherwise the bytes go to a temporary file created securely (``tempfile.mkstemp``:
  ``O_EXCL``, an unpredictable name) in the target's folder, which then replaces the target
  with ``os.replace``, so a reader never sees half a file. The temporary file is removed on
  any failure.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from typing import IO, Any, Final

__all__ = ["check_path", "replace_file", "special_file", "write_target"]

_TEMP_PREFIX: Final = ".freestyle-"


def check_path(path: object, what: str) -> str:
    """``path`` as a ``str``; :class:`ValueError` naming ``what`` when it is not a path (not a
    ``str`` or path-like, empty, or holding a NUL character)."""
    try:
        text = os.fspath(path)  # type: ignore[call-overload]
    except TypeError:
        raise ValueError(
            f"{what} must be a str or os.PathLike, not {type(path).__name__}"
        ) from None
    if not isinstance(text, str):
        raise ValueError(f"{what} must be a str or os.PathLike, not bytes")
    if not text:
        raise ValueError(f"{what} is an empty path: name a file")
    if "\0" in text:
        raise ValueError(f"{what} {text!r:.80} holds a NUL character: name a file")
    return text


def special_file(path: str) -> bool:
    """Whether ``path`` (symlinks followed) is an existing file other than a regular file: a
    device, a FIFO, ``/proc/self/fd/1`` (a folder is not one). Such a file is written into,
    never replaced."""
    try:
        mode = os.stat(path).st_mode
        return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))
    except (OSError, ValueError):  # missing, a symlink loop
        return False


def write_target(path: str) -> str:
    """The file a write to ``path`` replaces: ``path`` with its symlinks followed."""
    try:
        return os.path.realpath(path)
    except (OSError, ValueError):
        return path


@contextlib.contextmanager
def replace_file(path: str, mode: str = "wb", **kwargs: object) -> Iterator[IO[Any]]:
    """A file object open for writing whose content becomes the file at ``path`` when the
    block ends without an error (``mode`` is ``"wb"`` or ``"w"``; ``kwargs`` go to
    ``os.fdopen``, e.g. ``encoding`` and ``newline``). An error leaves ``path`` as it was
    (or partly written, for a device or pipe) and no temporary file behind. A new file gets
    ``mkstemp``'s permissions (0600: it may hold contacts); a replaced one keeps its own."""
    if special_file(path):
        # Opened as given (``/proc/self/fd/0`` of a pipe has no path to resolve); no O_TRUNC
        # or O_CREAT: it exists, and truncating means nothing to a device or a pipe.
        fd = os.open(path, os.O_WRONLY | getattr(os, "O_NOCTTY", 0))
        with os.fdopen(fd, mode, **kwargs) as file:  # type: ignore[call-overload]
            yield file
        return
    target = write_target(path)
    fd, temp = tempfile.mkstemp(
        prefix=_TEMP_PREFIX, suffix=".tmp", dir=os.path.dirname(os.path.abspath(target))
    )
    try:
        with os.fdopen(fd, mode, **kwargs) as file:  # type: ignore[call-overload]
            yield file
        with contextlib.suppress(OSError):  # keep the target's permissions when it exists
            os.chmod(temp, stat.S_IMODE(os.stat(target).st_mode))
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
