"""read_contacts_csv: streaming rows with their line numbers, and clear errors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from freestyle_async.bulk import CsvError, CsvRow, count_csv_rows, read_contacts_csv

from ._data import write


def test_row_count_matches_the_reader(tmp_path: Path) -> None:
    path = tmp_path / "leads.csv"
    path.write_text(
        '\ufeffphone1,account_name\n4165550100,"two\nlines"\n\n  \n4165550101,B\n4165550102,\n',
        encoding="utf-8",
    )
    assert count_csv_rows(str(path)) == len(list(read_contacts_csv(path))) == 3


@pytest.mark.parametrize("encoding", ["utf-8", "latin-1"])
def test_row_count_skips_what_the_reader_skips(tmp_path: Path, encoding: str) -> None:
    """Rows of empty cells too (the command's copy of the rule counted them)."""
    data = "phone1;city\n4165550100;Montréal\n;\n ; \n4165550101;Hull\n"
    path = write(tmp_path, data.encode(encoding))
    rows = list(read_contacts_csv(path, encoding=encoding, delimiter=";"))
    assert count_csv_rows(str(path), encoding=encoding, delimiter=";") == len(rows) == 2


def test_rows_carry_their_line_numbers(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "phone1,account_name,amount\n"
        "416-555-0100,Ann,12.50\n"
        "\n"
        '905 555 0199,"Bob\nSmith",\n'
        "6135550123, Cy ,3\n",
    )
    rows = list(read_contacts_csv(path))
    assert [type(row) for row in rows] == [CsvRow] * 3
    assert rows == [
        {"phone1": "416-555-0100", "account_name": "Ann", "amount": "12.50"},
        {"phone1": "905 555 0199", "account_name": "Bob\nSmith"},
        {"phone1": "6135550123", "account_name": "Cy", "amount": "3"},
    ]
    assert [row.line for row in rows] == [2, 4, 6]  # a blank line and a two-line cell


def test_a_utf8_byte_order_mark_is_ignored(tmp_path: Path) -> None:
    path = write(tmp_path, b"\xef\xbb\xbfphone1,account_name\r\n4165550100,Zo\xc3\xab\r\n")
    rows = list(read_contacts_csv(path))
    assert rows == [{"phone1": "4165550100", "account_name": "Zoë"}]
    assert rows[0].line == 2


def test_a_column_mapping_renames_and_ignores_headers(tmp_path: Path) -> None:
    path = write(tmp_path, "Phone, Name ,Notes,Internal\n4165550100,Ann,vip,x\n")
    columns = {"Phone": "phone1", "Name": "account_name", "Notes": "data1", "Internal": None}
    assert list(read_contacts_csv(path, columns=columns)) == [
        {"phone1": "4165550100", "account_name": "Ann", "data1": "vip"}
    ]


def test_other_encodings_and_delimiters(tmp_path: Path) -> None:
    path = write(tmp_path, "phone1;city\n4165550100;Montr\xe9al\n".encode("latin-1"))
    rows = list(read_contacts_csv(path, encoding="latin-1", delimiter=";"))
    assert rows == [{"phone1": "4165550100", "city": "Montréal"}]


def test_a_missing_phone1_column_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "Phone,account_name\n4165550100,Ann\n")
    with pytest.raises(CsvError, match=r"line 1: no phone1 column") as caught:
        read_contacts_csv(path)
    assert caught.value.line == 1
    assert "columns={'Phone': 'phone1'}" in str(caught.value)


def test_an_undecodable_file_names_the_line(tmp_path: Path) -> None:
    lines = ["phone1,account_name\n"] + [f"416555{i:04d},Ann\n" for i in range(500)]
    data = "".join(lines).encode() + b"4165559999,Caf\xe9\n"  # latin-1 e-acute, line 502
    path = write(tmp_path, data)
    with pytest.raises(CsvError) as caught:
        read_contacts_csv(path)  # raised at once, before any row is read
    assert caught.value.line == 502
    assert "line 502" in str(caught.value)
    assert "0xe9" in str(caught.value)
    assert "byte 15 of the line" in str(caught.value)


