"""The column-wise upload body encoder writes what ``json.dumps`` writes."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from freestyle_async import _json
from freestyle_async.bulk._encode import encode_columns, encode_records

KEYS = ["phone1", "first_name", "amount", "data1", 'say "hi"', "100% sure", "clé", "a\\b"]
VALUES = st.one_of(
    st.text(max_size=12),  # hypothesis leaves out surrogates, which the checks refuse
    st.text(alphabet='"\\\n\t\x00\x1fé%s{}', max_size=6),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
    st.sampled_from([Decimal("2.50"), Decimal("7"), 2**64, -0.0, 1e16, 5e-324]),
)


@st.composite
def chunks(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Records that mostly share their keys (columns of one type, or mixed), sometimes not."""
    keys = draw(st.lists(st.sampled_from(KEYS), unique=True, max_size=len(KEYS)))
    column_values = {
        key: draw(st.sampled_from([VALUES, st.text(max_size=8), st.integers()])) for key in keys
    }
    records = []
    for _ in range(draw(st.integers(1, 30))):
        record = {key: draw(column_values[key]) for key in keys}
        if draw(st.integers(0, 4)) == 0:  # another layout: a key dropped, added or moved
            record = draw(st.permutations(list(record.items())))
            record = dict(record[: draw(st.integers(0, len(record)))])
            record.update(draw(st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=2)))
        records.append(record)
    return records


def same_text_as_json_dumps(records: list[dict[str, Any]]) -> bool:
    """Byte-for-byte equality holds unless records share their keys in another order (then
    the first record's order is used: the same JSON object, other bytes)."""
    layouts = {tuple(record) for record in records}
    return len({frozenset(layout) for layout in layouts}) == len(layouts)


@settings(max_examples=400, deadline=None)
@given(chunks())
def test_the_body_is_what_json_dumps_writes(records: list[dict[str, Any]]) -> None:
    body = encode_columns(records)
    assert isinstance(body, bytes)
    assert json.loads(body) == json.loads(_json.stdlib_dumps({"records": records}))
    if same_text_as_json_dumps(records):
        assert body == _json.stdlib_dumps({"records": records})


def test_a_typical_chunk_byte_for_byte() -> None:
    records = [
        {
            "phone1": f"416555{i:04d}",
            "first_name": ["Zoé", 'Dwayne "The Rock"', "Tab\there", "Ann"][i % 4],
            "amount": [1250.75, 3, 1e-7, -0.0][i % 4],
            "timezone_id": i,
        }
        for i in range(1000)
    ]
    assert encode_columns(records) == json.dumps(
        {"records": records}, ensure_ascii=False, separators=(",", ":")
    ).encode("utf-8")


def test_layouts_beyond_the_limit_are_encoded_record_by_record() -> None:
    records: list[dict[str, Any]] = [{f"data{i % 6 + 1}": "x", "phone1": str(i)} for i in range(40)]
    records += [{"phone1": "1", **{f"data{j}": "y" for j in range(1, n)}} for n in range(1, 7)]
    assert encode_columns(records) == _json.stdlib_dumps({"records": records})


def test_records_in_order_whatever_their_layout() -> None:
    records = [{"phone1": "1"}, {"phone1": "2", "city": "a"}, {"phone1": "3"}, {"city": "b"}, {}]
    assert json.loads(encode_columns(records))["records"] == records
    assert encode_columns([]) == b'{"records":[]}'


@pytest.mark.parametrize("value", [float("nan"), float("inf"), object()])
def test_values_json_cannot_hold_fail_as_json_dumps_fails(value: object) -> None:
    records = [{"phone1": "4165550100", "amount": 1.5}, {"phone1": "4165550101", "amount": value}]
    with pytest.raises((ValueError, TypeError)) as ours:
        encode_columns(records)
    with pytest.raises((ValueError, TypeError)) as stdlib:
        _json.stdlib_dumps({"records": records})
    assert type(ours.value) is type(stdlib.value)


def test_a_str_subclass_is_sent_as_its_characters() -> None:
    class Shouty(str):
        def __str__(self) -> str:
            return self.upper()

    records = [{"phone1": Shouty("4165550100"), "city": Shouty("toronto")}] * 3
    assert encode_columns(records) == _json.stdlib_dumps({"records": records})
    assert b"toronto" in encode_columns(records)


@pytest.mark.parametrize("have_orjson", [False, True])
def test_encode_records_uses_orjson_only_when_installed(
    monkeypatch: pytest.MonkeyPatch, have_orjson: bool
) -> None:
    from freestyle_async.bulk import _encode

    records = [{"phone1": "4165550100", "amount": 1.5}]
    assert json.loads(encode_records(records)) == {"records": records}
    calls: list[tuple[str, object]] = []

    def fake_dumps(value: Any) -> bytes:
        calls.append(("_json.dumps", value))
        return b"from _json.dumps"

    def fake_columns(value: Any) -> bytes:
        calls.append(("encode_columns", value))
        return b"from encode_columns"

    monkeypatch.setattr(_json, "HAVE_ORJSON", have_orjson)
    monkeypatch.setattr(_json, "dumps", fake_dumps)
    monkeypatch.setattr(_encode, "encode_columns", fake_columns)
    body = encode_records(records)
    if have_orjson:
        assert (body, calls) == (b"from _json.dumps", [("_json.dumps", {"records": records})])
    else:
        assert (body, calls) == (b"from encode_columns", [("encode_columns", records)])
