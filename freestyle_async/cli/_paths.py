"""The files a command reads and writes, checked before anything is sent.

- A file the command writes (``--rejects``, ``--checkpoint``) must not be a file it reads
  (``FILE``, the checkpoint it resumes from) or another file it writes: the same file
  however it is named (a relative path, ``./``, ``..``, a symlink, a hard link).
- The folder of a file the command writes must exist and be writable.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import NamedTuple

import click

from ._errors import CliError, ExitCode
from ._safe import safe_text

__all__ = ["FileOption", "check_files", "same_file"]


class FileOption(NamedTuple):
    """A path given to a command: how it was given (``--rejects``, ``FILE``) and whether the
    command writes it."""

    name: str
    path: str
    written: bool


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


def _check_folder(option: FileOption) -> None:
    folder = os.path.dirname(os.path.abspath(option.path))
    if not os.path.isdir(folder) or not os.access(folder, os.W_OK):
        raise CliError(
            f"cannot write {option.name} {option.path}: {folder} is not a writable directory",
            ExitCode.CONFIG,
        )


def check_files(options: Sequence[FileOption]) -> None:
    """Refuse a written file that is also another option's file (a usage error, exit 2),
    then one whose folder cannot be written (exit 3)."""
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
