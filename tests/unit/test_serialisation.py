"""to_dict()/to_json() on every model, page and the bulk report: round trips and the wire form."""

from __future__ import annotations

import datetime as dt
import enum
import json
import types
import typing
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import freestyle_async.models as models
from freestyle_async._convert import structure
from freestyle_async.bulk import BulkUploadReport, ChunkResult, RecordIssue
from freestyle_async.errors import FreestyleError
from freestyle_async.models import (
    ActivityEvent,
    ActivityKind,
    ActivityType,
    CallResult,
    CampaignStatus,
    Contact,
    DateRange,
    DialCampaign,
    Page,
    PageMeta,
    SmsMessage,
    UploadSummary,
)

# Every decoded model (Contact is an input: tested on its own below).
MODELS: list[type[Any]] = sorted(
    (
        obj
        for name in models.__all__
        if isinstance(obj := getattr(models, name), type)
        and attrs.has(obj)
        and obj not in (Page, Contact)
    ),
    key=lambda cls: cls.__name__,
)

_offsets = st.integers(min_value=-23 * 60 - 59, max_value=23 * 60 + 59).map(
    lambda minutes: dt.timezone(dt.timedelta(minutes=minutes))
)
_datetimes = st.datetimes(
    min_value=dt.datetime(1971, 1, 1), max_value=dt.datetime(2200, 1, 1), timezones=_offsets
)
# Money with many digits and any exponent (1E+30, 0.000000000000000000123...).
_decimals = st.decimals(allow_nan=False, allow_infinity=False)
_json_leaf = st.none() | st.booleans() | st.integers() | st.text(max_size=10)
_extras = st.dictionaries(
    st.text(max_size=8).filter(lambda k: k not in ("inserted", "skipped", "total_leads")),
    st.recursive(_json_leaf, lambda kids: st.lists(kids, max_size=3), max_leaves=5),
    max_size=3,
)


def _union_args(tp: Any) -> tuple[Any, ...]:
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return typing.get_args(tp)
    return ()


def strategy_for(tp: Any) -> st.SearchStrategy[Any]:
    """Values of a model field's type: unknown enum values and ``None`` included."""
    args = _union_args(tp)
    if args and type(None) in args:
        inner = [a for a in args if a is not type(None)]
        return st.none() | strategy_for(inner[0] if len(inner) == 1 else typing.Union[*inner])
    if args and isinstance(args[0], type) and issubclass(args[0], enum.Enum):
        unknown = st.text(max_size=10) if args[1] is str else st.integers()
        return st.sampled_from(args[0]) | unknown  # unknown values are kept as sent
    if args:  # a contact's open fields (str | date, int | float | Decimal...)
        return st.one_of(*(strategy_for(a) for a in args))
    if typing.get_origin(tp) is list:
        return st.lists(strategy_for(typing.get_args(tp)[0]), max_size=3)
    if typing.get_origin(tp) is Mapping:
        return _extras
    simple: dict[Any, st.SearchStrategy[Any]] = {
        str: st.text(max_size=20),
        int: st.integers(),
        float: st.floats(allow_nan=False, allow_infinity=False),
        bool: st.booleans(),
        Decimal: _decimals,
        dt.datetime: _datetimes,
        dt.date: st.dates(),
    }
    if tp in simple:
        return simple[tp]
    assert attrs.has(tp), f"no strategy for {tp!r}"
    return model_strategy(tp)


def model_strategy(cls: type[Any]) -> st.SearchStrategy[Any]:
    return st.builds(cls, **{f.name: strategy_for(f.type) for f in attrs.fields(cls)})


def page_strategy(item: type[Any]) -> st.SearchStrategy[Page[Any]]:
    return st.builds(
        Page,
        data=st.lists(model_strategy(item), max_size=2),
        meta=model_strategy(PageMeta),
        summary=st.none() | model_strategy(models.MessageSummary),
    )


def _read_back(text: str) -> Any:
    """to_json() read the exact way: numbers with a fraction or exponent as Decimal."""
    return json.loads(text, parse_float=Decimal)


def _check_wire_form(plain: Any, wire: Any, text: str) -> None:
    """Walk to_dict() beside the decoded to_json(): the wire form of every value."""
    if isinstance(plain, dict):
        assert isinstance(wire, dict) and list(wire) == list(plain)
        for key, value in plain.items():
            _check_wire_form(value, wire[key], text)
    elif isinstance(plain, list):
        assert isinstance(wire, list) and len(wire) == len(plain)
        for value, sent in zip(plain, wire, strict=True):
            _check_wire_form(value, sent, text)
    elif isinstance(plain, dt.datetime):
        assert isinstance(wire, str) and wire.endswith("Z"), wire  # RFC 3339, UTC
        assert dt.datetime.fromisoformat(wire) == plain
    elif isinstance(plain, dt.date):
        assert wire == plain.isoformat()
    elif isinstance(plain, Decimal):
        assert str(plain) in text  # exactly the digits, not a float's
        assert Decimal(wire) == plain
    elif isinstance(plain, float):
        assert isinstance(wire, Decimal) and float(wire) == plain  # read back as Decimal
    else:
        assert not isinstance(plain, enum.Enum)  # enums are their values
        assert wire == plain and type(wire) is type(plain)


_SETTINGS = settings(
    max_examples=25, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)


