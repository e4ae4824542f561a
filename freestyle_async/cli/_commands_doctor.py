"""``freestyle doctor``: one line per check of :meth:`AsyncFreestyle.diagnose`, and an exit
code naming the first failure."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click
from rich.text import Text

from ._errors import ExitCode
from ._output import Format
from ._safe import safe_text
from ._settings import NO_API_KEY, Settings, pass_settings

if TYPE_CHECKING:
    from .._client import AsyncFreestyle
    from .._diagnose import Check, Diagnosis

__all__ = ["diagnosis_view", "doctor", "exit_code"]

_STYLES = {"ok": "green", "warn": "yellow", "fail": "bold red", "skipped": "dim"}
#: The exit code of a failed check, by its name (``account`` is decided by its status).
_CODES = {
    "key": ExitCode.CONFIG,
    "base_url": ExitCode.CONFIG,
    "proxy": ExitCode.CONFIG,
    "dns": ExitCode.CONNECTION,
    "connect": ExitCode.CONNECTION,
    "tls": ExitCode.CONNECTION,
    "clock": ExitCode.CONNECTION,
}


def exit_code(diagnosis: Diagnosis) -> ExitCode:
    """The documented exit code of the first failed check (0 when none failed)."""
    check = diagnosis.first_failure
    if check is None:
        return ExitCode.OK
    if check.name in _CODES:
        return _CODES[check.name]
    if check.status in (401, 403):
        return ExitCode.AUTH
    if check.status == 404:  # GET /account exists on every API: the base URL is wrong
        return ExitCode.CONFIG
    return ExitCode.CONNECTION if check.status is None else ExitCode.API


def _refused(settings: Settings) -> Diagnosis | None:
    """The diagnosis when the settings cannot make a client (the client's own checks)."""
    from .._config import check_api_key, check_base_url, check_proxy, proxy_for_url
    from .._diagnose import refused_settings
    from ..errors import ValidationError

    if not settings.api_key:
        return refused_settings("key", "no API key", NO_API_KEY.partition(": ")[2])
    steps = (
        ("key", lambda: check_api_key(settings.api_key), "check the key for stray spaces"),
        ("base_url", lambda: check_base_url(settings.base_url), "check --base-url"),
        (
            "proxy",
            lambda: proxy_for_url(
                check_base_url(settings.base_url), check_proxy(settings.proxy), trust_env=True
            ),
            "check --proxy or HTTPS_PROXY / HTTP_PROXY / ALL_PROXY",
        ),
    )
    for name, step, hint in steps:
        try:
            step()
        except ValidationError as exc:
            return refused_settings(name, str(exc), hint)
    return None


def _line(check: Check) -> Text:
    line = Text()
    line.append(f"{check.verdict.value:<8}", style=_STYLES[check.verdict.value])
    line.append(f"{check.name:<9}")
    line.append(safe_text(check.detail))
    if check.hint:
        line.append(f"\n{'':17}hint: {safe_text(check.hint)}", style="dim")
    return line


def diagnosis_view(diagnosis: Diagnosis) -> Text:
    """One line per check (and its hint), then the outcome: what ``doctor`` prints."""
    failure = diagnosis.first_failure
    last = (
        Text("All checks passed.", style="green")
        if failure is None
        else Text(f"The {failure.name} check failed.", style="bold red")
    )
    return Text("\n").join([*(_line(check) for check in diagnosis.checks), last])


@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice([Format.TABLE.value, Format.JSON.value], case_sensitive=False),
    default=None,
    help="Output format. Default: lines on a terminal, one JSON object otherwise.",
)
@pass_settings
def doctor(settings: Settings, fmt: str | None) -> None:
    """Check the key, base URL, proxy, DNS, TCP, TLS, clock and one API call.

    One line per check, with ok / warn / fail / skipped and a hint. Exits 0 when nothing
    failed, else the code of the first failure (3 settings, 4 key refused, 6 API error,
    7 network).
    """
    out = settings.output(fmt)
    diagnosis = _refused(settings)
    if diagnosis is None:

        async def work(fs: AsyncFreestyle) -> Diagnosis:
            return await fs.diagnose()

        diagnosis = settings.run("checking the connection", work)
    if out.format is Format.JSON:
        out.write_json(diagnosis.to_dict())
    else:
        out.render(diagnosis_view(diagnosis))
    out.stream.flush()
    code = exit_code(diagnosis)
    if code:
        raise click.exceptions.Exit(int(code))
