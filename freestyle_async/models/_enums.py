"""Closed sets of values. Decoding keeps an unknown value as the plain ``str``/``int`` the
server sent (the API is in early access and will add values), so fields are typed
``Enum | str``."""

from __future__ import annotations

import enum

__all__ = [
    "AccountStatus",
    "ActivityType",
    "CampaignStatus",
    "MessageDirection",
    "MessageStatus",
    "RunStatus",
]


class CampaignStatus(enum.StrEnum):
    """Status of a dial campaign. Only ``ACTIVE`` and ``PAUSED`` can be set."""

    ACTIVE = "active"
    PAUSED = "paused"
    COMPLETED = "completed"
    DRAFT = "draft"


class RunStatus(enum.StrEnum):
    """Status of an SMS campaign run."""

    SCHEDULED = "scheduled"
    RUNNING = "running"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class MessageDirection(enum.StrEnum):
    """Whether an SMS message was sent by the campaign or received from the other party."""

    SENT = "sent"
    RECEIVED = "received"


class MessageStatus(enum.StrEnum):
    """Twilio delivery status of an SMS message."""

    QUEUED = "queued"
    SENT = "sent"
    DELIVERED = "delivered"
    FAILED = "failed"
    UNDELIVERED = "undelivered"


class AccountStatus(enum.StrEnum):
    """Status of the client account."""

    PROSPECT = "prospect"
    ONBOARDED = "onboarded"
    DECLINED = "declined"
    QUALIFIED_LEAD = "qualified_lead"
    COMMITMENT = "commitment"


class ActivityType(enum.IntEnum):
    """Type of a dial-campaign activity event."""

    RECORDS_IMPORTED = 1
    CAMPAIGN_STOPPED = 2
    CAMPAIGN_STARTED = 3
    RECORDS_RECYCLED = 4
