"""The calling thread of a served call: where the loop runs what must not leave that thread.

``upload_leads`` reads the caller's records and calls the caller's ``on_progress`` on the
thread that called it (a generator may hold that thread's database connection). The loop asks
for that through a :class:`CallingThread`: it puts a job in the caller's inbox, and the caller,
which waits on that inbox instead of a lock, runs the job and goes back to waiting. The end of
the call arrives through the same inbox.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import itertools
import queue
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable, Iterable
from typing import Any, Generic, ParamSpec, TypeVar

from ..bulk import ProgressCallbackFailed
from ._portal import Call, Portal
from ._wakeups import Wakeups

__all__ = ["CallingThread"]

_P = ParamSpec("_P")
_T = TypeVar("_T")
_X = TypeVar("_X")

_Inbox = queue.SimpleQueue[Callable[[], object] | None]


class CallingThread:
    """What the loop may ask of the thread that waits for a call made with :meth:`serve`: run
    a function there (read the caller's iterable, call the caller's callback), so the caller's
    objects are only ever touched by the caller's thread.

    Create it on the calling thread, build the call's arguments with :meth:`iterate` and
    :meth:`forward`, and make the call with :meth:`serve`.
    """

    __slots__ = ("_callback_failure", "_failure_told", "_inbox")

    def __init__(self) -> None:
        self._inbox: _Inbox = queue.SimpleQueue()
        # What a forwarded callback raised (set on the calling thread), and whether the loop
        # has been told (set on the loop).
        self._callback_failure: Exception | None = None
        self._failure_told = False

    def serve(
        self,
        portal: Portal,
        fn: Callable[_P, Awaitable[_T]],
        /,
        *args: _P.args,
        **kwargs: _P.kwargs,
    ) -> _T:
        """Like :meth:`Portal.call`, and while it waits this thread runs what the loop asks
        of it."""
        return portal.submit(_ServedCall(fn, args, kwargs, portal.wakeups, self._inbox))

    async def ask(self, fn: Callable[[], _X]) -> _X:
        """On the loop: run ``fn()`` on the calling thread and return what it returns (or
        raise its ``Exception``). A ``BaseException`` such as ``KeyboardInterrupt`` stays on
        the calling thread, where it cancels the whole call."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[_X] = loop.create_future()

        def job() -> None:
            try:
                value = fn()
            except Exception as exc:
                outcome: tuple[Any, BaseException | None] = (None, exc)
            else:
                outcome = (value, None)
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                loop.call_soon_threadsafe(_resolve, future, *outcome)

        self._inbox.put(job)
        return await future

    def iterate(self, items: Iterable[_X], batch: int, length: int | None) -> AsyncIterable[_X]:
        """An async iterable over ``items`` that reads them on the calling thread, ``batch``
        at a time (one round trip per batch); ``iter(items)`` is called there too. It has
        ``length`` as its length, unless that is ``None``."""
        if length is not None:
            return _SizedPulled(self, items, batch, length)
        return _Pulled(self, items, batch)

    async def _pull(self, items: Iterable[_X], batch: int) -> AsyncIterator[_X]:
        source: list[Any] = []  # the iterator, once the calling thread has made it
        failed: list[Exception] = []  # what it raised after the items read before it

        def next_batch() -> list[_X]:
            if self._callback_failure is not None:  # no more of the caller's code runs
                self._failure_told = True
                raise ProgressCallbackFailed(self._callback_failure)
            if failed:
                raise failed.pop()
            if not source:
                source.append(iter(items))
            read: list[_X] = []
            try:
                read.extend(itertools.islice(source[0], batch))  # keeps what came first
            except Exception as exc:
                if not read:
                    raise
                failed.append(exc)  # the items read reach the upload, then the error
            return read

        while chunk := await self.ask(next_batch):
            for item in chunk:
                yield item

    def forward(self, callback: Callable[[_X], object]) -> Callable[[_X], None]:
        """A callback the loop can call at once, which runs ``callback`` on the calling thread
        a moment later (in order, and all before the call returns).

        Once ``callback`` has raised an ``Exception``, it is not called again and no more of
        the records given to :meth:`iterate` are read. The upload learns of it at its next
        step: the next read of the records raises :class:`ProgressCallbackFailed`, the next
        call of the forward raises the exception itself, and the upload stops and accounts
        for every record as when the async client's ``on_progress`` raises. When neither came
        (the callback raised on the last event), :meth:`untold_failure` gives the exception.
        A ``BaseException`` such as ``KeyboardInterrupt`` cancels the whole call instead."""
        inbox = self._inbox

        def on_calling_thread(value: _X) -> None:
            if self._callback_failure is not None:
                return
            try:
                callback(value)
            except Exception as exc:
                self._callback_failure = exc

        def on_loop(value: _X) -> None:
            failure = self._callback_failure
            if failure is None:
                inbox.put(functools.partial(on_calling_thread, value))
            elif not self._failure_told:
                self._failure_told = True
                raise failure

        return on_loop

    def untold_failure(self) -> Exception | None:
        """Once the call has returned: the exception a forwarded callback raised that the
        loop never learnt of, if any."""
        return None if self._failure_told else self._callback_failure


class _ServedCall(Call[_T]):
    """A call during which the loop may hand the waiting thread work to do (see
    :class:`CallingThread`); the end of the call arrives through the same inbox."""

    __slots__ = ("_inbox",)

    def __init__(
        self,
        fn: Callable[..., Awaitable[_T]],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        wakeups: Wakeups,
        inbox: _Inbox,
    ) -> None:
        super().__init__(fn, args, kwargs, wakeups)
        self._inbox = inbox

    def _signal(self) -> None:
        self._inbox.put(None)

    def _block(self, timeout: float, *, serve: bool = True) -> bool:
        try:
            job = self._inbox.get(timeout=timeout)
        except queue.Empty:
            return False
        if job is None:
            return True
        if serve:
            job()  # a BaseException from it ends the wait: the call is cancelled, it is raised
        return False


class _Pulled(Generic[_X]):
    __slots__ = ("_batch", "_caller", "_items")

    def __init__(self, caller: CallingThread, items: Iterable[_X], batch: int) -> None:
        self._caller = caller
        self._items = items
        self._batch = batch

    def __aiter__(self) -> AsyncIterator[_X]:
        return self._caller._pull(self._items, self._batch)


class _SizedPulled(_Pulled[_X]):
    __slots__ = ("_length",)

    def __init__(self, caller: CallingThread, items: Iterable[_X], batch: int, length: int) -> None:
        super().__init__(caller, items, batch)
        self._length = length

    def __len__(self) -> int:
        return self._length


def _resolve(future: asyncio.Future[_X], value: _X, error: BaseException | None) -> None:
    if future.done():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(value)
