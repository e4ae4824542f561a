"""Ctrl-C, signal-handler exceptions and timeouts cancel the request in flight on the loop."""

from __future__ import annotations

import _thread
import asyncio
import signal
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from freestyle_async import APITimeoutError, FreestyleError
from freestyle_async._sync._portal import Call
from freestyle_async.sync import Freestyle
from freestyle_async.testing import Faults

from .conftest import EmulatorThread, tasks_on_loop, wait_until

LATENCY = 2.0

in_main_thread = pytest.mark.skipif(
    threading.current_thread() is not threading.main_thread(),
    reason="signals are delivered to the main thread",
)


@pytest.fixture(autouse=True)
def _ctrl_c_raises() -> Iterator[None]:
    """Python's own SIGINT handler, whatever the test run inherited: a shell starts a
    background job with SIGINT ignored, and then neither a real SIGINT nor
    ``_thread.interrupt_main()`` raises ``KeyboardInterrupt``."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _interrupt_when_in_flight(
    emulator: EmulatorThread, interrupt: Callable[[], None]
) -> threading.Thread:
    """Fire ``interrupt`` once the emulator has received the next request."""
    before = emulator.requests()

    def watch() -> None:
        if wait_until(lambda: emulator.requests() > before):
            interrupt()

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    return watcher


def _sigint() -> None:
    signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGINT)


@in_main_thread
@pytest.mark.skipif(not hasattr(signal, "pthread_kill"), reason="needs pthread_kill")
@pytest.mark.parametrize(
    "interrupt",
    [_sigint, _thread.interrupt_main],
    ids=["real SIGINT", "interrupt_main (no signal, seen by the poll)"],
)
def test_ctrl_c_cancels_the_request_in_flight(
    fs: Freestyle, emulator: EmulatorThread, interrupt: Callable[[], None]
) -> None:
    fs.account.get()
    emulator.set_faults(Faults(latency=LATENCY))
    watcher = _interrupt_when_in_flight(emulator, interrupt)
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        fs.dial_campaigns.list().first_page()
    elapsed = time.monotonic() - started
    watcher.join()
    assert elapsed < LATENCY / 2, f"the interrupt took {elapsed:.2f} s to surface"
    # The task was cancelled and finished before the interrupt surfaced: nothing left running.
    assert tasks_on_loop(fs) == []
    emulator.set_faults(None)
    assert fs.account.get().id  # the client is still usable


class _Alarm(Exception):
    pass


@in_main_thread
@pytest.mark.skipif(not hasattr(signal, "SIGALRM"), reason="needs SIGALRM")
def test_an_exception_from_a_signal_handler_also_cancels(
    fs: Freestyle, emulator: EmulatorThread
) -> None:
    def on_alarm(signum: int, frame: object) -> None:
        raise _Alarm("caller-side deadline")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    try:
        emulator.set_faults(Faults(latency=LATENCY))
        watcher = _interrupt_when_in_flight(
            emulator,
            lambda: signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGALRM),
        )
        started = time.monotonic()
        with pytest.raises(_Alarm):
            fs.account.get()
        elapsed = time.monotonic() - started
        watcher.join()
        assert elapsed < LATENCY / 2, f"the exception took {elapsed:.2f} s to surface"
    finally:
        signal.signal(signal.SIGALRM, previous)
    assert tasks_on_loop(fs) == []
    emulator.set_faults(None)
    assert fs.account.get().id


def test_a_per_call_timeout_cancels_on_the_loop(fs: Freestyle, emulator: EmulatorThread) -> None:
    emulator.set_faults(Faults(latency=LATENCY))
    started = time.monotonic()
    with pytest.raises(APITimeoutError):
        fs.account.get(timeout=0.2, max_retries=0)
    assert time.monotonic() - started < LATENCY / 2
    assert tasks_on_loop(fs) == []
    emulator.set_faults(None)
    assert fs.account.get().id


def test_an_interrupted_paginator_can_be_iterated_again(
    fs: Freestyle, emulator: EmulatorThread
) -> None:
    paginator = fs.dial_campaigns.list(per_page=2)
    emulator.set_faults(Faults(latency=LATENCY))
    watcher = _interrupt_when_in_flight(emulator, _thread.interrupt_main)
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        list(paginator)
    assert time.monotonic() - started < LATENCY / 2
    watcher.join()
    assert tasks_on_loop(fs) == []
    emulator.set_faults(None)
    assert [c.id for c in paginator] == emulator.emu.campaign_ids()


def test_a_call_cancelled_before_its_first_step_still_releases_its_caller(fs: Freestyle) -> None:
    """An interrupt landing between the hand-over and the task's first step (start and cancel
    run in the same loop iteration) must not leave the caller waiting out the grace period."""
    fs.account.get()
    loop = fs._portal.loop
    assert loop is not None
    call: Call[None] = Call(asyncio.sleep, (10,), {}, fs._portal.wakeups)

    def start_then_cancel() -> None:
        call.start(loop)
        call.cancel()

    outcome: list[BaseException] = []

    def wait() -> None:
        try:
            call.wait(loop)
        except BaseException as exc:  # reported to the test
            outcome.append(exc)

    waiter = threading.Thread(target=wait, daemon=True)  # a hang must fail, not block the run
    waiter.start()
    loop.call_soon_threadsafe(start_then_cancel)
    waiter.join(2)
    assert not waiter.is_alive(), "the caller was never released"
    assert len(outcome) == 1 and isinstance(outcome[0], FreestyleError)
    assert tasks_on_loop(fs) == []
