"""The key stays secret, the base URL stays HTTPS, ids cannot change the path, and unsafe keys
are refused before anything is sent."""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote, unquote

import aiohttp
import pytest
from aiohttp import RequestInfo
from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

from freestyle_async import Freestyle
from freestyle_async._client import AsyncFreestyle
from freestyle_async._config import Timeout
from freestyle_async.errors import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    DecodeError,
    FreestyleError,
    NotFoundError,
    ValidationError,
)

from . import payloads as p
from .support import (
    API_KEY,
    BASE_URL,
    ERROR_BODY,
    OTHER_KEY,
    ClientFactory,
    RecordingMock,
    assert_key_sent,
    assert_no_key,
    connector_error,
)

ANY_URL = re.compile(r".*")
ACCOUNT_URL = f"{BASE_URL}/account"


def exception_texts(exc: BaseException) -> list[str]:
    return [str(exc), repr(exc), "".join(traceback.format_exception(exc)), repr(exc.args)]


# ------------------------------------------------------------------ no key in logs or errors
def request_info_with_key() -> RequestInfo:
    headers = CIMultiDictProxy(CIMultiDict({"X-API-Key": API_KEY}))
    return RequestInfo(URL(ACCOUNT_URL), "GET", headers, URL(ACCOUNT_URL))


FAILURES: list[Any] = [
    pytest.param(
        {
            "status": 401,
            "payload": {
                "error": {"code": "unauthorized", "message": "Invalid or missing API key."}
            },
        },
        id="401",
    ),
    pytest.param({"status": 404, "payload": ERROR_BODY}, id="404"),
    pytest.param({"status": 502, "body": "<html>Bad Gateway</html>"}, id="502-html"),
    pytest.param({"status": 200, "body": "{not json"}, id="not-json"),
    pytest.param({"status": 200, "payload": {"data": {"id": 1}}}, id="wrong-shape"),
    pytest.param({"exception": connector_error()}, id="connect-refused"),
    pytest.param({"exception": aiohttp.ServerDisconnectedError()}, id="disconnect"),
    pytest.param({"exception": aiohttp.ClientOSError(104, "Connection reset by peer")}, id="reset"),
    pytest.param({"exception": TimeoutError()}, id="read-timeout"),
    pytest.param(
        {"exception": aiohttp.ClientPayloadError("Response payload is not completed")}, id="payload"
    ),
    # an aiohttp error whose repr() carries the request headers, key included
    pytest.param(
        {
            "exception": aiohttp.ClientResponseError(
                request_info_with_key(), (), status=400, message="bad"
            )
        },
        id="client-response-error",
    ),
]


@pytest.mark.parametrize("failure", FAILURES)
async def test_key_not_in_exception_text(
    failure: dict[str, Any], client: AsyncFreestyle, mocked: RecordingMock
) -> None:
    mocked.get(ACCOUNT_URL, repeat=True, **failure)
    with pytest.raises(FreestyleError) as info:
        await client.account.get()
    for text in exception_texts(info.value):
        assert_no_key(text)


async def test_connection_errors_keep_their_class(
    client: AsyncFreestyle, mocked: RecordingMock
) -> None:
    mocked.get(ACCOUNT_URL, exception=TimeoutError(), repeat=True)
    mocked.get(f"{BASE_URL}/account/phone-numbers", exception=connector_error(), repeat=True)
    with pytest.raises(APITimeoutError):
        await client.account.get(max_retries=0)
    with pytest.raises(APIConnectionError) as info:
        await client.account.phone_numbers(max_retries=0)
    assert "api.freestyleteletech.com:443" in str(info.value)
    assert not info.value.request_sent


