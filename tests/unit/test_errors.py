"""Error mapping: HTTP statuses to exception classes, and bodies that are not what they should
be to DecodeError."""

from __future__ import annotations

import pytest

from freestyle_async._client import AsyncFreestyle
from freestyle_async.errors import (
    APIError,
    AuthenticationError,
    BadRequestError,
    DecodeError,
    FreestyleError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
)

from . import payloads as p
from .support import BASE_URL, RecordingMock

ACCOUNT_URL = f"{BASE_URL}/account"
CAMPAIGNS_URL = f"{BASE_URL}/dial-campaigns?page=1"

STATUSES = [
    (400, BadRequestError, "invalid_parameter", "status must be one of active, paused."),
    (401, AuthenticationError, "unauthorized", "Invalid or missing API key."),
    (403, PermissionDeniedError, "api_disabled", "API access is disabled for this account."),
    (404, NotFoundError, "not_found", "The requested resource was not found."),
    (429, RateLimitError, "rate_limited", "Too many requests."),
    (500, ServerError, "server_error", "An unexpected server-side error occurred."),
    (502, ServerError, "server_error", "Upstream failed."),
    (503, ServerError, "server_error", "Down for maintenance."),
]


@pytest.mark.parametrize(
    ("status", "cls", "code", "message"), STATUSES, ids=[str(s[0]) for s in STATUSES]
)
async def test_status_maps_to_its_class(
    status: int,
    cls: type[APIError],
    code: str,
    message: str,
    client: AsyncFreestyle,
    mocked: RecordingMock,
) -> None:
    body = {"error": {"code": code, "message": message}}
    mocked.get(ACCOUNT_URL, status=status, payload=body, headers={"X-Request-Id": "req_8f3a"})

    with pytest.raises(APIError) as info:
        await client.account.get(max_retries=0)

    exc = info.value
    assert type(exc) is cls
    assert isinstance(exc, FreestyleError)
    assert exc.status == status
    assert exc.code == code
    assert exc.message == message
    assert exc.request_id == "req_8f3a"
    assert exc.body == body
    assert str(exc) == f"HTTP {status} {code}: {message} (request id req_8f3a)"


async def test_other_4xx_is_a_plain_api_error(
    client: AsyncFreestyle, mocked: RecordingMock
) -> None:
    mocked.get(ACCOUNT_URL, status=409, payload={"error": {"code": "conflict", "message": "No."}})
    with pytest.raises(APIError) as info:
        await client.account.get()
    assert type(info.value) is APIError
    assert (info.value.status, info.value.code, info.value.request_id) == (409, "conflict", None)
    assert len(mocked.sent) == 1


async def test_html_502_from_a_proxy(client: AsyncFreestyle, mocked: RecordingMock) -> None:
    html = (
        "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
        "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
        "</body>\r\n</html>\r\n"
    )
    mocked.get(ACCOUNT_URL, status=502, body=html, content_type="text/html")

    with pytest.raises(ServerError) as info:
        await client.account.get(max_retries=0)

    exc = info.value
    assert exc.status == 502
    assert exc.code is None
    assert exc.body == html
    assert "Bad Gateway" in exc.message
    assert "GET /account" in exc.message
    assert "nginx" in exc.message
    for markup in ("<", ">", "\r", "\n"):
        assert markup not in exc.message
        assert markup not in str(exc)


@pytest.mark.parametrize(
    ("status", "body", "cls"),
    [
        pytest.param(404, "", NotFoundError, id="404-empty"),
        pytest.param(500, "Internal Server Error", ServerError, id="500-text"),
        pytest.param(400, '{"detail": "bad"}', BadRequestError, id="400-other-json"),
        pytest.param(403, '{"error": "api_disabled"}', PermissionDeniedError, id="403-error-str"),
        pytest.param(401, "[1, 2]", AuthenticationError, id="401-json-array"),
    ],
)
async def test_error_body_not_in_the_api_shape(
    status: int, body: str, cls: type[APIError], client: AsyncFreestyle, mocked: RecordingMock
) -> None:
    mocked.get(ACCOUNT_URL, status=status, body=body)
    with pytest.raises(cls) as info:
        await client.account.get(max_retries=0)
    assert info.value.status == status
    assert info.value.code is None
    assert info.value.message  # readable, never empty
    assert "GET /account" in info.value.message


@pytest.mark.parametrize(
    "body",
    [
        pytest.param('{"data": {"id": ', id="truncated"),
        pytest.param("<html>OK</html>", id="html"),
        pytest.param("", id="empty"),
        pytest.param(b"\xff\xfe\x00garbage", id="binary"),
    ],
)
async def test_invalid_json_on_200_is_a_decode_error(
    body: str | bytes, client: AsyncFreestyle, mocked: RecordingMock
) -> None:
    mocked.get(ACCOUNT_URL, status=200, body=body)
    with pytest.raises(DecodeError) as info:
        await client.account.get()
    assert info.value.endpoint == "GET /account"
    assert "GET /account" in str(info.value)
    assert "not JSON" in str(info.value)
    assert len(mocked.sent) == 1  # a bad body is not a reason to retry


