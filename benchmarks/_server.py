"""A tiny loopback API server for benchmarks, run in its own process.

It serves fixed, pre-encoded JSON bodies shaped like the API reference:

- ``GET /v1/dial-campaigns``: a page of 25 campaigns;
- ``GET /v1/dial-campaigns/{id}/results``: a page of 200 call results.

Run it as ``python benchmarks/_server.py``: it binds 127.0.0.1 on a free port and prints
``PORT <n>`` on its first stdout line. Benchmarks use :func:`start_server`, which does that
in a subprocess (so the server's CPU is not the client's) and stops it afterwards.

The benchmarks that need the whole API start the emulator the same way, with
:func:`emulator_process`. Both yield a :class:`Server`, whose :meth:`Server.cpu_seconds`
reads the process's CPU time from ``/proc`` (:func:`cpu_seconds`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CAMPAIGN_PAGE_SIZE = 25
RESULTS_PAGE_SIZE = 200
RESULTS_CAMPAIGN_ID = "c_00000000-0000-4000-8000-000000000001"

_DISPOSITIONS = (
    (1, "Answered - Promise to Pay", "PTP", True),
    (2, "No Answer", "NA", False),
    (3, "Voicemail", "VM", False),
    (4, "Busy", "B", False),
    (5, "Wrong Number", "WN", True),
    (6, "Callback Requested", "CB", True),
)
_STATUSES = ("active", "paused", "completed", "draft")
_EPOCH = dt.datetime(2026, 5, 1, tzinfo=dt.UTC)


def _stamp(when: dt.datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def campaigns_page(count: int = CAMPAIGN_PAGE_SIZE) -> dict[str, Any]:
    """``GET /dial-campaigns``: ``count`` campaigns and the ``meta`` object."""
    rng = random.Random("bench-campaigns")
    data = []
    for i in range(count):
        total = rng.randrange(100, 20_000)
        dialed = rng.randrange(0, total)
        created = _EPOCH - dt.timedelta(days=rng.randrange(10, 200), seconds=rng.randrange(86400))
        data.append(
            {
                "id": f"c_{rng.getrandbits(128):032x}",
                "name": f"Q{i % 4 + 1} Outreach — Region {i:02d}",
                "status": _STATUSES[i % len(_STATUSES)],
                "created_at": _stamp(created),
                "updated_at": _stamp(created + dt.timedelta(days=rng.randrange(1, 9))),
                "total_leads": total,
                "dialed": dialed,
                "remaining": total - dialed,
            }
        )
    meta = {"page": 1, "per_page": count, "total": count * 4, "total_pages": 4}
    return {"data": data, "meta": meta}


def results_page(count: int = RESULTS_PAGE_SIZE) -> dict[str, Any]:
    """``GET /dial-campaigns/{id}/results``: ``count`` call results and the ``meta`` object.

    About half the calls connected (``connected_at``, ``talk_seconds``, a recording), a fifth
    carry an ``amount``; the rest hold the nulls the reference describes.
    """
    rng = random.Random("bench-results")
    data = []
    for i in range(count):
        disp_id, disp_name, disp_code, contacted = _DISPOSITIONS[i % len(_DISPOSITIONS)]
        dialed = _EPOCH - dt.timedelta(seconds=600 * i + rng.randrange(300))
        ring = rng.randrange(3, 30)
        talk = rng.randrange(20, 900) if contacted else None
        completed = dialed + dt.timedelta(seconds=ring + (talk or 0))
        result_id = 90_000_000 + count - i
        amount = round(rng.uniform(5, 500), 2) if contacted and i % 5 == 0 else None
        data.append(
            {
                "result_id": result_id,
                "campaign_data_id": 7_000_000 + rng.randrange(1_000_000),
                "account_id": f"ACC-{rng.randrange(10**8):08d}",
                "account_name": f"Customer {i}",
                "phone_dialed": f"{rng.randrange(200, 999)}{rng.randrange(10**7):07d}",
                "phone_number_index": i % 3,
                "disposition": {
                    "id": disp_id,
                    "name": disp_name,
                    "code": disp_code,
                    "contacted": contacted,
                },
                "agent_id": 300 + i % 17 if contacted else None,
                "dialed_at": _stamp(dialed),
                "connected_at": _stamp(dialed + dt.timedelta(seconds=ring)) if contacted else None,
                "completed_at": _stamp(completed),
                "talk_seconds": talk,
                "total_seconds": ring + (talk or 0),
                "amount": amount,
                "dtmf": "1" if disp_code == "PTP" else None,
                "recording_id": f"rec_{result_id:x}" if contacted else None,
                "new_phone": None,
                "new_email": f"customer{i}@example.com" if i % 11 == 0 else None,
            }
        )
    meta = {"page": 1, "per_page": count, "total": count * 10, "total_pages": 10}
    return {"data": data, "meta": meta}


def encode(payload: Any) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def _serve() -> None:
    import asyncio
    import socket

    from aiohttp import web

    campaigns = encode(campaigns_page())
    results = encode(results_page())

    unauthorized = encode(
        {"error": {"code": "unauthorized", "message": "Invalid or missing API key."}}
    )

    def responder(body: bytes) -> Any:
        async def handler(request: web.Request) -> web.Response:
            if not request.headers.get("X-API-Key"):
                return web.Response(status=401, body=unauthorized, content_type="application/json")
            return web.Response(body=body, content_type="application/json")

        return handler

    app = web.Application()
    app.router.add_get("/v1/dial-campaigns", responder(campaigns))
    app.router.add_get("/v1/dial-campaigns/{id}/results", responder(results))

    async def main() -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        runner = web.AppRunner(app, access_log=None, handle_signals=True)
        await runner.setup()
        await web.SockSite(runner, sock, backlog=1024).start()
        print(f"PORT {sock.getsockname()[1]}", flush=True)
        await asyncio.Event().wait()  # until the parent terminates the process

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main())


def cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system) process ``pid`` has used so far; ``None`` without Linux
    ``/proc`` or once the process is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Server:
    """A running server process: its base URL, process id and (the emulator's) API key."""

    def __init__(self, base_url: str, pid: int, api_key: str = "") -> None:
        self.base_url = base_url
        self.pid = pid
        self.api_key = api_key

    def cpu_seconds(self) -> float | None:
        """CPU time the server process has used so far (see :func:`cpu_seconds`)."""
        return cpu_seconds(self.pid)


@contextlib.contextmanager
def _child(command: list[str], *, cpu: int | None = None) -> Iterator[subprocess.Popen[str]]:
    """Run ``command`` with its stdout piped as text lines (kept to CPU ``cpu`` if given);
    terminate it on the way out, and kill it if it has not ended 5 s later."""
    proc = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        text=True,
        bufsize=1,
        cwd=ROOT,
        preexec_fn=None if cpu is None else lambda: os.sched_setaffinity(0, {cpu}),
    )
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextlib.contextmanager
def start_server() -> Iterator[Server]:
    """Run the server in a subprocess and yield it (base URL ``http://127.0.0.1:<port>/v1``)."""
    with _child([sys.executable, __file__]) as proc:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if not line.startswith("PORT "):
            raise RuntimeError(f"benchmark server did not start (said {line!r})")
        yield Server(f"http://127.0.0.1:{int(line.split()[1])}/v1", proc.pid)


@contextlib.contextmanager
def emulator_process(*options: str, cpu: int | None = None) -> Iterator[Server]:
    """Run ``python -m freestyle_async.testing --port 0 *options`` (kept to CPU ``cpu`` if
    given) and yield it, with its base URL and main API key (read from its banner, never
    printed)."""
    command = [sys.executable, "-m", "freestyle_async.testing", "--port", "0", *options]
    with _child(command, cpu=cpu) as proc:
        assert proc.stdout is not None
        base_url = key = ""
        for line in proc.stdout:
            if "listening on" in line:
                base_url = line.split("listening on", 1)[1].strip()
            elif line.strip().startswith("API key"):
                key = line.split()[-1]
            if base_url and key:
                break
        if not (base_url and key):
            raise RuntimeError("the emulator did not print its base URL and key")
        yield Server(base_url, proc.pid, key)


if __name__ == "__main__":
    _serve()
