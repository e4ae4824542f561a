"""The request gate's pacing (``max_requests_per_second``) when waiters leave before their
turn: a caller cancelled or timed out while waiting gives its start time back, and the starts
that do happen stay at least ``1 / N`` s apart, in arrival order.

The gate runs on a fake clock here: ``FakeTime.sleep`` wakes only when the test moves the
clock on, so every assertion is about which caller starts when, not about wall time.
"""

from __future__ import annotations

import asyncio
import itertools

import pytest

from freestyle_async._limits import RequestGate

INTERVAL = 0.125  # max_requests_per_second=8; a binary fraction, so sums of it are exact


class FakeTime:
    """A clock that stands still until ``advance``, and the sleep that goes with it."""

    def __init__(self) -> None:
        self.now = 0.0
        self._timers: list[tuple[float, asyncio.Future[None]]] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        wake = asyncio.get_running_loop().create_future()
        self._timers.append((self.now + seconds, wake))
        await wake

    async def advance(self, seconds: float) -> None:
        """Move the clock on, wake the sleepers that are due, and let everything run."""
        self.now += seconds
        for when, wake in self._timers:
            if when <= self.now and not wake.done():
                wake.set_result(None)
        self._timers = [(when, wake) for when, wake in self._timers if not wake.done()]
        await settle()


async def settle() -> None:
    """Let every task that can run, run (no real time passes)."""
    for _ in range(20):
        await asyncio.sleep(0)


def make_gate(clock: FakeTime, *, max_concurrency: int | None = None) -> RequestGate:
    return RequestGate(
        max_requests_per_second=1 / INTERVAL,
        max_concurrency=max_concurrency,
        clock=clock,
        sleep=clock.sleep,
    )


class Starts:
    """Callers going through one gate; ``log`` holds (caller, fake time) for each start."""

    def __init__(self, gate: RequestGate, clock: FakeTime) -> None:
        self.gate = gate
        self.clock = clock
        self.log: list[tuple[int, float]] = []

    async def call(self, caller: int) -> None:
        async with self.gate:
            self.log.append((caller, self.clock.now))

    def spawn(self, callers: range) -> dict[int, asyncio.Task[None]]:
        return {n: asyncio.ensure_future(self.call(n)) for n in callers}


async def cancel(tasks: list[asyncio.Task[None]]) -> None:
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


async def test_callers_cancelled_while_waiting_do_not_delay_the_next_caller() -> None:
    # 300 callers arrive at once against 8/s: the first starts, 299 wait. All of them give
    # up (a 1 s timeout does the same). Once the client is idle, a new call starts at once.
    clock = FakeTime()
    starts = Starts(make_gate(clock), clock)
    waiting = starts.spawn(range(300))
    await settle()
    assert starts.log == [(0, 0.0)]
    await cancel(list(waiting.values()))

    await clock.advance(1.0)
    late = asyncio.ensure_future(starts.call(300))
    await settle()
    assert late.done(), "a call on an idle client waits for the start times of cancelled ones"
    assert starts.log == [(0, 0.0), (300, 1.0)]


async def test_a_cancelled_waiter_hands_its_start_time_to_the_caller_behind_it() -> None:
    clock = FakeTime()
    starts = Starts(make_gate(clock), clock)
    tasks = starts.spawn(range(4))
    await settle()
    # Caller 1 sleeps until its start time; caller 2 is queued behind it. Both give up.
    await cancel([tasks[1], tasks[2]])

    await clock.advance(INTERVAL)
    # Caller 3 takes the start time caller 1 left unused, not one two intervals later.
    assert starts.log == [(0, 0.0), (3, INTERVAL)]


async def test_spacing_and_arrival_order_hold_when_waiters_leave() -> None:
    clock = FakeTime()
    starts = Starts(make_gate(clock, max_concurrency=50), clock)
    tasks = starts.spawn(range(20))
    await settle()
    # Leavers: the caller asleep at the head, callers queued behind it, and the last one.
    await cancel([tasks[n] for n in (1, 2, 5, 6, 7, 19)])
    for _ in range(60):
        await clock.advance(INTERVAL / 4)
        await cancel([tasks[n] for n in (11, 12) if starts.log[-1][0] == 10])
    stuck = [n for n, task in tasks.items() if not task.done()]
    await cancel([tasks[n] for n in stuck])
    assert stuck == []

    callers = [caller for caller, _ in starts.log]
    assert callers == [n for n in range(19) if n not in (1, 2, 5, 6, 7, 11, 12)]
    times = [at for _, at in starts.log]
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    assert min(gaps) >= INTERVAL - 1e-9
    # No start time is wasted on a caller that left: each start comes as soon as allowed.
    assert max(gaps) <= INTERVAL + 1e-9


@pytest.mark.parametrize("leavers", [0, 1, 299])
async def test_callers_that_stay_start_one_interval_apart(leavers: int) -> None:
    clock = FakeTime()
    starts = Starts(make_gate(clock), clock)
    gone = starts.spawn(range(leavers))
    staying = starts.spawn(range(leavers, leavers + 5))
    await settle()
    await cancel([task for n, task in gone.items() if n])  # caller 0 has already started
    for _ in range(5):
        await clock.advance(INTERVAL)
    assert all(task.done() for task in staying.values())
    expected = [(n, (i + bool(leavers)) * INTERVAL) for i, n in enumerate(staying)]
    assert starts.log == ([(0, 0.0)] if leavers else []) + expected
