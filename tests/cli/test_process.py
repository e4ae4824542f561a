"""The command as a process: ``freestyle demo``, ``freestyle emulator``, help, missing extra."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

PYTHON = sys.executable
ENTRY_POINT = shutil.which("freestyle", path=str(Path(sys.executable).parent))


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FREESTYLE_", "FORCE_COLOR"))}
    env.update(NO_COLOR="1", PYTHONUNBUFFERED="1", **extra)
    return env


def test_demo_end_to_end_without_a_terminal_or_key() -> None:
    started = time.perf_counter()
    proc = subprocess.run(
        [PYTHON, "-m", "freestyle_async.cli", "demo"],
        capture_output=True,
        text=True,
        timeout=120,
        env=clean_env(),
        stdin=subprocess.DEVNULL,
    )
    elapsed = time.perf_counter() - started
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "Traceback" not in out + proc.stderr
    assert re.search(r"Started the FREESTYLE API emulator on http://127\.0\.0\.1:\d+/v1", out)
    for line in (
        "$ freestyle doctor",
        "All checks passed.",
        "$ freestyle account",
        "$ freestyle campaigns list",
        "$ freestyle campaigns start c_",
        "$ freestyle campaigns pause c_",
        "$ freestyle leads check leads.csv",
        "Upload 50,000 generated leads",
        "$ freestyle summary c_",
        "$ freestyle activity c_",
        "$ freestyle sms list",
        "$ freestyle sms runs sc_",
        "$ freestyle sms messages sc_",
        "$ freestyle billing",
    ):
        assert line in out, line
    read = re.search(r"50,000 records read in [\d.]+ s", out)
    assert read, out
    counts = {
        label: int(value.replace(",", ""))
        for label, value in re.findall(r"^\s+(inserted|rejected|failed)\s+([\d,]+)", out, re.M)
    }
    assert counts["failed"] == 0 and counts["rejected"] > 0
    assert counts["inserted"] + counts["rejected"] <= 50_000
    assert "█" in out  # the summary chart
    assert "Uploading leads.csv" in proc.stderr  # the bar, on stderr
    assert "50000/50000" in proc.stderr
    assert re.search(r"Demo finished in [\d.]+ s: 12 steps", out)
    assert elapsed < 60


def test_emulator_command_runs_in_the_foreground_until_interrupted() -> None:
    assert ENTRY_POINT, "the freestyle entry point is not installed in this environment"
    proc = subprocess.Popen(
        [ENTRY_POINT, "emulator", "--port", "0", "--seed", "3"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=clean_env(),
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        match = re.match(r"FREESTYLE API emulator listening on (http://127\.0\.0\.1:\d+/v1)", first)
        assert match, first
        base_url = match.group(1)
        key = ""
        for _ in range(20):
            line = proc.stdout.readline()
            if line.strip().startswith("API key"):
                key = line.split()[-1]
                break
        assert key.startswith("ft_")
        account = subprocess.run(
            [ENTRY_POINT, "account", "--format", "json"],
            capture_output=True,
            text=True,
            timeout=60,
            env=clean_env(FREESTYLE_API_KEY=key, FREESTYLE_BASE_URL=base_url),
        )
        assert account.returncode == 0, account.stderr
        assert json.loads(account.stdout)["id"]
        assert key not in account.stdout + account.stderr
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            for stream in (proc.stdout, proc.stderr):
                if stream is not None:
                    stream.close()
    assert proc.returncode == 0


def test_emulator_on_a_busy_port_is_one_error_line() -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        proc = subprocess.run(
            [PYTHON, "-m", "freestyle_async.cli", "emulator", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
            env=clean_env(),
        )
    assert proc.returncode == 1
    assert proc.stderr.strip().startswith(f"Error: cannot serve the emulator on 127.0.0.1:{port}")
    assert "Traceback" not in proc.stderr


_HELP_PROBE = r"""
import sys
from freestyle_async.cli import main

commands = [
    [], ["campaigns"], ["campaigns", "list"], ["campaigns", "start"], ["campaigns", "pause"],
    ["leads"], ["leads", "upload"], ["results"], ["summary"], ["activity"], ["sms"],
    ["sms", "list"], ["sms", "get"], ["sms", "runs"], ["sms", "messages"], ["billing"],
    ["account"], ["phone-numbers"], ["emulator"], ["demo"],
]
for command in commands:
    try:
        main([*command, "--help"])
    except SystemExit as exc:
        assert exc.code == 0, (command, exc.code)
# `emulator --help` reads the emulator's option table, which loads nothing else of it.
light = ("freestyle_async.testing", "freestyle_async.testing._options")
heavy = sorted(
    name for name in sys.modules
    if (name.split(".")[0] in ("aiohttp", "tenacity", "cattrs", "multidict", "yarl")
        or name.startswith(("freestyle_async._client", "freestyle_async._transport",
                            "freestyle_async.testing", "freestyle_async.bulk")))
    and name not in light
)
print("HEAVY:" + ",".join(heavy), file=sys.stderr)
"""


def test_help_does_not_import_the_http_stack() -> None:
    proc = subprocess.run(
        [PYTHON, "-c", _HELP_PROBE], capture_output=True, text=True, timeout=60, env=clean_env()
    )
    assert proc.returncode == 0, proc.stderr
    heavy = proc.stderr.strip().splitlines()[-1]
    assert heavy == "HEAVY:", heavy
    for name in ("campaigns", "leads", "results", "summary", "sms", "billing", "demo"):
        assert name in proc.stdout


def test_python_dash_m_and_version() -> None:
    proc = subprocess.run(
        [PYTHON, "-m", "freestyle_async.cli", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        env=clean_env(),
    )
    from freestyle_async import __version__

    assert proc.returncode == 0
    assert proc.stdout.strip() == f"freestyle, version {__version__}"


@pytest.mark.parametrize("missing", ["click", "rich"])
def test_missing_cli_extra_names_what_to_install(missing: str) -> None:
    probe = (
        f"import sys; sys.modules[{missing!r}] = None\n"
        "from freestyle_async.cli import main\n"
        "main(['--help'])\n"
    )
    proc = subprocess.run(
        [PYTHON, "-c", probe], capture_output=True, text=True, timeout=60, env=clean_env()
    )
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert f"({missing} is not installed)" in proc.stderr
    assert 'pip install "freestyle-async[cli]"' in proc.stderr
    assert "Traceback" not in proc.stderr


def test_import_freestyle_async_does_not_import_the_cli() -> None:
    probe = (
        "import sys, freestyle_async\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('click', 'rich')"
        " or m.startswith('freestyle_async.cli')))\n"
    )
    proc = subprocess.run(
        [PYTHON, "-c", probe], capture_output=True, text=True, timeout=60, env=clean_env()
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
