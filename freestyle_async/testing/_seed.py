"""Deterministic seed data: the same ``seed`` always builds byte-identical accounts.

Every value comes from ``random.Random`` streams derived from the seed, and every timestamp is
placed relative to the fixed :data:`REFERENCE_NOW` (2026-06-30T12:00:00Z), never the clock.
Call results are generated per campaign on first access, from a stream of their own, so the
order campaigns are read in does not change them.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import random
import time
import uuid
from typing import Any

from ._model import (
    REFERENCE_NOW,
    Account,
    DialCampaign,
    JSONDict,
    ResultsIndex,
    SmsCampaign,
    activity_event,
    iso,
)

__all__ = ["DISPOSITIONS", "SeedIds", "api_key_for", "build_accounts", "generate_results"]

DAY = 86_400
HOUR = 3_600

DISPOSITIONS: tuple[JSONDict, ...] = (
    {"id": 1, "name": "Sale", "code": "SALE", "contacted": True},
    {"id": 2, "name": "Callback Requested", "code": "CALLBK", "contacted": True},
    {"id": 3, "name": "Not Interested", "code": "NI", "contacted": True},
    {"id": 4, "name": "Do Not Call", "code": "DNC", "contacted": True},
    {"id": 5, "name": "Wrong Party", "code": "WP", "contacted": True},
    {"id": 6, "name": "No Answer", "code": "NA", "contacted": False},
    {"id": 7, "name": "Answering Machine", "code": "AM", "contacted": False},
    {"id": 8, "name": "Busy", "code": "B", "contacted": False},
)
_DISPOSITION_CUM_WEIGHTS = tuple(itertools.accumulate((7, 9, 14, 3, 4, 33, 22, 8)))
_CONNECTED = frozenset({1, 2, 3, 4, 5, 7})  # a person or a machine answered

_FIRST = ("Olivia", "Liam", "Emma", "Noah", "Chloe", "Lucas", "Maya", "Ethan", "Zoé", "Félix",
          "Amelia", "Owen", "Léa", "Jacob", "Ava", "Samuel")  # fmt: skip
_LAST = ("Tremblay", "Smith", "Roy", "Brown", "Gagnon", "Wilson", "Côté", "MacDonald", "Singh",
         "Nguyen", "Li", "Martin", "Campbell", "Bouchard", "Patel", "O'Neil")  # fmt: skip
_AREA = ("416", "647", "905", "514", "438", "604", "403", "204", "902", "613")
_DIAL_NAMES = (
    "Q2 Outreach — Ontario",
    "Spring Renewals — Québec",
    "Past Due 30-60 — British Columbia",
    "Winback 2026 — Alberta",
    "Payment Reminders — Manitoba",
    "Early Delinquency — Nova Scotia",
    "Hardship Follow-up — Ontario",
    "Welcome Calls — Saskatchewan",
    "Q1 Recovery — New Brunswick",
    "Settlement Offers — PEI",
    "Skip Trace Verification — Ontario",
    "Annual Review — Québec",
)
_SMS_NAMES = (
    "Balance Reminder",
    "Due Date Notice",
    "Payment Confirmation",
    "Promise-to-Pay Follow-up",
    "Welcome Text",
    "Account Update Request",
)
_TEMPLATES = (
    "Hi {Name}, a balance of {Balance} on account {Account} is due {DueDate}. "
    "Reply STOP to opt out.",
    "{CompanyCode}: Hello {Name}, your payment of {Balance} is due on {DueDate}.",
    "Hi {Name}, thanks for your payment on account {Account}. Questions? Call us.",
    "{CompanyCode} reminder: {Name}, you promised to pay {Balance} by {DueDate}. Reply YES to "
    "confirm or call us to make other arrangements. Reply STOP to opt out of further messages.",
)
_REPLIES = ("STOP", "Yes I will pay Friday", "Who is this?", "Call me tomorrow please",
            "Paid already, thanks", "YES")  # fmt: skip
_TWILIO_ERRORS = {
    "failed": (
        ("30007", "Message filtered"),
        ("21610", "Attempt to send to unsubscribed recipient"),
    ),
    "undelivered": (
        ("30003", "Unreachable destination handset"),
        ("30005", "Unknown destination handset"),
        ("30006", "Landline or unreachable carrier"),
    ),
}
_SMS_SEGMENT_PRICE = 0.0079
_PHONE_TYPES = (
    {"id": 1, "name": "Local"},
    {"id": 2, "name": "Toll-Free"},
    {"id": 3, "name": "Mobile"},
)
_PHONE_DESCRIPTIONS = ("Main outbound line", "Caller ID — Toronto", "SMS sender", None, None)


def api_key_for(seed: int, role: str) -> str:
    """The emulator's API key for an account role: ``ft_`` + 64 lowercase hex, from the seed."""
    return "ft_" + hashlib.sha256(f"freestyle-emulator|{seed}|{role}".encode()).hexdigest()


