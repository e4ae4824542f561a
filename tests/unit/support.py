"""Helpers shared by the unit tests: a request-recording aioresponses, a fake sleep, a strict
model comparison and the key-leak check bound to the unit tests' keys."""

from __future__ import annotations

import datetime as dt
import enum
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Final

import _key_checks
import aiohttp
import attrs
from _clients import ClientFactory as ClientFactory  # re-exported for the annotations
from aiohttp import ClientResponse, ClientSession
from aiohttp.client_reqrep import ConnectionKey
from aioresponses import aioresponses
from yarl import URL

# Made-up keys in the documented shape (ft_ + 64 hex). No 8 characters of their middle may
# show up anywhere; they are irregular so that no 8 of them occur in other test data by chance.
API_KEY: Final = "ft_f8b4c0bf8e704eb5a6162ac20172de3d4a5152cdffc0268bbc9387abb50ccdef"
OTHER_KEY: Final = "ft_d107d1c6375281d8fb1eb6a9eff75eb56708a570173b40a837ffb8e5e9183210"
BASE_URL: Final = "https://api.freestyleteletech.com/v1"
ERROR_BODY: Final = {"error": {"code": "not_found", "message": "Campaign not found."}}


def assert_no_key(text: str, *keys: str) -> None:
    """Fail if ``text`` holds a key (the unit tests' two unless given), or any 8 consecutive
    characters of it, in any case, also once JSON or URL escapes are decoded (see
    :func:`_key_checks.assert_no_key`)."""
    _key_checks.assert_no_key(text, *(keys or (API_KEY, OTHER_KEY)))


def assert_key_sent(request: SentRequest, key: str) -> None:
    """The request carried ``key`` in X-API-Key (compared without printing either)."""
    if request.headers.get("X-API-Key") != key:
        raise AssertionError("the request did not carry the expected X-API-Key")


@dataclass(frozen=True)
class SentRequest:
    """One request as the transport handed it to aiohttp."""

    method: str
    url: str
    headers: Mapping[str, str] = field(repr=False)  # holds the key: kept out of test output
    body: bytes | None = field(repr=False)
    session: ClientSession = field(repr=False)

    @property
    def wire_url(self) -> URL:
        """The URL aiohttp puts on the wire (yarl's parse of the string it was given)."""
        return URL(self.url)

    def json(self) -> Any:
        assert self.body is not None, "the request had no body"
        return json.loads(self.body)


class RecordingMock(aioresponses):
    """aioresponses that also keeps every request in order, with the exact URL string, the
    headers, the body and the session it went through (aioresponses' own ``requests`` is
    keyed by a normalised URL and loses the order)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sent: list[SentRequest] = []

    async def _request_mock(
        self, orig_self: ClientSession, method: str, url: URL | str, *args: Any, **kwargs: Any
    ) -> ClientResponse:
        data = kwargs.get("data")
        self.sent.append(
            SentRequest(
                method=method,
                url=str(url),
                headers=dict(kwargs.get("headers") or {}),
                body=bytes(data) if data is not None else None,
                session=orig_self,
            )
        )
        return await super()._request_mock(orig_self, method, url, *args, **kwargs)


class FakeSleep:
    """The ``RetryPolicy(sleep=...)`` of the tests: records each wait, waits for nothing."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def connector_error(host: str = "api.freestyleteletech.com", port: int = 443) -> Exception:
    """The error aiohttp raises when a TCP connection cannot be opened (nothing was sent)."""
    key = ConnectionKey(host, port, True, True, None, None, None)
    return aiohttp.ClientConnectorError(key, ConnectionRefusedError(111, "Connection refused"))


def assert_same(actual: Any, expected: Any, path: str = "$") -> None:
    """Deep equality that also demands the same Python type at every level.

    Plain ``==`` would accept ``"active"`` for ``CampaignStatus.ACTIVE`` (a StrEnum), ``1``
    for ``Decimal(1)``, ``100`` for ``100.0`` and says nothing about time zones.
    """
    assert type(actual) is type(expected), (
        f"{path}: {type(actual).__name__} {actual!r} is not {type(expected).__name__} {expected!r}"
    )
    if attrs.has(type(expected)):
        for field in attrs.fields(type(expected)):
            assert_same(
                getattr(actual, field.name), getattr(expected, field.name), f"{path}.{field.name}"
            )
    elif isinstance(expected, list | tuple):
        assert len(actual) == len(expected), f"{path}: {len(actual)} items, not {len(expected)}"
        for index, (got, want) in enumerate(zip(actual, expected, strict=True)):
            assert_same(got, want, f"{path}[{index}]")
    elif isinstance(expected, dict):
        assert actual.keys() == expected.keys(), f"{path}: keys {sorted(actual)}"
        for key in expected:
            assert_same(actual[key], expected[key], f"{path}.{key}")
    elif isinstance(expected, dt.datetime):
        assert actual.tzinfo is not None, f"{path}: naive datetime {actual!r}"
        assert actual.utcoffset() == expected.utcoffset(), f"{path}: offset of {actual!r}"
        assert actual == expected, f"{path}: {actual!r} != {expected!r}"
    elif isinstance(expected, Decimal):
        # str() too: Decimal("12.340") == Decimal("12.34"), but float noise shows in str.
        assert str(actual) == str(expected), f"{path}: Decimal {actual} != {expected}"
    elif isinstance(expected, enum.Enum):
        assert actual is expected, f"{path}: {actual!r} is not {expected!r}"
    else:
        assert actual == expected, f"{path}: {actual!r} != {expected!r}"
