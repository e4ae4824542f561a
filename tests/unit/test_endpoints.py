"""Each of the 13 endpoints: the exact request sent and the model decoded from a response
shaped like the API reference."""

from __future__ import annotations

import datetime as dt
import platform
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import aiohttp
import pytest

from freestyle_async._client import AsyncFreestyle
from freestyle_async._version import __version__
from freestyle_async.errors import ValidationError
from freestyle_async.models import ActivityType, CampaignStatus, Contact, Page, RunStatus

from . import payloads as p
from .support import API_KEY, BASE_URL, RecordingMock, assert_key_sent, assert_same

Call = Callable[[AsyncFreestyle], Awaitable[Any]]
CID = p.CAMPAIGN_ID
SID = p.SMS_CAMPAIGN_ID


@dataclass(frozen=True)
class Case:
    name: str
    call: Call
    method: str
    path: str
    query: str
    body: Any  # the JSON body expected on the wire, or None for no body
    response: dict[str, Any]
    expected: Any


UPLOAD_RECORDS: list[Any] = [
    {"phone1": "4165550100", "account_name": "Jane Doe", "amount": 12.34},
    Contact(
        phone1="4165550101",
        account_id="ACC-2",
        amount=Decimal("99.95"),
        dob=dt.date(1980, 1, 2),
        timezone_id=5,
    ),
]
UPLOAD_BODY = {
    "records": [
        {"phone1": "4165550100", "account_name": "Jane Doe", "amount": 12.34},
        {
            "phone1": "4165550101",
            "account_id": "ACC-2",
            "dob": "1980-01-02",
            "amount": 99.95,
            "timezone_id": 5,
        },
    ]
}

