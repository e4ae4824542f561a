"""Auto-pagination with the page window against a plain sequential loop of GET + decode.

    python benchmarks/pagination_window.py            # about a minute
    python benchmarks/pagination_window.py --quick    # a few seconds, rough figures

A loopback server in its own process (``--serve LATENCY`` runs it) answers
``GET /v1/dial-campaigns/{id}/results?page=n`` with 200 call results (the bodies of
``_server.results_page``, ids distinct per page), 40 pages in all, each after ``LATENCY``
seconds. Two sides read all 8,000 results:

- sdk: ``await fs.dial_campaigns.list_results(cid).to_list()`` (the default window);
- sequential: one ``aiohttp.ClientSession``, ``GET`` page 1, 2, ... 40 in turn, each body
  decoded into ``Page[CallResult]`` by the SDK's converter (the same models).

Rounds alternate which side goes first; the figures are medians over rounds, the ratio the
median of the per-round ratios. Targets (issue 14): sdk <= 0.5x sequential at 5 ms and
<= 0.35x at 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import copy
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import aiohttp
from _server import RESULTS_CAMPAIGN_ID, _child, encode, results_page

from freestyle_async import AsyncFreestyle
from freestyle_async import _json as sdk_json
from freestyle_async._convert import decode
from freestyle_async.models import CallResult, Page

PAGES = 40
PER_PAGE = 200
ENDPOINT = "GET /dial-campaigns/{id}/results"
TARGETS = {0.005: 0.5, 0.050: 0.35}


def page_bodies() -> list[bytes]:
    """The 40 pages, encoded once: the same 200 results with ids shifted per page."""
    template = results_page(PER_PAGE)
    bodies = []
    for number in range(1, PAGES + 1):
        page = copy.deepcopy(template)
        for item in page["data"]:
            item["result_id"] += (PAGES - number) * PER_PAGE * 10
        page["meta"] = {
            "page": number,
            "per_page": PER_PAGE,
            "total": PAGES * PER_PAGE,
            "total_pages": PAGES,
        }
        bodies.append(encode(page))
    return bodies


def _serve(latency: float) -> None:
    import socket

    from aiohttp import web

    bodies = page_bodies()

    async def results(request: web.Request) -> web.Response:
        await asyncio.sleep(latency)
        number = int(request.query.get("page", "1"))
        body = bodies[number - 1] if 1 <= number <= PAGES else encode({"data": [], "meta": {}})
        return web.Response(body=body, content_type="application/json")

    app = web.Application()
    app.router.add_get("/v1/dial-campaigns/{id}/results", results)

    async def main() -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        runner = web.AppRunner(app, access_log=None, handle_signals=True)
        await runner.setup()
        await web.SockSite(runner, sock).start()
        print(f"PORT {sock.getsockname()[1]}", flush=True)
        await asyncio.Event().wait()  # until the parent terminates the process

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main())


@contextlib.contextmanager
def server(latency: float) -> Iterator[str]:
    """The server above in a subprocess; yields its base URL."""
    with _child([sys.executable, __file__, "--serve", str(latency)]) as proc:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if not line.startswith("PORT "):
            raise RuntimeError(f"benchmark server did not start (said {line!r})")
        yield f"http://127.0.0.1:{int(line.split()[1])}/v1"


async def sdk_side(fs: AsyncFreestyle) -> list[CallResult]:
    return await fs.dial_campaigns.list_results(RESULTS_CAMPAIGN_ID).to_list()


async def sequential_side(session: aiohttp.ClientSession, base_url: str) -> list[CallResult]:
    url = f"{base_url}/dial-campaigns/{RESULTS_CAMPAIGN_ID}/results"
    items: list[CallResult] = []
    number = 1
    while True:
        params = {"page": str(number), "per_page": str(PER_PAGE)}
        async with session.get(url, params=params, headers={"X-API-Key": "bench"}) as resp:
            resp.raise_for_status()
            payload = sdk_json.loads(await resp.read())
        page: Page[CallResult] = decode(payload, Page[CallResult], ENDPOINT)
        items.extend(page.data)
        if number >= page.meta.total_pages:
            return items
        number += 1


async def bench(latency: float, rounds: int) -> bool:
    with server(latency) as base_url:
        async with (
            AsyncFreestyle("bench-key", base_url=base_url) as fs,
            aiohttp.ClientSession() as session,
        ):
            # Warm both (connections, imports) and check they read the same results.
            assert await sdk_side(fs) == await sequential_side(session, base_url)
            sdk_times: list[float] = []
            seq_times: list[float] = []
            for n in range(rounds):
                order = ["sdk", "seq"] if n % 2 == 0 else ["seq", "sdk"]
                for side in order:
                    start = time.perf_counter()
                    if side == "sdk":
                        got = await sdk_side(fs)
                        sdk_times.append(time.perf_counter() - start)
                    else:
                        got = await sequential_side(session, base_url)
                        seq_times.append(time.perf_counter() - start)
                    assert len(got) == PAGES * PER_PAGE
    ratio = statistics.median(s / q for s, q in zip(sdk_times, seq_times, strict=True))
    target = TARGETS[latency]
    ok = ratio <= target
    print(
        f"{PAGES} pages x {PER_PAGE} results, server {latency * 1000:.0f} ms: "
        f"sdk {statistics.median(sdk_times) * 1000:.0f} ms, "
        f"sequential {statistics.median(seq_times) * 1000:.0f} ms, "
        f"ratio {ratio:.2f}x (target <= {target}x) {'OK' if ok else 'MISSED'}"
    )
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds, rough figures")
    parser.add_argument("--serve", type=float, metavar="LATENCY", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve is not None:
        _serve(args.serve)
        return 0
    rounds = 3 if args.quick else 9
    print(f"SDK JSON: {'orjson' if sdk_json.HAVE_ORJSON else 'json'}; rounds: {rounds}")
    results = [asyncio.run(bench(latency, rounds)) for latency in TARGETS]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
