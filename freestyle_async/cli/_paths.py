"""The files a command reads and writes, checked before anything is sent.

- A file the command writes (``--rejects``, ``--checkpoint``) must not be a file it reads
  (``FILE``, the checkpoint it resumes from) or another file it writes: the same file
  however it is named (a relative path, ``./``, ``..``, a symlink, a hard link).
- The folder of a file the command writes (its symlinks followed) must exist and be
  writable; a device or a pipe (``/dev/null``, ``/proc/self/fd/1``) must be writable itself.
- No path is empty or holds a NUL character.
- A written file that is the command's own stdout (``/dev/stdout``, ``/proc/self/fd/1``,
  or the file stdout is redirected to) is written through stdout, where stdout stands, never
  replaced; the command then prints its summary on stderr (:func:`any_stdout`), so the two
  do not mix or overwrite each other.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator, Sequence
from typing import IO, Any, NamedTuple

import click

from .._files import check_path, replace_file, special_file, write_target
from ._errors import CliError, ExitCode
from ._safe import safe_text

__all__ = [
    "FileOption",
    "FilePath",
    "any_stdout",
    "check_files",
    "is_stdout",
    "open_output",
    "same_file",
    "temp_folder",
]


class FileOption(NamedTuple):
    """A path given to a command: how it was given (``--rejects``, ``FILE``) and whether the
    command writes it."""

    name: str
    path: str
    written: bool


class FilePath(click.Path):
    """``click.Path`` that first refuses an empty path or one holding a NUL (click's own
    ``os.stat`` raises a raw ``ValueError`` on a NUL) as a usage error."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            check_path(value, "the path")
        except ValueError as exc:
            self.fail(safe_text(str(exc)), param, ctx)
        return super().convert(value, param, ctx)


def _resolved(path: str) -> str:
    try:
        return os.path.normcase(os.path.realpath(path))
    except (OSError, ValueError):  # a NUL in the path, a symlink loop
        return os.path.normcase(os.path.abspath(path))


def same_file(a: str, b: str) -> bool:
    """Whether paths ``a`` and ``b`` name one file: ``os.path.samefile`` when both exist (it
    sees hard links), their resolved absolute paths otherwise."""
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):  # one of them does not exist (yet)
        return _resolved(a) == _resolved(b)


def _check_path(option: FileOption) -> None:
    try:
        check_path(option.path, option.name)
    except ValueError as exc:
        raise click.UsageError(safe_text(f"{exc}.")) from None


def _check_folder(option: FileOption) -> None:
    if special_file(option.path):  # a device or a pipe: written into, not replaced
        if not os.access(option.path, os.W_OK):
            raise CliError(f"cannot write {option.name} {option.path}", ExitCode.CONFIG)
        return
    folder = os.path.dirname(write_target(option.path))
    if not os.path.isdir(folder) or not os.access(folder, os.W_OK):
        raise CliError(
            f"cannot write {option.name} {option.path}: {folder} is not a writable directory",
            ExitCode.CONFIG,
        )


def check_files(options: Sequence[FileOption]) -> None:
    """Refuse a written file that is also another option's file (a usage error, exit 2),
    then one whose folder cannot be written (exit 3). A path that is empty or holds a NUL
    is a usage error too."""
    for option in options:
        _check_path(option)
    for i, first in enumerate(options):
        for second in options[i + 1 :]:
            if (first.written or second.written) and same_file(first.path, second.path):
                written, other = (second, first) if second.written else (first, second)
                harm = "one would overwrite the other" if other.written else "it would be lost"
                raise click.UsageError(
                    safe_text(
                        f"{written.name} {written.path} is the same file as {other.name} "
                        f"{other.path}: {harm}. Name another file."
                    )
                )
    for option in options:
        if option.written:
            _check_folder(option)


def _stdout_fd() -> int | None:
    try:
        return sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # not a real file (captured, closed)
        return None


def is_stdout(path: str) -> bool:
    """Whether ``path`` is the file this process's stdout writes to."""
    fd = _stdout_fd()
    if fd is None:
        return False
    try:
        return os.path.samestat(os.stat(path), os.fstat(fd))
    except (OSError, ValueError):
        return False


def any_stdout(*paths: str | None) -> bool:
    """Whether one of ``paths`` is stdout: the command's summary then goes to stderr."""
    return any(path is not None and is_stdout(path) for path in paths)


def temp_folder(path: str) -> str | None:
    """Where a temporary file for the output ``path`` goes: its folder, or the system's
    (``None``) when ``path`` is written into rather than replaced (a device, a pipe, stdout:
    ``/proc/self/fd/1`` resolves into ``/proc/<pid>/fd``, where nothing can be created)."""
    if special_file(path) or is_stdout(path):
        return None
    return os.path.dirname(write_target(path)) or "."


@contextlib.contextmanager
def open_output(path: str, **kwargs: Any) -> Iterator[IO[Any]]:
    """A text file object writing the output file at ``path``: through stdout when it is
    stdout (at stdout's position, never replacing the file it is redirected to), else
    :func:`~freestyle_async._files.replace_file` (a device or a pipe written into, a
    regular file replaced atomically). ``kwargs`` go to the file (``encoding``, ``newline``)."""
    fd = _stdout_fd()
    if fd is not None and is_stdout(path):
        sys.stdout.flush()
        with os.fdopen(os.dup(fd), "w", **kwargs) as file:
            yield file
        return
    with replace_file(path, "w", **kwargs) as file:
        yield file
