"""What the sync facade costs: ``Freestyle`` against ``AsyncFreestyle`` on the same requests.

    python benchmarks/sync_overhead.py            # about half a minute
    python benchmarks/sync_overhead.py --quick    # a few seconds, rough figures
    python benchmarks/sync_overhead.py --pin      # the emulator on a CPU of its own (Linux)
    python benchmarks/sync_overhead.py --pin --practical   # only the figures of part 4
    python benchmarks/sync_overhead.py --pin --practical --rounds 15 --wait-idle 0.8
                                       # on a shared machine: each round waits for idle CPUs

The emulator runs in a separate process (``python -m freestyle_async.testing --port 0``), so
the CPU spent in this process is the client's. Measured, in alternating rounds:

1. Sequential calls, one at a time: the per-call time of ``fs.account.get()`` and of
   ``fs.dial_campaigns.list().first_page()`` (8 campaigns decoded) through ``Freestyle``
   against the same call awaited on ``AsyncFreestyle``. Medians of per-call times; the ratio
   is the median of the per-round ratios. Target: sync <= 1.4x async.
2. Throughput: 8 threads sharing one ``Freestyle`` against 8 coroutines sharing one
   ``AsyncFreestyle`` (``account.get()``), with the client's CPU time per request (all its
   threads). Target: sync >= 0.8x async.
3. The bare bridge: a no-op coroutine through ``Freestyle``'s portal against
   ``asyncio.run_coroutine_threadsafe(...).result()`` on the same loop thread (the textbook
   bridge).
4. The practical figures, each against ``AsyncFreestyle`` at concurrency 8 in the same rounds:
   (a) throughput of 8 threads against an emulator that takes 5 ms per request, as a real
   server behind a network does (target: sync >= 0.9x async), and (b) the client's CPU per
   call, all threads, at 8 threads and no latency. Both are printed for each bridge design
   the portal can be switched to (with and without the wake-up chain), with the spread of
   the per-round ratios, and what removing the chain costs on each.

By default the client and the emulator share the machine's CPUs as the OS schedules them. On
2 CPUs that hurts the threads most: nine client threads and the emulator move between the
two cores, and a woken thread often lands on the emulator's. ``--pin`` keeps the emulator on
the last CPU and the client on the others, closer to a server on another machine.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Any

from _server import emulator_process

from freestyle_async import AsyncFreestyle
from freestyle_async._sync import _portal
from freestyle_async.sync import Freestyle

SEQUENTIAL_TARGET = 1.4
THROUGHPUT_TARGET = 0.8
SLOW_SERVER_TARGET = 0.9
WORKERS = 8
SERVER_LATENCY_MS = 5


def per_call_sync(fn: Callable[[], object], calls: int) -> float:
    """Median seconds per call of ``fn()``."""
    times = []
    for _ in range(calls):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


async def per_call_async(fn: Callable[[], Awaitable[object]], calls: int) -> float:
    times = []
    for _ in range(calls):
        start = time.perf_counter()
        await fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


Rate = tuple[float, float]  # calls per second, client CPU seconds per call (all threads)


def throughput_sync(fn: Callable[[], object], calls_per_worker: int) -> Rate:
    """Calls per second with ``WORKERS`` threads calling ``fn`` at once, and CPU per call."""
    barrier = threading.Barrier(WORKERS + 1)

    def worker() -> None:
        barrier.wait()
        for _ in range(calls_per_worker):
            fn()

    threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    barrier.wait()
    start, cpu = time.perf_counter(), time.process_time()
    for thread in threads:
        thread.join()
    calls = WORKERS * calls_per_worker
    return calls / (time.perf_counter() - start), (time.process_time() - cpu) / calls


async def throughput_async(fn: Callable[[], Awaitable[object]], calls_per_worker: int) -> Rate:
    async def worker() -> None:
        for _ in range(calls_per_worker):
            await fn()

    start, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(worker() for _ in range(WORKERS)))
    calls = WORKERS * calls_per_worker
    return calls / (time.perf_counter() - start), (time.process_time() - cpu) / calls


def idle_fraction(seconds: float = 1.0) -> float:
    """How idle the machine's CPUs were over ``seconds`` (Linux ``/proc/stat``; 1.0 elsewhere).
    Other busy processes change these figures a lot: the sync side more than the async one."""
    try:

        def sample() -> tuple[int, int]:
            with open("/proc/stat") as stat:
                fields = [int(x) for x in stat.readline().split()[1:]]
            return fields[3] + fields[4], sum(fields)

        idle0, total0 = sample()
        time.sleep(seconds)
        idle1, total1 = sample()
        return (idle1 - idle0) / max(1, total1 - total0)
    except OSError:
        return 1.0


async def _noop() -> None:
    return None


def bridge_round_trips(fs: Freestyle, calls: int) -> tuple[float, float]:
    """Median seconds of a no-op through the portal, and through run_coroutine_threadsafe."""
    portal = fs._portal
    loop = portal.loop
    assert loop is not None
    ours = per_call_sync(lambda: portal.call(_noop), calls)
    baseline = per_call_sync(
        lambda: asyncio.run_coroutine_threadsafe(_noop(), loop).result(), calls
    )
    return ours, baseline


async def make_client(key: str, base_url: str) -> AsyncFreestyle:
    """An AsyncFreestyle made inside a running loop (where aiohttp wants it)."""
    return AsyncFreestyle(key, base_url=base_url)


def _naive_bridge(fs: Freestyle, label: str) -> Callable[[], object]:
    """The same request through ``run_coroutine_threadsafe(...).result()`` on the same loop
    thread and client: the textbook bridge, for comparison."""
    loop = fs._portal.loop
    client = fs._portal.client
    assert loop is not None
    if label.startswith("account"):
        return lambda: asyncio.run_coroutine_threadsafe(client.account.get(), loop).result()
    return lambda: asyncio.run_coroutine_threadsafe(
        client.dial_campaigns.list().first_page(), loop
    ).result()


def _us(seconds: float) -> str:
    return f"{seconds * 1e6:8.0f} us"


def freestyle(key: str, base_url: str, *, chain: bool = True) -> Freestyle:
    """A ``Freestyle`` whose portal wakes callers through the wake-up chain, or (``chain``
    false) releases each caller as its call ends, on a loop from the event loop policy. The
    portal reads this private switch when it is made; nothing else sets it."""
    _portal._WAKEUP_CHAIN = chain
    try:
        return Freestyle(key, base_url=base_url)
    finally:
        _portal._WAKEUP_CHAIN = True


DESIGNS = {"with the wake-up chain": True, "without it (plain locks)": False}


def _spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f}x  (rounds {min(values):.2f}-{max(values):.2f})"


def wait_until_idle(fraction: float | None, patience: float = 300.0) -> None:
    """Before a round: wait until the CPUs were at least ``fraction`` idle over half a second
    (other work on a shared machine), for ``patience`` seconds at most."""
    deadline = time.monotonic() + patience
    while fraction is not None and time.monotonic() < deadline:
        if idle_fraction(0.5) >= fraction:
            return


def practical(
    loop: asyncio.AbstractEventLoop,
    server_cpu: int | None,
    rounds: int,
    per_worker: int,
    wait_idle: float | None = None,
) -> bool:
    """Part 4: for each design, (a) throughput against a 5 ms server and (b) client CPU per
    call with no latency, as ratios to AsyncFreestyle measured in the same rounds (the order
    rotates each round). Whether the design that ships met the 5 ms target."""
    figures: dict[str, dict[str, list[float]]] = {d: {"a": [], "b": []} for d in DESIGNS}
    for part, options, index, calls in (
        ("a", ("--latency", str(SERVER_LATENCY_MS)), 0, max(25, per_worker // 5)),
        ("b", (), 1, per_worker),
    ):
        with emulator_process(*options, cpu=server_cpu) as server:
            base_url, key = server.base_url, server.api_key
            clients = {d: freestyle(key, base_url, chain=c) for d, c in DESIGNS.items()}
            client = loop.run_until_complete(make_client(key, base_url))
            try:
                for fs in clients.values():  # warm up: connections, the loop threads
                    throughput_sync(fs.account.get, 10)
                loop.run_until_complete(throughput_async(client.account.get, 10))
                for r in range(rounds):
                    wait_until_idle(wait_idle)
                    sides: list[str | None] = [None, *clients]
                    sides = sides[r % len(sides) :] + sides[: r % len(sides)]
                    rates: dict[str | None, Rate] = {}
                    for side in sides:
                        if side is None:
                            rates[side] = loop.run_until_complete(
                                throughput_async(client.account.get, calls)
                            )
                        else:
                            rates[side] = throughput_sync(clients[side].account.get, calls)
                    for design in DESIGNS:
                        figures[design][part].append(rates[design][index] / rates[None][index])
            finally:
                for fs in clients.values():
                    fs.close()
                loop.run_until_complete(client.aclose())

    print(
        f"   (a) throughput against a server taking {SERVER_LATENCY_MS} ms, Freestyle /"
        f" AsyncFreestyle (target >= {SLOW_SERVER_TARGET}x)"
    )
    for design in DESIGNS:
        print(f"     {design:28s} {_spread(figures[design]['a'])}")
    print("   (b) client CPU per call at no latency, Freestyle / AsyncFreestyle (all threads)")
    for design in DESIGNS:
        print(f"     {design:28s} {_spread(figures[design]['b'])}")
    chain, plain = (figures[d] for d in DESIGNS)
    faster = statistics.median(plain["a"]) / statistics.median(chain["a"]) - 1
    costlier = statistics.median(plain["b"]) / statistics.median(chain["b"]) - 1
    print(
        f"   removing the chain changes throughput at {SERVER_LATENCY_MS} ms by {faster:+.1%}"
        f" and CPU per call by {costlier:+.1%} (it stays while either costs 5 % or more)"
    )
    return statistics.median(chain["a"]) >= SLOW_SERVER_TARGET


def overheads(server_cpu: int | None, rounds: int, calls: int, per_worker: int) -> bool:
    """Parts 1-3; whether their targets were met."""
    with emulator_process(cpu=server_cpu) as server:
        base_url, key = server.base_url, server.api_key
        fs = Freestyle(key, base_url=base_url)
        loop = asyncio.new_event_loop()
        client = loop.run_until_complete(make_client(key, base_url))
        requests: dict[str, tuple[Callable[[], object], Callable[[], Awaitable[Any]]]] = {
            "account.get()": (fs.account.get, client.account.get),
            "dial_campaigns.list().first_page()": (
                lambda: fs.dial_campaigns.list().first_page(),
                lambda: client.dial_campaigns.list().first_page(),
            ),
        }
        try:
            # Warm up: connections, first decodes, the loop thread.
            for sync_fn, async_fn in requests.values():
                per_call_sync(sync_fn, 50)
                loop.run_until_complete(per_call_async(async_fn, 50))

            print("1. Sequential, median per call")
            sequential_ok = True
            for label, (sync_fn, async_fn) in requests.items():
                naive_fn = _naive_bridge(fs, label)
                sync_t, async_t, naive_t, ratios, naive_ratios = [], [], [], [], []
                for r in range(rounds):
                    if r % 2:
                        s = per_call_sync(sync_fn, calls)
                        n = per_call_sync(naive_fn, calls)
                        a = loop.run_until_complete(per_call_async(async_fn, calls))
                    else:
                        a = loop.run_until_complete(per_call_async(async_fn, calls))
                        n = per_call_sync(naive_fn, calls)
                        s = per_call_sync(sync_fn, calls)
                    sync_t.append(s)
                    async_t.append(a)
                    naive_t.append(n)
                    ratios.append(s / a)
                    naive_ratios.append(n / a)
                ratio = statistics.median(ratios)
                sequential_ok &= ratio <= SEQUENTIAL_TARGET
                async_median = statistics.median(async_t)
                print(f"   {label}")
                print(f"     AsyncFreestyle                       {_us(async_median)}")
                print(
                    f"     same, run_coroutine_threadsafe bridge {_us(statistics.median(naive_t))}"
                    f"   ratio {statistics.median(naive_ratios):.2f}x,"
                    f" adds {(statistics.median(naive_t) - async_median) * 1e6:.0f} us"
                )
                print(
                    f"     Freestyle                            {_us(statistics.median(sync_t))}"
                    f"   ratio {ratio:.2f}x (target <= {SEQUENTIAL_TARGET}x),"
                    f" adds {(statistics.median(sync_t) - async_median) * 1e6:.0f} us"
                )

            print()
            print(f"2. Throughput, {WORKERS} threads vs concurrency {WORKERS} (account.get())")
            sync_fn, async_fn = requests["account.get()"]
            sync_r, async_r, ratios = [], [], []
            for r in range(rounds):
                if r % 2:
                    sync_rate = throughput_sync(sync_fn, per_worker)
                    async_rate = loop.run_until_complete(throughput_async(async_fn, per_worker))
                else:
                    async_rate = loop.run_until_complete(throughput_async(async_fn, per_worker))
                    sync_rate = throughput_sync(sync_fn, per_worker)
                sync_r.append(sync_rate)
                async_r.append(async_rate)
                ratios.append(sync_rate[0] / async_rate[0])
            throughput_ratio = statistics.median(ratios)
            for label, samples in (
                ("AsyncFreestyle, 8 coroutines", async_r),
                ("Freestyle, 8 threads        ", sync_r),
            ):
                rate = statistics.median(x[0] for x in samples)
                cpu = statistics.median(x[1] for x in samples)
                print(f"     {label} {rate:8.0f} req/s   client CPU {_us(cpu)} per request")
            print(
                f"     ratio {throughput_ratio:.2f}x (target >= {THROUGHPUT_TARGET}x);"
                f" per-round ratios {' '.join(f'{x:.2f}' for x in ratios)}"
            )

            print()
            print("3. Bare bridge round trip (no-op coroutine on the loop thread), median")
            ours, baseline = [], []
            for _ in range(rounds):
                o, b = bridge_round_trips(fs, calls)
                ours.append(o)
                baseline.append(b)
            print(f"     run_coroutine_threadsafe().result() {_us(statistics.median(baseline))}")
            print(
                f"     Freestyle's portal                  {_us(statistics.median(ours))}"
                f"   ratio {statistics.median(ours) / statistics.median(baseline):.2f}x"
            )
        finally:
            fs.close()
            loop.run_until_complete(client.aclose())
            loop.close()
    return sequential_ok and throughput_ratio >= THROUGHPUT_TARGET


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer calls, rough figures")
    parser.add_argument(
        "--pin",
        action="store_true",
        help="keep the emulator on the last CPU and this process on the others (Linux)",
    )
    parser.add_argument(
        "--practical", action="store_true", help="only part 4, the practical figures"
    )
    parser.add_argument("--rounds", type=int, help="rounds per figure (default 7, quick 3)")
    parser.add_argument(
        "--wait-idle",
        type=float,
        metavar="FRACTION",
        help="on a shared machine: start each round of part 4 once the CPUs are this idle",
    )
    args = parser.parse_args()
    rounds, calls, per_worker = (3, 200, 60) if args.quick else (7, 600, 200)
    rounds = args.rounds or rounds

    server_cpu = None
    if args.pin:
        cpus = sorted(os.sched_getaffinity(0))
        if len(cpus) < 2:
            parser.error("--pin needs at least 2 CPUs")
        server_cpu = cpus[-1]
        os.sched_setaffinity(0, cpus[:-1])
    idle = idle_fraction()
    print("Freestyle vs AsyncFreestyle, the emulator in another process")
    print(
        f"{rounds} rounds per figure; CPUs idle before the run: {idle:.0%}; "
        + (
            f"emulator on CPU {server_cpu}, client on the others"
            if server_cpu is not None
            else "client and emulator share the CPUs"
        )
    )
    verdict = True
    if not args.practical:
        print()
        verdict &= overheads(server_cpu, rounds, calls, per_worker)
    print()
    print(f"4. Practical figures: {WORKERS} threads vs AsyncFreestyle at concurrency {WORKERS}")
    loop = asyncio.new_event_loop()
    try:
        verdict &= practical(loop, server_cpu, rounds, per_worker, args.wait_idle)
    finally:
        loop.close()
    print()
    print("targets met" if verdict else "TARGETS MISSED")
    return 0 if verdict else 1


if __name__ == "__main__":
    sys.exit(main())