class SeedIds:
    """Counters handing out numeric ids; the state keeps using them after seeding."""

    def __init__(self) -> None:
        self.campaign_ordinal = itertools.count(0)
        self.activity = itertools.count(1001)
        self.run = itertools.count(501)
        self.message = itertools.count(900_001)
        self.phone_number = itertools.count(31)


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _nanp(rng: random.Random) -> str:
    return rng.choice(_AREA) + str(rng.randint(2, 9)) + f"{rng.randrange(1_000_000):06d}"


def _contact(rng: random.Random, domain: str, role: str) -> JSONDict:
    first, last = rng.choice(_FIRST), rng.choice(_LAST)
    return {
        "name": f"{first} {last}",
        "email": f"{role}@{domain}",
        "phone": "+1" + _nanp(rng),
    }


_ACCOUNTS: dict[str, dict[str, Any]] = {
    "main": {
        "name": "Northwind Collections Inc.",
        "status": "onboarded",
        "description": "Collections and customer care, Canada-wide.",
        "domain": "northwind.example",
        "location": {"country": "CA", "province_state": "ON"},
        "rate": 42.5,
        "dial": ("completed", "completed", "paused", "active", "paused", "active", "draft",
                 "active"),
        "sms": (("completed", "completed", "running"), ("scheduled", "completed", "cancelled"),
                (), ("completed", "scheduled"),
                ("cancelled", "completed", "completed", "completed")),
        "phones": 6,
        "enabled": True,
    },
    "other": {
        "name": "Maple Leaf Recoveries Ltd.",
        "status": "commitment",
        "description": None,
        "domain": "mapleleaf.example",
        "location": None,
        "rate": 38.75,
        "dial": ("completed", "active", "paused"),
        "sms": (("completed", "running"), ("scheduled",)),
        "phones": 3,
        "enabled": True,
    },
    "disabled": {
        "name": "Dormant Holdings LLC",
        "status": "declined",
        "description": "API access disabled by the account manager.",
        "domain": "dormant.example",
        "location": {"country": "US", "province_state": "NY"},
        "rate": 30.0,
        "dial": ("completed", "paused"),
        "sms": (("completed",),),
        "phones": 1,
        "enabled": False,
    },
}  # fmt: skip


def build_accounts(seed: int, ids: SeedIds) -> dict[str, Account]:
    """Build the three accounts (``main``, ``other``, ``disabled``) for a seed."""
    rng = random.Random(f"freestyle-seed|{seed}")
    return {role: _build_account(rng, ids, seed, role, spec) for role, spec in _ACCOUNTS.items()}


def _build_account(
    rng: random.Random, ids: SeedIds, seed: int, role: str, spec: dict[str, Any]
) -> Account:
    created = REFERENCE_NOW - rng.randint(400, 900) * DAY - rng.randrange(DAY)
    domain = spec["domain"]
    account = Account(
        api_key=api_key_for(seed, role),
        api_enabled=spec["enabled"],
        profile={
            "id": _uuid(rng),
            "name": spec["name"],
            "status": spec["status"],
            "description": spec["description"],
            "contacts": {r: _contact(rng, domain, r) for r in ("primary", "technical", "billing")},
            "location": spec["location"],
            "created_at": iso(created),
        },
        hourly_rate=spec["rate"],
    )
    for i in range(spec["phones"]):
        ptype = _PHONE_TYPES[i] if i < len(_PHONE_TYPES) else rng.choice(_PHONE_TYPES)
        account.phone_numbers.append(
            {
                "phone_number_id": next(ids.phone_number),
                "phone_number": "+1" + _nanp(rng) if ptype["id"] != 2 else "+1888" + _seven(rng),
                "type": dict(ptype),
                "description": rng.choice(_PHONE_DESCRIPTIONS),
                "neustar_branded_call_display": rng.random() < 0.5,
                "created_at": iso(created + rng.randint(1, 300) * DAY),
            }
        )
    statuses: tuple[str, ...] = spec["dial"]
    ages = sorted(rng.sample(range(12, 170), len(statuses)), reverse=True)
    names = rng.sample(_DIAL_NAMES, len(statuses))
    for status, age, name in zip(statuses, ages, names, strict=True):
        camp = _dial_campaign(rng, ids, status, name, REFERENCE_NOW - age * DAY)
        account.dial_campaigns[camp.id] = camp
    sms_names = rng.sample(_SMS_NAMES, len(spec["sms"]))
    senders = [p["phone_number"] for p in account.phone_numbers]
    for plan, name in zip(spec["sms"], sms_names, strict=True):
        sms = _sms_campaign(rng, ids, name, plan, rng.choice(senders))
        account.sms_campaigns[sms.id] = sms
    return account


