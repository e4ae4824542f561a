"""What the group options set up for every command, and how a command talks to the API.

Each command runs one ``asyncio.run`` around one :class:`~freestyle_async.AsyncFreestyle`,
imported only then (so ``--help`` never imports aiohttp). SDK exceptions come out as one
``Error: ...`` line and an exit code (see :mod:`._errors`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

import attrs
import click

from .._config import DEFAULT_BASE_URL
from ..errors import FreestyleError
from ._errors import CliError, ExitCode, from_sdk_error, show_traceback
from ._output import Format, Output, make_console

if TYPE_CHECKING:
    from .._client import AsyncFreestyle

__all__ = ["NO_API_KEY", "Settings", "pass_settings"]

T = TypeVar("T")

NO_API_KEY = "no API key: set FREESTYLE_API_KEY or pass --api-key"


@attrs.define
class Settings:
    """The group options, kept in ``ctx.obj``. ``api_key`` is never printed."""

    api_key: str | None = attrs.field(default=None, repr=False)
    base_url: str | None = None
    timeout: float = 60.0
    max_retries: int = 2
    #: Whether ``--max-retries`` was given (not its default): ``leads upload`` then tries a
    #: chunk ``max_retries + 1`` times instead of the bulk upload's own default.
    max_retries_given: bool = False
    proxy: str | None = attrs.field(default=None, repr=False)  # may hold a password
    debug: bool = False

    @property
    def shown_base_url(self) -> str:
        """The base URL requests go to, for messages."""
        return self.base_url or DEFAULT_BASE_URL

    def output(self, fmt: str | None, csv_raw: bool = False, *, to_stderr: bool = False) -> Output:
        """The writer for ``--format`` (``None``: table on a terminal, JSON otherwise) and
        ``--csv-raw``; ``to_stderr`` puts the results on stderr (stdout carries a file)."""
        console = make_console(stderr=to_stderr)
        if fmt is None:
            chosen = Format.TABLE if console.is_terminal else Format.JSON
        else:
            chosen = Format(fmt.lower())
        return Output(
            chosen, console, make_console(stderr=True), csv_raw=csv_raw, to_stderr=to_stderr
        )

    def fail(self, exc: FreestyleError, action: str, not_found_hint: str) -> CliError:
        """The ``CliError`` for ``exc`` (after its traceback, with ``--debug``)."""
        if self.debug:
            show_traceback(exc)
        return from_sdk_error(
            exc,
            action=action,
            base_url=self.shown_base_url,
            api_key=self.api_key,
            not_found_hint=not_found_hint,
        )

    def run(
        self,
        action: str,
        work: Callable[[AsyncFreestyle], Awaitable[T]],
        *,
        not_found_hint: str = "check the id",
    ) -> T:
        """Open a client, ``await work(client)`` in a fresh event loop, and close the client.

        ``action`` says what is being done, for the error line ("listing dial campaigns").
        """
        if not self.api_key:
            raise CliError(NO_API_KEY, ExitCode.CONFIG)
        from .._client import AsyncFreestyle

        async def main() -> T:
            async with AsyncFreestyle(
                self.api_key,
                base_url=self.base_url,
                timeout=self.timeout,
                max_retries=self.max_retries,
                proxy=self.proxy,
            ) as client:
                return await work(client)

        try:
            return asyncio.run(main())
        except FreestyleError as exc:
            raise self.fail(exc, action, not_found_hint) from None


pass_settings = click.make_pass_decorator(Settings, ensure=True)
