"""What ``read_contacts_csv`` refuses before returning a row: quotes left open, bad encodings
and arguments, and long lines, in time linear in the file and memory that does not grow."""

from __future__ import annotations

import csv
import pickle
import re
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from freestyle_async import AsyncFreestyle
from freestyle_async.bulk import CsvError, _csv_scan, read_contacts_csv
from freestyle_async.testing import Emulator

from ._data import write

MIB = 1 << 20


def refused(path: Path, **options: Any) -> CsvError:
    with pytest.raises(CsvError) as caught:
        read_contacts_csv(path, **options)
    return caught.value


def rows(n: int, first: int = 0, end: str = "\n") -> str:
    return "".join(f"41655{i:05d},Lead {i}{end}" for i in range(first, first + n))


# -- a quote left open --------------------------------------------------------------------


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"])
@pytest.mark.parametrize("last", [False, True], ids=["midway", "last-line"])
def test_a_quote_left_open_is_refused_naming_its_line(tmp_path: Path, end: str, last: bool) -> None:
    before = rows(1_000, end=end)
    opened = f'4165599999,"Smith, John{end}'
    after = "" if last else rows(500, first=2_000, end=end)
    path = write(tmp_path, f"phone1,account_name{end}{before}{opened}{after}")
    error = refused(path)
    assert error.line == 1_002 and error.path == str(path)
    assert 'a quote (") opened on this line is never closed' in str(error)


def test_the_line_is_where_the_quote_opened_not_where_its_row_began(tmp_path: Path) -> None:
    data = (
        "phone1,city,data1\n"  # line 1
        '4165550100,"Multi\nline\ncity",x\n'  # lines 2-4: a cell over three lines
        '4165550101,"a ""good"" cell",y\n'  # line 5
        '4165550103,"two\nlines","open\n'  # lines 6-7: the row starts on 6, opens on 7
    ) + rows(20)
    assert refused(write(tmp_path, data)).line == 7


def test_a_quote_left_open_over_the_field_limit_names_the_row(tmp_path: Path) -> None:
    data = "phone1,account_name\n" + rows(10) + '4165599999,"open\n' + rows(20_000, first=100)
    error = refused(write(tmp_path, data))
    assert error.line == 12
    assert f"longer than {csv.field_size_limit():,} characters" in str(error)
    assert "a quote opened there and never closed" in str(error)


def test_a_cell_over_the_field_limit_without_quotes(tmp_path: Path) -> None:
    data = "phone1,data1\n" + rows(10) + "4165599999," + "x" * 200_000 + "\n" + rows(5)
    error = refused(write(tmp_path, data))
    assert error.line == 12
    assert f"longer than {csv.field_size_limit():,} characters" in str(error)


@pytest.mark.parametrize("delimiter", [";", "X", "Z", "\t"])
def test_quotes_with_other_delimiters(tmp_path: Path, delimiter: str) -> None:
    good = f'phone1{delimiter}account_name\n4165550100{delimiter}"a {delimiter} b"\n'
    assert [dict(r) for r in read_contacts_csv(write(tmp_path, good), delimiter=delimiter)] == [
        {"phone1": "4165550100", "account_name": f"a {delimiter} b"}
    ]
    bad = good + f'4165550101{delimiter}"open\n4165550102{delimiter}x\n'
    assert refused(write(tmp_path, bad), delimiter=delimiter).line == 3


@pytest.mark.parametrize(
    "cell",
    [
        '5" screen',  # a quote inside an unquoted cell is a character
        '"a ""quoted"" word"',
        '"two\nlines"',
        '"ends in a quote"""',
        '""',
    ],
)
def test_well_formed_quotes_are_read(tmp_path: Path, cell: str) -> None:
    path = write(tmp_path, f"phone1,data1\n4165550100,{cell}\n4165550101,x\n")
    got = list(read_contacts_csv(path))
    assert [r["phone1"] for r in got] == ["4165550100", "4165550101"]
    assert [r.line for r in got] == [2, 3 + cell.count("\n")]


async def test_nothing_is_sent_from_a_file_with_a_quote_left_open(
    fs: AsyncFreestyle, emu: Emulator, campaign_id: str, tmp_path: Path
) -> None:
    data = "phone1,account_name\n" + rows(5_000) + '4165599999,"open\n' + rows(5, first=9_000)
    with pytest.raises(CsvError, match="line 5002: a quote"):
        await fs.dial_campaigns.upload_leads(campaign_id, read_contacts_csv(write(tmp_path, data)))
    assert emu.counters.requests == 0


