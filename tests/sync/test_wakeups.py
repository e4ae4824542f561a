"""The order and timing in which callers whose calls ended are woken."""

from __future__ import annotations

import selectors
import socket
from concurrent.futures import ThreadPoolExecutor

import pytest

from freestyle_async._sync import _portal
from freestyle_async._sync._portal import Call
from freestyle_async._sync._wakeups import (
    BUSY_WAKE_AFTER,
    IDLE_AFTER,
    STALL_AFTER,
    Wakeups,
    WakingSelector,
)
from freestyle_async.sync import Freestyle

from .conftest import EmulatorThread


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Waiter:
    def __init__(self, name: str, woken: list[str]) -> None:
        self.name = name
        self._woken = woken

    def wake(self) -> None:
        self._woken.append(self.name)


def ended(wakeups: Wakeups, woken: list[str], *names: str) -> None:
    for name in names:
        wakeups.ended(Waiter(name, woken))


def test_nothing_to_wake_leaves_the_timeout_alone() -> None:
    wakeups = Wakeups(Clock())
    assert [wakeups.before_select(t) for t in (None, 0, 2.5)] == [None, 0, 2.5]


def test_callers_wait_while_the_loop_is_busy_then_wake_one_by_one_as_it_sleeps() -> None:
    woken: list[str] = []
    wakeups = Wakeups(Clock())
    ended(wakeups, woken, "a", "b", "c")
    assert wakeups.before_select(0) == 0  # ready callbacks: no wake-up yet
    assert woken == []
    assert wakeups.before_select(None) == STALL_AFTER  # about to sleep: the first one
    assert woken == ["a"]
    assert wakeups.before_select(None) == STALL_AFTER  # a chain is running: not again
    assert woken == ["a"]
    wakeups.pass_on()  # "a" wakes "b", "b" wakes "c", "c" ends the chain
    wakeups.pass_on()
    wakeups.pass_on()
    assert woken == ["a", "b", "c"]
    assert wakeups.before_select(None) is None


def test_a_call_ending_after_the_chain_ended_starts_the_next_chain() -> None:
    woken: list[str] = []
    wakeups = Wakeups(Clock())
    ended(wakeups, woken, "a")
    wakeups.before_select(1.0)
    wakeups.pass_on()  # the chain ends with "a"
    ended(wakeups, woken, "b")
    assert wakeups.before_select(1.0) == min(1.0, STALL_AFTER)
    assert woken == ["a", "b"]


def test_a_call_ending_while_a_chain_runs_joins_it() -> None:
    woken: list[str] = []
    wakeups = Wakeups(Clock())
    ended(wakeups, woken, "a")
    wakeups.before_select(None)
    ended(wakeups, woken, "b")
    wakeups.pass_on()
    assert woken == ["a", "b"]


def test_a_loop_that_stays_busy_still_wakes_callers_soon() -> None:
    clock = Clock()
    woken: list[str] = []
    wakeups = Wakeups(clock)
    ended(wakeups, woken, "a")
    clock.now += BUSY_WAKE_AFTER / 2
    wakeups.before_select(0)
    assert woken == []
    clock.now += BUSY_WAKE_AFTER
    wakeups.before_select(0)
    assert woken == ["a"]


def test_a_stalled_chain_is_started_again() -> None:
    """The woken caller never passes on (interrupted, say): the loop wakes the next one."""
    clock = Clock()
    woken: list[str] = []
    wakeups = Wakeups(clock)
    ended(wakeups, woken, "a", "b")
    wakeups.before_select(None)
    clock.now += STALL_AFTER / 2
    wakeups.before_select(None)
    assert woken == ["a"]
    clock.now += STALL_AFTER
    wakeups.before_select(None)
    assert woken == ["a", "b"]


def sleep(wakeups: Wakeups, clock: Clock, seconds: float, timeout: float | None = None) -> None:
    """The loop waits for I/O for ``seconds`` (of the fake clock)."""
    wakeups.before_select(timeout)
    clock.now += seconds
    wakeups.after_select()


