"""The emulator's batch fast path decides every record as the per-record rules do."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from freestyle_async.testing._upload import MAX_ERRORS, _problem, ingest

PHONES = st.one_of(
    st.sampled_from(["4165550100", "4165550101", "14165550102", "4165550103", "4165550100"]),
    st.from_regex(r"1?[2-9][0-9]{9}", fullmatch=True),
    st.sampled_from(["", None, "416-555-0100", "555", "٤١٦٥٥٥٠١٠٠", 4165550100, "41655501000"]),
)
WIDE = [2**63, 2**64 - 1, -(2**63) - 1, 10**30]
VALUES: dict[str, st.SearchStrategy[Any]] = {
    "phone1": PHONES,
    "phone2": PHONES,
    "account_id": st.one_of(st.text(max_size=3), st.just("a" * 101), st.just("a" * 100)),
    "account_name": st.one_of(st.text(max_size=3), st.just("b" * 51), st.none(), st.just(7)),
    "data1": st.one_of(st.text(max_size=3), st.just("c" * 121)),
    "city": st.one_of(st.text(max_size=3), st.none(), st.just(1.5)),
    "amount": st.one_of(st.floats(allow_nan=False), st.integers(), st.just("12"), st.none()),
    "timezone_id": st.one_of(
        st.integers(),
        st.sampled_from([2**63 - 1, 2**63, -(2**63), -(2**63) - 1, 2**64 - 1]),
        st.sampled_from([1.0, 1.5, 9.3e18, -9.3e18, float(2**64), 1e300]),
        st.just("5"),
    ),
    "datetime": st.one_of(st.just("2026-05-01T09:30:00Z"), st.integers(0, 10**9), st.just([])),
    "colour": st.just("blue"),
}
VALID: dict[str, st.SearchStrategy[Any]] = {
    "phone1": st.sampled_from(["4165550100", "4165550101", "4165550103", "6475550199"]),
    "phone2": st.from_regex(r"[2-9][0-9]{9}", fullmatch=True),
    "account_id": st.text(min_size=1, max_size=3),
    "account_name": st.text(min_size=1, max_size=3),
    "data1": st.text(min_size=1, max_size=3),
    "city": st.text(max_size=3),
    "amount": st.one_of(st.floats(allow_nan=False), st.integers()),
    "timezone_id": st.integers(-(2**63), 2**63 - 1),
    "datetime": st.one_of(st.just("2026-05-01T09:30:00Z"), st.integers(0, 10**9)),
}
COMMON = ["phone1", "account_id", "amount", "city"]


@st.composite
def batches(draw: st.DrawFn) -> list[Any]:
    """Mostly uniform batches (every record the same fields), as clients send them."""
    clean = draw(st.booleans())  # valid values, where one bad record spoils the fast path
    pool = list(VALID if clean else VALUES)
    keys = draw(st.lists(st.sampled_from(pool), unique=True, max_size=5))
    uniform = clean or draw(st.booleans())
    layout = keys if draw(st.integers(0, 3)) else [*COMMON, *keys]
    records: list[Any] = []
    for _ in range(draw(st.integers(1, 25))):
        fields = layout if uniform else draw(st.lists(st.sampled_from(pool), unique=True))
        values = VALID if clean and draw(st.integers(0, 40)) else VALUES
        record = {key: draw(values[key]) for key in fields}
        if draw(st.integers(0, 30)) == 0:
            record = draw(st.sampled_from([[], "x", None]))
        records.append(record)
    if draw(st.integers(0, 3)) == 0:  # one integer past 64 bits in an otherwise clean batch
        record = draw(st.sampled_from(records))
        if isinstance(record, dict):
            record["timezone_id"] = draw(st.sampled_from(WIDE))
    return records


def by_the_rules(
    records: list[Any], phones: set[str]
) -> tuple[int, int, int, list[Any], list[int]]:
    inserted = duplicates = invalid = 0
    errors: list[Any] = []
    kept: list[int] = []
    for index, record in enumerate(records):
        problem = _problem(record)
        if problem is not None:
            invalid += 1
            if len(errors) < MAX_ERRORS:
                errors.append({"index": index, "field": problem[0], "reason": problem[1]})
        elif record["phone1"] in phones:
            duplicates += 1
        else:
            phones.add(record["phone1"])
            inserted += 1
            kept.append(index)
    return inserted, duplicates, invalid, errors, kept


@settings(max_examples=400, deadline=None)
@given(st.lists(batches(), min_size=1, max_size=4), st.booleans())
def test_ingest_matches_the_per_record_rules(uploads: list[list[Any]], keep: bool) -> None:
    ours: set[str] = {"4165550101"}
    theirs = set(ours)
    for records in uploads:
        expected = by_the_rules(copy.deepcopy(records), theirs)
        outcome = ingest(records, ours, keep=keep)
        got = (outcome.inserted, outcome.duplicates, outcome.invalid, outcome.errors)
        assert got == expected[:4]
        if keep:
            assert outcome.kept is not None and list(outcome.kept) == expected[4]
        assert ours == theirs


def test_phones_whose_lengths_add_up_to_ten_each_are_still_refused() -> None:
    records = [{"phone1": "416555010", "city": "a"}, {"phone1": "41655501000", "city": "b"}]
    outcome = ingest(copy.deepcopy(records), set(), keep=False)
    assert (outcome.inserted, outcome.invalid) == by_the_rules(records, set())[0:3:2] == (0, 2)
