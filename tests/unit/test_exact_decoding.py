"""Decoding keeps what the server sent: money with exactly its digits, no NaN or infinity, no
timestamp to_json() cannot write, and to_json() is valid UTF-8 JSON for every decoded string."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs
import pytest

from freestyle_async import _json
from freestyle_async._client import AsyncFreestyle
from freestyle_async._convert import decode, decode_data
from freestyle_async.errors import DecodeError
from freestyle_async.models import Account, BillingUsage, CallResult, Page, ResultsSummary

from . import payloads as p
from .support import BASE_URL, RecordingMock

BILLING_URL = f"{BASE_URL}/billing"
ACCOUNT_URL = f"{BASE_URL}/account"
SUMMARY_URL = f"{BASE_URL}/dial-campaigns/{p.CAMPAIGN_ID}/results/summary"

# Money as a server writes it: a trailing zero, more digits than a float holds.
BILLING_TEXT = (
    '{"data":[{"campaign_id":"c_1","campaign_name":"n","duration_seconds":1,'
    '"hourly_rate":42.50,"cost":12345678901234567.89}],'
    '"summary":{"total_duration_seconds":1,"total_cost":0.10000000000000000001,'
    '"date_range":{"from":null,"to":null}}}'
)


def _summary_text(contact_rate: str) -> str:
    """A results summary body whose ``contact_rate`` is the JSON text given."""
    body = json.dumps({"data": {**p.RESULTS_SUMMARY, "contact_rate": "__X__"}})
    return body.replace('"__X__"', contact_rate)


def _account(created_at: str) -> dict[str, Any]:
    return {"data": {**p.ACCOUNT, "created_at": created_at}}


def _decode_account(body: dict[str, Any]) -> Account:
    return decode_data(json.loads(json.dumps(body)), Account, "GET /account")


def _loads(name: str) -> Callable[[str], Any]:
    """The stdlib's json.loads (the transport's without orjson) or the exact one."""
    return json.loads if name == "json.loads" else _json.loads_exact


# ----------------------------------------------------------------------- money


def test_money_keeps_exactly_the_digits_received() -> None:
    usage = decode(_json.loads_exact(BILLING_TEXT.encode()), BillingUsage, "GET /billing")
    row = usage.data[0]
    assert str(row.hourly_rate) == "42.50"
    assert str(row.cost) == "12345678901234567.89"
    assert str(usage.summary.total_cost) == "0.10000000000000000001"
    text = usage.to_json()
    assert '"hourly_rate": 42.50,' in text
    assert '"cost": 12345678901234567.89}' in text
    assert '"total_cost": 0.10000000000000000001,' in text


def test_a_call_results_amount_keeps_its_trailing_zero() -> None:
    page_text = json.dumps({"data": [p.CALL_RESULT], "meta": p.meta(total=1)})
    page_text = page_text.replace(f'"amount": {p.CALL_RESULT["amount"]}', '"amount": 12.30')
    page = decode(_json.loads_exact(page_text), Page[CallResult], "GET /results")
    assert str(page.data[0].amount) == "12.30"
    assert '"amount": 12.30,' in page.data[0].to_json()


def test_float_fields_are_still_floats() -> None:
    summary = decode_data(_json.loads_exact(_summary_text("38.48")), ResultsSummary, "GET /summary")
    assert type(summary.contact_rate) is float and summary.contact_rate == 38.48
    assert [type(d.percentage) for d in summary.dispositions] == [float, float, float]


def test_loads_exact_gives_decimals_for_fractions_and_ints_for_integers() -> None:
    value = _json.loads_exact(b'{"a": 1, "b": 1.0, "c": 1e3, "d": -0.0079, "e": 1e999}')
    assert value == {
        "a": 1,
        "b": Decimal("1.0"),
        "c": Decimal("1E+3"),
        "d": Decimal("-0.0079"),
        "e": Decimal("1E+999"),
    }
    assert type(value["a"]) is int


async def test_the_client_gives_money_with_the_digits_received(
    client: AsyncFreestyle, mocked: RecordingMock
) -> None:
    mocked.get(BILLING_URL, status=200, body=BILLING_TEXT)
    usage = await client.billing.usage()
    assert [str(usage.data[0].hourly_rate), str(usage.summary.total_cost)] == [
        "42.50",
        "0.10000000000000000001",
    ]


# ------------------------------------------------------------- not JSON, not finite


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_literals_are_not_json(literal: str) -> None:
    with pytest.raises(ValueError, match="is not JSON"):
        _json.loads_exact(_summary_text(literal))


def test_an_exponent_beyond_a_decimals_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="exponent too large"):
        _json.loads_exact(_summary_text("1e99999999999999999999"))


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
async def test_the_client_refuses_nan_and_infinity_literals(
    literal: str, client: AsyncFreestyle, mocked: RecordingMock
) -> None:
    mocked.get(SUMMARY_URL, status=200, body=_summary_text(literal))
    with pytest.raises(DecodeError):
        await client.dial_campaigns.results_summary(p.CAMPAIGN_ID)


@pytest.mark.parametrize("loads", ["json.loads", "loads_exact"])
@pytest.mark.parametrize("number", ["1e400", "-1e400", str(10**400)])
def test_a_float_field_beyond_a_float_is_a_decode_error_naming_it(number: str, loads: str) -> None:
    payload = _loads(loads)(_summary_text(number))
    with pytest.raises(DecodeError, match="expected a finite number") as info:
        decode_data(payload, ResultsSummary, "GET /summary")
    assert info.value.path == "$.data.contact_rate"


async def test_the_client_refuses_an_infinite_float_naming_the_field(
    client: AsyncFreestyle, mocked: RecordingMock
) -> None:
    mocked.get(SUMMARY_URL, status=200, body=_summary_text("1e400"))
    with pytest.raises(DecodeError) as info:
        await client.dial_campaigns.results_summary(p.CAMPAIGN_ID)
    assert info.value.path == "$.data.contact_rate"


def test_money_beyond_a_float_stays_exact_and_to_json_writes_it() -> None:
    usage = decode(
        _json.loads_exact(BILLING_TEXT.replace("42.50", "1E+999")), BillingUsage, "GET /billing"
    )
    assert usage.data[0].hourly_rate == Decimal("1E+999")
    assert '"hourly_rate": 1E+999,' in usage.to_json()


# -------------------------------------------------------------------- timestamps


@pytest.mark.parametrize(
    ("created_at", "in_range"),
    [
        ("9999-12-31T23:59:59-01:00", "9999-12-31T23:59:59+01:00"),
        ("0001-01-01T00:00:00+01:00", "0001-01-01T00:00:00-01:00"),
    ],
)
def test_a_timestamp_out_of_range_at_utc_is_a_decode_error_naming_it(
    created_at: str, in_range: str
) -> None:
    with pytest.raises(DecodeError, match="out of range at UTC") as info:
        _decode_account(_account(created_at))
    assert info.value.path == "$.data.created_at"
    account = _decode_account(_account(in_range))  # the other way, it is in range at UTC
    written = json.loads(account.to_json())["created_at"]
    assert dt.datetime.fromisoformat(written) == account.created_at


async def test_the_client_refuses_a_timestamp_out_of_range_at_utc(
    client: AsyncFreestyle, mocked: RecordingMock
) -> None:
    mocked.get(ACCOUNT_URL, status=200, payload=_account("9999-12-31T23:59:59-01:00"))
    with pytest.raises(DecodeError) as info:
        await client.account.get()
    assert info.value.path == "$.data.created_at"


@pytest.mark.parametrize(
    ("created_at", "expected"),
    [
        ("2025-01-25t18:03:09z", dt.datetime(2025, 1, 25, 18, 3, 9, tzinfo=dt.UTC)),
        ("2025-01-25T18:03:09z", dt.datetime(2025, 1, 25, 18, 3, 9, tzinfo=dt.UTC)),
        ("2025-01-25t18:03:09.5z", dt.datetime(2025, 1, 25, 18, 3, 9, 500000, dt.UTC)),
    ],
)
def test_lowercase_t_and_z_of_rfc_3339_are_accepted(created_at: str, expected: Any) -> None:
    assert _decode_account(_account(created_at)).created_at == expected


# -------------------------------------------------------------------- surrogates


def test_a_lone_surrogate_is_escaped_in_to_json() -> None:
    body = json.dumps({"data": {**p.ACCOUNT, "name": "__S__"}}).replace('"__S__"', '"a\\ud800b"')
    account = decode_data(json.loads(body), Account, "GET /account")  # without orjson: kept
    assert account.name == "a\ud800b"
    text = account.to_json()
    assert '"name": "a\\ud800b"' in text
    assert json.loads(text.encode("utf-8"))["name"] == "a\ud800b"  # valid UTF-8, same string
    other = attrs.evolve(account, name="Société \U0001f600")
    assert '"name": "Société \U0001f600"' in other.to_json()  # other text is kept as it is