async def test_key_in_no_log_record(
    make_client: ClientFactory, mocked: RecordingMock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger, every level
    fs = make_client()
    other = fs.with_options(api_key=OTHER_KEY, max_retries=1)
    errors: list[BaseException] = []

    async def attempt(call: Awaitable[Any]) -> None:
        try:
            await call
        except FreestyleError as exc:
            errors.append(exc)

    mocked.get(ACCOUNT_URL, status=503, payload=ERROR_BODY, headers={"Retry-After": "1"})
    mocked.get(ACCOUNT_URL, payload={"data": p.ACCOUNT})
    await attempt(fs.account.get())
    mocked.get(ACCOUNT_URL, exception=connector_error())
    mocked.get(ACCOUNT_URL, status=401, payload=ERROR_BODY, repeat=True)
    await attempt(other.account.get())
    mocked.patch(re.compile(r".*/dial-campaigns/.*"), exception=aiohttp.ServerDisconnectedError())
    mocked.patch(re.compile(r".*/dial-campaigns/.*"), payload={"data": p.DIAL_CAMPAIGN})
    await attempt(fs.dial_campaigns.start(p.CAMPAIGN_ID))
    mocked.post(re.compile(r".*/data$"), status=500, payload=ERROR_BODY)
    await attempt(fs.dial_campaigns.upload_data(p.CAMPAIGN_ID, [{"phone1": "4165550100"}]))
    mocked.get(
        re.compile(r".*/dial-campaigns\?.*"),
        payload={"data": [p.DIAL_CAMPAIGN], "meta": p.meta(per_page=100, total=1)},
    )
    await attempt(fs.dial_campaigns.list().first_page())
    mocked.get(re.compile(r".*/billing.*"), payload={"data": "nope"})
    await attempt(fs.billing.usage())

    assert len(errors) == 3  # 401, the upload's 500, the billing DecodeError
    assert any(r.name == "freestyle_async" for r in caplog.records), "nothing was logged"
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    for record in caplog.records:
        assert_no_key(formatter.format(record))
        assert_no_key(repr(vars(record)))
    assert_no_key(caplog.text)


async def test_key_not_in_reprs(make_client: ClientFactory) -> None:
    fs = make_client(timeout=Timeout(total=9, connect=2, read=3))
    clone = fs.with_options(timeout=5, max_retries=0)
    other = fs.with_options(api_key=OTHER_KEY)
    objects: list[object] = [
        fs,
        clone,
        other,
        fs.timeout,
        clone.timeout,
        fs._config,  # the RequestConfig that holds the headers
        clone._config,
        other._config,
        fs._transport,
        fs.dial_campaigns,
        fs.dial_campaigns.list(),
        fs.sms_campaigns.list_messages("sc_1"),
    ]
    for obj in objects:
        assert_no_key(repr(obj))
        assert_no_key(str(obj))
    assert f"ft_…{API_KEY[-4:]}" in repr(fs)
    assert f"ft_…{API_KEY[-4:]}" in repr(clone)
    assert f"ft_…{OTHER_KEY[-4:]}" in repr(other)


@pytest.mark.parametrize(
    ("key", "shown"),
    [
        pytest.param("sk_live_" + "9" * 40, "…9999", id="other-prefix"),
        pytest.param("ft_short", "ft_…", id="short-ft"),
        pytest.param("abc123", "…", id="short"),
    ],
)
async def test_reprs_of_other_key_shapes(key: str, shown: str, make_client: ClientFactory) -> None:
    fs = make_client(api_key=key)
    assert f"api_key='{shown}'" in repr(fs)
    secret_part = key.removeprefix("ft_")[: max(0, len(key) - 4)]
    assert secret_part not in repr(fs)


# ------------------------------------------------------------------------------ base URLs
@pytest.mark.parametrize(
    "url",
    [
        "http://example.com",
        "http://example.com/v1",
        "http://localhost.example.com/v1",
        "http://127.0.0.1.nip.io/v1",
        "http://10.0.0.1/v1",
        "http://0.0.0.0:8000/v1",
        "ftp://127.0.0.1/v1",
        "https://",
        "api.freestyleteletech.com/v1",
        "https://api.freestyleteletech.com/v1?debug=1",
    ],
)
async def test_unsafe_base_url_refused(url: str, mocked: RecordingMock) -> None:
    with pytest.raises(ValidationError):
        AsyncFreestyle(API_KEY, base_url=url)
    assert mocked.sent == []


def _construct_everywhere(url: str, make_client: ClientFactory) -> list[Callable[[], object]]:
    """Every way a base URL reaches a client: the constructor, with_options, the
    FREESTYLE_BASE_URL variable (set by the caller's monkeypatch), the sync client."""
    return [
        lambda: AsyncFreestyle(API_KEY, base_url=url),
        lambda: make_client().with_options(base_url=url),
        lambda: AsyncFreestyle(API_KEY),
        lambda: Freestyle(API_KEY, base_url=url),
        lambda: Freestyle(API_KEY),
    ]


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://api.example.com:70000/v1", "Port out of range"),
        ("https://api.example.com:0/v1", "port must be between 1 and 65535"),
        ("https://api.example.com:https/v1", "cannot be parsed"),
        ("https://[::1/v1", "cannot be parsed"),
        ("https://api example.com/v1", "whitespace or a control character"),
        ("https://api.example.com/v1\r\nX-Evil: 1", "whitespace or a control character"),
        ("https://api..example.com/v1", "is not a valid host name"),
        ("https://exa<b>mple.com/v1", "is not a valid host name"),
        ("https://" + "a" * 64 + ".example.com/v1", "is not a valid host name"),
        ("https:/api.example.com/v1", "must start with https://"),
        ("https://api.example.com/v1?", "query or fragment"),
    ],
)
async def test_an_unusable_base_url_is_refused_at_construction(
    url: str,
    problem: str,
    make_client: ClientFactory,
    monkeypatch: pytest.MonkeyPatch,
    mocked: RecordingMock,
) -> None:
    """Before, these passed the constructor and failed at the first call, as a retryable
    connection error (a port above 65535) or a raw library error."""
    monkeypatch.setenv("FREESTYLE_BASE_URL", url)
    for construct in _construct_everywhere(url, make_client):
        with pytest.raises(ValidationError, match=re.escape(problem)):
            construct()
    assert mocked.sent == []


