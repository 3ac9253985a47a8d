"""Benchmarks of amazon.bedrock against the local endpoint: one markdown table, the same figures as JSON.

Run it with ``make bench`` (builds and installs the collection, starts the endpoint, exports
BEDROCK_ENDPOINT_URL). docs/docsite/rst/benchmarks.rst explains every row and how it is measured.

This file is the list of rows and the command line; the harness is bench/harness.py, and each row is a module
with ``run(bench)`` and ``table_rows(results)``. Exits non-zero only when a measurement crashed; a missed target
is a result, reported in the table.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import sys
import time
import traceback
from collections.abc import Callable
from typing import Any

import accounts
import common
import deployments
import events
import faults
import figures
import harness
import in_process
import listing
import provisioned
import regions
import verdict
import waiting
import whole_task
from common import Endpoint

RESULTS = common.ROOT / "bench" / "results"
# number, results key, title, what runs it. Row 6 comes with row 1 (the same module processes).
ROWS: list[tuple[int, str, str, Callable[[harness.Bench], None]]] = [
    (1, "listing", "Rows 1 and 6: API calls and peak RSS", listing.run),
    (2, "faults", "Row 2: API calls under faults", faults.run),
    (3, "in_process", "Row 3: in-process cost", in_process.run),
    (4, "whole_task", "Row 4: whole task", whole_task.run),
    (5, "waiting", "Row 5: waiting", waiting.run),
    (7, "regions", "Row 7: 20 regions vs 1 region", regions.run),
    (8, "verdict", "Row 8: the gate's verdict delay", verdict.run),
    (9, "provisioned", "Row 9: provisioned throughput listing", provisioned.run),
    (10, "events", "Row 10: event source requests per poll", events.run),
    (11, "deployments", "Row 11: custom model deployment listing", deployments.run),
    (12, "accounts", "Row 12: 5 accounts x 4 regions vs 1 account x 4 regions", accounts.run),
]
# The table, in row order.
TABLE: list[Callable[[dict[str, Any]], list[list[str]]]] = [
    listing.table_rows,
    faults.table_rows,
    in_process.table_rows,
    whole_task.table_rows,
    waiting.table_rows,
    listing.memory_rows,
    regions.table_rows,
    verdict.table_rows,
    provisioned.table_rows,
    events.table_rows,
    deployments.table_rows,
    accounts.table_rows,
    harness.error_rows,
]


def table_rows(results: dict[str, Any]) -> list[list[str]]:
    return [row for section in TABLE for row in section(results)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="small sizes and one repetition (a smoke test, not figures)"
    )
    parser.add_argument("--rows", default="1,2,3,4,5,7,8,9,10,11", help="comma-separated rows to run (6 comes with 1)")
    parser.add_argument("--no-role", action="store_true", help="row 5 without the model_copy_gate role (minutes)")
    args = parser.parse_args()
    url = os.environ.get("BEDROCK_ENDPOINT_URL")
    if not url:
        print("BEDROCK_ENDPOINT_URL is not set: run `make bench`", file=sys.stderr)
        return 2
    wanted = {int(x) for x in args.rows.split(",")}
    started = datetime.datetime.now(datetime.timezone.utc)
    results: dict[str, Any] = {
        "date": started.isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "load_before": os.getloadavg()},
        "quick": args.quick,
        "errors": {},
    }
    with common.scratch() as work, common.collections_snapshot(work) as collections:
        results["versions"] = harness.versions(collections)
        sizes = dict(harness.QUICK if args.quick else harness.FULL, role=not args.no_role)
        bench = harness.Bench(Endpoint(url), work, collections, sizes)
        bench.results = results
        for number, key, title, step in ROWS:
            if number not in wanted:
                continue
            began = time.monotonic()
            print(f"bench: {title} ...", file=sys.stderr, flush=True)
            try:
                step(bench)
            except Exception:
                results["errors"][key] = traceback.format_exc()
                print(results["errors"][key], file=sys.stderr)
            results.setdefault("seconds", {})[key] = round(time.monotonic() - began, 1)
    results["machine"]["load_after"] = os.getloadavg()
    rows = table_rows(results)
    table = harness.markdown(rows)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = started.strftime("%Y%m%dT%H%M%SZ")
    payload = json.dumps(results, indent=2, default=str)
    for name in (f"bench-{stamp}.json", "latest.json"):
        (RESULTS / name).write_text(payload + "\n")
    (RESULTS / "latest.md").write_text(table + "\n")
    (RESULTS / "latest.rst").write_text(harness.rst(rows) + "\n")
    figures.draw(results, RESULTS)
    print(table)
    took = sum(results["seconds"].values())
    print(f"\nbench: figures in bench/results/latest.json (also bench-{stamp}.json); {took:.0f}s")
    return 1 if results["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
