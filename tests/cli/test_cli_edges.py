"""Edge cases of the ``freestyle`` command: a stopped upload's partial rejects file, global
options reaching ``leads upload``, output files that are stdout, checkpoint hints, the
emulator's host, quoted ``--map`` hints and option wording."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from freestyle_async.cli._errors import ExitCode
from freestyle_async.testing import Faults

from ._support import Cli, EmulatorThread


def write_phones(path: Path, count: int, *, start: int = 0) -> None:
    """``count`` valid leads with distinct phones."""
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["phone1", "account_name"])
        for i in range(start, start + count):
            writer.writerow([f"416{5_000_000 + i:07d}", f"Lead {i}"])


def outcome(result: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(result.stdout)
    return data


@pytest.fixture
def campaign(emulator: EmulatorThread) -> str:
    return emulator.emu.campaign_ids()[1]


def test_upload_stopped_by_404_prints_totals_and_says_rejects_is_partial(
    run: Cli, tmp_path: Path
) -> None:
    leads, rejects = tmp_path / "leads.csv", tmp_path / "rejects.csv"
    write_phones(leads, 2_000)
    result = run(
        "leads", "upload", "c_missing", str(leads), "--rejects", str(rejects),
        "--chunk-size", "100", "--concurrency", "1", "--no-progress",
    )  # fmt: skip
    assert result.exit_code == ExitCode.NOT_FOUND
    data = outcome(result)
    assert data["not_read"] > 0 and data["read"] + data["not_read"] == 2_000
    with rejects.open(encoding="utf-8") as file:
        assert sum(1 for _ in file) - 1 == data["rejects_written"] < 2_000
    error = result.stderr.strip().splitlines()[-1]
    assert "not found" in error and "PARTIAL" in error and str(rejects) in error


def test_upload_stopped_by_404_after_reading_everything_says_the_rejects_are_whole(
    run: Cli, tmp_path: Path
) -> None:
    """A small file is read whole before the first chunk's 404: nothing is PARTIAL then."""
    leads, rejects = tmp_path / "leads.csv", tmp_path / "rejects.csv"
    write_phones(leads, 2)
    result = run(
        "leads", "upload", "c_missing", str(leads), "--rejects", str(rejects), "--no-progress"
    )  # fmt: skip
    assert result.exit_code == ExitCode.NOT_FOUND
    assert outcome(result)["not_read"] == 0
    error = result.stderr.strip().splitlines()[-1]
    assert "PARTIAL" not in error and "never read" not in error
    assert "every one of the 2 rows was read" in error and "lists every row not accepted" in error


def test_upload_tries_a_chunk_max_retries_plus_one_times(
    run: Cli, emulator: EmulatorThread, campaign: str, tmp_path: Path
) -> None:
    leads = tmp_path / "leads.csv"
    write_phones(leads, 5, start=9_000)
    emulator.set_faults(Faults(drop_before_rate=1.0, methods={"POST"}))
    try:
        result = run("--max-retries", "1", "leads", "upload", campaign, str(leads), "--no-progress")
    finally:
        emulator.set_faults(None)
    assert result.exit_code == ExitCode.INCOMPLETE
    assert [chunk["attempts"] for chunk in outcome(result)["chunks"]] == [2]


def test_upload_help_says_how_max_retries_and_timeout_apply(run: Cli) -> None:
    text = " ".join(run("leads", "upload", "--help").stdout.split())
    assert "with --max-retries N, N + 1 times" in text
    assert "--timeout bounds each request" in text


def write_two_leads(path: Path) -> None:
    path.write_text("phone1,account_name\n4165550100,Alice\n4165550101,Bob\n", encoding="utf-8")


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc/self/fd")
def test_normalized_to_a_pipe_fd_is_written_into(run: Cli, tmp_path: Path) -> None:
    leads = tmp_path / "in.csv"
    write_two_leads(leads)
    read_end, write_end = os.pipe()
    try:
        result = run("leads", "check", str(leads), "--normalized", f"/proc/self/fd/{write_end}")
    finally:
        os.close(write_end)
    with os.fdopen(read_end, encoding="utf-8") as pipe:
        written = pipe.read()
    assert result.exit_code == 0, result.stderr
    assert written.splitlines() == ["phone1,account_name", "4165550100,Alice", "4165550101,Bob"]


