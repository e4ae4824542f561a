"""Bulk lead uploads: streaming input, parallel chunks, and an exact account of every record.

``await fs.dial_campaigns.upload_leads(campaign_id, records)`` runs the upload and returns a
:class:`BulkUploadReport`; :func:`read_contacts_csv` streams records from a CSV file.

The names in ``__all__`` are public. The others imported here (``name as name``) are what the
rest of the package uses of bulk (the dial resource, the sync facade, the command), so that
nothing outside bulk imports its underscore modules; they are not public API.
"""

from __future__ import annotations

from ._check import DuplicatePhone, LeadsCheckReport, OnValid, check_leads, check_leads_async
from ._checkpoint import CheckpointError
from ._csv import CsvError, CsvFix, CsvRow, read_contacts_csv
from ._csv import count_csv_rows as count_csv_rows  # for the command
from ._csv import csv_codec as csv_codec  # for the command
from ._engine import DEFAULT_MAX_ATTEMPTS, OnUnknown, ProgressCallback, RecordSource
from ._engine import ProgressCallbackFailed as ProgressCallbackFailed  # for the sync facade
from ._engine import Sent as Sent  # what upload_leads' send returns
from ._engine import check_options as check_options  # for the sync facade
from ._engine import is_record_iterable as is_record_iterable  # for the sync facade
from ._engine import known_length as known_length  # for the sync facade
from ._engine import progress_callback_failed as progress_callback_failed  # for the sync facade
from ._engine import run_upload as run_upload  # for fs.dial_campaigns.upload_leads
from ._normalize import RecordRejected, normalize_phone, normalize_record
from ._report import (
    BulkProgress,
    BulkUploadError,
    BulkUploadReport,
    ChunkResult,
    ChunkStatus,
    IssueOutcome,
    RecordIssue,
)

__all__ = [
    "DEFAULT_MAX_ATTEMPTS",
    "BulkProgress",
    "BulkUploadError",
    "BulkUploadReport",
    "CheckpointError",
    "ChunkResult",
    "ChunkStatus",
    "CsvError",
    "CsvFix",
    "CsvRow",
    "DuplicatePhone",
    "IssueOutcome",
    "LeadsCheckReport",
    "OnUnknown",
    "OnValid",
    "ProgressCallback",
    "RecordIssue",
    "RecordRejected",
    "RecordSource",
    "check_leads",
    "check_leads_async",
    "normalize_phone",
    "normalize_record",
    "read_contacts_csv",
]

for _cls in (CheckpointError, CsvError, CsvRow, DuplicatePhone, LeadsCheckReport, RecordRejected):
    _cls.__module__ = __name__
