"""Waking the threads whose calls have ended: at once while the loop is idle, and one at a
time, while the loop thread sleeps, when it is kept busy.

Each blocked caller waits on its own lock. Releasing those locks the moment each task ends
makes every woken caller fight the loop thread, and each other, for the GIL: when many
threads keep the loop busy that costs several thread switches per call, most of the bridge's
cost. So while the loop is busy it only records that a call ended. When it is about to sleep
in ``select()`` (the GIL free for a while), the selector wakes the first of those callers;
each woken caller wakes the next one before it does anything else. The wake-ups form a chain,
and the threads take the GIL one after another instead of all at once.

That wait costs each caller the rest of the loop's busy spell, which only pays while the
loop is kept busy. A loop whose last wait for I/O lasted :data:`IDLE_AFTER` or more (calls to
a server that takes milliseconds) has spare time and few callers to wake: it wakes each one
the moment its call ends. Two guards keep a caller from waiting on the chain: a loop that
stays busy for :data:`BUSY_WAKE_AFTER` wakes the next caller without going to sleep first,
and a chain that stops (its holder interrupted, say) is restarted by the loop after
:data:`STALL_AFTER`; the loop never sleeps longer than that while a caller is left to wake.

Why it stays (issue 12), from ``python benchmarks/sync_overhead.py --practical``: 8 threads
against ``AsyncFreestyle`` at concurrency 8, as ratios to it measured in the same rounds,
with this chain and without it (each caller's lock released as its call ends, on the event
loop policy's loop). Medians of 11-24 rounds per figure on a 2-CPU machine shared with other
work, each round started once its CPUs were at least 75 % idle:

==============================================  ============  ============
Freestyle / AsyncFreestyle                      this chain    no chain
==============================================  ============  ============
throughput, server taking 5 ms, ``--pin``       0.90-0.93x    0.91-0.94x
the same, client and server sharing the CPUs    1.01x         1.00x
client CPU per call, no latency, ``--pin``      1.14-1.23x    1.30-1.36x
the same, client and server sharing the CPUs    1.72x         1.90x
==============================================  ============  ============

Without it the threads use 8-14 % more client CPU per call, and gain nothing against the slow
server. Before it woke callers at once after an idle wait, it held them until the loop's
busy spell ended there too: against the 5 ms server (``--pin``) it gave 0.91-0.92x on the
shared machine and 0.84x on a quiet one, where no chain gave 0.92x.
"""

from __future__ import annotations

import collections
import selectors
import threading
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Final, Protocol

if TYPE_CHECKING:
    from _typeshed import FileDescriptorLike

__all__ = ["BUSY_WAKE_AFTER", "IDLE_AFTER", "STALL_AFTER", "Waiter", "Wakeups", "WakingSelector"]

#: A caller whose call ended is woken at the latest this long after, even if the loop never
#: sleeps meanwhile.
BUSY_WAKE_AFTER: Final = 0.001
#: A chain of wake-ups that has not moved on for this long is started again by the loop.
STALL_AFTER: Final = 0.005
#: A loop that slept this long in its last wait for I/O is not kept busy: a call that ends
#: before its next wait wakes its caller at once.
IDLE_AFTER: Final = 0.001


class Waiter(Protocol):
    def wake(self) -> None: ...


class Wakeups:
    """The callers to wake, in the order their calls ended, and the chain waking them."""

    __slots__ = ("_chain_moved", "_clock", "_ended", "_first_ended", "_idle", "_lock", "_slept")

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._ended: collections.deque[Waiter] = collections.deque()
        self._first_ended = 0.0  # when the oldest call still waiting to be woken ended
        self._chain_moved: float | None = None  # None while no chain is running
        self._slept: float | None = None  # when the loop's current wait for I/O began
        self._idle = False  # whether the loop's last wait lasted IDLE_AFTER or more

    def ended(self, waiter: Waiter) -> None:
        """On the loop thread: ``waiter``'s call has ended; wake it at once if the loop has
        just been idle, else in turn."""
        if self._idle:
            waiter.wake()
            return
        with self._lock:
            if not self._ended:
                self._first_ended = self._clock()
            self._ended.append(waiter)

    def pass_on(self) -> None:
        """On a woken caller's thread: wake the next caller, or end the chain."""
        with self._lock:
            if self._ended:
                self._chain_moved = self._clock()
                self._ended.popleft().wake()
            else:
                self._chain_moved = None

    def before_select(self, timeout: float | None) -> float | None:
        """On the loop thread, before it waits up to ``timeout`` seconds for I/O: start a
        chain if one is due; the timeout to use instead."""
        if timeout != 0:
            self._slept = self._clock()
        if not self._ended:  # the common case, read without the lock
            return timeout
        with self._lock:
            if not self._ended:
                return timeout
            now = self._clock()
            moved = self._chain_moved
            if moved is None:
                due = timeout != 0 or now - self._first_ended >= BUSY_WAKE_AFTER
            else:
                due = now - moved >= STALL_AFTER
            if due:
                self._chain_moved = now
                self._ended.popleft().wake()
            elif moved is None:
                return timeout  # 0: the loop is busy, and looks again at its next iteration
        return STALL_AFTER if timeout is None else min(timeout, STALL_AFTER)

    def after_select(self) -> None:
        """On the loop thread, once its wait for I/O is over: note whether it was idle."""
        slept = self._slept
        if slept is not None:
            self._slept = None
            self._idle = self._clock() - slept >= IDLE_AFTER

    def wake_all(self) -> None:
        """Wake every caller left (the loop is stopping)."""
        with self._lock:
            ended, self._ended = self._ended, collections.deque()
            self._chain_moved = None
        for waiter in ended:
            waiter.wake()


class WakingSelector(selectors.BaseSelector):
    """The platform's default selector, letting :class:`Wakeups` act before each wait."""

    def __init__(self, wakeups: Wakeups) -> None:
        self._selector = selectors.DefaultSelector()
        self._wakeups = wakeups

    def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
        ready = self._selector.select(self._wakeups.before_select(timeout))
        self._wakeups.after_select()
        return ready

    def register(
        self, fileobj: FileDescriptorLike, events: int, data: Any = None
    ) -> selectors.SelectorKey:
        return self._selector.register(fileobj, events, data)

    def unregister(self, fileobj: FileDescriptorLike) -> selectors.SelectorKey:
        return self._selector.unregister(fileobj)

    def modify(
        self, fileobj: FileDescriptorLike, events: int, data: Any = None
    ) -> selectors.SelectorKey:
        return self._selector.modify(fileobj, events, data)

    def get_map(self) -> Mapping[FileDescriptorLike, selectors.SelectorKey]:
        return self._selector.get_map()

    def close(self) -> None:
        self._selector.close()
