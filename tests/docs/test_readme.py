"""The README's ```python examples run against the emulator, so the docs cannot drift.

README.md is parsed at test time; see ``_readme.py`` for the rules (``<!-- no-test -->``,
``<!-- test-continue -->``, placeholder ids). A README with no runnable example fails.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from freestyle_async.testing import Emulator

from ._readme import Block, Substitutions, python_blocks, run_block

README = Path(__file__).resolve().parents[2] / "README.md"


def _blocks() -> list[Block]:
    return python_blocks(README.read_text(encoding="utf-8")) if README.exists() else []


BLOCKS = _blocks()


def _substitutions(emu: Emulator) -> Substitutions:
    # With seed 0 the newest dial campaign has call results and the first SMS campaign runs.
    return Substitutions(
        campaign_id=emu.campaign_ids()[0],
        sms_campaign_id=emu.sms_campaign_ids()[0],
        api_key=emu.api_key,
        base_url=emu.base_url,
        real_ids=frozenset([*emu.campaign_ids(), *emu.sms_campaign_ids()]),
    )


def _write_leads(path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["phone1", "account_name", "account_id", "amount"])
        for i in range(25):
            writer.writerow([f"416555{i:04d}", f"Reader {i}", f"DOC-{i}", f"{i * 10}.50"])


@pytest.mark.parametrize("index", range(len(BLOCKS)), ids=[b.id for b in BLOCKS])
def test_readme_example(
    index: int, emulator: Emulator, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    block = BLOCKS[index]
    if block.skip:
        pytest.skip("marked <!-- no-test --> in README.md")
    monkeypatch.setenv("FREESTYLE_API_KEY", emulator.api_key)
    monkeypatch.setenv("FREESTYLE_BASE_URL", emulator.base_url)
    monkeypatch.chdir(tmp_path)
    _write_leads(tmp_path / "leads.csv")
    run_block(BLOCKS, index, _substitutions(emulator))


def test_readme_has_tested_examples() -> None:
    assert README.exists(), f"{README} is missing"
    runnable = [b for b in BLOCKS if not b.skip]
    assert runnable, (
        "README.md has no ```python example that the test suite runs: add one, or drop a "
        "<!-- no-test --> marker that is not needed"
    )
