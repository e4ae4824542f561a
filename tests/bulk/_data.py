"""Lead data for the bulk tests: generated records (valid, invalid and duplicate,
reproducibly) and CSV files written as given."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import attrs

# (field, bad value, the reason the client gives)
INVALID_KINDS: list[tuple[str, Any, str]] = [
    ("phone1", "555-0100", "must be a 10-digit North American number"),
    ("phone1", "+44 20 7946 0958", "must be a 10-digit North American number"),
    ("account_name", "n" * 51, "must be at most 50 characters"),
    ("data3", "d" * 121, "must be at most 120 characters"),
    ("amount", "twelve", "must be a number"),
    ("datetime", "next tuesday", "must be ISO 8601"),
    ("favourite_colour", "blue", "unknown field"),
]


@attrs.define
class Generated:
    records: list[dict[str, Any]]
    expected_phones: set[str]  # the distinct normalised phone1 of every valid record
    invalid: dict[int, tuple[str, str]]  # input index -> (field, reason start)
    duplicates: int  # valid records whose phone1 an earlier valid record already has


def _formats(digits: str, rng: random.Random) -> str:
    style = rng.randrange(5)
    a, b, c = digits[:3], digits[3:6], digits[6:]
    return [
        digits,
        f"({a}) {b}-{c}",
        f"+1 {a}.{b}.{c}",
        f"1-{a}-{b}-{c}",
        f"{a} {b} {c}",
    ][style]


def generate(
    count: int, *, seed: int = 0, invalid_rate: float = 0.03, duplicate_rate: float = 0.03
) -> Generated:
    """``count`` records with formatted phones; some invalid, some repeating an earlier phone."""
    rng = random.Random(seed)
    records: list[dict[str, Any]] = []
    phones: list[str] = []
    invalid: dict[int, tuple[str, str]] = {}
    for index in range(count):
        roll = rng.random()
        if roll < duplicate_rate and phones:
            digits = phones[rng.randrange(len(phones))]
        else:
            digits = f"{2 + seed % 8}{index:09d}"
        record: dict[str, Any] = {
            "phone1": _formats(digits, rng),
            "account_id": f"acct-{index}",
            "account_name": f"Lead {index}",
            "amount": round(rng.uniform(0, 5000), 2),
            "data1": "generated",
        }
        if duplicate_rate <= roll < duplicate_rate + invalid_rate:
            field, value, reason = INVALID_KINDS[rng.randrange(len(INVALID_KINDS))]
            record[field] = value
            invalid[index] = (field, reason)
        else:
            phones.append(digits)
        records.append(record)
    expected = set(phones)
    return Generated(records, expected, invalid, duplicates=len(phones) - len(expected))


def write(tmp_path: Path, data: str | bytes, name: str = "leads.csv") -> Path:
    """A file ``name`` in ``tmp_path`` holding ``data`` (text as UTF-8, bytes as they are)."""
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path
