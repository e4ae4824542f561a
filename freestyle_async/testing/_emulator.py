"""``Emulator``: the emulator app served on a loopback port, as an async context manager."""

from __future__ import annotations

from types import TracebackType
from typing import Any

from aiohttp import web

from .._reprs import safe_repr
from ._app import create_app
from ._faults import Faults
from ._model import Counters
from ._protocol import EmulatorRunner
from ._state import EmulatorState
from ._timeouts import DEFAULT_BODY_TIMEOUT, DEFAULT_HEADER_TIMEOUT, check_timeout

__all__ = ["Emulator"]


class Emulator:
    """A running FREESTYLE API emulator on ``host:port`` (port 0 picks a free port).

    ``async with Emulator() as emu:`` starts it and stops it; so do :meth:`start` and
    :meth:`stop`. Point a client at :attr:`base_url` with :attr:`api_key`.

    Every answer is the API's JSON, even to a request aiohttp cannot parse (400, or 414 for a
    request line over 16 KiB, 431 for a header line over 8190 bytes or more than 128 headers;
    code ``invalid_request``). A client gets ``header_timeout`` seconds to send a request's line
    and headers, and ``body_timeout`` seconds to send its body once it is read; then it is
    answered 408 (``request_timeout``) and disconnected.
    """

    def __init__(
        self,
        *,
        seed: int = 0,
        host: str = "127.0.0.1",
        port: int = 0,
        results_per_campaign: int = 200,
        faults: Faults | None = None,
        keep_records: bool = True,
        shutdown_timeout: float = 1.0,
        header_timeout: float = DEFAULT_HEADER_TIMEOUT,
        body_timeout: float = DEFAULT_BODY_TIMEOUT,
    ) -> None:
        self.host = host
        self._requested_port = port
        self._shutdown_timeout = shutdown_timeout
        self._header_timeout = check_timeout("header_timeout", header_timeout)
        self.state = EmulatorState(
            seed=seed,
            results_per_campaign=results_per_campaign,
            faults=faults,
            keep_records=keep_records,
        )
        self.app = create_app(self.state, body_timeout=body_timeout)
        self._runner: web.AppRunner | None = None
        self._port: int | None = None

    # -- lifecycle -------------------------------------------------------------------------

    async def start(self) -> Emulator:
        """Bind and serve; returns ``self``. The real port is read back when ``port`` was 0."""
        if self._runner is not None:
            raise RuntimeError("the emulator is already running")
        runner = EmulatorRunner(
            self.app,
            header_timeout=self._header_timeout,
            access_log=None,
            shutdown_timeout=self._shutdown_timeout,
        )
        await runner.setup()
        try:
            site = web.TCPSite(runner, self.host, self._requested_port)
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        self._port = int(runner.addresses[0][1])
        return self

    async def stop(self) -> None:
        """Stop serving (idempotent). State and counters stay readable."""
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    async def __aenter__(self) -> Emulator:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    # -- where and who ---------------------------------------------------------------------

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("the emulator has not been started")
        return self._port

    @property
    def root_url(self) -> str:
        """``http://host:port``, without the ``/v1`` prefix (``/_emulator/...`` lives here)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def base_url(self) -> str:
        """The API base URL, e.g. ``http://127.0.0.1:54321/v1``."""
        return self.root_url + "/v1"

    @property
    def api_key(self) -> str:
        """Key of the main account (API access enabled)."""
        return self.state.api_key

    @property
    def other_api_key(self) -> str:
        """Key of a second enabled account with its own campaigns."""
        return self.state.other_api_key

    @property
    def disabled_api_key(self) -> str:
        """Key of an account whose API access is disabled: every endpoint answers 403."""
        return self.state.disabled_api_key

    # -- knobs and observations -----------------------------------------------------------

    @property
    def faults(self) -> Faults | None:
        return self.state.faults

    @faults.setter
    def faults(self, faults: Faults | None) -> None:
        self.state.faults = faults

    @property
    def counters(self) -> Counters:
        return self.state.counters

    def reset_counters(self) -> None:
        self.state.counters.reset()

    def stored_records(self, campaign_id: str) -> list[dict[str, Any]]:
        """Records uploads stored in a campaign, in insertion order, as the server normalised
        them (phones without a leading country code). Empty for an unknown campaign."""
        campaign = self.state.find_dial_campaign(campaign_id)
        return self.state.stored_records(campaign) if campaign is not None else []

    def campaign_ids(self, api_key: str | None = None) -> list[str]:
        """Dial campaign ids of an account (main by default), newest first."""
        return [c.id for c in self.state.account(api_key).dial_campaigns_newest_first()]

    def sms_campaign_ids(self, api_key: str | None = None) -> list[str]:
        """SMS campaign ids of an account (main by default), in the API's order (by name)."""
        return [c.id for c in self.state.account(api_key).sms_campaigns_by_name()]

    @safe_repr
    def __repr__(self) -> str:
        where = self.base_url if self._port is not None else "not started"
        return f"<Emulator seed={self.state.seed} {where}>"