CASES = [
    Case(
        "dial_campaigns.list",
        lambda fs: fs.dial_campaigns.list(status="active", per_page=25).first_page(),
        "GET",
        "/dial-campaigns",
        "status=active&page=1&per_page=25",
        None,
        {"data": [p.DIAL_CAMPAIGN, p.DIAL_CAMPAIGN_2], "meta": p.meta(total=8)},
        Page(data=[p.DIAL_CAMPAIGN_MODEL, p.DIAL_CAMPAIGN_2_MODEL], meta=p.meta_model(total=8)),
    ),
    Case(
        "dial_campaigns.update_status",
        lambda fs: fs.dial_campaigns.update_status(CID, "paused"),
        "PATCH",
        f"/dial-campaigns/{CID}",
        "",
        {"status": "paused"},
        {"data": p.PAUSED_CAMPAIGN},
        p.PAUSED_CAMPAIGN_MODEL,
    ),
    Case(
        "dial_campaigns.start",
        lambda fs: fs.dial_campaigns.start(CID),
        "PATCH",
        f"/dial-campaigns/{CID}",
        "",
        {"status": "active"},
        {"data": p.DIAL_CAMPAIGN},
        p.DIAL_CAMPAIGN_MODEL,
    ),
    Case(
        "dial_campaigns.pause",
        lambda fs: fs.dial_campaigns.pause(CID),
        "PATCH",
        f"/dial-campaigns/{CID}",
        "",
        {"status": "paused"},
        {"data": p.PAUSED_CAMPAIGN},
        p.PAUSED_CAMPAIGN_MODEL,
    ),
    Case(
        "dial_campaigns.upload_data",
        lambda fs: fs.dial_campaigns.upload_data(CID, UPLOAD_RECORDS),
        "POST",
        f"/dial-campaigns/{CID}/data",
        "",
        UPLOAD_BODY,
        p.UPLOAD_RESPONSE,
        p.UPLOAD_MODEL,
    ),
    Case(
        "dial_campaigns.list_results",
        lambda fs: fs.dial_campaigns.list_results(
            CID, from_=dt.date(2026, 5, 1), to="2026-05-31", disposition=3, per_page=50
        ).first_page(),
        "GET",
        f"/dial-campaigns/{CID}/results",
        "from=2026-05-01&to=2026-05-31&disposition=3&page=1&per_page=50",
        None,
        {"data": [p.CALL_RESULT, p.CALL_RESULT_NO_ANSWER], "meta": p.meta(per_page=50)},
        Page(
            data=[p.CALL_RESULT_MODEL, p.CALL_RESULT_NO_ANSWER_MODEL],
            meta=p.meta_model(per_page=50),
        ),
    ),
    Case(
        "dial_campaigns.results_summary",
        lambda fs: fs.dial_campaigns.results_summary(
            CID, from_="2026-05-01", to=dt.date(2026, 5, 31)
        ),
        "GET",
        f"/dial-campaigns/{CID}/results/summary",
        "from=2026-05-01&to=2026-05-31",
        None,
        {"data": p.RESULTS_SUMMARY},
        p.RESULTS_SUMMARY_MODEL,
    ),
    Case(
        "dial_campaigns.list_activity",
        lambda fs: fs.dial_campaigns.list_activity(
            CID, from_="2026-04-01", to="2026-05-31", type=ActivityType.RECORDS_IMPORTED, per_page=4
        ).first_page(),
        "GET",
        f"/dial-campaigns/{CID}/activity",
        "from=2026-04-01&to=2026-05-31&type=1&page=1&per_page=4",
        None,
        {"data": p.ACTIVITY, "meta": p.meta(per_page=4, total=4)},
        Page(data=p.ACTIVITY_MODELS, meta=p.meta_model(per_page=4, total=4)),
    ),
    Case(
        "sms_campaigns.list",
        lambda fs: fs.sms_campaigns.list(status=RunStatus.RUNNING, per_page=10).first_page(),
        "GET",
        "/sms-campaigns",
        "status=running&page=1&per_page=10",
        None,
        {"data": [p.SMS_CAMPAIGN, p.SMS_CAMPAIGN_2], "meta": p.meta(per_page=10)},
        Page(data=[p.SMS_CAMPAIGN_MODEL, p.SMS_CAMPAIGN_2_MODEL], meta=p.meta_model(per_page=10)),
    ),
    Case(
        "sms_campaigns.get",
        lambda fs: fs.sms_campaigns.get(SID),
        "GET",
        f"/sms-campaigns/{SID}",
        "",
        None,
        {"data": p.SMS_CAMPAIGN_FULL},
        p.SMS_CAMPAIGN_FULL_MODEL,
    ),
    Case(
        "sms_campaigns.list_runs",
        lambda fs: fs.sms_campaigns.list_runs(SID, status="completed", per_page=2).first_page(),
        "GET",
        f"/sms-campaigns/{SID}/runs",
        "status=completed&page=1&per_page=2",
        None,
        {"data": p.SMS_RUNS, "meta": p.meta(per_page=2)},
        Page(data=p.SMS_RUN_MODELS, meta=p.meta_model(per_page=2)),
    ),
    Case(
        "sms_campaigns.list_messages",
        lambda fs: fs.sms_campaigns.list_messages(
            SID,
            from_=dt.date(2026, 5, 1),
            to="2026-05-31",
            run_id=77,
            status="delivered",
            direction="sent",
            per_page=3,
        ).first_page(),
        "GET",
        f"/sms-campaigns/{SID}/messages",
        "from=2026-05-01&to=2026-05-31&run_id=77&status=delivered&direction=sent&page=1&per_page=3",
        None,
        {"data": p.SMS_MESSAGES, "summary": p.MESSAGE_SUMMARY, "meta": p.meta(per_page=3, total=3)},
        Page(
            data=p.SMS_MESSAGE_MODELS,
            meta=p.meta_model(per_page=3, total=3),
            summary=p.MESSAGE_SUMMARY_MODEL,
        ),
    ),
    Case(
        "billing.usage",
        lambda fs: fs.billing.usage(from_=dt.date(2026, 5, 1), to="2026-05-31", campaign=CID),
        "GET",
        "/billing",
        f"from=2026-05-01&to=2026-05-31&campaign={CID}",
        None,
        p.BILLING,
        p.BILLING_MODEL,
    ),
    Case(
        "account.get",
        lambda fs: fs.account.get(),
        "GET",
        "/account",
        "",
        None,
        {"data": p.ACCOUNT},
        p.ACCOUNT_MODEL,
    ),
    Case(
        "account.phone_numbers",
        lambda fs: fs.account.phone_numbers(),
        "GET",
        "/account/phone-numbers",
        "",
        None,
        p.PHONE_NUMBERS,
        p.PHONE_NUMBER_MODELS,
    ),
]


