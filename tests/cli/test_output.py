"""The pieces behind the output: value conversion, CSV columns, tables, option parsing."""

from __future__ import annotations

import csv
import datetime as dt
import enum
import io
import json
from decimal import Decimal
from pathlib import Path

import click
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from freestyle_async.bulk import CsvError, read_contacts_csv
from freestyle_async.cli._commands_leads import parse_maps
from freestyle_async.cli._csvfile import CsvWriter, spreadsheet_safe
from freestyle_async.cli._output import (
    Column,
    build_table,
    csv_value,
    flat_fields,
    json_line,
)
from freestyle_async.cli._safe import safe_text
from freestyle_async.cli._upload import cli_wording
from freestyle_async.cli._views import duration, money
from freestyle_async.models import (
    Account,
    AccountContacts,
    ActivityType,
    CallResult,
    CampaignStatus,
    DateRange,
)

from ._hostile import terminal_problems

UTC = dt.UTC


def test_json_lines_use_wire_names_and_exact_values() -> None:
    assert json_line(DateRange(from_=dt.date(2026, 5, 1), to=None)) == (
        '{"from": "2026-05-01", "to": null}'
    )
    assert json_line([dt.datetime(2026, 5, 1, 9, 10, tzinfo=UTC)]) == '["2026-05-01T09:10:00Z"]'
    assert json_line([Decimal("1430.19"), Decimal("42"), Decimal("12.0")]) == "[1430.19, 42, 12.0]"
    assert json_line([CampaignStatus.PAUSED, ActivityType.RECORDS_IMPORTED]) == '["paused", 1]'
    assert json_line({"a": [Decimal("0.0079")]}) == '{"a": [0.0079]}'


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
    row = {name: csv_value(get(account.to_dict())) for name, get in flat_fields(Account)}
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


@pytest.mark.parametrize(
    ("sent", "shown"),
    [
        ("1E+999999999", "1E+999999999"),  # not a billion digits
        ("1E-999999", "1E-999999"),  # nor a million zeros
        ("9" * 25 + ".5", "9,999,999,999,999,999,999,999,999.50"),  # past quantize's 28
        ("1E+30", "1,000,000,000,000,000,000,000,000,000,000.00"),
        ("0.0000001", "0.0000001"),  # not 1E-7
        ("0.00000000", "0.00000000"),  # not 0E-8
    ],
)
def test_money_the_sdk_accepts_is_shown_without_blowing_up(sent: str, shown: str) -> None:
    """The SDK keeps money exactly as sent, however large: the table must still show it."""
    assert money(Decimal(sent)) == shown


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
    """A CSV error's fix in options, from its fields (never by rewriting its message)."""
    unknown = CsvError(
        "column 'X' is not a contact field",
        path="f.csv",
        line=1,
        column=2,
        header="X",
        fix="map_or_ignore",
    )
    assert "columns={'X': 'data1'}" in str(unknown)
    assert cli_wording(unknown) == (
        "f.csv, line 1: column 'X' is not a contact field: map it with --map X=data1 (or any "
        "contact field), or ignore it with --map X="
    )
    undecodable = CsvError("not valid utf-8", path="f.csv", line=3, fix="encoding")
    assert str(undecodable).endswith("pass encoding=...)")
    assert cli_wording(undecodable).endswith("pass --encoding NAME)")
    quoted = CsvError("x", path="f.csv", header="it's", fix="map_or_ignore")
    assert "map it with --map 'it'\"'\"'s=data1'" in cli_wording(quoted)  # shell-quoted


@pytest.mark.parametrize(
    "encoding",
    [
        "utf-8",
        "UTF8",
        "utf-8-sig",
        "latin-1",
        "cp1252",
        "shift_jis",
        "utf-16",
        "utf-32",
        "utf-7",
        "cp500",
        "rot13",
        "base64",
        "klingon",
        "",
    ],
)
def test_the_encoding_option_takes_what_the_csv_reader_reads(tmp_path: Path, encoding: str) -> None:
    """One rule: --encoding is refused up front exactly when the reader would refuse it."""
    from freestyle_async.cli._options import ENCODING

    path = tmp_path / "leads.csv"
    path.write_bytes(b"phone1\n4165550100\n")
    try:
        list(read_contacts_csv(path, encoding=encoding))
    except CsvError:
        read = False
    else:
        read = True
    try:
        ENCODING.convert(encoding, None, None)
    except click.BadParameter as exc:
        assert "try utf-8" in str(exc)
        taken = False
    else:
        taken = True
    assert taken == read


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
    assert json_line(_Colour.RED) == '"red"' and csv_value(_Colour.RED) == "red"


