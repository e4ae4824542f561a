"""``freestyle leads upload``: the summary, the rejects file, exit codes and bad input."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from freestyle_async.bulk import CsvError, CsvRow
from freestyle_async.cli._errors import ExitCode
from freestyle_async.testing import Faults

from ._support import Cli, EmulatorThread

HEADER = ["Phone", "Name", "Account", "Notes"]
MAPS = ["--map", "Phone=phone1", "--map", "Name=account_name", "--map", "Account=account_id"]
MAPS_IGNORING_NOTES = [*MAPS, "--map", "Notes="]


def write_leads(path: Path, count: int, *, start: int = 0) -> dict[int, str]:
    """``count`` leads; every 10th has a bad phone, every 25th a name that is too long.
    Returns {CSV line: field} of the invalid ones."""
    bad: dict[int, str] = {}
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(HEADER)
        for i in range(start, start + count):
            line = i - start + 2
            phone = f"+1 (416) {2_000_000 + i * 7919 % 8_000_000:07d}"
            phone = f"{phone[:-4]}-{phone[-4:]}"
            name = f"Lead {i}"
            if i % 10 == 3:
                phone, bad[line] = "555-0199", "phone1"
            elif i % 25 == 7:
                name, bad[line] = "N" * 60, "account_name"
            writer.writerow([phone, name, f"ACC-{i}", "note"])
    return bad


def outcome(result: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def balanced(data: dict[str, Any]) -> bool:
    parts = ("inserted", "skipped_by_server", "rejected", "failed", "unknown", "already_done")
    return bool(data["read"] == sum(data[p] for p in parts))


@pytest.fixture
def campaign(emulator: EmulatorThread) -> str:
    return emulator.emu.campaign_ids()[1]


def test_upload_accounts_for_every_row(
    run: Cli, emulator: EmulatorThread, campaign: str, tmp_path: Path
) -> None:
    leads = tmp_path / "leads.csv"
    rejects = tmp_path / "rejects.csv"
    bad = write_leads(leads, 2_500)
    before = emulator.stored_count(campaign)
    args = ["leads", "upload", campaign, str(leads), *MAPS_IGNORING_NOTES]
    result = run(*args, "--rejects", str(rejects), "--chunk-size", "300", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = outcome(result)
    assert data["read"] == 2_500 and balanced(data)
    assert data["rejected"] == len(bad)
    assert data["inserted"] == 2_500 - len(bad)
    assert emulator.stored_count(campaign) - before == data["inserted"]
    assert data["rejects_file"] == str(rejects) and data["rejects_written"] == len(bad)
    with rejects.open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert {int(r["line"]): r["field"] for r in rows} == bad
    assert all(r["outcome"] == "rejected" and r["reason"] for r in rows)
    phone_row = next(r for r in rows if r["field"] == "phone1")
    assert phone_row["phone1"] == "555-0199" and phone_row["account_id"].startswith("ACC-")
    assert int(phone_row["index"]) == int(phone_row["line"]) - 2
    assert "Uploading leads.csv" in result.stderr  # the bar's final state, off a terminal


def test_upload_table_summary_and_hint_without_rejects_file(
    run: Cli, campaign: str, tmp_path: Path
) -> None:
    leads = tmp_path / "leads.csv"
    write_leads(leads, 300, start=10_000)
    result = run("leads", "upload", campaign, str(leads), *MAPS_IGNORING_NOTES, "--format", "table")
    assert result.exit_code == 0, result.stderr
    assert "inserted" in result.stdout and "rejected" in result.stdout
    assert "Most common reasons" in result.stdout
    assert "rejected: phone1: must be a 10-digit" in result.stdout
    assert "pass --rejects FILE" in result.stderr


def test_checkpoint_skips_accepted_chunks_on_a_rerun(
    run: Cli, campaign: str, tmp_path: Path
) -> None:
    leads = tmp_path / "leads.csv"
    checkpoint = tmp_path / "upload.checkpoint"
    bad = write_leads(leads, 1_200, start=20_000)
    args = ["leads", "upload", campaign, str(leads), *MAPS_IGNORING_NOTES, "--chunk-size", "250"]
    first = outcome(run(*args, "--checkpoint", str(checkpoint), "--format", "json"))
    assert first["inserted"] == 1_200 - len(bad) and checkpoint.exists()
    second = outcome(run(*args, "--checkpoint", str(checkpoint), "--format", "json"))
    assert second["already_done"] == 1_200 - len(bad)
    assert second["inserted"] == 0 and second["rejected"] == len(bad) and balanced(second)


def test_strict_makes_rejections_an_exit_8(run: Cli, campaign: str, tmp_path: Path) -> None:
    leads = tmp_path / "leads.csv"
    write_leads(leads, 50, start=30_000)
    result = run("leads", "upload", campaign, str(leads), *MAPS_IGNORING_NOTES, "--strict")
    assert result.exit_code == 8
    assert json.loads(result.stdout)["rejected"] > 0
    assert result.stderr.rstrip().splitlines()[-1].startswith(f"Error: upload to {campaign}")


def test_failed_chunks_exit_8_and_land_in_the_rejects_file(
    run: Cli, emulator: EmulatorThread, campaign: str, tmp_path: Path
) -> None:
    leads = tmp_path / "leads.csv"
    rejects = tmp_path / "rejects.csv"
    bad = write_leads(leads, 400, start=40_000)
    emulator.set_faults(Faults(error_rate=1.0, error_statuses=(400,), methods={"POST"}))
    try:
        result = run(
            "leads", "upload", campaign, str(leads), *MAPS_IGNORING_NOTES,
            "--rejects", str(rejects), "--chunk-size", "100",
        )  # fmt: skip
    finally:
        emulator.set_faults(None)
    assert result.exit_code == ExitCode.INCOMPLETE
    data = outcome(result)
    assert data["failed"] == 400 - len(bad) and data["inserted"] == 0 and balanced(data)
    last = result.stderr.rstrip().splitlines()[-1]
    assert last.startswith(
        f"Error: upload to {campaign} incomplete: {data['failed']} records failed"
    )
    with rejects.open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert sum(r["outcome"] == "failed" for r in rows) == data["failed"]
    assert sum(r["outcome"] == "rejected" for r in rows) == len(bad)
    failed = next(r for r in rows if r["outcome"] == "failed")
    assert "HTTP 400" in failed["reason"] and len(failed["phone1"]) == 10  # as sent
    # Each failed row names its chunk's request id, as the JSON output's chunks do.
    traced = {rid for c in data["chunks"] for rid in c["request_ids"]}
    assert failed["request_ids"] in traced and failed["request_ids"].startswith("req_")


def test_unknown_campaign_is_a_404(run: Cli, tmp_path: Path) -> None:
    leads = tmp_path / "leads.csv"
    write_leads(leads, 20)
    result = run("leads", "upload", "c_missing", str(leads), *MAPS_IGNORING_NOTES, "--no-progress")
    assert result.exit_code == ExitCode.NOT_FOUND
    assert outcome(result)["read"] == 20  # the summary still accounts for what was read
    assert result.stderr.strip().splitlines() == [
        line for line in result.stderr.strip().splitlines() if line.startswith("Error: ")
    ]
    assert "check the campaign id with `freestyle campaigns list`" in result.stderr


def test_refused_key_on_upload(run: Cli, campaign: str, tmp_path: Path) -> None:
    leads = tmp_path / "leads.csv"
    write_leads(leads, 20)
    key = "ft_" + "0" * 64
    result = run(
        "leads", "upload", campaign, str(leads), *MAPS_IGNORING_NOTES, "--no-progress",
        env={"FREESTYLE_API_KEY": key},
    )  # fmt: skip
    assert result.exit_code == ExitCode.AUTH
    assert key not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("content", "maps", "expected"),
    [
        ("Phone,Name\n4165550100,A\n", [], "no phone1 column"),
        ("Phone,Name\n4165550100,A\n", [], "map yours with --map Phone=phone1"),
        ("account_name\nA\n", [], "no phone1 column"),
        ("", [], "the file is empty"),
        ("Phone,Notes\n4165550100,x\n", ["--map", "Phone=phone1"], "ignore it with --map Notes="),
    ],
)  # fmt: skip
def test_bad_csv_is_one_line_and_exit_3(
    run: Cli, campaign: str, tmp_path: Path, content: str, maps: list[str], expected: str
) -> None:
    leads = tmp_path / "bad.csv"
    leads.write_text(content, encoding="utf-8")
    result = run("leads", "upload", campaign, str(leads), *maps)
    assert result.exit_code == ExitCode.CONFIG
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: bad CSV file {leads}")
    assert expected in lines[0]
    assert "columns=" not in lines[0]  # Python-API wording is translated to options


def test_the_suggested_map_for_an_empty_header_works(
    run: Cli, campaign: str, tmp_path: Path
) -> None:
    leads = tmp_path / "blank-header.csv"
    leads.write_text("phone1,,account_name\n4165550177,x,A\n4165550178,y,B\n", encoding="utf-8")
    refused = run("leads", "upload", campaign, str(leads))
    assert refused.exit_code == ExitCode.CONFIG
    assert "column 2 has no header" in refused.stderr
    assert "ignore it with --map =" in refused.stderr
    result = run("leads", "upload", campaign, str(leads), "--map", "=", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = outcome(result)
    assert (data["read"], data["rejected"]) == (2, 0)
    assert balanced(data)


def test_undecodable_csv(run: Cli, campaign: str, tmp_path: Path) -> None:
    leads = tmp_path / "latin1.csv"
    leads.write_bytes(b"phone1,account_name\n4165550100,Fran\xe7ois\n")
    result = run("leads", "upload", campaign, str(leads))
    assert result.exit_code == 3
    assert "line 2" in result.stderr and "--encoding" in result.stderr
    fixed = run(
        "leads", "upload", campaign, str(leads), "--encoding", "latin-1", "--format", "json"
    )
    assert fixed.exit_code == 0, fixed.stderr
    assert json.loads(fixed.stdout)["read"] == 1


def test_option_errors_are_usage_errors(run: Cli, campaign: str, tmp_path: Path) -> None:
    leads = tmp_path / "leads.csv"
    write_leads(leads, 5)
    no_equals = run("leads", "upload", campaign, str(leads), "--map", "Phone")
    assert no_equals.exit_code == 2 and "CSV_HEADER=FIELD" in no_equals.stderr
    missing = run("leads", "upload", campaign, str(tmp_path / "nope.csv"))
    assert missing.exit_code == 2 and "does not exist" in missing.stderr
    big_chunks = run("leads", "upload", campaign, str(leads), "--chunk-size", "5000")
    assert big_chunks.exit_code == 2


def test_rejects_file_in_a_missing_folder_is_refused_before_sending(
    run: Cli, emulator: EmulatorThread, campaign: str, tmp_path: Path
) -> None:
    leads = tmp_path / "leads.csv"
    write_leads(leads, 30, start=50_000)
    before = emulator.stored_count(campaign)
    result = run(
        "leads", "upload", campaign, str(leads), *MAPS_IGNORING_NOTES,
        "--rejects", str(tmp_path / "nope" / "rejects.csv"),
    )  # fmt: skip
    assert result.exit_code == 3
    assert "is not a writable directory" in result.stderr
    assert emulator.stored_count(campaign) == before


def test_no_progress_keeps_stderr_quiet(run: Cli, campaign: str, tmp_path: Path) -> None:
    leads = tmp_path / "leads.csv"
    leads.write_text("phone1\n4165550142\n4165550143\n", encoding="utf-8")
    result = run("leads", "upload", campaign, str(leads), "--no-progress", "--format", "csv")
    assert result.exit_code == 0
    assert result.stderr == ""
    row = next(csv.DictReader(result.stdout.splitlines()))
    assert row["read"] == "2" and row["campaign_id"] == campaign


def _failing_reader(fail_at: int, error: Exception) -> Any:
    """A ``read_contacts_csv`` whose rows raise ``error`` after ``fail_at`` rows, as a file
    that turns bad (or unreadable) far into it does."""

    def read(path: Any, **kwargs: Any) -> Iterator[CsvRow]:
        def rows() -> Iterator[CsvRow]:
            for n in range(fail_at):
                yield CsvRow({"phone1": f"416{2_000_000 + n * 7919:07d}"}, line=n + 2)
            raise error

        return rows()

    return read


@pytest.mark.parametrize(
    ("error", "code", "says"),
    [
        (
            CsvError("a quote opened here is never closed", path="leads.csv", line=27),
            ExitCode.CONFIG,
            "upload stopped at a bad CSV row: leads.csv, line 27: a quote opened",
        ),
        (OSError(5, "Input/output error"), ExitCode.INCOMPLETE, "stopped: the input failed"),
    ],
    ids=["bad row", "read error"],
)
def test_an_upload_that_stops_midway_shows_its_partial_report(
    run: Cli,
    campaign: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    error: Exception,
    code: int,
    says: str,
) -> None:
    import freestyle_async.bulk

    monkeypatch.setattr(freestyle_async.bulk, "read_contacts_csv", _failing_reader(25, error))
    leads = tmp_path / "leads.csv"
    leads.write_text("phone1\n4165550100\n", encoding="utf-8")
    rejects = tmp_path / "rejects.csv"
    result = run(
        "leads", "upload", campaign, str(leads), "--chunk-size", "10", "--rejects", str(rejects),
        "--checkpoint", str(tmp_path / "state.json"), "--format", "json", "--no-progress",
    )  # fmt: skip
    assert result.exit_code == code, result.output
    data = outcome(result)
    assert data["read"] == 25 and balanced(data)
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith("Error: ") and says in line and "Traceback" not in result.stderr
    assert f"the records not accepted are in {rejects}" in line
    assert "re-run with the same --checkpoint" in line
    with rejects.open(encoding="utf-8", newline="") as file:
        listed = list(csv.DictReader(file))
    assert len(listed) == data["failed"] + data["unknown"] + data["rejected"]
