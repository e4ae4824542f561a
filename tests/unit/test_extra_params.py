"""Extra and default headers, query parameters and body fields: what goes on the wire, what is
refused before anything is sent, and that their values never show in reprs, errors or logs."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any

import pytest

from freestyle_async._client import AsyncFreestyle
from freestyle_async.errors import ValidationError
from freestyle_async.models import CampaignStatus, RunStatus

from . import payloads as p
from .support import BASE_URL, ClientFactory, RecordingMock, assert_key_sent
from .test_endpoints import CASES, UPLOAD_RECORDS, Case, full_url

CID = p.CAMPAIGN_ID
SID = p.SMS_CAMPAIGN_ID
SECRET = "s3cr3t-t0ken-98f1c2"  # a value a caller might put in a header; must never show

ExtrasCall = Callable[..., Awaitable[Any]]

# Each endpoint method, called as its case in test_endpoints does, plus the caller's extras.
CALLS: dict[str, ExtrasCall] = {
    "dial_campaigns.list": lambda fs, **x: fs.dial_campaigns.list(
        status="active", per_page=25, **x
    ).first_page(),
    "dial_campaigns.update_status": lambda fs, **x: fs.dial_campaigns.update_status(
        CID, "paused", **x
    ),
    "dial_campaigns.start": lambda fs, **x: fs.dial_campaigns.start(CID, **x),
    "dial_campaigns.pause": lambda fs, **x: fs.dial_campaigns.pause(CID, **x),
    "dial_campaigns.upload_data": lambda fs, **x: fs.dial_campaigns.upload_data(
        CID, UPLOAD_RECORDS, **x
    ),
    "dial_campaigns.list_results": lambda fs, **x: fs.dial_campaigns.list_results(
        CID, from_=dt.date(2026, 5, 1), to="2026-05-31", disposition=3, per_page=50, **x
    ).first_page(),
    "dial_campaigns.results_summary": lambda fs, **x: fs.dial_campaigns.results_summary(
        CID, from_="2026-05-01", to=dt.date(2026, 5, 31), **x
    ),
    "dial_campaigns.list_activity": lambda fs, **x: fs.dial_campaigns.list_activity(
        CID, from_="2026-04-01", to="2026-05-31", type=1, per_page=4, **x
    ).first_page(),
    "sms_campaigns.list": lambda fs, **x: fs.sms_campaigns.list(
        status=RunStatus.RUNNING, per_page=10, **x
    ).first_page(),
    "sms_campaigns.get": lambda fs, **x: fs.sms_campaigns.get(SID, **x),
    "sms_campaigns.list_runs": lambda fs, **x: fs.sms_campaigns.list_runs(
        SID, status="completed", per_page=2, **x
    ).first_page(),
    "sms_campaigns.list_messages": lambda fs, **x: fs.sms_campaigns.list_messages(
        SID,
        from_=dt.date(2026, 5, 1),
        to="2026-05-31",
        run_id=77,
        status="delivered",
        direction="sent",
        per_page=3,
        **x,
    ).first_page(),
    "billing.usage": lambda fs, **x: fs.billing.usage(
        from_=dt.date(2026, 5, 1), to="2026-05-31", campaign=CID, **x
    ),
    "account.get": lambda fs, **x: fs.account.get(**x),
    "account.phone_numbers": lambda fs, **x: fs.account.phone_numbers(**x),
}
WRITES = [c for c in CASES if c.body is not None]


def _nested(depth: int) -> dict[str, Any]:
    root: dict[str, Any] = {}
    node = root
    for _ in range(depth):
        node["a"] = node = {}
    return root


def _joined(*parts: str) -> str:
    return "&".join(part for part in parts if part)


def _any_query(path: str) -> re.Pattern[str]:
    return re.compile(re.escape(full_url(path)) + r"(\?.*)?$")


def test_every_endpoint_is_called_here() -> None:
    assert set(CALLS) == {c.name for c in CASES}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
async def test_every_endpoint_sends_extra_headers_and_query(
    case: Case, client: AsyncFreestyle, mocked: RecordingMock
) -> None:
    query = _joined(case.query, "beta=on&since=2026-05-01")
    mocked.add(full_url(case.path, query), method=case.method, payload=case.response)

    await CALLS[case.name](
        client,
        extra_headers={"X-Early-Access": "dialer-v2"},
        extra_query={"beta": "on", "since": dt.date(2026, 5, 1)},
    )

    [sent] = mocked.sent
    assert sent.wire_url.query_string == query  # the SDK's own parameters first, unchanged
    assert sent.headers["X-Early-Access"] == "dialer-v2"
    assert_key_sent(sent, client._options.api_key.value)
    assert sent.headers["Accept"] == "application/json"
    if case.body is not None:
        assert sent.json() == case.body  # no extra_body: the body is the SDK's alone


@pytest.mark.parametrize("case", WRITES, ids=[c.name for c in WRITES])
async def test_write_endpoints_add_extra_body_fields(
    case: Case, client: AsyncFreestyle, mocked: RecordingMock
) -> None:
    mocked.add(full_url(case.path), method=case.method, payload=case.response)
    extra = {"dry_run": True, "note": {"source": "crm", "ids": [1, 2]}}

    await CALLS[case.name](client, extra_body=extra)

    assert mocked.sent[0].json() == {**case.body, **extra}
    assert mocked.sent[0].headers["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    ("name", "field"),
    [
        ("dial_campaigns.update_status", "status"),
        ("dial_campaigns.pause", "status"),
        ("dial_campaigns.upload_data", "records"),
    ],
)
async def test_extra_body_cannot_replace_the_calls_own_fields(
    name: str, field: str, client: AsyncFreestyle, mocked: RecordingMock
) -> None:
    with pytest.raises(ValidationError, match=rf"extra_body\['{field}'\]: this call sets"):
        await CALLS[name](client, extra_body={field: "active"})
    assert mocked.sent == []


async def test_a_decimal_that_a_double_holds_goes_out_as_that_number(
    client: AsyncFreestyle, mocked: RecordingMock
) -> None:
    case = next(c for c in CASES if c.name == "dial_campaigns.pause")
    mocked.add(full_url(case.path), method=case.method, payload=case.response)
    amounts = {"rate": Decimal("12.50"), "count": Decimal("5"), "tiny": Decimal("0.1")}
    await client.dial_campaigns.pause(CID, extra_body=amounts)
    assert mocked.sent[0].json() == {**case.body, "rate": 12.5, "count": 5, "tiny": 0.1}


@pytest.mark.parametrize(
    ("extra", "problem"),
    [
        ({"when": object()}, "cannot be encoded as JSON"),
        ({"n": float("nan")}, "cannot be encoded as JSON"),
        (_nested(100_000), "cannot be encoded as JSON"),
        # A Decimal a double cannot hold is refused, not rounded (nor int() for ever).
        ({"amount": Decimal("12345678901234567.89")}, "cannot be sent exactly"),
        ({"amount": Decimal("1E+999999999")}, "cannot be sent exactly"),
        ({"amount": Decimal("9007199254740993")}, "cannot be sent exactly"),
        ({1: "x"}, "field names must be str"),
        (["not", "a", "mapping"], "must be a mapping"),
    ],
)
async def test_a_bad_extra_body_is_refused_before_sending(
    extra: Any, problem: str, client: AsyncFreestyle, mocked: RecordingMock
) -> None:
    with pytest.raises(ValidationError, match=problem):
        await client.dial_campaigns.pause(CID, extra_body=extra)
    assert mocked.sent == []


@pytest.mark.parametrize(
    "name",
    ["X-API-Key", "x-api-key", "Content-Type", "accept", "Content-Length", "Host",
     "Transfer-Encoding"],
)  # fmt: skip
async def test_the_sdks_own_headers_cannot_be_replaced(
    name: str, make_client: ClientFactory, mocked: RecordingMock
) -> None:
    client = make_client()
    with pytest.raises(ValidationError, match="is set by the SDK and cannot be replaced"):
        await client.account.get(extra_headers={name: SECRET})
    with pytest.raises(ValidationError, match="is set by the SDK and cannot be replaced"):
        make_client(default_headers={name: SECRET})
    with pytest.raises(ValidationError, match="is set by the SDK and cannot be replaced"):
        client.with_options(default_headers={name: SECRET})
    assert mocked.sent == []


@pytest.mark.parametrize(
    "value",
    [f"{SECRET}\r\nX-Injected: 1", f"{SECRET}\n", f"\r{SECRET}", f"{SECRET}\x00", f"{SECRET}\x7f",
     f"{SECRET}\t"],
)  # fmt: skip
async def test_header_values_with_control_characters_are_refused_unquoted(
    value: str, make_client: ClientFactory, mocked: RecordingMock
) -> None:
    client = make_client()
    with pytest.raises(ValidationError, match="control character") as info:
        await client.account.get(extra_headers={"X-Token": value})
    assert SECRET not in str(info.value)
    with pytest.raises(ValidationError, match="control character") as info:
        make_client(default_headers={"X-Token": value})
    assert SECRET not in str(info.value)
    with pytest.raises(ValidationError, match="control character"):
        client.dial_campaigns.list(extra_headers={"X-Token": value})  # refused at once
    assert mocked.sent == []


@pytest.mark.parametrize(
    ("headers", "problem"),
    [
        ({"X Bad": "1"}, "not a valid HTTP header name"),
        ({"X-Bad:": "1"}, "not a valid HTTP header name"),
        ({"": "1"}, "not a valid HTTP header name"),
        ({"X-Bad\r\nHost": "1"}, "not a valid HTTP header name"),
        ({"X-Naïve": "1"}, "not a valid HTTP header name"),
        ({7: "1"}, "not a valid HTTP header name"),
        ({"X-Num": 1}, "must be a str, got int"),
        ({"X-A": "1", "x-a": "2"}, "is given twice"),
        ("X-A: 1", "must be a mapping"),
    ],
)
async def test_bad_header_names_and_values_are_refused(
    headers: Any, problem: str, client: AsyncFreestyle, mocked: RecordingMock
) -> None:
    with pytest.raises(ValidationError, match=problem):
        await client.account.get(extra_headers=headers)
    assert mocked.sent == []


async def test_defaults_go_with_every_call_and_a_calls_extras_win(
    make_client: ClientFactory, mocked: RecordingMock
) -> None:
    client = make_client(
        default_headers={"X-Tenant": "acme", "X-Trace": "t-1", "user-agent": "acme-crm/3.1"},
        default_query={"beta": "on", "region": "ca"},
    )
    mocked.get(_any_query("/account"), payload={"data": p.ACCOUNT}, repeat=True)

    await client.account.get()
    await client.account.get(
        extra_headers={"x-trace": "t-2", "X-Tenant": None}, extra_query={"region": "us"}
    )

    first, second = mocked.sent
    assert first.wire_url.query_string == "beta=on&region=ca"
    assert {k: first.headers[k] for k in ("X-Tenant", "X-Trace")} == {
        "X-Tenant": "acme",
        "X-Trace": "t-1",
    }
    # User-Agent is the one SDK header a caller may set (names compared ignoring case).
    assert [v for k, v in first.headers.items() if k.lower() == "user-agent"] == ["acme-crm/3.1"]
    assert second.wire_url.query_string == "beta=on&region=us"
    assert "X-Tenant" not in second.headers  # None drops a default for one call
    assert second.headers["x-trace"] == "t-2" and "X-Trace" not in second.headers
    for sent in (first, second):
        assert_key_sent(sent, client._options.api_key.value)
        assert sent.headers["Accept"] == "application/json"


async def test_a_default_query_parameter_yields_to_the_calls_own(
    make_client: ClientFactory, mocked: RecordingMock
) -> None:
    client = make_client(default_query={"status": "paused", "page": "9", "beta": "on"})
    mocked.get(_any_query("/dial-campaigns"), payload={"data": [], "meta": p.meta()}, repeat=True)

    await client.dial_campaigns.list(status="active").first_page()
    await client.dial_campaigns.list().first_page()

    first, second = (s.wire_url.query for s in mocked.sent)
    assert (first["status"], first["page"], first["beta"]) == ("active", "1", "on")
    assert (second["status"], second["page"]) == ("paused", "1")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"timeout": -1}, "Timeout.total must be a positive number"),
        ({"timeout": "x"}, "timeout must be a number of seconds or a Timeout"),
        ({"max_retries": -1}, "max_retries must be a whole number >= 0"),
    ],
)
def test_a_lists_call_options_are_checked_when_it_is_made(
    client: AsyncFreestyle, mocked: RecordingMock, options: dict[str, Any], message: str
) -> None:
    """As its extras are: not on the first page, after the caller has moved on."""
    lists: list[Callable[[], object]] = [
        lambda: client.dial_campaigns.list(**options),
        lambda: client.dial_campaigns.list_results(CID, **options),
        lambda: client.dial_campaigns.list_activity(CID, **options),
        lambda: client.sms_campaigns.list(**options),
        lambda: client.sms_campaigns.list_runs(SID, **options),
        lambda: client.sms_campaigns.list_messages(SID, **options),
    ]
    for make in lists:
        with pytest.raises(ValidationError, match=message):
            make()
    assert mocked.sent == []


async def test_extra_query_cannot_replace_a_parameter_the_call_sets(
    client: AsyncFreestyle, mocked: RecordingMock
) -> None:
    with pytest.raises(ValidationError, match=r"extra_query\['page'\]: this call sets 'page'"):
        client.dial_campaigns.list(extra_query={"page": 3})
    with pytest.raises(ValidationError, match=r"extra_query\['status'\]"):
        client.dial_campaigns.list(status="active", extra_query={"status": "archived"})
    with pytest.raises(ValidationError, match=r"extra_query\['from'\]"):
        await client.billing.usage(from_="2026-05-01", extra_query={"from": "2026-04-01"})
    with pytest.raises(ValidationError, match=r"extra_query\['per_page'\]"):
        client.sms_campaigns.list_runs(SID, extra_query={"per_page": 1})
    assert mocked.sent == []


async def test_extra_query_may_send_a_filter_value_the_sdk_does_not_know_yet(
    client: AsyncFreestyle, mocked: RecordingMock
) -> None:
    # status="archived" is refused by the SDK's own argument (not a known status); the API in
    # early access may take it, and extra_query is the way to send it anyway.
    with pytest.raises(ValidationError, match="status must be one of"):
        client.dial_campaigns.list(status="archived")
    mocked.get(_any_query("/dial-campaigns"), payload={"data": [], "meta": p.meta()})

    await client.dial_campaigns.list(extra_query={"status": "archived"}).first_page()

    assert mocked.sent[0].wire_url.query_string == "page=1&status=archived"


@pytest.mark.parametrize(
    ("value", "wire"),
    [
        ("a b&c=d/é", "a+b%26c%3Dd%2F%C3%A9"),
        (42, "42"),
        (2.5, "2.5"),
        (dt.date(2026, 5, 1), "2026-05-01"),
        (CampaignStatus.ACTIVE, "active"),
    ],
)
async def test_extra_query_values_are_encoded_like_the_sdks_own(
    value: object, wire: str, client: AsyncFreestyle, mocked: RecordingMock
) -> None:
    mocked.get(_any_query("/account"), payload={"data": p.ACCOUNT})
    await client.account.get(extra_query={"x": value, "skipped": None})
    assert mocked.sent[0].url == f"{BASE_URL}/account?x={wire}"


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ({"flag": True}, "is a bool"),
        ({"ids": [1, 2]}, "must be a str, int, float, date or enum, got list"),
        ({"at": dt.datetime(2026, 5, 1)}, "got datetime"),
        ({"x": "a\r\nb"}, "control character"),
        ({"": "1"}, "not a valid query parameter name"),
        ({"a\nb": "1"}, "not a valid query parameter name"),
        ("beta=on", "must be a mapping"),
    ],
)
async def test_bad_extra_query_values_are_refused(
    query: Any, problem: str, make_client: ClientFactory, mocked: RecordingMock
) -> None:
    with pytest.raises(ValidationError, match=problem):
        await make_client().account.get(extra_query=query)
    with pytest.raises(ValidationError, match=problem):
        make_client(default_query=query)
    assert mocked.sent == []


async def test_every_page_of_a_list_carries_the_extras_and_defaults(
    make_client: ClientFactory, mocked: RecordingMock
) -> None:
    client = make_client().with_options(
        default_headers={"X-Tenant": "acme"}, default_query={"beta": "on"}
    )
    for page in (1, 2, 3):
        mocked.get(
            full_url("/dial-campaigns", f"page={page}&per_page=1&beta=on&trace=t7"),
            payload={
                "data": [{**p.DIAL_CAMPAIGN, "id": f"c_{page}"}],
                "meta": p.meta(page=page, per_page=1, total=3, total_pages=3),
            },
        )

    seen = [
        c.id
        async for c in client.dial_campaigns.list(
            per_page=1, extra_headers={"X-Trace": "t7"}, extra_query={"trace": "t7"}
        )
    ]

    assert seen == ["c_1", "c_2", "c_3"]
    assert len(mocked.sent) == 3
    for sent in mocked.sent:
        assert (sent.headers["X-Tenant"], sent.headers["X-Trace"]) == ("acme", "t7")


async def test_upload_leads_sends_the_extras_with_every_chunk(
    client: AsyncFreestyle, mocked: RecordingMock
) -> None:
    mocked.post(
        full_url(f"/dial-campaigns/{CID}/data", "beta=on"),
        payload={"data": {"inserted": 1, "skipped": 0, "total_leads": 1}},
        repeat=True,
    )
    records = [{"phone1": f"416555010{i}"} for i in range(3)]

    await client.dial_campaigns.upload_leads(
        CID, records, chunk_size=1, extra_headers={"X-Batch": "b1"}, extra_query={"beta": "on"}
    )

    assert len(mocked.sent) == 3
    assert all(s.headers["X-Batch"] == "b1" for s in mocked.sent)


async def test_with_options_replaces_the_defaults_of_the_copy_only(
    make_client: ClientFactory, mocked: RecordingMock
) -> None:
    parent = make_client(default_headers={"X-A": "1"}, default_query={"a": "1"})
    child = parent.with_options(default_headers={"X-B": "2"}, default_query=None)
    mocked.get(_any_query("/account"), payload={"data": p.ACCOUNT}, repeat=True)

    await parent.account.get()
    await child.account.get()

    from_parent, from_child = mocked.sent
    assert from_parent.headers["X-A"] == "1" and "X-B" not in from_parent.headers
    assert from_parent.wire_url.query_string == "a=1"
    assert from_child.headers["X-B"] == "2" and "X-A" not in from_child.headers
    assert from_child.wire_url.query_string == ""


async def test_header_and_query_values_never_show_in_reprs_or_logs(
    make_client: ClientFactory, mocked: RecordingMock, caplog: pytest.LogCaptureFixture
) -> None:
    events: list[object] = []
    client = make_client(
        default_headers={"X-Token": SECRET},
        default_query={"token": SECRET},
        on_request=events.append,
        on_response=events.append,
    )
    mocked.get(_any_query("/account"), status=500, payload={"error": {"code": "x"}}, repeat=True)
    caplog.set_level(logging.DEBUG, logger="freestyle_async")

    with pytest.raises(Exception) as info:
        await client.account.get(extra_headers={"X-Other": SECRET}, max_retries=1)

    shown = [repr(client), repr(client._options), str(info.value), repr(info.value), caplog.text]
    shown += [repr(event) for event in events]
    assert events and caplog.records
    assert "X-Token" in repr(client._options)  # the names show; the values do not
    for text in shown:
        assert SECRET not in text
