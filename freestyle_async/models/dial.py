"""Dial campaigns, call results, results summary, activity and upload summaries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from ._common import DateRange
from ._enums import ActivityType, CampaignStatus
from ._serial import Serialisable

__all__ = [
    "ActivityEvent",
    "ActivityKind",
    "CallResult",
    "DialCampaign",
    "Disposition",
    "DispositionCount",
    "ResultsSummary",
    "UploadSummary",
]


@attrs.frozen
class DialCampaign(Serialisable):
    """A dial campaign."""

    id: str
    name: str
    status: CampaignStatus | str
    created_at: dt.datetime
    updated_at: dt.datetime
    total_leads: int
    dialed: int
    remaining: int


@attrs.frozen
class Disposition(Serialisable):
    """How a call ended: ``id``, ``name``, ``code`` and whether a live contact was reached."""

    id: int
    name: str
    code: str
    contacted: bool


@attrs.frozen
class CallResult(Serialisable):
    """One call attempt of a dial campaign."""

    result_id: int
    campaign_data_id: int
    phone_dialed: str
    phone_number_index: int
    disposition: Disposition
    dialed_at: dt.datetime
    completed_at: dt.datetime
    total_seconds: int
    account_id: str | None = None
    account_name: str | None = None
    agent_id: int | None = None
    connected_at: dt.datetime | None = None
    talk_seconds: int | None = None
    amount: Decimal | None = None
    dtmf: str | None = None
    recording_id: str | None = None
    new_phone: str | None = None
    new_email: str | None = None


@attrs.frozen
class DispositionCount(Serialisable):
    """One row of a results summary's disposition breakdown."""

    id: int
    name: str
    code: str
    contacted: bool
    count: int
    percentage: float


@attrs.frozen
class ResultsSummary(Serialisable):
    """Aggregate call statistics of a campaign."""

    total_calls: int
    total_contacts: int
    contact_rate: float
    total_talk_seconds: int
    total_dial_seconds: int
    dispositions: list[DispositionCount]
    first_call_at: dt.datetime | None = None
    last_call_at: dt.datetime | None = None
    date_range: DateRange | None = None


@attrs.frozen
class ActivityKind(Serialisable):
    """The ``type`` object of an activity event."""

    id: ActivityType | int
    name: str


@attrs.frozen
class ActivityEvent(Serialisable):
    """One campaign-level activity event (import, start, stop, recycle)."""

    activity_id: int
    type: ActivityKind
    created_at: dt.datetime
    imported_count: int | None = None
    recycled_count: int | None = None
    excluded_count: int | None = None
    total_count: int | None = None


@attrs.frozen
class UploadSummary(Serialisable):
    """What the server did with one upload request.

    ``inserted`` records were added, ``skipped`` were not (invalid or duplicate), and
    ``total_leads`` is the campaign's new lead count. The reference leaves the rest of the
    summary open: every other field the server sent is kept in ``extra``.
    """

    inserted: int
    skipped: int
    total_leads: int | None = None
    # The converter keeps the fields this model does not name here (see _convert.py).
    extra: Mapping[str, Any] = attrs.field(factory=dict, metadata={"unknown_fields": True})