def test_normalized_to_dev_stdout_redirected_to_a_file_keeps_both(tmp_path: Path) -> None:
    leads, out = tmp_path / "in.csv", tmp_path / "out.txt"
    write_two_leads(leads)
    out.write_text("before\n", encoding="utf-8")
    with out.open("a", encoding="utf-8") as stdout:
        done = subprocess.run(
            [sys.executable, "-m", "freestyle_async.cli", "leads", "check", str(leads),
             "--normalized", "/dev/stdout", "--format", "json"],
            stdout=stdout, stderr=subprocess.PIPE, text=True, timeout=30, check=False,
        )  # fmt: skip
    assert done.returncode == 0, done.stderr
    # The CSV went where stdout stands (appended, not a replaced file); the summary to stderr.
    assert out.read_text(encoding="utf-8").splitlines() == [
        "before", "phone1,account_name", "4165550100,Alice", "4165550101,Bob",
    ]  # fmt: skip
    assert json.loads(done.stderr)["normalized_written"] == 2


@pytest.mark.parametrize("kind", ["csv", "device"])
def test_checkpoint_that_is_not_one_is_not_offered_for_deletion(
    run: Cli, campaign: str, tmp_path: Path, kind: str
) -> None:
    leads, other = tmp_path / "in.csv", tmp_path / "customers.csv"
    write_two_leads(leads)
    other.write_text("phone1,account_name\n4165550199,Precious\n", encoding="utf-8")
    checkpoint = str(other) if kind == "csv" else os.devnull
    result = run(
        "leads", "upload", campaign, str(leads), "--no-progress", "--checkpoint", checkpoint
    )
    assert result.exit_code == ExitCode.CONFIG
    assert "is not a checkpoint file" in result.stderr and "check the path" in result.stderr
    assert "delete it" not in result.stderr
    assert other.read_text(encoding="utf-8").endswith("Precious\n")  # left as it was


def test_damaged_checkpoint_still_says_delete_it(run: Cli, campaign: str, tmp_path: Path) -> None:
    leads, checkpoint = tmp_path / "in.csv", tmp_path / "run.ckpt"
    write_two_leads(leads)
    checkpoint.write_text('{"format": "freestyle-bulk-checkpoint", "version": 1}')
    result = run(
        "leads", "upload", campaign, str(leads), "--no-progress", "--checkpoint", str(checkpoint)
    )
    assert result.exit_code == ExitCode.CONFIG
    assert "delete it to start over" in result.stderr


def test_emulator_command_refuses_a_bad_host_as_usage(run: Cli) -> None:
    result = run("emulator", "--port", "0", "--host", "not..a..host")
    assert result.exit_code == ExitCode.USAGE
    assert "--host" in result.stderr and "unexpected" not in result.stderr


