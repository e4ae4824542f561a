"""One ``Freestyle`` shared by many threads; nothing left behind after close."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from freestyle_async.sync import Freestyle
from freestyle_async.testing import Faults

from .conftest import EmulatorThread, open_sockets

THREADS = 16
CALLS = 50


def test_16_threads_x_50_calls_on_one_instance_then_nothing_left() -> None:
    threads_before = set(threading.enumerate())
    sockets_before = open_sockets()
    emulator = EmulatorThread(seed=0)
    try:
        fs = Freestyle(emulator.emu.api_key, base_url=emulator.emu.base_url)
        expected_account = fs.account.get()
        expected_ids = emulator.emu.campaign_ids()
        barrier = threading.Barrier(THREADS)

        def worker(n: int) -> list[str]:
            barrier.wait()  # all threads call at once
            problems = []
            for i in range(CALLS):
                kind = (n + i) % 3
                if kind == 0:
                    if fs.account.get() != expected_account:
                        problems.append(f"{n}/{i}: wrong account")
                elif kind == 1:
                    page = fs.dial_campaigns.list(page=i % 4 + 1, per_page=2).first_page()
                    want = expected_ids[(i % 4) * 2 : (i % 4) * 2 + 2]
                    if [c.id for c in page.data] != want:
                        problems.append(f"{n}/{i}: wrong page {page.meta.page}")
                else:
                    if [c.id for c in fs.dial_campaigns.list(per_page=3)] != expected_ids:
                        problems.append(f"{n}/{i}: wrong listing")
            return problems

        with ThreadPoolExecutor(THREADS) as pool:
            outcomes = list(pool.map(worker, range(THREADS)))
        assert [p for p in outcomes if p] == []
        assert sum(1 for t in threading.enumerate() if t.name == "freestyle-loop") == 1
        fs.close()
    finally:
        emulator.stop()
    assert set(threading.enumerate()) == threads_before
    assert open_sockets() == sockets_before


def test_requests_from_threads_overlap_on_the_loop(emulator: EmulatorThread) -> None:
    latency = 0.05
    emulator.set_faults(Faults(latency=latency))
    with Freestyle(emulator.emu.api_key, base_url=emulator.emu.base_url) as fs:
        fs.account  # noqa: B018 - start the loop outside the timing
        barrier = threading.Barrier(THREADS)

        def worker(_: int) -> None:
            barrier.wait()
            for _ in range(3):
                fs.account.get()

        started = time.monotonic()
        with ThreadPoolExecutor(THREADS) as pool:
            list(pool.map(worker, range(THREADS)))
        elapsed = time.monotonic() - started
    serial = THREADS * 3 * latency  # 2.4 s if the calls took turns
    assert elapsed < serial / 3, f"{elapsed:.2f} s: the calls did not overlap"
