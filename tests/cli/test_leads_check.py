"""``freestyle leads check``: an offline check of a leads file, its files and exit codes, and
its verdicts equal to what ``leads upload`` then does with the same file."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from freestyle_async.cli._errors import ExitCode

from ._support import Cli, EmulatorThread

HEADER = "Phone,Name,Balance,Zone"
MAPS = ["--map", "Phone=phone1", "--map", "Name=account_name", "--map", "Balance=amount"]
MAPS += ["--map", "Zone=timezone_id"]
ROWS = [
    "(819) 555-0100,Ann,12.50,-5",  # line 2
    "555-01,Bob,1,",  # line 3: bad phone
    ",Cy,1,",  # line 4: no phone
    "8195550101," + "N" * 51 + ",1,",  # line 5: name too long
    "8195550102,Di,n/a,",  # line 6: amount not a number
    "8195550103,Ed,1,east",  # line 7: timezone not an integer
    "8195550104,Flo,1,,extra",  # line 8: too many cells
    "+1 819 555 0105,Gus,1e3,",  # line 9
    "819.555.0100,Hal,3,",  # line 10: repeats line 2
    "18195550105,Ivy,4,",  # line 11: repeats line 9
]
REJECTED = {3: "phone1", 4: "phone1", 5: "account_name", 6: "amount", 7: "timezone_id", 8: ""}
# No key and no server: the check must not need either.
OFFLINE = {"FREESTYLE_API_KEY": None, "FREESTYLE_BASE_URL": "http://127.0.0.1:9/v1"}


def _write(path: Path, lines: list[str], newline: str = "\n", bom: bool = False) -> Path:
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + (newline.join(lines) + newline).encode())
    return path


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


@pytest.fixture
def leads(tmp_path: Path) -> Path:
    return _write(tmp_path / "leads.csv", [HEADER, *ROWS])


def check(run: Cli, *args: str) -> Any:
    return run("leads", "check", *args, env=OFFLINE)


def test_rejections_and_repeats_are_reported_with_exit_8(
    run: Cli, leads: Path, tmp_path: Path
) -> None:
    rejects = tmp_path / "rejects.csv"
    result = check(run, str(leads), *MAPS, "--rejects", str(rejects), "--format", "json")
    assert result.exit_code == ExitCode.INCOMPLETE
    assert "6 of 10 records" in result.stderr and str(rejects) in result.stderr
    data = json.loads(result.stdout)
    assert (data["read"], data["valid"], data["rejected"]) == (10, 4, 6)
    assert (data["duplicates"], data["unique"]) == (2, 2)
    assert {r["line"]: r["field"] or "" for r in data["rejected_rows"]} == REJECTED
    assert [(d["line"], d["first_line"], d["phone1"]) for d in data["duplicate_rows"]] == [
        (10, 2, "8195550100"),
        (11, 9, "8195550105"),
    ]
    rows = _rows(rejects)
    assert {int(r["line"]): r["field"] for r in rows} == REJECTED
    assert rows[0]["phone1"] == "555-01" and rows[0]["outcome"] == "rejected"


def test_a_clean_file_exits_0_and_the_normalized_file_is_what_would_be_sent(
    run: Cli, tmp_path: Path
) -> None:
    leads = _write(tmp_path / "in.csv", [HEADER, ROWS[0], ROWS[7], ROWS[8]])
    clean = tmp_path / "clean.csv"
    result = check(run, str(leads), *MAPS, "--normalized", str(clean), "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["normalized_written"] == 3
    assert clean.read_text(encoding="utf-8").splitlines() == [
        "phone1,account_name,amount,timezone_id",
        "8195550100,Ann,12.5,-5",
        "8195550105,Gus,1000.0,",
        "8195550100,Hal,3,",
    ]
    # the cleaned file is itself a clean leads file, with no mapping
    again = check(run, str(clean), "--format", "json")
    assert again.exit_code == 0 and json.loads(again.stdout)["valid"] == 3


def test_the_table_lists_the_rejected_lines_and_which_line_each_repeat_repeats(
    run: Cli, leads: Path
) -> None:
    result = check(run, str(leads), *MAPS, "--format", "table")
    assert result.exit_code == 8
    out = " ".join(result.stdout.split())
    assert "10 records read, 6 records would be rejected" in out
    assert "line 5 account_name must be at most 50 characters" in out
    assert "line 10 8195550100 line 2" in out and "line 11 8195550105 line 9" in out


@pytest.mark.parametrize(
    ("newline", "bom"), [("\r\n", False), ("\r", False), ("\n", True)], ids=["crlf", "cr", "bom"]
)
def test_line_endings_and_a_bom(run: Cli, tmp_path: Path, newline: str, bom: bool) -> None:
    leads = _write(tmp_path / "leads.csv", [HEADER, *ROWS], newline=newline, bom=bom)
    result = check(run, str(leads), *MAPS, "--format", "json")
    assert result.exit_code == 8
    data = json.loads(result.stdout)
    assert {r["line"]: r["field"] or "" for r in data["rejected_rows"]} == REJECTED
    assert [d["line"] for d in data["duplicate_rows"]] == [10, 11]


def test_delimiter_and_encoding_are_those_of_upload(run: Cli, tmp_path: Path) -> None:
    leads = tmp_path / "leads.csv"
    leads.write_bytes("phone1;account_name\n8195550100;Zoë\n".encode("latin-1"))
    args = [str(leads), "--delimiter", ";", "--encoding", "latin-1", "--format", "json"]
    clean = tmp_path / "clean.csv"
    result = check(run, *args, "--normalized", str(clean))
    assert result.exit_code == 0, result.stderr
    assert clean.read_text(encoding="utf-8").splitlines()[1] == "8195550100,Zoë"
    wrong = check(run, str(leads), "--delimiter", ";", "--format", "json")
    assert wrong.exit_code == 3 and "--encoding" in wrong.stderr


def test_unusable_input_exits_3(run: Cli, tmp_path: Path) -> None:
    empty = _write(tmp_path / "empty.csv", [])
    empty.write_bytes(b"")
    result = check(run, str(empty))
    assert result.exit_code == 3 and "empty" in result.stderr
    unmapped = _write(tmp_path / "unmapped.csv", ["Phone,Name", "8195550100,Ann"])
    result = check(run, str(unmapped))
    assert result.exit_code == 3 and "--map" in result.stderr


def test_a_header_without_rows_is_nothing_to_reject(run: Cli, tmp_path: Path) -> None:
    result = check(run, str(_write(tmp_path / "h.csv", ["phone1"])), "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["read"] == 0
    assert "no records" in result.stderr


def test_output_files_must_not_be_the_input_or_each_other(
    run: Cli, leads: Path, tmp_path: Path
) -> None:
    result = check(run, str(leads), *MAPS, "--normalized", str(leads))
    assert result.exit_code == 2 and "same file" in result.stderr
    same = str(tmp_path / "out.csv")
    result = check(run, str(leads), *MAPS, "--rejects", same, "--normalized", same)
    assert result.exit_code == 2 and "same file" in result.stderr
    assert not (tmp_path / "out.csv").exists()
    result = check(run, str(leads), *MAPS, "--normalized", str(tmp_path / "no" / "x.csv"))
    assert result.exit_code == 3 and "not a writable directory" in result.stderr


def test_markup_and_control_characters_in_cells_stay_inert(run: Cli, tmp_path: Path) -> None:
    hostile = "[bold red]x[/]\x1b]52;c;QUJD\x07\x1b[2J\u202e"
    leads = _write(
        tmp_path / "leads.csv",
        ["phone1,account_name", f"8195550100,{hostile}", f"{hostile},Bob", "8195550100,Cy"],
    )
    clean = tmp_path / "clean.csv"
    result = check(run, str(leads), "--format", "table", "--normalized", str(clean))
    assert result.exit_code == 8
    for text in (result.stdout, result.stderr):
        assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    # the reason names the field; the record's text is data in the files, never run
    assert "phone1" in result.stdout
    assert _rows(clean)[0]["account_name"] == hostile


def test_verdicts_equal_what_the_upload_then_does(
    run: Cli, emulator: EmulatorThread, leads: Path, tmp_path: Path
) -> None:
    campaign = emulator.emu.campaign_ids()[3]
    checked_rejects, uploaded_rejects = tmp_path / "c.csv", tmp_path / "u.csv"
    checked = check(run, str(leads), *MAPS, "--rejects", str(checked_rejects), "--format", "json")
    assert checked.exit_code == 8
    before = emulator.stored_count(campaign)
    uploaded = run(
        "leads", "upload", campaign, str(leads), *MAPS, "--rejects", str(uploaded_rejects),
        "--format", "json",
    )  # fmt: skip
    assert uploaded.exit_code == 0, uploaded.stderr
    check_data, upload_data = json.loads(checked.stdout), json.loads(uploaded.stdout)
    # every rejected line rejected (the same rejects file), every valid record accepted
    assert _rows(uploaded_rejects) == _rows(checked_rejects)
    assert upload_data["rejected"] == check_data["rejected"]
    assert upload_data["inserted"] == check_data["unique"]
    assert upload_data["skipped_by_server"] == check_data["duplicates"]
    assert upload_data["failed"] == upload_data["unknown"] == 0
    assert emulator.stored_count(campaign) - before == check_data["unique"]


def test_the_table_shows_ten_of_each_and_json_all(run: Cli, tmp_path: Path) -> None:
    lines = ["phone1", *(f"555-{i:02d}" for i in range(12)), *(["8195550199"] * 13)]
    leads = _write(tmp_path / "leads.csv", lines)
    table = check(run, str(leads), "--format", "table")
    assert table.exit_code == 8
    out = " ".join(table.stdout.split())
    assert "line 11 phone1" in out and "line 12 phone1" not in out
    assert "… and 2 more rejected rows" in out and "… and 2 more repeats" in out
    data = json.loads(check(run, str(leads), "--format", "json").stdout)
    assert len(data["rejected_rows"]) == 12 and len(data["duplicate_rows"]) == 12
    assert {d["first_line"] for d in data["duplicate_rows"]} == {14}


def test_an_interrupted_check_leaves_no_partial_cleaned_file(
    run: Cli, leads: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import freestyle_async.bulk

    real = freestyle_async.bulk.check_leads

    def interrupted(records: Any, *, on_valid: Any = None) -> Any:
        def then_stop(record: dict[str, Any], index: int, line: int | None) -> None:
            on_valid(record, index, line)
            raise KeyboardInterrupt  # Ctrl-C after the first cleaned record was written

        return real(records, on_valid=then_stop)

    monkeypatch.setattr(freestyle_async.bulk, "check_leads", interrupted)
    clean = tmp_path / "clean.csv"
    result = check(run, str(leads), *MAPS, "--normalized", str(clean))
    assert result.exit_code == 1 and "Aborted" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["leads.csv"]
