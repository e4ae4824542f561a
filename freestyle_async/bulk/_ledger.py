"""The accounts of a bulk upload: where every record read ended up.

:class:`Ledger` counts records into exactly one figure each (inserted, skipped by the server,
rejected, failed, unknown, already done), keeps the per-chunk results and the records that
were not accepted, and turns that into progress snapshots and the final report.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .. import _json
from .._retry import RetryEvent
from ..errors import FreestyleError
from ..models import UploadSummary
from ._report import (
    BulkProgress,
    BulkUploadReport,
    ChunkResult,
    ChunkStatus,
    IssueOutcome,
    RecordIssue,
)

__all__ = ["Chunk", "Ledger"]


class Chunk:
    """One encoded chunk: the body and, per record, its input position and CSV line."""

    __slots__ = ("body", "digest", "index", "lines", "positions")

    def __init__(
        self, index: int, body: bytes, positions: list[int], lines: list[int | None]
    ) -> None:
        self.index = index
        self.body = body
        self.positions = positions
        self.lines = lines
        self.digest = ""

    def records(self) -> list[Any]:
        """The records as sent (decoded again: only needed on the rare failure paths)."""
        records: list[Any] = _json.loads(self.body)["records"]
        return records


class Ledger:
    """Counts and lists for one upload; ``elapsed`` is read from the ``clock`` it is given."""

    def __init__(self, campaign_id: str, clock: Callable[[], float], total: int | None) -> None:
        self._campaign_id = campaign_id
        self._clock = clock
        self._started = clock()
        self._total = total
        self.read = self.sent = self.inserted = self.skipped = 0
        self.rejected = self.failed = self.unknown = self.already_done = 0
        self.chunks: list[ChunkResult] = []
        self.rejected_records: list[RecordIssue] = []
        self.failed_records: list[RecordIssue] = []
        self.unknown_records: list[RecordIssue] = []
        self.refused_by_server: list[RecordIssue] = []

    def reject(
        self, index: int, line: int | None, record: Any, field: str | None, why: str
    ) -> None:
        """A record the checks refused: never sent."""
        self.rejected += 1
        self.rejected_records.append(
            RecordIssue(index, line, record, field, why, outcome="rejected")
        )

    def accepted(
        self,
        chunk: Chunk,
        summary: UploadSummary,
        attempts: int,
        retried: bool,
        request_ids: tuple[str | None, ...] = (),
    ) -> None:
        """The server answered for ``chunk``: what it did not insert, it skipped.
        ``request_ids``: one per attempt, as :attr:`ChunkResult.request_ids`."""
        count = len(chunk.positions)
        inserted = min(max(summary.inserted, 0), count)
        self.inserted += inserted
        self.skipped += count - inserted
        self.chunks.append(
            ChunkResult(
                chunk.index,
                count,
                chunk.positions[0],
                "accepted",
                attempts,
                inserted,
                count - inserted,
                retried,
                summary,
                request_ids=request_ids,
            )
        )
        errors = summary.extra.get("errors")
        if errors and isinstance(errors, list):
            self._note_refused(chunk, errors, request_ids)

    def _note_refused(
        self, chunk: Chunk, errors: list[Any], request_ids: tuple[str | None, ...]
    ) -> None:
        """The records the server named as invalid (counted in ``skipped`` already)."""
        records = chunk.records()
        for error in errors:
            at = error.get("index") if isinstance(error, Mapping) else None
            # A bool is an int to Python, but JSON's true is no index.
            if isinstance(at, bool) or not isinstance(at, int) or not 0 <= at < len(records):
                continue
            field = error.get("field")
            self.refused_by_server.append(
                RecordIssue(
                    chunk.positions[at],
                    chunk.lines[at],
                    records[at],
                    field if isinstance(field, str) else None,
                    str(error.get("reason") or "refused by the server"),
                    outcome="refused",
                    request_ids=request_ids,
                )
            )

    def not_accepted(
        self,
        chunk: Chunk,
        error: FreestyleError,
        attempts: int,
        request_ids: tuple[str | None, ...] = (),
        *,
        maybe_stored: bool,
    ) -> None:
        """``chunk`` ended without an answer for it: failed, or unknown if it may be stored."""
        status: ChunkStatus = "unknown" if maybe_stored else "failed"
        count = len(chunk.positions)
        self.chunks.append(
            ChunkResult(
                chunk.index,
                count,
                chunk.positions[0],
                status,
                attempts,
                error=error,
                request_ids=request_ids,
            )
        )
        if maybe_stored:
            self.unknown += count
            self._list(
                self.unknown_records,
                "unknown",
                chunk,
                chunk.records(),
                f"outcome unknown: {error}",
                request_ids=request_ids,
            )
        else:
            self.failed += count
            self._list(
                self.failed_records,
                "failed",
                chunk,
                chunk.records(),
                str(error),
                error,
                request_ids=request_ids,
            )

    def not_sent(self, chunk: Chunk, records: list[Any], reason: str) -> None:
        """Records the upload stopped before sending: failed, with ``reason``."""
        count = len(chunk.positions)
        self.failed += count
        self.chunks.append(ChunkResult(chunk.index, count, chunk.positions[0], "not_sent"))
        self._list(self.failed_records, "failed", chunk, records, reason)

    def done_before(self, chunk: Chunk) -> None:
        """A chunk a checkpoint says an earlier run had accepted."""
        count = len(chunk.positions)
        self.already_done += count
        self.chunks.append(ChunkResult(chunk.index, count, chunk.positions[0], "already_done"))

    @staticmethod
    def _list(
        target: list[RecordIssue],
        outcome: IssueOutcome,
        chunk: Chunk,
        records: list[Any],
        reason: str,
        error: FreestyleError | None = None,
        *,
        request_ids: tuple[str | None, ...] = (),
    ) -> None:
        for position, line, record in zip(chunk.positions, chunk.lines, records, strict=True):
            target.append(
                RecordIssue(
                    position,
                    line,
                    record,
                    None,
                    reason,
                    error,
                    outcome=outcome,
                    request_ids=request_ids,
                )
            )

    def progress(self, *, retry: RetryEvent | None = None, finished: bool = False) -> BulkProgress:
        """A snapshot for ``on_progress``."""
        return BulkProgress(
            records_read=self.read,
            records_sent=self.sent,
            records_accepted=self.inserted + self.skipped,
            records_inserted=self.inserted,
            records_rejected=self.rejected,
            records_failed=self.failed,
            records_unknown=self.unknown,
            records_already_done=self.already_done,
            chunks_done=len(self.chunks),
            elapsed=self._clock() - self._started,
            records_total=self.read if finished else self._total,
            retry=retry,
            finished=finished,
        )

    def report(self) -> BulkUploadReport:
        """The final report, chunks and lists in input order; it must balance."""
        self.chunks.sort(key=lambda chunk: chunk.index)
        for issues in (self.failed_records, self.unknown_records, self.refused_by_server):
            issues.sort(key=lambda issue: issue.index)
        report = BulkUploadReport(
            campaign_id=self._campaign_id,
            read=self.read,
            inserted=self.inserted,
            skipped_by_server=self.skipped,
            rejected=self.rejected,
            failed=self.failed,
            unknown=self.unknown,
            already_done=self.already_done,
            chunks=self.chunks,
            rejected_records=self.rejected_records,
            failed_records=self.failed_records,
            unknown_records=self.unknown_records,
            refused_by_server=self.refused_by_server,
            elapsed=self._clock() - self._started,
        )
        if not report.balanced:  # pragma: no cover - a bug, never a server's doing
            raise AssertionError(f"bulk upload report does not balance: {report!r}")
        return report
