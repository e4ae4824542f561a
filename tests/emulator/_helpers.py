"""A raw aiohttp client for the emulator's own tests (never the SDK)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import aiohttp
import attrs
from multidict import CIMultiDict

from freestyle_async.testing import Emulator

TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


@attrs.frozen
class Reply:
    status: int
    body: Any
    headers: Mapping[str, str]

    @property
    def data(self) -> Any:
        return self.body["data"]


class Api:
    """A thin raw client for one emulator and one key."""

    def __init__(self, session: aiohttp.ClientSession, emulator: Emulator, key: str | None):
        self.session = session
        self.emulator = emulator
        self.key = key

    def _headers(self, key: str | None) -> dict[str, str]:
        return {"X-API-Key": key} if key is not None else {}

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        data: bytes | str | None = None,
        headers: Mapping[str, str] | None = None,
        key: Any = ...,
    ) -> Reply:
        all_headers = self._headers(self.key if key is ... else key)
        all_headers.update(headers or {})
        async with self.session.request(
            method,
            self.emulator.base_url + path,
            params={k: str(v) for k, v in (params or {}).items()},
            json=json,
            data=data,
            headers=all_headers,
        ) as response:
            body = await response.json(content_type=None)
            return Reply(response.status, body, CIMultiDict(response.headers))

    async def get(self, path: str, **params: Any) -> Reply:
        return await self.request("GET", path, params=params)

    async def all_pages(self, path: str, per_page: int, **params: Any) -> list[Any]:
        items: list[Any] = []
        page = 1
        while True:
            reply = await self.get(path, page=page, per_page=per_page, **params)
            assert reply.status == 200, reply.body
            items.extend(reply.data)
            if page >= reply.body["meta"]["total_pages"]:
                return items
            page += 1


def assert_error(reply: Reply, status: int, code: str, mentions: str | None = None) -> None:
    assert reply.status == status, reply.body
    assert set(reply.body) == {"error"}
    assert set(reply.body["error"]) == {"code", "message"}
    assert reply.body["error"]["code"] == code
    assert isinstance(reply.body["error"]["message"], str)
    assert reply.body["error"]["message"]
    if mentions is not None:
        assert mentions in reply.body["error"]["message"], reply.body
    assert reply.headers.get("X-Request-Id")
