"""POST /dial-campaigns/{id}/data: per-record rules, dedupe, counts, the import event."""

from __future__ import annotations

from typing import Any

from freestyle_async.testing import Emulator

from . import _shapes as S
from ._helpers import Api

VALID: list[Any] = [
    {"phone1": "4165550100"},
    {"phone1": "14165550101", "phone2": "16475550102", "phone10": "9055550103"},
    {"phone1": "4165550104", "phone2": "", "phone3": None, "account_id": "x" * 100},
    {"phone1": "4165550105", "account_name": "n" * 50, "data1": "d" * 120, "data6": "e" * 120},
    {
        "phone1": "4165550106",
        "email": "a@b.example",
        "street": "1 Main St",
        "city": "Toronto",
        "province_state": "ON",
        "postal_zip": "M5V 1A1",
        "dob": "1980-01-31",
        "amount": 12.5,
        "amount_secondary": 3,
        "account_id_secondary": "S-1",
        "datetime": 1767225600,
        "datetime_secondary": "2026-01-01T00:00:00Z",
        "language": "fr",
        "external_name": "ext",
        "timezone_id": 5,
        "client_name": "Client",
    },
]
INVALID: list[tuple[Any, str | None]] = [
    ({}, "phone1"),
    ({"phone1": None}, "phone1"),
    ({"phone1": ""}, "phone1"),
    ({"phone1": "416-555-0110"}, "phone1"),
    ({"phone1": "+14165550111"}, "phone1"),
    ({"phone1": "(416) 5550112"}, "phone1"),
    ({"phone1": "24165550113"}, "phone1"),
    ({"phone1": "416555011"}, "phone1"),
    ({"phone1": "141655501145"}, "phone1"),
    ({"phone1": 4165550115}, "phone1"),
    ({"phone1": "４１６５５５０１１６"}, "phone1"),
    ({"phone1": "4165550117", "phone2": "555-0118"}, "phone2"),
    ({"phone1": "4165550119", "account_id": "x" * 101}, "account_id"),
    ({"phone1": "4165550120", "account_name": "n" * 51}, "account_name"),
    ({"phone1": "4165550121", "data3": "d" * 121}, "data3"),
    ({"phone1": "4165550122", "favourite_colour": "blue"}, "favourite_colour"),
    ({"phone1": "4165550123", "amount": "12.50"}, "amount"),
    ({"phone1": "4165550124", "amount": True}, "amount"),
    ({"phone1": "4165550125", "timezone_id": 1.5}, "timezone_id"),
    ({"phone1": "4165550126", "email": 7}, "email"),
    ({"phone1": "4165550127", "data1": ["list"]}, "data1"),
    ("4165550128", None),
    (None, None),
    ([{"phone1": "4165550129"}], None),
    (42, None),
]


async def _upload(api: Api, cid: str, records: list[Any]) -> Any:
    reply = await api.request("POST", f"/dial-campaigns/{cid}/data", json={"records": records})
    assert reply.status == 200, reply.body
    assert set(reply.body) == {"data"}
    S.check(reply.data, S.UPLOAD)
    return reply.data


async def test_valid_and_invalid_records(api: Api, emu: Emulator) -> None:
    cid = emu.campaign_ids()[0]
    records = [rec for pair in zip(VALID, [r for r, _ in INVALID], strict=False) for rec in pair]
    records += [r for r, _ in INVALID[len(VALID) :]]
    data = await _upload(api, cid, records)
    assert data["inserted"] == len(VALID)
    assert data["invalid"] == len(INVALID)
    assert data["duplicates"] == 0
    assert data["skipped"] == len(INVALID)
    invalid_positions = [i for i, r in enumerate(records) if r not in VALID]
    assert [e["index"] for e in data["errors"]] == invalid_positions
    assert [e["field"] for e in data["errors"]] == [f for _, f in INVALID]
    assert all(e["reason"] for e in data["errors"])
    stored = emu.stored_records(cid)
    assert [r["phone1"] for r in stored] == [f"416555010{i}" for i in range(7) if i not in (2, 3)]
    assert stored[1]["phone2"] == "6475550102"  # the leading country code 1 is dropped
    assert stored[1]["phone10"] == "9055550103"
    assert stored[4]["amount"] == 12.5


async def test_duplicates_within_a_batch_and_across_batches(api: Api, emu: Emulator) -> None:
    cid = emu.campaign_ids()[0]
    first = await _upload(api, cid, [{"phone1": "4165550100"}, {"phone1": "14165550100"}])
    assert (first["inserted"], first["duplicates"], first["skipped"]) == (1, 1, 1)
    assert first["errors"] == []
    second = await _upload(
        api, cid, [{"phone1": "4165550100"}, {"phone1": "4165550101"}, {"phone1": "bad"}]
    )
    assert (second["inserted"], second["duplicates"], second["invalid"]) == (1, 1, 1)
    assert second["skipped"] == 2
    assert second["total_leads"] == first["total_leads"] + 1
    assert [e["index"] for e in second["errors"]] == [2]
    assert [r["phone1"] for r in emu.stored_records(cid)] == ["4165550100", "4165550101"]
    other_campaign = emu.campaign_ids()[2]
    third = await _upload(api, other_campaign, [{"phone1": "4165550100"}])
    assert third["inserted"] == 1  # dedupe is per campaign


