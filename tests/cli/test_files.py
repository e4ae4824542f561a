"""Every file option and every number, name and character option of the command: a bad one is
refused with the documented exit code, before anything is sent, and never with a traceback."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from freestyle_async.cli._errors import ExitCode
from freestyle_async.resources import AsyncDialCampaigns

from ._support import Cli, EmulatorThread

LEADS = "phone1,account_name\n4165550142,A\n4165550143,B\n"


@pytest.fixture
def campaign(emulator: EmulatorThread) -> str:
    return emulator.emu.campaign_ids()[2]


@pytest.fixture
def leads(tmp_path: Path) -> Path:
    path = tmp_path / "leads.csv"
    path.write_text(LEADS, encoding="utf-8")
    return path


def refused(result: Result, code: int) -> str:
    """The error line of a refused command, checked: its code, one line, no traceback."""
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1, result.stderr
    return errors[0]


# -- files: an output is never an input or another output -----------------------------------


def _same_file_spellings(tmp_path: Path, leads: Path) -> dict[str, str]:
    """Other names of ``leads``: relative, with ./ and .., a symlink, a symlinked folder and a
    hard link (the working directory is ``tmp_path``)."""
    (tmp_path / "sub").mkdir()
    (tmp_path / "link.csv").symlink_to(leads)
    (tmp_path / "folder").symlink_to(tmp_path, target_is_directory=True)
    os.link(leads, tmp_path / "hard.csv")
    return {
        "same path": str(leads),
        "relative": "leads.csv",
        "dot": "./leads.csv",
        "dot-dot": "sub/../leads.csv",
        "symlink": "link.csv",
        "symlinked folder": "folder/leads.csv",
        "hard link": "hard.csv",
    }


@pytest.mark.parametrize("option", ["--rejects", "--checkpoint"])
def test_an_output_naming_the_input_is_refused_before_sending(
    run: Cli,
    emulator: EmulatorThread,
    campaign: str,
    leads: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    option: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    before = emulator.stored_count(campaign)
    for how, name in _same_file_spellings(tmp_path, leads).items():
        result = run("leads", "upload", campaign, str(leads), option, name)
        line = refused(result, ExitCode.USAGE)
        assert "is the same file as FILE" in line and option in line, how
        assert leads.read_text(encoding="utf-8") == LEADS, how
    assert emulator.stored_count(campaign) == before


def test_rejects_naming_the_checkpoint_is_refused(
    run: Cli,
    emulator: EmulatorThread,
    campaign: str,
    leads: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    before = emulator.stored_count(campaign)
    for checkpoint, rejects in [
        ("state.json", "./sub/../state.json"),  # neither exists yet
        (str(tmp_path / "state.json"), "state.json"),
    ]:
        result = run(
            "leads", "upload", campaign, str(leads), "--checkpoint", checkpoint,
            "--rejects", rejects,
        )  # fmt: skip
        line = refused(result, ExitCode.USAGE)
        assert "--rejects" in line and "is the same file as --checkpoint" in line
    assert emulator.stored_count(campaign) == before
    assert not (tmp_path / "state.json").exists()


@pytest.mark.parametrize("option", ["--rejects", "--checkpoint"])
@pytest.mark.parametrize("where", ["missing folder", "folder is a file"])
def test_an_output_whose_folder_cannot_be_written_is_refused_before_sending(
    run: Cli,
    emulator: EmulatorThread,
    campaign: str,
    leads: Path,
    tmp_path: Path,
    option: str,
    where: str,
) -> None:
    folder = tmp_path / "nope" if where == "missing folder" else leads
    before = emulator.stored_count(campaign)
    result = run("leads", "upload", campaign, str(leads), option, str(folder / "out"))
    line = refused(result, ExitCode.CONFIG)
    assert f"cannot write {option}" in line and "is not a writable directory" in line
    assert emulator.stored_count(campaign) == before


def test_distinct_files_are_fine(run: Cli, campaign: str, leads: Path, tmp_path: Path) -> None:
    result = run(
        "leads", "upload", campaign, str(leads), "--checkpoint", str(tmp_path / "state.json"),
        "--rejects", str(tmp_path / "rejects.csv"), "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (tmp_path / "state.json").exists() and (tmp_path / "rejects.csv").exists()


# -- a checkpoint that is not one -----------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    ["[" * 100_000, '{"a":' * 50_000 + "1" + "}" * 50_000, "not json", '{"format": 1e999}', ""],
    ids=["deep list", "deep object", "text", "huge number", "empty"],
)
def test_an_unreadable_checkpoint_is_a_clear_input_error(
    run: Cli,
    emulator: EmulatorThread,
    campaign: str,
    leads: Path,
    tmp_path: Path,
    content: str,
) -> None:
    checkpoint = tmp_path / "state.json"
    checkpoint.write_text(content, encoding="utf-8")
    before = emulator.stored_count(campaign)
    result = run("leads", "upload", campaign, str(leads), "--checkpoint", str(checkpoint))
    line = refused(result, ExitCode.CONFIG)
    assert str(checkpoint) in line
    assert emulator.stored_count(campaign) == before
    assert checkpoint.read_text(encoding="utf-8") == content


def test_a_recursion_error_from_the_library_is_still_a_clear_input_error(
    run: Cli, campaign: str, leads: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def deep(*args: Any, **kwargs: Any) -> Any:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(AsyncDialCampaigns, "upload_leads", deep)
    checkpoint = tmp_path / "state.json"
    result = run("leads", "upload", campaign, str(leads), "--checkpoint", str(checkpoint))
    line = refused(result, ExitCode.CONFIG)
    assert f"cannot read the checkpoint {checkpoint}" in line and "nested too deeply" in line


# -- names and characters -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "value", "says"),
    [
        ("--encoding", "rot13", "is not a text encoding"),
        ("--encoding", "base64", "is not a text encoding"),
        ("--encoding", "zlib_codec", "is not a text encoding"),
        ("--encoding", "no-such-codec", "is not a text encoding"),
        ("--encoding", "", "is not a text encoding"),
        ("--delimiter", "", "is not one character"),
        ("--delimiter", ";;", "is not one character"),
        ("--delimiter", '"', "cannot separate cells"),
        ("--delimiter", "\n", "cannot separate cells"),
        ("--delimiter", "\r", "cannot separate cells"),
        ("--delimiter", "\x00", "cannot separate cells"),
        ("--delimiter", "\x1b", "cannot separate cells"),
    ],
)
def test_bad_encoding_or_delimiter_is_a_usage_error(
    run: Cli, campaign: str, leads: Path, option: str, value: str, says: str
) -> None:
    line = refused(run("leads", "upload", campaign, str(leads), option, value), ExitCode.USAGE)
    assert option in line and says in line
    assert "\x1b" not in line and "\x00" not in line


def test_a_tab_delimiter_can_be_spelled(run: Cli, campaign: str, tmp_path: Path) -> None:
    tsv = tmp_path / "leads.tsv"
    tsv.write_text("phone1\taccount_name\n4165550144\tA\n", encoding="utf-8")
    for spelling in ("\t", "\\t", "tab"):
        result = run(
            "leads", "upload", campaign, str(tsv), "--delimiter", spelling, "--format", "json"
        )
        assert result.exit_code == 0, result.output


# -- numbers --------------------------------------------------------------------------------

HUGE = str(10**20)


@pytest.mark.parametrize(
    "args",
    [
        ["--timeout", "inf", "account"],
        ["--timeout", "-inf", "account"],
        ["--timeout", "nan", "account"],
        ["--timeout", "1e309", "account"],
        ["--timeout", "-1", "account"],
        ["--timeout", "0", "account"],
        ["--timeout", "soon", "account"],
        ["--max-retries", "-1", "account"],
        ["--max-retries", "1.5", "account"],
        ["campaigns", "list", "--limit", "0"],
        ["campaigns", "list", "--limit", "-5"],
        ["results", "c_x", "--disposition", HUGE],
        ["results", "c_x", "--disposition", "0"],
        ["sms", "messages", "sc_x", "--run-id", HUGE],
        ["sms", "messages", "sc_x", "--run-id", "-1"],
        ["activity", "c_x", "--type", HUGE],
        ["activity", "c_x", "--type", "0"],
        ["activity", "c_x", "--type", "²"],
        ["leads", "upload", "c_x", "LEADS", "--concurrency", HUGE],
        ["leads", "upload", "c_x", "LEADS", "--concurrency", "0"],
        ["leads", "upload", "c_x", "LEADS", "--chunk-size", HUGE],
        ["leads", "upload", "c_x", "LEADS", "--chunk-size", "0"],
        ["emulator", "--port", "70000"],
        ["emulator", "--latency", "nan"],
        ["emulator", "--latency", "inf"],
        ["emulator", "--latency", "-1"],
        ["emulator", "--error-rate", "nan"],
        ["emulator", "--error-rate", "1.5"],
        ["demo", "--leads", "0"],
        ["demo", "--leads", HUGE],
    ],
    ids=" ".join,
)
def test_a_bad_number_is_a_usage_error(run: Cli, leads: Path, args: list[str]) -> None:
    args = [str(leads) if arg == "LEADS" else arg for arg in args]
    line = refused(run(*args), ExitCode.USAGE)
    assert "Invalid value" in line


@pytest.mark.parametrize(
    "args",
    [
        ["--max-retries", HUGE, "account"],
        ["--timeout", "1e300", "account"],
        ["campaigns", "list", "--limit", HUGE],
    ],
    ids=" ".join,
)
def test_a_huge_but_valid_number_works(run: Cli, args: list[str]) -> None:
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.output


# -- written files: a symlink's target is written, a device or a pipe is written into ------

BAD_ROWS = "phone1,account_name\n4165550142,A\n555,B\n"


def _check(run: Cli, leads: Path, *args: str) -> Result:
    # Offline: ``leads check`` needs no key and no server.
    offline = {"FREESTYLE_API_KEY": None, "FREESTYLE_BASE_URL": "http://127.0.0.1:9/v1"}
    return run("leads", "check", str(leads), *args, env=offline)


def _null_device(tmp_path: Path) -> Path:
    """A character device like /dev/null (1, 3), made under tmp_path (the tests run as root)."""
    path = tmp_path / "null"
    os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    return path


@pytest.mark.parametrize("option", ["--rejects", "--normalized"])
def test_a_written_symlink_writes_its_target(
    run: Cli, tmp_path: Path, leads: Path, option: str
) -> None:
    leads.write_text(BAD_ROWS, encoding="utf-8")
    target = tmp_path / "real.csv"
    target.write_text("old")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    result = _check(run, leads, option, str(link))
    assert result.exit_code == ExitCode.INCOMPLETE, result.output
    assert link.is_symlink()
    assert target.read_text(encoding="utf-8").startswith(
        "outcome," if option == "--rejects" else "phone1"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["leads.csv", "link.csv", "real.csv"]


@pytest.mark.parametrize("option", ["--rejects", "--normalized"])
def test_a_written_device_stays_a_device(
    run: Cli, tmp_path: Path, leads: Path, option: str
) -> None:
    leads.write_text(BAD_ROWS, encoding="utf-8")
    device = _null_device(tmp_path)
    result = _check(run, leads, option, str(device))
    assert result.exit_code == ExitCode.INCOMPLETE, result.output
    assert stat.S_ISCHR(os.stat(device).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["leads.csv", "null"]
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)  # read-only check of the real one


def test_rejects_into_a_fifo_reaches_its_reader(run: Cli, tmp_path: Path, leads: Path) -> None:
    leads.write_text(BAD_ROWS, encoding="utf-8")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text(encoding="utf-8")))
    reader.start()
    result = _check(run, leads, "--rejects", str(fifo))
    reader.join(timeout=30)
    assert result.exit_code == ExitCode.INCOMPLETE, result.output
    assert received and received[0].startswith("outcome,") and "555" in received[0]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_rejects_never_follow_a_symlink_at_a_temporary_name(
    run: Cli, tmp_path: Path, leads: Path
) -> None:
    leads.write_text(BAD_ROWS, encoding="utf-8")
    victim = tmp_path / "victim"
    victim.write_text("keep")
    rejects = tmp_path / "rejects.csv"
    (tmp_path / f"rejects.csv.tmp-{os.getpid()}").symlink_to(victim)  # the old name
    result = _check(run, leads, "--rejects", str(rejects))
    assert result.exit_code == ExitCode.INCOMPLETE, result.output
    assert victim.read_text() == "keep"
    assert rejects.read_text(encoding="utf-8").startswith("outcome,")


def test_a_failed_rejects_write_leaves_no_temporary_file(
    run: Cli, tmp_path: Path, leads: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    leads.write_text(BAD_ROWS, encoding="utf-8")
    from freestyle_async.cli import _csvfile

    def broken(self: Any, cells: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(_csvfile.CsvWriter, "writerow", broken)
    result = _check(run, leads, "--rejects", str(tmp_path / "rejects.csv"))
    assert "No space left on device" in refused(result, ExitCode.ERROR)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["leads.csv"]


@pytest.mark.parametrize("option", ["--rejects", "--normalized"])
@pytest.mark.parametrize(("path", "message"), [("", "empty path"), ("a\0b", "NUL")])
def test_an_empty_or_nul_output_path_is_a_usage_error(
    run: Cli, leads: Path, option: str, path: str, message: str
) -> None:
    assert message in refused(_check(run, leads, option, path), ExitCode.USAGE)


def test_an_empty_checkpoint_path_is_refused_before_sending(
    run: Cli, emulator: EmulatorThread, campaign: str, leads: Path
) -> None:
    before = emulator.stored_count(campaign)
    result = run("leads", "upload", campaign, str(leads), "--checkpoint", "")
    assert "empty path" in refused(result, ExitCode.USAGE)
    assert emulator.stored_count(campaign) == before