# -- server text is data --------------------------------------------------------------------


def test_safe_text_shows_controls_as_escapes() -> None:
    assert safe_text("plain — text [bold]") == "plain — text [bold]"
    assert safe_text("a\x1b]52;c;aGk=\x07b") == "a\\x1b]52;c;aGk=\\x07b"
    assert safe_text("\x00\x7f\x9b\u202e\u2066") == "\\x00\\x7f\\x9b\\u202e\\u2066"
    assert safe_text("lone \ud800") == "lone \\ud800"
    assert safe_text("a\tb\nc\r\nd\re\x85f\u2028g") == "a b c  d e f g"
    assert safe_text("a\r\nb\rc\x85d\u2029e\x1b", lines=True) == "a\nb\nc\nd\ne\\x1b"


@given(st.text())
@settings(max_examples=200, derandomize=True)
def test_safe_text_leaves_nothing_a_terminal_acts_on(text: str) -> None:
    assert terminal_problems(safe_text(text)) == []
    assert terminal_problems(safe_text(text, lines=True)) == []


@given(st.text())
@settings(max_examples=200, derandomize=True)
def test_json_lines_are_exact_and_escape_every_control(text: str) -> None:
    line = json_line({"message": text, "n": [text]})
    assert "\n" not in line and terminal_problems(line) == []
    assert json.loads(line) == {"message": text, "n": [text]}


def test_spreadsheet_safe() -> None:
    for formula in ("=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "-", "+"):
        assert spreadsheet_safe(formula) == "'" + formula
    for kept in ("+15551234567", "+1 (416) 555-0100", "-12.50", "-3", "+7", "1e3", "-1e-3",
                 "a=1", " =1", "", "'=1", "2026-05-01T09:10:00Z"):  # fmt: skip
        assert spreadsheet_safe(kept) == kept


cells = st.lists(st.text(st.characters(exclude_categories=["Cs"])), min_size=1, max_size=5)


@given(st.lists(cells, min_size=1, max_size=4), st.booleans())
@settings(max_examples=200, derandomize=True)
def test_csv_rows_read_back_as_written(rows: list[list[str]], raw: bool) -> None:
    out = io.StringIO(newline="")
    writer = CsvWriter(out, raw=raw)
    for row in rows:
        writer.writerow(row)
    back = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    expected = rows if raw else [[spreadsheet_safe(cell) for cell in row] for row in rows]
    assert back == expected


def test_csv_writer_quotes_a_bare_cr_that_csv_writer_leaves_bare() -> None:
    plain = io.StringIO()
    csv.writer(plain, lineterminator="\n").writerow(["a\rb", "c"])
    assert plain.getvalue() == "a\rb,c\n"  # what the csv module does: a reader sees two rows
    out = io.StringIO()
    CsvWriter(out).writerow(["a\rb", "c"])
    assert out.getvalue() == '"a\rb",c\n'


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("raw", [False, True])
def test_csv_on_a_terminal_shows_control_characters_and_a_file_keeps_them(raw: bool) -> None:
    hostile = ["\x1b]52;c;aGk=\x07clip", "\x1b[2J\x9bx\u202eevil"]
    terminal = _Terminal()
    CsvWriter(terminal, raw=raw).writerow(hostile)
    shown = terminal.getvalue()
    assert not any(ch in shown for ch in "\x1b\x07\x9b\u202e")
    assert shown == "\\x1b]52;c;aGk=\\x07clip,\\x1b[2J\\x9bx\\u202eevil\n"
    to_file = io.StringIO()
    CsvWriter(to_file, raw=raw).writerow(hostile)
    assert next(csv.reader(io.StringIO(to_file.getvalue()))) == hostile


def test_csv_writer_replaces_a_lone_surrogate() -> None:
    out = io.StringIO()
    CsvWriter(out, raw=True).writerow(["a\ud800b"])
    assert out.getvalue() == "a\ufffdb\n"


def test_table_cells_from_a_server_are_never_markup() -> None:
    columns = [Column("Name", lambda r: r), Column("Other", lambda r: None)]
    console = Console(width=80, record=True)
    console.print(build_table(columns, ["[/]", "[bold]x[/bold]", "\x1b[2J"], "Title [/]"))
    text = console.export_text()
    assert "[/]" in text and "[bold]x[/bold]" in text and "\\x1b[2J" in text
    assert "Title [/]" in text and "\x1b" not in text
