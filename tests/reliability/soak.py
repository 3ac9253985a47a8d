"""The fault soak: list 5,000 seeded jobs under heavy faults, again and again; every job exactly once, every time.

Faults on every ListModelCopyJobs request, random but seeded (repetition i uses seed SEED + i): 50 % are
throttled, 10 % fail with a 500, 10 % are processed and then cut off mid-response, and 10 % are delayed by
a latency spike first. Each listing must return exactly the seeded set: no duplicate, no missing job, nothing
else; a listing that gives up (its retries exhausted) counts as a failure.

Two ways of listing, both with the collection as installed in .work/collections:

- in-process, the module's own listing code (CopyJobListing + to_job_facts) with botocore's retries switched
  off, so every fault reaches the module's page retry, and a fast RetryPolicy (60 attempts, 5-50 ms
  backoff), so a repetition takes about a second instead of the real policy's 1-20 s sleeps;
- model_copy_job_info through ansible-playbook, with the real retry policy (each page retried for up to 5 minutes,
  pauses drawn below 1, 2, 4 ... up to 20 s; botocore's own retries are always off).

It also runs the gate simulation (gate_sim.py) for more seeds than CI does, one after the other, with a longer
timeout (60 s instead of 30), so that copies end during later rounds of reading too, not only during the first.

Usage (``make soak`` runs it with --repetitions 100 against a fresh local endpoint, collection built first):

    python tests/reliability/soak.py [--repetitions N] [--module-runs N] [--gate-runs N] [--gate-timeout S]
                                     [--seed N] [--json FILE]

Exits 1 when any listing failed, duplicated or missed a job, or any gate verdict was wrong.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from typing import Any

from harness import Endpoint, endpoint_for_run, failure_message, start_cases, workdir

from ansible_collections.amazon.bedrock.plugins.module_utils._bedrock import (
    AnsibleBedrockError,
    RetryPolicy,
    keep_timestamps_as_text,
)
from ansible_collections.amazon.bedrock.plugins.module_utils._copy_jobs import (
    CopyJobListing,
)
from ansible_collections.amazon.bedrock.plugins.module_utils._facts import to_job_facts

JOBS = 5000
REGION = "us-west-2"
# Share of all ListModelCopyJobs requests each fault hits. The endpoint tries rules in order and the first
# firing one decides, so each rule's probability is its share of what the rules before it let through.
SHARES = {"throttle": 0.5, "error500": 0.1, "drop": 0.1}
LATENCY_SHARE, LATENCY_MS = 0.1, 300
FAST = RetryPolicy(attempts=60, delay=0.005, max_delay=0.05)


def fault_rules() -> list[dict[str, Any]]:
    rules: list[dict[str, Any]] = [
        {"operation": "ListModelCopyJobs", "kind": "latency", "probability": LATENCY_SHARE, "latency_ms": LATENCY_MS}
    ]
    left = 1.0
    for kind, share in SHARES.items():
        rules.append({"operation": "ListModelCopyJobs", "kind": kind, "probability": round(share / left, 6)})
        left -= share
    return rules


@dataclasses.dataclass
class Listing:
    how: str
    seconds: float
    returned: int = 0
    duplicates: int = 0
    missing: int = 0
    unexpected: int = 0
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and self.duplicates == self.missing == self.unexpected == 0


def compare(how: str, seconds: float, arns: list[str], truth: set[str]) -> Listing:
    found = set(arns)
    return Listing(how, seconds, len(arns), len(arns) - len(found), len(truth - found), len(found - truth))


def seed_jobs(endpoint: Endpoint) -> set[str]:
    """Reset the endpoint and store JOBS jobs in REGION; returns their ARNs (the truth)."""
    endpoint.reset()
    source = endpoint.source_model("us-east-1", "soak-base")
    truth: set[str] = set()
    for batch in range(JOBS // 1000):
        generate = {
            "count": 1000,
            "source_model_arn": source,
            "target_model_name_prefix": f"soak{batch}-",
            "statuses": ["Completed", "Failed", "InProgress"],
            "start_time": f"2025-{batch + 1:02d}-01T00:00:00Z",
            "step_seconds": 60,
        }
        truth.update(endpoint.seed(REGION, generate=generate)["job_arns"])
    if len(truth) != JOBS:
        raise RuntimeError(f"seeded {len(truth)} jobs, not {JOBS}")
    return truth


def list_in_process(
    endpoint: Endpoint, truth: set[str], repetitions: int, seed: int, progress: bool = False
) -> list[Listing]:
    results = []
    for repetition in range(repetitions):
        if progress and repetition and repetition % 10 == 0:
            bad = sum(not r.ok for r in results)
            print(f"  {repetition} of {repetitions} in-process listings, {bad} not exact", flush=True)
        endpoint.faults(fault_rules(), seed=seed + repetition)
        client = keep_timestamps_as_text(endpoint.client(REGION, attempts=1))
        started = time.monotonic()
        try:
            facts = [to_job_facts(summary) for summary in CopyJobListing(client, {}, retry=FAST)]
        except AnsibleBedrockError as e:
            results.append(Listing("in-process", time.monotonic() - started, error=str(e.message)))
            continue
        results.append(compare("in-process", time.monotonic() - started, [f["job_arn"] for f in facts], truth))
    return results


def list_with_module(endpoint: Endpoint, truth: set[str], runs: int, seed: int) -> list[Listing]:
    """``runs`` model_copy_job_info tasks at once (one inventory host each) under the same faults."""
    endpoint.faults(fault_rules(), seed=seed)
    hosts = {f"soak-{n}": {"case_target": "info", "case_args": {}, "case_region": REGION} for n in range(runs)}
    run = start_cases(endpoint, hosts, workdir("soak-module"), forks=runs).wait()
    results = []
    for name in hosts:
        outcome = run.outcomes.get(name) or {}
        error = failure_message(outcome) if outcome else f"no outcome (ansible-playbook exit {run.rc})"
        if error:
            results.append(Listing("ansible-playbook", run.seconds, error=error))
            continue
        arns = [job["job_arn"] for job in outcome["result"]["model_copy_jobs"]]
        results.append(compare("ansible-playbook", run.seconds, arns, truth))
    return results


def listing_summary(results: list[Listing], stats: dict[str, Any]) -> dict[str, Any]:
    return {
        "listings": len(results),
        "jobs_each": JOBS,
        "failures": sum(r.error is not None for r in results),
        "duplicates": sum(r.duplicates for r in results),
        "missing": sum(r.missing for r in results),
        "unexpected": sum(r.unexpected for r in results),
        "requests": stats["requests"]["ListModelCopyJobs"],
        "faults": stats["faults"],
        # The ansible-playbook listings run at the same time in one process: their wall time counts once.
        "seconds": round(
            sum(r.seconds for r in results if r.how == "in-process")
            + max((r.seconds for r in results if r.how == "ansible-playbook"), default=0.0),
            1,
        ),
        "slowest": round(max((r.seconds for r in results), default=0.0), 1),
        "errors": sorted({r.error for r in results if r.error}),
    }


def soak(endpoint: Endpoint, repetitions: int, module_runs: int, seed: int, progress: bool = False) -> dict[str, Any]:
    truth = seed_jobs(endpoint)
    endpoint.reset_stats()
    in_process = list_in_process(endpoint, truth, repetitions, seed, progress)
    stats = endpoint.stats()
    endpoint.reset_stats()
    module = list_with_module(endpoint, truth, module_runs, seed) if module_runs else []
    module_stats = endpoint.stats()
    endpoint.faults([])
    return {
        "in_process": dict(listing_summary(in_process, stats), retry=dataclasses.asdict(FAST)),
        "ansible_playbook": listing_summary(module, module_stats),
    }


def report(figures: dict[str, Any]) -> str:
    lines = []
    for name, label in (("in_process", "in-process listings"), ("ansible_playbook", "model_copy_job_info runs")):
        f = figures[name]
        lines.append(
            f"{label}: {f['listings']} x {f['jobs_each']} jobs; failures {f['failures']}, duplicates "
            f"{f['duplicates']}, missing {f['missing']}, unexpected {f['unexpected']}; {f['requests']} requests, "
            f"faults {f['faults']}; {f['seconds']}s (slowest {f['slowest']}s)"
        )
        lines += [f"  error: {error}" for error in f["errors"]]
    gate = figures.get("gate")
    if gate:
        lines.append(
            f"gate: {gate['runs']} runs x {gate['regions']} regions ({gate['expected_open']} should open); false opens "
            f"{gate['false_opens']}, false blocks {gate['false_blocks']}, errors {gate['errors']}, wrong copy "
            f"results {gate['wrong_copies']}, timing problems {gate['timing_problems']} (watched at most "
            f"{gate['max_watching_over_timeout']}s past the timeout, allowed {gate['max_allowance']}s; longest poll "
            f"{gate['longest_poll']}s, round overhead up to {gate['max_round_overhead']}s, up to {gate['max_rounds']} "
            f"rounds; {gate['polls']} polls, {gate['requests_per_listing']} requests per listing; open gates decided "
            f"at most {gate['max_lag']}s and {gate['max_polls_after_last_completion']} poll(s) after the last "
            f"completion); {gate['seconds']}s"
        )
    return "\n".join(lines)


def failed(figures: dict[str, Any]) -> bool:
    bad = any(
        figures[name][key]
        for name in ("in_process", "ansible_playbook")
        for key in ("failures", "duplicates", "missing", "unexpected")
    )
    gate = figures.get("gate") or {}
    keys = ("false_opens", "false_blocks", "errors", "wrong_copies", "timing_problems")
    return bad or any(gate.get(key) for key in keys)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--repetitions", type=int, default=20, help="in-process listings (default 20)")
    parser.add_argument("--module-runs", type=int, default=3, help="model_copy_job_info runs at once (default 3)")
    parser.add_argument("--gate-runs", type=int, default=6, help="gate simulation seeds 1..N (default 6)")
    parser.add_argument("--gate-timeout", type=int, default=60, help="the gate's timeout in seconds (default 60)")
    parser.add_argument("--seed", type=int, default=1, help="first fault seed (default 1)")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    started = time.monotonic()
    with endpoint_for_run() as endpoint:
        print(
            f"listing {JOBS} jobs {args.repetitions} times in-process, {args.module_runs} with the module", flush=True
        )
        figures = soak(endpoint, args.repetitions, args.module_runs, args.seed, progress=True)
        if args.gate_runs:
            from gate_sim import make_world, run_gate, summary

            runs = []
            for seed in range(1, args.gate_runs + 1):
                run = run_gate(endpoint, make_world(seed, timeout=args.gate_timeout))
                runs.append(run)
                verdict = {True: "open", False: "shut", None: "error"}
                m = run.measured
                print(
                    f"  gate seed {seed}: should be {verdict[run.truth_open]}, is {verdict[run.gate_open]}, "
                    f"{len(run.wrong)} wrong copy results, watched {run.watching:.1f}s (timeout {run.timeout}s, "
                    f"allowed {run.bound:.1f}s); {m.rounds} rounds, {m.polls} polls, longest poll "
                    f"{m.longest_poll:.1f}s, last {m.last_poll:.1f}s; round overhead up to {m.round_overhead:.1f}s, "
                    f"last {m.last_round_overhead:.1f}s"
                    + (f"; decided {m.lag:.1f}s after the last completion" if m.lag is not None else ""),
                    flush=True,
                )
                for line in [run.error, *run.wrong, *run.timing_problems()]:
                    if line:
                        print(f"    {line}", flush=True)
            figures["gate"] = dict(summary(runs), timeout=args.gate_timeout)
    figures["seconds"] = round(time.monotonic() - started, 1)
    print(report(figures))
    print(f"soak: {'FAILED' if failed(figures) else 'passed'} in {figures['seconds']}s")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(figures, handle, indent=1)
    return 1 if failed(figures) else 0


if __name__ == "__main__":
    sys.exit(main())
