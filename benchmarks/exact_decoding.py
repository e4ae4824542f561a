"""The cost of exact money: response bodies read by ``_json.loads_exact`` against ``_json.loads``.

    python benchmarks/exact_decoding.py            # about 20 seconds
    python benchmarks/exact_decoding.py --quick    # a few seconds, rough figures

Two bodies, each read and decoded into its models by the SDK's converter:

- a page of 200 call results (the body of ``_server.results_page``), a fifth with an amount;
- a billing usage answer of 50 campaigns, every one with an hourly rate and a cost.

Old: ``_json.loads`` (orjson when installed, else ``json.loads``): money through a float.
New: ``_json.loads_exact`` (the stdlib with ``parse_float=Decimal``): money with its digits.
Rounds interleave the two; the figures are medians over rounds, the ratio the median of the
per-round ratios (new / old). Run it in a venv with and one without the ``speedups`` extra.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _server import encode, results_page

from freestyle_async import _json as sdk_json
from freestyle_async._convert import decode
from freestyle_async.models import BillingUsage, CallResult, Page


def billing_usage(count: int = 50) -> bytes:
    """``GET /billing``: ``count`` campaigns with money of two to four decimals, and totals."""
    rng = random.Random("bench-billing")
    data = []
    for i in range(count):
        seconds = rng.randrange(600, 400_000)
        rate = f"{rng.randrange(1500, 9000) / 100:.2f}"  # 42.50: a trailing zero at times
        data.append(
            f'{{"campaign_id":"c_{rng.getrandbits(128):032x}","campaign_name":"Campaign {i}",'
            f'"duration_seconds":{seconds},"hourly_rate":{rate},'
            f'"cost":{rng.randrange(10**6, 10**9) / 10**4:.4f}}}'
        )
    summary = (
        '{"total_duration_seconds":12345678,"total_cost":98765.4321,'
        '"date_range":{"from":"2026-05-01","to":"2026-05-31"}}'
    )
    return f'{{"data":[{",".join(data)}],"summary":{summary}}}'.encode()


def _per_call_us(fn: Callable[[], Any], loops: int) -> float:
    t0 = time.perf_counter()
    for _ in range(loops):
        fn()
    return (time.perf_counter() - t0) / loops * 1e6


def bench(name: str, raw: bytes, cls: Any, repeats: int, loops: int) -> None:
    endpoint = f"GET {name}"

    def old() -> Any:
        return decode(sdk_json.loads(raw), cls, endpoint)

    def new() -> Any:
        return decode(sdk_json.loads_exact(raw), cls, endpoint)

    old(), new()  # warm up
    pairs = []
    for _ in range(repeats):  # interleave so drift hits both sides alike
        pairs.append((_per_call_us(old, loops), _per_call_us(new, loops)))
    old_us = statistics.median(o for o, _ in pairs)
    new_us = statistics.median(n for _, n in pairs)
    ratio = statistics.median(n / o for o, n in pairs)
    print(
        f"{name}: old {old_us:.0f} us/body, new (exact) {new_us:.0f} us/body, "
        f"ratio {ratio:.2f} ({len(raw):,} bytes)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a short, rough run")
    args = parser.parse_args()
    repeats, loops = (5, 20) if args.quick else (21, 60)
    print(
        f"Python {sys.version.split()[0]}, old side: "
        f"{'orjson' if sdk_json.HAVE_ORJSON else 'json'}.loads, new side: json (Decimal)"
    )
    bench("200 call results", encode(results_page()), Page[CallResult], repeats, loops)
    bench("billing usage, 50 campaigns", billing_usage(), BillingUsage, repeats, loops)


if __name__ == "__main__":
    main()
