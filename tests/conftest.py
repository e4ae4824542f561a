"""Shared test set-up."""

from __future__ import annotations

import inspect
from typing import Any
from unittest.mock import Mock

import aioresponses.core
from aiohttp import ClientResponse

# Fails any test that leaves an aiohttp session or connector unclosed (tests/_hygiene.py).
pytest_plugins = ["_hygiene"]


def _patch_aioresponses_for_aiohttp_314() -> None:
    """aiohttp 3.14 made ``ClientResponse(stream_writer=...)`` required and aioresponses
    0.7.9 does not pass it (pnuckowski/aioresponses#289). Hand it a stand-in writer."""
    if "stream_writer" not in inspect.signature(ClientResponse.__init__).parameters:
        return

    class CompatClientResponse(ClientResponse):
        def __init__(self, method: str, url: Any, **kwargs: Any) -> None:
            kwargs.setdefault("stream_writer", Mock(output_size=0))
            super().__init__(method, url, **kwargs)

    aioresponses.core.ClientResponse = CompatClientResponse  # type: ignore[attr-defined]


_patch_aioresponses_for_aiohttp_314()
