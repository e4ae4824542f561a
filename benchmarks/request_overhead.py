"""What the SDK costs on the success path, against raw aiohttp and a hand-written decoder.

    python benchmarks/request_overhead.py            # about a minute
    python benchmarks/request_overhead.py --quick    # a few seconds, rough figures
    python benchmarks/request_overhead.py --no-orjson  # the SDK as installed without speedups

1. Requests: ``await fs.dial_campaigns.list().first_page()`` (a 25-campaign page, decoded into
   models) against raw aiohttp (one ``ClientSession``, ``GET`` + ``await resp.json()``), at
   concurrency 1 and 64, on the same loopback server running in another process, so the CPU
   spent here is the client's. Rounds alternate which side goes first; each round sends a
   fixed number of requests; the figures are medians over rounds, the ratio is the median of
   the per-round ratios. Client CPU per request (``time.process_time``) is printed too: when
   the client is CPU-bound (a quiet machine, concurrency 64), raw/sdk CPU is the throughput
   ratio; when other processes load the machine, the client is no longer the bottleneck at 64
   and the req/s ratio flatters the SDK, so the load average is printed before and after.
2. Decoding: a 200-result call-results page through the SDK's converter
   (``_convert.decode(payload, Page[CallResult], ...)``) against a hand-written constructor of
   the same frozen attrs classes; on the parsed JSON, then including ``json.loads`` and
   ``orjson.loads`` (the same parser on both sides).

Targets (issue 2): SDK >= 0.80x raw at concurrency 1 and >= 0.70x at 64; decode <= 1.5x the
hand-written constructor.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import gc
import json
import os
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

if "--no-orjson" in sys.argv:
    sys.modules["orjson"] = None  # type: ignore[assignment]  # import orjson -> ImportError

sys.path.insert(0, str(Path(__file__).resolve().parent))

import aiohttp
from _server import Server, encode, results_page, start_server

from freestyle_async import AsyncFreestyle
from freestyle_async import _json as sdk_json
from freestyle_async._convert import decode
from freestyle_async.models import CallResult, Disposition, Page, PageMeta

API_KEY = "ft_" + "ab12" * 16
TARGETS = {1: 0.80, 64: 0.70}
DECODE_TARGET = 1.5

Call = Callable[[], Awaitable[Any]]


# --------------------------------------------------------------------------- requests


Sample = tuple[float, float, float | None]  # req/s, client CPU s/request, server CPU s/request


async def _drive(call: Call, total: int, concurrency: int, server: Server) -> Sample:
    """Send ``total`` requests with ``concurrency`` workers."""
    per_worker, extra = divmod(total, concurrency)

    async def worker(n: int) -> None:
        for _ in range(n):
            await call()

    gc.collect()
    server0, cpu0, wall0 = server.cpu_seconds(), time.process_time(), time.perf_counter()
    await asyncio.gather(*(worker(per_worker + (i < extra)) for i in range(concurrency)))
    wall, cpu, server1 = (
        time.perf_counter() - wall0,
        time.process_time() - cpu0,
        server.cpu_seconds(),
    )
    server_cpu = None if server0 is None or server1 is None else (server1 - server0) / total
    return total / wall, cpu / total, server_cpu


async def bench_requests(
    server: Server, rounds: int, totals: dict[int, int]
) -> dict[int, dict[str, list[Sample]]]:
    results: dict[int, dict[str, list[Sample]]] = {c: {"sdk": [], "raw": []} for c in totals}
    raw_url = server.base_url + "/dial-campaigns?page=1"
    raw_headers = {"X-API-Key": API_KEY, "Accept": "application/json"}
    async with (
        AsyncFreestyle(API_KEY, base_url=server.base_url) as fs,
        aiohttp.ClientSession() as session,
    ):

        async def sdk() -> Any:
            page = await fs.dial_campaigns.list().first_page()
            assert len(page.data) == 25

        async def raw() -> Any:
            async with session.get(raw_url, headers=raw_headers) as resp:
                body = await resp.json()
            assert len(body["data"]) == 25

        sides: dict[str, Call] = {"sdk": sdk, "raw": raw}
        for c in totals:  # warm up both sides and their connection pools
            for call in sides.values():
                await _drive(call, max(500, 4 * c), c, server)
        for r in range(rounds):  # short rounds, alternating order: drift hits both sides alike
            order = ("sdk", "raw") if r % 2 == 0 else ("raw", "sdk")
            for c, total in totals.items():
                for side in order:
                    results[c][side].append(await _drive(sides[side], total, c, server))
    return results


def _quartiles(values: list[float]) -> tuple[float, float]:
    if len(values) < 4:
        return min(values), max(values)
    q = statistics.quantiles(values, n=4)
    return q[0], q[2]


def report_requests(results: dict[int, dict[str, list[Sample]]]) -> list[bool]:
    passed = []
    for c, sides in results.items():
        sdk_rps = [s[0] for s in sides["sdk"]]
        raw_rps = [s[0] for s in sides["raw"]]
        ratios = [s / r for s, r in zip(sdk_rps, raw_rps, strict=True)]
        ratio = statistics.median(ratios)
        sdk_cpu = statistics.median(s[1] for s in sides["sdk"]) * 1e6
        raw_cpu = statistics.median(s[1] for s in sides["raw"]) * 1e6
        ok = ratio >= TARGETS[c]
        passed.append(ok)
        print(
            f"request c={c}: sdk {statistics.median(sdk_rps):.0f} req/s, "
            f"raw {statistics.median(raw_rps):.0f} req/s, ratio {ratio:.2f} "
            f"(target >= {TARGETS[c]:.2f}) {'OK' if ok else 'MISSED'}"
        )
        low, high = _quartiles(ratios)
        server_cpu = [s[2] for s in sides["raw"] if s[2] is not None]
        server_note = f"; server {statistics.median(server_cpu) * 1e6:.0f} us" if server_cpu else ""
        print(
            f"    client CPU per request: sdk {sdk_cpu:.0f} us, raw {raw_cpu:.0f} us "
            f"(+{sdk_cpu - raw_cpu:.0f} us, raw/sdk {raw_cpu / sdk_cpu:.2f}){server_note}; "
            f"per-round ratio quartiles {low:.2f}-{high:.2f} over {len(ratios)} rounds"
        )
    return passed


# --------------------------------------------------------------------------- decoding

_fromiso = dt.datetime.fromisoformat


def _time(value: str | None) -> dt.datetime | None:
    return None if value is None else _fromiso(value)


def hand_page(payload: dict[str, Any]) -> Page[CallResult]:
    """The baseline: the same frozen attrs objects, built by hand with no checks."""
    data: list[CallResult] = []
    for d in payload["data"]:
        disp = d["disposition"]
        get = d.get
        amount = get("amount")
        data.append(
            CallResult(
                result_id=d["result_id"],
                campaign_data_id=d["campaign_data_id"],
                phone_dialed=d["phone_dialed"],
                phone_number_index=d["phone_number_index"],
                disposition=Disposition(
                    id=disp["id"], name=disp["name"], code=disp["code"], contacted=disp["contacted"]
                ),
                dialed_at=_fromiso(d["dialed_at"]),
                completed_at=_fromiso(d["completed_at"]),
                total_seconds=d["total_seconds"],
                account_id=get("account_id"),
                account_name=get("account_name"),
                agent_id=get("agent_id"),
                connected_at=_time(get("connected_at")),
                talk_seconds=get("talk_seconds"),
                amount=None if amount is None else Decimal(repr(amount)),
                dtmf=get("dtmf"),
                recording_id=get("recording_id"),
                new_phone=get("new_phone"),
                new_email=get("new_email"),
            )
        )
    m = payload["meta"]
    meta = PageMeta(
        page=m["page"], per_page=m["per_page"], total=m["total"], total_pages=m["total_pages"]
    )
    return Page(data=data, meta=meta)


def sdk_page(payload: Any) -> Page[CallResult]:
    return decode(payload, Page[CallResult], "GET /dial-campaigns/{id}/results")


def _per_call_us(fn: Callable[[], Any], loops: int) -> float:
    t0 = time.perf_counter()
    for _ in range(loops):
        fn()
    return (time.perf_counter() - t0) / loops * 1e6


def bench_decode(repeats: int, loops: int) -> bool:
    raw = encode(results_page())
    parsed = json.loads(raw)
    assert sdk_page(parsed) == hand_page(parsed), "the two decoders disagree"

    cases: list[tuple[str, Callable[[], Any], Callable[[], Any]]] = [
        ("parsed JSON", lambda: sdk_page(parsed), lambda: hand_page(parsed)),
        (
            "json.loads + decode",
            lambda: sdk_page(json.loads(raw)),
            lambda: hand_page(json.loads(raw)),
        ),
    ]
    try:
        import orjson
    except ImportError:
        print("decode: orjson is not installed; the orjson lines are skipped")
    else:
        loads = orjson.loads
        cases.append(
            (
                "orjson.loads + decode",
                lambda: sdk_page(loads(raw)),
                lambda: hand_page(loads(raw)),
            )
        )
    headline = True
    for name, sdk_fn, hand_fn in cases:
        sdk_fn(), hand_fn()  # warm up
        pairs = []
        for _ in range(repeats):  # interleave so drift hits both sides alike
            pairs.append((_per_call_us(sdk_fn, loops), _per_call_us(hand_fn, loops)))
        sdk_us = statistics.median(s for s, _ in pairs)
        hand_us = statistics.median(h for _, h in pairs)
        ratio = statistics.median(s / h for s, h in pairs)
        verdict = ""
        if name == "parsed JSON":
            headline = ratio <= DECODE_TARGET
            verdict = f" (target <= {DECODE_TARGET:.1f}) {'OK' if headline else 'MISSED'}"
        print(
            f"decode 200 results, {name}: sdk {sdk_us:.0f} us/page, hand-written "
            f"{hand_us:.0f} us/page, ratio {ratio:.2f}{verdict}"
        )
    return headline


# --------------------------------------------------------------------------- main


def _load() -> str:
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:  # pragma: no cover - not on this platform
        return "n/a"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a short, rough run")
    parser.add_argument(
        "--no-orjson", action="store_true", help="run the SDK as if orjson were not installed"
    )
    parser.add_argument("--rounds", type=int, help="request rounds (default 31, quick 5)")
    args = parser.parse_args()
    rounds = args.rounds or (5 if args.quick else 31)
    totals = {1: 300, 64: 640} if args.quick else {1: 800, 64: 1920}

    print(
        f"Python {sys.version.split()[0]}, aiohttp {aiohttp.__version__}, "
        f"SDK JSON: responses json (Decimal), bodies "
        f"{'orjson' if sdk_json.HAVE_ORJSON else 'json'} "
        f"(raw side: aiohttp resp.json() = json.loads); {os.cpu_count()} CPUs, "
        f"load average {_load()}"
    )
    started = time.perf_counter()
    with start_server() as server:
        results = asyncio.run(bench_requests(server, rounds, totals))
    ok = report_requests(results)
    ok.append(bench_decode(repeats=5 if args.quick else 15, loops=10 if args.quick else 40))
    verdict = "all targets met" if all(ok) else "some targets MISSED"
    print(f"done in {time.perf_counter() - started:.0f} s, load average {_load()}; {verdict}")


if __name__ == "__main__":
    main()