@pytest.mark.parametrize(
    ("data", "where", "header", "fix"),
    [
        ("Phone,account_name\n", (1, None), None, "map_phone1"),
        ("phone1,colour\n", (1, 2), "colour", "map_or_ignore"),
        ("phone1,,city\n", (1, 2), "", "name_or_ignore"),
        ("phone1,city,Phone\n", (1, 3), "Phone", None),
        (b"phone1,city\n4165550100,Caf\xe9\n", (2, None), None, "encoding"),
        ('phone1\n"open\n', (2, None), None, None),
    ],
)
def test_csv_errors_carry_where_and_what_as_fields(
    tmp_path: Path,
    data: str | bytes,
    where: tuple[int, int | None],
    header: str | None,
    fix: str | None,
) -> None:
    columns = {"Phone": "phone1"} if data == "phone1,city,Phone\n" else None
    with pytest.raises(CsvError) as caught:
        read_contacts_csv(write(tmp_path, data), columns=columns)
    error = caught.value
    assert (error.line, error.column) == where
    assert (error.header, error.fix) == (header, fix)
    assert str(error) == f"{error.path}, line {error.line}: {error.reason}"
    assert error.reason.startswith(error.problem)
    # Worded in other terms, only the fix changes: the problem and the place stay.
    other = error.explain(map_column=lambda h, f: f"<{h}:{f}>", encoding="<ENCODING>")
    assert other.startswith(f"{error.path}, line {error.line}: {error.problem}")
    assert "columns=" not in other and "encoding=..." not in other
    if fix is None:
        assert other == str(error)


def test_an_undecodable_byte_after_a_bom(tmp_path: Path) -> None:
    path = write(tmp_path, b"\xef\xbb\xbfphone1\n\xff\n")
    with pytest.raises(CsvError, match="line 2") as caught:
        read_contacts_csv(path)
    assert "byte 1 of the line" in str(caught.value)


def test_an_undecodable_byte_in_a_later_scan_block(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from freestyle_async.bulk import _csv_scan

    monkeypatch.setattr(_csv_scan, "_BLOCK", 64)
    body = "".join(f"416555{i:04d}\n" for i in range(100)).encode()
    path = write(tmp_path, b"phone1\n" + body + b"41655\x80\n")
    with pytest.raises(CsvError, match="line 102"):
        read_contacts_csv(path)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("", "the file is empty"),
        ("phone1,colour\n", "'colour' is not a contact field"),
        ("phone1,,city\n", "column 2 has no header"),
        ("phone1,Phone\n", "both give 'phone1'"),
    ],
)
def test_header_errors(tmp_path: Path, data: str, message: str) -> None:
    columns = {"Phone": "phone1"} if "Phone" in data else None
    with pytest.raises(CsvError, match=message):
        read_contacts_csv(write(tmp_path, data), columns=columns)


@pytest.mark.parametrize("blank", ["\n", "\r\n\r\n", " ,  \n", "\n,\n"])
def test_blank_lines_before_the_header_are_skipped(tmp_path: Path, blank: str) -> None:
    """Blank lines are skipped before the header as between rows (before: the blank line was
    taken as the header, and the error suggested a --map for a column the file lacks)."""
    path = write(tmp_path, blank + "phone1,account_name\n\n4165550100,Ann\n")
    rows = list(read_contacts_csv(path))
    header_line = blank.count("\n") + 1
    assert [(row.line, dict(row)) for row in rows] == [
        (header_line + 2, {"phone1": "4165550100", "account_name": "Ann"})
    ]
    assert count_csv_rows(str(path)) == 1


def test_a_header_error_after_blank_lines_names_the_header_line(tmp_path: Path) -> None:
    with pytest.raises(CsvError, match="line 3: no phone1 column") as caught:
        read_contacts_csv(write(tmp_path, "\n\nPhone\n4165550100\n"))
    assert caught.value.line == 3


def test_a_file_of_blank_lines_has_no_header(tmp_path: Path) -> None:
    with pytest.raises(CsvError, match="only blank lines: expected a header row"):
        read_contacts_csv(write(tmp_path, "\n  \n,,\n"))


def test_utf16_is_refused_clearly(tmp_path: Path) -> None:
    path = write(tmp_path, "phone1\n4165550100\n".encode("utf-16"))
    with pytest.raises(CsvError, match="not supported: save the file as UTF-8"):
        read_contacts_csv(path, encoding="utf-16")


def test_rows_with_too_many_cells_are_flagged_not_dropped(tmp_path: Path) -> None:
    path = write(tmp_path, "phone1,city\n4165550100,Ottawa,extra\n4165550101,Hull,\n")
    first, second = read_contacts_csv(path)
    assert first.problem == "the row has 3 cells but the header has 2 columns"
    assert second.problem is None  # a trailing empty cell is harmless