@pytest.mark.parametrize("cls", MODELS, ids=lambda cls: cls.__name__)
def test_every_model_round_trips_through_to_dict_and_to_json(cls: type[Any]) -> None:
    @_SETTINGS
    @given(model_strategy(cls))
    def check(model: Any) -> None:
        plain = model.to_dict()
        assert structure(plain, cls) == model
        text = model.to_json()
        wire = _read_back(text)
        _check_wire_form(plain, wire, text)
        assert structure(wire, cls) == model

    check()


@pytest.mark.parametrize("item", [CallResult, DialCampaign, SmsMessage], ids=lambda c: c.__name__)
def test_pages_round_trip(item: type[Any]) -> None:
    @_SETTINGS
    @given(page_strategy(item))
    def check(page: Page[Any]) -> None:
        plain = page.to_dict()
        assert set(plain) == {"data", "meta", "summary"}
        assert structure(plain, Page[item]) == page
        assert structure(_read_back(page.to_json()), Page[item]) == page

    check()


@_SETTINGS
@given(model_strategy(Contact))
def test_contact_to_dict_round_trips(contact: Contact) -> None:
    assert structure(contact.to_dict(), Contact) == contact


def test_field_names_are_the_apis_and_enums_their_values() -> None:
    plain = DateRange(from_=dt.date(2026, 5, 1)).to_dict()
    assert plain == {"from": dt.date(2026, 5, 1), "to": None}
    assert DateRange(from_=dt.date(2026, 5, 1)).to_json() == '{"from": "2026-05-01", "to": null}'
    event = ActivityEvent(1, ActivityKind(ActivityType.RECORDS_IMPORTED, "x"), _moment())
    assert event.to_dict()["type"] == {"id": 1, "name": "x"}
    assert type(event.to_dict()["type"]["id"]) is int
    unknown = ActivityEvent(1, ActivityKind(99, "new"), _moment()).to_dict()
    assert unknown["type"]["id"] == 99
    campaign = DialCampaign("c", "n", "archived", _moment(), _moment(), 1, 1, 0)
    assert json.loads(campaign.to_json())["status"] == "archived"
    active = attrs.evolve(campaign, status=CampaignStatus.ACTIVE).to_dict()["status"]
    assert active == "active" and type(active) is str


def _moment() -> dt.datetime:
    return dt.datetime(2026, 5, 1, 9, 10, tzinfo=dt.timezone(dt.timedelta(hours=-4)))


def test_timestamps_are_utc_with_z_and_money_keeps_its_digits() -> None:
    result = CallResult(
        result_id=1,
        campaign_data_id=2,
        phone_dialed="4165550100",
        phone_number_index=1,
        disposition=models.Disposition(1, "Answered", "A", True),
        dialed_at=_moment(),
        completed_at=dt.datetime(2026, 5, 1, 13, 10, 0, 250000, tzinfo=dt.UTC),
        total_seconds=3,
        amount=Decimal("1430.1900000000000000000000001"),
    )
    text = result.to_json()
    assert '"dialed_at": "2026-05-01T13:10:00Z"' in text
    assert '"completed_at": "2026-05-01T13:10:00.250000Z"' in text
    assert '"amount": 1430.1900000000000000000000001,' in text
    assert '"amount": 12.30,' in attrs.evolve(result, amount=Decimal("12.30")).to_json()


def test_a_non_finite_decimal_is_refused_by_name() -> None:
    summary = models.MessageSummary(1, 1, 0, Decimal("NaN"))
    with pytest.raises(ValueError, match="not a finite number"):
        summary.to_json()


def test_upload_summary_extras_go_back_beside_the_known_fields() -> None:
    summary = UploadSummary(inserted=2, skipped=1, total_leads=9, extra={"duplicates": [3]})
    assert summary.to_dict() == {"duplicates": [3], "inserted": 2, "skipped": 1, "total_leads": 9}
    assert structure(summary.to_dict(), UploadSummary) == summary


def test_bulk_report_to_dict_and_to_json() -> None:
    summary = UploadSummary(inserted=1, skipped=0, total_leads=5, extra={"x": 1})
    report = BulkUploadReport(
        campaign_id="c1",
        read=2,
        inserted=1,
        skipped_by_server=0,
        rejected=1,
        failed=0,
        unknown=0,
        already_done=0,
        chunks=[ChunkResult(0, 1, 0, "accepted", attempts=1, inserted=1, summary=summary)],
        rejected_records=[
            RecordIssue(
                1, 3, {"phone1": "x"}, "phone1", "bad", FreestyleError("boom"), outcome="rejected"
            )
        ],
        failed_records=[],
        unknown_records=[],
        refused_by_server=[],
        elapsed=0.5,
    )
    plain = report.to_dict()
    assert plain["chunks"][0]["summary"] == {"x": 1, "inserted": 1, "skipped": 0, "total_leads": 5}
    assert plain["rejected_records"][0]["record"] == {"phone1": "x"}
    assert plain["rejected_records"][0]["error"] == "boom"  # an error by its message
    assert json.loads(report.to_json()) == json.loads(json.dumps(plain))


@pytest.mark.parametrize("cls", [CallResult, models.Account, models.ResultsSummary])
def test_the_commands_json_lines_are_to_json(cls: type[Any]) -> None:
    from freestyle_async.cli._output import json_line

    @settings(max_examples=15, deadline=None, derandomize=True)
    @given(model_strategy(cls))
    def check(model: Any) -> None:
        line = json_line(model)
        assert "\n" not in line
        assert _read_back(line) == _read_back(model.to_json())  # escapes decode to the same

    check()
