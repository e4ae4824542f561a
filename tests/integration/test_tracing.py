"""Tracing with OpenTelemetry's own aiohttp instrumentation, against the emulator.

The real packages (the ``dev`` extra): ``create_trace_config`` given through the clients'
``trace_configs``, and the global ``AioHttpClientInstrumentor``. Each test records into its
own ``TracerProvider`` and in-memory exporter, so no global tracing state is touched (the
instrumentor is undone in the test that applies it). The emulator's ``on_response_prepare``
signal records what it received and answered: the ``traceparent`` header, the request ids.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import aiohttp
import attrs
import pytest
from _clients import FAST_RETRIES
from _key_checks import assert_no_key, key_fragments
from aiohttp import web
from opentelemetry.instrumentation.aiohttp_client import (
    AioHttpClientInstrumentor,
    create_trace_config,
)
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from freestyle_async import (
    AsyncFreestyle,
    RequestEvent,
    ResponseEvent,
    RetryEvent,
    ServerError,
    ValidationError,
)
from freestyle_async.sync import Freestyle
from freestyle_async.testing import Emulator, Faults

# -- what the emulator saw, and what the spans say ---------------------------------------------


@attrs.frozen
class Seen:
    """One request the emulator answered: its headers, and the request id it sent back."""

    headers: dict[str, str]
    request_id: str | None
    status: int


def record_into(emu: Emulator, seen: list[Seen]) -> None:
    """Record every answered request of ``emu`` (before it starts) into ``seen``."""

    async def on_prepare(request: web.Request, response: web.StreamResponse) -> None:
        seen.append(
            Seen(dict(request.headers), response.headers.get("X-Request-Id"), response.status)
        )

    emu.app.on_response_prepare.append(on_prepare)


def traceparent_of(span: ReadableSpan) -> str:
    """The W3C ``traceparent`` a span sends when it is the current one."""
    context = span.get_span_context()
    return f"00-{context.trace_id:032x}-{context.span_id:016x}-{int(context.trace_flags):02x}"


def http_attrs(span: ReadableSpan) -> tuple[Any, Any, Any]:
    """(method, URL, status) from a client span, whichever semantic conventions it follows."""
    found = dict(span.attributes or {})
    return (
        found.get("http.method", found.get("http.request.method")),
        found.get("http.url", found.get("url.full")),
        found.get("http.status_code", found.get("http.response.status_code")),
    )


def assert_no_key_in_spans(spans: tuple[ReadableSpan, ...], key: str) -> None:
    """No piece of ``key`` in any span: name, attributes, events, links, status, resource
    (``to_json`` writes all of them)."""
    assert spans
    for span in spans:
        assert_no_key(span.to_json(), key, where=f"span {span.name}")


@pytest.fixture
def exporter() -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    yield exporter
    exporter.shutdown()


@pytest.fixture
def provider(exporter: InMemorySpanExporter) -> Iterator[TracerProvider]:
    provider = TracerProvider(shutdown_on_exit=False)
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    yield provider
    provider.shutdown()


@pytest.fixture
async def recorded() -> AsyncIterator[tuple[Emulator, list[Seen]]]:
    seen: list[Seen] = []
    emu = Emulator()
    record_into(emu, seen)
    async with emu:
        yield emu, seen


def traced_client(emu: Emulator, provider: TracerProvider, **options: Any) -> AsyncFreestyle:
    options.setdefault("retry_policy", FAST_RETRIES)
    return AsyncFreestyle(
        emu.api_key,
        base_url=emu.base_url,
        trace_configs=[create_trace_config(tracer_provider=provider)],
        **options,
    )


def client_spans(exporter: InMemorySpanExporter) -> list[ReadableSpan]:
    return [s for s in exporter.get_finished_spans() if s.kind is SpanKind.CLIENT]


# -- create_trace_config through trace_configs ---------------------------------------------


async def test_a_call_makes_one_client_span_with_the_http_attributes(
    recorded: tuple[Emulator, list[Seen]],
    provider: TracerProvider,
    exporter: InMemorySpanExporter,
) -> None:
    emu, seen = recorded
    async with traced_client(emu, provider) as fs:
        await fs.account.get()
    [span] = exporter.get_finished_spans()
    assert span.kind is SpanKind.CLIENT and span.name == "GET"
    assert http_attrs(span) == ("GET", emu.base_url + "/account", 200)
    assert span.status.status_code is not StatusCode.ERROR
    [request] = seen
    assert request.headers["traceparent"] == traceparent_of(span)
    assert_no_key_in_spans(exporter.get_finished_spans(), emu.api_key)


async def test_a_retried_call_shows_one_span_per_attempt_under_the_callers_span(
    recorded: tuple[Emulator, list[Seen]],
    provider: TracerProvider,
    exporter: InMemorySpanExporter,
) -> None:
    """Two 503s, then the retry that succeeds: three client spans, children of the span the
    caller had open, each the parent named in the ``traceparent`` of its own attempt."""
    emu, seen = recorded
    emu.faults = Faults(error_rate=1.0, error_statuses=[503])

    def heal_after_two(event: RetryEvent) -> None:
        if event.attempt == 3:
            emu.faults = None

    tracer = provider.get_tracer("the caller")
    async with traced_client(emu, provider, max_retries=3, on_retry=heal_after_two) as fs:
        with tracer.start_as_current_span("job") as job:
            await fs.account.get()
    spans = client_spans(exporter)
    assert [http_attrs(s)[2] for s in spans] == [503, 503, 200]
    assert [s.status.status_code is StatusCode.ERROR for s in spans] == [True, True, False]
    job_context = job.get_span_context()
    for span in spans:
        assert span.parent is not None and span.parent.span_id == job_context.span_id
        assert span.context.trace_id == job_context.trace_id
    assert [r.headers["traceparent"] for r in seen] == [traceparent_of(s) for s in spans]
    assert_no_key_in_spans(exporter.get_finished_spans(), emu.api_key)


async def test_an_attempt_without_an_answer_is_a_failed_span_and_the_retry_another(
    recorded: tuple[Emulator, list[Seen]],
    provider: TracerProvider,
    exporter: InMemorySpanExporter,
) -> None:
    emu, _ = recorded
    emu.faults = Faults(drop_before_rate=1.0)

    def heal(event: RetryEvent) -> None:
        emu.faults = None

    async with traced_client(emu, provider, on_retry=heal) as fs:
        await fs.account.get()
    dropped, answered = client_spans(exporter)
    assert dropped.status.status_code is StatusCode.ERROR
    assert http_attrs(dropped)[2] is None
    assert [e.name for e in dropped.events] == ["exception"]
    assert http_attrs(answered)[2] == 200
    assert_no_key_in_spans(exporter.get_finished_spans(), emu.api_key)


async def test_no_span_holds_the_key_across_every_kind_of_call(
    recorded: tuple[Emulator, list[Seen]],
    provider: TracerProvider,
    exporter: InMemorySpanExporter,
) -> None:
    """Lists with a query, a PATCH and an upload with bodies, an error answer, a refused key:
    the key travels in X-API-Key, which the instrumentation does not record by default."""
    emu, seen = recorded
    campaign = emu.campaign_ids()[0]
    async with traced_client(emu, provider, max_retries=0) as fs:
        await fs.dial_campaigns.list(status="active", per_page=5).first_page()
        await fs.dial_campaigns.update_status(campaign, "paused")
        await fs.dial_campaigns.upload_data(campaign, [{"phone1": "4165550100"}])
        emu.faults = Faults(error_rate=1.0, error_statuses=[500])
        with pytest.raises(ServerError):
            await fs.account.get()
        emu.faults = None
        other = fs.with_options(api_key=emu.disabled_api_key)  # shares the traced session
        with pytest.raises(Exception, match="disabled"):
            await other.account.get()
    spans = exporter.get_finished_spans()
    assert len(spans) == len(seen) == 5
    assert all(r.headers["X-API-Key"] for r in seen)  # the key was sent, in the header
    assert_no_key_in_spans(spans, emu.api_key)
    assert_no_key_in_spans(spans, emu.disabled_api_key)


async def test_capturing_request_headers_records_the_key_unless_it_is_sanitized(
    recorded: tuple[Emulator, list[Seen]],
    provider: TracerProvider,
    exporter: InMemorySpanExporter,
) -> None:
    """What the README warns about: capturing every request header records X-API-Key, and
    listing it among the sensitive headers replaces it with [REDACTED]."""
    emu, _ = recorded
    for sensitive, leaks in ((None, True), (["x-api-key"], False)):
        exporter.clear()
        trace_config = create_trace_config(
            tracer_provider=provider,
            captured_request_headers=[".*"],
            sensitive_headers=sensitive,
        )
        async with AsyncFreestyle(
            emu.api_key, base_url=emu.base_url, trace_configs=[trace_config]
        ) as fs:
            await fs.account.get()
        [span] = exporter.get_finished_spans()
        assert bool(key_fragments(span.to_json(), emu.api_key)) is leaks
        if not leaks:
            assert (span.attributes or {})["http.request.header.x_api_key"] == ("[REDACTED]",)


# -- the global instrumentor ---------------------------------------------------------------


async def test_the_global_instrumentor_traces_each_attempt(
    recorded: tuple[Emulator, list[Seen]],
    provider: TracerProvider,
    exporter: InMemorySpanExporter,
) -> None:
    emu, seen = recorded
    emu.faults = Faults(error_rate=1.0, error_statuses=[502])

    def heal(event: RetryEvent) -> None:
        emu.faults = None

    instrumentor = AioHttpClientInstrumentor()
    instrumentor.instrument(tracer_provider=provider)
    try:
        async with AsyncFreestyle(
            emu.api_key, base_url=emu.base_url, retry_policy=FAST_RETRIES, on_retry=heal
        ) as fs:
            await fs.account.get()
    finally:
        instrumentor.uninstrument()
    spans = client_spans(exporter)
    assert [http_attrs(s) for s in spans] == [
        ("GET", emu.base_url + "/account", 502),
        ("GET", emu.base_url + "/account", 200),
    ]
    assert [r.headers["traceparent"] for r in seen] == [traceparent_of(s) for s in spans]
    assert_no_key_in_spans(exporter.get_finished_spans(), emu.api_key)


# -- the sync client -----------------------------------------------------------------------


async def test_freestyle_traces_each_attempt_too(
    recorded: tuple[Emulator, list[Seen]],
    provider: TracerProvider,
    exporter: InMemorySpanExporter,
) -> None:
    """The sync client, called from a worker thread while the emulator serves on this loop."""
    emu, seen = recorded
    emu.faults = Faults(error_rate=1.0, error_statuses=[503])

    def heal(event: RetryEvent) -> None:  # on Freestyle's loop thread, before the retry
        emu.faults = None

    tracer = provider.get_tracer("the caller")

    def call() -> int:
        with (
            Freestyle(
                emu.api_key,
                base_url=emu.base_url,
                retry_policy=FAST_RETRIES,
                on_retry=heal,
                trace_configs=[create_trace_config(tracer_provider=provider)],
            ) as fs,
            tracer.start_as_current_span("job") as job,
        ):
            fs.account.get()
        return job.get_span_context().span_id

    job_id = await asyncio.to_thread(call)
    spans = client_spans(exporter)
    assert [http_attrs(s)[2] for s in spans] == [503, 200]
    # The caller's span, open on its own thread, is the parent of the loop thread's spans.
    assert all(s.parent is not None and s.parent.span_id == job_id for s in spans)
    assert [r.headers["traceparent"] for r in seen] == [traceparent_of(s) for s in spans]
    assert_no_key_in_spans(exporter.get_finished_spans(), emu.api_key)


async def test_freestyle_calls_started_together_keep_each_callers_span(
    recorded: tuple[Emulator, list[Seen]],
    provider: TracerProvider,
    exporter: InMemorySpanExporter,
) -> None:
    """Calls from two threads handed to Freestyle's loop in one wake-up (the loop was busy)
    still run each in its own caller's context: each thread's client span is a child of the
    span that thread had open, not of the other thread's."""
    emu, _ = recorded
    tracer = provider.get_tracer("the callers")
    entered, release = threading.Event(), threading.Event()
    parents: dict[str, int] = {}

    def hold_the_loop() -> None:
        entered.set()
        release.wait(30)

    def scenario() -> None:
        with Freestyle(
            emu.api_key,
            base_url=emu.base_url,
            trace_configs=[create_trace_config(tracer_provider=provider)],
        ) as fs:
            portal = fs._portal
            holder = threading.Thread(target=portal.run, args=(hold_the_loop,))
            holder.start()
            assert entered.wait(30)  # the loop thread is busy from here on

            def call(name: str, endpoint: Callable[[], object]) -> None:
                with tracer.start_as_current_span(name) as span:
                    parents[name] = span.get_span_context().span_id
                    endpoint()

            callers = [
                threading.Thread(target=call, args=("a", fs.account.get)),
                threading.Thread(target=call, args=("b", fs.account.phone_numbers)),
            ]
            for count, caller in enumerate(callers, start=1):
                caller.start()
                deadline = time.monotonic() + 30
                while len(portal._pending) < count:  # handed over, waiting for the loop
                    assert time.monotonic() < deadline
                    time.sleep(0.001)
            release.set()
            for thread in [holder, *callers]:
                thread.join(30)

    await asyncio.to_thread(scenario)
    by_url = {http_attrs(s)[1]: s for s in client_spans(exporter)}
    account = by_url[emu.base_url + "/account"]
    numbers = by_url[emu.base_url + "/account/phone-numbers"]
    assert account.parent is not None and account.parent.span_id == parents["a"]
    assert numbers.parent is not None and numbers.parent.span_id == parents["b"]


