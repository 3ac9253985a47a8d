"""Row 5: 50 copy jobs in progress across 3 regions, waited for by ``model_copy_job_info`` (``wait``, one process
per region) and by the ``model_copy_gate`` role: API calls per poll, and the delay from the last completion to
the gate opening."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import common
from common import REGION, median
from harness import check, fmt_ratio, met, pct

if TYPE_CHECKING:
    from harness import Bench

WAIT_REGIONS = ("us-west-2", "eu-central-1", "ap-northeast-1")
WAIT_JOBS = 50
COPY_SECONDS = 3.0
WAIT_SLEEP = 1
STAGGER_SECONDS = 1.0

PLAY_GATE = """\
- name: Gate on the copies
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/amazon.bedrock.aws:
      endpoint_url: "{{{{ endpoint }}}}"
  tasks:
    - name: Wait for every copy
      ansible.builtin.include_role:
        name: amazon.bedrock.model_copy_gate
      vars:
        model_copy_gate_copies: "{{{{ copies }}}}"
        model_copy_gate_poll_interval: {wait_sleep}
        model_copy_gate_timeout: 240
"""


@dataclasses.dataclass
class Waiting:
    """Processes that wait for the jobs, and how to learn when the gate opened (a time.monotonic())."""

    procs: list[subprocess.Popen[bytes]]
    gate_opened: Callable[[], float]
    results: dict[str, Path] = dataclasses.field(default_factory=dict)  # region -> the module's JSON output
    polls: Path | None = None  # the role's rounds: how many polls each made, one line per round


def run(bench: Bench) -> None:
    result: dict[str, Any] = {"jobs": WAIT_JOBS, "regions": list(WAIT_REGIONS), "wait_sleep": WAIT_SLEEP}
    # The delay depends on where the completion falls between two polls, so both run a few times.
    reps = bench.sizes["wait_reps"]
    runs = [_wait_with(bench, _start_module_waits, "module", rep / reps) for rep in range(reps)]
    result["module"] = summarise_waits(runs)
    role = bench.collections / "ansible_collections/amazon/bedrock/roles/model_copy_gate"
    if role.is_dir() and bench.sizes.get("role", True):
        runs = [_wait_with(bench, _start_role, "role", rep / reps) for rep in range(reps)]
        result["role"] = summarise_waits(runs)
    bench.results["waiting"] = result


def _setup(bench: Bench) -> tuple[str, dict[str, list[str]]]:
    """Fresh endpoint: a source model, 1,000 finished jobs of another model in each region (noise)."""
    bench.endpoint.reset()
    bench.endpoint.lifecycle(duration_seconds=COPY_SECONDS)
    source = bench.endpoint.model(REGION, "support-bot")
    other = bench.endpoint.model(REGION, "other-bot")
    names: dict[str, list[str]] = {}
    for i, region in enumerate(WAIT_REGIONS):
        bench.endpoint.generate(region, 1000, other, "old-", ["Completed", "Failed"])
        count = WAIT_JOBS // len(WAIT_REGIONS) + (1 if i < WAIT_JOBS % len(WAIT_REGIONS) else 0)
        names[region] = [f"release-42-{k:06d}" for k in range(count)]
    return source, names


def _start_module_waits(bench: Bench, source: str, names: dict[str, list[str]]) -> Waiting:
    """One model_copy_job_info wait per region, all at once, as three processes."""
    procs, results, ended = [], {}, {}
    for region in WAIT_REGIONS:
        args = {
            "region": region,
            "endpoint_url": bench.endpoint.url,
            "source_model_arn": source,
            "target_model_name_contains": "release-42",
            "wait": True,
            "wait_sleep": WAIT_SLEEP,
            "wait_timeout": 120,
        }
        path = bench.work / f"{bench.name('wait-' + region)}-args.json"
        path.write_text(json.dumps({"ANSIBLE_MODULE_ARGS": args}))
        results[region] = path.with_suffix(".out")
        with open(results[region], "wb") as out:
            cmd = [sys.executable, str(bench.module_path), str(path)]
            procs.append(subprocess.Popen(cmd, stdout=out, env=bench.module_env))

    def waiter(region: str, proc: subprocess.Popen[bytes]) -> None:
        proc.wait()
        ended[region] = time.monotonic()

    threads = [threading.Thread(target=waiter, args=pair) for pair in zip(WAIT_REGIONS, procs)]
    for thread in threads:
        thread.start()

    def gate_opened() -> float:
        for thread in threads:
            thread.join(timeout=300)
        return max(ended.values())

    return Waiting(procs, gate_opened, results)


def _start_role(bench: Bench, source: str, names: dict[str, list[str]]) -> Waiting:
    """The model_copy_gate role over the same 50 copies (one entry per copy, as the role asks)."""
    copies = [
        {"region": r, "source_model_arn": source, "target_model_name": name} for r in WAIT_REGIONS for name in names[r]
    ]
    (bench.work / "copies.json").write_text(json.dumps({"copies": copies}))
    play = bench.work / "gate.yml"
    play.write_text(PLAY_GATE.format(wait_sleep=WAIT_SLEEP))
    clock = bench.work / "gate-clock"
    polls = bench.work / "gate-polls"
    polls.unlink(missing_ok=True)
    env = dict(
        bench.env,
        BENCH_GATE_CLOCK=str(clock),
        BENCH_GATE_POLLS=str(polls),
        ANSIBLE_CALLBACK_PLUGINS=str(common.ROOT / "bench" / "callback_plugins"),
    )
    env["ANSIBLE_CALLBACKS_ENABLED"] = "bench_gate_clock"
    cmd = bench.playbook_command(play, "-e", "@copies.json")
    output = bench.work / f"{bench.name('gate')}.out"
    with open(output, "wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=bench.work)

    def gate_opened() -> float:
        proc.wait(timeout=600)
        check(proc.returncode == 0, f"the gate playbook failed: {output.read_text()[-3000:]}")
        when, is_open = clock.read_text().split()
        check(is_open == "True", "the gate did not open")
        return float(when)

    return Waiting([proc], gate_opened, polls=polls)


def _wait_with(bench: Bench, start: Callable[..., Waiting], what: str, phase: float = 0.0) -> dict[str, Any]:
    """Start the waits, create the jobs once every wait is polling, time the gate.

    The jobs are created right after a poll was seen, plus ``phase`` of wait_sleep: where the
    completion falls between two polls decides most of the delay, so the repetitions spread it.
    """
    source, names = _setup(bench)
    bench.endpoint.reset_stats()
    launched = time.monotonic()
    waiting = start(bench, source, names)
    # Every wait is polling (and seeing no job yet) before the jobs appear.
    deadline = time.monotonic() + 300
    while True:
        log = bench.endpoint.stats()["log"]
        if set(WAIT_REGIONS) <= {e["region"] for e in log if e["operation"] == "ListModelCopyJobs"}:
            break
        for proc in waiting.procs:
            check(proc.poll() is None, f"a {what} wait ended before any job existed")
        check(time.monotonic() < deadline, f"the {what} waits did not start polling within 300 s")
        time.sleep(0.2)
    started_polling = time.monotonic() - launched
    time.sleep(phase * WAIT_SLEEP)
    seeded = []
    for i, region in enumerate(WAIT_REGIONS):
        if i:
            time.sleep(STAGGER_SECONDS)
        # The jobs' clock starts inside this request: no earlier than before it, no later than after it.
        seeded.append(time.monotonic())
        bench.endpoint.generate(region, len(names[region]), source, "release-42-", [None])
    last_completion = seeded[-1] + COPY_SECONDS  # the earliest it can be: delays are never understated
    opened = waiting.gate_opened()
    stats = bench.endpoint.stats()
    # A wait ends at the first poll that saw every job finished, so the last request of each region (the role
    # reads every region per poll) is the poll that saw its jobs finished.
    seen_done = [
        max(e["time"] for e in stats["log"] if e["operation"] == "ListModelCopyJobs" and e["region"] == region)
        for region in WAIT_REGIONS
    ]
    # Polls as the waits themselves counted them: each module wait's result (one per region), or the sum
    # over the role's rounds (each round is one model_copy_info wait that reads every region per poll).
    polls: dict[str, int] = {}
    for region, output in waiting.results.items():
        result = json.loads(output.read_text())
        check(not result.get("failed"), f"the wait in {region} failed: {result.get('msg')}")
        polls[region] = result["polls"]
    if waiting.polls is not None:
        rounds = [int(line) for line in waiting.polls.read_text().split()]
        polls = dict.fromkeys(WAIT_REGIONS, sum(rounds))
    per_region = {}
    for region in WAIT_REGIONS:
        calls = sum(1 for e in stats["log"] if e["operation"] == "ListModelCopyJobs" and e["region"] == region)
        per_region[region] = {"calls": calls, "polls": polls[region], "calls_per_poll": calls / polls[region]}
    request = _one_request(bench, source)
    return {
        "phase": phase,
        "seconds_to_start_polling": started_polling,
        "per_region": per_region,
        "delay": opened - last_completion,
        "detected_after": max(seen_done) - last_completion,
        "one_request": request,
        "budget": WAIT_SLEEP + request,
        "delay_ratio": (opened - last_completion) / (WAIT_SLEEP + request),
        "server_seconds": stats["server_seconds"],
        "wall": time.monotonic() - launched,
        # For the gate timeline figure (bench/figures.py): seconds since the first jobs were created.
        "timeline": {
            "created": {region: at - seeded[0] for region, at in zip(WAIT_REGIONS, seeded)},
            "completed": {region: at + COPY_SECONDS - seeded[0] for region, at in zip(WAIT_REGIONS, seeded)},
            "polls": {
                region: [
                    e["time"] - seeded[0]
                    for e in stats["log"]
                    if e["operation"] == "ListModelCopyJobs" and e["region"] == region
                ]
                for region in WAIT_REGIONS
            },
            "opened": opened - seeded[0],
        },
    }


def _one_request(bench: Bench, source: str) -> float:
    """Median wall time of one poll's request, measured the way the module makes it."""
    import bare_boto3

    from ansible_collections.amazon.bedrock.plugins.module_utils._bedrock import (
        keep_timestamps_as_text,
    )
    from ansible_collections.amazon.bedrock.plugins.module_utils._copy_jobs import (
        CopyJobListing,
    )

    times = []
    client = keep_timestamps_as_text(bare_boto3.client(bench.endpoint.url, WAIT_REGIONS[-1]))
    filters = {"sourceModelArnEquals": source, "targetModelNameContains": "release-42"}
    for _attempt in range(6):
        started = time.perf_counter()
        list(CopyJobListing(client, filters))
        times.append(time.perf_counter() - started)
    return median(times[1:])


def summarise_waits(runs: list[dict[str, Any]]) -> dict[str, Any]:
    ratios = [run["delay_ratio"] for run in runs]
    per_poll = {
        region: max(run["per_region"][region]["calls_per_poll"] for run in runs) for region in runs[0]["per_region"]
    }
    return {
        "runs": runs,
        "calls_per_poll": per_poll,
        "delay_ratio": median(ratios),
        "worst_delay_ratio": max(ratios),
        "detected_after": median([run["detected_after"] for run in runs]),
        "delay": median([run["delay"] for run in runs]),
        "budget": median([run["budget"] for run in runs]),
        "server_share": median([run["server_seconds"] / run["wall"] for run in runs]),
    }


def table_rows(r: dict[str, Any]) -> list[list[str]]:
    if "waiting" not in r:
        return []
    wt = r["waiting"]
    rows: list[list[str]] = []
    for who in ("module", "role"):
        if who not in wt:
            continue
        side = wt[who]
        per_poll = list(side["calls_per_poll"].values())
        label = (
            "`model_copy_job_info` `wait` per region"
            if who == "module"
            else "role `model_copy_gate`, one entry per copy"
        )
        rows.append(
            [
                "5",
                f"Waiting, {wt['jobs']} jobs in progress across {len(wt['regions'])} regions ({label}): "
                "API calls per poll per region",
                " / ".join(f"{v:.1f}" for v in per_poll),
                "",
                "",
                "≤ 1 per region",
                met(max(per_poll) <= 1.0),
            ]
        )
        runs = len(side["runs"])
        budget = side["budget"]
        rows.append(
            [
                "5",
                f"… delay from the last completion to the gate opening ({label}), as a share of "
                f"wait_sleep ({wt['wait_sleep']} s) + one request" + (f", median of {runs}" if runs > 1 else ""),
                f"first poll after the completion: {fmt_ratio(side['detected_after'] / budget)}"
                + (f"; worst of {runs} phases {fmt_ratio(side['worst_delay_ratio'])}" if runs > 1 else "")
                + f"; endpoint {pct(side['server_share'], 1)} of wall",
                "",
                fmt_ratio(side["delay_ratio"]),
                "≤ 1",
                met(side["delay_ratio"] <= 1.0),
            ]
        )
    return rows
