"""Property: whatever JSON comes back, each model's decoder returns the model or raises
DecodeError, never another exception.

Two sources of payloads: any JSON value (with keys biased towards the models' field names so
the decoders get past the first field), and valid reference payloads mutated a few times
(a key dropped, a value of another type, a null, a value wrapped in a list...).
"""

from __future__ import annotations

import copy
import typing
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from freestyle_async import models
from freestyle_async._convert import decode, decode_data
from freestyle_async.errors import DecodeError
from freestyle_async.models import (
    Account,
    AccountContact,
    AccountContacts,
    ActivityEvent,
    ActivityKind,
    BillingSummary,
    BillingUsage,
    CallResult,
    CampaignUsage,
    DateRange,
    DialCampaign,
    Disposition,
    DispositionCount,
    Location,
    MessageSummary,
    Page,
    PageMeta,
    PhoneNumber,
    PhoneNumberType,
    ResultsSummary,
    SmsCampaign,
    SmsMessage,
    SmsRun,
    UploadSummary,
)

from . import payloads as p

ENDPOINT = "GET /property"
PROPERTY_SETTINGS = settings(
    max_examples=25,
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=False,
    suppress_health_check=[HealthCheck.too_slow],
)

# Each decodable type and a valid payload for it, shaped like the reference.
VALID: dict[Any, Any] = {
    DialCampaign: p.DIAL_CAMPAIGN,
    Disposition: p.CALL_RESULT["disposition"],
    CallResult: p.CALL_RESULT,
    DispositionCount: p.RESULTS_SUMMARY["dispositions"][0],
    DateRange: p.RESULTS_SUMMARY["date_range"],
    ResultsSummary: p.RESULTS_SUMMARY,
    ActivityKind: p.ACTIVITY[0]["type"],
    ActivityEvent: p.ACTIVITY[0],
    UploadSummary: p.UPLOAD_RESPONSE["data"],
    SmsCampaign: p.SMS_CAMPAIGN_FULL,
    SmsRun: p.SMS_RUNS[1],
    SmsMessage: p.SMS_MESSAGES[1],
    MessageSummary: p.MESSAGE_SUMMARY,
    CampaignUsage: p.BILLING["data"][0],
    BillingSummary: p.BILLING["summary"],
    BillingUsage: p.BILLING,
    Account: p.ACCOUNT,
    AccountContacts: p.ACCOUNT["contacts"],
    AccountContact: p.ACCOUNT["contacts"]["primary"],
    Location: p.ACCOUNT["location"],
    PhoneNumber: p.PHONE_NUMBERS["data"][0],
    PhoneNumberType: p.PHONE_NUMBERS["data"][0]["type"],
    PageMeta: p.meta(),
    list[PhoneNumber]: p.PHONE_NUMBERS["data"],
    Page[DialCampaign]: {"data": [p.DIAL_CAMPAIGN, p.DIAL_CAMPAIGN_2], "meta": p.meta()},
    Page[CallResult]: {"data": [p.CALL_RESULT, p.CALL_RESULT_NO_ANSWER], "meta": p.meta()},
    Page[ActivityEvent]: {"data": p.ACTIVITY, "meta": p.meta(total=4)},
    Page[SmsCampaign]: {"data": [p.SMS_CAMPAIGN, p.SMS_CAMPAIGN_2], "meta": p.meta()},
    Page[SmsRun]: {"data": p.SMS_RUNS, "meta": p.meta()},
    Page[SmsMessage]: {
        "data": p.SMS_MESSAGES,
        "meta": p.meta(total=3),
        "summary": p.MESSAGE_SUMMARY,
    },
}
TARGETS = list(VALID)
TARGET_IDS = [
    str(t).replace("freestyle_async.", "") if not isinstance(t, type) else t.__name__
    for t in TARGETS
]


def test_every_response_model_is_covered() -> None:
    """A model added later must join these properties (Contact is sent, never decoded)."""
    model_classes = {
        obj
        for name in models.__all__
        if isinstance(obj := getattr(models, name), type) and attrs.has(obj)
    }
    covered = {typing.get_origin(t) or t for t in TARGETS}
    assert model_classes - covered == {models.Contact}


