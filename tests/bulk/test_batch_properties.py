"""The batch fast path gives, for every record, exactly what normalize_record gives."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from freestyle_async import Contact
from freestyle_async.bulk import CsvRow, RecordRejected, normalize_record
from freestyle_async.bulk._batch import normalize_batch

# Past Python's 4,300-digit limit: int(HUGE_TEXT) and str(HUGE_INT) raise ValueError.
HUGE_TEXT = "9" * 5_000
HUGE_INT = 10**5_000


def cell(value: object) -> str:
    """A value as a CSV cell holds it."""
    return HUGE_TEXT if type(value) is int and value.bit_length() > 10_000 else str(value)


class Text(str):
    """A str subclass (numpy.str_ is one): accepted as text like str itself."""


CANONICAL_PHONE = st.from_regex(r"[2-9][0-9]{9}", fullmatch=True)
PHONES = st.one_of(
    CANONICAL_PHONE,
    CANONICAL_PHONE,
    CANONICAL_PHONE,
    st.sampled_from(["(416) 555-0100", "+1 416.555.0101", "14165550102", "555-0100", "+44 1"]),
    st.sampled_from([4165550103, "416555010\n", "٤١٦٥٥٥٠١٠٠", Text("4165550104"), Text("")]),
    st.sampled_from([HUGE_INT, HUGE_TEXT]),
    st.text(max_size=12),
)


def text(limit: int | None = None) -> st.SearchStrategy[Any]:
    edges = ["", "x", "bad \ud800 half", "é"]
    if limit is not None:
        edges += ["a" * limit, "a" * (limit + 1), "b" * (limit - 1)]
    return st.one_of(st.text(max_size=20), st.text(max_size=20), st.sampled_from(edges))


SAFE = 2**53 - 1
NUMBERS = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False),
    st.integers(min_value=-SAFE, max_value=SAFE),
    st.sampled_from([SAFE, SAFE + 1, -SAFE, -SAFE - 1, 1e300, float("nan"), float("inf")]),
    st.sampled_from(["12.5", "7", " 3 ", "1e3", "x", True, Decimal("2.50"), Decimal("NaN")]),
    st.sampled_from([HUGE_INT, -HUGE_INT, HUGE_TEXT, Decimal("1E+999999999"), Decimal("sNaN")]),
)
MOMENTS = st.one_of(
    st.sampled_from(["2026-05-01T09:30:00Z", "2026-05-01", "1777777777", "soon", -1, -0.5]),
    st.integers(min_value=0, max_value=SAFE),
    st.sampled_from([SAFE, SAFE + 1, 1e300, float("nan"), float("inf"), HUGE_INT, HUGE_TEXT]),
    st.floats(min_value=0, max_value=1e20),
    st.just(dt.date(2026, 5, 1)),
)
ANYTHING = st.one_of(
    st.none(),
    st.just(""),
    st.integers(),
    st.text(max_size=5),
    st.booleans(),
    st.builds(Text, st.text(max_size=3)),
)

FIELDS: dict[str | int, st.SearchStrategy[Any]] = {
    "phone1": PHONES,
    "phone2": PHONES,
    "phone10": PHONES,
    "account_id": text(100),
    "account_name": text(50),
    "data1": text(120),
    "data6": text(120),
    "email": text(),
    "city": text(),
    "amount": NUMBERS,
    "amount_secondary": NUMBERS,
    "timezone_id": st.one_of(
        st.integers(-SAFE, SAFE),
        st.sampled_from([SAFE + 1, -SAFE - 1, "5", "x", 2.0, HUGE_INT, f"-{HUGE_TEXT}"]),
    ),
    "datetime": MOMENTS,
    "dob": st.one_of(text(), st.just(dt.date(1990, 1, 2))),
    "datetime_secondary": st.sampled_from(["2026-05-01T09:30:00\udc80", "2026-05-01"]),
    "colour": st.text(max_size=3),
    7: st.text(max_size=3),
}
KNOWN = [key for key in FIELDS if key not in ("colour", 7)]


@st.composite
def record(draw: st.DrawFn) -> object:
    pool = list(FIELDS) if draw(st.integers(0, 9)) == 0 else KNOWN
    keys = draw(st.lists(st.sampled_from(pool), unique=True, max_size=5))
    if draw(st.integers(0, 9)):
        keys = ["phone1", *[k for k in keys if k != "phone1"]]
    values = {}
    for key in keys:
        odd = draw(st.integers(0, 9)) == 0
        values[key] = draw(ANYTHING if odd else FIELDS[key])
    shape = draw(st.sampled_from(["dict", "dict", "dict", "row", "contact", "other"]))
    if shape == "row":
        text = {str(k): cell(v) for k, v in values.items() if v not in (None, "")}
        problem = draw(st.sampled_from([None, None, "the row has 3 cells"]))
        return CsvRow(text, 2, problem)
    if shape == "contact":
        fields = {k: v for k, v in values.items() if k in ("phone1", "account_name", "amount")}
        fields.setdefault("phone1", "4165550100")
        return Contact(**fields)
    if shape == "other":
        return draw(st.sampled_from([None, "4165550100", ["x"], 5]))
    return values


def expected(item: object) -> object:
    try:
        return normalize_record(item)
    except RecordRejected as exc:
        return (exc.field, exc.reason)


@settings(max_examples=500, deadline=None)
@given(st.lists(record(), max_size=12))
def test_batch_equals_record_by_record(records: list[object]) -> None:
    sent, rejects = normalize_batch(records)
    rejected = {offset: (exc.field, exc.reason) for offset, exc in rejects}
    assert len(sent) == len(records)
    for offset, item in enumerate(records):
        want = expected(item)
        if isinstance(want, tuple):
            assert rejected.get(offset) == want and sent[offset] is None
        else:
            assert offset not in rejected
            assert sent[offset] == want
            assert type(sent[offset]) in (dict, CsvRow)


@settings(max_examples=100, deadline=None)
@given(st.lists(record(), min_size=1, max_size=20))
def test_the_callers_records_are_never_changed(records: list[object]) -> None:
    before = [dict(r) if isinstance(r, dict) else r for r in records]
    normalize_batch(records)
    assert [dict(r) if isinstance(r, dict) else r for r in records] == before


def test_a_clean_batch_is_sent_as_given() -> None:
    records = [{"phone1": f"416555{i:04d}", "amount": 1.5, "account_name": "A"} for i in range(5)]
    sent, rejects = normalize_batch(records)
    assert rejects == []
    assert all(s is r for s, r in zip(sent, records, strict=True))


def test_a_phone_holding_a_newline_is_not_mistaken_for_two() -> None:
    records = [{"phone1": "4165550100\n4165550101"}, {"phone1": "4165550102"}]
    sent, rejects = normalize_batch(records)
    assert [offset for offset, _ in rejects] == [0]
    assert sent[1] == {"phone1": "4165550102"}


EDGES: list[tuple[str, Any, Any]] = [  # (field, an ordinary value, an edge value)
    ("phone1", "4165550100", "416555010"),
    ("phone1", "4165550100", "41655501000"),
    ("phone1", "4165550100", "(416) 555-0101"),
    ("phone2", "4165550100", "4165550101\n"),
    ("account_name", "Ann", "a" * 50),
    ("account_name", "Ann", "a" * 51),
    ("data1", "x", "d" * 121),
    ("email", "a@b.c", 5),
    ("amount", 1.5, float("nan")),
    ("amount", 1.5, float("inf")),
    ("amount", 1, 2**53),
    ("amount", 1, -(2**53)),
    ("amount", 1, 1e300),
    ("amount", 1.5, "2.5"),
    ("amount", 1.5, True),
    ("timezone_id", 3, 2**53),
    ("timezone_id", 3, -(2**53)),
    ("timezone_id", 3, 3.0),
    ("datetime", 1777777777, -1),
    ("datetime", 1777777777, -0.5),
    ("datetime", 1777777777, 2**53),
    ("datetime", 1777777777.5, float("nan")),
    ("datetime", 1777777777, "2026-05-01"),
    ("dob", "1990-01-02", dt.date(1990, 1, 2)),
    ("city", "Ottawa", None),
    ("city", "Ottawa", ""),
    ("city", "Ottawa", Text("Hull")),
    ("city", "Ottawa", Text("")),
    ("phone1", "4165550100", Text("4165550101")),
    ("account_name", "Ann", Text("a" * 51)),
    ("datetime", "2026-05-01", Text("2026-05-02")),
]


@pytest.mark.parametrize(("field", "ordinary", "edge"), EDGES)
@pytest.mark.parametrize("edge_first", [True, False])
def test_column_edges(field: str, ordinary: Any, edge: Any, edge_first: bool) -> None:
    records: list[object] = [
        {"phone1": "4165550100", field: ordinary} if field != "phone1" else {"phone1": ordinary},
        {"phone1": "4165550111", field: edge} if field != "phone1" else {"phone1": edge},
    ]
    if edge_first:
        records.reverse()
    sent, rejects = normalize_batch(records)
    rejected = {offset: (exc.field, exc.reason) for offset, exc in rejects}
    for offset, item in enumerate(records):
        want = expected(item)
        got = rejected[offset] if offset in rejected else sent[offset]
        assert got == want


@pytest.mark.parametrize(
    "records",
    [
        # the same keys in another order
        [{"phone1": "4165550100", "city": "A"}, {"city": "B", "phone1": "(416) 555-0101"}],
        # as many keys, but other ones
        [{"phone1": "4165550100", "city": "A"}, {"phone1": "4165550101", "email": "e@x"}],
        # an unknown key in every record
        [{"phone1": "4165550100", "colour": "red"}, {"phone1": "4165550101", "colour": "b"}],
        # a single field, no phone1
        [{"city": "A"}, {"city": "B"}],
        # empty records
        [{}, {}],
    ],
)
def test_record_shapes(records: list[object]) -> None:
    sent, rejects = normalize_batch(records)
    rejected = {offset: (exc.field, exc.reason) for offset, exc in rejects}
    for offset, item in enumerate(records):
        got = rejected[offset] if offset in rejected else sent[offset]
        assert got == expected(item)


def test_phones_whose_lengths_add_up_to_ten_each_are_still_refused() -> None:
    records = [{"phone1": "416555010"}, {"phone1": "41655501000"}, {"phone1": "4165550100"}]
    sent, rejects = normalize_batch(records)
    assert [(offset, exc.field) for offset, exc in rejects] == [(0, "phone1"), (1, "phone1")]
    assert sent[2] == {"phone1": "4165550100"}
