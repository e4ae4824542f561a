"""Server text is data, never code: every view and format of every command, against a server
whose text fields hold rich markup, terminal controls, line breaks, formulas or the key."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from aioresponses import aioresponses
from click.testing import Result

from ._hostile import (
    CAMPAIGN,
    COMMANDS,
    HOSTILE,
    KEY_FORMS,
    invoke,
    items_of,
    key_fragments,
    live_formulas,
    poisoned,
    read_csv,
    serve,
    serve_error,
    terminal_problems,
)

ROUTE_OF = {argv: route for argv, route in COMMANDS}
ALL = pytest.mark.parametrize("argv", [argv for argv, _ in COMMANDS], ids=" ".join)


def run_with(
    answers: dict[str, Any],
    strings: Sequence[str],
    *args: str,
    headers: dict[str, str] | None = None,
) -> tuple[Result, dict[str, Any]]:
    """Run ``freestyle *args`` against the server with ``strings`` in every text field."""
    served = poisoned(answers, strings)
    with aioresponses() as mock:
        serve(mock, served, headers or {})
        return invoke(args), served


def assert_safe_terminal(result: Result) -> None:
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.stderr
    assert terminal_problems(result.stdout) == []
    assert terminal_problems(result.stderr) == []


# -- markup ---------------------------------------------------------------------------------


@ALL
def test_markup_from_the_server_is_text_in_every_table_view(
    answers: dict[str, Any], argv: tuple[str, ...]
) -> None:
    markup = "[/][bold]x[/bold][link=https://evil.example]y[/link]"
    result, _ = run_with(answers, [markup], *argv, "--format", "table")
    assert result.exit_code == 0, result.output
    assert markup in result.stdout.replace("\n", "") or "[/][bold]x" in result.stdout


def test_markup_in_server_error_text_is_shown_as_text(answers: dict[str, Any]) -> None:
    body = {"error": {"code": "bad_[/]", "message": "no such [bold]thing[/]"}}
    with aioresponses() as mock:
        serve_error(mock, 400, body, {"X-Request-Id": "req_[/]"})
        result = invoke(["account"])
    assert result.exit_code == 6
    assert "no such [bold]thing[/]" in result.stderr and "req_[/]" in result.stderr


# -- control characters ---------------------------------------------------------------------

CONTROLS = "".join(HOSTILE[4:17])  # every terminal control of HOSTILE, with CR/LF/tab


@ALL
@pytest.mark.parametrize("fmt", ["table", "json"])
def test_control_characters_never_reach_the_terminal(
    answers: dict[str, Any], argv: tuple[str, ...], fmt: str
) -> None:
    result, _ = run_with(answers, ["ok" + CONTROLS + "end"], *argv, "--format", fmt)
    assert_safe_terminal(result)
    if fmt == "table":  # made visible, not silently dropped
        assert "\\x1b]52;c;" in result.stdout


def test_json_lines_carry_the_exact_text_with_every_control_escaped(
    answers: dict[str, Any],
) -> None:
    text = "ok" + CONTROLS + "\x00\x1f\x80\x9f\u2066\u2069end"
    result, served = run_with(answers, [text], "sms", "messages", "sc_bad", "--format", "json")
    assert_safe_terminal(result)
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == len(served["messages"]["data"])
    assert all(row["message"] == text for row in rows)


def test_the_error_line_shows_control_characters_as_escapes(answers: dict[str, Any]) -> None:
    message = "bad\x1b]52;c;cHduZWQ=\x07 \x1b[2J\x9b1m\u202eevil\rover\nnext"
    with aioresponses() as mock:
        body = {"error": {"code": "x\x1b[31m", "message": message}}
        serve_error(mock, 400, body, {"X-Request-Id": "r\x1b"})
        result = invoke(["campaigns", "list"])
    assert result.exit_code == 6
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ")
    assert terminal_problems(result.stderr) == []
    assert "bad\\x1b]52;c;cHduZWQ=\\x07" in lines[0] and "\\u202eevil over next" in lines[0]


def test_progress_and_summary_of_an_upload_are_safe(
    answers: dict[str, Any], tmp_path: Path
) -> None:
    leads = tmp_path / "leads\x1b[2J[bold].csv"
    leads.write_text("phone1\n4165550100\n4165550101\n4165550102\n", encoding="utf-8")
    result, _ = run_with(
        answers, ["[/]" + CONTROLS], "leads", "upload", CAMPAIGN, str(leads), "--format", "table"
    )
    assert_safe_terminal(result)
    assert "Most common reasons" in result.stdout and "[/]" in result.stdout
    assert "leads\\x1b[2J[bold].csv" in result.stderr  # the progress bar's file name


# -- CSV: rows stay rows, formulas stay text ------------------------------------------------

BREAKS = ["a\rb", "\r", "j\r", "c\nd", "e\r\nf", 'g"h,i']


@ALL
def test_csv_exports_read_back_row_for_row(answers: dict[str, Any], argv: tuple[str, ...]) -> None:
    result, served = run_with(answers, BREAKS, *argv, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = read_csv(result.stdout)
    route = ROUTE_OF[argv]
    assert len(rows) == 1 + items_of(route, served[route])
    assert len({len(row) for row in rows}) == 1
    cells = {cell for row in rows[1:] for cell in row}
    assert cells & set(BREAKS), "the CR/LF cells should come back whole"


FORMULAS = [s for s in HOSTILE if s[:1] in "=+-@\t\r"]


@ALL
def test_csv_exports_neutralise_formulas(answers: dict[str, Any], argv: tuple[str, ...]) -> None:
    result, _ = run_with(answers, FORMULAS, *argv, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = read_csv(result.stdout)
    assert live_formulas(rows) == []
    assert {"'" + f for f in FORMULAS} & {cell for row in rows for cell in row}


@ALL
def test_csv_raw_writes_the_cells_as_sent(answers: dict[str, Any], argv: tuple[str, ...]) -> None:
    result, _ = run_with(answers, FORMULAS, *argv, "--format", "csv", "--csv-raw")
    assert result.exit_code == 0, result.output
    cells = {cell for row in read_csv(result.stdout) for cell in row}
    assert set(FORMULAS) & cells
    assert not {"'" + f for f in FORMULAS} & cells


def test_numbers_and_phone_numbers_stay_as_they_are(answers: dict[str, Any]) -> None:
    phones = ["+15551234567", "+1 (416) 555-0100", "-12.50", "-3", "+7", "1e3"]
    result, _ = run_with(answers, phones, "sms", "messages", "sc_bad", "--format", "csv")
    cells = {cell for row in read_csv(result.stdout) for cell in row}
    assert set(phones) <= cells
    served = poisoned(answers, ["x"])
    served["results"]["data"][0]["amount"] = -1430.19
    with aioresponses() as mock:
        serve(mock, served, {})
        result = invoke(["results", CAMPAIGN, "--format", "csv"])
    header, first = read_csv(result.stdout)[:2]
    assert first[header.index("amount")] == "-1430.19"


def test_the_rejects_file_stays_raw_and_reads_back(answers: dict[str, Any], tmp_path: Path) -> None:
    leads = tmp_path / "leads.csv"
    leads.write_text(
        'phone1,account_name\n4165550100,=1+1\n4165550101,"-two, ""lines"""\n4165550102,@x\n',
        encoding="utf-8",
    )
    rejects = tmp_path / "rejects.csv"
    reasons = ["x\ry", '=HYPERLINK("https://evil.example")\rinjected,row', "+cmd|' /C calc'!A0"]
    result, _ = run_with(
        answers, reasons, "leads", "upload", CAMPAIGN, str(leads), "--rejects", str(rejects)
    )
    assert result.exit_code == 0, result.output
    with rejects.open(encoding="utf-8", newline="") as file:
        rows = read_csv(file.read())
    header, body = rows[0], rows[1:]
    assert len(body) == 2 and all(len(row) == len(header) for row in body)
    by_line = {row[header.index("line")]: row for row in body}
    names = {line: row[header.index("account_name")] for line, row in by_line.items()}
    assert names == {"3": '-two, "lines"', "4": "@x"}  # the records as read: raw
    server_text = {row[header.index(column)] for row in body for column in ("field", "reason")}
    assert server_text <= {*reasons, "x y", '=HYPERLINK("https://evil.example") injected,row'}
    assert "x\ry" in server_text  # the field the server named, CR and all, in one cell


# -- the key --------------------------------------------------------------------------------


@ALL
@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_the_key_quoted_back_by_the_server_never_shows(
    answers: dict[str, Any], argv: tuple[str, ...], fmt: str
) -> None:
    result, _ = run_with(answers, [f"k {form} k" for form in KEY_FORMS], *argv, "--format", fmt)
    assert result.exit_code == 0, result.output
    assert key_fragments(result.stdout) == []
    assert key_fragments(result.stderr) == []


@pytest.mark.parametrize(
    "form", KEY_FORMS, ids=["plain", "fragment", "upper", "json-escape", "all-escaped", "percent"]
)
def test_the_key_quoted_back_in_an_error_never_shows(answers: dict[str, Any], form: str) -> None:
    body = {"error": {"code": "unauthorized", "message": f"bad key {form}"}}
    with aioresponses() as mock:
        serve_error(mock, 401, body, {"X-Request-Id": f"req {form}"})
        result = invoke(["account"])
    assert result.exit_code == 4
    assert key_fragments(result.stderr) == []
    assert "ft_…" in result.stderr
