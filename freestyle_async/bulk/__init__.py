"""Bulk lead uploads: streaming input, parallel chunks, and an exact account of every record.

``await fs.dial_campaigns.upload_leads(campaign_id, records)`` runs the upload and returns a
:class:`BulkUploadReport`; :func:`read_contacts_csv` streams records from a CSV file.
"""

from __future__ import annotations

from ._checkpoint import CheckpointError
from ._csv import CsvError, CsvRow, read_contacts_csv
from ._engine import DEFAULT_MAX_ATTEMPTS, OnUnknown, ProgressCallback, RecordSource
from ._normalize import RecordRejected, normalize_phone, normalize_record
from ._report import (
    BulkProgress,
    BulkUploadError,
    BulkUploadReport,
    ChunkResult,
    ChunkStatus,
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
    "CsvRow",
    "OnUnknown",
    "ProgressCallback",
    "RecordIssue",
    "RecordRejected",
    "RecordSource",
    "normalize_phone",
    "normalize_record",
    "read_contacts_csv",
]

for _cls in (CheckpointError, CsvError, CsvRow, RecordRejected):
    _cls.__module__ = __name__