def without_key(headers: Mapping[str, str]) -> dict[str, str]:
    """The headers with the key's value masked, so a failing comparison never prints it."""
    return {k: "<key>" if k == "X-API-Key" else v for k, v in headers.items()}


def full_url(path: str, query: str = "") -> str:
    return BASE_URL + path + (f"?{query}" if query else "")


def any_query(path: str) -> re.Pattern[str]:
    """Matches ``path`` with any query string."""
    return re.compile(re.escape(full_url(path)) + r"(\?.*)?$")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
async def test_request_shape_and_decoded_model(
    case: Case, client: AsyncFreestyle, mocked: RecordingMock
) -> None:
    url = full_url(case.path, case.query)
    mocked.add(url, method=case.method, payload=case.response)

    result = await case.call(client)

    assert len(mocked.sent) == 1
    sent = mocked.sent[0]
    assert sent.method == case.method
    assert sent.url == url
    assert sent.wire_url.raw_path == "/v1" + case.path
    assert sent.wire_url.query_string == case.query
    expected_headers = {
        "X-API-Key": API_KEY,
        "Accept": "application/json",
        "User-Agent": f"freestyle-async/{__version__} Python/{platform.python_version()} "
        f"aiohttp/{aiohttp.__version__}",
    }
    if case.body is not None:
        expected_headers["Content-Type"] = "application/json"
    assert_key_sent(sent, API_KEY)
    assert without_key(sent.headers) == without_key(expected_headers)
    if case.body is None:
        assert sent.body is None
    else:
        assert sent.json() == case.body
    assert_same(result, case.expected)


def test_every_endpoint_has_a_case() -> None:
    covered = {c.name for c in CASES}
    assert len(covered) == 15  # 13 endpoints; the status PATCH has three faces
    for resource, names in {
        "dial_campaigns": [
            "list",
            "update_status",
            "start",
            "pause",
            "upload_data",
            "list_results",
            "results_summary",
            "list_activity",
        ],
        "sms_campaigns": ["list", "get", "list_runs", "list_messages"],
        "billing": ["usage"],
        "account": ["get", "phone_numbers"],
    }.items():
        assert {f"{resource}.{n}" for n in names} <= covered


async def test_empty_summary_decodes_nulls(client: AsyncFreestyle, mocked: RecordingMock) -> None:
    mocked.get(
        full_url(f"/dial-campaigns/{CID}/results/summary"),
        payload={"data": p.EMPTY_RESULTS_SUMMARY},
    )
    assert_same(await client.dial_campaigns.results_summary(CID), p.EMPTY_RESULTS_SUMMARY_MODEL)


@pytest.mark.parametrize(
    ("envelope", "summary"),
    [
        pytest.param({"data": {"inserted": 3, "skipped": 0}}, (3, 0, None, {}), id="under-data"),
        pytest.param(
            {"inserted": 1, "skipped": 2, "total_leads": 9, "note": "x"},
            (1, 2, 9, {"note": "x"}),
            id="bare",
        ),
    ],
)
async def test_upload_summary_envelopes(
    envelope: dict[str, Any],
    summary: tuple[int, int, int | None, dict[str, Any]],
    client: AsyncFreestyle,
    mocked: RecordingMock,
) -> None:
    mocked.post(full_url(f"/dial-campaigns/{CID}/data"), payload=envelope)
    result = await client.dial_campaigns.upload_data(CID, [{"phone1": "4165550100"}])
    assert (result.inserted, result.skipped, result.total_leads, dict(result.extra)) == summary


async def test_a_refusal_whose_index_is_not_an_index_names_no_record(
    client: AsyncFreestyle, mocked: RecordingMock
) -> None:
    """JSON's true is an int to Python: it must not name the record at index 1."""
    errors = [
        {"index": True, "field": "phone1", "reason": "bogus"},
        {"index": 0, "field": "phone1", "reason": "invalid"},
    ]
    mocked.post(
        full_url(f"/dial-campaigns/{CID}/data"),
        payload={"data": {"inserted": 1, "skipped": 1, "errors": errors}},
    )
    records = [{"phone1": "4165550100"}, {"phone1": "4165550101"}]
    report = await client.dial_campaigns.upload_leads(CID, records)
    assert [(issue.index, issue.reason) for issue in report.refused_by_server] == [(0, "invalid")]


