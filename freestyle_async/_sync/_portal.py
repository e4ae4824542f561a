"""The bridge: one event loop on one daemon thread, the async client living on it, and
blocking calls from any other thread into it.

A call hands the loop thread one callback (``call_soon_threadsafe``); that callback starts a
task running the coroutine, and the caller blocks on a plain lock. When the task ends, the
lock is released through :mod:`._wakeups`: the callers whose calls ended are woken one after
another, from when the loop thread is about to sleep (at once after it was idle), so they do
not all fight it for the GIL.
No ``concurrent.futures.Future`` and no done-callback hop: that is the whole round trip. The
loop is always a ``SelectorEventLoop`` on that module's selector, whatever the event loop
policy says.

The caller waits in short slices, so an interrupt (Ctrl-C, or any exception a signal handler
raises in the waiting thread) is noticed at once; it cancels the task on the loop, waits briefly
for the cancellation to finish, and is re-raised in the caller. The loop thread stays usable.

A call during which the loop needs the calling thread (``upload_leads`` reads its input
there) is made through :class:`._calling_thread.CallingThread`: its caller waits on an inbox
of jobs instead of a lock.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import contextvars
import os
import threading
import time
import weakref
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Final, Generic, ParamSpec, TypeVar

from .._reprs import safe_repr
from ..errors import FreestyleError
from ._wakeups import Waiter, Wakeups, WakingSelector

if TYPE_CHECKING:
    from .._client import AsyncFreestyle

__all__ = ["Call", "Portal"]

_P = ParamSpec("_P")
_T = TypeVar("_T")

#: How long a blocked caller sleeps between checks for a pending signal. A real SIGINT wakes it
#: at once on POSIX; this bounds the delay where it cannot (Windows, ``_thread.interrupt_main``).
POLL_INTERVAL: Final = 0.1
#: After an interrupt, how long the caller waits for the cancelled task to unwind before it
#: re-raises anyway (a second interrupt stops the wait).
CANCEL_GRACE: Final = 5.0

#: How long the interpreter waits at exit for the loop thread of a Freestyle never closed.
EXIT_JOIN_TIMEOUT: Final = 2.0

_CLOSED_MESSAGE: Final = "this Freestyle client is closed: create a new Freestyle"

#: Size of the block the loop thread allocates and frees once when it starts. glibc raises its
#: mmap threshold to the size of a freed mmapped block; without that, a thread's malloc arena
#: serves asyncio's 256 KiB socket reads with mmap + mremap + munmap on every read, which cost
#: ~35 us per request here (an asyncio loop in the main thread does not pay it).
_ALLOCATOR_WARM_UP: Final = 1 << 20

#: Read by each new :class:`Portal`; only ``benchmarks/sync_overhead.py`` sets it to False,
#: to measure the bridge without the wake-up chain against it.
_WAKEUP_CHAIN = True


class _Immediate(Wakeups):
    """The bridge without the wake-up chain: each caller is released as its call ends, and
    the loop comes from the event loop policy."""

    __slots__ = ()

    def ended(self, waiter: Waiter) -> None:
        waiter.wake()

    def pass_on(self) -> None:
        pass


class Call(Generic[_T]):
    """One blocking call: the coroutine function and its arguments, run as a task on the loop."""

    __slots__ = (
        "_args",
        "_context",
        "_done",
        "_error",
        "_finished",
        "_fn",
        "_kwargs",
        "_result",
        "_running",
        "_task",
        "_wakeups",
    )

    def __init__(
        self,
        fn: Callable[..., Awaitable[_T]],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        wakeups: Wakeups,
    ) -> None:
        self._wakeups = wakeups
        # The caller's context (its tracing span, its contextvars), for the task: calls handed
        # over together are started by one callback, which runs in only one caller's context.
        self._context = contextvars.copy_context()
        self._fn = fn
        self._args = args
        self._kwargs = kwargs
        self._done = threading.Lock()
        self._done.acquire()
        self._running = self._finished = False
        self._task: asyncio.Task[None] | None = None
        self._result: _T | None = None
        self._error: BaseException | None = None

    # -- on the loop thread ------------------------------------------------------------------

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        self._task = loop.create_task(self._run(), context=self._context)

    async def _run(self) -> None:
        self._running = True
        try:
            self._result = await self._fn(*self._args, **self._kwargs)
        except asyncio.CancelledError as exc:
            self._error = exc
            raise
        except BaseException as exc:  # handed to the caller, who re-raises it
            self._error = exc
        finally:
            self._finished = True
            self._signal()

    def _signal(self) -> None:
        self._wakeups.ended(self)

    def wake(self) -> None:
        """Release the waiting caller (called by :class:`Wakeups`, on any thread)."""
        self._done.release()

    def cancel(self) -> None:
        task = self._task
        if task is None or task.done():
            return
        task.cancel()
        if not self._running:  # cancelled before its first step: _run() never gets to finally
            self._error = asyncio.CancelledError()
            self._finished = True
            self._signal()

    # -- on the calling thread ---------------------------------------------------------------

    def _block(self, timeout: float, *, serve: bool = True) -> bool:
        """Wait up to ``timeout`` seconds for the end of the call; whether it ended."""
        if not self._done.acquire(timeout=timeout):
            return False
        self._wakeups.pass_on()  # the next caller whose call ended, before anything else
        return True

    def wait(self, loop: asyncio.AbstractEventLoop) -> _T:
        try:
            while not self._block(POLL_INTERVAL):
                pass
        except BaseException:
            # Ctrl-C, or an exception from a signal handler: cancel the request in flight,
            # and give it a moment to unwind so nothing is left running.
            if not self._finished:
                with contextlib.suppress(RuntimeError):  # the loop is already closed
                    loop.call_soon_threadsafe(self.cancel)
                    deadline = time.monotonic() + CANCEL_GRACE
                    while not self._block(max(0.0, deadline - time.monotonic()), serve=False):
                        if time.monotonic() >= deadline:
                            break
            raise
        error, self._error = self._error, None
        if error is None:
            return self._result  # type: ignore[return-value]
        if isinstance(error, asyncio.CancelledError):
            raise FreestyleError(
                "this call was cancelled because the Freestyle client was closed while it was "
                "in flight"
            ) from None
        raise error


async def _invoke(fn: Callable[_P, _T], /, *args: _P.args, **kwargs: _P.kwargs) -> _T:
    return fn(*args, **kwargs)


async def _quietly(fn: Callable[[], Awaitable[object]]) -> None:
    with contextlib.suppress(Exception):
        await fn()


# Portals started in this process; a forked child must not use its parent's loop thread.
_started: weakref.WeakSet[Portal] = weakref.WeakSet()


def _after_fork_in_child() -> None:
    for portal in list(_started):
        portal._forget_after_fork()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


class Portal:
    """The loop thread of one ``Freestyle`` and the ``AsyncFreestyle`` it creates there.

    The thread starts on first use: it makes a new event loop, builds the client by calling
    ``factory`` inside that loop, and only then reports ready. ``close()`` stops the loop,
    cancels whatever is still running, closes the client and joins the thread.

    Everything that can make calls (the ``Freestyle``, its resources, paginators, copies from
    ``with_options``) holds the portal, and the loop thread does not: when the last holder is
    gone, or at interpreter exit, a finalizer stops the thread.
    """

    def __init__(self, factory: Callable[[], AsyncFreestyle]) -> None:
        self._factory = factory
        # Reentrant: the garbage collector can close a sync paginator's generator (which calls
        # spawn()) on a thread that is inside submit() already.
        self._lock = threading.RLock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._client: AsyncFreestyle | None = None
        self._thread: threading.Thread | None = None
        self._ident: int | None = None
        self._closing = False
        self._closed_message = _CLOSED_MESSAGE
        self._finalizer: weakref.finalize[Any, Any] | None = None
        self._pending: collections.deque[Call[Any]] = collections.deque()
        self._drain_scheduled = False
        # How each call through this portal wakes its caller (see :mod:`._wakeups`).
        self.wakeups = Wakeups() if _WAKEUP_CHAIN else _Immediate()

    # -- state -------------------------------------------------------------------------------

    @property
    def started(self) -> bool:
        """Whether the loop thread is running."""
        return self._loop is not None and not self._closing

    @property
    def closed(self) -> bool:
        """Whether ``close()`` was called."""
        return self._closing

    @property
    def client(self) -> AsyncFreestyle:
        """The async client on the loop thread, starting the thread on first use (it is
        still returned after close, when its settings remain readable)."""
        client = self._client
        if client is None:
            with self._lock:
                self._ensure_started()
                client = self._client
                assert client is not None
        return client

    @property
    def loop(self) -> asyncio.AbstractEventLoop | None:
        """The running loop, or ``None`` before the first call and after close."""
        return None if self._closing else self._loop

    # -- calls -------------------------------------------------------------------------------

    def call(self, fn: Callable[_P, Awaitable[_T]], /, *args: _P.args, **kwargs: _P.kwargs) -> _T:
        """Run ``fn(*args, **kwargs)`` on the loop thread and block until it returns.

        ``fn`` itself is called there, so coroutines and async generators are created on the
        loop that runs them.
        """
        return self.submit(Call(fn, args, kwargs, self.wakeups))

    def submit(self, call: Call[_T]) -> _T:
        """Hand ``call`` to the loop thread and block until it ends (see :meth:`call`)."""
        if threading.get_ident() == self._ident:
            raise FreestyleError(
                "a Freestyle method was called on the Freestyle's own event loop thread (from "
                "an event hook such as on_request, which runs there): it would wait for itself "
                "forever. Do that work after the call returns instead."
            )
        # Under the lock, so no call is handed over after close() has scheduled the shutdown.
        # The loop is woken (a write to its self-pipe, which also hands the GIL over) only when
        # no hand-over is already pending: calls made while it is busy ride along.
        with self._lock:
            loop = self._ensure_started()
            self._pending.append(call)
            if not self._drain_scheduled:
                self._drain_scheduled = True
                loop.call_soon_threadsafe(self._drain, loop)
        return call.wait(loop)

    def _drain(self, loop: asyncio.AbstractEventLoop) -> None:
        """On the loop: start every call handed over since the last drain."""
        self._drain_scheduled = False
        pending = self._pending
        while pending:
            pending.popleft().start(loop)

    def run(self, fn: Callable[_P, _T], /, *args: _P.args, **kwargs: _P.kwargs) -> _T:
        """Run a plain function on the loop thread and block until it returns."""
        return self.call(_invoke, fn, *args, **kwargs)

    def spawn(self, fn: Callable[[], Awaitable[object]]) -> None:
        """Start ``fn()`` on the loop without waiting; its errors are dropped. A no-op when the
        loop is not running (so it is safe in ``finally`` clauses and finalizers)."""
        with self._lock:
            loop = self._loop
            if loop is None or self._closing:
                return
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(_spawn_on, loop, fn)

    # -- lifecycle ---------------------------------------------------------------------------

    def _ensure_started(self) -> asyncio.AbstractEventLoop:
        """The running loop; starts the thread if needed. Call with ``self._lock`` held."""
        if self._closing:
            raise FreestyleError(self._closed_message)
        loop = self._loop
        if loop is not None:
            return loop
        ready = threading.Event()
        failure: list[BaseException] = []
        thread = threading.Thread(
            target=_thread_main,
            args=(weakref.ref(self), self.wakeups, ready, failure),
            name="freestyle-loop",
            daemon=True,
        )
        thread.start()
        ready.wait()
        if failure:
            thread.join()
            raise failure[0]
        loop = self._loop
        assert loop is not None and self._client is not None
        self._thread = thread
        self._finalizer = weakref.finalize(self, _stop_loop, loop, thread, EXIT_JOIN_TIMEOUT)
        _started.add(self)
        return loop

    def close(self, timeout: float | None = None) -> None:
        """Stop the loop thread (idempotent) and join it, waiting at most ``timeout`` seconds;
        a call from the loop thread itself does not wait for itself."""
        with self._lock:
            self._closing = True
            finalizer = self._finalizer
        if finalizer is None:  # never started
            return
        detached = finalizer.detach()
        if detached is not None:
            _, _, (loop, thread, _), _ = detached
            _stop_loop(loop, thread, timeout)
        elif self._thread is not None and threading.get_ident() != self._ident:
            self._thread.join(timeout)  # closed by another thread: wait for it too

    def _forget_after_fork(self) -> None:
        # In a forked child the loop thread does not exist: refuse calls, never touch the loop.
        if self._finalizer is not None:
            self._finalizer.detach()
        self._lock = threading.RLock()
        self._closing = True
        self._thread = None
        self._ident = None
        self._closed_message = (
            "this Freestyle client was started before os.fork(): its event loop thread does not "
            "exist in the child process. Create a new Freestyle in the child."
        )

    @safe_repr
    def __repr__(self) -> str:
        state = "closed" if self._closing else "running" if self._loop else "not started"
        return f"<Portal {state}>"


def _thread_main(
    portal_ref: weakref.ref[Portal],
    wakeups: Wakeups,
    ready: threading.Event,
    failure: list[BaseException],
) -> None:
    """Body of the loop thread. It holds its portal only while starting, so that dropping
    every ``Freestyle`` handle lets the finalizer stop the thread."""
    try:
        _warm_up_allocator()
        loop: asyncio.AbstractEventLoop = (
            asyncio.new_event_loop()
            if isinstance(wakeups, _Immediate)
            else asyncio.SelectorEventLoop(WakingSelector(wakeups))
        )
    except BaseException as exc:  # e.g. too many open files: reported to the starter
        failure.append(exc)
        ready.set()
        return
    asyncio.set_event_loop(loop)
    try:
        portal = portal_ref()
        assert portal is not None  # the starter is waiting on it
        try:
            client = loop.run_until_complete(_invoke(portal._factory))
        except BaseException as exc:  # e.g. ValidationError: reported to the starter
            failure.append(exc)
            return
        portal._client, portal._ident, portal._loop = client, threading.get_ident(), loop
        del portal
        loop.call_soon(ready.set)
        try:
            loop.run_forever()
        finally:
            # Normally close() has done this; should the loop ever stop otherwise, refuse new
            # calls all the same. Then release the callers still waiting, and close the client.
            portal = portal_ref()
            if portal is not None:
                with portal._lock:
                    portal._closing = True
                del portal
            with contextlib.suppress(Exception):
                loop.run_until_complete(_shutdown(client))
    finally:
        try:
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.run_until_complete(loop.shutdown_default_executor())
        finally:
            wakeups.wake_all()  # callers whose calls ended as the loop stopped
            asyncio.set_event_loop(None)
            loop.close()
            ready.set()


async def _shutdown(client: AsyncFreestyle) -> None:
    """On the loop, once it has stopped: cancel what is still running (each waiting caller is
    released with an error) and close the client."""
    await asyncio.sleep(0)  # let tasks started by a last drain take their first step
    current = asyncio.current_task()
    tasks = [task for task in asyncio.all_tasks() if task is not current]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    await client.aclose()


def _stop_loop(
    loop: asyncio.AbstractEventLoop,
    thread: threading.Thread,
    timeout: float | None,
) -> None:
    """Stop the loop from any thread (its thread then shuts down what ran on it, see
    :func:`_thread_main`), and join that thread unless it is this one. Also the finalizer of a
    portal nobody holds any more, and run at interpreter exit."""
    with contextlib.suppress(RuntimeError):  # the loop is closed already
        loop.call_soon_threadsafe(loop.stop)
    if threading.current_thread() is not thread:
        thread.join(timeout)


def _warm_up_allocator() -> None:
    block = bytes(_ALLOCATOR_WARM_UP)  # see _ALLOCATOR_WARM_UP
    del block


def _spawn_on(loop: asyncio.AbstractEventLoop, fn: Callable[[], Awaitable[object]]) -> None:
    loop.create_task(_quietly(fn))
