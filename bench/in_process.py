"""Row 3: the module's listing code against a bare boto3 paginator, in this process, against the same endpoint."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from common import REGION, ratio
from harness import check, fmt_ratio, interleaved, met, pct, sampled

if TYPE_CHECKING:
    from harness import Bench

WALL_TARGET = 1.10


def run(bench: Bench) -> None:
    import bare_boto3

    from ansible_collections.amazon.bedrock.plugins.module_utils._bedrock import (
        keep_timestamps_as_text,
    )
    from ansible_collections.amazon.bedrock.plugins.module_utils._copy_jobs import (
        CopyJobListing,
    )
    from ansible_collections.amazon.bedrock.plugins.module_utils._facts import to_job_facts

    n = bench.sizes["big"]
    bench.seed(n)
    bare_client = bare_boto3.client(bench.endpoint.url, REGION)
    module_client = keep_timestamps_as_text(bare_boto3.client(bench.endpoint.url, REGION))
    default_client = bare_boto3.client(bench.endpoint.url, REGION)
    sides: dict[str, Callable[[], list[Any]]] = {
        # What the module does: its client keeps timestamps as text, then CopyJobListing + to_job_facts.
        "module": lambda: [to_job_facts(s) for s in CopyJobListing(module_client, {})],
        "bare": lambda: bare_boto3.list_model_copy_jobs(bare_client),
        # The same code with botocore's own timestamp parsing, to show what that switch is worth.
        "module_botocore_times": lambda: [to_job_facts(s) for s in CopyJobListing(default_client, {})],
    }
    for side in sides.values():  # warm-up: botocore's loaders, the endpoint's per-job JSON cache
        side()
    samples: dict[str, list[dict[str, float]]] = {name: [] for name in sides}
    names = list(sides)
    for name in interleaved(names, bench.sizes["in_process_reps"]):
        gc.collect()
        bench.endpoint.reset_stats()
        wall, cpu = time.perf_counter(), time.process_time()
        jobs = sides[name]()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        check(len(jobs) == n, f"{name} listed {len(jobs)} of {n} jobs")
        del jobs
        samples[name].append({"wall": wall, "cpu": cpu, "server_seconds": bench.endpoint.stats()["server_seconds"]})
    bench.results["in_process"] = sampled(n, bench.sizes["in_process_reps"], samples)


def table_rows(r: dict[str, Any]) -> list[list[str]]:
    if "in_process" not in r:
        return []
    p = r["in_process"]
    m, b, d = p["module"], p["bare"], p["module_botocore_times"]
    wall = ratio(m["wall"], b["wall"])
    return [
        [
            "3",
            f"In-process: listing + facts of {p['jobs']:,} jobs vs bare boto3 paginator, wall, median of {p['reps']}",
            f"CPU ratio {fmt_ratio(ratio(m['cpu'], b['cpu']))}; endpoint {pct(m['server_seconds'], m['wall'])} of wall",
            f"bare boto3; endpoint {pct(b['server_seconds'], b['wall'])} of wall",
            fmt_ratio(wall),
            f"≤ {WALL_TARGET:.2f}",
            met(wall <= WALL_TARGET),
        ],
        [
            "3",
            "… the same with botocore parsing timestamps (the module's client keeps them as text)",
            f"CPU ratio {fmt_ratio(ratio(d['cpu'], b['cpu']))}",
            "bare boto3",
            fmt_ratio(ratio(d["wall"], b["wall"])),
            "(for comparison)",
            "",
        ],
    ]
