"""Bulk upload throughput and memory: ``upload_leads`` against a hand-written aiohttp loop.

    python benchmarks/bulk_upload.py                    # 1,000,000 records a run (minutes)
    python benchmarks/bulk_upload.py --records 100000   # a quick run

The emulator runs in its own process (``python -m freestyle_async.testing --port 0
--no-keep-records``), so the CPU measured here is the client's. Every upload runs in a fresh
child process against a freshly started emulator (so no run pays for the phone numbers the
runs before it stored: a server holding millions of them dedupes more slowly, and the runs
would not be alike), for the same number of records, chunk size and concurrency:

- ``upload_leads``: records from a generator, checked and normalised, chunks encoded once
  with ``freestyle_async._json`` (orjson when installed; the stdlib in the children started
  with ``FREESTYLE_NO_ORJSON=1``).
- hand-written: the same generator, ``concurrency`` tasks each taking the next ``chunk_size``
  dicts and ``await session.post(url, json={"records": chunk})`` with raw aiohttp, no checks,
  no retries (``json=`` always encodes with the stdlib ``json.dumps``).

Each configuration runs ``--repeats`` times, interleaved; the figures are medians and the
ratio is of the medians. Also printed: the emulator's CPU use during each upload (as a share
of the upload's wall time, near 100 % meaning the server, not the client, set the pace, and
in µs per record), the cost of the per-record checks alone (``normalize_batch`` over 200,000
records, a chunk at a time) and of encoding them (the SDK's column-wise encoder,
``json.dumps``, ``orjson.dumps``), and the peak RSS of ``upload_leads`` children at
``--records``/10 and ``--records`` records.

Targets (issue 5): without orjson >= 0.8x the hand-written loop; with orjson >= 2x it; peak
RSS grows by < 25 MB from 100k to 1M records.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _server import ROOT, Server, emulator_process


def generate(count: int, run: int, *, formatted: bool = False) -> Iterator[dict[str, Any]]:
    """``count`` lead records (16 fields) whose phone numbers are unique to ``run`` (0-599).

    Shaped like a real lead import, so that 1,000 of them cost ``json.dumps`` about what one
    real upload body costs it (the µs/record is printed on the encoding line). Phones are
    already 10 digits (the hand-written loop sends them as they are), or formatted with
    ``formatted=True``.
    """
    prefix = 200 + run
    for i in range(count):
        phone = f"{prefix}{i:07d}"
        yield {
            "phone1": f"({phone[:3]}) {phone[3:6]}-{phone[6:]}" if formatted else phone,
            "phone2": f"{prefix + 100}{i:07d}",
            "account_id": f"ACC-{run:03d}-{i:09d}",
            "account_name": "Jordan Example-Smith",
            "email": f"jordan.example{i}@example-mail.com",
            "street": "1234 Lakeshore Boulevard West, Unit 1507",
            "city": "Toronto",
            "province_state": "ON",
            "postal_zip": "M5V 2T6",
            "amount": 1250.75 + i % 1000,
            "amount_secondary": 310.2,
            "datetime": f"2026-05-{1 + i % 30:02d}T09:30:00Z",
            "language": "en",
            "data1": "spring-campaign-2026",
            "data2": "segment:high-balance;priority:2",
            "client_name": "Northwind Credit Union",
        }


# -- children: one upload each, one JSON line on stdout ------------------------------------


def source(args: argparse.Namespace) -> Iterator[dict[str, Any]]:
    """The records of one run: made before the clock starts (``--pregenerate``, so both sides
    are timed on uploading alone), or generated as they are read (for the memory runs)."""
    records = generate(args.records, args.run)
    return iter(list(records)) if args.pregenerate else records


async def child_sdk(args: argparse.Namespace) -> dict[str, Any]:
    from freestyle_async import AsyncFreestyle, _json

    records = source(args)
    async with AsyncFreestyle(api_key=args.api_key, base_url=args.base_url) as fs:
        cpu = time.process_time()
        started = time.perf_counter()
        report = await fs.dial_campaigns.upload_leads(
            args.campaign,
            records,
            chunk_size=args.chunk_size,
            concurrency=args.concurrency,
        )
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu
    if not report.ok or report.inserted != args.records:
        raise SystemExit(f"upload_leads did not store every record: {report!r}")
    return {"seconds": seconds, "cpu": cpu, "orjson": _json.HAVE_ORJSON}


async def child_raw(args: argparse.Namespace) -> dict[str, Any]:
    import aiohttp

    url = f"{args.base_url}/dial-campaigns/{args.campaign}/data"
    headers = {"X-API-Key": args.api_key, "Accept": "application/json"}
    records = source(args)
    inserted = 0

    async def worker(session: aiohttp.ClientSession) -> None:
        nonlocal inserted
        while chunk := list(itertools.islice(records, args.chunk_size)):
            async with session.post(url, json={"records": chunk}, headers=headers) as resp:
                resp.raise_for_status()
                inserted += (await resp.json())["data"]["inserted"]

    async with aiohttp.ClientSession() as session:
        cpu = time.process_time()
        started = time.perf_counter()
        await asyncio.gather(*(worker(session) for _ in range(args.concurrency)))
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu
    if inserted != args.records:
        raise SystemExit(f"the hand-written loop stored {inserted} of {args.records}")
    return {"seconds": seconds, "cpu": cpu, "orjson": False}


def run_child(args: argparse.Namespace) -> None:
    upload = child_sdk if args.child == "sdk" else child_raw
    result = asyncio.run(upload(args))
    result["records"] = args.records
    result["maxrss_mb"] = peak_rss_mb()
    print(json.dumps(result))


def peak_rss_mb() -> float:
    """This process's peak RSS. ``VmHWM`` rather than ``ru_maxrss``, which a child started
    by fork+exec inherits from its parent when the parent's peak was higher."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- the parent: emulator, runs, figures -----------------------------------------------------