@pytest.mark.parametrize("target", TARGETS, ids=TARGET_IDS)
def test_valid_payloads_decode(target: Any) -> None:
    assert_decoded(decode(VALID[target], target, ENDPOINT), target)
    assert_decoded(decode_data({"data": VALID[target]}, target, ENDPOINT), target)


# ------------------------------------------------------------------------------ strategies
FIELD_NAMES = sorted(
    {
        a.name
        for cls in vars(models).values()
        if isinstance(cls, type) and attrs.has(cls)
        for a in attrs.fields(cls)
    }
    | {"from", "data", "meta", "summary"}
)
KEYS = st.sampled_from(FIELD_NAMES) | st.text(max_size=8)
# Strings that get past the first check of a hook: timestamps, dates, enum values, numbers.
LIKELY_STRINGS = st.sampled_from(
    [
        "2026-05-01T09:10:00Z",
        "2026-05-01T09:10:00+05:30",
        "2026-05-01",
        "2026-02-30",
        "2026-05-01T25:00:00Z",
        "active",
        "sent",
        "completed",
        "12.34",
        "NaN",
        "-Infinity",
        "1e999999",
        "",
        "null",
    ]
)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats()
    | st.text(max_size=12)
    | LIKELY_STRINGS
)
JSON = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(KEYS, children, max_size=8),
    max_leaves=24,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every path to a value inside ``value`` (the root itself included)."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*prefix, index))


def _json_type(value: Any) -> str:
    return "number" if type(value) in (int, float) else type(value).__name__


def json_not_of_type(json_type: str) -> st.SearchStrategy[Any]:
    return JSON.filter(lambda value: _json_type(value) != json_type)


@st.composite
def mutated(draw: st.DrawFn, valid: Any) -> Any:
    """``valid`` with one to three mutations at random places."""
    root = {"root": copy.deepcopy(valid)}
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        path = ("root", *draw(st.sampled_from(list(_paths(root["root"])))))
        parent: Any = root
        for step in path[:-1]:
            parent = parent[step]
        key = path[-1]
        old_type = _json_type(parent[key])
        operation = draw(st.sampled_from(["drop", "retype", "null", "wrap", "stringify"]))
        if operation == "drop" and key != "root":
            del parent[key]
        elif operation == "retype":
            parent[key] = draw(json_not_of_type(old_type))
        elif operation == "null":
            parent[key] = None
        elif operation == "wrap":
            parent[key] = [parent[key]]
        elif isinstance(parent[key], str):
            parent[key] = draw(st.integers())
        else:
            parent[key] = str(parent[key])
    return root["root"]


# ---------------------------------------------------------------------------- the property
def assert_decoded(result: Any, target: Any) -> None:
    origin = typing.get_origin(target)
    if origin is list:
        (item_type,) = typing.get_args(target)
        assert isinstance(result, list)
        assert all(isinstance(item, item_type) for item in result)
    elif origin is Page:
        (item_type,) = typing.get_args(target)
        assert isinstance(result, Page)
        assert isinstance(result.meta, PageMeta)
        assert all(isinstance(item, item_type) for item in result.data)
    else:
        assert isinstance(result, target)


def decodes_or_raises_decode_error(payload: Any, target: Any) -> None:
    attempts: list[Callable[[], Any]] = [
        lambda: decode(payload, target, ENDPOINT),
        lambda: decode_data({"data": payload}, target, ENDPOINT),
        lambda: decode_data(payload, target, ENDPOINT),
    ]
    for attempt in attempts:
        try:
            result = attempt()
        except DecodeError as exc:
            assert exc.endpoint == ENDPOINT
            assert exc.path is None or exc.path.startswith("$")
            assert str(exc).startswith(ENDPOINT)
        else:
            assert_decoded(result, target)


@pytest.mark.parametrize("target", TARGETS, ids=TARGET_IDS)
@PROPERTY_SETTINGS
@given(payload=JSON)
def test_any_json_value_gives_the_model_or_decode_error(target: Any, payload: Any) -> None:
    decodes_or_raises_decode_error(payload, target)


@pytest.mark.parametrize("target", TARGETS, ids=TARGET_IDS)
@PROPERTY_SETTINGS
@given(data=st.data())
def test_near_valid_payload_gives_the_model_or_decode_error(
    target: Any, data: st.DataObject
) -> None:
    payload = data.draw(mutated(VALID[target]), label="payload")
    decodes_or_raises_decode_error(payload, target)