def test_rows_of_empty_cells_are_blank_lines(tmp_path: Path) -> None:
    path = write(tmp_path, "phone1,city\n,\n  , \n4165550100,\n")
    rows = list(read_contacts_csv(path))
    assert rows == [{"phone1": "4165550100"}]
    assert rows[0].line == 4


def test_a_malformed_row_raises_with_its_line(tmp_path: Path) -> None:
    import csv

    path = write(tmp_path, 'phone1,city\n4165550100,"Ott"awa"\n')
    rows = read_contacts_csv(path)
    try:
        csv.field_size_limit(6)  # the header fits, the row's cells do not
        with pytest.raises(CsvError, match="line 2: malformed CSV"):
            list(rows)
    finally:
        csv.field_size_limit(131072)


def test_an_unused_reader_holds_no_open_file(tmp_path: Path) -> None:
    path = write(tmp_path, "phone1\n4165550100\n")
    before = len(os.listdir("/proc/self/fd"))
    rows = read_contacts_csv(path)  # checked, but not iterated
    assert len(os.listdir("/proc/self/fd")) == before
    assert next(rows) == {"phone1": "4165550100"}


# -- the fix names a real header; a mapping to no field is refused ---------------------------


@pytest.mark.parametrize(
    ("data", "named"),
    [
        ("PHONE1,account_name\n", "PHONE1"),
        ("name,Mobile Phone\n", "Mobile Phone"),
        ("name,city\n", "name"),  # no phone-like header: the first one
    ],
)
def test_the_phone1_fix_names_a_header_of_the_file(tmp_path: Path, data: str, named: str) -> None:
    with pytest.raises(CsvError) as caught:
        read_contacts_csv(write(tmp_path, data))
    assert f"columns={{{named!r}: 'phone1'}}" in str(caught.value)
    other = caught.value.explain(map_column=lambda h, f: f"--map {h}={f}", encoding="-e")
    assert f"--map {named}=phone1" in other


def test_a_mapping_to_an_unknown_field_is_refused_by_name(tmp_path: Path) -> None:
    with pytest.raises(CsvError) as caught:
        read_contacts_csv(write(tmp_path, "Phone\n4165550100\n"), columns={"Phone": "phone11"})
    message = str(caught.value)
    assert "'phone11', which is not a contact field" in message
    assert "phone1" in message.split("fields:")[1]


def test_a_fifo_as_csv_input_is_refused_unread(tmp_path: Path) -> None:
    fifo = tmp_path / "leads.csv"
    os.mkfifo(fifo)  # no writer: reading it would block, and it is read more than once
    with pytest.raises(CsvError, match="it is a pipe or a device"):
        read_contacts_csv(fifo)


@pytest.mark.parametrize(("path", "message"), [("", "empty path"), ("a\0b", "NUL character")])
def test_an_empty_or_nul_csv_path_is_refused(path: str, message: str) -> None:
    with pytest.raises(CsvError, match=message):
        read_contacts_csv(path)


@pytest.mark.parametrize("found", [";", "\t", "|"])
def test_a_header_split_on_another_character_suggests_the_delimiter(
    tmp_path: Path, found: str
) -> None:
    path = write(tmp_path, f"phone1{found}account_name\n4165550100{found}Al\n")
    with pytest.raises(CsvError) as caught:
        read_contacts_csv(path)
    assert caught.value.fix == "delimiter"
    assert str(caught.value).endswith(f"pass delimiter={found!r}")
    assert [dict(row) for row in read_contacts_csv(path, delimiter=found)] == [
        {"phone1": "4165550100", "account_name": "Al"}
    ]


def test_a_huge_header_is_listed_in_part(tmp_path: Path) -> None:
    """A header of 20,000 columns without phone1: the message names ten, not 189 KB."""
    path = write(tmp_path, ",".join(f"c{i}" for i in range(20_000)) + "\n")
    with pytest.raises(CsvError, match="'c9', … 19,990 more") as caught:
        read_contacts_csv(path)
    assert len(str(caught.value)) < 1_000


def test_a_mapped_one_column_header_is_read_whatever_it_holds(tmp_path: Path) -> None:
    """A one-column file whose (padded) header holds a '|' and is mapped: no delimiter hint."""
    path = write(tmp_path, "Mobile | Cell \n4165550100\n")
    rows = read_contacts_csv(path, columns={"Mobile | Cell": "phone1"})
    assert [dict(row) for row in rows] == [{"phone1": "4165550100"}]
    with pytest.raises(CsvError) as caught:  # mapped with its padding: named, not split
        read_contacts_csv(path, columns={"Mobile | Cell ": "phone1"})
    assert caught.value.fix == "map_phone1"
