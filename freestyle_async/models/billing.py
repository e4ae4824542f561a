"""Billing: usage and cost per campaign."""

from __future__ import annotations

from decimal import Decimal

import attrs

from ._common import DateRange
from ._serial import Serialisable

__all__ = ["BillingSummary", "BillingUsage", "CampaignUsage"]


@attrs.frozen
class CampaignUsage(Serialisable):
    """Call duration and cost of one campaign over the date range."""

    campaign_id: str
    campaign_name: str
    duration_seconds: int
    hourly_rate: Decimal
    cost: Decimal


@attrs.frozen
class BillingSummary(Serialisable):
    """Account-level totals of a billing response."""

    total_duration_seconds: int
    total_cost: Decimal
    date_range: DateRange | None = None


@attrs.frozen
class BillingUsage(Serialisable):
    """The billing response: one entry per campaign (longest first) and the totals."""

    data: list[CampaignUsage]
    summary: BillingSummary
