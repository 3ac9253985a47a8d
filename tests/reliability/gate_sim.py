"""Part 5 of the reliability suite: the model_copy_gate role in a randomised world whose truth is known.

One run (one seed) gives each of 20 regions one copy to gate on. The copy's deciding job (the newest job of
that source model with that target name) ends Completed or Failed at a random time, stays InProgress past the
timeout, or never appears. Some deciding jobs appear only after the gate has started; some have an older job
of another status that must not decide; every region also holds jobs the gate must ignore (another target
name; the same name copied from another source model, newer than everything). ListModelCopyJobs is throttled
(and now and then fails with a 500) at random, seeded, throughout. The role runs for real (ansible-playbook,
include_role, model_copy_gate_fail: false) and its verdict is compared with the truth.

Odd seeds are healthy worlds (every copy completes: the gate must open), even seeds mixed ones (it must stay
shut). A deciding job ends at least ``margin`` seconds before the timeout, so the truth never depends on a race.
"""

from __future__ import annotations

import dataclasses
import json
import random
import threading
import time
from pathlib import Path
from typing import Any

from harness import REGIONS, Endpoint, Playbook, failure_message, start_cases, workdir

GATE_REGIONS = REGIONS[:20]
NAME = "gated-model"
OTHER_NAME = "unrelated-model"  # does not contain NAME: the gate matches target names as substrings
STATUSES = ("Completed", "Failed", "InProgress", "Missing")
THROTTLE, ERROR500 = 0.3, 0.05  # share of ListModelCopyJobs requests
CALLBACKS = Path(__file__).resolve().parent / "callback_plugins"
# One poll's own request time (throttle retries included) and the task bookkeeping around the watch rounds.
SLACK = 5.0


@dataclasses.dataclass(frozen=True)
class Copy:
    region: str
    truth: str  # what the gate must report for this copy: one of STATUSES
    appears_at: float | None  # seconds after the gate starts when the deciding job is stored; None: before it
    older: str | None  # status of an older job of the same copy (stored before the gate), or None


@dataclasses.dataclass(frozen=True)
class World:
    seed: int
    timeout: int
    poll: int
    duration: float  # how long a copy job stays InProgress before it ends (the endpoint's lifecycle)
    copies: tuple[Copy, ...]

    @property
    def open(self) -> bool:
        return all(copy.truth == "Completed" for copy in self.copies)

    def failure_message(self, region: str) -> str:
        return f"Simulated failure of the copy to {region} (seed {self.seed})"


def make_world(seed: int, timeout: int = 20, poll: int = 1, duration: float = 2.0, margin: float = 3.0) -> World:
    rng = random.Random(seed)
    healthy = seed % 2 == 1
    latest = timeout - duration - margin  # a job stored by then ends before the earliest possible deadline
    copies = []
    for region in GATE_REGIONS:
        truth = "Completed" if healthy else rng.choices(STATUSES, weights=(10, 4, 3, 3))[0]
        appears_at, older = None, None
        if truth != "Missing":
            if rng.random() < 0.6:
                appears_at = round(rng.uniform(0.0, latest), 2)
            else:  # present from the start, possibly after an older job that must not decide
                older = rng.choice([None, *(s for s in STATUSES[:3] if s != truth)])
        copies.append(Copy(region, truth, appears_at, older))
    if not healthy and all(copy.truth == "Completed" for copy in copies):
        index = rng.randrange(len(copies))
        copies[index] = Copy(copies[index].region, "Failed", None, None)
    return World(seed, timeout, poll, duration, tuple(copies))


@dataclasses.dataclass
class GateRun:
    seed: int
    truth_open: bool
    gate_open: bool | None  # None: the gate neither opened nor shut (it failed)
    wrong: list[str]  # copies whose reported status or details differ from the truth
    error: str | None
    seconds: float  # the whole ansible-playbook run
    timeout: int
    watching: float  # from the last background wait started to the verdict
    bound: float  # what watching may take: timeout + one poll + two check rounds + SLACK

    @property
    def false_open(self) -> bool:
        return bool(self.gate_open) and not self.truth_open

    @property
    def false_block(self) -> bool:
        return self.gate_open is False and self.truth_open

    @property
    def ok(self) -> bool:
        return (
            not self.wrong and self.error is None and self.gate_open == self.truth_open and self.watching <= self.bound
        )


def _store(endpoint: Endpoint, world: World, copy: Copy, source: str) -> None:
    """Store the deciding job of ``copy``: InProgress for good, or following the lifecycle to its end."""
    job: dict[str, Any] = {"source_model_arn": source, "target_model_name": NAME}
    if copy.truth == "InProgress":
        job["status"] = "InProgress"  # pinned: never ends
    endpoint.seed(copy.region, jobs=[job])


def prepare(endpoint: Endpoint, world: World) -> str:
    """Reset the endpoint and store what exists before the gate starts; returns the source model ARN."""
    endpoint.reset()
    source = endpoint.source_model("us-east-1", "gate-base")
    other = endpoint.source_model("us-east-1", "gate-other")
    fail = [
        {"region": c.region, "source_model_arn": source, "message": world.failure_message(c.region)}
        for c in world.copies
        if c.truth == "Failed"
    ]
    endpoint.lifecycle(duration_seconds=world.duration, polls=None, fail=fail)
    day_ago = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 86400))
    for copy in world.copies:
        noise = [
            {"source_model_arn": source, "target_model_name": OTHER_NAME, "status": "InProgress"},
            {"source_model_arn": other, "target_model_name": NAME, "status": "Failed"},
        ]
        if copy.older:
            noise.append(
                {"source_model_arn": source, "target_model_name": NAME, "status": copy.older, "creation_time": day_ago}
            )
        endpoint.seed(copy.region, jobs=noise)
        if copy.truth != "Missing" and copy.appears_at is None:
            _store(endpoint, world, copy, source)
    rules = [
        {"operation": "ListModelCopyJobs", "kind": "throttle", "probability": THROTTLE},
        {"operation": "ListModelCopyJobs", "kind": "error500", "probability": round(ERROR500 / (1 - THROTTLE), 6)},
    ]
    endpoint.faults(rules, seed=world.seed)
    return source


