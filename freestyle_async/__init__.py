"""freestyle_async: the Python SDK for the FREESTYLE Telecom API v1.

``import freestyle_async`` stays light: each public name is imported from its module the first
time it is used, so the HTTP stack (aiohttp) is loaded only when a client is, and ``freestyle
--help`` answers fast.

``_EXPORTS`` is the one table of the public names: it gives ``__all__``, ``dir()`` and the
lazy imports. Type checkers do not run ``__getattr__``, so the same names are imported under
``TYPE_CHECKING`` (``X as X``: re-exported); a test fails when the two differ.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Light modules, reachable as attributes (``freestyle_async.errors``) as they always were.
from . import errors as errors
from . import models as models

if TYPE_CHECKING:
    from ._client import AsyncFreestyle as AsyncFreestyle
    from ._config import NOT_GIVEN as NOT_GIVEN
    from ._config import Timeout as Timeout
    from ._diagnose import Check as Check
    from ._diagnose import Diagnosis as Diagnosis
    from ._diagnose import Verdict as Verdict
    from ._hooks import RequestEvent as RequestEvent
    from ._hooks import ResponseEvent as ResponseEvent
    from ._limits import RetryBudget as RetryBudget
    from ._raw import RawResponse as RawResponse
    from ._retry import RetryEvent as RetryEvent
    from ._retry import RetryPolicy as RetryPolicy
    from ._version import __version__ as __version__
    from .bulk import BulkProgress as BulkProgress
    from .bulk import BulkUploadError as BulkUploadError
    from .bulk import BulkUploadReport as BulkUploadReport
    from .bulk import CheckpointError as CheckpointError
    from .bulk import ChunkResult as ChunkResult
    from .bulk import CsvError as CsvError
    from .bulk import LeadsCheckReport as LeadsCheckReport
    from .bulk import RecordIssue as RecordIssue
    from .bulk import check_leads as check_leads
    from .bulk import check_leads_async as check_leads_async
    from .bulk import read_contacts_csv as read_contacts_csv
    from .errors import APIConnectionError as APIConnectionError
    from .errors import APIError as APIError
    from .errors import APITimeoutError as APITimeoutError
    from .errors import AuthenticationError as AuthenticationError
    from .errors import BadRequestError as BadRequestError
    from .errors import DecodeError as DecodeError
    from .errors import FreestyleError as FreestyleError
    from .errors import NotFoundError as NotFoundError
    from .errors import PermissionDeniedError as PermissionDeniedError
    from .errors import RateLimitError as RateLimitError
    from .errors import ServerError as ServerError
    from .errors import ValidationError as ValidationError
    from .models import Account as Account
    from .models import AccountContact as AccountContact
    from .models import AccountContacts as AccountContacts
    from .models import AccountStatus as AccountStatus
    from .models import ActivityEvent as ActivityEvent
    from .models import ActivityKind as ActivityKind
    from .models import ActivityType as ActivityType
    from .models import BillingSummary as BillingSummary
    from .models import BillingUsage as BillingUsage
    from .models import CallResult as CallResult
    from .models import CampaignStatus as CampaignStatus
    from .models import CampaignUsage as CampaignUsage
    from .models import Contact as Contact
    from .models import DateRange as DateRange
    from .models import DialCampaign as DialCampaign
    from .models import Disposition as Disposition
    from .models import DispositionCount as DispositionCount
    from .models import Location as Location
    from .models import MessageDirection as MessageDirection
    from .models import MessageStatus as MessageStatus
    from .models import MessageSummary as MessageSummary
    from .models import Page as Page
    from .models import PageMeta as PageMeta
    from .models import PhoneNumber as PhoneNumber
    from .models import PhoneNumberType as PhoneNumberType
    from .models import ResultsSummary as ResultsSummary
    from .models import RunStatus as RunStatus
    from .models import SmsCampaign as SmsCampaign
    from .models import SmsMessage as SmsMessage
    from .models import SmsRun as SmsRun
    from .models import UploadSummary as UploadSummary
    from .pagination import AsyncPaginator as AsyncPaginator
    from .sync import Freestyle as Freestyle
    from .sync import SyncPaginator as SyncPaginator

#: Public name -> the module it comes from.
_EXPORTS: dict[str, str] = {
    "__version__": "._version",
    "AsyncFreestyle": "._client",
    "Freestyle": ".sync",
    "SyncPaginator": ".sync",
    "NOT_GIVEN": "._config",
    "Timeout": "._config",
    "RawResponse": "._raw",
    "RetryEvent": "._retry",
    "RetryPolicy": "._retry",
    "RetryBudget": "._limits",
    "RequestEvent": "._hooks",
    "ResponseEvent": "._hooks",
    "Check": "._diagnose",
    "Diagnosis": "._diagnose",
    "Verdict": "._diagnose",
    "AsyncPaginator": ".pagination",
    "APIConnectionError": ".errors",
    "APIError": ".errors",
    "APITimeoutError": ".errors",
    "AuthenticationError": ".errors",
    "BadRequestError": ".errors",
    "DecodeError": ".errors",
    "FreestyleError": ".errors",
    "NotFoundError": ".errors",
    "PermissionDeniedError": ".errors",
    "RateLimitError": ".errors",
    "ServerError": ".errors",
    "ValidationError": ".errors",
    "Account": ".models",
    "AccountContact": ".models",
    "AccountContacts": ".models",
    "AccountStatus": ".models",
    "ActivityEvent": ".models",
    "ActivityKind": ".models",
    "ActivityType": ".models",
    "BillingSummary": ".models",
    "BillingUsage": ".models",
    "CallResult": ".models",
    "CampaignStatus": ".models",
    "CampaignUsage": ".models",
    "Contact": ".models",
    "DateRange": ".models",
    "DialCampaign": ".models",
    "Disposition": ".models",
    "DispositionCount": ".models",
    "Location": ".models",
    "MessageDirection": ".models",
    "MessageStatus": ".models",
    "MessageSummary": ".models",
    "Page": ".models",
    "PageMeta": ".models",
    "PhoneNumber": ".models",
    "PhoneNumberType": ".models",
    "ResultsSummary": ".models",
    "RunStatus": ".models",
    "SmsCampaign": ".models",
    "SmsMessage": ".models",
    "SmsRun": ".models",
    "UploadSummary": ".models",
    "BulkProgress": ".bulk",
    "BulkUploadError": ".bulk",
    "BulkUploadReport": ".bulk",
    "CheckpointError": ".bulk",
    "ChunkResult": ".bulk",
    "CsvError": ".bulk",
    "LeadsCheckReport": ".bulk",
    "RecordIssue": ".bulk",
    "check_leads": ".bulk",
    "check_leads_async": ".bulk",
    "read_contacts_csv": ".bulk",
}

__all__ = sorted(_EXPORTS)

if not TYPE_CHECKING:  # hidden from type checkers, which would then accept any name

    def __getattr__(name: str) -> Any:
        module = _EXPORTS.get(name)
        if module is None:
            raise AttributeError(f"module 'freestyle_async' has no attribute {name!r}")
        value = getattr(importlib.import_module(module, __name__), name)
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    return list(__all__)
