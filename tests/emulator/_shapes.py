"""The reference's response shapes, field by field, and a checker that wants them exactly."""

from __future__ import annotations

import re
from typing import Any

_TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
_E164 = re.compile(r"^\+1\d{10}$")
_DATE = re.compile(r"^\d{4}-\d\d-\d\d$")


def nullable(spec: Any) -> tuple[str, Any]:
    return ("?", spec)


def _scalar_ok(kind: str, value: Any) -> bool:
    if kind == "int":
        return type(value) is int
    if kind == "num":
        return type(value) in (int, float)
    if kind == "bool":
        return type(value) is bool
    if kind == "str":
        return type(value) is str
    if kind == "ts":
        return type(value) is str and bool(_TIMESTAMP.match(value))
    if kind == "e164":
        return type(value) is str and bool(_E164.match(value))
    if kind == "date":
        return type(value) is str and bool(_DATE.match(value))
    raise AssertionError(f"unknown kind {kind}")


def check(value: Any, spec: Any, path: str = "$") -> None:
    """Assert ``value`` has exactly the fields of ``spec``, each of the documented type."""
    if isinstance(spec, tuple) and spec[0] == "?":
        if value is not None:
            check(value, spec[1], path)
        return
    if isinstance(spec, dict):
        assert isinstance(value, dict), f"{path}: expected an object, got {value!r}"
        assert set(value) == set(spec), f"{path}: fields {sorted(value)} != {sorted(spec)}"
        for key, sub in spec.items():
            check(value[key], sub, f"{path}.{key}")
        return
    if isinstance(spec, list):
        assert isinstance(value, list), f"{path}: expected an array, got {value!r}"
        for i, item in enumerate(value):
            check(item, spec[0], f"{path}[{i}]")
        return
    assert _scalar_ok(spec, value), f"{path}: {value!r} is not {spec}"


META = {"page": "int", "per_page": "int", "total": "int", "total_pages": "int"}
DATE_RANGE = {"from": nullable("date"), "to": nullable("date")}
CAMPAIGN = {
    "id": "str",
    "name": "str",
    "status": "str",
    "created_at": "ts",
    "updated_at": "ts",
    "total_leads": "int",
    "dialed": "int",
    "remaining": "int",
}
DISPOSITION = {"id": "int", "name": "str", "code": "str", "contacted": "bool"}
RESULT = {
    "result_id": "int",
    "campaign_data_id": "int",
    "account_id": "str",
    "account_name": "str",
    "phone_dialed": "str",
    "phone_number_index": "int",
    "disposition": DISPOSITION,
    "agent_id": "int",
    "dialed_at": "ts",
    "connected_at": nullable("ts"),
    "completed_at": "ts",
    "talk_seconds": nullable("int"),
    "total_seconds": "int",
    "amount": nullable("num"),
    "dtmf": nullable("str"),
    "recording_id": nullable("str"),
    "new_phone": nullable("str"),
    "new_email": nullable("str"),
}
SUMMARY = {
    "total_calls": "int",
    "total_contacts": "int",
    "contact_rate": "num",
    "total_talk_seconds": "int",
    "total_dial_seconds": "int",
    "first_call_at": nullable("ts"),
    "last_call_at": nullable("ts"),
    "date_range": DATE_RANGE,
    "dispositions": [{**DISPOSITION, "count": "int", "percentage": "num"}],
}
ACTIVITY = {
    "activity_id": "int",
    "type": {"id": "int", "name": "str"},
    "imported_count": nullable("int"),
    "recycled_count": nullable("int"),
    "excluded_count": nullable("int"),
    "total_count": nullable("int"),
    "created_at": "ts",
}
SMS_CAMPAIGN = {
    "id": "str",
    "name": "str",
    "from_number": "e164",
    "total_runs": "int",
    "running_count": "int",
    "scheduled_count": "int",
    "completed_count": "int",
    "cancelled_count": "int",
    "last_run_at": nullable("ts"),
    "created_at": "ts",
    "updated_at": nullable("ts"),
}
SMS_CAMPAIGN_DETAIL = {**SMS_CAMPAIGN, "template": "str"}
RUN = {
    "run_id": "int",
    "status": "str",
    "scheduled_at": "ts",
    "started_at": nullable("ts"),
    "completed_at": nullable("ts"),
    "total": "int",
    "processed": "int",
    "sent": "int",
    "failed": "int",
    "progress_pct": "num",
    "notes": nullable("str"),
    "created_at": "ts",
}
MESSAGE = {
    "message_id": "int",
    "run_id": "int",
    "direction": "str",
    "phone_number": "e164",
    "from_number": "e164",
    "to_number": "e164",
    "message": "str",
    "status": "str",
    "error_code": nullable("str"),
    "error_message": nullable("str"),
    "segments": "int",
    "cost": "num",
    "reference_id": nullable("str"),
    "sent_at": "ts",
}
MESSAGE_SUMMARY = {
    "total": "int",
    "sent_count": "int",
    "received_count": "int",
    "total_cost": "num",
}
BILLING_ROW = {
    "campaign_id": "str",
    "campaign_name": "str",
    "duration_seconds": "int",
    "hourly_rate": "num",
    "cost": "num",
}
BILLING_SUMMARY = {"total_duration_seconds": "int", "total_cost": "num", "date_range": DATE_RANGE}
CONTACT = {"name": "str", "email": "str", "phone": "str"}
ACCOUNT = {
    "id": "str",
    "name": "str",
    "status": "str",
    "description": nullable("str"),
    "contacts": {"primary": CONTACT, "technical": CONTACT, "billing": CONTACT},
    "location": nullable({"country": "str", "province_state": "str"}),
    "created_at": "ts",
}
PHONE_NUMBER = {
    "phone_number_id": "int",
    "phone_number": "e164",
    "type": {"id": "int", "name": "str"},
    "description": nullable("str"),
    "neustar_branded_call_display": "bool",
    "created_at": "ts",
}
UPLOAD = {
    "inserted": "int",
    "skipped": "int",
    "duplicates": "int",
    "invalid": "int",
    "total_leads": "int",
    "errors": [{"index": "int", "field": nullable("str"), "reason": "str"}],
}


def nullable_fields_seen(items: list[dict[str, Any]], *fields: str) -> None:
    """Each field is null somewhere and set somewhere (so decoders meet both)."""
    for field in fields:
        values = [item[field] for item in items]
        assert any(v is None for v in values), f"{field} is never null"
        assert any(v is not None for v in values), f"{field} is always null"
