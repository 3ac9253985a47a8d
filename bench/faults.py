"""Row 2: listing N copy jobs under 30 % throttles plus a burst on a late page: pages, retried pages and restarts
of the module, the amazon.aws pattern and the AWS CLI."""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING, Any

from common import REGION, list_calls, ratio, restarts
from harness import fmt_ratio, met

if TYPE_CHECKING:
    from harness import Bench

# Throttles on ListModelCopyJobs: 30 % of all requests, and one burst of 5 on a late page. Five outlasts
# botocore's own retries in both clients: 3 attempts for boto3 (standard mode, its default) and 5 for the
# AWS CLI v1 (legacy mode, its default), so the burst reaches the caller's own retry logic.
THROTTLE_SHARE = 0.3
BURST = 5


def run(bench: Bench) -> None:
    import bare_boto3
    import baseline

    n = bench.sizes["big"]
    bench.seed(n)
    pages = math.ceil(n / 1000)
    burst_page = max(2, pages - 1)
    rules = [
        {"operation": "ListModelCopyJobs", "kind": "throttle", "page": burst_page, "count": BURST},
        {"operation": "ListModelCopyJobs", "kind": "throttle", "probability": THROTTLE_SHARE},
    ]
    result: dict[str, Any] = {"jobs": n, "pages": pages, "burst_page": burst_page, "burst": BURST}

    def summary(stats: dict[str, Any], **extra: Any) -> dict[str, Any]:
        calls = list_calls(stats)
        served = sum(1 for e in stats["log"] if e["operation"] == "ListModelCopyJobs" and e["status"] == 200)
        return dict(
            calls=calls,
            throttled=stats["faults"]["throttle"],
            pages_served=served,
            restarts=restarts(stats),
            server_seconds=stats["server_seconds"],
            **extra,
        )

    bench.endpoint.faults(rules)
    module, stats = bench.measured(lambda: bench.module({"region": REGION}, "module-faults"))
    ok = module.returncode == 0 and len(module.json()["model_copy_jobs"]) == n
    result["module"] = summary(stats, ok=ok, wall=module.wall, error=None if ok else module.stderr[-500:])

    bench.endpoint.faults(rules)
    started = time.perf_counter()
    try:
        jobs, stats = bench.measured(
            lambda: baseline.list_model_copy_jobs(bare_boto3.client(bench.endpoint.url, REGION))
        )
        error, ok = None, len(jobs) == n
    except Exception as e:  # a failed listing is a result here
        stats, error, ok = bench.endpoint.stats(), str(e), False
    result["baseline"] = summary(stats, ok=ok, wall=time.perf_counter() - started, error=error)

    bench.endpoint.faults(rules)
    cli, stats = bench.measured(lambda: bench.cli("cli-faults"))
    ok = cli.returncode == 0 and len(cli.json()["modelCopyJobSummaries"]) == n
    result["cli"] = summary(stats, ok=ok, wall=cli.wall, error=None if ok else cli.stderr.strip()[-300:])
    bench.endpoint.clear_faults()
    bench.results["faults"] = result


def table_rows(r: dict[str, Any]) -> list[list[str]]:
    if "faults" not in r:
        return []
    f = r["faults"]
    m, b, c = f["module"], f["baseline"], f["cli"]

    def outcome(side: dict[str, Any]) -> str:
        if not side["ok"]:
            return f"failed after {side['calls']} calls"
        return f"{side['calls']} calls, {side['restarts']} restart{'s' if side['restarts'] != 1 else ''}"

    retried = m["calls"] - f["pages"]
    ok = m["ok"] and m["restarts"] == 0 and m["calls"] == f["pages"] + m["throttled"]
    return [
        [
            "2",
            f"API calls to list {f['jobs']:,} jobs: {THROTTLE_SHARE:.0%} throttled + {f['burst']} throttles "
            f"in a row on page {f['burst_page']}",
            f"{m['calls']} = {f['pages']} pages + {retried} retried, {m['restarts']} restarts"
            if m["ok"]
            else outcome(m),
            f"amazon.aws pattern: {outcome(b)}; AWS CLI: {outcome(c)}",
            fmt_ratio(ratio(m["calls"], b["calls"])),
            "pages + retried pages, 0 restarts",
            met(ok),
        ]
    ]
