"""Resumable uploads: a small JSON file naming the chunks the server has accepted.

The file holds the campaign id, the chunk size and, for each accepted chunk, a hash of the
exact request body that was sent. A re-run with the same input and checkpoint skips those
chunks; a checkpoint that does not fit the input (other campaign, chunk size or records) is
refused before anything is sent. Each update replaces the file atomically (a temporary file
in the same directory, then ``os.replace``; see :mod:`.._files`), so a killed upload leaves a
valid checkpoint. Only a regular file is read, up to :data:`MAX_CHECKPOINT_BYTES`.
Opening one also checks that its folder takes new files, so a checkpoint that could never be
written is refused before the first request, not after thousands of records were stored.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import tempfile
from typing import Any, Final, NoReturn

from .. import _json
from .._files import check_path, replace_file, write_target
from ..errors import ValidationError

__all__ = ["Checkpoint", "CheckpointError", "body_digest"]

_FORMAT: Final = "freestyle-bulk-checkpoint"
_VERSION: Final = 1
_INDEX: Final = re.compile(r"0|[1-9][0-9]{0,11}", re.ASCII)  # a chunk index, as a JSON key
_DIGEST: Final = re.compile(r"[0-9a-f]{32}", re.ASCII)
_TEMP_PREFIX: Final = ".checkpoint-"
_MAX_INT: Final = 2**31  # a sane bound for numbers read from the file
#: The largest checkpoint read. Measured: 1,000,000 records make 41 KB at the default
#: chunk_size of 1,000 and 44 MB at chunk_size=1 (one entry a record), the worst case.
MAX_CHECKPOINT_BYTES: Final = 256 * 1024 * 1024


class CheckpointError(ValidationError):
    """A checkpoint file that cannot be used for this upload (unreadable or other input)."""


def body_digest(body: bytes) -> str:
    """The content hash of one encoded chunk."""
    return hashlib.blake2b(body, digest_size=16).hexdigest()


class Checkpoint:
    """The accepted chunks of one upload, kept in the file at ``path``."""

    def __init__(self, path: str, campaign_id: str, chunk_size: int) -> None:
        self.path = path
        self.campaign_id = campaign_id
        self.chunk_size = chunk_size
        self.done: dict[int, str] = {}
        # The highest chunk index the previous run had accepted (-1 when none), fixed when
        # the file is opened: the chunks up to it must match before anything is sent.
        self.last_done = -1

    @classmethod
    def open(cls, path: str | os.PathLike[str], campaign_id: str, chunk_size: int) -> Checkpoint:
        """Load the checkpoint at ``path`` (a missing file is a fresh start) and check that it
        can be written; :class:`CheckpointError` otherwise."""
        try:
            checked = check_path(path, "checkpoint")
        except ValueError as exc:
            raise CheckpointError(f"{exc}. Nothing was sent") from None
        checkpoint = cls(checked, campaign_id, chunk_size)
        raw = checkpoint._read()
        if raw is not None:
            checkpoint.done = checkpoint._parse(raw)
            checkpoint.last_done = max(checkpoint.done, default=-1)
        checkpoint._check_writable()
        return checkpoint

    def _read(self) -> bytes | None:
        """The file's bytes (``None``: no file yet). Checked with ``os.stat`` first, which
        does not block on a FIFO: only a regular file up to :data:`MAX_CHECKPOINT_BYTES` is
        read."""
        try:
            info = os.stat(self.path)
            if not stat.S_ISREG(info.st_mode):
                self._foreign("not a regular file: a folder, a device or a pipe")
            if info.st_size > MAX_CHECKPOINT_BYTES:
                self._foreign(f"{info.st_size:,} bytes, over {MAX_CHECKPOINT_BYTES:,}")
            with open(self.path, "rb") as file:
                raw = file.read(MAX_CHECKPOINT_BYTES + 1)  # it may have grown since
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise CheckpointError(
                f"cannot read checkpoint {self.path}: {exc.strerror or exc}"
            ) from None
        if len(raw) > MAX_CHECKPOINT_BYTES:
            self._foreign(f"over {MAX_CHECKPOINT_BYTES:,} bytes")
        return raw

    def _check_writable(self) -> None:
        """Create and remove a file beside the checkpoint, as every update will."""
        directory = os.path.dirname(write_target(self.path))
        try:
            fd, temp = tempfile.mkstemp(prefix=_TEMP_PREFIX, suffix=".tmp", dir=directory)
            os.close(fd)
            os.unlink(temp)
        except OSError as exc:
            why = (
                f"the folder {directory} does not exist"
                if isinstance(exc, FileNotFoundError | NotADirectoryError)
                else f"cannot create files in {directory}: {exc.strerror or exc}"
            )
            raise CheckpointError(
                f"checkpoint {self.path} cannot be written: {why}. Nothing was sent; "
                "create the folder or choose another checkpoint path"
            ) from None

    def _parse(self, raw: bytes) -> dict[int, str]:
        """The accepted chunks of a checkpoint file: anything else is a :class:`CheckpointError`
        (the file may have been edited, truncated or swapped: it is checked field by field)."""
        try:
            data = _json.loads(raw)
        except (ValueError, RecursionError) as exc:  # RecursionError: deeply nested JSON
            why = f"not JSON: {str(exc)[:200]}"
            # A checkpoint cut short (a full disk), or what a crash leaves of one: an empty
            # or zero-filled file. Neither holds anything of the user's.
            if _FORMAT.encode() in raw[:200] or not raw.strip(b"\0 \t\r\n"):
                self._unreadable(why)
            self._foreign(why)
        if not isinstance(data, dict):
            self._foreign(f"a JSON {type(data).__name__}, not an object")
        if data.get("format") != _FORMAT:
            self._foreign("JSON, but not one a bulk upload wrote")
        if data.get("version") != _VERSION:
            self._unreadable("another version of the checkpoint format")
        campaign_id, chunk_size, done = (data.get(k) for k in ("campaign_id", "chunk_size", "done"))
        if not isinstance(campaign_id, str) or not isinstance(done, dict):
            self._unreadable("no campaign_id or done")
        if type(chunk_size) is not int or not 0 < chunk_size < _MAX_INT:
            self._unreadable("chunk_size is not a chunk size")
        if not all(
            type(i) is str and _INDEX.fullmatch(i) and type(d) is str and _DIGEST.fullmatch(d)
            for i, d in done.items()
        ):
            self._unreadable("done holds other than chunk indexes and digests")
        if campaign_id != self.campaign_id:
            raise CheckpointError(
                f"checkpoint {self.path} belongs to an upload to campaign {campaign_id!r:.80}, "
                f"not {self.campaign_id!r}: use another checkpoint file"
            )
        if chunk_size != self.chunk_size:
            raise CheckpointError(
                f"checkpoint {self.path} was written with chunk_size={chunk_size}, not "
                f"{self.chunk_size}: resume with chunk_size={chunk_size}"
            )
        return {int(index): digest for index, digest in done.items()}

    def _unreadable(self, why: str) -> NoReturn:
        """A checkpoint file, damaged: only such a file may be deleted to start over."""
        raise CheckpointError(
            f"checkpoint {self.path} is not a readable bulk upload checkpoint ({why}); "
            "delete it to start over"
        )

    def _foreign(self, why: str) -> NoReturn:
        """A file that is no checkpoint at all (a CSV file, a device): most likely a wrong
        path, and maybe the user's data, so nothing says to delete it."""
        raise CheckpointError(
            f"checkpoint {self.path} is not a checkpoint file ({why}): check the path; name "
            "a checkpoint an earlier upload wrote, or a file that does not exist yet. "
            "Nothing was sent"
        )

    def check(self, index: int, digest: str) -> bool:
        """Whether chunk ``index`` is done; :class:`CheckpointError` if it was other records."""
        expected = self.done.get(index)
        if expected is None:
            return False
        if expected != digest:
            raise CheckpointError(
                f"checkpoint {self.path} does not match this input: chunk {index} holds "
                "other records than the run that wrote it. Nothing was sent; use the same "
                "input (and the same normalisation) or another checkpoint file"
            )
        return True

    def mark_done(self, index: int, digest: str) -> None:
        """Record chunk ``index`` as accepted and write the file atomically.

        The whole file is rewritten each time. Measured for 1,000 chunks (1,000,000 records):
        0.6-0.8 s over the whole upload, about 0.3 ms a chunk for the temporary file and the
        rename and up to 0.4 ms for encoding the growing file; against a real server each
        chunk's request takes far longer, so an append-only format has not earned its place.
        """
        self.done[index] = digest
        document: dict[str, Any] = {
            "format": _FORMAT,
            "version": _VERSION,
            "campaign_id": self.campaign_id,
            "chunk_size": self.chunk_size,
            "done": {str(i): d for i, d in sorted(self.done.items())},
        }
        with replace_file(self.path) as file:
            file.write(_json.dumps(document))
