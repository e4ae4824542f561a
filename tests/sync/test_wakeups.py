"""The order and timing in which callers whose calls ended are woken."""

from __future__ import annotations

import selectors
import socket

from freestyle_async._sync._portal import Call
from freestyle_async._sync._wakeups import BUSY_WAKE_AFTER, STALL_AFTER, Wakeups, WakingSelector


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
