"""Every option of both clients is checked when it is given: a wrong type or a value out of
range is a ValidationError naming the option, from the constructor, ``with_options``, the
option records (``Timeout``, ``RetryPolicy``, ``RetryBudget``) and a call's ``timeout=`` and
``max_retries=``; never a raw TypeError then, nor a raw error at call time later."""

from __future__ import annotations

import math
import re
import time
from typing import Any, Final

import aiohttp
import attrs
import pytest

from freestyle_async import RetryBudget
from freestyle_async._client import AsyncFreestyle
from freestyle_async._client_options import ClientOptions
from freestyle_async._config import Timeout
from freestyle_async._retry import RetryPolicy
from freestyle_async.errors import ValidationError
from freestyle_async.sync import Freestyle

from .support import API_KEY, BASE_URL, RecordingMock

#: Bad values of each option (a wrong type, then values out of range), by option name.
BAD_OPTIONS: Final[dict[str, list[Any]]] = {
    "api_key": [123, b"ft_0123456789"],
    "base_url": [123, "https://h\u200b/v1", "https://api.example.com\u2060/v1", "https://h/v1\x85"],
    "timeout": ["5", [1], True, math.inf, -math.inf, math.nan, 0, -1, 10**400],
    "max_retries": ["2", 2.0, True, None, -1],
    "retry_policy": ["x", None, RetryBudget()],
    "session": ["x", object()],
    "max_connections": ["10", 2.5, 1.0, True, None, 0, -1],
    "ssl_context": ["x", True],
    "max_response_bytes": ["1000", 1.5, True, None, 0],
    "retry_budget": ["x", 10, "x" * 10_000],
    "max_requests_per_second": ["5", True, math.nan, math.inf, 0, -1, 10**400, "z" * 5_000],
    "max_concurrency": ["2", 2.5, True, 0],
    "on_request": ["x"],
    "on_response": [1],
    "on_retry": ["x"],
    "proxy": [123, "ftp://proxy:21", "http://pro\u200bxy:3128"],
    "trust_env": ["yes", 1, None, "y" * 5_000],
    "trace_configs": ["x", [1], aiohttp.TraceConfig()],
    "default_headers": [[("X-A", "b")], {"X-A": 1}],
    "default_query": ["x", {"a": [1]}],
}

#: Bad values of the fields of the option records, by record and field.
BAD_FIELDS: Final[dict[tuple[type, str], list[Any]]] = {
    (Timeout, "total"): ["5", True, math.inf, math.nan, 0, -1],
    (Timeout, "connect"): [[1], math.inf, 0],
    (Timeout, "read"): ["30", math.inf, -0.5],
    (RetryPolicy, "initial_backoff"): ["x", True, math.inf, math.nan, -1],
    (RetryPolicy, "max_backoff"): ["8", math.inf, -1],
    (RetryPolicy, "max_retry_after"): [None, math.inf, -1, 10**400],
    (RetryPolicy, "sleep"): ["x", None, time.sleep],
    (RetryBudget, "max_tokens"): ["x", True, math.inf, -1, 10**400, "x" * 10_000],
    (RetryBudget, "refund"): [None, math.nan, -0.1],
}

#: ``with_options`` takes the options a copy does not share with its client.
COPY_OPTIONS: Final = [
    name
    for name in BAD_OPTIONS
    if not attrs.fields_dict(ClientOptions)[name].metadata.get("shared")
]


def _cases(table: dict[Any, list[Any]]) -> list[Any]:
    return [
        pytest.param(
            key, value, id=f"{key if isinstance(key, str) else _label(key)}={_label(value)}"
        )
        for key, values in table.items()
        for value in values
    ]


def _label(value: object) -> str:
    """A stable test id: no memory address, no 400-digit number."""
    if isinstance(value, tuple):
        return f"{value[0].__name__}.{value[1]}"
    if isinstance(value, str | bytes | float | list | dict | type(None)):
        return repr(value)[:40]
    if isinstance(value, int):
        return repr(value) if value.bit_length() < 64 else "huge-int"
    return type(value).__name__


def _assert_names(info: pytest.ExceptionInfo[ValidationError], name: str) -> None:
    """The message names the option (``timeout`` may be named as ``Timeout.total``) and never
    shows the key."""
    message = str(info.value)
    assert re.search(re.escape(name), message, re.IGNORECASE), message
    assert API_KEY not in message
    assert len(message) < 400, message  # a huge value is shortened, not echoed


def _options(name: str, value: Any) -> dict[str, Any]:
    options = {"api_key": API_KEY, "base_url": BASE_URL, name: value}
    return options


def test_the_table_covers_every_option() -> None:
    assert set(BAD_OPTIONS) == {f.name for f in attrs.fields(ClientOptions)}


@pytest.mark.parametrize(("name", "value"), _cases(BAD_OPTIONS))
async def test_async_constructor_refuses_a_bad_option_naming_it(
    name: str, value: Any, mocked: RecordingMock
) -> None:
    with pytest.raises(ValidationError) as info:
        AsyncFreestyle(**_options(name, value))
    _assert_names(info, name)
    assert mocked.sent == []


