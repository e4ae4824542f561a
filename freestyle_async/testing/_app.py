"""The aiohttp.web application: routes and handlers (validation, filters, order, pages).

Written from the API reference alone; it answers plain JSON dicts and imports nothing of
the SDK.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Final

from aiohttp import web

from ._errors import bad_parameter, not_found
from ._faults import Faults
from ._json import BodyError, loads
from ._middleware import ACCOUNT, STATE_KEY, auth, json_response, outer
from ._middleware import faults as faults_middleware
from ._model import RUN_STATUSES, DialCampaign, JSONDict, SmsCampaign
from ._params import DayFilter, choice, day_filter, integer, paginate, paging
from ._seed import DISPOSITIONS
from ._state import EmulatorState
from ._timeouts import BODY_TIMEOUT, DEFAULT_BODY_TIMEOUT, check_timeout, read_body
from ._upload import MAX_RECORDS

__all__ = ["STATE_KEY", "create_app"]

DIAL_STATUSES: Final = ("active", "paused", "completed", "draft")
SETTABLE_STATUSES: Final = ("active", "paused")
MESSAGE_STATUSES: Final = ("queued", "sent", "delivered", "failed", "undelivered")
DIRECTIONS: Final = ("sent", "received")
_CENT: Final = Decimal("0.01")
_MAX_BODY: Final = 32 * 1024 * 1024
_DISPOSITION_ORDER: Final = {d["id"]: i for i, d in enumerate(DISPOSITIONS)}


# ---------------------------------------------------------------------------- helpers


def _dial_campaign(request: web.Request) -> DialCampaign:
    campaign = request[ACCOUNT].dial_campaigns.get(request.match_info["id"])
    if campaign is None:
        raise not_found("Campaign")
    return campaign


def _sms_campaign(request: web.Request) -> SmsCampaign:
    campaign = request[ACCOUNT].sms_campaigns.get(request.match_info["id"])
    if campaign is None:
        raise not_found("SMS campaign")
    return campaign


async def _json_body(request: web.Request) -> tuple[bytes, dict[str, Any]]:
    """The raw body and the JSON object it holds."""
    if request.content_type != "application/json":
        raise bad_parameter("Content-Type must be application/json")
    raw = await read_body(request)
    try:
        body = loads(raw)
    except BodyError as exc:
        raise bad_parameter(f"request body {exc}") from None
    if not isinstance(body, dict):
        raise bad_parameter("request body must be a JSON object")
    return raw, body


def _money(value: Decimal) -> float:
    return float(value.quantize(_CENT, rounding=ROUND_HALF_UP))


# ---------------------------------------------------------------------------- dial campaigns


async def list_dial_campaigns(request: web.Request) -> web.Response:
    page, per_page = paging(request.query, default=25, maximum=100)
    status = choice(request.query, "status", DIAL_STATUSES)
    campaigns = [
        c
        for c in request[ACCOUNT].dial_campaigns_newest_first()
        if status is None or c.status == status
    ]
    data, meta = paginate(campaigns, page, per_page)
    return json_response({"data": [c.to_json() for c in data], "meta": meta})


async def update_dial_campaign(request: web.Request) -> web.Response:
    campaign = _dial_campaign(request)
    _, body = await _json_body(request)
    status = body.get("status")
    if status is None:
        raise bad_parameter("status is required and must be one of: active, paused")
    if status in ("completed", "draft"):
        raise bad_parameter(
            f"status cannot be set to {status}: completed and draft are computed from lead "
            "progress; status must be one of: active, paused"
        )
    if status not in SETTABLE_STATUSES:
        raise bad_parameter("status must be one of: active, paused")
    request.app[STATE_KEY].set_status(campaign, status)
    return json_response({"data": campaign.to_json()})


async def upload_dial_campaign_data(request: web.Request) -> web.Response:
    campaign = _dial_campaign(request)
    raw, body = await _json_body(request)
    records = body.get("records")
    if not isinstance(records, list):
        raise bad_parameter("records is required and must be an array of contact objects")
    if not records:
        raise bad_parameter("records must contain at least 1 record")
    if len(records) > MAX_RECORDS:
        raise bad_parameter(
            f"records must contain at most {MAX_RECORDS} records per request, got {len(records)}"
        )
    data = request.app[STATE_KEY].upload(campaign, records, raw)
    return json_response({"data": data})


def _results_in_range(
    request: web.Request, campaign: DialCampaign
) -> tuple[list[JSONDict], DayFilter]:
    """Results whose completion day is in from..to, ascending by completion time, and the
    ``from``/``to`` range itself."""
    dates = day_filter(request.query)
    index = request.app[STATE_KEY].results(campaign)
    lo, hi = 0, len(index.rows)
    if dates.start is not None:
        lo = bisect_left(index.completed, dates.start)
    if dates.end is not None:
        hi = bisect_left(index.completed, dates.end + "U")  # "U" sorts after the "T" of any time
    return index.rows[lo:hi], dates


async def list_results(request: web.Request) -> web.Response:
    campaign = _dial_campaign(request)
    page, per_page = paging(request.query, default=50, maximum=200)
    rows, _ = _results_in_range(request, campaign)
    disposition = integer(request.query, "disposition")
    if disposition is not None:
        rows = [r for r in rows if r["disposition"]["id"] == disposition]
    rows.reverse()
    data, meta = paginate(rows, page, per_page)
    return json_response({"data": data, "meta": meta})


async def results_summary(request: web.Request) -> web.Response:
    campaign = _dial_campaign(request)
    rows, dates = _results_in_range(request, campaign)
    total = len(rows)
    contacts = talk = dial = 0
    by_disposition: Counter[int] = Counter()
    for row in rows:
        disposition = row["disposition"]
        by_disposition[disposition["id"]] += 1
        if disposition["contacted"]:
            contacts += 1
        talk += row["talk_seconds"] or 0
        dial += row["total_seconds"]
    ranked = sorted(by_disposition.items(), key=lambda kv: (-kv[1], _DISPOSITION_ORDER[kv[0]]))
    dispositions = [
        {**DISPOSITIONS[_DISPOSITION_ORDER[d]], "count": n, "percentage": round(n * 100 / total, 2)}
        for d, n in ranked
    ]
    data = {
        "total_calls": total,
        "total_contacts": contacts,
        "contact_rate": round(contacts * 100 / total, 2) if total else 0.0,
        "total_talk_seconds": talk,
        "total_dial_seconds": dial,
        "first_call_at": rows[0]["completed_at"] if rows else None,
        "last_call_at": rows[-1]["completed_at"] if rows else None,
        "date_range": dates.json(),
        "dispositions": dispositions,
    }
    return json_response({"data": data})


async def list_activity(request: web.Request) -> web.Response:
    campaign = _dial_campaign(request)
    page, per_page = paging(request.query, default=50, maximum=200)
    dates = day_filter(request.query)
    type_id = integer(request.query, "type")
    events = [
        e
        for e in campaign.activity
        if (type_id is None or e["type"]["id"] == type_id) and dates.contains(e["created_at"])
    ]
    events.sort(key=lambda e: (e["created_at"], e["activity_id"]), reverse=True)
    data, meta = paginate(events, page, per_page)
    return json_response({"data": data, "meta": meta})


# ---------------------------------------------------------------------------- SMS campaigns


async def list_sms_campaigns(request: web.Request) -> web.Response:
    page, per_page = paging(request.query, default=50, maximum=100)
    status = choice(request.query, "status", RUN_STATUSES)
    campaigns = [
        c
        for c in request[ACCOUNT].sms_campaigns_by_name()
        if status is None or any(run["status"] == status for run in c.runs)
    ]
    data, meta = paginate(campaigns, page, per_page)
    return json_response({"data": [c.to_json() for c in data], "meta": meta})


async def get_sms_campaign(request: web.Request) -> web.Response:
    return json_response({"data": _sms_campaign(request).to_json(with_template=True)})


async def list_sms_runs(request: web.Request) -> web.Response:
    campaign = _sms_campaign(request)
    page, per_page = paging(request.query, default=50, maximum=100)
    status = choice(request.query, "status", RUN_STATUSES)
    runs = [r for r in campaign.runs if status is None or r["status"] == status]
    data, meta = paginate(runs, page, per_page)
    return json_response({"data": data, "meta": meta})


async def list_sms_messages(request: web.Request) -> web.Response:
    campaign = _sms_campaign(request)
    query = request.query
    page, per_page = paging(query, default=50, maximum=200)
    dates = day_filter(query)
    run_id = integer(query, "run_id")
    status = choice(query, "status", MESSAGE_STATUSES)
    direction = choice(query, "direction", DIRECTIONS)
    messages = [
        m
        for m in campaign.messages
        if (run_id is None or m["run_id"] == run_id)
        and (status is None or m["status"] == status)
        and (direction is None or m["direction"] == direction)
        and dates.contains(m["sent_at"])
    ]
    sent = sum(1 for m in messages if m["direction"] == "sent")
    total_cost = sum((Decimal(repr(m["cost"])) for m in messages), Decimal(0))
    summary = {
        "total": len(messages),
        "sent_count": sent,
        "received_count": len(messages) - sent,
        "total_cost": float(total_cost.quantize(Decimal("0.0001"))),
    }
    data, meta = paginate(messages, page, per_page)
    return json_response({"data": data, "summary": summary, "meta": meta})


# ---------------------------------------------------------------------------- billing, account


async def billing(request: web.Request) -> web.Response:
    account = request[ACCOUNT]
    dates = day_filter(request.query)
    campaign_id = request.query.get("campaign")
    campaigns = list(account.dial_campaigns.values())
    if campaign_id is not None:
        campaign = account.dial_campaigns.get(campaign_id)
        if campaign is None:
            raise not_found("Campaign")
        campaigns = [campaign]
    rate = Decimal(repr(account.hourly_rate))
    rows: list[tuple[int, str, str, Decimal]] = []
    for c in campaigns:
        seconds = sum(s for day, s in c.usage if dates.contains(day))
        cost = (Decimal(seconds) * rate / 3600).quantize(_CENT, rounding=ROUND_HALF_UP)
        rows.append((seconds, c.name, c.id, cost))
    rows.sort(key=lambda r: (-r[0], r[1], r[2]))
    data = [
        {
            "campaign_id": cid,
            "campaign_name": name,
            "duration_seconds": seconds,
            "hourly_rate": account.hourly_rate,
            "cost": float(cost),
        }
        for seconds, name, cid, cost in rows
    ]
    summary = {
        "total_duration_seconds": sum(r[0] for r in rows),
        "total_cost": _money(sum((r[3] for r in rows), Decimal(0))),
        "date_range": dates.json(),
    }
    return json_response({"data": data, "summary": summary})


async def get_account(request: web.Request) -> web.Response:
    return json_response({"data": request[ACCOUNT].profile})


async def list_phone_numbers(request: web.Request) -> web.Response:
    numbers = request[ACCOUNT].phone_numbers
    return json_response({"data": numbers, "meta": {"total": len(numbers)}})


# ---------------------------------------------------------------------------- emulator control


async def get_counters(request: web.Request) -> web.Response:
    return json_response(request.app[STATE_KEY].counters.as_dict())


async def reset_counters(request: web.Request) -> web.Response:
    counters = request.app[STATE_KEY].counters
    counters.reset()
    return json_response(counters.as_dict())


def create_app(
    state: EmulatorState | None = None,
    *,
    seed: int = 0,
    results_per_campaign: int = 200,
    faults: Faults | None = None,
    keep_records: bool = True,
    body_timeout: float = DEFAULT_BODY_TIMEOUT,
) -> web.Application:
    """The emulator as an ``aiohttp.web.Application``, to run or mount yourself.

    Pass a ready :class:`EmulatorState`, or the arguments to build one. A request body that
    takes longer than ``body_timeout`` seconds to arrive is answered 408. (Requests aiohttp
    cannot parse get the API's JSON error only when served by :class:`Emulator`.)
    """
    body_timeout = check_timeout("body_timeout", body_timeout)
    if state is None:
        state = EmulatorState(
            seed=seed,
            results_per_campaign=results_per_campaign,
            faults=faults,
            keep_records=keep_records,
        )
    app = web.Application(middlewares=[outer, faults_middleware, auth], client_max_size=_MAX_BODY)
    app[STATE_KEY] = state
    app[BODY_TIMEOUT] = body_timeout
    app.router.add_routes(
        [
            web.get("/v1/dial-campaigns", list_dial_campaigns),
            web.patch("/v1/dial-campaigns/{id}", update_dial_campaign),
            web.post("/v1/dial-campaigns/{id}/data", upload_dial_campaign_data),
            web.get("/v1/dial-campaigns/{id}/results", list_results),
            web.get("/v1/dial-campaigns/{id}/results/summary", results_summary),
            web.get("/v1/dial-campaigns/{id}/activity", list_activity),
            web.get("/v1/sms-campaigns", list_sms_campaigns),
            web.get("/v1/sms-campaigns/{id}", get_sms_campaign),
            web.get("/v1/sms-campaigns/{id}/runs", list_sms_runs),
            web.get("/v1/sms-campaigns/{id}/messages", list_sms_messages),
            web.get("/v1/billing", billing),
            web.get("/v1/account", get_account),
            web.get("/v1/account/phone-numbers", list_phone_numbers),
            web.get("/_emulator/counters", get_counters),
            web.post("/_emulator/counters/reset", reset_counters),
        ]
    )
    return app
