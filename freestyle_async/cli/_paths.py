"""The files a command reads and writes, checked before anything is sent.

- A file the command writes (``--rejects``, ``--checkpoint``) must not be a file it reads
  (``FILE``, the checkpoint it resumes from) or another file it writes: the same file
  however it is named (a relative path, ``./``, ``..``, a symlink, a hard link).
- The folder of a file the command writes (its symlinks followed) must exist and be
  writable; a device or a pipe (``/dev/null``, ``/proc/self/fd/1``) must be writable itself.
- No path is empty or holds a NUL character.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any, NamedTuple

import click

from .._files import check_path, special_file, write_target
from ._errors import CliError, ExitCode
from ._safe import safe_text

__all__ = ["FileOption", "FilePath", "check_files", "same_file"]


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
