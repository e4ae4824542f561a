"""The README's type check passes in the set-up it gives (``.[dev]``, no orjson) and with the
``speedups`` extra: the two modules importing orjson are checked in whichever is installed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MODULES = ["freestyle_async/_json.py", "freestyle_async/testing/_json.py"]


def test_json_modules_pass_mypy_strict_with_or_without_orjson(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path), *MODULES],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
