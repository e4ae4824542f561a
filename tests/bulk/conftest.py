"""Fixtures for the bulk upload tests. ``emu`` and ``fs`` (the package's pytest plugin's
emulator and client, retries of a few ms) come from ``tests/conftest.py``."""

from __future__ import annotations

import pytest

from freestyle_async.testing import Emulator


@pytest.fixture
def campaign_id(emu: Emulator) -> str:
    return emu.campaign_ids()[0]
