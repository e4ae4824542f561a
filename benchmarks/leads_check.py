"""``check_leads`` and ``freestyle leads check`` over a generated leads file: rows/s and memory.

    python benchmarks/leads_check.py                  # 1,000,000 rows (about a minute)
    python benchmarks/leads_check.py --rows 200000    # a quick run

A CSV file of ``--rows`` leads (formatted phones, about 2 % invalid rows, 1 % repeated phones)
is generated in a temporary folder. Then, each in a fresh child process:

- ``freestyle leads check FILE --normalized OUT --format json``: its rows/s and peak RSS
  (``resource.getrusage(RUSAGE_CHILDREN)``, run first so the figure is its own);
- ``check_leads(read_contacts_csv(FILE), on_valid=...)``: its rows/s, its RSS when it has
  read 100,000, half and all of the rows, and its peak RSS (``VmHWM``, or ``ru_maxrss`` from
  ``resource.getrusage`` where there is no ``/proc``). The check keeps one entry per
  distinct ``phone1`` to find repeats (the one thing allowed to grow): the child then builds
  a dict of the same size and shape and prints its size (``sys.getsizeof``), so what is left
  of the growth is what the rest of the check holds (the rejected rows and repeats it lists).

Nothing is asserted: the figures are printed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from typing import Any


def generate(path: str, rows: int, *, distinct: int | None = None, seed: int = 0) -> None:
    """``rows`` leads; ``distinct`` bounds the number of different phones (None: all differ)."""
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8", newline="") as file:
        file.write("Phone,Name,Account,Balance,Email\n")
        lines = []
        for i in range(rows):
            n = i if distinct is None else i % distinct
            local = 2_000_000 + (n * 7919) % 8_000_000
            phone = f"+1 (416) {local // 10_000}-{local % 10_000:04d}"
            name, balance = f"Lead {i}", f"{rng.randrange(100, 500_000) / 100:.2f}"
            roll = rng.random()
            if roll < 0.01:
                phone = "555-01"
            elif roll < 0.02:
                balance = "n/a"
            elif roll < 0.03 and distinct is None and i:
                local = 2_000_000 + (rng.randrange(i) * 7919) % 8_000_000
                phone = f"416{local}"
            lines.append(f"{phone},{name},ACC-{i},{balance},lead{i}@example.com\n")
            if len(lines) == 10_000:
                file.writelines(lines)
                lines.clear()
        file.writelines(lines)


def rss_mb(field: str) -> float:
    """This process's ``VmRSS`` (now) or ``VmHWM`` (peak) in MB; ``ru_maxrss`` without /proc."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(path: str, rows: int) -> None:
    """Check ``path`` with the library and print one JSON line of figures."""
    from freestyle_async import check_leads, read_contacts_csv

    marks = sorted({min(100_000, rows), rows // 2, rows})
    rss: dict[int, float] = {}

    def on_valid(record: dict[str, Any], index: int, line: int | None) -> None:
        # (a valid record at or after each mark: rejected ones do not come here)
        if marks and index + 1 >= marks[0]:
            rss[marks.pop(0)] = rss_mb("VmRSS")

    started = time.perf_counter()
    report = check_leads(
        read_contacts_csv(
            path,
            columns={
                "Phone": "phone1",
                "Name": "account_name",
                "Account": "account_id",
                "Balance": "amount",
                "Email": "email",
            },
        ),
        on_valid=on_valid,
    )
    seconds = time.perf_counter() - started
    peak = rss_mb("VmHWM")  # before the dict below
    distinct = report.valid - len(report.duplicates)
    index = {4_000_000_000 + i: (i + 2) << 40 | i for i in range(distinct)}
    index_mb = (
        sys.getsizeof(index) + sum(sys.getsizeof(k) + sys.getsizeof(v) for k, v in index.items())
    ) / 2**20
    del index
    print(
        json.dumps(
            {
                "seconds": seconds,
                "distinct": distinct,
                "index_mb": index_mb,
                "read": report.read,
                "rejected": report.rejected,
                "duplicates": len(report.duplicates),
                "rss_at": {str(k): v for k, v in sorted(rss.items())},
                "peak_mb": peak,
            }
        )
    )


def run_child(path: str, rows: int) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", path, "--rows", str(rows)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"the check failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def show(label: str, rows: int, result: dict[str, Any]) -> None:
    at = ", ".join(f"{int(k):,} rows {v:.1f} MB" for k, v in result["rss_at"].items())
    growth = list(result["rss_at"].values())
    growth_mb = growth[-1] - growth[0]
    print(
        f"{label}: {rows / result['seconds']:,.0f} rows/s ({result['seconds']:.1f} s); "
        f"{result['rejected']:,} rejected, {result['duplicates']:,} repeats; "
        f"RSS at {at} (+{growth_mb:.1f} MB); peak {result['peak_mb']:.1f} MB. The index of "
        f"{result['distinct']:,} distinct phones alone: {result['index_mb']:.1f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--child", metavar="FILE", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.rows)
        return
    with tempfile.TemporaryDirectory(prefix="leads-check-") as folder:
        unique = os.path.join(folder, "unique.csv")
        started = time.perf_counter()
        generate(unique, args.rows)
        size = os.path.getsize(unique) / 1e6
        print(
            f"generated {args.rows:,} rows ({size:.0f} MB) in {time.perf_counter() - started:.1f} s"
        )
        command = shutil.which("freestyle") or "freestyle"
        cli = [command, "leads", "check", unique, "--format", "json"]
        cli += ["--map", "Phone=phone1", "--map", "Name=account_name"]
        cli += ["--map", "Account=account_id", "--map", "Balance=amount", "--map", "Email=email"]
        cli += ["--normalized", os.path.join(folder, "clean.csv")]
        started = time.perf_counter()
        done = subprocess.run(cli, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        if done.returncode not in (0, 8):
            raise SystemExit(f"freestyle leads check failed:\n{done.stderr}")
        print(
            f"freestyle leads check --normalized (exit {done.returncode}): "
            f"{args.rows / seconds:,.0f} rows/s ({seconds:.1f} s); peak RSS {peak:.1f} MB"
        )
        show("check_leads", args.rows, run_child(unique, args.rows))


if __name__ == "__main__":
    main()
