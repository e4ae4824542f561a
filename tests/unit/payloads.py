"""Responses shaped like the API reference, and the models they must decode into.

The expected models are written out by hand (never produced by the decoder under test).
Every documented field is present; second items carry the nulls, open-enum values the SDK does
not know yet, non-UTC offsets and JSON integers where a float or Decimal is expected.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Final

import attrs

from freestyle_async.models import (
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
    DateRange,
    DialCampaign,
    Disposition,
    DispositionCount,
    Location,
    MessageDirection,
    MessageStatus,
    MessageSummary,
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

UTC: Final = dt.UTC
EST: Final = dt.timezone(dt.timedelta(hours=-4))
CAMPAIGN_ID: Final = "c_a1b2c3d4-e5f6-7890-abcd-ef1234567890"
SMS_CAMPAIGN_ID: Final = "sc_5f0c6a1e-2b3d-4c5e-8f90-123456789abc"

Json = dict[str, Any]


def at(
    year: int,
    month: int,
    day: int,
    hour: int,
    minute: int,
    second: int = 0,
    micro: int = 0,
    *,
    tz: dt.tzinfo = UTC,
) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, second, micro, tzinfo=tz)


# ---------------------------------------------------------------------------- dial campaigns
DIAL_CAMPAIGN: Final[Json] = {
    "id": CAMPAIGN_ID,
    "name": "Q2 Outreach — Ontario",
    "status": "active",
    "created_at": "2026-03-15T14:22:00Z",
    "updated_at": "2026-05-01T09:10:00Z",
    "total_leads": 4820,
    "dialed": 3104,
    "remaining": 1716,
}
DIAL_CAMPAIGN_MODEL: Final = DialCampaign(
    id=CAMPAIGN_ID,
    name="Q2 Outreach — Ontario",
    status=CampaignStatus.ACTIVE,
    created_at=at(2026, 3, 15, 14, 22),
    updated_at=at(2026, 5, 1, 9, 10),
    total_leads=4820,
    dialed=3104,
    remaining=1716,
)
DIAL_CAMPAIGN_2: Final[Json] = {
    "id": "c_0f0e0d0c-0000-4000-8000-000000000002",
    "name": "Spring Recall",
    "status": "archived",  # not in the reference (yet): kept as the plain string
    "created_at": "2026-04-02T08:00:00-04:00",
    "updated_at": "2026-04-03T10:15:30.250000Z",
    "total_leads": 0,
    "dialed": 0,
    "remaining": 0,
}
DIAL_CAMPAIGN_2_MODEL: Final = DialCampaign(
    id="c_0f0e0d0c-0000-4000-8000-000000000002",
    name="Spring Recall",
    status="archived",
    created_at=at(2026, 4, 2, 8, 0, tz=EST),
    updated_at=at(2026, 4, 3, 10, 15, 30, 250000),
    total_leads=0,
    dialed=0,
    remaining=0,
)
PAUSED_CAMPAIGN: Final[Json] = {**DIAL_CAMPAIGN, "status": "paused"}
PAUSED_CAMPAIGN_MODEL: Final = attrs.evolve(DIAL_CAMPAIGN_MODEL, status=CampaignStatus.PAUSED)

CALL_RESULT: Final[Json] = {
    "result_id": 90210,
    "campaign_data_id": 5551,
    "account_id": "ACC-1001",
    "account_name": "Jane Doe",
    "phone_dialed": "4165550100",
    "phone_number_index": 0,
    "disposition": {"id": 3, "name": "Promise to Pay", "code": "PTP", "contacted": True},
    "agent_id": 42,
    "dialed_at": "2026-05-02T15:00:00Z",
    "connected_at": "2026-05-02T15:00:12Z",
    "completed_at": "2026-05-02T15:04:30Z",
    "talk_seconds": 258,
    "total_seconds": 270,
    "amount": 12.34,
    "dtmf": "1#",
    "recording_id": "rec_77",
    "new_phone": "4165550199",
    "new_email": "jane@example.com",
}
CALL_RESULT_MODEL: Final = CallResult(
    result_id=90210,
    campaign_data_id=5551,
    account_id="ACC-1001",
    account_name="Jane Doe",
    phone_dialed="4165550100",
    phone_number_index=0,
    disposition=Disposition(id=3, name="Promise to Pay", code="PTP", contacted=True),
    agent_id=42,
    dialed_at=at(2026, 5, 2, 15, 0, 0),
    connected_at=at(2026, 5, 2, 15, 0, 12),
    completed_at=at(2026, 5, 2, 15, 4, 30),
    talk_seconds=258,
    total_seconds=270,
    amount=Decimal("12.34"),
    dtmf="1#",
    recording_id="rec_77",
    new_phone="4165550199",
    new_email="jane@example.com",
)
CALL_RESULT_NO_ANSWER: Final[Json] = {
    "result_id": 90209,
    "campaign_data_id": 5552,
    "account_id": None,
    "account_name": None,
    "phone_dialed": "6475550142",
    "phone_number_index": 1,
    "disposition": {"id": 1, "name": "No Answer", "code": "NA", "contacted": False},
    "agent_id": None,
    "dialed_at": "2026-05-02T14:58:00Z",
    "connected_at": None,
    "completed_at": "2026-05-02T14:58:30Z",
    "talk_seconds": None,
    "total_seconds": 30,
    "amount": None,
    "dtmf": None,
    "recording_id": None,
    "new_phone": None,
    "new_email": None,
}
CALL_RESULT_NO_ANSWER_MODEL: Final = CallResult(
    result_id=90209,
    campaign_data_id=5552,
    account_id=None,
    account_name=None,
    phone_dialed="6475550142",
    phone_number_index=1,
    disposition=Disposition(id=1, name="No Answer", code="NA", contacted=False),
    agent_id=None,
    dialed_at=at(2026, 5, 2, 14, 58, 0),
    connected_at=None,
    completed_at=at(2026, 5, 2, 14, 58, 30),
    talk_seconds=None,
    total_seconds=30,
    amount=None,
    dtmf=None,
    recording_id=None,
    new_phone=None,
    new_email=None,
)

RESULTS_SUMMARY: Final[Json] = {
    "total_calls": 1250,
    "total_contacts": 481,
    "contact_rate": 38.48,
    "total_talk_seconds": 86400,
    "total_dial_seconds": 172800,
    "first_call_at": "2026-05-01T13:00:00Z",
    "last_call_at": "2026-05-31T21:45:10Z",
    "date_range": {"from": "2026-05-01", "to": "2026-05-31"},
    "dispositions": [
        {
            "id": 1,
            "name": "No Answer",
            "code": "NA",
            "contacted": False,
            "count": 600,
            "percentage": 48,
        },
        {
            "id": 3,
            "name": "Promise to Pay",
            "code": "PTP",
            "contacted": True,
            "count": 481,
            "percentage": 38.48,
        },
        {
            "id": 7,
            "name": "Busy",
            "code": "B",
            "contacted": False,
            "count": 169,
            "percentage": 13.52,
        },
    ],
}
RESULTS_SUMMARY_MODEL: Final = ResultsSummary(
    total_calls=1250,
    total_contacts=481,
    contact_rate=38.48,
    total_talk_seconds=86400,
    total_dial_seconds=172800,
    first_call_at=at(2026, 5, 1, 13, 0),
    last_call_at=at(2026, 5, 31, 21, 45, 10),
    date_range=DateRange(from_=dt.date(2026, 5, 1), to=dt.date(2026, 5, 31)),
    dispositions=[
        DispositionCount(
            id=1, name="No Answer", code="NA", contacted=False, count=600, percentage=48.0
        ),
        DispositionCount(
            id=3, name="Promise to Pay", code="PTP", contacted=True, count=481, percentage=38.48
        ),
        DispositionCount(id=7, name="Busy", code="B", contacted=False, count=169, percentage=13.52),
    ],
)
EMPTY_RESULTS_SUMMARY: Final[Json] = {
    "total_calls": 0,
    "total_contacts": 0,
    "contact_rate": 0,
    "total_talk_seconds": 0,
    "total_dial_seconds": 0,
    "first_call_at": None,
    "last_call_at": None,
    "date_range": {"from": None, "to": None},
    "dispositions": [],
}
EMPTY_RESULTS_SUMMARY_MODEL: Final = ResultsSummary(
    total_calls=0,
    total_contacts=0,
    contact_rate=0.0,
    total_talk_seconds=0,
    total_dial_seconds=0,
    first_call_at=None,
    last_call_at=None,
    date_range=DateRange(from_=None, to=None),
    dispositions=[],
)

ACTIVITY: Final[list[Json]] = [
    {
        "activity_id": 3003,
        "type": {"id": 1, "name": "Records Imported"},
        "imported_count": 950,
        "recycled_count": 40,
        "excluded_count": 10,
        "total_count": 1000,
        "created_at": "2026-05-03T10:00:00Z",
    },
    {
        "activity_id": 3002,
        "type": {"id": 3, "name": "Campaign Started"},
        "imported_count": None,
        "recycled_count": None,
        "excluded_count": None,
        "total_count": None,
        "created_at": "2026-05-02T09:00:00Z",
    },
    {
        "activity_id": 3001,
        "type": {"id": 4, "name": "Records Recycled"},
        "imported_count": None,
        "recycled_count": 120,
        "excluded_count": None,
        "total_count": 800,
        "created_at": "2026-05-01T08:00:00Z",
    },
    {
        "activity_id": 3000,
        "type": {"id": 9, "name": "Campaign Archived"},  # an id the SDK does not know yet
        "imported_count": None,
        "recycled_count": None,
        "excluded_count": None,
        "total_count": None,
        "created_at": "2026-04-30T07:00:00Z",
    },
]
ACTIVITY_MODELS: Final = [
    ActivityEvent(
        activity_id=3003,
        type=ActivityKind(id=ActivityType.RECORDS_IMPORTED, name="Records Imported"),
        imported_count=950,
        recycled_count=40,
        excluded_count=10,
        total_count=1000,
        created_at=at(2026, 5, 3, 10, 0),
    ),
    ActivityEvent(
        activity_id=3002,
        type=ActivityKind(id=ActivityType.CAMPAIGN_STARTED, name="Campaign Started"),
        created_at=at(2026, 5, 2, 9, 0),
    ),
    ActivityEvent(
        activity_id=3001,
        type=ActivityKind(id=ActivityType.RECORDS_RECYCLED, name="Records Recycled"),
        recycled_count=120,
        total_count=800,
        created_at=at(2026, 5, 1, 8, 0),
    ),
    ActivityEvent(
        activity_id=3000,
        type=ActivityKind(id=9, name="Campaign Archived"),
        created_at=at(2026, 4, 30, 7, 0),
    ),
]

UPLOAD_RESPONSE: Final[Json] = {
    "data": {
        "inserted": 2,
        "skipped": 1,
        "duplicates": 1,
        "invalid": 0,
        "total_leads": 4822,
        "errors": [{"index": 2, "field": "phone1", "message": "duplicate"}],
    }
}
UPLOAD_MODEL: Final = UploadSummary(
    inserted=2,
    skipped=1,
    total_leads=4822,
    extra={
        "duplicates": 1,
        "invalid": 0,
        "errors": [{"index": 2, "field": "phone1", "message": "duplicate"}],
    },
)

# ----------------------------------------------------------------------------- sms campaigns
SMS_CAMPAIGN: Final[Json] = {
    "id": SMS_CAMPAIGN_ID,
    "name": "May Reminders",
    "from_number": "+14165550123",
    "total_runs": 4,
    "running_count": 1,
    "scheduled_count": 1,
    "completed_count": 1,
    "cancelled_count": 1,
    "last_run_at": "2026-05-20T16:00:00Z",
    "created_at": "2026-04-01T12:00:00Z",
    "updated_at": None,
}
SMS_CAMPAIGN_MODEL: Final = SmsCampaign(
    id=SMS_CAMPAIGN_ID,
    name="May Reminders",
    from_number="+14165550123",
    total_runs=4,
    running_count=1,
    scheduled_count=1,
    completed_count=1,
    cancelled_count=1,
    last_run_at=at(2026, 5, 20, 16, 0),
    created_at=at(2026, 4, 1, 12, 0),
    updated_at=None,
    template=None,
)
SMS_CAMPAIGN_2: Final[Json] = {
    "id": "sc_00000000-0000-4000-8000-000000000002",
    "name": "Never Run",
    "from_number": "+16475550000",
    "total_runs": 0,
    "running_count": 0,
    "scheduled_count": 0,
    "completed_count": 0,
    "cancelled_count": 0,
    "last_run_at": None,
    "created_at": "2026-04-02T12:00:00Z",
    "updated_at": "2026-04-03T12:30:00+00:00",
}
SMS_CAMPAIGN_2_MODEL: Final = SmsCampaign(
    id="sc_00000000-0000-4000-8000-000000000002",
    name="Never Run",
    from_number="+16475550000",
    total_runs=0,
    running_count=0,
    scheduled_count=0,
    completed_count=0,
    cancelled_count=0,
    last_run_at=None,
    created_at=at(2026, 4, 2, 12, 0),
    updated_at=at(2026, 4, 3, 12, 30),
    template=None,
)
TEMPLATE: Final = "Hi {Name}, your balance of {Balance} is due {DueDate}. Ref {Account}."
SMS_CAMPAIGN_FULL: Final[Json] = {**SMS_CAMPAIGN, "template": TEMPLATE}
SMS_CAMPAIGN_FULL_MODEL: Final = SmsCampaign(
    id=SMS_CAMPAIGN_ID,
    name="May Reminders",
    from_number="+14165550123",
    total_runs=4,
    running_count=1,
    scheduled_count=1,
    completed_count=1,
    cancelled_count=1,
    last_run_at=at(2026, 5, 20, 16, 0),
    created_at=at(2026, 4, 1, 12, 0),
    updated_at=None,
    template=TEMPLATE,
)

SMS_RUNS: Final[list[Json]] = [
    {
        "run_id": 78,
        "status": "scheduled",
        "scheduled_at": "2026-05-27T16:00:00Z",
        "started_at": None,
        "completed_at": None,
        "total": 250,
        "processed": 0,
        "sent": 0,
        "failed": 0,
        "progress_pct": 0.0,
        "notes": None,
        "created_at": "2026-05-26T10:00:00Z",
    },
    {
        "run_id": 77,
        "status": "completed",
        "scheduled_at": "2026-05-20T16:00:00Z",
        "started_at": "2026-05-20T16:00:05Z",
        "completed_at": "2026-05-20T16:20:00Z",
        "total": 500,
        "processed": 500,
        "sent": 495,
        "failed": 5,
        "progress_pct": 100,
        "notes": "May batch",
        "created_at": "2026-05-19T10:00:00Z",
    },
]
SMS_RUN_MODELS: Final = [
    SmsRun(
        run_id=78,
        status=RunStatus.SCHEDULED,
        scheduled_at=at(2026, 5, 27, 16, 0),
        started_at=None,
        completed_at=None,
        total=250,
        processed=0,
        sent=0,
        failed=0,
        progress_pct=0.0,
        notes=None,
        created_at=at(2026, 5, 26, 10, 0),
    ),
    SmsRun(
        run_id=77,
        status=RunStatus.COMPLETED,
        scheduled_at=at(2026, 5, 20, 16, 0),
        started_at=at(2026, 5, 20, 16, 0, 5),
        completed_at=at(2026, 5, 20, 16, 20),
        total=500,
        processed=500,
        sent=495,
        failed=5,
        progress_pct=100.0,
        notes="May batch",
        created_at=at(2026, 5, 19, 10, 0),
    ),
]

SMS_MESSAGES: Final[list[Json]] = [
    {
        "message_id": 1003,
        "run_id": 77,
        "direction": "received",
        "phone_number": "+14165550100",
        "from_number": "+14165550100",
        "to_number": "+14165550123",
        "message": "STOP",
        "status": "received",  # a Twilio status the reference does not list
        "error_code": None,
        "error_message": None,
        "segments": 1,
        "cost": 0,
        "reference_id": None,
        "sent_at": "2026-05-20T16:05:00Z",
    },
    {
        "message_id": 1002,
        "run_id": 77,
        "direction": "sent",
        "phone_number": "+16475550142",
        "from_number": "+14165550123",
        "to_number": "+16475550142",
        "message": "Hi Sam, your balance of $80.00 is due 2026-06-01. Ref ACC-1002.",
        "status": "failed",
        "error_code": "30003",
        "error_message": "Unreachable destination handset",
        "segments": 2,
        "cost": 0.0158,
        "reference_id": "ACC-1002",
        "sent_at": "2026-05-20T16:00:09Z",
    },
    {
        "message_id": 1001,
        "run_id": 77,
        "direction": "sent",
        "phone_number": "+14165550100",
        "from_number": "+14165550123",
        "to_number": "+14165550100",
        "message": "Hi Jane, your balance of $12.34 is due 2026-06-01. Ref ACC-1001.",
        "status": "delivered",
        "error_code": None,
        "error_message": None,
        "segments": 1,
        "cost": 0.0079,
        "reference_id": "ACC-1001",
        "sent_at": "2026-05-20T16:00:07Z",
    },
]
SMS_MESSAGE_MODELS: Final = [
    SmsMessage(
        message_id=1003,
        run_id=77,
        direction=MessageDirection.RECEIVED,
        phone_number="+14165550100",
        from_number="+14165550100",
        to_number="+14165550123",
        message="STOP",
        status="received",
        error_code=None,
        error_message=None,
        segments=1,
        cost=Decimal("0"),
        reference_id=None,
        sent_at=at(2026, 5, 20, 16, 5),
    ),
    SmsMessage(
        message_id=1002,
        run_id=77,
        direction=MessageDirection.SENT,
        phone_number="+16475550142",
        from_number="+14165550123",
        to_number="+16475550142",
        message="Hi Sam, your balance of $80.00 is due 2026-06-01. Ref ACC-1002.",
        status=MessageStatus.FAILED,
        error_code="30003",
        error_message="Unreachable destination handset",
        segments=2,
        cost=Decimal("0.0158"),
        reference_id="ACC-1002",
        sent_at=at(2026, 5, 20, 16, 0, 9),
    ),
    SmsMessage(
        message_id=1001,
        run_id=77,
        direction=MessageDirection.SENT,
        phone_number="+14165550100",
        from_number="+14165550123",
        to_number="+14165550100",
        message="Hi Jane, your balance of $12.34 is due 2026-06-01. Ref ACC-1001.",
        status=MessageStatus.DELIVERED,
        error_code=None,
        error_message=None,
        segments=1,
        cost=Decimal("0.0079"),
        reference_id="ACC-1001",
        sent_at=at(2026, 5, 20, 16, 0, 7),
    ),
]
MESSAGE_SUMMARY: Final[Json] = {
    "total": 3,
    "sent_count": 2,
    "received_count": 1,
    "total_cost": 0.0237,
}
MESSAGE_SUMMARY_MODEL: Final = MessageSummary(
    total=3, sent_count=2, received_count=1, total_cost=Decimal("0.0237")
)

# ----------------------------------------------------------------------------------- billing
BILLING: Final[Json] = {
    "data": [
        {
            "campaign_id": CAMPAIGN_ID,
            "campaign_name": "Q2 Outreach — Ontario",
            "duration_seconds": 1045,
            "hourly_rate": 42.51,
            "cost": 12.34,
        },
        {
            "campaign_id": "c_0f0e0d0c-0000-4000-8000-000000000002",
            "campaign_name": "Spring Recall",
            "duration_seconds": 0,
            "hourly_rate": 42,
            "cost": 0,
        },
    ],
    "summary": {
        "total_duration_seconds": 1045,
        "total_cost": 12.34,
        "date_range": {"from": "2026-05-01", "to": "2026-05-31"},
    },
}
BILLING_MODEL: Final = BillingUsage(
    data=[
        CampaignUsage(
            campaign_id=CAMPAIGN_ID,
            campaign_name="Q2 Outreach — Ontario",
            duration_seconds=1045,
            hourly_rate=Decimal("42.51"),
            cost=Decimal("12.34"),
        ),
        CampaignUsage(
            campaign_id="c_0f0e0d0c-0000-4000-8000-000000000002",
            campaign_name="Spring Recall",
            duration_seconds=0,
            hourly_rate=Decimal("42"),
            cost=Decimal("0"),
        ),
    ],
    summary=BillingSummary(
        total_duration_seconds=1045,
        total_cost=Decimal("12.34"),
        date_range=DateRange(from_=dt.date(2026, 5, 1), to=dt.date(2026, 5, 31)),
    ),
)

# ----------------------------------------------------------------------------------- account
ACCOUNT: Final[Json] = {
    "id": "7d3c2a10-9b8e-4f6a-a1b2-c3d4e5f6a7b8",
    "name": "Acme Collections Inc.",
    "status": "onboarded",
    "description": None,
    "contacts": {
        "primary": {"name": "Pat Lee", "email": "pat@acme.example", "phone": "+14165550111"},
        "technical": {"name": "Sam Roy", "email": "sam@acme.example", "phone": None},
        "billing": None,
    },
    "location": {"country": "CA", "province_state": "ON"},
    "created_at": "2025-11-02T18:30:00Z",
}
ACCOUNT_MODEL: Final = Account(
    id="7d3c2a10-9b8e-4f6a-a1b2-c3d4e5f6a7b8",
    name="Acme Collections Inc.",
    status=AccountStatus.ONBOARDED,
    description=None,
    contacts=AccountContacts(
        primary=AccountContact(name="Pat Lee", email="pat@acme.example", phone="+14165550111"),
        technical=AccountContact(name="Sam Roy", email="sam@acme.example", phone=None),
        billing=None,
    ),
    location=Location(country="CA", province_state="ON"),
    created_at=at(2025, 11, 2, 18, 30),
)
PHONE_NUMBERS: Final[Json] = {
    "data": [
        {
            "phone_number_id": 11,
            "phone_number": "+14165550123",
            "type": {"id": 1, "name": "Local"},
            "description": "Main outbound",
            "neustar_branded_call_display": True,
            "created_at": "2026-01-10T12:00:00Z",
        },
        {
            "phone_number_id": 12,
            "phone_number": "+18005550199",
            "type": {"id": 2, "name": "Toll-Free"},
            "description": None,
            "neustar_branded_call_display": False,
            "created_at": "2026-02-11T12:00:00+00:00",
        },
    ],
    "meta": {"total": 2},
}
PHONE_NUMBER_MODELS: Final = [
    PhoneNumber(
        phone_number_id=11,
        phone_number="+14165550123",
        type=PhoneNumberType(id=1, name="Local"),
        description="Main outbound",
        neustar_branded_call_display=True,
        created_at=at(2026, 1, 10, 12, 0),
    ),
    PhoneNumber(
        phone_number_id=12,
        phone_number="+18005550199",
        type=PhoneNumberType(id=2, name="Toll-Free"),
        description=None,
        neustar_branded_call_display=False,
        created_at=at(2026, 2, 11, 12, 0),
    ),
]


def meta(page: int = 1, per_page: int = 25, total: int = 2, total_pages: int = 1) -> Json:
    return {"page": page, "per_page": per_page, "total": total, "total_pages": total_pages}


def meta_model(page: int = 1, per_page: int = 25, total: int = 2, total_pages: int = 1) -> PageMeta:
    return PageMeta(page=page, per_page=per_page, total=total, total_pages=total_pages)
