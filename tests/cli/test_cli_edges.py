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