# --------------------------------------------------------------------------- query arguments
DatedCall = Callable[[AsyncFreestyle, Any, Any], Awaitable[Any]]
DATED: list[tuple[str, DatedCall, str, dict[str, Any]]] = [
    (
        "list_results",
        lambda fs, f, t: fs.dial_campaigns.list_results(CID, from_=f, to=t).first_page(),
        f"/dial-campaigns/{CID}/results",
        {"data": [], "meta": p.meta(total=0, total_pages=0)},
    ),
    (
        "results_summary",
        lambda fs, f, t: fs.dial_campaigns.results_summary(CID, from_=f, to=t),
        f"/dial-campaigns/{CID}/results/summary",
        {"data": p.EMPTY_RESULTS_SUMMARY},
    ),
    (
        "list_activity",
        lambda fs, f, t: fs.dial_campaigns.list_activity(CID, from_=f, to=t).first_page(),
        f"/dial-campaigns/{CID}/activity",
        {"data": [], "meta": p.meta(total=0, total_pages=0)},
    ),
    (
        "list_messages",
        lambda fs, f, t: fs.sms_campaigns.list_messages(SID, from_=f, to=t).first_page(),
        f"/sms-campaigns/{SID}/messages",
        {"data": [], "meta": p.meta(total=0, total_pages=0), "summary": p.MESSAGE_SUMMARY},
    ),
    (
        "billing.usage",
        lambda fs, f, t: fs.billing.usage(from_=f, to=t),
        "/billing",
        {"data": [], "summary": {"total_duration_seconds": 0, "total_cost": 0}},
    ),
]


@pytest.mark.parametrize(("name", "call", "path", "response"), DATED, ids=[d[0] for d in DATED])
@pytest.mark.parametrize(
    ("from_", "to"),
    [
        pytest.param(dt.date(2026, 2, 1), dt.date(2026, 2, 28), id="date"),
        pytest.param("2026-02-01", "2026-02-28", id="string"),
        pytest.param(dt.date(2026, 2, 1), "2026-02-28", id="mixed"),
    ],
)
async def test_dates_sent_as_from_and_to(
    name: str,
    call: DatedCall,
    path: str,
    response: dict[str, Any],
    from_: Any,
    to: Any,
    client: AsyncFreestyle,
    mocked: RecordingMock,
) -> None:
    mocked.get(any_query(path), payload=response)
    await call(client, from_, to)
    query = mocked.sent[0].wire_url.query
    assert query["from"] == "2026-02-01"
    assert query["to"] == "2026-02-28"
    assert "from_" not in query


@pytest.mark.parametrize(("name", "call", "path", "response"), DATED, ids=[d[0] for d in DATED])
@pytest.mark.parametrize(
    ("from_", "to"),
    [
        pytest.param("2026/05/01", None, id="slashes"),
        pytest.param("2026-5-1", None, id="unpadded"),
        pytest.param("2026-13-01", None, id="month-13"),
        pytest.param(None, "2026-02-30", id="feb-30"),
        pytest.param("01-05-2026", None, id="day-first"),
        pytest.param("", None, id="empty"),
        pytest.param("2026-05-01T00:00:00", None, id="timestamp-string"),
        pytest.param(dt.datetime(2026, 5, 1, tzinfo=dt.UTC), None, id="datetime"),
        pytest.param(20260501, None, id="int"),
        pytest.param(None, "2026-05-01 ", id="trailing-space"),
        pytest.param("2026-05-31", "2026-05-01", id="from-after-to"),
    ],
)
async def test_bad_dates_refused_before_any_request(
    name: str,
    call: DatedCall,
    path: str,
    response: dict[str, Any],
    from_: Any,
    to: Any,
    client: AsyncFreestyle,
    mocked: RecordingMock,
) -> None:
    with pytest.raises(ValidationError):
        await call(client, from_, to)
    assert mocked.sent == []