def _seven(rng: random.Random) -> str:
    return f"{rng.randrange(10_000_000):07d}"


def _dial_campaign(
    rng: random.Random, ids: SeedIds, status: str, name: str, created_day: int
) -> DialCampaign:
    created = created_day + rng.randrange(8 * HOUR, 17 * HOUR)
    events: list[JSONDict] = []
    t = created + rng.randint(600, 2 * HOUR)
    total_leads = 0
    for _ in range(rng.randint(1, 3)):
        imported, dup, excluded = rng.randint(250, 2500), rng.randint(0, 60), rng.randint(0, 25)
        total_leads += imported
        events.append(
            activity_event(
                next(ids.activity),
                1,
                t,
                imported=imported,
                recycled=dup,
                excluded=excluded,
                total=imported + dup + excluded,
            )
        )
        t += rng.randint(600, 4 * HOUR)
    window: tuple[int, int] | None = None
    dialed = 0
    if status != "draft":
        start = t + rng.randint(1800, DAY)
        events.append(activity_event(next(ids.activity), 3, start))
        if status == "active":
            end = REFERENCE_NOW - rng.randint(300, HOUR)
        else:
            end = start + int((REFERENCE_NOW - HOUR - start) * rng.uniform(0.4, 0.95))
        middle = start + (end - start) // 2
        if status == "completed":
            recycled = rng.randint(50, 400)
            events.append(
                activity_event(
                    next(ids.activity),
                    4,
                    middle,
                    recycled=recycled,
                    total=recycled + rng.randint(100, 900),
                )
            )
        elif status == "active" and rng.random() < 0.7:
            events.append(activity_event(next(ids.activity), 2, middle))
            events.append(activity_event(next(ids.activity), 3, middle + rng.randint(HOUR, DAY)))
        if status != "active":
            events.append(activity_event(next(ids.activity), 2, end))
        window = (start, end)
        share = {"completed": 1.0, "active": rng.uniform(0.3, 0.9), "paused": rng.uniform(0.2, 0.8)}
        dialed = int(total_leads * share[status])
    camp = DialCampaign(
        id="c_" + _uuid(rng),
        name=name,
        status=status,
        created_at=iso(created),
        updated_at=events[-1]["created_at"],
        total_leads=total_leads,
        dialed=dialed,
        ordinal=next(ids.campaign_ordinal),
        window=window,
        activity=events,
    )
    if window is not None:
        first_day, last_day = window[0] // DAY, window[1] // DAY
        camp.usage = [
            (iso(day * DAY)[:10], rng.randint(1800, 8 * HOUR))
            for day in range(first_day, last_day + 1)
        ]
    return camp


def _sms_campaign(
    rng: random.Random, ids: SeedIds, name: str, plan: tuple[str, ...], sender: str
) -> SmsCampaign:
    created = REFERENCE_NOW - rng.randint(60, 200) * DAY - rng.randrange(DAY)
    updated = created + rng.randint(1, 40) * DAY if rng.random() < 0.7 else None
    template = rng.choice(_TEMPLATES)
    camp = SmsCampaign(
        id="sc_" + _uuid(rng),
        name=name,
        from_number=sender,
        template=template,
        created_at=iso(created),
        updated_at=iso(updated) if updated is not None else None,
    )
    messages: list[tuple[int, JSONDict]] = []
    runs: list[JSONDict] = []
    for status in plan:
        run, run_messages = _sms_run(rng, ids, camp, status, created)
        runs.append(run)
        messages.extend(run_messages)
    runs.sort(key=lambda r: (r["scheduled_at"], r["run_id"]), reverse=True)
    messages.sort(key=lambda m: (m[0], m[1]["message_id"]), reverse=True)
    camp.runs = runs
    camp.messages = [m for _, m in messages]
    return camp


