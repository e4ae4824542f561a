"""The per-record rules applied before anything is sent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from freestyle_async import Contact
from freestyle_async.bulk import RecordRejected, normalize_phone, normalize_record


def rejected(record: object) -> tuple[str | None, str]:
    with pytest.raises(RecordRejected) as caught:
        normalize_record(record)
    return caught.value.field, caught.value.reason


@pytest.mark.parametrize(
    ("raw", "digits"),
    [
        ("4165550100", "4165550100"),
        ("(416) 555-0100", "4165550100"),
        ("416.555.0100", "4165550100"),
        ("+1 416 555 0100", "4165550100"),
        ("+14165550100", "4165550100"),
        ("1-416-555-0100", "4165550100"),
        ("14165550100", "4165550100"),
        ("[416] 555\u00a00100", "4165550100"),
        (4165550100, "4165550100"),
        (14165550100, "4165550100"),
    ],
)
def test_phone_formatting_is_removed(raw: object, digits: str) -> None:
    assert normalize_phone(raw) == digits


@pytest.mark.parametrize(
    "raw",
    [
        "555-0100",  # 7 digits
        "416555010",  # 9
        "24165550100",  # 11 digits not starting with 1
        "+2 416 555 0100",  # another country code
        "+44 20 7946 0958",
        "1 1 416 555 0100",  # 1 twice
        "416-555-01OO",  # letters
        "416/555/0100",  # slashes are not formatting the rules allow
        "٤١٦٥٥٥٠١٠٠",  # non-ASCII digits
        "",
        -4165550100,
        True,
        4165550100.0,
        None,
    ],
)
def test_bad_phones_are_refused(raw: object) -> None:
    assert normalize_phone(raw) is None


def test_a_record_is_normalised_into_a_new_dict() -> None:
    record = {"phone1": "(416) 555-0100", "phone2": "+1 905 555 0199", "account_name": "Ann"}
    out = normalize_record(record)
    assert out == {"phone1": "4165550100", "phone2": "9055550199", "account_name": "Ann"}
    assert record["phone1"] == "(416) 555-0100"  # the caller's record is untouched


def test_none_and_empty_values_are_left_out() -> None:
    out = normalize_record({"phone1": "4165550100", "email": None, "phone2": "", "amount": ""})
    assert out == {"phone1": "4165550100"}


@pytest.mark.parametrize(
    ("record", "field", "reason"),
    [
        ({}, "phone1", "missing required field"),
        ({"phone1": ""}, "phone1", "missing required field"),
        ({"phone1": None, "email": "a@b.c"}, "phone1", "missing required field"),
        ({"phone1": "4165550100", "phone7": "12"}, "phone7", "10-digit"),
        ({"phone1": "4165550100", "account_id": "a" * 101}, "account_id", "at most 100"),
        ({"phone1": "4165550100", "account_name": "a" * 51}, "account_name", "at most 50"),
        ({"phone1": "4165550100", "data6": "a" * 121}, "data6", "at most 120"),
        ({"phone1": "4165550100", "amount": "12,50"}, "amount", "must be a number"),
        ({"phone1": "4165550100", "amount": True}, "amount", "must be a number"),
        ({"phone1": "4165550100", "amount": float("nan")}, "amount", "finite"),
        ({"phone1": "4165550100", "amount": "1e999"}, "amount", "must be a number"),
        ({"phone1": "4165550100", "timezone_id": "5.5"}, "timezone_id", "integer"),
        ({"phone1": "4165550100", "datetime": "yesterday"}, "datetime", "ISO 8601"),
        ({"phone1": "4165550100", "datetime": -5}, "datetime", "ISO 8601"),
        ({"phone1": "4165550100", "datetime_secondary": "2026-13-01"}, "datetime_secondary", "ISO"),
        ({"phone1": "4165550100", "email": 12}, "email", "must be a string"),
        ({"phone1": "4165550100", "dob": 1990}, "dob", "string or a date"),
        ({"phone1": "4165550100", "colour": "blue"}, "colour", "unknown field"),
        ({"phone1": "4165550100", 7: "x"}, "7", "unknown field"),
        # A lone surrogate (from a bad decode) cannot be sent as UTF-8: refused, not a crash.
        ({"phone1": "4165550100", "city": "Montr\udce9al"}, "city", "surrogate"),
        ({"phone1": "4165550100", "account_name": "\ud800"}, "account_name", "surrogate"),
        ({"phone1": "4165550100", "dob": "1990\udfff"}, "dob", "surrogate"),
    ],
)
def test_rules(record: dict[Any, Any], field: str, reason: str) -> None:
    got_field, got_reason = rejected(record)
    assert got_field == field
    assert reason in got_reason


def test_limits_are_inclusive() -> None:
    record = {
        "phone1": "4165550100",
        "account_id": "a" * 100,
        "account_name": "n" * 50,
        **{f"data{i}": "d" * 120 for i in range(1, 7)},
    }
    assert normalize_record(record) == record


@pytest.mark.parametrize(
    ("value", "sent"),
    [
        (12, 12),
        (12.5, 12.5),
        ("12", 12),
        (" 12.50 ", 12.5),
        ("-3", -3),
        ("1e3", 1000.0),
        (Decimal("19.99"), 19.99),
        (Decimal("20"), 20),
    ],
)
def test_amounts_become_json_numbers(value: object, sent: object) -> None:
    out = normalize_record({"phone1": "4165550100", "amount": value})
    assert out["amount"] == sent
    assert type(out["amount"]) is type(sent)


@pytest.mark.parametrize(
    ("value", "sent"),
    [
        ("2026-05-01T09:30:00Z", "2026-05-01T09:30:00Z"),
        ("2026-05-01", "2026-05-01"),
        ("2026-05-01T09:30:00+02:00", "2026-05-01T09:30:00+02:00"),
        ("1777777777", "1777777777"),
        (1777777777, 1777777777),
        (1777777777.5, 1777777777.5),
        (dt.datetime(2026, 5, 1, 9, 30, tzinfo=dt.UTC), "2026-05-01T09:30:00+00:00"),
        (dt.date(2026, 5, 1), "2026-05-01"),
    ],
)
def test_datetimes_accept_iso_8601_and_unix_time(value: object, sent: object) -> None:
    assert normalize_record({"phone1": "4165550100", "datetime": value})["datetime"] == sent


def test_timezone_id_and_dob() -> None:
    out = normalize_record({"phone1": "4165550100", "timezone_id": "7", "dob": dt.date(1990, 2, 3)})
    assert out == {"phone1": "4165550100", "timezone_id": 7, "dob": "1990-02-03"}


def test_contacts_are_accepted() -> None:
    contact = Contact(phone1="+1 (416) 555-0100", account_name="Ann", amount=Decimal("5.25"))
    assert normalize_record(contact) == {
        "phone1": "4165550100",
        "account_name": "Ann",
        "amount": 5.25,
    }


@pytest.mark.parametrize("thing", ["4165550100", ["4165550100"], 4165550100, None])
def test_things_that_are_not_records(thing: object) -> None:
    assert rejected(thing) == (None, "record must be a dict or a Contact")


@pytest.mark.parametrize("field", ["amount", "timezone_id"])
def test_integers_beyond_json_precision_are_refused(field: str) -> None:
    assert normalize_record({"phone1": "4165550100", field: 2**53 - 1})[field] == 2**53 - 1
    got_field, reason = rejected({"phone1": "4165550100", field: str(2**64)})
    assert got_field == field
    assert "must be between" in reason
