"""``freestyle emulator``: the API emulator in the foreground.

Its options are the emulator's own table (``freestyle_async.testing.EMULATOR_OPTIONS``), the
one ``python -m freestyle_async.testing`` reads too: reading it loads neither the emulator nor
aiohttp, so ``--help`` answers at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from ..testing import EMULATOR_OPTIONS, EmulatorOption
from ._errors import CliError, ExitCode

__all__ = ["emulator"]

F = TypeVar("F", bound=Callable[..., Any])


class _OptionValue(click.ParamType):  # type: ignore[type-arg]
    """An emulator option's value, read by the table's own parse function (so a bad value
    gets the same message as from ``python -m freestyle_async.testing``)."""

    def __init__(self, option: EmulatorOption) -> None:
        assert option.parse is not None
        self.name = option.metavar or option.dest.upper()
        self._parse = option.parse

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if not isinstance(value, str):  # already read (a default given as a value)
            return value
        try:
            return self._parse(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


def _click_option(option: EmulatorOption) -> Callable[[F], F]:
    if option.parse is None:
        return click.option(option.flag, option.dest, is_flag=True, help=option.help)
    return click.option(
        option.flag,
        option.dest,
        type=_OptionValue(option),
        default=option.default,
        show_default=option.default is not None,
        metavar=option.metavar,
        help=option.help,
    )


def _with_options(command: F) -> F:
    for option in reversed(EMULATOR_OPTIONS):  # click lists the last decorator applied first
        command = _click_option(option)(command)
    return command


@click.command()
@_with_options
def emulator(**options: Any) -> None:
    """Run the API emulator in the foreground.

    It serves until Ctrl-C and prints its base URL and API keys; point the SDK or this
    command at it with FREESTYLE_BASE_URL and FREESTYLE_API_KEY. It speaks plain HTTP on
    loopback and holds generated data only. The same options work with
    python -m freestyle_async.testing, which needs neither click nor rich.
    """
    from ..testing import run_emulator

    try:
        run_emulator(options)
    except OSError as exc:
        raise CliError(
            f"cannot serve the emulator on {options['host']}:{options['port']}: "
            f"{exc.strerror or exc}; pick another --port (0 picks a free one)",
            ExitCode.ERROR,
        ) from None
