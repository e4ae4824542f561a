"""Resumable uploads: a small JSON file naming the chunks the server has accepted.

The file holds the campaign id, the chunk size and, for each accepted chunk, a hash of the
exact request body that was sent. A re-run with the same input and checkpoint skips those
chunks; a checkpoint that does not fit the input (other campaign, chunk size or records) is
refused before anything is sent. Each update replaces the file atomically (a temporary file
in the same directory, then ``os.replace``), so a killed upload leaves a valid checkpoint.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from typing import Any, Final

from .. import _json
from ..errors import ValidationError

__all__ = ["Checkpoint", "CheckpointError", "body_digest"]

_FORMAT: Final = "freestyle-bulk-checkpoint"
_VERSION: Final = 1


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
        """Load the checkpoint at ``path`` (a missing file is a fresh start)."""
        checkpoint = cls(os.fspath(path), campaign_id, chunk_size)
        try:
            with open(checkpoint.path, "rb") as file:
                raw = file.read()
        except FileNotFoundError:
            return checkpoint
        except OSError as exc:
            raise CheckpointError(f"cannot read checkpoint {checkpoint.path}: {exc}") from None
        checkpoint.done = checkpoint._parse(raw)
        checkpoint.last_done = max(checkpoint.done, default=-1)
        return checkpoint

    def _parse(self, raw: bytes) -> dict[int, str]:
        try:
            data = _json.loads(raw)
            if data.get("format") != _FORMAT or data.get("version") != _VERSION:
                raise ValueError("not a bulk upload checkpoint")
            campaign_id, chunk_size = data["campaign_id"], data["chunk_size"]
            done = {int(index): str(digest) for index, digest in data["done"].items()}
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise CheckpointError(
                f"checkpoint {self.path} is not a readable bulk upload checkpoint ({exc}); "
                "delete it to start over"
            ) from None
        if campaign_id != self.campaign_id:
            raise CheckpointError(
                f"checkpoint {self.path} belongs to an upload to campaign {campaign_id!r}, "
                f"not {self.campaign_id!r}: use another checkpoint file"
            )
        if chunk_size != self.chunk_size:
            raise CheckpointError(
                f"checkpoint {self.path} was written with chunk_size={chunk_size}, not "
                f"{self.chunk_size}: resume with chunk_size={chunk_size}"
            )
        return done

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
        """Record chunk ``index`` as accepted and write the file atomically."""
        self.done[index] = digest
        document: dict[str, Any] = {
            "format": _FORMAT,
            "version": _VERSION,
            "campaign_id": self.campaign_id,
            "chunk_size": self.chunk_size,
            "done": {str(i): d for i, d in sorted(self.done.items())},
        }
        directory = os.path.dirname(os.path.abspath(self.path))
        fd, temp = tempfile.mkstemp(prefix=".checkpoint-", suffix=".tmp", dir=directory)
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(_json.dumps(document))
            os.replace(temp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise
