"""Row 10: the event source's requests per region per poll while it watches 50 copy jobs in 3 regions.

The installed ``amazon.bedrock.model_copy_jobs`` source (the file ansible-rulebook would load) runs in this
process with its ``main(queue, args)`` and real boto3 clients against the endpoint. Each region also holds
older finished jobs that match the watch, more than one page of them, so a full listing every poll (what
``model_copy_job_info`` does) takes two requests where the source's early stop takes one. Everything is
counted from the endpoint's request log; docs/docsite/rst/benchmarks.rst explains the row. A poll in which
some jobs completed also reads their custom models (one GetCustomModel or ListCustomModels request: a copy is
an event only once its model is Active); those reads are counted apart from the ListModelCopyJobs requests.
"""

from __future__ import annotations

import asyncio
import importlib.util
import math
import statistics
import time
from collections import Counter
from typing import TYPE_CHECKING, Any

from harness import check, met

if TYPE_CHECKING:
    from harness import Bench

REGIONS = ("us-west-2", "eu-central-1", "ap-northeast-1")
JOBS = 50
HISTORY = 1_500  # finished jobs per region that match the watch: two pages of a full listing
DELAY_SECONDS = 1
COPY_SECONDS = 4.0
QUIET_POLLS = 3
TIMEOUT = 90.0
NAME = "support-bot"
SOURCE_PATH = "ansible_collections/amazon/bedrock/extensions/eda/plugins/event_source/model_copy_jobs.py"


def _load_source(bench: Bench) -> Any:
    spec = importlib.util.spec_from_file_location("bench_model_copy_jobs", bench.collections / SOURCE_PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


MODEL_READS = ("GetCustomModel", "ListCustomModels")


def _polls(log: list[dict[str, Any]], region: str) -> list[Counter[str]]:
    """Requests of each poll of ``region``, in order, as {"list": ListModelCopyJobs, "models": model reads,
    "other": the rest}: a poll starts with a ListModelCopyJobs without nextToken."""
    polls: list[Counter[str]] = []
    for entry in sorted((e for e in log if e["region"] == region), key=lambda e: e["time"]):
        if entry["operation"] == "CreateModelCopyJob":
            continue  # the benchmark's own requests
        if entry["operation"] == "ListModelCopyJobs" and "nextToken" not in entry.get("query", {}):
            polls.append(Counter())
        if polls:
            kind = {"ListModelCopyJobs": "list", **dict.fromkeys(MODEL_READS, "models")}.get(
                entry["operation"], "other"
            )
            polls[-1][kind] += 1
    return polls


def run(bench: Bench) -> None:
    """Seed, start the source, create and complete the jobs, watch a few quiet polls, count."""
    endpoint = bench.endpoint
    endpoint.reset()
    endpoint.lifecycle(duration_seconds=COPY_SECONDS, polls=None, fail=[])
    sources = {}
    for region in REGIONS:
        sources[region] = endpoint.model(region, "support-base")
        endpoint.generate(region, HISTORY, sources[region], f"{NAME}-old-", ["Completed", "Failed"])
    source = _load_source(bench)
    clients = {r: bench_client(bench, r) for r in REGIONS}
    args = {
        "regions": list(REGIONS),
        "target_model_name_contains": NAME,
        "delay_seconds": DELAY_SECONDS,
        "endpoint_url": endpoint.url,
        "aws_access_key_id": "testing",
        "aws_secret_access_key": "testing",
    }
    per_region = [len(range(i, JOBS, len(REGIONS))) for i in range(len(REGIONS))]

    async def watch() -> tuple[list[dict[str, Any]], float]:
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        endpoint.reset_stats()
        task = asyncio.create_task(source.main(queue, args))
        deadline = time.monotonic() + TIMEOUT

        async def until(what: str, ready: Any) -> None:
            while not ready():
                if task.done():
                    task.result()
                    raise RuntimeError(f"the source ended while waiting for {what}")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"no {what} within {TIMEOUT:.0f}s")
                await asyncio.sleep(0.05)

        def second_poll_started() -> bool:
            log = endpoint.stats()["log"]
            return all(len(_polls(log, r)) >= 2 for r in REGIONS)

        events: list[dict[str, Any]] = []

        def drained(count: int) -> bool:
            while not queue.empty():
                events.append(queue.get_nowait())
            return len(events) >= count

        await until("second poll of every region", second_poll_started)
        for region, count in zip(REGIONS, per_region):
            for i in range(count):
                await asyncio.to_thread(
                    clients[region].create_model_copy_job,
                    sourceModelArn=sources[region],
                    targetModelName=f"{NAME}-{region}-{i:02d}",
                )
        await until("an event for each new job and each completion", lambda: drained(2 * JOBS))
        await asyncio.sleep(QUIET_POLLS * DELAY_SECONDS + 0.5)
        drained(0)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        return events, time.monotonic()

    started = time.monotonic()
    events, ended = asyncio.run(watch())
    stats = endpoint.stats()
    kinds = Counter((e["model_copy_job"]["job_arn"], e["previous_status"]) for e in events)
    check(len(kinds) == 2 * JOBS and set(kinds.values()) == {1}, f"events not exactly once: {len(events)} events")
    check(
        all(e["model_copy_job"]["status"] == "Completed" for e in events if e["previous_status"]),
        "a finishing event is not Completed",
    )
    regions = {}
    for region in REGIONS:
        polls = _polls(stats["log"], region)
        steady = [poll["list"] + poll["other"] for poll in polls[1:]]
        reads = [poll["models"] for poll in polls[1:]]
        regions[region] = {
            "polls": len(polls),
            "first_poll_requests": sum(polls[0].values()),
            "steady_mean": statistics.mean(steady),
            "steady_max": max(steady),
            "model_reads": sum(reads),
            "model_read_polls": sum(1 for n in reads if n),
            "model_reads_max": max(reads),
        }
    # A full listing of one region now, for comparison: what re-reading everything every poll would cost.
    endpoint.reset_stats()
    from ansible_collections.amazon.bedrock.plugins.module_utils._copy_jobs import CopyJobListing

    listed = sum(1 for _job in CopyJobListing(clients[REGIONS[0]], {"targetModelNameContains": NAME}))
    full = endpoint.stats()["requests"]["ListModelCopyJobs"]
    check(listed == HISTORY + per_region[0], f"the full listing returned {listed} jobs")
    bench.results["events"] = {
        "jobs": JOBS,
        "history_per_region": HISTORY,
        "regions": regions,
        "per_region_jobs": per_region,
        "events": len(events),
        "delay_seconds": DELAY_SECONDS,
        "seconds": round(ended - started, 1),
        "full_listing_requests": full,
        "expected_full_listing": math.ceil((HISTORY + per_region[0]) / 1000),
    }


def bench_client(bench: Bench, region: str) -> Any:
    import boto3

    return boto3.session.Session().client(
        "bedrock",
        endpoint_url=bench.endpoint.url,
        region_name=region,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def table_rows(results: dict[str, Any]) -> list[list[str]]:
    if "events" not in results:
        return []
    r = results["events"]
    regions = r["regions"]
    worst = max(v["steady_max"] for v in regions.values())
    mean = max(v["steady_mean"] for v in regions.values())
    reads_max = max(v.get("model_reads_max", 0) for v in regions.values())
    return [
        [
            "10",
            f"Event source `model_copy_jobs`, {r['jobs']} jobs in progress across {len(regions)} regions (next to "
            f"{r['history_per_region']:,} finished ones each), until all completed and {QUIET_POLLS} polls more: "
            "ListModelCopyJobs requests per region per poll after the first (custom-model reads apart)",
            " / ".join(f"{v['steady_mean']:.2f}" for v in regions.values())
            + f" (at most {worst}; first poll {' / '.join(str(v['first_poll_requests']) for v in regions.values())};"
            f" {r['events']} events, each once; custom-model reads"
            f" {' / '.join(str(v['model_reads']) for v in regions.values())}, in"
            f" {' / '.join(str(v['model_read_polls']) for v in regions.values())} polls, at most {reads_max} a poll)",
            f"a full listing every poll: {r['full_listing_requests']}",
            f"{mean / r['full_listing_requests']:.2f}" if r["full_listing_requests"] else "",
            "1",
            met(worst == 1 and reads_max <= 1),
        ]
    ]