async def test_campaign_counts_and_import_event(api: Api, emu: Emulator) -> None:
    cid = emu.campaign_ids()[0]
    before = {c["id"]: c for c in (await api.get("/dial-campaigns")).data}[cid]
    records = [{"phone1": f"905555{i:04d}"} for i in range(40)]
    records += [{"phone1": "9055550000"}] * 3 + [{"phone1": "x"}] * 2
    data = await _upload(api, cid, records)
    assert data["total_leads"] == before["total_leads"] + 40
    after = {c["id"]: c for c in (await api.get("/dial-campaigns")).data}[cid]
    assert after["total_leads"] == before["total_leads"] + 40
    assert after["remaining"] == before["remaining"] + 40
    assert after["dialed"] == before["dialed"]
    assert after["updated_at"] > before["updated_at"]
    latest = (await api.get(f"/dial-campaigns/{cid}/activity", per_page=1)).data[0]
    assert latest["type"] == {"id": 1, "name": "Records Imported"}
    assert latest["imported_count"] == 40
    assert latest["recycled_count"] == 3
    assert latest["excluded_count"] == 2
    assert latest["total_count"] == 45
    assert latest["created_at"] == after["updated_at"]
    typed = (await api.get(f"/dial-campaigns/{cid}/activity", type=1)).data
    assert typed[0] == latest


async def test_errors_are_capped_at_100(api: Api, emu: Emulator) -> None:
    data = await _upload(api, emu.campaign_ids()[0], [{"phone1": "bad"}] * 150)
    assert data["invalid"] == 150
    assert len(data["errors"]) == 100
    assert [e["index"] for e in data["errors"]] == list(range(100))


async def test_counters_follow_uploads(api: Api, emu: Emulator) -> None:
    cid = emu.campaign_ids()[0]
    await _upload(api, cid, [{"phone1": "4165550100"}, {"phone1": "4165550100"}, {}])
    counters = emu.counters
    assert counters.records_received == 3
    assert counters.records_stored == 1
    assert counters.duplicates_seen == 1
    assert counters.invalid_seen == 1


async def test_keep_records_false_still_dedupes(
    freestyle_emulator_factory: Any, session: Any
) -> None:
    emu = await freestyle_emulator_factory(keep_records=False)
    api = Api(session, emu, emu.api_key)
    cid = emu.campaign_ids()[0]
    data = await _upload(api, cid, [{"phone1": "4165550100"}, {"phone1": "4165550100"}])
    assert (data["inserted"], data["duplicates"]) == (1, 1)
    assert emu.stored_records(cid) == []


def test_standard_library_json_fallback_matches_orjson() -> None:
    from freestyle_async.testing import _json

    document = {"name": "Q2 Outreach — Québec", "cost": 0.0079, "n": None, "ok": [True, 1]}
    assert _json._std_loads(_json._std_dumps(document)) == document
    assert _json._std_loads(_json._std_dumps(document)) == _json.loads(_json.dumps(document))


INT64_REASON = "must be an integer between -9223372036854775808 and 9223372036854775807"


async def test_timezone_id_beyond_64_bits_is_named_as_such(api: Api, emu: Emulator) -> None:
    """Integers past the 64-bit range, sent as JSON integers (wider than 2**64 they decode to
    doubles), get the range reason, alone in a batch (the column checks) and among others (the
    per-record rules); integers at the bounds and other numbers keep their usual answers."""
    cid = emu.campaign_ids()[0]
    wide = [2**63, 2**64, 10**30, -(2**63) - 1, -(10**30), 9.3e18, float(10**300)]
    ok = [2**63 - 1, -(2**63), 0, 5]
    for mixed in (False, True):
        records: list[Any] = [
            {"phone1": f"41655{int(mixed)}{i:04d}", "timezone_id": value}
            for i, value in enumerate([*wide, *ok])
        ]
        if mixed:
            records.append({"phone1": "41655599", "timezone_id": 1.5})
        data = await _upload(api, cid, records)
        assert data["inserted"] == len(ok)
        reasons = [(e["field"], e["reason"]) for e in data["errors"]]
        expected = [("timezone_id", INT64_REASON)] * len(wide)
        if mixed:
            expected.append(("phone1", reasons[-1][1]))
        assert reasons == expected


async def test_huge_amounts_are_numbers(api: Api, emu: Emulator) -> None:
    cid = emu.campaign_ids()[0]
    data = await _upload(api, cid, [{"phone1": "4165550100", "amount": 10**30}])
    assert data["inserted"] == 1
    assert emu.stored_records(cid)[0]["amount"] == 1e30  # as orjson decodes it, with or without
