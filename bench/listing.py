"""Rows 1 and 6: API calls to list N copy jobs (the module, the AWS CLI, the amazon.aws pattern), and the module
process's peak RSS against a bare boto3 script printing the same jobs (at the big sizes)."""

from __future__ import annotations

import gc
import math
from typing import TYPE_CHECKING, Any

from common import REGION, list_calls, median, ratio
from harness import check, describe, fmt_ratio, met

if TYPE_CHECKING:
    from harness import Bench

RSS_TARGET = 1.5


def run(bench: Bench) -> None:
    import bare_boto3
    import baseline

    rows = []
    for n in bench.sizes["sizes"]:
        bench.seed(n)
        row: dict[str, Any] = {"jobs": n, "expected_calls": math.ceil(n / 1000)}
        memory = n in (bench.sizes["big"], bench.sizes["huge"])
        reps = 2 if memory else 1
        modules, bares = [], []
        for rep in range(reps):
            result, stats = bench.measured(lambda: bench.module({"region": REGION}))
            check(result.returncode == 0, f"module failed: {result.stderr}")
            found = len(result.json()["model_copy_jobs"])
            check(found == n, f"module returned {found} of {n} jobs")
            modules.append(describe(result, stats))
            if memory:
                bare, stats = bench.measured(bench.bare_script)
                check(bare.returncode == 0, f"bare boto3 script failed: {bare.stderr}")
                bares.append(describe(bare, stats))
            if rep == 0:
                cli, stats = bench.measured(bench.cli)
                row["cli"] = describe(cli, stats)
                if cli.returncode == 0:
                    row["cli"]["jobs"] = len(cli.json()["modelCopyJobSummaries"])
        row["module"] = modules
        if not bares:  # the listing-time figure (bench/figures.py) wants bare boto3 at every size
            bare, stats = bench.measured(bench.bare_script)
            check(bare.returncode == 0, f"bare boto3 script failed: {bare.stderr}")
            row["bare_timing"] = describe(bare, stats)
        jobs, stats = bench.measured(
            lambda: baseline.list_model_copy_jobs(bare_boto3.client(bench.endpoint.url, REGION))
        )
        row["baseline"] = {"calls": list_calls(stats), "jobs": len(jobs)}
        if bares:
            row["bare"] = bares
            row["rss_ratio"] = ratio(
                median([m["max_rss_mb"] for m in modules]), median([b["max_rss_mb"] for b in bares])
            )
        rows.append(row)
        del jobs
        gc.collect()
    bench.results["listing"] = rows


def table_rows(r: dict[str, Any]) -> list[list[str]]:
    """Row 1: one per size."""
    rows: list[list[str]] = []
    for row in r.get("listing", []):
        n, want = row["jobs"], row["expected_calls"]
        ours = row["module"][0]["calls"]
        cli = row["cli"]["calls"] if row["cli"]["returncode"] == 0 else f"failed ({row['cli']['calls']})"
        rows.append(
            [
                "1",
                f"API calls to list {n:,} jobs, no faults",
                f"{ours}",
                f"AWS CLI {cli}; amazon.aws pattern {row['baseline']['calls']}",
                fmt_ratio(ratio(ours, row["cli"]["calls"])),
                f"= ceil(N / 1000) = {want}",
                met(ours == want),
            ]
        )
    return rows


def memory_rows(r: dict[str, Any]) -> list[list[str]]:
    """Row 6: one per size measured for memory (after row 5 in the table)."""
    rows: list[list[str]] = []
    for row in r.get("listing", []):
        if "rss_ratio" not in row:
            continue
        module_rss = median([m["max_rss_mb"] for m in row["module"]])
        rows.append(
            [
                "6",
                f"Peak RSS of the module process, {row['jobs']:,} jobs, vs a bare boto3 script printing them, "
                f"median of {len(row['module'])}",
                f"vs the AWS CLI: {fmt_ratio(ratio(module_rss, row['cli']['max_rss_mb']))}",
                "bare boto3 script",
                fmt_ratio(row["rss_ratio"]),
                f"≤ {RSS_TARGET}",
                met(row["rss_ratio"] <= RSS_TARGET),
            ]
        )
    return rows