# -- the request id on the events ----------------------------------------------------------


async def test_each_event_after_an_answer_carries_its_request_id(
    recorded: tuple[Emulator, list[Seen]],
) -> None:
    emu, seen = recorded
    emu.faults = Faults(error_rate=1.0, error_statuses=[503])
    events: list[object] = []

    def on_retry(event: RetryEvent) -> None:
        events.append(event)
        emu.faults = None

    async with AsyncFreestyle(
        emu.api_key,
        base_url=emu.base_url,
        retry_policy=FAST_RETRIES,
        on_request=events.append,
        on_response=events.append,
        on_retry=on_retry,
    ) as fs:
        await fs.account.get()
    first, second = (r.request_id for r in seen)
    assert first and second and first != second
    assert [type(e) for e in events] == [
        RequestEvent,
        ResponseEvent,
        RetryEvent,
        RequestEvent,
        ResponseEvent,
    ]
    _, failed, retry, _, answered = events
    assert isinstance(failed, ResponseEvent) and isinstance(answered, ResponseEvent)
    assert isinstance(retry, RetryEvent)
    assert (failed.status, failed.request_id) == (503, first)
    assert retry.request_id == first
    assert (answered.status, answered.request_id) == (200, second)


async def test_an_attempt_without_an_answer_has_no_request_id(
    recorded: tuple[Emulator, list[Seen]],
) -> None:
    emu, _ = recorded
    emu.faults = Faults(drop_before_rate=1.0)
    responses: list[ResponseEvent] = []
    retries: list[RetryEvent] = []

    def on_retry(event: RetryEvent) -> None:
        retries.append(event)
        emu.faults = None

    async with AsyncFreestyle(
        emu.api_key,
        base_url=emu.base_url,
        retry_policy=FAST_RETRIES,
        on_response=responses.append,
        on_retry=on_retry,
    ) as fs:
        await fs.account.get()
    assert [(r.status, r.request_id is None) for r in responses] == [(None, True), (200, False)]
    assert [r.request_id for r in retries] == [None]


