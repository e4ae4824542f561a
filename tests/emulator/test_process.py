"""``python -m freestyle_async.testing`` as a separate process, and serve()/main() in-process."""

from __future__ import annotations

import asyncio
import io
import os
import re
import signal
import sys
from pathlib import Path

import aiohttp
import pytest

from freestyle_async.testing import Emulator, Faults, api_key_for, serve
from freestyle_async.testing._serve import build_parser, serve_options

REPO = Path(__file__).resolve().parents[2]


async def _read_banner(stream: asyncio.StreamReader) -> str:
    lines = []
    while True:
        line = (await stream.readline()).decode()
        assert line, "the emulator exited before printing its banner:\n" + "".join(lines)
        lines.append(line)
        if line.startswith("Press Ctrl-C"):
            return "".join(lines)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM")
async def test_module_runs_as_a_process() -> None:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "freestyle_async.testing",
        "--port",
        "0",
        "--seed",
        "3",
        "--rate-limit-rate",
        "1",
        "--retry-after",
        "0.05",
        "--fault-methods",
        "PATCH",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=env,
    )
    try:
        assert process.stdout is not None
        banner = await asyncio.wait_for(_read_banner(process.stdout), timeout=30)
        match = re.search(r"listening on (http://127\.0\.0\.1:\d+/v1)\n", banner)
        assert match, banner
        base_url = match.group(1)
        key = api_key_for(3, "main")
        assert key in banner
        assert api_key_for(3, "other") in banner
        assert api_key_for(3, "disabled") in banner
        async with aiohttp.ClientSession(headers={"X-API-Key": key}) as session:
            async with session.get(base_url + "/dial-campaigns") as response:
                assert response.status == 200
                campaigns = (await response.json())["data"]
            patch_url = f"{base_url}/dial-campaigns/{campaigns[0]['id']}"
            async with session.patch(patch_url, json={"status": "paused"}) as response:
                assert response.status == 429
                assert response.headers["Retry-After"] == "0.05"
            root = base_url.removesuffix("/v1")
            async with session.get(root + "/_emulator/counters") as response:
                assert (await response.json())["requests"] == 2
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 0, err.decode()


async def test_serve_in_process_until_stopped() -> None:
    out = io.StringIO()
    stop = asyncio.Event()
    ready: asyncio.Future[Emulator] = asyncio.get_running_loop().create_future()
    task = asyncio.create_task(
        serve(port=0, seed=4, out=out, stop=stop, handle_signals=False, on_ready=ready.set_result)
    )
    emulator = await asyncio.wait_for(ready, timeout=10)
    assert emulator.state.seed == 4
    match = re.search(r"listening on (\S+)", out.getvalue())
    assert match, out.getvalue()
    async with aiohttp.ClientSession() as session:
        headers = {"X-API-Key": api_key_for(4, "main")}
        async with session.get(match.group(1) + "/account", headers=headers) as response:
            assert response.status == 200
    stop.set()
    await asyncio.wait_for(task, timeout=10)


def test_cli_options_build_faults() -> None:
    parser = build_parser()
    assert serve_options(vars(parser.parse_args([])))["faults"] is None
    args = parser.parse_args(
        [
            "--latency",
            "250",
            "--error-rate",
            "0.1",
            "--error-statuses",
            "500,503",
            "--drop-after-rate",
            "0.2",
            "--fault-methods",
            "post",
            "--fault-seed",
            "9",
        ]
    )
    assert serve_options(vars(args))["faults"] == Faults(
        latency=0.25,
        error_rate=0.1,
        error_statuses=(500, 503),
        drop_after_rate=0.2,
        methods=frozenset({"POST"}),
        seed=9,
    )
    args = parser.parse_args(["--port", "0", "--seed", "2", "--no-keep-records"])
    assert (args.port, args.seed, args.no_keep_records) == (0, 2, True)
