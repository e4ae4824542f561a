"""A small forward proxy (plain HTTP in absolute form, HTTPS through ``CONNECT``) and a TLS
front, each on loopback on a thread of its own, for the proxy tests.

The proxy records what it forwarded (:attr:`ForwardProxy.seen`), so a test proves a request
went through it. ``hosts`` maps a host name to a loopback address: the proxy, not the client,
resolves the target (``api.freestyle.test`` cannot be resolved by anyone else), which is how a
test shows the client never tried to connect on its own.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import ssl
import threading
from collections.abc import Coroutine, Mapping
from typing import Any, Literal, TypeVar

__all__ = ["ForwardProxy", "Seen", "TlsFront"]

T = TypeVar("T")
Mode = Literal["forward", "refuse", "close"]
Seen = tuple[str, str, str | None]  # method, target, the Proxy-Authorization's user:password


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        writer.close()


class _Served:
    """A server on a thread's own event loop, on a free loopback port. Every connection it
    accepts or opens is closed by :meth:`stop` (none is left for the garbage collector)."""

    def __init__(self) -> None:
        self._writers: set[asyncio.StreamWriter] = set()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._server: asyncio.Server = self.run(self._start())
        self.port: int = self._server.sockets[0].getsockname()[1]

    async def _start(self) -> asyncio.Server:
        raise NotImplementedError

    async def _listen(self, context: ssl.SSLContext | None = None) -> asyncio.Server:
        async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            self._writers.add(writer)
            await self._serve(reader, writer)

        return await asyncio.start_server(serve, "127.0.0.1", 0, ssl=context)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        raise NotImplementedError

    async def _open(
        self, host: str, port: int
    ) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        reader, writer = await asyncio.open_connection(host, port)
        self._writers.add(writer)
        return reader, writer

    async def _splice(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str, port: int
    ) -> None:
        """Relay bytes both ways between a client and ``host:port`` until both sides close."""
        up_reader, up_writer = await self._open(host, port)
        await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout=30)

    def stop(self) -> None:
        async def close() -> None:
            self._server.close()
            for writer in self._writers:
                writer.close()
            for writer in self._writers:
                with contextlib.suppress(Exception):
                    await writer.wait_closed()
            tasks = asyncio.all_tasks() - {asyncio.current_task()}
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        self.run(close())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(30)
        self._loop.close()


class ForwardProxy(_Served):
    """``mode``: ``forward`` (requiring ``credentials`` when given, else 407), ``refuse``
    (407 to everything) or ``close`` (hang up on every request without an answer). With a
    ``context`` it is an HTTPS proxy (TLS from the client to the proxy)."""

    def __init__(
        self,
        *,
        hosts: Mapping[str, tuple[str, int]] | None = None,
        credentials: tuple[str, str] | None = None,
        mode: Mode = "forward",
        context: ssl.SSLContext | None = None,
    ) -> None:
        self._context = context
        self.hosts = dict(hosts or {})
        self.credentials = credentials
        self.mode = mode
        self.seen: list[Seen] = []
        super().__init__()

    @property
    def url(self) -> str:
        scheme = "http" if self._context is None else "https"
        return f"{scheme}://127.0.0.1:{self.port}"

    async def _start(self) -> asyncio.Server:
        return await self._listen(self._context)

    def _address(self, host: str, port: int) -> tuple[str, int]:
        return self.hosts.get(host, (host, port))

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            writer.close()
            return
        line, *header_lines = head.decode("latin-1").split("\r\n")
        method, target, _ = line.split(" ", 2)
        headers = {
            name.strip().lower(): value.strip()
            for name, _, value in (h.partition(":") for h in header_lines if h)
        }
        auth = headers.get("proxy-authorization")
        user = base64.b64decode(auth.split()[1]).decode() if auth else None
        self.seen.append((method, target, user))
        wanted = None if self.credentials is None else ":".join(self.credentials)
        if self.mode == "close":
            writer.close()
            return
        if self.mode == "refuse" or user != wanted:
            writer.write(
                b"HTTP/1.1 407 Proxy Authentication Required\r\n"
                b'Proxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n'
                b"Connection: close\r\n\r\n"
            )
            await writer.drain()
            writer.close()
            return
        if method == "CONNECT":
            host, _, port = target.rpartition(":")
            writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
            await writer.drain()
            await self._splice(reader, writer, *self._address(host, int(port)))
            return
        await self._forward(reader, writer, method, target, header_lines)

    async def _forward(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        method: str,
        target: str,
        header_lines: list[str],
    ) -> None:
        """One plain-HTTP request: sent on in origin form, answered, then both sides closed."""
        authority, slash, path = target.partition("://")[2].partition("/")
        host, _, port = authority.rpartition(":")
        kept = [
            h
            for h in header_lines
            if h and h.split(":")[0].lower() not in ("proxy-authorization", "connection")
        ]
        head = "\r\n".join([f"{method} {slash}{path} HTTP/1.1", *kept, "Connection: close"])
        up_reader, up_writer = await self._open(*self._address(host, int(port)))
        up_writer.write(head.encode("latin-1") + b"\r\n\r\n")
        await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))


class TlsFront(_Served):
    """Terminates TLS (``context``) on loopback and relays the plain bytes to
    ``127.0.0.1:target_port``: the emulator, served over HTTPS."""

    def __init__(self, context: ssl.SSLContext, target_port: int) -> None:
        self._context = context
        self._target_port = target_port
        super().__init__()

    async def _start(self) -> asyncio.Server:
        return await self._listen(self._context)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await self._splice(reader, writer, "127.0.0.1", self._target_port)
