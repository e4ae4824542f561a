"""check_leads: an offline check that gives the verdicts an upload then gives (against the
emulator), with the input's repeated phones and the records as they would be sent."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import freestyle_async
from freestyle_async import AsyncFreestyle, Contact, ValidationError
from freestyle_async.bulk import (
    DuplicatePhone,
    LeadsCheckReport,
    check_leads,
    check_leads_async,
    read_contacts_csv,
)
from freestyle_async.testing import Emulator

# One row per rule of an upload that a CSV file can break, then valid rows and repeats.
# (line numbers: the header is line 1)
CSV_ROWS: list[tuple[str, str | None]] = [
    # (row, field to blame when the row is rejected)
    ("(416) 555-0100,Ann,ACC-1,12.50,,,", None),  # line 2: valid, formatted phone
    ("555-01,Bob,ACC-2,1,,,", "phone1"),  # line 3: not 10 digits
    (",Cy,ACC-3,1,,,", "phone1"),  # line 4: phone1 missing
    ("4165550101," + "x" * 51 + ",ACC-4,1,,,", "account_name"),  # line 5: too long
    ("4165550102,Di," + "a" * 101 + ",1,,,", "account_id"),  # line 6: too long
    ("4165550103,Ed,ACC-6,n/a,,,", "amount"),  # line 7: not a number
    ("4165550104,Flo,ACC-7," + "9" * 21 + ",,,", "amount"),  # line 8: out of range
    ("4165550105,Gus,ACC-8,1,abc,,", "timezone_id"),  # line 9: not an integer
    ("4165550106,Hal,ACC-9,1,,yesterday,", "datetime"),  # line 10: not ISO 8601
    ("4165550107,Ivy,ACC-10,1,,,12", "phone2"),  # line 11: phone2 not 10 digits
    ("4165550108,Jo,ACC-11,1,,,,extra", None),  # line 12: too many cells (row problem)
    ("+1 416 555 0109,Kim,ACC-12,1e3,-5,2026-05-01T09:30:00Z,416.555.0110", None),  # line 13
    ("416-555-0100,Lee,ACC-13,3,,,", None),  # line 14: repeats line 2's phone
    ("14165550109,Max,ACC-14,4,,,", None),  # line 15: repeats line 13's phone
    ("4165550100,Ned,ACC-15,5,,,", None),  # line 16: repeats line 2's phone again
]
HEADER = "phone1,account_name,account_id,amount,timezone_id,datetime,phone2"
REJECTED_LINES: dict[int | None, str | None] = {
    3: "phone1",
    4: "phone1",
    5: "account_name",
    6: "account_id",
    7: "amount",
}
REJECTED_LINES |= {8: "amount", 9: "timezone_id", 10: "datetime", 11: "phone2", 12: None}


def _write(path: Path, lines: list[str], newline: str = "\n", bom: bool = False) -> Path:
    text = newline.join(lines) + newline
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode())
    return path


def _rejected_lines(report: LeadsCheckReport) -> dict[int | None, str | None]:
    return {issue.line: issue.field for issue in report.rejected_records}


@pytest.fixture
def leads_file(tmp_path: Path) -> Path:
    return _write(tmp_path / "leads.csv", [HEADER, *(row for row, _ in CSV_ROWS)])


def test_every_rejection_reason_is_found_with_its_line_and_field(leads_file: Path) -> None:
    report = check_leads(read_contacts_csv(leads_file))
    assert report.read == 15
    assert _rejected_lines(report) == REJECTED_LINES
    assert report.valid == 5 and report.rejected == 10 and not report.ok
    assert all(issue.outcome == "rejected" and issue.reason for issue in report.rejected_records)
    reasons = {issue.line: issue.reason for issue in report.rejected_records}
    assert reasons[4] == "missing required field"
    assert reasons[5] == "must be at most 50 characters"
    assert reasons[12] == "the row has 8 cells but the header has 7 columns"
    assert [i.index for i in report.rejected_records] == [(n or 0) - 2 for n in REJECTED_LINES]


def test_repeated_phones_name_the_first_occurrence(leads_file: Path) -> None:
    report = check_leads(read_contacts_csv(leads_file))
    assert report.duplicates == [
        DuplicatePhone(12, 14, "4165550100", 0, 2),
        DuplicatePhone(13, 15, "4165550109", 11, 13),
        DuplicatePhone(14, 16, "4165550100", 0, 2),
    ]
    assert report.unique == 2


def test_records_as_sent_are_streamed_normalised(leads_file: Path) -> None:
    seen: list[tuple[dict[str, Any], int, int | None]] = []
    check_leads(read_contacts_csv(leads_file), on_valid=lambda r, i, n: seen.append((r, i, n)))
    assert [(i, n) for _, i, n in seen] == [(0, 2), (11, 13), (12, 14), (13, 15), (14, 16)]
    assert seen[0][0] == {
        "phone1": "4165550100",
        "account_name": "Ann",
        "account_id": "ACC-1",
        "amount": 12.5,
    }
    assert seen[1][0] == {
        "phone1": "4165550109",
        "account_name": "Kim",
        "account_id": "ACC-12",
        "amount": 1000.0,
        "timezone_id": -5,
        "datetime": "2026-05-01T09:30:00Z",
        "phone2": "4165550110",
    }


@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["windows", "mac"])
def test_line_endings_and_a_bom_keep_the_verdicts_and_lines(tmp_path: Path, newline: str) -> None:
    path = _write(
        tmp_path / "leads.csv", [HEADER, *(r for r, _ in CSV_ROWS)], newline=newline, bom=True
    )
    report = check_leads(read_contacts_csv(path))
    assert _rejected_lines(report) == REJECTED_LINES
    assert [(d.line, d.first_line) for d in report.duplicates] == [(14, 2), (15, 13), (16, 2)]


def test_a_mapped_header_is_read_through_the_mapping(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "leads.csv",
        ["Phone,Name,Notes", "416 555 0100,Ann,x", "12,Bob,y", "+1 416 555 0100,Cy,z"],
    )
    report = check_leads(
        read_contacts_csv(path, columns={"Phone": "phone1", "Name": "account_name", "Notes": None})
    )
    assert (report.read, report.valid, report.rejected) == (3, 2, 1)
    assert _rejected_lines(report) == {3: "phone1"}
    assert report.duplicates == [DuplicatePhone(2, 4, "4165550100", 0, 2)]


def test_dicts_and_contacts_get_the_rules_of_the_upload() -> None:
    records: list[Any] = [
        {"phone1": "4165550100"},
        Contact(phone1="+1 (416) 555-0101", account_name="Ann"),
        {"phone1": "4165550102", "nickname": "x"},  # unknown field
        "4165550103",  # not a record
        {"phone1": "4165550104", "email": 5},  # not a string
        {"phone1": "4165550105", "account_name": "\ud800"},  # cannot be sent as UTF-8
        {"phone1": "4165550106", "amount": Decimal("NaN")},
        {"phone1": 4165550100},  # an int phone: valid, a repeat of the first
    ]
    report = check_leads(records)
    assert {(i.index, i.field) for i in report.rejected_records} == {
        (2, "nickname"),
        (3, None),
        (4, "email"),
        (5, "account_name"),
        (6, "amount"),
    }
    assert all(i.line is None for i in report.rejected_records)
    assert report.rejected_records[1].record == "4165550103"  # the record as given
    assert report.duplicates == [DuplicatePhone(7, None, "4165550100", 0, None)]


async def test_an_async_iterable_is_checked_like_a_list() -> None:
    records = [{"phone1": str(4165550000 + i % 700)} for i in range(2500)] + [{"phone1": "1"}]

    async def stream() -> AsyncIterator[dict[str, str]]:
        for record in records:
            yield record

    from_async = await check_leads_async(stream())
    assert from_async == check_leads(records)
    assert (from_async.read, from_async.valid, len(from_async.duplicates)) == (2501, 2500, 1800)
    assert from_async.rejected_records[0].index == 2500
    assert await check_leads_async(records) == from_async


def test_input_that_is_not_records_is_refused() -> None:
    with pytest.raises(ValidationError, match="iterable of dicts"):
        check_leads("4165550100")  # text: an iterable, but of characters
    with pytest.raises(ValidationError, match="iterable of dicts"):
        check_leads(42)  # type: ignore[arg-type]

    async def stream() -> AsyncIterator[dict[str, str]]:
        yield {"phone1": "4165550100"}

    with pytest.raises(ValidationError, match="use check_leads_async"):
        check_leads(stream())  # type: ignore[arg-type]


def test_nothing_to_check_is_an_empty_report() -> None:
    report = check_leads([])
    assert (report.read, report.valid, report.rejected, report.duplicates) == (0, 0, 0, [])
    assert report.ok


def test_markup_and_control_characters_are_data(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "leads.csv",
        ["phone1,account_name", "4165550100,[bold]=cmd()\x1b[31m\x07", "\x1b]52;c;x\x07,Bob"],
    )
    seen: list[dict[str, Any]] = []
    report = check_leads(read_contacts_csv(path), on_valid=lambda r, i, n: seen.append(r))
    assert seen == [{"phone1": "4165550100", "account_name": "[bold]=cmd()\x1b[31m\x07"}]
    assert _rejected_lines(report) == {3: "phone1"}


def test_check_leads_is_public() -> None:
    assert freestyle_async.check_leads is check_leads
    assert freestyle_async.LeadsCheckReport is LeadsCheckReport


async def test_verdicts_equal_what_the_upload_then_does(
    fs: AsyncFreestyle, emu: Emulator, campaign_id: str, leads_file: Path
) -> None:
    sent: list[dict[str, Any]] = []
    check = check_leads(read_contacts_csv(leads_file), on_valid=lambda r, i, n: sent.append(r))
    before = len(emu.stored_records(campaign_id))
    upload = await fs.dial_campaigns.upload_leads(campaign_id, read_contacts_csv(leads_file))
    # every rejected line rejected, with the same field and reason
    assert [(i.index, i.line, i.field, i.reason) for i in upload.rejected_records] == [
        (i.index, i.line, i.field, i.reason) for i in check.rejected_records
    ]
    # every valid record accepted: the repeats skipped, the others stored as checked
    assert upload.refused_by_server == [] and upload.failed == 0 and upload.unknown == 0
    assert upload.inserted == check.unique
    assert upload.skipped_by_server == len(check.duplicates)
    repeats = {d.index for d in check.duplicates}
    valid_indexes = [
        i for i in range(check.read) if i not in {r.index for r in check.rejected_records}
    ]
    firsts = [
        record for record, index in zip(sent, valid_indexes, strict=True) if index not in repeats
    ]
    assert emu.stored_records(campaign_id)[before:] == firsts
