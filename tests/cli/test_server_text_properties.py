"""Whatever text a server puts in its answers (markup, terminal controls, CR/LF, formulas,
lone surrogates, the key in escaped forms), every view and format of every command shows it
without a traceback, without a control character on the terminal, without a fragment of the
key, and CSV that reads back row for row with no live formula."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from aioresponses import aioresponses
from click.testing import Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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

piece = (
    st.sampled_from(HOSTILE + KEY_FORMS)
    | st.text(max_size=6)
    | st.text(st.characters(categories=["Cc", "Cf", "Cs", "Zl", "Zp"]), max_size=4)
)
server_text = st.lists(piece, min_size=1, max_size=4).map("".join)
SETTINGS = settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def check_shown(
    result: Result, *, stdout_is_terminal: bool = True, traceback: bool = False
) -> None:
    assert ("Traceback (most recent call last)" in result.stderr) == traceback
    assert terminal_problems(result.stderr) == []
    assert key_fragments(result.stderr) == []
    assert key_fragments(result.stdout) == []
    if stdout_is_terminal:
        assert terminal_problems(result.stdout) == []


def check_json(result: Result, route: str, served: dict[str, Any]) -> None:
    lines = result.stdout.splitlines()
    data = [json.loads(line) for line in lines]
    if isinstance(served[route]["data"], list) and route != "billing":
        assert len(data) == len(served[route]["data"])
    for value in data:  # exact data: what the server sent, key aside
        check_strings(value)


def check_strings(value: Any) -> None:
    if isinstance(value, dict):
        for item in value.values():
            check_strings(item)
    elif isinstance(value, list):
        for item in value:
            check_strings(item)
    elif isinstance(value, str):
        assert key_fragments(value) == []


def check_csv(result: Result, route: str, served: dict[str, Any]) -> None:
    rows = read_csv(result.stdout)
    assert len(rows) == 1 + items_of(route, served[route])
    assert len({len(row) for row in rows}) == 1
    assert live_formulas(rows) == []


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_any_server_text_is_safe_in_every_view(answers: dict[str, Any], fmt: str) -> None:
    @SETTINGS
    @given(strings=st.lists(server_text, min_size=1, max_size=6))
    def check(strings: list[str]) -> None:
        served = poisoned(answers, strings)
        with aioresponses() as mock:
            serve(mock, served, {})
            for argv, route in COMMANDS:
                result = invoke([*argv, "--format", fmt])
                assert result.exit_code == 0, (argv, result.output)
                check_shown(result, stdout_is_terminal=fmt != "csv")
                if fmt == "json":
                    check_json(result, route, served)
                elif fmt == "csv":
                    check_csv(result, route, served)

    check()


def test_any_server_text_is_safe_in_uploads_and_errors(
    answers: dict[str, Any], tmp_path: Path
) -> None:
    leads = tmp_path / "leads.csv"
    leads.write_text("phone1\n4165550100\n4165550101\n4165550102\n", encoding="utf-8")
    rejects = tmp_path / "rejects.csv"

    @SETTINGS
    @given(
        strings=st.lists(server_text, min_size=1, max_size=4),
        status=st.sampled_from([400, 401, 403, 404, 429, 500, 503]),
        debug=st.booleans(),
    )
    def check(strings: list[str], status: int, debug: bool) -> None:
        served = poisoned(answers, strings)
        with aioresponses() as mock:
            serve(mock, served, {})
            result = invoke(["leads", "upload", CAMPAIGN, str(leads), "--rejects", str(rejects)])
        assert result.exit_code == 0, result.output
        check_shown(result)
        with rejects.open(encoding="utf-8", newline="") as file:
            rows = read_csv(file.read())
        assert len(rows) == 1 + 2 and len({len(row) for row in rows}) == 1
        assert key_fragments("\n".join(",".join(row) for row in rows)) == []

        body = {"error": {"code": strings[0], "message": strings[-1]}}
        # A header cannot hold CR or LF; aioresponses cannot encode a lone surrogate.
        request_id = "".join(strings).replace("\r", "").replace("\n", "")
        header = {"X-Request-Id": request_id.encode("utf-8", "replace").decode()}
        with aioresponses() as mock:
            serve_error(mock, status, body, header)
            flags = ["--debug"] if debug else []
            result = invoke([*flags, "--max-retries", "0", "account"])
        assert result.exit_code in (4, 5, 6), result.output
        check_shown(result, traceback=debug)
        if not debug:
            assert len(result.stderr.splitlines()) == 1

    check()