# -- encodings and arguments --------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "message"),
    [
        ("rot13", "'rot13' is not supported: save the file as UTF-8 (it is not a text encoding)"),
        ("hex", "not a text encoding"),
        ("base64", "not a text encoding"),
        ("zlib", "not a text encoding"),
        ("utf-16", "does not write plain ASCII text as ASCII"),
        ("utf-7", "does not write plain ASCII text as ASCII"),
        ("cp500", "does not write plain ASCII text as ASCII"),  # EBCDIC
        ("klingon", "unknown encoding 'klingon'"),
        ("", "unknown encoding ''"),
        ("x" * 10_000, "unknown encoding 'xxxx"),
        (5, "encoding must be the name of a text encoding, not int"),
        (None, "encoding must be the name of a text encoding, not NoneType"),
    ],
)
def test_bad_encodings_are_refused(tmp_path: Path, encoding: Any, message: str) -> None:
    error = refused(write(tmp_path, "phone1\n4165550100\n"), encoding=encoding)
    assert message in str(error)
    assert len(str(error)) < 400


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "shift_jis", "mac_roman", "gb18030"])
def test_text_encodings_that_write_ascii_as_ascii_are_read(tmp_path: Path, encoding: str) -> None:
    name = "Zoë" if encoding != "shift_jis" else "東京"
    if encoding == "gb18030":
        name = "北京"
    path = write(tmp_path, f"phone1,city\n4165550100,{name}\n".encode(encoding))
    assert [dict(r) for r in read_contacts_csv(path, encoding=encoding)] == [
        {"phone1": "4165550100", "city": name}
    ]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"delimiter": ""}, "delimiter must be one character"),
        ({"delimiter": ";;"}, "delimiter must be one character"),
        ({"delimiter": '"'}, "delimiter must be one character"),
        ({"delimiter": "\n"}, "delimiter must be one character"),
        ({"delimiter": 5}, "delimiter must be one character"),
        ({"columns": ["phone1"]}, "columns must map CSV headers"),
        ({"columns": {"Phone": ["phone1"]}}, "columns must map CSV headers"),
        ({"columns": {5: "phone1"}}, "columns must map CSV headers"),
    ],
)
def test_bad_arguments_are_refused(tmp_path: Path, options: dict[str, Any], message: str) -> None:
    assert message in str(refused(write(tmp_path, "phone1\n4165550100\n"), **options))


def test_a_file_that_cannot_be_opened(tmp_path: Path) -> None:
    assert "cannot read the file" in str(refused(tmp_path / "missing.csv"))
    assert "cannot read the file" in str(refused(tmp_path))
    error = refused(5)  # type: ignore[arg-type]
    assert "the path must be a str or os.PathLike, not int" in str(error)


# -- long lines, CR-only files: linear, bounded ---------------------------------------------


def peak_while(fn: Any) -> tuple[Any, int]:
    tracemalloc.start()
    try:
        try:
            result = fn()
        except CsvError as exc:
            result = exc
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_one_very_long_line_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    path = write(tmp_path, b"phone1,data1\n4165550100," + b"x" * (8 * MIB) + b"\n")
    error, peak = peak_while(lambda: read_contacts_csv(path))
    assert isinstance(error, CsvError) and error.line == 2
    assert f"longer than {1 << 20:,} bytes" in str(error)
    assert peak < 3 * MIB  # a block or two, never the 8 MiB line


def test_a_mac_csv_file_with_cr_line_ends_is_read_in_bounded_memory(tmp_path: Path) -> None:
    body = rows(200_000, end="\r")  # about 4 MiB, not one \n in it
    path = write(tmp_path, "phone1,account_name\r" + body)
    reader, peak = peak_while(lambda: read_contacts_csv(path))
    assert peak < 3 * MIB
    got = list(reader)
    assert len(got) == 200_000 and got[-1].line == 200_001


def test_an_undecodable_byte_on_a_cr_only_line(tmp_path: Path) -> None:
    path = write(tmp_path, b"phone1,city\r4165550100,ok\r4165550101,caf\xe9\r")
    error = refused(path)
    assert error.line == 3 and "byte 0xe9 at byte 15 of the line" in str(error)


BREAKS = st.sampled_from(["\n", "\r\n", "\r"])


@settings(max_examples=150, deadline=None)
@given(
    lines=st.lists(
        st.tuples(st.text(st.sampled_from("ab,é€ 1"), max_size=12), BREAKS), max_size=12
    ),
    where=st.integers(0, 10_000),
    bad=st.sampled_from([b"\xff", b"\xc3", b"\xe2\x82", b"\x80"]),
    block=st.sampled_from([1, 2, 3, 5, 64]),
)
def test_decoding_errors_name_their_line_and_byte_whatever_the_blocks(
    tmp_path_factory: pytest.TempPathFactory,
    lines: list[tuple[str, str]],
    where: int,
    bad: bytes,
    block: int,
) -> None:
    data = "".join(text + end for text, end in lines).encode()
    cut = where % (len(data) + 1)
    while cut < len(data) and (data[cut] & 0xC0) == 0x80:  # not inside a character
        cut += 1
    data = b"phone1\n" + data[:cut] + bad + data[cut:]
    at = 7 + cut
    before = data[:at]
    expected_line = len(re.findall(rb"\r\n|\r|\n", before)) + 1
    line_start = max(before.rfind(b"\n"), before.rfind(b"\r")) + 1
    path = tmp_path_factory.mktemp("scan") / "leads.csv"
    path.write_bytes(data)
    original = _csv_scan._BLOCK
    _csv_scan._BLOCK = block
    try:
        with pytest.raises(CsvError) as caught:
            read_contacts_csv(path)
    finally:
        _csv_scan._BLOCK = original
    error = caught.value
    assert error.line == expected_line, (data, at)
    assert f"byte 0x{bad[0]:02x} at byte {at - line_start + 1} of the line" in str(error)


def test_a_csv_error_round_trips_through_pickle(tmp_path: Path) -> None:
    error = refused(write(tmp_path, 'phone1\n"open\n'))
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is CsvError
    assert (str(copy), copy.path, copy.line, copy.reason) == (
        str(error),
        error.path,
        error.line,
        error.reason,
    )