def _sms_run(
    rng: random.Random, ids: SeedIds, camp: SmsCampaign, status: str, campaign_created: int
) -> tuple[JSONDict, list[tuple[int, JSONDict]]]:
    if status == "scheduled":
        scheduled = REFERENCE_NOW + rng.randint(1, 14) * DAY + rng.randrange(DAY)
    elif status == "running":
        scheduled = REFERENCE_NOW - rng.randint(600, 5400)
    else:
        scheduled = rng.randint(campaign_created + DAY, REFERENCE_NOW - 2 * DAY)
    created = max(campaign_created + 60, scheduled - rng.randint(HOUR, 3 * DAY))
    total = rng.randint(40, 480)
    processed = {
        "scheduled": 0,
        "running": rng.randint(1, total - 1),
        "completed": total,
        "cancelled": rng.randint(0, total // 2),
    }[status]
    started = scheduled + rng.randint(0, 120) if processed or status == "running" else None
    completed = started + rng.randint(600, 2 * HOUR) if status == "completed" and started else None
    run_id = next(ids.run)
    run_messages = _sms_messages(rng, ids, camp, run_id, status, processed, started, completed)
    failed = sum(1 for _, m in run_messages if m["status"] in ("failed", "undelivered"))
    failed = max(failed, processed // 25)
    notes = {
        "scheduled": rng.choice((None, "Awaiting list approval")),
        "running": None,
        "completed": rng.choice((None, None, "Monthly reminder batch")),
        "cancelled": "Cancelled by operator: wrong list uploaded",
    }[status]
    run = {
        "run_id": run_id,
        "status": status,
        "scheduled_at": iso(scheduled),
        "started_at": iso(started) if started is not None else None,
        "completed_at": iso(completed) if completed is not None else None,
        "total": total,
        "processed": processed,
        "sent": processed - failed,
        "failed": failed,
        "progress_pct": round(processed * 100 / total, 1),
        "notes": notes,
        "created_at": iso(created),
    }
    return run, run_messages


def _sms_messages(
    rng: random.Random,
    ids: SeedIds,
    camp: SmsCampaign,
    run_id: int,
    run_status: str,
    processed: int,
    started: int | None,
    completed: int | None,
) -> list[tuple[int, JSONDict]]:
    if not processed or started is None:
        return []
    until = completed if completed is not None else min(started + 2 * HOUR, REFERENCE_NOW - 60)
    outcomes: tuple[str, ...] = ("delivered",) * 8 + ("undelivered", "failed")
    if run_status == "running":
        outcomes += ("sent", "sent", "queued")
    out: list[tuple[int, JSONDict]] = []
    for _ in range(min(processed, rng.randint(5, 14))):
        sent_at = rng.randint(started, max(until, started))
        contact = "+1" + _nanp(rng)
        reference = f"ACC-{rng.randrange(10_000_000):07d}" if rng.random() < 0.85 else None
        text = _render(rng, camp.template, reference)
        status = rng.choice(outcomes)
        error = rng.choice(_TWILIO_ERRORS[status]) if status in _TWILIO_ERRORS else (None, None)
        segments = _segments(text)
        cost = 0.0 if status == "failed" else round(segments * _SMS_SEGMENT_PRICE, 4)
        message = _message(next(ids.message), run_id, "sent", contact, camp.from_number, contact)
        message.update(
            message=text,
            status=status,
            error_code=error[0],
            error_message=error[1],
            segments=segments,
            cost=cost,
            reference_id=reference,
            sent_at=iso(sent_at),
        )
        out.append((sent_at, message))
        reply_at = sent_at + rng.randint(60, 2 * HOUR)
        if status == "delivered" and rng.random() < 0.3 and reply_at < REFERENCE_NOW:
            reply = rng.choice(_REPLIES)
            received = _message(
                next(ids.message), run_id, "received", contact, contact, camp.from_number
            )
            received.update(
                message=reply,
                status="delivered",
                error_code=None,
                error_message=None,
                segments=_segments(reply),
                cost=round(_segments(reply) * _SMS_SEGMENT_PRICE, 4),
                reference_id=reference,
                sent_at=iso(reply_at),
            )
            out.append((reply_at, received))
    return out


def _message(
    message_id: int, run_id: int, direction: str, party: str, from_number: str, to_number: str
) -> JSONDict:
    return {
        "message_id": message_id,
        "run_id": run_id,
        "direction": direction,
        "phone_number": party,
        "from_number": from_number,
        "to_number": to_number,
    }


def _segments(text: str) -> int:
    return max(1, math.ceil(len(text) / 160))


def _render(rng: random.Random, template: str, reference: str | None) -> str:
    due = time.strftime("%B %d", time.gmtime(REFERENCE_NOW + rng.randint(3, 30) * DAY))
    return (
        template.replace("{Name}", rng.choice(_FIRST))
        .replace("{Balance}", f"${rng.randint(2000, 250_000) / 100:,.2f}")
        .replace("{DueDate}", due)
        .replace("{CompanyCode}", "NWC")
        .replace("{Account}", reference or "on file")
    )


def generate_results(seed: int, campaign: DialCampaign, count: int) -> ResultsIndex:
    """The campaign's call results, built from their own random stream (fast enough for 100k)."""
    if campaign.window is None or count <= 0:
        return ResultsIndex(rows=[], completed=[])
    rng = random.Random(f"freestyle-results|{seed}|{campaign.id}")
    rand, randrange = rng.random, rng.randrange
    start, end = campaign.window
    span = max(end - start, 1)
    result_base = (campaign.ordinal + 1) * 10_000_000
    lead_base = (campaign.ordinal + 1) * 1_000_000
    leads = max(campaign.total_leads, 1)
    agents = rng.sample(range(101, 141), 6)
    dialed_times = sorted(start + int(rand() * span) for _ in range(count))
    dispositions = rng.choices(DISPOSITIONS, cum_weights=_DISPOSITION_CUM_WEIGHTS, k=count)
    days: dict[int, str] = {}

    def stamp(ts: int) -> str:
        day, secs = divmod(ts, DAY)
        prefix = days.get(day)
        if prefix is None:
            prefix = days[day] = time.strftime("%Y-%m-%dT", time.gmtime(day * DAY))
        hours, rest = divmod(secs, HOUR)
        minutes, seconds = divmod(rest, 60)
        return f"{prefix}{hours:02d}:{minutes:02d}:{seconds:02d}Z"

    keyed: list[tuple[int, int, JSONDict]] = []
    for i, (dialed_at, disposition) in enumerate(zip(dialed_times, dispositions, strict=True)):
        lead = randrange(leads)
        slot = 0 if rand() < 0.8 else (1 if rand() < 0.75 else 2)
        ring = 4 + randrange(26)
        contacted = disposition["contacted"]
        if disposition["id"] in _CONNECTED:
            talk = 20 + randrange(600) if contacted else 5 + randrange(25)
            connected_at: str | None = stamp(dialed_at + ring)
            talk_seconds: int | None = talk
        else:
            talk, connected_at, talk_seconds = 0, None, None
        completed_at = dialed_at + ring + talk
        result_id = result_base + i + 1
        row = {
            "result_id": result_id,
            "campaign_data_id": lead_base + lead + 1,
            "account_id": f"ACC-{(lead * 7919 + campaign.ordinal) % 10_000_000:07d}",
            "account_name": f"{_FIRST[lead % 16]} {_LAST[(lead // 16) % 16]}",
            "phone_dialed": f"{_AREA[(lead + slot) % 10]}555{(lead * 31 + slot) % 10_000:04d}",
            "phone_number_index": slot,
            "disposition": disposition,
            "agent_id": agents[lead % 6],
            "dialed_at": stamp(dialed_at),
            "connected_at": connected_at,
            "completed_at": stamp(completed_at),
            "talk_seconds": talk_seconds,
            "total_seconds": completed_at - dialed_at,
            "amount": round(25 + rand() * 1475, 2) if disposition["id"] == 1 else None,
            "dtmf": ("1", "2", "9#")[lead % 3] if contacted and rand() < 0.1 else None,
            "recording_id": f"rec_{result_id:x}{randrange(1 << 32):08x}" if contacted else None,
            "new_phone": f"{_AREA[lead % 10]}555{lead % 10_000:04d}"
            if contacted and rand() < 0.03
            else None,
            "new_email": f"lead{lead}@mail.example" if contacted and rand() < 0.03 else None,
        }
        keyed.append((completed_at, result_id, row))
    keyed.sort(key=lambda k: (k[0], k[1]))
    rows = [row for _, _, row in keyed]
    return ResultsIndex(rows=rows, completed=[row["completed_at"] for row in rows])
