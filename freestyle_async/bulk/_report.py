"""What a bulk upload did with every record: the report, its chunks, issues and progress."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Final, Literal

import attrs

from .._reprs import safe_repr
from .._retry import RetryEvent
from ..errors import FreestyleError
from ..models import Serialisable, UploadSummary

__all__ = [
    "BulkProgress",
    "BulkUploadError",
    "BulkUploadReport",
    "ChunkResult",
    "ChunkStatus",
    "IssueOutcome",
    "RecordIssue",
]

ChunkStatus = Literal["accepted", "failed", "unknown", "not_sent", "already_done"]
#: Which list of the report holds a :class:`RecordIssue`: ``rejected_records``,
#: ``failed_records``, ``unknown_records`` or ``refused_by_server``.
IssueOutcome = Literal["rejected", "failed", "unknown", "refused"]

NOT_SENT_FAIL_FAST: Final = "not sent: fail_fast"


@attrs.frozen
class RecordIssue:
    """One record that was not accepted, and why.

    ``index`` is its 0-based position in the input and ``line`` its CSV line (``None`` when
    the input was not a CSV file). ``record`` is the record as given when it was rejected
    before sending, and as it was sent (normalised) when its chunk failed or its fate is
    unknown, so it can be sent again as is. ``field`` names the offending field when one is
    to blame; ``error`` is the exception that ended the chunk, if any. ``outcome`` says which
    list of the report holds it: ``"rejected"`` before sending, ``"failed"``, ``"unknown"``,
    or ``"refused"`` by the server (counted in ``skipped_by_server``). ``request_ids`` are
    its chunk's (:attr:`ChunkResult.request_ids`; empty for a record never sent).
    """

    index: int
    line: int | None
    record: Any
    field: str | None
    reason: str
    error: FreestyleError | None = attrs.field(default=None, eq=False)
    outcome: IssueOutcome = attrs.field(kw_only=True)
    request_ids: tuple[str | None, ...] = attrs.field(default=(), kw_only=True)


@attrs.frozen
class ChunkResult:
    """One chunk of up to ``chunk_size`` valid records.

    ``status`` is ``"accepted"`` (the server answered with ``summary``), ``"failed"`` (not
    stored: the server refused it, or retries that could not have stored it ran out),
    ``"unknown"`` (it may or may not have been stored), ``"not_sent"`` (``fail_fast`` or a
    fatal error stopped the upload first) or ``"already_done"`` (a checkpoint says a previous
    run had it accepted). ``retried_after_unknown`` marks an accepted chunk that was sent
    again after an attempt whose outcome was unknown: records the lost attempt stored come
    back from the repeat as duplicates, so they are counted in ``skipped`` and not stored twice.
    ``first_index`` is the input position of its first record. ``request_ids`` holds the
    ``X-Request-Id`` of each attempt's answer, in order (``None`` for an attempt that got no
    answer, or an answer without one): quote them to support to trace the chunk.
    """

    index: int
    records: int
    first_index: int
    status: ChunkStatus
    attempts: int = 0
    inserted: int = 0
    skipped: int = 0
    retried_after_unknown: bool = False
    summary: UploadSummary | None = None
    error: FreestyleError | None = attrs.field(default=None, eq=False)
    request_ids: tuple[str | None, ...] = attrs.field(default=(), kw_only=True)


@attrs.frozen
class BulkProgress:
    """A snapshot of a running upload, handed to ``on_progress``.

    ``records_total`` is known up front only for inputs with a length (a list); otherwise it
    is ``None`` until ``finished``. ``records_done`` counts records whose fate is settled
    (accepted, rejected, failed, unknown or already done): advance a progress bar with it.
    ``rate`` is records accepted by the server per second. ``retry`` is set on the calls made
    just before a chunk waits to be sent again.
    """

    records_read: int
    records_sent: int
    records_accepted: int
    records_inserted: int
    records_rejected: int
    records_failed: int
    records_unknown: int
    records_already_done: int
    chunks_done: int
    elapsed: float
    records_total: int | None = None
    retry: RetryEvent | None = None
    finished: bool = False

    @property
    def records_done(self) -> int:
        """Records whose fate is settled."""
        return (
            self.records_accepted
            + self.records_rejected
            + self.records_failed
            + self.records_unknown
            + self.records_already_done
        )

    @property
    def rate(self) -> float:
        """Records accepted by the server per second so far."""
        return self.records_accepted / self.elapsed if self.elapsed > 0 else 0.0


@attrs.frozen
class BulkUploadReport(Serialisable):
    """The account of every record a bulk upload read.

    It always balances::

        read == inserted + skipped_by_server + rejected + failed + unknown + already_done

    - ``inserted``: records the server said it added.
    - ``skipped_by_server``: records the server answered for but did not add: duplicates of
      a ``phone1`` already in the campaign (including, in a chunk ``retried_after_unknown``,
      records the lost attempt had stored) and records it found invalid
      (``refused_by_server`` lists those it named).
    - ``rejected``: refused before sending by the per-record checks (``rejected_records``).
    - ``failed``: not stored; safe to send again (``failed_records``).
    - ``unknown``: sent, but whether they were stored is not known (``unknown_records``):
      reconcile, or send them again: the server skips duplicates.
    - ``already_done``: in chunks a checkpoint from an earlier run marks as accepted.
    """

    campaign_id: str
    read: int
    inserted: int
    skipped_by_server: int
    rejected: int
    failed: int
    unknown: int
    already_done: int
    chunks: list[ChunkResult]
    rejected_records: list[RecordIssue]
    failed_records: list[RecordIssue]
    unknown_records: list[RecordIssue]
    refused_by_server: list[RecordIssue]
    elapsed: float

    @property
    def balanced(self) -> bool:
        """Whether every record read is counted exactly once (always true)."""
        settled = (
            self.inserted
            + self.skipped_by_server
            + self.rejected
            + self.failed
            + self.unknown
            + self.already_done
        )
        return self.read == settled

    @property
    def ok(self) -> bool:
        """True when no record failed and none has an unknown fate."""
        return self.failed == 0 and self.unknown == 0

    @property
    def chunks_retried_after_unknown(self) -> int:
        """How many accepted chunks were repeats after an attempt with an unknown outcome."""
        return sum(1 for chunk in self.chunks if chunk.retried_after_unknown)

    def issues(self, *, include_refused: bool = False) -> Iterator[RecordIssue]:
        """Every record that was not accepted (rejected, failed, unknown), by input position;
        with ``include_refused``, also those the server refused (each issue's ``outcome``
        says which it is)."""
        merged = [*self.rejected_records, *self.failed_records, *self.unknown_records]
        if include_refused:
            merged += self.refused_by_server
        return iter(sorted(merged, key=lambda issue: issue.index))

    def raise_for_failures(self, *, include_rejected: bool = False) -> None:
        """Raise :class:`BulkUploadError` if any record failed or has an unknown fate.

        Records rejected before sending are reported, not raised, unless
        ``include_rejected`` is true.
        """
        if not self.ok or (include_rejected and self.rejected):
            raise BulkUploadError(self)

    @safe_repr
    def __repr__(self) -> str:
        return (
            f"BulkUploadReport(campaign_id={self.campaign_id!r}, read={self.read}, "
            f"inserted={self.inserted}, skipped_by_server={self.skipped_by_server}, "
            f"rejected={self.rejected}, failed={self.failed}, unknown={self.unknown}, "
            f"already_done={self.already_done}, chunks={len(self.chunks)}, "
            f"elapsed={self.elapsed:.2f})"
        )


class BulkUploadError(FreestyleError):
    """A bulk upload that did not account for every record as accepted; ``report`` holds the
    details.

    Raised by :meth:`BulkUploadReport.raise_for_failures`, and by ``upload_leads`` itself when
    the upload had to stop: the input raised (a generator's error, a CSV row that cannot be
    read), the ``on_progress`` callback raised, or the checkpoint could not be written. Then
    ``reason`` says why, ``__cause__`` is the original exception, and ``report`` is the
    balanced partial report: the chunks sent were settled (accepted, failed or unknown) and
    every record read but not sent is counted in ``failed`` with a reason that says so.
    Re-running with the same checkpoint sends only what is missing.
    """

    def __init__(self, report: BulkUploadReport, reason: str | None = None) -> None:
        counts = (
            f"{report.failed} record(s) failed, {report.unknown} with an unknown outcome, "
            f"{report.rejected} rejected before sending, of {report.read} read"
        )
        where = f"bulk upload to {report.campaign_id}"
        super().__init__(f"{where} stopped: {reason}; {counts}" if reason else f"{where}: {counts}")
        self.report = report
        self.reason = reason


for _cls in (BulkProgress, BulkUploadError, BulkUploadReport, ChunkResult, RecordIssue):
    if attrs.has(_cls):  # resolve the annotations (for to_dict) while they name this module
        attrs.resolve_types(_cls)
    _cls.__module__ = "freestyle_async.bulk"
