"""Every read command against the emulator, with each output format parsed back."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from typing import Any

from ._support import Cli, EmulatorThread


def json_lines(text: str) -> list[dict[str, Any]]:
    lines = [line for line in text.splitlines() if line.strip()]
    return [json.loads(line) for line in lines]


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def ok(result: Any) -> Any:
    assert result.exit_code == 0, (result.exit_code, result.stdout, result.stderr)
    return result


# -- dial campaigns -------------------------------------------------------------------------


def test_campaigns_list_json_csv_and_table_agree(run: Cli, emulator: EmulatorThread) -> None:
    expected = emulator.emu.campaign_ids()
    as_json = json_lines(ok(run("campaigns", "list", "--format", "json")).stdout)
    as_csv = csv_rows(ok(run("campaigns", "list", "--format", "csv")).stdout)
    table = ok(run("campaigns", "list", "--format", "table")).stdout
    assert [c["id"] for c in as_json] == expected
    assert [r["id"] for r in as_csv] == expected
    assert set(as_json[0]) >= {"id", "name", "status", "total_leads", "dialed", "remaining"}
    assert as_json[0]["created_at"].endswith("Z")
    assert [int(r["total_leads"]) for r in as_csv] == [c["total_leads"] for c in as_json]
    assert "Dial campaigns" in table
    for campaign in as_json:
        assert campaign["id"] in table


def test_default_format_off_a_terminal_is_json_lines(run: Cli) -> None:
    rows = json_lines(ok(run("campaigns", "list")).stdout)
    assert rows and all("id" in row for row in rows)


def test_campaigns_list_status_filter_and_limit(run: Cli) -> None:
    every = json_lines(ok(run("campaigns", "list", "--format", "json")).stdout)
    paused = json_lines(ok(run("campaigns", "list", "--status", "paused")).stdout)
    assert paused and all(c["status"] == "paused" for c in paused)
    assert len(paused) == sum(c["status"] == "paused" for c in every)
    two = json_lines(ok(run("campaigns", "list", "--limit", "2")).stdout)
    assert [c["id"] for c in two] == [c["id"] for c in every[:2]]


def test_start_and_pause(run: Cli, emulator: EmulatorThread) -> None:
    cid = emulator.emu.campaign_ids()[-1]
    started = json_lines(ok(run("campaigns", "start", cid, "--format", "json")).stdout)
    assert len(started) == 1 and started[0]["id"] == cid and started[0]["status"] == "active"
    paused = ok(run("campaigns", "pause", cid, "--format", "table")).stdout
    assert cid in paused and "paused" in paused
    listed = json_lines(ok(run("campaigns", "list")).stdout)
    assert next(c for c in listed if c["id"] == cid)["status"] == "paused"


def _dialed_campaign(run: Cli) -> str:
    campaigns = json_lines(ok(run("campaigns", "list")).stdout)
    return str(next(c["id"] for c in campaigns if c["dialed"] > 0))


def test_results_stream_every_page_and_match_the_summary(run: Cli) -> None:
    cid = _dialed_campaign(run)
    summary = json_lines(ok(run("summary", cid, "--format", "json")).stdout)[0]
    results = json_lines(ok(run("results", cid, "--format", "json")).stdout)
    assert len(results) == summary["total_calls"] > 0
    assert len({r["result_id"] for r in results}) == len(results)
    rows = csv_rows(ok(run("results", cid, "--format", "csv")).stdout)
    assert [int(r["result_id"]) for r in rows] == [r["result_id"] for r in results]
    assert rows[0]["disposition.name"] == results[0]["disposition"]["name"]
    assert rows[0]["disposition.contacted"] in ("true", "false")
    # Money keeps its digits: the CSV cell and the JSON number are the same decimal.
    for row, result in zip(rows, results, strict=True):
        if result["amount"] is not None:
            assert Decimal(row["amount"]) == Decimal(repr(result["amount"]))


def test_results_filters(run: Cli) -> None:
    cid = _dialed_campaign(run)
    results = json_lines(ok(run("results", cid)).stdout)
    disposition = results[0]["disposition"]["id"]
    only = json_lines(ok(run("results", cid, "--disposition", str(disposition))).stdout)
    assert only and all(r["disposition"]["id"] == disposition for r in only)
    assert len(only) == sum(r["disposition"]["id"] == disposition for r in results)
    days = sorted(r["completed_at"][:10] for r in results)
    start, end = days[len(days) // 4], days[len(days) // 2]
    ranged = json_lines(ok(run("results", cid, "--from", start, "--to", end)).stdout)
    assert ranged and all(start <= r["completed_at"][:10] <= end for r in ranged)
    assert len(ranged) == sum(start <= d <= end for d in days)


def test_results_table_stops_at_100_rows_and_says_so(run: Cli) -> None:
    cid = _dialed_campaign(run)
    result = ok(run("results", cid, "--format", "table"))
    ids = re.findall(r"^│\s+(\d+) │", result.stdout, flags=re.MULTILINE)
    assert len(ids) == 100
    assert "showing the first 100 rows" in result.stderr
    limited = ok(run("results", cid, "--format", "table", "--limit", "5"))
    assert len(re.findall(r"^│\s+(\d+) │", limited.stdout, flags=re.MULTILINE)) == 5
    assert "showing the first" not in limited.stderr


def test_summary_formats(run: Cli) -> None:
    cid = _dialed_campaign(run)
    summary = json_lines(ok(run("summary", cid, "--format", "json")).stdout)
    assert len(summary) == 1
    data = summary[0]
    assert sum(d["count"] for d in data["dispositions"]) == data["total_calls"]
    rows = csv_rows(ok(run("summary", cid, "--format", "csv")).stdout)
    assert [r["code"] for r in rows] == [d["code"] for d in data["dispositions"]]
    chart = ok(run("summary", cid, "--format", "table")).stdout
    assert "█" in chart and "contact rate" in chart
    top = data["dispositions"][0]
    bar_line = next(line for line in chart.splitlines() if line.strip().startswith(top["name"]))
    assert bar_line.count("█") == 32  # the largest count gets the full bar


def test_summary_date_range(run: Cli) -> None:
    cid = _dialed_campaign(run)
    result = ok(run("summary", cid, "--from", "2026-05-01", "--to", "2026-05-31"))
    ranged = json_lines(result.stdout)
    assert ranged[0]["date_range"] == {"from": "2026-05-01", "to": "2026-05-31"}


def test_activity_type_filter_by_id_and_name(run: Cli) -> None:
    cid = _dialed_campaign(run)
    every = json_lines(ok(run("activity", cid)).stdout)
    imported = json_lines(ok(run("activity", cid, "--type", "records-imported")).stdout)
    assert imported and all(a["type"]["id"] == 1 for a in imported)
    assert len(imported) == sum(a["type"]["id"] == 1 for a in every)
    started = json_lines(ok(run("activity", cid, "--type", "3")).stdout)
    assert all(a["type"]["id"] == 3 for a in started)
    rows = csv_rows(ok(run("activity", cid, "--format", "csv")).stdout)
    assert [int(r["activity_id"]) for r in rows] == [a["activity_id"] for a in every]
    assert "type.name" in rows[0]
    table = ok(run("activity", cid, "--format", "table")).stdout
    assert "Records Imported" in table


# -- SMS ------------------------------------------------------------------------------------


def test_sms_list_get_and_formats(run: Cli, emulator: EmulatorThread) -> None:
    expected = emulator.emu.sms_campaign_ids()
    listed = json_lines(ok(run("sms", "list")).stdout)
    assert [c["id"] for c in listed] == expected
    assert [r["id"] for r in csv_rows(ok(run("sms", "list", "--format", "csv")).stdout)] == expected
    running = json_lines(ok(run("sms", "list", "--status", "running")).stdout)
    assert all(c["running_count"] > 0 for c in running)
    assert len(running) == sum(c["running_count"] > 0 for c in listed)
    one = json_lines(ok(run("sms", "get", expected[0])).stdout)
    assert one[0]["id"] == expected[0] and one[0]["template"]
    table = ok(run("sms", "get", expected[0], "--format", "table")).stdout
    assert "Template" in table


def _busiest_sms(run: Cli) -> str:
    listed = json_lines(ok(run("sms", "list")).stdout)
    return str(max(listed, key=lambda c: c["total_runs"])["id"])


def test_sms_runs_with_status(run: Cli) -> None:
    sid = _busiest_sms(run)
    runs = json_lines(ok(run("sms", "runs", sid)).stdout)
    assert runs
    status = runs[0]["status"]
    same = json_lines(ok(run("sms", "runs", sid, "--status", status)).stdout)
    assert same and all(r["status"] == status for r in same)
    rows = csv_rows(ok(run("sms", "runs", sid, "--format", "csv")).stdout)
    assert [int(r["run_id"]) for r in rows] == [r["run_id"] for r in runs]


def test_sms_messages_filters_and_summary_caption(run: Cli) -> None:
    sid = _busiest_sms(run)
    messages = json_lines(ok(run("sms", "messages", sid)).stdout)
    assert messages
    received = json_lines(ok(run("sms", "messages", sid, "--direction", "received")).stdout)
    assert all(m["direction"] == "received" for m in received)
    assert len(received) == sum(m["direction"] == "received" for m in messages)
    run_id = messages[0]["run_id"]
    of_run = json_lines(ok(run("sms", "messages", sid, "--run-id", str(run_id))).stdout)
    assert of_run and all(m["run_id"] == run_id for m in of_run)
    delivered = json_lines(ok(run("sms", "messages", sid, "--status", "delivered")).stdout)
    assert all(m["status"] == "delivered" for m in delivered)
    day = messages[0]["sent_at"][:10]
    on_day = json_lines(ok(run("sms", "messages", sid, "--from", day, "--to", day)).stdout)
    assert on_day and all(m["sent_at"][:10] == day for m in on_day)
    rows = csv_rows(ok(run("sms", "messages", sid, "--format", "csv")).stdout)
    assert [int(r["message_id"]) for r in rows] == [m["message_id"] for m in messages]
    table = ok(run("sms", "messages", sid, "--format", "table")).stdout
    sent = sum(m["direction"] == "sent" for m in messages)
    assert f"{len(messages)} matching messages: {sent} sent" in table


# -- account and billing --------------------------------------------------------------------


def test_account(run: Cli) -> None:
    account = json_lines(ok(run("account")).stdout)
    assert len(account) == 1 and account[0]["id"] and account[0]["name"]
    rows = csv_rows(ok(run("account", "--format", "csv")).stdout)
    assert rows[0]["id"] == account[0]["id"]
    assert "contacts.primary.email" in rows[0]
    table = ok(run("account", "--format", "table")).stdout
    assert account[0]["name"] in table


def test_phone_numbers(run: Cli) -> None:
    numbers = json_lines(ok(run("phone-numbers")).stdout)
    assert numbers and all(n["phone_number"].startswith("+") for n in numbers)
    rows = csv_rows(ok(run("phone-numbers", "--format", "csv")).stdout)
    assert [r["phone_number"] for r in rows] == [n["phone_number"] for n in numbers]
    assert rows[0]["type.name"] == numbers[0]["type"]["name"]
    one = json_lines(ok(run("phone-numbers", "--limit", "1")).stdout)
    assert one == numbers[:1]


def test_billing(run: Cli, emulator: EmulatorThread) -> None:
    usage = json_lines(ok(run("billing")).stdout)
    assert len(usage) == 1
    data, summary = usage[0]["data"], usage[0]["summary"]
    total = sum(Decimal(repr(c["cost"])) for c in data)
    assert total == Decimal(repr(summary["total_cost"]))
    rows = csv_rows(ok(run("billing", "--format", "csv")).stdout)
    assert [r["campaign_id"] for r in rows] == [c["campaign_id"] for c in data]
    cid = emulator.emu.campaign_ids()[0]
    one = json_lines(ok(run("billing", "--campaign", cid)).stdout)[0]
    assert [c["campaign_id"] for c in one["data"]] == [cid]
    ranged = json_lines(ok(run("billing", "--from", "2026-05-01", "--to", "2026-05-31")).stdout)
    assert ranged[0]["summary"]["date_range"] == {"from": "2026-05-01", "to": "2026-05-31"}
    table = ok(run("billing", "--format", "table")).stdout
    assert "Total" in table


# -- colour ---------------------------------------------------------------------------------

_COLOUR = re.compile(r"\x1b\[(?:\d+;)*(?:3[0-7]|9[0-7]|38)[;m]")


def test_tables_are_coloured_on_a_forced_terminal_unless_no_color(run: Cli) -> None:
    coloured = ok(run("campaigns", "list", "--format", "table", env={"FORCE_COLOR": "1"}))
    assert _COLOUR.search(coloured.stdout)
    plain = ok(
        run("campaigns", "list", "--format", "table", env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    )
    assert not _COLOUR.search(plain.stdout)
    assert "Dial campaigns" in plain.stdout


def test_json_and_csv_never_carry_escape_codes(run: Cli) -> None:
    for fmt in ("json", "csv"):
        result = ok(run("campaigns", "list", "--format", fmt, env={"FORCE_COLOR": "1"}))
        assert "\x1b" not in result.stdout
