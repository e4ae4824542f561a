"""A hostile server for the ``freestyle`` command: the emulator's answers, captured once, with
every text field replaced by strings a test chooses, served by aioresponses.

:func:`capture` reads one answer per endpoint from an emulator (one page, ids fixed);
:func:`poison` puts the chosen strings into every string of an answer (timestamps and dates
excepted, so the answer still decodes); :func:`serve` answers the command's requests with
them. The checks (:func:`terminal_problems`, :func:`key_fragments`, :func:`live_formulas`) are
written independently of the code under test.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
import urllib.request
from collections.abc import Iterator, Sequence
from typing import Any, Final

import _key_checks
from _emulator_thread import EmulatorThread
from aioresponses import aioresponses
from click.testing import CliRunner, Result

from freestyle_async.cli._app import cli

BASE_URL: Final = "https://api.freestyle.test/v1"
#: The key the command runs with; the hostile server quotes it back in many forms.
KEY: Final = "ft_" + "4be0c7d1a9f2e3b8" * 4
CAMPAIGN: Final = "c_evil"
SMS: Final = "sc_bad"

#: (route, HTTP method, path under the base URL).
ROUTES: Final = {
    "campaigns": ("GET", "/dial-campaigns"),
    "campaign": ("PATCH", f"/dial-campaigns/{CAMPAIGN}"),
    "results": ("GET", f"/dial-campaigns/{CAMPAIGN}/results"),
    "summary": ("GET", f"/dial-campaigns/{CAMPAIGN}/results/summary"),
    "activity": ("GET", f"/dial-campaigns/{CAMPAIGN}/activity"),
    "upload": ("POST", f"/dial-campaigns/{CAMPAIGN}/data"),
    "sms": ("GET", "/sms-campaigns"),
    "sms_get": ("GET", f"/sms-campaigns/{SMS}"),
    "runs": ("GET", f"/sms-campaigns/{SMS}/runs"),
    "messages": ("GET", f"/sms-campaigns/{SMS}/messages"),
    "billing": ("GET", "/billing"),
    "account": ("GET", "/account"),
    "phone_numbers": ("GET", "/account/phone-numbers"),
}

#: Every command that shows server data: (argv, the route whose answer it shows).
COMMANDS: Final[Sequence[tuple[tuple[str, ...], str]]] = (
    (("campaigns", "list"), "campaigns"),
    (("campaigns", "start", CAMPAIGN), "campaign"),
    (("campaigns", "pause", CAMPAIGN), "campaign"),
    (("results", CAMPAIGN), "results"),
    (("summary", CAMPAIGN), "summary"),
    (("activity", CAMPAIGN), "activity"),
    (("sms", "list"), "sms"),
    (("sms", "get", SMS), "sms_get"),
    (("sms", "runs", SMS), "runs"),
    (("sms", "messages", SMS), "messages"),
    (("billing",), "billing"),
    (("account",), "account"),
    (("phone-numbers",), "phone_numbers"),
)

#: Pieces of hostile text: rich markup, terminal controls, line breaks, spreadsheet formulas.
HOSTILE: Final = (
    "[/]",
    "[bold]",
    "[/bold]",
    "[link=https://evil.example]click[/link]",
    "\x1b]52;c;ZWNobyBwd25lZA==\x07",  # OSC 52: write the clipboard
    "\x1b[2J\x1b[H",  # clear the screen
    "\x1b]8;;https://evil.example\x1b\\hidden\x1b]8;;\x1b\\",  # OSC 8 link
    "\x07",
    "\x9b31m",  # C1 CSI
    "\x85",
    "\x7f",
    "\u202eevil\u202c",  # bidi override
    "\u2028",
    "\r",
    "\n",
    "\r\n",
    "\t",
    '"',
    ",",
    '=HYPERLINK("https://evil.example","x")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+cmd|' /C calc'!A0",
    "-2+3",
    "\t=1+1",
    "\r=1+1",
)

#: The key as a server may quote it back.
KEY_FORMS: Final = (
    KEY,
    KEY[7:29],
    KEY.upper(),
    "ft\\u005f" + KEY[3:],
    "".join(f"\\u{ord(c):04x}" for c in KEY),
    "".join(f"%{ord(c):02X}" for c in KEY),
)

ENV: Final[dict[str, str | None]] = {
    "FREESTYLE_API_KEY": KEY,
    "FREESTYLE_BASE_URL": BASE_URL,
    "NO_COLOR": None,
    "FORCE_COLOR": None,
    "COLUMNS": None,
}


def invoke(args: Sequence[str], env: dict[str, str | None] | None = None) -> Result:
    """Run ``freestyle *args`` with :data:`KEY` against :data:`BASE_URL`."""
    return CliRunner().invoke(cli, list(args), env={**ENV, **(env or {})}, catch_exceptions=False)


_TIMESTAMP: Final = re.compile(r"\d{4}-\d\d-\d\d(T[\d:]+Z)?")


def capture(emulator: EmulatorThread) -> dict[str, Any]:
    """One answer per route, read from ``emulator`` (one short page each)."""
    emu = emulator.emu
    campaign, sms = emu.campaign_ids()[0], emu.sms_campaign_ids()[0]

    def call(method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            emu.base_url + path.replace(CAMPAIGN, campaign).replace(SMS, sms),
            data=data,
            method=method,
            headers={"X-API-Key": emu.api_key, "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            return json.load(answer)

    answers: dict[str, Any] = {}
    for route, (method, path) in ROUTES.items():
        if route == "upload":
            body = {"records": [{"phone1": "4165550100"}, {"phone1": "12"}, {"phone1": "no"}]}
            answers[route] = call(method, path, body)
        elif route == "campaign":
            answers[route] = call(method, path, {"status": "paused"})
        else:
            answers[route] = call(method, path + ("?per_page=3" if method == "GET" else ""))
        meta = answers[route].get("meta")
        if isinstance(meta, dict):  # one page: no request for a second one
            meta.update(page=1, total_pages=1, total=len(answers[route]["data"]))
    return answers


def poison(answer: Any, strings: Iterator[str], ids: Iterator[int], key: str = "") -> Any:
    """``answer`` with each string replaced by the next of ``strings`` (timestamps and dates
    kept, so it still decodes; an ``id`` gets a number after it, so ids stay distinct)."""
    if isinstance(answer, dict):
        return {k: poison(v, strings, ids, k) for k, v in answer.items()}
    if isinstance(answer, list):
        return [poison(v, strings, ids, key) for v in answer]
    if isinstance(answer, str) and not _TIMESTAMP.fullmatch(answer):
        return next(strings) + (f" {next(ids)}" if key == "id" else "")
    return answer


def poisoned(answers: dict[str, Any], strings: Sequence[str]) -> dict[str, Any]:
    """Every answer poisoned with ``strings`` (cycled from the first for each answer)."""
    ids = itertools.count(1)
    return {
        route: poison(answer, itertools.cycle(strings), ids) for route, answer in answers.items()
    }


def serve(mock: aioresponses, answers: dict[str, Any], headers: dict[str, str]) -> None:
    """Answer every route with its answer (and ``headers``), as often as asked."""
    for route, (method, path) in ROUTES.items():
        pattern = re.compile(re.escape(BASE_URL + path) + r"(\?.*)?$")
        mock.add(pattern, method, payload=answers[route], headers=headers, repeat=True)


def serve_error(mock: aioresponses, status: int, body: Any, headers: dict[str, str]) -> None:
    """Answer every route with the error ``status`` and ``body``."""
    for method, path in ROUTES.values():
        pattern = re.compile(re.escape(BASE_URL + path) + r"(\?.*)?$")
        mock.add(pattern, method, status=status, payload=body, headers=headers, repeat=True)


# -- the checks -----------------------------------------------------------------------------

_CONTROL: Final = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def terminal_problems(text: str) -> list[str]:
    """Characters in ``text`` a terminal would act on (line feeds excepted), with context."""
    return [repr(text[max(m.start() - 20, 0) : m.end() + 20]) for m in _CONTROL.finditer(text)]


def key_fragments(text: str, key: str = KEY) -> list[str]:
    """Runs of 8 of ``key``'s characters in ``text``, in any case, also once escapes are
    decoded (the suites' one check, ``tests/_key_checks.py``)."""
    return _key_checks.key_fragments(text, key)


_HARMLESS: Final = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|\+\d[\d ().-]*")


def live_formulas(rows: Sequence[Sequence[str]]) -> list[str]:
    """Cells a spreadsheet would run: they start with = + - @ tab CR LF and are not a plain
    number or phone number."""
    return [
        cell
        for row in rows
        for cell in row
        if cell[:1] in ("=", "+", "-", "@", "\t", "\r", "\n") and not _HARMLESS.fullmatch(cell)
    ]


def read_csv(text: str) -> list[list[str]]:
    """The rows of CSV ``text``, as a program reads them back."""
    return list(csv.reader(io.StringIO(text, newline="")))


def items_of(route: str, answer: Any) -> int:
    """How many CSV rows the command of ``route`` writes for ``answer``."""
    data = answer["data"]
    if route == "summary":
        return len(data["dispositions"])
    if route == "billing" or isinstance(data, list):
        return len(data) if isinstance(data, list) else len(data.get("data", []))
    return 1