async def test_a_request_id_quoting_the_key_reaches_the_events_redacted() -> None:
    key = "ft_" + "7c" * 32

    async def echo_key(request: web.Request) -> web.Response:
        return web.json_response(
            {"error": {"code": "server_error", "message": "try again"}},
            status=503,
            headers={"X-Request-Id": "req-" + request.headers["X-API-Key"]},
        )

    app = web.Application()
    app.router.add_get("/v1/account", echo_key)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    responses: list[ResponseEvent] = []
    retries: list[RetryEvent] = []
    try:
        async with AsyncFreestyle(
            key,
            base_url=f"http://127.0.0.1:{port}/v1",
            retry_policy=FAST_RETRIES,
            max_retries=1,
            on_response=responses.append,
            on_retry=retries.append,
        ) as fs:
            with pytest.raises(ServerError):
                await fs.account.get()
    finally:
        await runner.cleanup()
    ids = [e.request_id for e in [*responses, *retries]]
    assert len(ids) == 3 and all(i is not None and i.startswith("req-ft_") for i in ids)
    for request_id in ids:
        assert request_id is not None
        assert_no_key(request_id, key, where="request_id")
        assert_no_key(repr(request_id), key, where="request_id")


# -- the option ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (aiohttp.TraceConfig(), r"got one TraceConfig: pass \[trace_config\]"),
        ("traces", "must be a list of aiohttp.TraceConfig or None"),
        (5, "must be a list of aiohttp.TraceConfig or None"),
        ([aiohttp.TraceConfig(), object()], r"trace_configs\[1\] must be an aiohttp.TraceConfig"),
    ],
)
def test_trace_configs_that_are_not_a_list_of_trace_configs_are_refused(
    value: object, message: str
) -> None:
    for client in (AsyncFreestyle, Freestyle):
        with pytest.raises(ValidationError, match=message):
            client("ft_" + "ab" * 32, base_url="http://127.0.0.1:9/v1", trace_configs=value)  # type: ignore[arg-type]


async def test_trace_configs_with_a_session_of_ones_own_are_refused() -> None:
    async with aiohttp.ClientSession() as session:
        with pytest.raises(ValidationError, match=r"pass them to your aiohttp\.ClientSession"):
            AsyncFreestyle(
                "ft_" + "ab" * 32,
                base_url="http://127.0.0.1:9/v1",
                session=session,
                trace_configs=[aiohttp.TraceConfig()],
            )


def test_importing_the_package_does_not_import_opentelemetry() -> None:
    code = (
        "import sys, freestyle_async, freestyle_async.sync\n"
        "from freestyle_async import AsyncFreestyle\n"
        "AsyncFreestyle('ft_' + 'ab' * 32, base_url='http://127.0.0.1:9/v1')\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'opentelemetry')\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
