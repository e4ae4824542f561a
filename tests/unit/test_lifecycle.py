"""Client lifecycle: the session it opens, the one it borrows, option clones, and use after
close."""

from __future__ import annotations

import aiohttp
import pytest

from freestyle_async._client import AsyncFreestyle
from freestyle_async._config import Timeout
from freestyle_async._retry import RetryPolicy
from freestyle_async.errors import FreestyleError, ServerError, ValidationError

from . import payloads as p
from .support import API_KEY, BASE_URL, ClientFactory, FakeSleep, RecordingMock, assert_key_sent

ACCOUNT_URL = f"{BASE_URL}/account"
OK = {"data": p.ACCOUNT}


async def test_context_manager_closes_the_session(mocked: RecordingMock) -> None:
    mocked.get(ACCOUNT_URL, payload=OK)
    async with AsyncFreestyle(API_KEY, base_url=BASE_URL) as fs:
        await fs.account.get()
        session = mocked.sent[0].session
        assert not session.closed
        assert not fs.closed
    assert session.closed
    assert fs.closed


async def test_one_session_for_many_calls(client: AsyncFreestyle, mocked: RecordingMock) -> None:
    mocked.get(ACCOUNT_URL, payload=OK, repeat=True)
    for _ in range(3):
        await client.account.get()
    assert len({id(s.session) for s in mocked.sent}) == 1


async def test_aclose_twice_is_fine(mocked: RecordingMock) -> None:
    mocked.get(ACCOUNT_URL, payload=OK)
    fs = AsyncFreestyle(API_KEY, base_url=BASE_URL)
    await fs.account.get()
    await fs.aclose()
    await fs.aclose()
    assert mocked.sent[0].session.closed
    async with fs:  # leaving the context again closes nothing new and raises nothing
        pass


async def test_close_before_any_call() -> None:
    fs = AsyncFreestyle(API_KEY, base_url=BASE_URL)
    await fs.aclose()
    assert fs.closed


async def test_caller_session_is_used_and_left_open(mocked: RecordingMock) -> None:
    mocked.get(ACCOUNT_URL, payload=OK, repeat=True)
    async with aiohttp.ClientSession() as session:
        async with AsyncFreestyle(API_KEY, base_url=BASE_URL, session=session) as fs:
            await fs.account.get()
            await fs.with_options(max_retries=0).account.get()
        assert [s.session for s in mocked.sent] == [session, session]
        assert not session.closed
        with pytest.raises(FreestyleError, match="closed"):
            await fs.account.get()  # the client is closed even though the session is not
        assert len(mocked.sent) == 2


async def test_with_options_shares_the_pool(
    make_client: ClientFactory, mocked: RecordingMock
) -> None:
    fs = make_client()
    clone = fs.with_options(timeout=5, max_retries=0)
    mocked.get(ACCOUNT_URL, payload=OK, repeat=True)

    await clone.account.get()  # the clone opens the pool first
    await fs.account.get()

    assert mocked.sent[0].session is mocked.sent[1].session
    assert clone.timeout == Timeout(total=5.0)
    assert clone.max_retries == 0
    assert fs.timeout == Timeout()
    assert fs.max_retries == 2
    assert clone.base_url == fs.base_url


async def test_with_options_settings_take_effect(
    make_client: ClientFactory, mocked: RecordingMock, fake_sleep: FakeSleep
) -> None:
    fs = make_client()
    strict = fs.with_options(max_retries=0)
    mocked.get(ACCOUNT_URL, status=503, payload={})
    with pytest.raises(ServerError):
        await strict.account.get()
    assert len(mocked.sent) == 1
    assert fake_sleep.waits == []

    mocked.get(ACCOUNT_URL, status=503, payload={})
    mocked.get(ACCOUNT_URL, payload=OK)
    await fs.account.get()  # the parent keeps max_retries=2
    assert len(mocked.sent) == 3
    assert len(fake_sleep.waits) == 1


async def test_with_options_new_key_and_policy(
    make_client: ClientFactory, mocked: RecordingMock
) -> None:
    other_sleep = FakeSleep()
    fs = make_client()
    other = fs.with_options(api_key="ft_" + "9" * 64, retry_policy=RetryPolicy(sleep=other_sleep))
    mocked.get(ACCOUNT_URL, status=500, payload={})
    mocked.get(ACCOUNT_URL, payload=OK, repeat=True)
    await other.account.get()
    await fs.account.get()
    assert_key_sent(mocked.sent[1], "ft_" + "9" * 64)
    assert_key_sent(mocked.sent[2], API_KEY)
    assert len(other_sleep.waits) == 1


