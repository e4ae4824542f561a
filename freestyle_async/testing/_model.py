"""In-memory records the emulator serves: accounts, campaigns, their events, and counters.

Everything an endpoint returns is kept here already shaped as the JSON the reference documents
(plain dicts, timestamps as RFC 3339 strings), so a handler only filters, orders and pages.
"""

from __future__ import annotations

import calendar
import time
from array import array
from typing import Any

import attrs

__all__ = [
    "REFERENCE_NOW",
    "Account",
    "Counters",
    "DialCampaign",
    "JSONDict",
    "ResultsIndex",
    "SmsCampaign",
    "iso",
]

JSONDict = dict[str, Any]

#: The fixed "now" of seed data (2026-06-30T12:00:00Z): seed timestamps never depend on the clock.
REFERENCE_NOW: int = calendar.timegm((2026, 6, 30, 12, 0, 0, 0, 0, 0))


def iso(ts: int) -> str:
    """Format a Unix timestamp as the API does: ``2026-03-15T14:22:00Z``."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


ACTIVITY_TYPES: dict[int, str] = {
    1: "Records Imported",
    2: "Campaign Stopped",
    3: "Campaign Started",
    4: "Records Recycled",
}


def activity_event(
    activity_id: int,
    type_id: int,
    created_at: int,
    *,
    imported: int | None = None,
    recycled: int | None = None,
    excluded: int | None = None,
    total: int | None = None,
) -> JSONDict:
    """One activity log entry, shaped as the reference documents it."""
    return {
        "activity_id": activity_id,
        "type": {"id": type_id, "name": ACTIVITY_TYPES[type_id]},
        "imported_count": imported,
        "recycled_count": recycled,
        "excluded_count": excluded,
        "total_count": total,
        "created_at": iso(created_at),
    }


@attrs.define(eq=False)
class ResultsIndex:
    """A campaign's call results, ascending by (completed_at, result_id), with their sort keys."""

    rows: list[JSONDict]
    completed: list[str]  # rows[i]["completed_at"], for bisecting a date range


@attrs.define(eq=False)
class DialCampaign:
    id: str
    name: str
    status: str
    created_at: str
    updated_at: str
    total_leads: int
    dialed: int
    ordinal: int  # creation order across the whole emulator, for stable numeric id ranges
    window: tuple[int, int] | None  # dialing period (Unix seconds) the seed results fall in
    activity: list[JSONDict] = attrs.Factory(list)  # ascending by time
    usage: list[tuple[str, int]] = attrs.Factory(list)  # (YYYY-MM-DD, conference seconds)
    phones: set[str] = attrs.Factory(set)  # normalised phone1 of every uploaded record
    # Uploads, kept compactly: (request body as sent, indices of the records inserted from it).
    batches: list[tuple[bytes, array[int]]] = attrs.Factory(list)
    results: ResultsIndex | None = None  # generated on first access

    def to_json(self) -> JSONDict:
        return {
            "id": self.id,
            "name": self.name,
            "status": self.status,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "total_leads": self.total_leads,
            "dialed": self.dialed,
            "remaining": max(self.total_leads - self.dialed, 0),
        }


RUN_STATUSES = ("scheduled", "running", "completed", "cancelled")


@attrs.define(eq=False)
class SmsCampaign:
    id: str
    name: str
    from_number: str
    template: str
    created_at: str
    updated_at: str | None
    runs: list[JSONDict] = attrs.Factory(list)  # descending by (scheduled_at, run_id)
    messages: list[JSONDict] = attrs.Factory(list)  # descending by (sent_at, message_id)

    def to_json(self, *, with_template: bool = False) -> JSONDict:
        counts = dict.fromkeys(RUN_STATUSES, 0)
        for run in self.runs:
            counts[run["status"]] += 1
        data: JSONDict = {
            "id": self.id,
            "name": self.name,
            "from_number": self.from_number,
            "total_runs": len(self.runs),
            "running_count": counts["running"],
            "scheduled_count": counts["scheduled"],
            "completed_count": counts["completed"],
            "cancelled_count": counts["cancelled"],
            "last_run_at": self.runs[0]["scheduled_at"] if self.runs else None,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }
        if with_template:
            data["template"] = self.template
        return data


@attrs.define(eq=False)
class Account:
    api_key: str
    api_enabled: bool
    profile: JSONDict  # the /account object
    hourly_rate: float
    dial_campaigns: dict[str, DialCampaign] = attrs.Factory(dict)
    sms_campaigns: dict[str, SmsCampaign] = attrs.Factory(dict)
    phone_numbers: list[JSONDict] = attrs.Factory(list)

    def dial_campaigns_newest_first(self) -> list[DialCampaign]:
        return sorted(
            self.dial_campaigns.values(), key=lambda c: (c.created_at, c.ordinal), reverse=True
        )

    def sms_campaigns_by_name(self) -> list[SmsCampaign]:
        return sorted(self.sms_campaigns.values(), key=lambda c: (c.name, c.id))


@attrs.define(eq=False)
class Counters:
    """What the emulator has seen since start (or the last reset).

    ``requests`` counts every request under ``/v1`` (dropped ones too); ``by_status`` maps the
    status answered to a count (dropped requests have none); ``by_route`` maps
    ``"METHOD /v1/route/{id}"`` to a count. Upload figures are per record.
    """

    requests: int = 0
    by_status: dict[int, int] = attrs.Factory(dict)
    by_route: dict[str, int] = attrs.Factory(dict)
    records_received: int = 0
    records_stored: int = 0
    duplicates_seen: int = 0
    invalid_seen: int = 0
    dropped_before: int = 0
    dropped_after: int = 0
    faults_injected: int = 0

    def reset(self) -> None:
        """Set every count back to zero, in place."""
        fresh = Counters()
        for field in attrs.fields(Counters):
            setattr(self, field.name, getattr(fresh, field.name))

    def as_dict(self) -> JSONDict:
        """The counters as JSON-ready data (``by_status`` keys become strings)."""
        return {
            "requests": self.requests,
            "by_status": {str(k): v for k, v in sorted(self.by_status.items())},
            "by_route": dict(sorted(self.by_route.items())),
            "records_received": self.records_received,
            "records_stored": self.records_stored,
            "duplicates_seen": self.duplicates_seen,
            "invalid_seen": self.invalid_seen,
            "dropped_before": self.dropped_before,
            "dropped_after": self.dropped_after,
            "faults_injected": self.faults_injected,
        }