def test_python_m_testing_refuses_a_bad_host_as_usage(capsys: pytest.CaptureFixture[str]) -> None:
    from freestyle_async.testing._serve import main

    with pytest.raises(SystemExit) as stop:
        main(["--port", "0", "--host", "not..a..host"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "--host" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("header", "suggested"),
    [
        ("Mobile phone,x", "--map 'Mobile phone=phone1'"),
        ("Phone $(touch pwned),x", "--map 'Phone $(touch pwned)=phone1'"),
        ("Ph\x1bone,x", "--map $'Ph\\x1bone=phone1'"),
    ],
)
def test_suggested_map_is_shell_quoted(
    run: Cli, tmp_path: Path, header: str, suggested: str
) -> None:
    leads = tmp_path / "in.csv"
    leads.write_text(f"{header}\n4165550100,a\n", encoding="utf-8")
    result = run("leads", "check", str(leads))
    assert result.exit_code == ExitCode.CONFIG
    assert result.stderr.rstrip().endswith(f"map yours with {suggested}")
    assert "\x1b" not in result.stderr


@pytest.mark.parametrize(("delimiter", "shown"), [(";", "';'"), ("\t", "'\\t'"), ("|", "'|'")])
def test_header_split_with_the_wrong_delimiter_suggests_delimiter(
    run: Cli, tmp_path: Path, delimiter: str, shown: str
) -> None:
    leads = tmp_path / "in.csv"
    leads.write_text(f"phone1{delimiter}account_name\n4165550100{delimiter}Al\n")
    result = run("leads", "check", str(leads))
    assert result.exit_code == ExitCode.CONFIG
    assert result.stderr.rstrip().endswith(f"pass --delimiter {shown}")
    assert "--map" not in result.stderr


@pytest.mark.parametrize("mark", ["\u200e", "\u200f", "\u061c"])
def test_bidi_marks_are_escaped_in_table_and_json(run: Cli, tmp_path: Path, mark: str) -> None:
    leads = tmp_path / f"in{mark}put.csv"  # the file's name is shown in both outputs
    write_two_leads(leads)
    result = run("leads", "check", str(leads), "--format", "json")
    table = run("leads", "check", str(leads), "--format", "table")
    assert result.exit_code == table.exit_code == 0
    assert mark not in result.stdout and mark not in table.stdout
    assert f"\\u{ord(mark):04x}" in result.stdout  # JSON: an escape, the same text decoded
    assert f"\\u{ord(mark):04x}" in table.stdout  # shown, not obeyed


def test_an_error_quoting_a_huge_header_is_short(run: Cli, tmp_path: Path) -> None:
    leads = tmp_path / "wide.csv"
    leads.write_text(",".join(f"c{i}" for i in range(20_000)) + "\n" + "1," * 19_999 + "1\n")
    result = run("leads", "check", str(leads))
    assert result.exit_code == ExitCode.CONFIG
    assert len(result.stderr) < 1_000 and "19,990 more" in result.stderr


def test_from_after_to_is_a_usage_error_in_option_names(run: Cli) -> None:
    result = run("activity", "c_x", "--from", "2026-05-02", "--to", "2026-05-01")
    assert result.exit_code == ExitCode.USAGE
    assert "--from 2026-05-02 is after --to 2026-05-01" in result.stderr
    assert "from_=" not in result.stderr


def test_map_to_a_field_that_does_not_exist_is_a_usage_error(run: Cli, tmp_path: Path) -> None:
    leads = tmp_path / "in.csv"
    write_two_leads(leads)
    result = run("leads", "check", str(leads), "--map", "account_name=notes")
    assert result.exit_code == ExitCode.USAGE
    assert "--map" in result.stderr and "'notes' is not a contact field" in result.stderr
    assert "columns maps" not in result.stderr


def test_a_header_mapped_twice_is_refused(run: Cli, tmp_path: Path) -> None:
    leads = tmp_path / "in.csv"
    leads.write_text("Phone,Name\n4165550100,Al\n", encoding="utf-8")
    result = run(
        "leads", "check", str(leads), "--map", "Phone=phone1", "--map", "Phone=account_name"
    )
    assert result.exit_code == ExitCode.USAGE
    assert "'Phone' is mapped twice" in result.stderr


@pytest.mark.parametrize("value", ["5", "99"])
def test_activity_type_beyond_the_four_is_refused(run: Cli, value: str) -> None:
    result = run("activity", "c_x", "--type", value)
    assert result.exit_code == ExitCode.USAGE
    assert "not an activity type id (1, 2, 3, 4)" in result.stderr


def test_the_rows_not_read_reuse_the_count_made_beside_the_upload(tmp_path: Path) -> None:
    """The file is not counted a second time when the count run during the upload ended."""
    from freestyle_async.cli._upload import count_unread

    gone = str(tmp_path / "gone.csv")  # never read: it does not exist
    assert count_unread(gone, 300, "utf-8", ",", total=2_000) == 1_700
    assert count_unread(gone, 300, "utf-8", ",") is None  # counted now: it cannot be