@pytest.mark.parametrize(
    ("call", "query"),
    [
        pytest.param(
            lambda fs: fs.dial_campaigns.list_activity(CID, type=4),
            "type=4&page=1",
            id="activity-type-int",
        ),
        pytest.param(
            lambda fs: fs.dial_campaigns.list_activity(CID, type=ActivityType.CAMPAIGN_STOPPED),
            "type=2&page=1",
            id="activity-type-enum",
        ),
        pytest.param(
            lambda fs: fs.dial_campaigns.list(status=CampaignStatus.DRAFT),
            "status=draft&page=1",
            id="campaign-status-enum",
        ),
        pytest.param(
            lambda fs: fs.sms_campaigns.list_messages(SID, direction="received"),
            "direction=received&page=1",
            id="direction",
        ),
        pytest.param(
            lambda fs: fs.sms_campaigns.list_messages(SID, status="undelivered"),
            "status=undelivered&page=1",
            id="twilio-status",
        ),
        pytest.param(
            lambda fs: fs.dial_campaigns.list_results(CID, page=3, per_page=200),
            "page=3&per_page=200",
            id="page-and-max-per-page",
        ),
    ],
)
async def test_filter_query(
    call: Callable[[AsyncFreestyle], Any],
    query: str,
    client: AsyncFreestyle,
    mocked: RecordingMock,
) -> None:
    empty = {"data": [], "meta": p.meta(total=0, total_pages=0), "summary": p.MESSAGE_SUMMARY}
    mocked.get(re.compile(r".*"), payload=empty)
    await call(client).first_page()
    sent_url = mocked.sent[0].wire_url
    assert sent_url.query_string == query


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda fs: fs.dial_campaigns.list(status="running"), id="dial-status"),
        pytest.param(lambda fs: fs.dial_campaigns.list(per_page=101), id="dial-per-page"),
        pytest.param(lambda fs: fs.dial_campaigns.list(per_page=0), id="per-page-zero"),
        pytest.param(lambda fs: fs.dial_campaigns.list(page=0), id="page-zero"),
        pytest.param(lambda fs: fs.dial_campaigns.list(page=True), id="page-bool"),
        pytest.param(
            lambda fs: fs.dial_campaigns.list_results(CID, per_page=201), id="results-per-page"
        ),
        pytest.param(
            lambda fs: fs.dial_campaigns.list_results(CID, disposition="3"), id="disposition-str"
        ),
        pytest.param(lambda fs: fs.dial_campaigns.list_activity(CID, type=0), id="activity-type-0"),
        pytest.param(lambda fs: fs.sms_campaigns.list(status="active"), id="sms-status"),
        pytest.param(lambda fs: fs.sms_campaigns.list_runs(SID, per_page=101), id="runs-per-page"),
        pytest.param(
            lambda fs: fs.sms_campaigns.list_messages(SID, direction="both"), id="direction"
        ),
        pytest.param(lambda fs: fs.sms_campaigns.list_messages(SID, run_id="7"), id="run-id-str"),
        pytest.param(
            lambda fs: fs.dial_campaigns.update_status(CID, "completed"), id="status-completed"
        ),
        pytest.param(lambda fs: fs.dial_campaigns.update_status(CID, "draft"), id="status-draft"),
        pytest.param(lambda fs: fs.dial_campaigns.upload_data(CID, []), id="upload-empty"),
        pytest.param(
            lambda fs: fs.dial_campaigns.upload_data(CID, [{"phone1": "4165550100"}] * 1001),
            id="upload-1001",
        ),
        pytest.param(
            lambda fs: fs.dial_campaigns.upload_data(CID, ["4165550100"]), id="upload-str-record"
        ),
    ],
)
async def test_bad_arguments_refused_before_any_request(
    call: Callable[[AsyncFreestyle], Any], client: AsyncFreestyle, mocked: RecordingMock
) -> None:
    with pytest.raises(ValidationError):
        result = call(client)
        if hasattr(result, "first_page"):
            result = result.first_page()
        await result
    assert mocked.sent == []


async def test_upload_data_stops_reading_one_past_the_limit(
    client: AsyncFreestyle, mocked: RecordingMock
) -> None:
    """A generator of a million records is refused after 1,001 are read, not read whole."""
    pulled: list[int] = []

    def records() -> Any:
        for i in range(1_000_000):
            pulled.append(i)
            yield {"phone1": f"416{i:07d}"}

    with pytest.raises(ValidationError, match="more than 1000 records in one upload_data call"):
        await client.dial_campaigns.upload_data(CID, records())
    assert len(pulled) == 1_001 and mocked.sent == []