@pytest.mark.parametrize(("name", "value"), _cases(BAD_OPTIONS))
def test_sync_constructor_refuses_a_bad_option_naming_it(name: str, value: Any) -> None:
    with pytest.raises(ValidationError) as info:
        Freestyle(**_options(name, value))
    _assert_names(info, name)


@pytest.mark.parametrize(
    ("name", "value"), _cases({name: BAD_OPTIONS[name] for name in COPY_OPTIONS})
)
async def test_with_options_refuses_a_bad_option_naming_it(
    name: str, value: Any, mocked: RecordingMock
) -> None:
    async with AsyncFreestyle(API_KEY, base_url=BASE_URL) as fs:
        with pytest.raises(ValidationError) as info:
            fs.with_options(**{name: value})
        _assert_names(info, name)
    sync = Freestyle(API_KEY, base_url=BASE_URL)
    try:
        with pytest.raises(ValidationError) as info:
            sync.with_options(**{name: value})
        _assert_names(info, name)
    finally:
        sync.close()
    assert mocked.sent == []


@pytest.mark.parametrize(("record_field", "value"), _cases(BAD_FIELDS))
def test_option_records_refuse_a_bad_field_naming_it(
    record_field: tuple[type, str], value: Any
) -> None:
    record, field = record_field
    with pytest.raises(ValidationError) as info:
        record(**{field: value})
    _assert_names(info, f"{record.__name__}.{field}")


@pytest.mark.parametrize(
    ("name", "value"),
    _cases({"timeout": BAD_OPTIONS["timeout"], "max_retries": BAD_OPTIONS["max_retries"]}),
)
async def test_a_call_refuses_a_bad_timeout_or_max_retries_naming_it(
    name: str, value: Any, mocked: RecordingMock
) -> None:
    async with AsyncFreestyle(API_KEY, base_url=BASE_URL) as fs:
        with pytest.raises(ValidationError) as info:
            await fs.account.get(**{name: value})
        _assert_names(info, name)
    assert mocked.sent == []


def test_a_sync_call_refuses_a_bad_timeout_or_max_retries_naming_them(
    mocked: RecordingMock,
) -> None:
    with Freestyle(API_KEY, base_url=BASE_URL) as fs:
        for name in ("timeout", "max_retries"):
            for value in BAD_OPTIONS[name]:
                with pytest.raises(ValidationError) as info:
                    fs.account.get(**{name: value})
                _assert_names(info, name)
    assert mocked.sent == []


def test_an_infinite_timeout_says_none_means_no_limit() -> None:
    for make in (AsyncFreestyle, Freestyle):
        with pytest.raises(ValidationError, match=r"finite.*pass None for no limit"):
            make(API_KEY, base_url=BASE_URL, timeout=math.inf)
    with pytest.raises(ValidationError, match=r"finite.*pass None for no limit"):
        Timeout(read=math.inf)
    # None is the way to say it, and stays accepted.
    assert Timeout.coerce(None) == Timeout(total=None, connect=None, read=None)


def test_an_invisible_character_in_the_base_url_is_named() -> None:
    with pytest.raises(ValidationError, match=r"U\+200B ZERO WIDTH SPACE"):
        AsyncFreestyle(API_KEY, base_url="https://api\u200b.example.com/v1")


def test_a_long_bad_value_is_shortened_in_the_message() -> None:
    with pytest.raises(ValidationError) as info:
        AsyncFreestyle(API_KEY, base_url=BASE_URL, max_connections="9" * 5000)
    assert len(str(info.value)) < 200


async def test_with_raw_response_refuses_a_non_callable(mocked: RecordingMock) -> None:
    async with AsyncFreestyle(API_KEY, base_url=BASE_URL) as fs:
        with pytest.raises(ValidationError, match="with_raw_response takes a client method"):
            fs.with_raw_response(fs.account)  # type: ignore[arg-type]
    with (
        Freestyle(API_KEY, base_url=BASE_URL) as sync,
        pytest.raises(ValidationError, match="with_raw_response takes a client method"),
    ):
        sync.with_raw_response("account.get")  # type: ignore[arg-type]
    assert mocked.sent == []


async def test_a_sleep_that_is_not_async_is_refused_at_the_first_retry(
    mocked: RecordingMock,
) -> None:
    """A Python function may return a coroutine without being async, so it passes the
    policy's check; one that returns None is refused when the first retry waits."""
    waited: list[float] = []

    def blocking(seconds: float) -> None:  # as time.sleep would, without the wait
        waited.append(seconds)

    mocked.get(f"{BASE_URL}/account", status=503, repeat=True)
    policy = RetryPolicy(sleep=blocking, initial_backoff=0.01)  # type: ignore[arg-type]
    async with AsyncFreestyle(API_KEY, base_url=BASE_URL, retry_policy=policy) as client:
        with pytest.raises(ValidationError, match=r"RetryPolicy\.sleep must be an async"):
            await client.account.get()
    assert len(waited) == 1


def test_an_option_whose_repr_raises_is_still_refused_clearly() -> None:
    class Hostile:
        def __repr__(self) -> str:
            raise RuntimeError("no repr")

    for name in ("retry_budget", "trace_configs", "trust_env"):
        with pytest.raises(ValidationError) as info:
            AsyncFreestyle(API_KEY, base_url=BASE_URL, **{name: Hostile()})
        _assert_names(info, name)
