"""freestyle_async: the Python SDK for the FREESTYLE Telecom API v1.

``import freestyle_async`` stays light: the HTTP stack (aiohttp) is imported the first time
a client class is touched, so ``freestyle --help`` answers fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._config import NOT_GIVEN, Timeout
from ._version import __version__
from .errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    DecodeError,
    FreestyleError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    ValidationError,
)
from .models import (
    Account,
    AccountContact,
    AccountContacts,
    AccountStatus,
    ActivityEvent,
    ActivityKind,
    ActivityType,
    BillingSummary,
    BillingUsage,
    CallResult,
    CampaignStatus,
    CampaignUsage,
    Contact,
    DateRange,
    DialCampaign,
    Disposition,
    DispositionCount,
    Location,
    MessageDirection,
    MessageStatus,
    MessageSummary,
    Page,
    PageMeta,
    PhoneNumber,
    PhoneNumberType,
    ResultsSummary,
    RunStatus,
    SmsCampaign,
    SmsMessage,
    SmsRun,
    UploadSummary,
)

if TYPE_CHECKING:
    from ._client import AsyncFreestyle
    from ._hooks import RequestEvent, ResponseEvent
    from ._limits import RetryBudget
    from ._retry import RetryEvent, RetryPolicy
    from .bulk import (
        BulkProgress,
        BulkUploadError,
        BulkUploadReport,
        CheckpointError,
        ChunkResult,
        CsvError,
        RecordIssue,
        read_contacts_csv,
    )
    from .pagination import AsyncPaginator
    from .sync import Freestyle, SyncPaginator

# name -> module, imported on first access (these pull in aiohttp or tenacity).
_LAZY = {
    "AsyncFreestyle": "._client",
    "AsyncPaginator": ".pagination",
    "BulkProgress": ".bulk",
    "BulkUploadError": ".bulk",
    "BulkUploadReport": ".bulk",
    "CheckpointError": ".bulk",
    "ChunkResult": ".bulk",
    "Freestyle": ".sync",
    "CsvError": ".bulk",
    "RecordIssue": ".bulk",
    "RequestEvent": "._hooks",
    "ResponseEvent": "._hooks",
    "RetryBudget": "._limits",
    "RetryEvent": "._retry",
    "RetryPolicy": "._retry",
    "SyncPaginator": ".sync",
    "read_contacts_csv": ".bulk",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'freestyle_async' has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "NOT_GIVEN",
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "Account",
    "AccountContact",
    "AccountContacts",
    "AccountStatus",
    "ActivityEvent",
    "ActivityKind",
    "ActivityType",
    "AsyncFreestyle",
    "AsyncPaginator",
    "AuthenticationError",
    "BadRequestError",
    "BillingSummary",
    "BillingUsage",
    "BulkProgress",
    "BulkUploadError",
    "BulkUploadReport",
    "CallResult",
    "CampaignStatus",
    "CampaignUsage",
    "CheckpointError",
    "ChunkResult",
    "Contact",
    "CsvError",
    "DateRange",
    "DecodeError",
    "DialCampaign",
    "Disposition",
    "DispositionCount",
    "Freestyle",
    "FreestyleError",
    "Location",
    "MessageDirection",
    "MessageStatus",
    "MessageSummary",
    "NotFoundError",
    "Page",
    "PageMeta",
    "PermissionDeniedError",
    "PhoneNumber",
    "PhoneNumberType",
    "RateLimitError",
    "RecordIssue",
    "RequestEvent",
    "ResponseEvent",
    "ResultsSummary",
    "RetryBudget",
    "RetryEvent",
    "RetryPolicy",
    "RunStatus",
    "ServerError",
    "SmsCampaign",
    "SmsMessage",
    "SmsRun",
    "SyncPaginator",
    "Timeout",
    "UploadSummary",
    "ValidationError",
    "__version__",
    "read_contacts_csv",
]