@pytest.mark.parametrize(
    "url",
    [
        "https://admin:hunter2pass@api.example.com/v1",
        "https://hunter2pass@api.example.com/v1",
        "https://admin:hunter2pass@api.example.com:99999/v1",
        "http://admin:hunter2pass@127.0.0.1:8000/v1",
        "https:admin:hunter2pass@api.example.com/v1",
        "https://admin:hunter2:pass@with@at@api.example.com/v1",
    ],
)
async def test_a_base_url_with_credentials_is_refused_without_showing_them(
    url: str, make_client: ClientFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The API authenticates with the key alone: credentials in the URL are a mistake (and a
    password that would end up in reprs and logs), refused rather than silently dropped."""
    monkeypatch.setenv("FREESTYLE_BASE_URL", url)
    for construct in _construct_everywhere(url, make_client):
        with pytest.raises(ValidationError, match=r"holds credentials") as info:
            construct()
        for text in exception_texts(info.value):
            assert "hunter2" not in text and "admin" not in text
        assert "***@" in str(info.value)


async def test_the_env_var_is_named_when_its_url_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FREESTYLE_BASE_URL", "https://api.example.com:70000")
    with pytest.raises(ValidationError, match=r"^FREESTYLE_BASE_URL 'https://api"):
        AsyncFreestyle(API_KEY)


async def test_plain_http_refused_with_a_clear_message(make_client: ClientFactory) -> None:
    with pytest.raises(ValidationError, match="HTTPS only"):
        make_client(base_url="http://example.com")
    with pytest.raises(ValidationError, match="HTTPS only"):
        make_client().with_options(base_url="http://example.com/v1")


@pytest.mark.parametrize(
    "base",
    [
        "http://127.0.0.1:8123/v1",
        "http://127.0.0.1:8123/v1/",
        "http://localhost",
        "http://localhost:9000/v1",
        "http://LOCALHOST:9000/v1",
        "http://[::1]:8080/v1",
        "http://127.0.0.2/v1",
        "https://example.com/v1",
    ],
)
async def test_loopback_http_and_any_https_allowed(
    base: str, make_client: ClientFactory, mocked: RecordingMock
) -> None:
    fs = make_client(base_url=base)
    mocked.get(ANY_URL, payload={"data": p.ACCOUNT})
    await fs.account.get()
    assert mocked.sent[0].url == base.rstrip("/") + "/account"


async def test_env_vars_are_read(monkeypatch: pytest.MonkeyPatch, mocked: RecordingMock) -> None:
    monkeypatch.setenv("FREESTYLE_API_KEY", OTHER_KEY)
    monkeypatch.setenv("FREESTYLE_BASE_URL", "http://127.0.0.1:8123/v1")
    mocked.get("http://127.0.0.1:8123/v1/account", payload={"data": p.ACCOUNT})
    async with AsyncFreestyle() as fs:
        assert fs.base_url == "http://127.0.0.1:8123/v1"
        await fs.account.get()
    assert_key_sent(mocked.sent[0], OTHER_KEY)


async def test_arguments_win_over_env_vars(
    monkeypatch: pytest.MonkeyPatch, mocked: RecordingMock
) -> None:
    monkeypatch.setenv("FREESTYLE_API_KEY", OTHER_KEY)
    monkeypatch.setenv("FREESTYLE_BASE_URL", "http://127.0.0.1:8123/v1")
    mocked.get(ACCOUNT_URL, payload={"data": p.ACCOUNT})
    async with AsyncFreestyle(API_KEY, base_url=BASE_URL) as fs:
        await fs.account.get()
    assert_key_sent(mocked.sent[0], API_KEY)


async def test_unsafe_env_values_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FREESTYLE_API_KEY", API_KEY + "\n")
    with pytest.raises(ValidationError):
        AsyncFreestyle(base_url=BASE_URL)
    monkeypatch.setenv("FREESTYLE_API_KEY", API_KEY)
    monkeypatch.setenv("FREESTYLE_BASE_URL", "http://example.com/v1")
    with pytest.raises(ValidationError):
        AsyncFreestyle()


async def test_missing_key_names_the_env_var() -> None:
    with pytest.raises(ValidationError, match="FREESTYLE_API_KEY"):
        AsyncFreestyle(base_url=BASE_URL)


# ------------------------------------------------------------------------------ unsafe keys
@pytest.mark.parametrize(
    "key",
    [
        pytest.param("", id="empty"),
        pytest.param(API_KEY + "\n", id="trailing-newline"),
        pytest.param(API_KEY + "\r\nX-Evil: 1", id="header-injection"),
        pytest.param(API_KEY[:20] + "\t" + API_KEY[20:], id="tab"),
        pytest.param(API_KEY[:20] + " " + API_KEY[20:], id="space"),
        pytest.param(" " + API_KEY, id="leading-space"),
        pytest.param(API_KEY + "\x00", id="nul"),
        pytest.param(API_KEY + "\x7f", id="del"),
        pytest.param(API_KEY + "\u2028", id="line-separator"),
        pytest.param(API_KEY + "\xa0", id="nbsp"),
    ],
)
async def test_unsafe_key_refused_before_any_request(
    key: str, mocked: RecordingMock, make_client: ClientFactory
) -> None:
    with pytest.raises(ValidationError) as info:
        AsyncFreestyle(key, base_url=BASE_URL)
    for text in exception_texts(info.value):
        assert_no_key(text)
    with pytest.raises(ValidationError):
        make_client().with_options(api_key=key)
    assert mocked.sent == []


@pytest.mark.parametrize("key", ["ft_" + "A" * 64, "ft_" + "0" * 40, "fs-live-key_with.dots~"])
async def test_other_key_shapes_accepted(
    key: str, make_client: ClientFactory, mocked: RecordingMock
) -> None:
    mocked.get(ACCOUNT_URL, payload={"data": p.ACCOUNT})
    await make_client(api_key=key).account.get()
    assert_key_sent(mocked.sent[0], key)


# ------------------------------------------------------------------------ ids stay one segment
IdCall = Callable[[AsyncFreestyle, Any], Awaitable[Any]]
ID_ENDPOINTS: list[tuple[str, IdCall, str, str, str]] = [
    (
        "update_status",
        lambda fs, i: fs.dial_campaigns.update_status(i, "active"),
        "dial-campaigns",
        "",
        "",
    ),
    ("start", lambda fs, i: fs.dial_campaigns.start(i), "dial-campaigns", "", ""),
    ("pause", lambda fs, i: fs.dial_campaigns.pause(i), "dial-campaigns", "", ""),
    (
        "upload_data",
        lambda fs, i: fs.dial_campaigns.upload_data(i, [{"phone1": "4165550100"}]),
        "dial-campaigns",
        "/data",
        "",
    ),
    (
        "list_results",
        lambda fs, i: fs.dial_campaigns.list_results(i).first_page(),
        "dial-campaigns",
        "/results",
        "page=1",
    ),
    (
        "results_summary",
        lambda fs, i: fs.dial_campaigns.results_summary(i),
        "dial-campaigns",
        "/results/summary",
        "",
    ),
    (
        "list_activity",
        lambda fs, i: fs.dial_campaigns.list_activity(i).first_page(),
        "dial-campaigns",
        "/activity",
        "page=1",
    ),
    ("sms.get", lambda fs, i: fs.sms_campaigns.get(i), "sms-campaigns", "", ""),
    (
        "list_runs",
        lambda fs, i: fs.sms_campaigns.list_runs(i).first_page(),
        "sms-campaigns",
        "/runs",
        "page=1",
    ),
    (
        "list_messages",
        lambda fs, i: fs.sms_campaigns.list_messages(i).first_page(),
        "sms-campaigns",
        "/messages",
        "page=1",
    ),
]
HOSTILE_IDS = [
    "../account",
    "c_1?x=1",
    "a/b#c",
    "..%2Faccount",
    "%2e%2e",
    "c_1/../../account",
    "./c_1",
    "c 1",
    "c_1;x=1",
    "..\\account",
    "c_ü",
]


@pytest.mark.parametrize(
    ("name", "call", "collection", "suffix", "query"),
    ID_ENDPOINTS,
    ids=[e[0] for e in ID_ENDPOINTS],
)
@pytest.mark.parametrize("campaign_id", HOSTILE_IDS)
async def test_id_stays_one_encoded_segment(
    name: str,
    call: IdCall,
    collection: str,
    suffix: str,
    query: str,
    campaign_id: str,
    client: AsyncFreestyle,
    mocked: RecordingMock,
) -> None:
    mocked.add(ANY_URL, method="GET", status=404, payload=ERROR_BODY)
    mocked.add(ANY_URL, method="PATCH", status=404, payload=ERROR_BODY)
    mocked.add(ANY_URL, method="POST", status=404, payload=ERROR_BODY)

    with pytest.raises(NotFoundError):
        await call(client, campaign_id)

    (sent,) = mocked.sent
    segment = quote(campaign_id, safe="")
    assert sent.url == f"{BASE_URL}/{collection}/{segment}{suffix}" + (f"?{query}" if query else "")
    wire = sent.wire_url
    assert (wire.scheme, wire.host, wire.port) == ("https", "api.freestyleteletech.com", 443)
    parts = wire.raw_parts
    assert parts[:3] == ("/", "v1", collection)
    assert parts[4:] == tuple(s for s in suffix.split("/") if s)
    assert unquote(parts[3]) == campaign_id
    assert wire.raw_query_string == query
    assert wire.fragment == ""


@pytest.mark.parametrize("campaign_id", HOSTILE_IDS)
async def test_billing_campaign_filter_stays_in_the_query(
    campaign_id: str, client: AsyncFreestyle, mocked: RecordingMock
) -> None:
    mocked.get(
        ANY_URL, payload={"data": [], "summary": {"total_duration_seconds": 0, "total_cost": 0}}
    )
    await client.billing.usage(campaign=campaign_id)
    wire = mocked.sent[0].wire_url
    assert wire.raw_path == "/v1/billing"
    assert dict(wire.query) == {"campaign": campaign_id}
    assert wire.fragment == ""


@pytest.mark.parametrize(
    ("name", "call", "collection", "suffix", "query"),
    ID_ENDPOINTS,
    ids=[e[0] for e in ID_ENDPOINTS],
)
@pytest.mark.parametrize("campaign_id", ["", ".", "..", " ", " .. ", None, 42])
async def test_empty_and_dot_ids_refused(
    name: str,
    call: IdCall,
    collection: str,
    suffix: str,
    query: str,
    campaign_id: Any,
    client: AsyncFreestyle,
    mocked: RecordingMock,
) -> None:
    with pytest.raises(ValidationError):
        await call(client, campaign_id)
    assert mocked.sent == []


@pytest.mark.parametrize("campaign_id", ["", ".", ".."])
async def test_billing_dot_campaign_refused(
    campaign_id: str, client: AsyncFreestyle, mocked: RecordingMock
) -> None:
    with pytest.raises(ValidationError):
        await client.billing.usage(campaign=campaign_id)
    assert mocked.sent == []


async def test_no_redirect_is_followed(client: AsyncFreestyle, mocked: RecordingMock) -> None:
    """A redirect could carry the key header to another host: it is an error, not followed."""
    mocked.get(ACCOUNT_URL, status=302, headers={"Location": "https://evil.example/steal"})
    with pytest.raises(FreestyleError):
        await client.account.get()
    assert [s.url for s in mocked.sent] == [ACCOUNT_URL]


async def test_auth_error_message_does_not_echo_the_key(
    client: AsyncFreestyle, mocked: RecordingMock
) -> None:
    mocked.get(ACCOUNT_URL, status=401, body="")
    with pytest.raises(AuthenticationError) as info:
        await client.account.get()
    for text in exception_texts(info.value):
        assert_no_key(text)


async def test_decode_error_text_has_no_key(client: AsyncFreestyle, mocked: RecordingMock) -> None:
    mocked.get(ACCOUNT_URL, payload={"data": {"id": 5}})
    with pytest.raises(DecodeError) as info:
        await client.account.get()
    for text in exception_texts(info.value):
        assert_no_key(text)
