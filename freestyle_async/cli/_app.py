"""The ``freestyle`` command group: global options, settings and the list of commands."""

from __future__ import annotations

import logging
from typing import Any

import click

from .._logging import configure_from_env, log_to_stderr
from .._version import __version__
from ._commands_account import account, billing, phone_numbers
from ._commands_demo import demo
from ._commands_dial import activity, campaigns, results, summary
from ._commands_doctor import doctor
from ._commands_emulator import emulator
from ._commands_leads import leads
from ._commands_sms import sms
from ._errors import unexpected
from ._options import PROXY, SecondsType
from ._safe import secret_scope
from ._settings import Settings

__all__ = ["cli"]

_EPILOG = """\b
Results go to stdout; progress, notes and errors to stderr.
Exit codes: 0 ok, 1 unexpected error, 2 bad usage, 3 missing or bad settings/input,
4 key refused (401/403), 5 not found (404), 6 other API error, 7 network or timeout,
8 upload finished with failed records, or leads check found records to reject.

Try it without an account: freestyle demo"""


class _Group(click.Group):
    """The command group; an exception no command expected is one ``Error:`` line (exit 1),
    with its traceback only under ``--debug``."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (
            click.ClickException,
            click.exceptions.Exit,
            click.Abort,
            BrokenPipeError,
            EOFError,
        ):
            raise  # click's own ways out (usage errors, Ctrl-C, a closed pipe, end of input)
        except Exception as exc:
            settings = ctx.find_object(Settings)
            raise unexpected(exc, debug=settings is not None and settings.debug) from None


@click.group(
    cls=_Group,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog=_EPILOG,
)
@click.option(
    "--api-key",
    envvar="FREESTYLE_API_KEY",
    show_envvar=True,
    metavar="KEY",
    help="Your FREESTYLE API key (never printed).",
)
@click.option(
    "--base-url",
    envvar="FREESTYLE_BASE_URL",
    show_envvar=True,
    metavar="URL",
    help="API base URL. Default: https://api.freestyleteletech.com/v1",
)
@click.option(
    "--timeout",
    type=SecondsType(),
    default=60.0,
    show_default=True,
    metavar="SECONDS",
    help="Deadline of each API call, retries included.",
)
@click.option(
    "--max-retries",
    type=click.IntRange(min=0),
    default=2,
    show_default=True,
    metavar="N",
    help="Retries of a failed call (connection errors, 429, 5xx).",
)
@click.option(
    "--proxy",
    type=PROXY,
    default=None,
    metavar="URL",
    help="Forward proxy, http://[user:password@]host:port (the password is never printed). "
    "Default: HTTPS_PROXY / HTTP_PROXY / NO_PROXY from the environment.",
)
@click.option("--debug", is_flag=True, help="Log each request and show tracebacks on stderr.")
@click.version_option(__version__, "-V", "--version", prog_name="freestyle")
@click.pass_context
def cli(
    ctx: click.Context,
    api_key: str | None,
    base_url: str | None,
    timeout: float,
    max_retries: int,
    proxy: str | None,
    debug: bool,
) -> None:
    """The FREESTYLE Telecom API at your terminal.

    Set FREESTYLE_API_KEY (or pass --api-key), then for example:

    \b
      freestyle campaigns list
      freestyle summary c_a1b2c3d4-...
      freestyle leads upload c_a1b2c3d4-... leads.csv --rejects rejects.csv
      freestyle results c_a1b2c3d4-... --from 2026-05-01 --format csv > results.csv
    """
    ctx.with_resource(secret_scope(api_key))
    ctx.obj = Settings(
        api_key=api_key or None,
        base_url=base_url or None,
        timeout=timeout,
        max_retries=max_retries,
        max_retries_given=ctx.get_parameter_source("max_retries")
        not in (None, click.core.ParameterSource.DEFAULT),
        proxy=proxy,
        debug=debug,
    )
    if debug:
        _log_to_stderr(ctx)


def _log_to_stderr(ctx: click.Context) -> None:
    """``--debug``: the SDK's stderr handler (the one ``FREESTYLE_LOG`` turns on) at DEBUG,
    with lines made terminal-safe, put back as it was when the command ends. The variable is
    applied first, so that ``--debug`` wins over it rather than the first client's creation
    lowering the level again."""
    configure_from_env()
    ctx.call_on_close(log_to_stderr(logging.DEBUG))


for _command in (
    account,
    activity,
    billing,
    campaigns,
    demo,
    doctor,
    emulator,
    leads,
    phone_numbers,
    results,
    sms,
    summary,
):
    cli.add_command(_command)
