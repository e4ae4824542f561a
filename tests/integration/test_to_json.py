"""to_json() of what the SDK decoded equals the emulator's own JSON, field for field."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any

import aiohttp
import pytest

from freestyle_async import AsyncFreestyle
from freestyle_async.testing import Emulator

pytestmark = pytest.mark.uvloop

Call = Callable[[AsyncFreestyle, str, str], Awaitable[Any]]

# endpoint path (``{dial}``/``{sms}`` filled in), the SDK call, and whether the model is the
# body's ``data`` member (else the whole body: a page, billing).
CASES: dict[str, tuple[str, Call, bool]] = {
    "dial_campaigns.list": (
        "/dial-campaigns",
        lambda fs, dial, sms: fs.dial_campaigns.list().first_page(),
        False,
    ),
    "dial_campaigns.list_results": (
        "/dial-campaigns/{dial}/results",
        lambda fs, dial, sms: fs.dial_campaigns.list_results(dial).first_page(),
        False,
    ),
    "dial_campaigns.results_summary": (
        "/dial-campaigns/{dial}/results/summary",
        lambda fs, dial, sms: fs.dial_campaigns.results_summary(dial),
        True,
    ),
    "dial_campaigns.list_activity": (
        "/dial-campaigns/{dial}/activity",
        lambda fs, dial, sms: fs.dial_campaigns.list_activity(dial).first_page(),
        False,
    ),
    "sms_campaigns.list": (
        "/sms-campaigns",
        lambda fs, dial, sms: fs.sms_campaigns.list().first_page(),
        False,
    ),
    "sms_campaigns.get": (
        "/sms-campaigns/{sms}",
        lambda fs, dial, sms: fs.sms_campaigns.get(sms),
        True,
    ),
    "sms_campaigns.list_runs": (
        "/sms-campaigns/{sms}/runs",
        lambda fs, dial, sms: fs.sms_campaigns.list_runs(sms).first_page(),
        False,
    ),
    "sms_campaigns.list_messages": (
        "/sms-campaigns/{sms}/messages",
        lambda fs, dial, sms: fs.sms_campaigns.list_messages(sms).first_page(),
        False,
    ),
    "billing.usage": ("/billing", lambda fs, dial, sms: fs.billing.usage(), False),
    "account.get": ("/account", lambda fs, dial, sms: fs.account.get(), True),
}


def _exact(text: str | bytes) -> Any:
    return json.loads(text, parse_float=Decimal)


async def _get(emu: Emulator, path: str) -> Any:
    """The emulator's answer to a plain GET, its numbers read exactly."""
    headers = {"X-API-Key": emu.api_key}
    async with (
        aiohttp.ClientSession() as session,
        session.get(emu.base_url + path, headers=headers) as resp,
    ):
        assert resp.status == 200
        return _exact(await resp.read())


def _same_fields(ours: Any, theirs: Any, where: str = "$") -> int:
    """Compare the fields both sides have (the model may add ``null`` optional fields);
    returns how many leaf values were compared."""
    if isinstance(theirs, dict):
        assert isinstance(ours, dict), where
        return sum(_same_fields(ours[k], v, f"{where}.{k}") for k, v in theirs.items())
    if isinstance(theirs, list):
        assert isinstance(ours, list) and len(ours) == len(theirs), where
        return sum(
            _same_fields(o, t, f"{where}[{i}]")
            for i, (o, t) in enumerate(zip(ours, theirs, strict=True))
        )
    assert ours == theirs and type(ours) is type(theirs), (where, ours, theirs)
    return 1


@pytest.mark.parametrize("name", list(CASES))
async def test_to_json_equals_the_servers_json(
    name: str, emu: Emulator, fs: AsyncFreestyle
) -> None:
    path, call, in_data = CASES[name]
    dial, sms = emu.campaign_ids()[0], emu.sms_campaign_ids()[0]
    body = await _get(emu, path.format(dial=dial, sms=sms))
    expected = body["data"] if in_data else body
    model = await call(fs, dial, sms)
    compared = _same_fields(_exact(model.to_json()), expected)
    assert compared >= 3, name  # the comparison saw real data, not an empty object


async def test_phone_numbers_to_json_equals_the_servers_json(
    emu: Emulator, fs: AsyncFreestyle
) -> None:
    expected = (await _get(emu, "/account/phone-numbers"))["data"]
    numbers = await fs.account.phone_numbers()
    assert expected and len(numbers) == len(expected)
    for number, sent in zip(numbers, expected, strict=True):
        _same_fields(_exact(number.to_json()), sent)
