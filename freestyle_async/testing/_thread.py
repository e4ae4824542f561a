"""``EmulatorThread``: the emulator on a background thread, for tests of synchronous code.

Code that uses ``Freestyle`` (a Django view, a Flask route, a Celery task) blocks the thread
that calls it, so the emulator it talks to cannot run on that thread's event loop: it gets a
loop of its own on a daemon thread, and the test stays plain synchronous code::

    with EmulatorThread(seed=0) as emu:
        with Freestyle(emu.api_key, base_url=emu.base_url) as fs:
            assert fs.account.get().id
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from types import TracebackType
from typing import Any, Final, TypeVar

from .._reprs import safe_repr
from ._emulator import Emulator
from ._faults import Faults

__all__ = ["EmulatorThread"]

T = TypeVar("T")

#: How long a call onto the emulator's loop may take before the calling thread gives up.
_TIMEOUT: Final = 30.0


class EmulatorThread:
    """An :class:`Emulator` (built with ``Emulator(**options)``: ``seed``, ``faults``, ...)
    served on its own event loop in a daemon thread.

    ``with EmulatorThread() as emu:`` (or :meth:`start` and :meth:`stop`) starts and stops
    both. :attr:`base_url`, :attr:`api_key`, :attr:`other_api_key` and
    :attr:`disabled_api_key` are the emulator's. Its state belongs to its loop: read or change
    it through :meth:`run` (or :meth:`set_faults`, :meth:`stored_records`,
    :meth:`campaign_ids`), which run there and wait for the answer.
    """

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._emulator: Emulator | None = None

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> EmulatorThread:
        """Start the loop thread and the emulator on it; returns ``self``."""
        if self._thread is not None:
            raise RuntimeError("this EmulatorThread is already started")
        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="freestyle-emulator", daemon=True)
        thread.start()
        self._loop, self._thread = loop, thread
        try:
            self._emulator = self.run(self._start_emulator)
        except BaseException:
            self._stop_loop()
            raise
        return self

    async def _start_emulator(self) -> Emulator:
        return await Emulator(**self._options).start()

    def stop(self) -> None:
        """Stop the emulator, then its loop and thread (idempotent)."""
        emulator, self._emulator = self._emulator, None
        if self._loop is None:
            return
        try:
            if emulator is not None:
                self.run(emulator.stop)
        finally:
            self._stop_loop()

    def _stop_loop(self) -> None:
        loop, thread = self._loop, self._thread
        self._loop = self._thread = None
        if loop is None or thread is None:
            return
        loop.call_soon_threadsafe(loop.stop)
        thread.join(_TIMEOUT)
        if not thread.is_alive():
            loop.close()

    def __enter__(self) -> EmulatorThread:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- where and who ---------------------------------------------------------------------

    @property
    def emulator(self) -> Emulator:
        """The running :class:`Emulator` (touch its state only through :meth:`run`)."""
        if self._emulator is None:
            raise RuntimeError("the EmulatorThread is not running: use it in a with block")
        return self._emulator

    @property
    def base_url(self) -> str:
        """The API base URL, e.g. ``http://127.0.0.1:54321/v1``."""
        return self.emulator.base_url

    @property
    def api_key(self) -> str:
        """Key of the main account."""
        return self.emulator.api_key

    @property
    def other_api_key(self) -> str:
        """Key of a second enabled account with its own campaigns."""
        return self.emulator.other_api_key

    @property
    def disabled_api_key(self) -> str:
        """Key of an account whose API access is disabled (every endpoint answers 403)."""
        return self.emulator.disabled_api_key

    # -- on the emulator's loop ------------------------------------------------------------

    def run(self, fn: Callable[[], Coroutine[Any, Any, T]]) -> T:
        """Run the coroutine function ``fn`` on the emulator's loop and return its result."""
        loop = self._loop
        if loop is None:
            raise RuntimeError("the EmulatorThread is not running: use it in a with block")
        return asyncio.run_coroutine_threadsafe(fn(), loop).result(timeout=_TIMEOUT)

    def _read(self, fn: Callable[[Emulator], T]) -> T:
        emulator = self.emulator

        async def read() -> T:
            return fn(emulator)

        return self.run(read)

    def set_faults(self, faults: Faults | None) -> None:
        """Set the emulator's faults (``None``: none), on its loop."""

        def assign(emulator: Emulator) -> None:
            emulator.faults = faults

        self._read(assign)

    def stored_records(self, campaign_id: str) -> list[dict[str, Any]]:
        """Records uploads stored in a dial campaign (see :meth:`Emulator.stored_records`)."""
        return self._read(lambda emulator: emulator.stored_records(campaign_id))

    def campaign_ids(self, api_key: str | None = None) -> list[str]:
        """Dial campaign ids of an account (main by default), newest first."""
        return self._read(lambda emulator: emulator.campaign_ids(api_key))

    def sms_campaign_ids(self, api_key: str | None = None) -> list[str]:
        """SMS campaign ids of an account (main by default), in the API's order."""
        return self._read(lambda emulator: emulator.sms_campaign_ids(api_key))

    @safe_repr
    def __repr__(self) -> str:
        where = self._emulator.base_url if self._emulator is not None else "not running"
        return f"<EmulatorThread {where}>"
