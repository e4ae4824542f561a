"""Every error status the API documents, produced by the emulator and raised by the SDK as
the matching exception; none of them is retried."""

from __future__ import annotations

import logging

import pytest

from freestyle_async import (
    APIError,
    AsyncFreestyle,
    AuthenticationError,
    BadRequestError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from freestyle_async.testing import Emulator

from ._support import CAMPAIGN_CALLS, ENDPOINT_CALLS, client_for

BAD_KEY = "ft_" + "0" * 64


# Also run on uvloop's event loop in CI (pytest -m uvloop --uvloop, tests/conftest.py).
pytestmark = pytest.mark.uvloop


def leaked(secret: str, *texts: object) -> bool:
    """Whether ``secret`` shows in any of ``texts`` (kept out of assertion messages)."""
    return any(secret in str(text) for text in texts)


def assert_error_hides(exc: APIError, secret: str) -> None:
    found = leaked(secret, exc, repr(exc), exc.message, exc.body, exc.args)
    assert not found, "the API key appears in the exception"


@pytest.mark.parametrize("name", list(ENDPOINT_CALLS))
async def test_bad_key_is_authentication_error(name: str, emu: Emulator) -> None:
    dial, sms = emu.campaign_ids()[0], emu.sms_campaign_ids()[0]
    async with client_for(emu, BAD_KEY) as fs:
        with pytest.raises(AuthenticationError) as info:
            await ENDPOINT_CALLS[name](fs, dial, sms)
    err = info.value
    assert (err.status, err.code) == (401, "unauthorized")
    assert err.message and err.request_id and err.request_id.startswith("req_")
    assert_error_hides(err, BAD_KEY)
    assert emu.counters.requests == 1  # a 401 is not retried
    assert emu.counters.records_received == 0


@pytest.mark.parametrize("name", list(ENDPOINT_CALLS))
async def test_disabled_key_is_permission_denied(name: str, emu: Emulator) -> None:
    dial, sms = emu.campaign_ids()[0], emu.sms_campaign_ids()[0]
    async with client_for(emu, emu.disabled_api_key) as fs:
        with pytest.raises(PermissionDeniedError) as info:
            await ENDPOINT_CALLS[name](fs, dial, sms)
    err = info.value
    assert (err.status, err.code) == (403, "api_disabled")
    assert "disabled" in err.message
    assert_error_hides(err, emu.disabled_api_key)
    assert emu.counters.requests == 1


@pytest.mark.parametrize("name", list(CAMPAIGN_CALLS))
async def test_other_accounts_campaign_is_not_found(
    name: str, emu: Emulator, fs: AsyncFreestyle
) -> None:
    other = emu.other_api_key
    dial, sms = emu.campaign_ids(other)[0], emu.sms_campaign_ids(other)[0]
    with pytest.raises(NotFoundError) as info:
        await CAMPAIGN_CALLS[name](fs, dial, sms)
    assert (info.value.status, info.value.code) == (404, "not_found")
    assert emu.counters.requests == 1
    # ... and the other account can use it: the 404 is about ownership, not existence.
    async with client_for(emu, other) as owner:
        assert await CAMPAIGN_CALLS[name](owner, dial, sms) is not None


async def test_unknown_campaign_is_not_found(fs: AsyncFreestyle) -> None:
    with pytest.raises(NotFoundError):
        await fs.dial_campaigns.results_summary("c_00000000-0000-4000-8000-000000000000")
    with pytest.raises(NotFoundError):
        await fs.sms_campaigns.get("sc_00000000-0000-4000-8000-000000000000")


async def test_upload_to_another_accounts_campaign_stores_nothing(
    emu: Emulator, fs: AsyncFreestyle
) -> None:
    target = emu.campaign_ids(emu.other_api_key)[0]
    with pytest.raises(NotFoundError):
        await fs.dial_campaigns.upload_data(target, [{"phone1": "4165550100"}])
    assert emu.stored_records(target) == []


# ---------------------------------------------------------------------------- 400 from the server


async def test_message_status_is_passed_through_and_checked_by_the_server(
    emu: Emulator, fs: AsyncFreestyle
) -> None:
    # The SDK passes messages' ``status`` through (Twilio has more statuses than the
    # reference lists), so the server is the one to refuse a value it does not know.
    cid = emu.sms_campaign_ids()[0]
    with pytest.raises(BadRequestError) as info:
        await fs.sms_campaigns.list_messages(cid, status="teleported").first_page()
    err = info.value
    assert (err.status, err.code) == (400, "invalid_parameter")
    assert "status" in err.message
    assert emu.counters.requests == 1  # a 400 is not retried
    assert emu.counters.by_status == {400: 1}


@pytest.mark.parametrize(
    ("path", "query", "parameter"),
    [
        ("/dial-campaigns", "per_page=101", "per_page"),
        ("/dial-campaigns", "page=0", "page"),
        ("/dial-campaigns", "status=archived", "status"),
        ("/sms-campaigns", "status=paused", "status"),
        ("/billing", "from=2026-13-01", "from"),
        ("/billing", "from=2026-05-02&to=2026-05-01", "from"),
    ],
)
async def test_bad_query_parameters_the_sdk_would_refuse(
    path: str, query: str, parameter: str, emu: Emulator, fs: AsyncFreestyle
) -> None:
    # The SDK checks these before sending; going under it shows the server checks them too
    # and that its 400 maps to BadRequestError.
    with pytest.raises(BadRequestError) as info:
        await fs._request("GET", path, query=query)
    assert info.value.code == "invalid_parameter"
    assert parameter in info.value.message
    assert emu.counters.by_status == {400: 1}


async def test_the_sdk_refuses_the_same_values_before_sending(
    emu: Emulator, fs: AsyncFreestyle
) -> None:
    with pytest.raises(ValidationError):
        fs.dial_campaigns.list(per_page=101)
    with pytest.raises(ValidationError):
        fs.dial_campaigns.list(status="archived")
    with pytest.raises(ValidationError):
        await fs.billing.usage(from_="2026-05-02", to="2026-05-01")
    with pytest.raises(ValidationError):
        await fs.dial_campaigns.update_status(emu.campaign_ids()[0], "completed")
    assert emu.counters.requests == 0


async def test_bad_dial_filters_from_the_server(emu: Emulator, fs: AsyncFreestyle) -> None:
    cid = emu.campaign_ids()[0]
    for path, query in (
        (f"/dial-campaigns/{cid}/results", "disposition=six"),
        (f"/dial-campaigns/{cid}/results", "per_page=201"),
        (f"/dial-campaigns/{cid}/activity", "type=x"),
        (f"/dial-campaigns/{cid}/results/summary", "to=yesterday"),
    ):
        with pytest.raises(BadRequestError):
            await fs._request("GET", path, query=query)
    assert emu.counters.by_status == {400: 4}


@pytest.mark.parametrize(
    "body",
    [b'{"status": "completed"}', b'{"status": "running"}', b"{}", b"not json"],
)
async def test_bad_patch_body_is_bad_request(
    body: bytes, emu: Emulator, fs: AsyncFreestyle
) -> None:
    cid = emu.campaign_ids()[0]
    with pytest.raises(BadRequestError) as info:
        await fs._request("PATCH", f"/dial-campaigns/{cid}", body=body)
    assert info.value.code == "invalid_parameter"
    assert emu.counters.requests == 1


async def test_upload_over_1000_records_is_bad_request(emu: Emulator, fs: AsyncFreestyle) -> None:
    # upload_data refuses this client-side; its private request sends a ready body as it is.
    cid = emu.campaign_ids()[0]
    path = f"/dial-campaigns/{cid}/data"
    records = ",".join(f'{{"phone1": "416555{i:04d}"}}' for i in range(1001))
    body = f'{{"records": [{records}]}}'.encode()
    with pytest.raises(BadRequestError) as info:
        await fs.dial_campaigns._upload_encoded(path, body)
    assert "1000" in info.value.message
    assert emu.counters.requests == 1
    assert emu.stored_records(cid) == []
    with pytest.raises(BadRequestError):
        await fs.dial_campaigns._upload_encoded(path, b'{"records": []}')
    with pytest.raises(ValidationError):
        await fs.dial_campaigns.upload_data(cid, [{"phone1": "4165550000"}] * 1001)
    assert emu.counters.requests == 2


# ---------------------------------------------------------------------------- the key stays hidden


async def test_the_key_appears_in_no_error_repr_or_log(
    emu: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="freestyle_async")
    async with client_for(emu) as fs:
        shown = [repr(fs)]
        with pytest.raises(NotFoundError) as info:
            await fs.dial_campaigns.list_activity("c_missing").first_page()
        shown += [repr(info.value), str(info.value), info.value.body]
        await fs.account.get()
    assert caplog.records, "expected the SDK's debug log lines"
    assert not leaked(emu.api_key, caplog.text, *shown), "the API key was shown"