async def test_closing_the_clone_leaves_the_parent_usable(
    make_client: ClientFactory, mocked: RecordingMock
) -> None:
    fs = make_client()
    mocked.get(ACCOUNT_URL, payload=OK, repeat=True)
    async with fs.with_options(timeout=3) as clone:
        await clone.account.get()
    await clone.aclose()
    assert not fs.closed
    await fs.account.get()
    assert not mocked.sent[1].session.closed
    assert mocked.sent[0].session is mocked.sent[1].session


async def test_closing_the_parent_closes_the_clones_pool(mocked: RecordingMock) -> None:
    mocked.get(ACCOUNT_URL, payload=OK, repeat=True)
    fs = AsyncFreestyle(API_KEY, base_url=BASE_URL)
    clone = fs.with_options(max_retries=0)
    await clone.account.get()
    await fs.aclose()
    assert mocked.sent[0].session.closed
    assert clone.closed
    with pytest.raises(FreestyleError, match="closed"):
        await clone.account.get()


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda fs: fs.account.get(), id="account.get"),
        pytest.param(lambda fs: fs.dial_campaigns.list().first_page(), id="first_page"),
        pytest.param(lambda fs: fs.dial_campaigns.pause("c_1"), id="pause"),
        pytest.param(
            lambda fs: fs.dial_campaigns.upload_data("c_1", [{"phone1": "4165550100"}]),
            id="upload",
        ),
    ],
)
async def test_calls_after_close_raise_a_clear_error(
    call: object, mocked: RecordingMock, fake_sleep: FakeSleep
) -> None:
    fs = AsyncFreestyle(API_KEY, base_url=BASE_URL, retry_policy=RetryPolicy(sleep=fake_sleep))
    await fs.aclose()
    with pytest.raises(FreestyleError, match="closed") as info:
        await call(fs)  # type: ignore[operator]
    assert "AsyncFreestyle" in str(info.value)  # says what to do
    assert mocked.sent == []
    assert fake_sleep.waits == []  # not mistaken for a transient failure


async def test_iterating_after_close_raises(mocked: RecordingMock) -> None:
    fs = AsyncFreestyle(API_KEY, base_url=BASE_URL)
    paginator = fs.dial_campaigns.list()
    await fs.aclose()
    with pytest.raises(FreestyleError, match="closed"):
        async for _ in paginator:
            pass
    assert mocked.sent == []


@pytest.mark.parametrize(
    "kwargs",
    [
        pytest.param({"max_retries": -1}, id="negative-retries"),
        pytest.param({"max_retries": 1.5}, id="float-retries"),
        pytest.param({"max_retries": True}, id="bool-retries"),
        pytest.param({"timeout": 0}, id="zero-timeout"),
        pytest.param({"timeout": -1}, id="negative-timeout"),
        pytest.param({"timeout": "30"}, id="string-timeout"),
        pytest.param({"max_connections": 0}, id="no-connections"),
        pytest.param({"max_response_bytes": 0}, id="no-bytes"),
    ],
)
async def test_bad_options_refused(kwargs: dict[str, object], mocked: RecordingMock) -> None:
    with pytest.raises(ValidationError):
        AsyncFreestyle(API_KEY, base_url=BASE_URL, **kwargs)  # type: ignore[arg-type]
    if "max_connections" not in kwargs and "max_response_bytes" not in kwargs:
        async with AsyncFreestyle(API_KEY, base_url=BASE_URL) as fs:
            with pytest.raises(ValidationError):
                fs.with_options(**kwargs)  # type: ignore[arg-type]
            with pytest.raises(ValidationError):
                await fs.account.get(**kwargs)  # type: ignore[arg-type]
    assert mocked.sent == []


async def test_with_options_checks_max_response_bytes_as_the_constructor_does(
    make_client: ClientFactory, mocked: RecordingMock
) -> None:
    fs = make_client()
    with pytest.raises(ValidationError, match="max_response_bytes must be positive, got 0"):
        fs.with_options(max_response_bytes=0)
    assert fs.with_options(max_response_bytes=10)._config.max_response_bytes == 10
    assert mocked.sent == []