@pytest.mark.parametrize(
    ("call", "url", "payload", "endpoint", "path"),
    [
        pytest.param(
            lambda fs: fs.dial_campaigns.list().first_page(),
            CAMPAIGNS_URL,
            {
                "data": [p.DIAL_CAMPAIGN, {**p.DIAL_CAMPAIGN, "created_at": 1715000000}],
                "meta": p.meta(),
            },
            "GET /dial-campaigns",
            "$.data[1].created_at",
            id="timestamp-as-int",
        ),
        pytest.param(
            lambda fs: fs.dial_campaigns.list().first_page(),
            CAMPAIGNS_URL,
            {"data": [{k: v for k, v in p.DIAL_CAMPAIGN.items() if k != "name"}], "meta": p.meta()},
            "GET /dial-campaigns",
            "$.data[0].name",
            id="missing-field",
        ),
        pytest.param(
            lambda fs: fs.dial_campaigns.list().first_page(),
            CAMPAIGNS_URL,
            {"data": [p.DIAL_CAMPAIGN], "meta": p.meta() | {"total_pages": "1"}},
            "GET /dial-campaigns",
            "$.meta.total_pages",
            id="meta-int-as-string",
        ),
        pytest.param(
            lambda fs: fs.account.get(),
            ACCOUNT_URL,
            {"data": {**p.ACCOUNT, "contacts": {"primary": {"email": 5}}}},
            "GET /account",
            "$.data.contacts.primary.email",
            id="nested",
        ),
        pytest.param(
            lambda fs: fs.account.get(),
            ACCOUNT_URL,
            {"account": p.ACCOUNT},
            "GET /account",
            "$.data",
            id="no-data-member",  # the message says: "a JSON object with a 'data' member"
        ),
        pytest.param(
            lambda fs: fs.account.phone_numbers(),
            f"{BASE_URL}/account/phone-numbers",
            {"data": {"phone_number_id": 1}},
            "GET /account/phone-numbers",
            "$.data",
            id="object-for-array",
        ),
        pytest.param(
            lambda fs: fs.sms_campaigns.list_messages("sc_1").first_page(),
            f"{BASE_URL}/sms-campaigns/sc_1/messages?page=1",
            {"data": [], "meta": p.meta(), "summary": {**p.MESSAGE_SUMMARY, "total_cost": "lots"}},
            "GET /sms-campaigns/{id}/messages",
            "$.summary.total_cost",
            id="money-not-a-number",
        ),
        pytest.param(
            lambda fs: fs.billing.usage(),
            f"{BASE_URL}/billing",
            {"data": [{**p.BILLING["data"][0], "cost": True}], "summary": p.BILLING["summary"]},
            "GET /billing",
            "$.data[0].cost",
            id="money-bool",
        ),
        pytest.param(
            lambda fs: fs.dial_campaigns.results_summary("c_1"),
            f"{BASE_URL}/dial-campaigns/c_1/results/summary",
            {"data": {**p.RESULTS_SUMMARY, "last_call_at": "yesterday"}},
            "GET /dial-campaigns/{id}/results/summary",
            "$.data.last_call_at",
            id="bad-timestamp-string",
        ),
        pytest.param(
            lambda fs: fs.billing.usage(),
            f"{BASE_URL}/billing",
            {"data": [], "summary": {**p.BILLING["summary"], "date_range": {"from": "May 1st"}}},
            "GET /billing",
            "$.summary.date_range.from",  # the JSON key, not the Python attribute from_
            id="renamed-field",
        ),
    ],
)
async def test_wrong_shape_names_endpoint_and_field(
    call: object,
    url: str,
    payload: object,
    endpoint: str,
    path: str,
    client: AsyncFreestyle,
    mocked: RecordingMock,
) -> None:
    mocked.get(url, payload=payload)
    with pytest.raises(DecodeError) as info:
        await call(client)  # type: ignore[operator]
    exc = info.value
    assert exc.endpoint == endpoint
    assert exc.path == path
    assert endpoint in str(exc)
    # a missing envelope is named in words ("a JSON object with a 'data' member")
    assert path in str(exc) or (path == "$.data" and "'data' member" in str(exc))
    # one clear error: no cattrs/KeyError chain in the traceback
    assert exc.__cause__ is None
    assert exc.__context__ is None or exc.__suppress_context__


@pytest.mark.parametrize(
    ("date_range", "path"),
    [
        pytest.param({"from": "a.from_ b"}, "$.summary.date_range.from", id="renamed-field"),
        pytest.param({"from": None, "to": "a.from_ b"}, "$.summary.date_range.to", id="other"),
    ],
)
async def test_rename_fixes_the_path_not_the_servers_value(
    date_range: dict[str, str | None], path: str, client: AsyncFreestyle, mocked: RecordingMock
) -> None:
    payload = {"data": [], "summary": {**p.BILLING["summary"], "date_range": date_range}}
    mocked.get(f"{BASE_URL}/billing", payload=payload)
    with pytest.raises(DecodeError) as info:
        await client.billing.usage()
    exc = info.value
    assert exc.path == path
    assert str(exc).endswith(f"'a.from_ b' @ {path}")  # the value quoted as the server sent it
