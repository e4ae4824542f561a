"""Pages that repeat the page before them: an item is yielded once however many pages in a
row repeat it, and a server that ignores ``page`` ends iteration with a DecodeError instead
of being asked for every page up to its ``total_pages``.

A small loopback proxy stands between the client and the emulator and changes one thing:
``Shifting`` uploads a record just before answering the chosen pages (new activity arrives
between two page requests, always at the same point), ``IgnoresPage`` asks the emulator for
page 1 whatever page was requested and claims a million pages.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from freestyle_async import AsyncFreestyle, AsyncPaginator, DecodeError
from freestyle_async.models import Page, PageMeta
from freestyle_async.pagination import MAX_REPEATED_PAGES
from freestyle_async.testing import Emulator

from ._support import client_for, collect

LIST = "/v1/dial-campaigns"


class Proxy:
    """Forwards every request to ``emu``, after ``before(page)`` and through ``rewrite``.

    It answers a 400 to listing requests past the first ``MAX_LISTINGS``: a client that
    would page for ever fails fast instead of hanging the test.
    """

    MAX_LISTINGS = 100

    def __init__(self, emu: Emulator) -> None:
        self.emu = emu
        self.pages: list[int] = []  # the page each listing request asked for
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self._port = 0

    async def before(self, page: int) -> None:
        """Runs before a listing request for ``page`` is forwarded."""

    def query(self, query: dict[str, str]) -> dict[str, str]:
        return query

    def rewrite(self, body: dict[str, Any]) -> dict[str, Any]:
        return body

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._port}/v1"

    async def _forward(self, request: web.Request) -> web.StreamResponse:
        assert self._session is not None
        query = dict(request.query)
        listing = request.method == "GET" and "page" in query
        if listing:
            if len(self.pages) >= self.MAX_LISTINGS:
                error = {"error": {"code": "invalid_parameter", "message": "enough pages"}}
                return web.json_response(error, status=400)
            self.pages.append(int(query["page"]))
            await self.before(int(query["page"]))
            query = self.query(query)
        async with self._session.request(
            request.method,
            f"{self.emu.root_url}{request.path}",
            params=query,
            data=await request.read(),
            headers={k: v for k, v in request.headers.items() if k.lower() != "host"},
        ) as upstream:
            body = await upstream.read()
            if listing and upstream.status == 200:
                return web.json_response(self.rewrite(await upstream.json()))
            return web.Response(
                body=body, status=upstream.status, content_type=upstream.content_type
            )

    async def __aenter__(self) -> Proxy:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._forward)
        self._session = aiohttp.ClientSession()
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = int(self._runner.addresses[0][1])
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._runner is not None and self._session is not None
        await self._runner.cleanup()
        await self._session.close()


class Shifting(Proxy):
    """One record uploaded (one new activity event, newest first) before ``pages`` are read."""

    def __init__(self, emu: Emulator, fs: AsyncFreestyle, cid: str, pages: set[int]) -> None:
        super().__init__(emu)
        self._fs, self._cid, self._shift_before = fs, cid, pages

    async def before(self, page: int) -> None:
        if page in self._shift_before:
            self._shift_before.discard(page)
            await self._fs.dial_campaigns.upload_data(
                self._cid, [{"phone1": f"61355501{page:02d}"}]
            )


class IgnoresPage(Proxy):
    def query(self, query: dict[str, str]) -> dict[str, str]:
        return {**query, "page": "1"}

    def rewrite(self, body: dict[str, Any]) -> dict[str, Any]:
        return {**body, "meta": {**body["meta"], "total_pages": 1_000_000}}


# ------------------------------------------------------------------- a page repeated twice

Read = Callable[[AsyncPaginator[Any]], Awaitable[list[Any]]]


async def _to_list(paginator: AsyncPaginator[Any]) -> list[Any]:
    return await paginator.to_list()


async def _unique_pages(paginator: AsyncPaginator[Any]) -> list[Any]:
    return [item async for page in paginator.pages(unique=True) for item in page.data]


READS: dict[str, Read] = {"items": collect, "to_list": _to_list, "pages_unique": _unique_pages}


@pytest.mark.parametrize("read", list(READS))
async def test_an_item_repeated_on_three_pages_is_yielded_once(
    read: str, emu: Emulator, fs: AsyncFreestyle
) -> None:
    # per_page=1, newest first, one new event before pages 2 and 3: the newest event is on
    # pages 1, 2 and 3. Page 2 holds nothing new, and page 3 repeats what page 2 held.
    # prefetch(1): each page is requested once the one before it has arrived, so the uploads
    # always land between the same two requests.
    cid = emu.campaign_ids()[-1]
    before = [e.activity_id for e in await collect(fs.dial_campaigns.list_activity(cid))]
    async with Shifting(emu, fs, cid, {2, 3}) as proxy, client_for(emu) as client:
        client = client.with_options(base_url=proxy.base_url)
        paginator = client.dial_campaigns.list_activity(cid, per_page=1).prefetch(1)
        seen = [e.activity_id for e in await READS[read](paginator)]
    assert seen[:2] == before[:2]
    assert seen == before  # each once, none missed
    assert proxy.pages[:4] == [1, 2, 3, 4]


# ------------------------------------------------------------------- a server ignoring page


async def _raw_pages(paginator: AsyncPaginator[Any]) -> list[Any]:
    return [page async for page in paginator.pages()]


ALL_READS: dict[str, Read] = {**READS, "pages": _raw_pages}


@pytest.mark.parametrize("read", list(ALL_READS))
@pytest.mark.parametrize("prefetch", [1, 8, 32])
async def test_a_server_ignoring_page_ends_iteration_with_a_decode_error(
    read: str, prefetch: int, emu: Emulator
) -> None:
    async with IgnoresPage(emu) as proxy, client_for(emu) as client:
        client = client.with_options(base_url=proxy.base_url)
        paginator = client.dial_campaigns.list(per_page=3).prefetch(prefetch)
        with pytest.raises(DecodeError) as caught:
            await ALL_READS[read](paginator)
    last = 1 + MAX_REPEATED_PAGES
    assert f"pages 2 to {last} (per_page=3)" in str(caught.value)
    assert "ignore `page`" in str(caught.value)
    # Every page up to the one that ended it, and no more than the window beyond it.
    assert proxy.pages[:last] == list(range(1, last + 1))
    assert len(proxy.pages) <= last + prefetch


async def test_a_page_with_new_items_resets_the_count(emu: Emulator, fs: AsyncFreestyle) -> None:
    # Four repeated pages in a row, then new items: a shifting list, not a stuck server.
    cid = emu.campaign_ids()[-1]
    before = [e.activity_id for e in await collect(fs.dial_campaigns.list_activity(cid))]
    shifts = set(range(2, 2 + MAX_REPEATED_PAGES - 1))
    async with Shifting(emu, fs, cid, shifts) as proxy, client_for(emu) as client:
        client = client.with_options(base_url=proxy.base_url)
        seen = await collect(client.dial_campaigns.list_activity(cid, per_page=1).prefetch(1))
    assert [e.activity_id for e in seen] == before
    assert len(proxy.pages) > MAX_REPEATED_PAGES + 1


async def test_the_error_names_the_endpoint() -> None:
    stuck = Page(data=[1, 2], meta=PageMeta(page=1, per_page=2, total=10**9, total_pages=10**6))
    requested: list[int] = []

    async def fetch(number: int, size: int | None) -> Page[int]:
        requested.append(number)
        return stuck

    paginator = AsyncPaginator(
        fetch, key=lambda n: n, page=None, per_page=2, max_per_page=100, endpoint="GET /things"
    )
    with pytest.raises(DecodeError) as caught:
        await paginator.prefetch(1).to_list()
    assert caught.value.endpoint == "GET /things"
    assert str(caught.value).startswith("GET /things: pages 2 to 6 (per_page=2)")
    assert requested[:6] == [1, 2, 3, 4, 5, 6]