def _phase(timing: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    return [task for task in timing if task["name"].endswith(name)]


@dataclasses.dataclass
class RunningGate:
    world: World
    playbook: Playbook
    driver: threading.Thread
    timing_file: Path
    errors: list[BaseException]


def start_gate(endpoint: Endpoint, world: World) -> RunningGate:
    """Set the world up, start the gate, and store the late jobs at their times from a thread."""
    source = prepare(endpoint, world)
    work = workdir(f"gate-{world.seed}")
    timing_file = work / "timing.json"
    copies = [{"region": c.region, "source_model_arn": source, "target_model_name": NAME} for c in world.copies]
    host = {
        "case_target": "gate",
        "model_copy_gate_copies": copies,
        "model_copy_gate_timeout": world.timeout,
        "model_copy_gate_poll_interval": world.poll,
        "model_copy_gate_fail": False,
    }
    env = {
        "ANSIBLE_CALLBACK_PLUGINS": str(CALLBACKS),
        "ANSIBLE_CALLBACKS_ENABLED": "reliability_timing",
        "RELIABILITY_TIMING_FILE": str(timing_file),
    }
    playbook = start_cases(endpoint, {f"gate-seed-{world.seed}": host}, work, env=env)
    late = [c for c in world.copies if c.appears_at is not None and c.truth != "Missing"]
    late.sort(key=lambda c: c.appears_at or 0.0)
    errors: list[BaseException] = []

    def store_late_jobs() -> None:
        try:
            for copy in late:
                time.sleep(max(0.0, playbook.started + (copy.appears_at or 0.0) - time.monotonic()))
                _store(endpoint, world, copy, source)
        except BaseException as e:  # re-raised by finish_gate; a thread's exception would otherwise vanish
            errors.append(e)

    driver = threading.Thread(target=store_late_jobs, daemon=True)
    driver.start()
    return RunningGate(world, playbook, driver, timing_file, errors)


def finish_gate(running: RunningGate) -> GateRun:
    run = running.playbook.wait()
    running.driver.join()
    if running.errors:
        raise running.errors[0]
    outcome = run.outcomes.get(f"gate-seed-{running.world.seed}") or {}
    return judge(running.world, outcome, run.seconds, running.timing_file)


def run_gate(endpoint: Endpoint, world: World) -> GateRun:
    return finish_gate(start_gate(endpoint, world))


def judge(world: World, outcome: dict[str, Any], seconds: float, timing_file: Path) -> GateRun:
    error = failure_message(outcome)
    results = {r["region"]: r for r in outcome.get("gate_results") or []}
    wrong = []
    for copy in world.copies:
        got = results.get(copy.region)
        if got is None:
            wrong.append(f"{copy.region}: no result")
            continue
        problems = [f"status {got['status']} (truth {copy.truth})"] if got["status"] != copy.truth else []
        if copy.truth == "Completed" and not got["target_model_arn"]:
            problems.append("no target_model_arn")
        if copy.truth != "Completed" and got["target_model_arn"]:
            problems.append(f"target_model_arn {got['target_model_arn']} for a copy that is not Completed")
        if copy.truth == "Failed" and got["failure_message"] != world.failure_message(copy.region):
            problems.append(f"failure_message {got['failure_message']!r}")
        if (copy.truth == "Missing") != (got["job_arn"] is None):
            problems.append(f"job_arn {got['job_arn']}")
        if problems:
            wrong.append(f"{copy.region}: {', '.join(problems)} [{copy}]")
    timing = json.loads(timing_file.read_text()) if timing_file.exists() else []
    launched = _phase(timing, "Start waiting for each copy in its region")
    verdict = _phase(timing, "Forget the finished background jobs")
    rounds = _phase(timing, "Check on the copies still being waited for")
    watching = verdict[0]["start"] - launched[0]["end"] if launched and verdict else float("inf")
    round_max = max((task["end"] - task["start"] for task in rounds), default=0.0)
    bound = world.timeout + world.poll + 2 * round_max + SLACK
    gate_open = outcome.get("gate_open") if error is None else None
    return GateRun(world.seed, world.open, gate_open, wrong, error, seconds, world.timeout, watching, bound)


def summary(runs: list[GateRun]) -> dict[str, Any]:
    return {
        "runs": len(runs),
        "regions": len(GATE_REGIONS),
        "expected_open": sum(r.truth_open for r in runs),
        "false_opens": sum(r.false_open for r in runs),
        "false_blocks": sum(r.false_block for r in runs),
        "errors": sum(r.error is not None for r in runs),
        "wrong_copies": sum(len(r.wrong) for r in runs),
        "over_bound": sum(r.watching > r.bound for r in runs),
        # How much longer than its timeout the gate watched, and what it was allowed (one poll, two check rounds).
        "max_watching_over_timeout": round(max((r.watching - r.timeout for r in runs), default=0.0), 1),
        "max_allowance": round(max((r.bound - r.timeout for r in runs), default=0.0), 1),
        "seconds": round(sum(r.seconds for r in runs), 1),
    }
