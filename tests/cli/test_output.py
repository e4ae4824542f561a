"""The pieces behind the output: value conversion, CSV columns, tables, option parsing."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from pathlib import Path

import click
import pytest
from rich.console import Console

from freestyle_async.bulk import read_contacts_csv
from freestyle_async.cli._commands_leads import parse_maps
from freestyle_async.cli._output import Column, build_table, csv_value, flat_fields, to_jsonable
from freestyle_async.cli._upload import cli_wording, count_csv_rows
from freestyle_async.cli._views import duration, money
from freestyle_async.models import (
    Account,
    AccountContacts,
    ActivityType,
    CallResult,
    CampaignStatus,
    DateRange,
)

UTC = dt.UTC


def test_to_jsonable_uses_wire_names_and_exact_values() -> None:
    assert to_jsonable(DateRange(from_=dt.date(2026, 5, 1), to=None)) == {
        "from": "2026-05-01",
        "to": None,
    }
    assert to_jsonable(dt.datetime(2026, 5, 1, 9, 10, tzinfo=UTC)) == "2026-05-01T09:10:00Z"
    assert to_jsonable(Decimal("1430.19")) == 1430.19
    assert to_jsonable(Decimal("42")) == 42 and isinstance(to_jsonable(Decimal("42")), int)
    assert to_jsonable(Decimal("12.0")) == 12.0 and isinstance(to_jsonable(Decimal("12.0")), float)
    assert to_jsonable(CampaignStatus.PAUSED) == "paused"
    assert to_jsonable(ActivityType.RECORDS_IMPORTED) == 1
    assert to_jsonable({"a": [Decimal("0.0079")]}) == {"a": [0.0079]}


def test_csv_value() -> None:
    assert csv_value(None) == ""
    assert csv_value(True) == "true" and csv_value(False) == "false"
    assert csv_value(Decimal("0.0079")) == "0.0079"
    assert csv_value(dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)) == "2026-01-02T03:04:05Z"
    assert csv_value(CampaignStatus.ACTIVE) == "active"
    assert csv_value({"k": 1}) == '{"k": 1}'


def test_flat_fields_follow_the_model_and_flatten_nested_objects() -> None:
    names = [name for name, _ in flat_fields(CallResult)]
    assert names[:4] == ["result_id", "campaign_data_id", "phone_dialed", "phone_number_index"]
    assert names[4:7] == ["disposition.id", "disposition.name", "disposition.code"]
    account_names = [name for name, _ in flat_fields(Account)]
    assert "contacts.primary.email" in account_names and "location.country" in account_names
    account = Account(
        id="x",
        name="n",
        status="onboarded",
        created_at=dt.datetime(2026, 1, 1, tzinfo=UTC),
        contacts=AccountContacts(),
        location=None,
    )
    row = {name: csv_value(get(account)) for name, get in flat_fields(Account)}
    assert row["contacts.primary.email"] == "" and row["location.country"] == ""


def test_table_drops_low_priority_columns_when_narrow() -> None:
    columns = [
        Column("Key", lambda r: r[0], no_wrap=True),
        Column("Wide", lambda r: r[1], drop=1),
        Column("Also", lambda r: r[2], drop=2),
    ]
    rows = [("k" * 10, "w" * 50, "a" * 30)]
    wide = build_table(columns, rows, None, 200)
    assert [c.header for c in wide.columns] == ["Key", "Wide", "Also"]
    medium = build_table(columns, rows, None, 75)
    assert [c.header for c in medium.columns] == ["Key", "Wide"]
    narrow = build_table(columns, rows, None, 30)
    assert [c.header for c in narrow.columns] == ["Key"]
    console = Console(width=30, record=True)
    console.print(narrow)
    assert "k" * 10 in console.export_text()


def test_money_and_duration() -> None:
    assert money(Decimal("42.5")) == "42.50"
    assert money(Decimal("20322.72")) == "20,322.72"
    assert money(Decimal("0.0079")) == "0.0079"
    assert money(None) == "—"
    assert duration(3_725) == "1:02:05" and duration(None) == "—"


def test_parse_maps() -> None:
    assert parse_maps(("Phone=phone1", " Name = account_name ", "Notes=")) == {
        "Phone": "phone1",
        "Name": "account_name",
        "Notes": None,
    }
    with pytest.raises(click.BadParameter):
        parse_maps(("Phone",))
    with pytest.raises(click.BadParameter):
        parse_maps(("=phone1",))
    assert parse_maps(("=",)) == {"": None}  # the column with an empty header, ignored


def test_cli_wording_translates_the_python_api() -> None:
    class Boom(Exception):
        pass

    text = cli_wording(
        Boom(
            "column 'X' is not a contact field: map it with columns={'X': 'data1'} (or any "
            "contact field), or ignore it with columns={'X': None}; pass encoding=..."
        )
    )
    assert text == (
        "column 'X' is not a contact field: map it with --map X=data1 (or any contact "
        "field), or ignore it with --map X=; pass --encoding NAME"
    )
    assert cli_wording(Boom("map it with columns={\"it's\": 'phone1'}")) == (
        "map it with --map it's=phone1"
    )


def test_row_count_matches_the_reader(tmp_path: Path) -> None:
    path = tmp_path / "leads.csv"
    path.write_text(
        '\ufeffphone1,account_name\n4165550100,"two\nlines"\n\n  \n4165550101,B\n4165550102,\n',
        encoding="utf-8",
    )
    assert count_csv_rows(str(path)) == len(list(read_contacts_csv(path))) == 3


def test_activity_type_option() -> None:
    from freestyle_async.cli._options import ACTIVITY_TYPE, DATE

    assert ACTIVITY_TYPE.convert("records-imported", None, None) is ActivityType.RECORDS_IMPORTED
    assert ACTIVITY_TYPE.convert("CAMPAIGN_STARTED", None, None) is ActivityType.CAMPAIGN_STARTED
    assert ACTIVITY_TYPE.convert("4", None, None) == 4
    with pytest.raises(click.BadParameter):
        ACTIVITY_TYPE.convert("sideways", None, None)
    assert DATE.convert("2026-02-28", None, None) == dt.date(2026, 2, 28)
    with pytest.raises(click.BadParameter):
        DATE.convert("2026-02-30", None, None)


class _Colour(enum.Enum):
    RED = "red"


def test_unknown_enum_values_print_as_given() -> None:
    assert to_jsonable(_Colour.RED) == "red" and csv_value(_Colour.RED) == "red"