def first_campaign(emulator: Server) -> str:
    """The id of the emulator's newest dial campaign (the one the uploads go to)."""
    request = urllib.request.Request(
        emulator.base_url + "/dial-campaigns", headers={"X-API-Key": emulator.api_key}
    )
    with urllib.request.urlopen(request) as resp:
        return str(json.load(resp)["data"][0]["id"])


_runs = itertools.count(1)


def upload(
    kind: str,
    records: int,
    args: argparse.Namespace,
    *,
    orjson: bool,
    pregenerate: bool = True,
) -> dict[str, Any]:
    """One upload in a child process against a freshly started emulator."""
    env = dict(os.environ)
    if orjson:
        env.pop("FREESTYLE_NO_ORJSON", None)
    else:
        env["FREESTYLE_NO_ORJSON"] = "1"
    with emulator_process("--no-keep-records") as emulator:
        command = [
            sys.executable,
            __file__,
            *("--child", kind, "--records", str(records), "--run", str(next(_runs))),
            *("--base-url", emulator.base_url, "--api-key", emulator.api_key),
            *("--campaign", first_campaign(emulator), "--chunk-size", str(args.chunk_size)),
            *("--concurrency", str(args.concurrency)),
            *(["--pregenerate"] if pregenerate else []),
        ]
        cpu_before = emulator.cpu_seconds()
        done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=ROOT)
        cpu_after = emulator.cpu_seconds()
    # Without /proc the emulator's CPU is not known: its figures print as nan.
    server_cpu = math.nan if cpu_before is None or cpu_after is None else cpu_after - cpu_before
    if done.returncode != 0:
        raise SystemExit(f"{kind} child failed:\n{done.stderr}{done.stdout}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["rate"] = records / result["seconds"]
    result["server_cpu"] = server_cpu / result["seconds"]
    result["cpu_us"] = result["cpu"] / records * 1e6
    result["server_us"] = server_cpu / records * 1e6
    return result


def check_costs() -> dict[str, float]:
    """µs per record of the per-record checks (as ``upload_leads`` runs them: a batch of
    ``chunk_size`` at a time) and of JSON-encoding a record (the SDK's column-wise encoder,
    used without orjson, then ``json.dumps`` and ``orjson.dumps``), best of 3 over 200,000."""
    from freestyle_async.bulk._batch import normalize_batch
    from freestyle_async.bulk._encode import encode_columns

    count, size = 200_000, 1000

    def per_record(work: Any, batches: list[list[dict[str, Any]]]) -> float:
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            for batch in batches:
                work(batch)
            best = min(best, time.perf_counter() - started)
        return best / count * 1e6

    def batches(formatted: bool) -> list[list[dict[str, Any]]]:
        records = list(generate(count, 0, formatted=formatted))
        return [records[i : i + size] for i in range(0, count, size)]

    clean, formatted = batches(False), batches(True)
    costs = {
        "checks": per_record(normalize_batch, clean),
        "checks_formatted": per_record(normalize_batch, formatted),
        "encode_columns": per_record(encode_columns, clean),
        "json_dumps": per_record(lambda b: json.dumps({"records": b}), clean),
    }
    try:
        import orjson
    except ImportError:
        pass
    else:
        costs["orjson_dumps"] = per_record(lambda b: orjson.dumps({"records": b}), clean)
    return costs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--chunk-size", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--child", choices=("sdk", "raw"), help=argparse.SUPPRESS)
    parser.add_argument("--run", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--base-url", help=argparse.SUPPRESS)
    parser.add_argument("--api-key", help=argparse.SUPPRESS)
    parser.add_argument("--campaign", help=argparse.SUPPRESS)
    parser.add_argument("--pregenerate", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_child(args)
        return

    small = max(args.records // 10, 1)
    print(
        f"bulk upload: {args.records:,} records a run (16 fields each), chunk_size="
        f"{args.chunk_size}, concurrency={args.concurrency}, {args.repeats} repeat(s); "
        f"Python {sys.version.split()[0]}, {os.cpu_count()} CPU(s), load average "
        f"{os.getloadavg()[0]:.1f} at start"
    )
    costs = check_costs()
    line = (
        f"per-record checks: {costs['checks']:.2f} µs/record (10-digit phones), "
        f"{costs['checks_formatted']:.2f} µs/record ('(416) 555-0100' phones); "
        f"encoding: encode_columns {costs['encode_columns']:.2f} µs/record, "
        f"json.dumps {costs['json_dumps']:.2f} µs/record"
    )
    if "orjson_dumps" in costs:
        line += f", orjson.dumps {costs['orjson_dumps']:.2f} µs/record"
    print(line)
    for orjson in (False, True):
        _compare(args, small, orjson=orjson)


def _compare(args: argparse.Namespace, small: int, *, orjson: bool) -> None:
    runs: dict[str, list[dict[str, Any]]] = {"sdk": [], "raw": []}
    for _ in range(args.repeats):
        for kind in ("raw", "sdk"):
            runs[kind].append(upload(kind, args.records, args, orjson=orjson))
    if runs["sdk"][0]["orjson"] != orjson:
        raise SystemExit("the child did not use the JSON library asked for")
    memory = [
        upload("sdk", size, args, orjson=orjson, pregenerate=False)
        for size in (small, args.records)
    ]
    median = statistics.median
    print(f"\n{'with orjson' if orjson else 'without orjson (FREESTYLE_NO_ORJSON=1)'}:")
    for kind, name in (("sdk", "upload_leads"), ("raw", "hand-written aiohttp")):
        rates = ", ".join(f"{r['rate']:,.0f}" for r in runs[kind])
        print(
            f"  {name:<21} median {median(r['rate'] for r in runs[kind]):>9,.0f} records/s"
            f" (runs: {rates}); client CPU {median(r['cpu_us'] for r in runs[kind]):.2f}"
            f" µs/record; emulator CPU {median(r['server_cpu'] for r in runs[kind]):.0%},"
            f" {median(r['server_us'] for r in runs[kind]):.2f} µs/record"
        )
    ratio = median(r["rate"] for r in runs["sdk"]) / median(r["rate"] for r in runs["raw"])
    cpu_ratio = median(r["cpu_us"] for r in runs["raw"]) / median(r["cpu_us"] for r in runs["sdk"])
    target = 2.0 if orjson else 0.8
    print(
        f"  ratio upload_leads / hand-written: {ratio:.2f}x records/s "
        f"({'meets' if ratio >= target else 'MISSES'} the {target}x target); "
        f"{cpu_ratio:.2f}x by client CPU per record"
    )
    growth = memory[1]["maxrss_mb"] - memory[0]["maxrss_mb"]
    print(
        f"  peak RSS of upload_leads reading a generator: {memory[0]['maxrss_mb']:.1f} MB at "
        f"{small:,} records, {memory[1]['maxrss_mb']:.1f} MB at {args.records:,} "
        f"(+{growth:.1f} MB; {'meets' if growth < 25 else 'MISSES'} the < 25 MB target)"
    )


if __name__ == "__main__":
    main()
