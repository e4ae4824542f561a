"""The per-record rules applied before anything is sent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from freestyle_async import Contact
from freestyle_async.bulk import RecordRejected, normalize_phone, normalize_record
from freestyle_async.bulk._batch import normalize_batch


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
    kind = "a number" if field == "amount" else "an integer"
    assert reason == f"must be {kind} between -{2**53 - 1} and {2**53 - 1}"


HUGE = "9" * 5_000  # past Python's 4,300-digit limit of int(str): int(HUGE) raises ValueError
HUGE_INT = 10**5_000  # str(HUGE_INT) raises ValueError too
NUMBER_REASON = f"must be a number between -{2**53 - 1} and {2**53 - 1}"
INTEGER_REASON = f"must be an integer between -{2**53 - 1} and {2**53 - 1}"
UNIX_REASON = "must be ISO 8601 (2026-05-01T09:30:00Z) or Unix time in seconds"
PHONE_REASON = "must be a 10-digit North American number"


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("amount", HUGE, NUMBER_REASON),
        ("amount", f"-{HUGE}", NUMBER_REASON),
        ("amount", f" +{HUGE} ", NUMBER_REASON),
        ("amount", "1" + "0" * 17, NUMBER_REASON),  # short of the limit, still out of range
        ("amount", f"{HUGE}.5", "must be a number"),  # a float: inf
        ("amount", f"1e{HUGE}", "must be a number"),
        ("amount", HUGE_INT, NUMBER_REASON),
        ("amount", Decimal(f"1E+{10**9}"), NUMBER_REASON),  # int() of it would never end
        ("amount", Decimal(f"{HUGE}.5"), NUMBER_REASON),  # float() of it is inf
        ("amount", Decimal("sNaN"), "must be a finite number"),  # compares by raising
        ("amount_secondary", HUGE, NUMBER_REASON),
        ("amount_secondary", Decimal(f"-1E+{10**9}"), NUMBER_REASON),
        ("timezone_id", HUGE, INTEGER_REASON),
        ("timezone_id", f"-{HUGE}", INTEGER_REASON),
        ("timezone_id", HUGE_INT, INTEGER_REASON),
        ("datetime", HUGE, UNIX_REASON),
        ("datetime", f"{HUGE}.25", UNIX_REASON),
        ("datetime", str(2**53), UNIX_REASON),
        ("datetime_secondary", HUGE, UNIX_REASON),
        ("datetime", HUGE_INT, UNIX_REASON),
        ("phone1", HUGE, PHONE_REASON),
        ("phone1", HUGE_INT, PHONE_REASON),
        ("phone2", HUGE_INT, PHONE_REASON),
    ],
    ids=lambda value: type(value).__name__ if not isinstance(value, str) else value[:20],
)
def test_huge_numbers_reject_one_record(field: str, value: object, reason: str) -> None:
    """Every numeric conversion refuses a value with thousands of digits as a bad value."""
    record = {"phone1": "4165550100", field: value}
    got_field, got_reason = rejected(record)
    assert (got_field, got_reason.split(" (")[0]) == (field, reason.split(" (")[0])
    assert got_reason.startswith(reason)
    other = {"phone1": "4165550101"} | ({} if field == "phone1" else {field: None})
    sent, rejects = normalize_batch([record, other])
    assert sent[0] is None and [(i, e.field) for i, e in rejects] == [(0, field)]


@pytest.mark.parametrize(
    ("field", "value", "sent"),
    [
        ("amount", "0" * 5_000 + "12", 12),  # leading zeros are not digits of the value
        ("timezone_id", "-" + "0" * 5_000 + "7", -7),
        ("datetime", "0" * 5_000 + "1777777777", "0" * 5_000 + "1777777777"),
        ("amount", str(2**53 - 1), 2**53 - 1),
    ],
)
def test_long_but_small_numbers_are_kept(field: str, value: str, sent: object) -> None:
    assert normalize_record({"phone1": "4165550100", field: value})[field] == sent
