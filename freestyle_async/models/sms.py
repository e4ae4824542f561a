"""SMS campaigns, runs, messages and the messages summary."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs

from ._enums import MessageDirection, MessageStatus, RunStatus
from ._serial import Serialisable

__all__ = ["MessageSummary", "SmsCampaign", "SmsMessage", "SmsRun"]


@attrs.frozen
class SmsCampaign(Serialisable):
    """An SMS campaign. ``template`` is filled only by ``sms_campaigns.get``."""

    id: str
    name: str
    from_number: str
    total_runs: int
    running_count: int
    scheduled_count: int
    completed_count: int
    cancelled_count: int
    created_at: dt.datetime
    last_run_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    template: str | None = None


@attrs.frozen
class SmsRun(Serialisable):
    """One scheduled send batch of an SMS campaign."""

    run_id: int
    status: RunStatus | str
    scheduled_at: dt.datetime
    total: int
    processed: int
    sent: int
    failed: int
    progress_pct: float
    created_at: dt.datetime
    started_at: dt.datetime | None = None
    completed_at: dt.datetime | None = None
    notes: str | None = None


@attrs.frozen
class SmsMessage(Serialisable):
    """One SMS message sent or received by a campaign."""

    message_id: int
    run_id: int
    direction: MessageDirection | str
    phone_number: str
    from_number: str
    to_number: str
    message: str
    status: MessageStatus | str
    segments: int
    cost: Decimal
    sent_at: dt.datetime
    error_code: str | None = None
    error_message: str | None = None
    reference_id: str | None = None


@attrs.frozen
class MessageSummary(Serialisable):
    """Totals over every message matching the filters (not just one page)."""

    total: int
    sent_count: int
    received_count: int
    total_cost: Decimal