def test_after_an_idle_wait_each_call_that_ends_wakes_its_caller_at_once() -> None:
    clock = Clock()
    woken: list[str] = []
    wakeups = Wakeups(clock)
    sleep(wakeups, clock, IDLE_AFTER)
    ended(wakeups, woken, "a", "b")
    assert woken == ["a", "b"]  # no wait for the loop to sleep again
    sleep(wakeups, clock, IDLE_AFTER * 10, timeout=0)  # a poll: the loop is still awake
    ended(wakeups, woken, "c")
    assert woken == ["a", "b", "c"]
    sleep(wakeups, clock, IDLE_AFTER / 2)  # a short wait: now the loop is kept busy
    ended(wakeups, woken, "d")
    assert woken == ["a", "b", "c"]
    assert wakeups.before_select(None) == STALL_AFTER
    assert woken == ["a", "b", "c", "d"]


def test_a_loop_kept_busy_wakes_no_caller_before_it_sleeps() -> None:
    clock = Clock()
    woken: list[str] = []
    wakeups = Wakeups(clock)
    sleep(wakeups, clock, IDLE_AFTER / 2)
    ended(wakeups, woken, "a", "b")
    assert woken == []
    wakeups.before_select(None)
    assert woken == ["a"]


async def _nothing() -> None:
    pass


def test_a_woken_caller_wakes_the_next_one() -> None:
    """The loop only starts a chain: each caller, once woken, wakes the next one itself
    (otherwise the next would wait for the loop's stall check, milliseconds late)."""
    wakeups = Wakeups(Clock())
    first, second = (Call(_nothing, (), {}, wakeups) for _ in range(2))
    wakeups.ended(first)
    wakeups.ended(second)
    wakeups.before_select(None)  # the loop wakes the first caller only
    assert not second._done.acquire(blocking=False)
    assert first._block(0)
    assert second._done.acquire(blocking=False), "the first caller did not wake the second"


def test_wake_all_wakes_everyone_left() -> None:
    woken: list[str] = []
    wakeups = Wakeups(Clock())
    ended(wakeups, woken, "a", "b", "c")
    wakeups.before_select(None)
    wakeups.wake_all()
    assert woken == ["a", "b", "c"]
    assert wakeups.before_select(None) is None


def test_the_selector_passes_the_adjusted_timeout_to_the_real_one() -> None:
    woken: list[str] = []
    wakeups = Wakeups(Clock())
    selector = WakingSelector(wakeups)
    left, right = socket.socketpair()
    try:
        key = selector.register(left, selectors.EVENT_READ, "data")
        assert selector.get_key(left) == key and key.data == "data"
        selector.modify(left, selectors.EVENT_READ, "other")
        ended(wakeups, woken, "a", "b")
        assert selector.select(None) == []  # returns after STALL_AFTER, not never
        assert woken == ["a"]
        right.send(b"x")
        assert [k.data for k, _ in selector.select(0)] == ["other"]
        selector.unregister(left)
        assert len(selector.get_map()) == 0
    finally:
        selector.close()
        left.close()
        right.close()


def test_the_selector_tells_how_long_the_loop_slept() -> None:
    woken: list[str] = []
    wakeups = Wakeups()  # the real clock: with nothing registered, select() waits it out
    selector = WakingSelector(wakeups)
    try:
        selector.select(IDLE_AFTER * 2)
    finally:
        selector.close()
    ended(wakeups, woken, "a")
    assert woken == ["a"]


@pytest.mark.parametrize("chain", [True, False], ids=["chain", "no-chain"])
def test_both_bridges_the_benchmark_compares_serve_many_threads(
    emulator: EmulatorThread, monkeypatch: pytest.MonkeyPatch, chain: bool
) -> None:
    """``benchmarks/sync_overhead.py`` measures the bridge with and without the chain: both
    must answer every thread correctly, and only the chain replaces the policy's loop."""
    monkeypatch.setattr(_portal, "_WAKEUP_CHAIN", chain)
    with Freestyle(emulator.emu.api_key, base_url=emulator.emu.base_url) as fs:
        expected = fs.account.get()
        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(lambda _: fs.account.get(), range(80)))
        loop = fs._portal.loop
        assert loop is not None
        selector = getattr(loop, "_selector", None)
    assert answers == [expected] * 80
    assert isinstance(selector, WakingSelector) is chain
