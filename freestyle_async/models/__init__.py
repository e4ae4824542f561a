"""The attrs models the API's JSON is decoded into."""

from ._common import DateRange
from ._enums import (
    AccountStatus,
    ActivityType,
    CampaignStatus,
    MessageDirection,
    MessageStatus,
    RunStatus,
)
from ._serial import Serialisable as Serialisable
from .account import (
    Account,
    AccountContact,
    AccountContacts,
    Location,
    PhoneNumber,
    PhoneNumberType,
)
from .billing import BillingSummary, BillingUsage, CampaignUsage
from .contact import CONTACT_FIELDS, Contact, contact_to_dict, record_fields
from .dial import (
    ActivityEvent,
    ActivityKind,
    CallResult,
    DialCampaign,
    Disposition,
    DispositionCount,
    ResultsSummary,
    UploadSummary,
)
from .page import Page, PageMeta
from .sms import MessageSummary, SmsCampaign, SmsMessage, SmsRun

__all__ = [
    "CONTACT_FIELDS",
    "Account",
    "AccountContact",
    "AccountContacts",
    "AccountStatus",
    "ActivityEvent",
    "ActivityKind",
    "ActivityType",
    "BillingSummary",
    "BillingUsage",
    "CallResult",
    "CampaignStatus",
    "CampaignUsage",
    "Contact",
    "DateRange",
    "DialCampaign",
    "Disposition",
    "DispositionCount",
    "Location",
    "MessageDirection",
    "MessageStatus",
    "MessageSummary",
    "Page",
    "PageMeta",
    "PhoneNumber",
    "PhoneNumberType",
    "ResultsSummary",
    "RunStatus",
    "SmsCampaign",
    "SmsMessage",
    "SmsRun",
    "UploadSummary",
    "contact_to_dict",
    "record_fields",
]

import attrs as _attrs

# Resolve the string annotations while each class still names its own module, then make
# reprs and docs read ``freestyle_async.X``.
for _name in __all__:
    _obj = globals()[_name]
    if isinstance(_obj, type):
        if _attrs.has(_obj):
            _attrs.resolve_types(_obj)
        _obj.__module__ = "freestyle_async"
