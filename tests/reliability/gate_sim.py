"""Part 5 of the reliability suite: the model_copy_gate role in a randomised world whose truth is known.

One run (one seed) gives each of 20 regions one copy to gate on. The copy's deciding job (the newest job of
that source model with that target name) ends Completed or Failed at a random time, stays InProgress past the
timeout, or never appears. Some deciding jobs appear only after the gate has started; some have an older job
of another status that must not decide; every region also holds jobs the gate must ignore (another target
name; the same name copied from another source model, newer than everything; completed copies of the same
source whose names contain the gated name or are contained in it). In mixed worlds a copy may also have
completed before the gate started and had its model deleted since: it is Deleted, never Completed; or
completed while Bedrock still creates its model (ModelCreating, pending) or its model failed (ModelFailed, final):
never Completed either, and never with its model's ARN.
ListModelCopyJobs is throttled
(and now and then fails with a 500) at random, seeded, throughout; the custom-model requests that tell a
Deleted copy are throttled too, less often. The role runs for real (ansible-playbook,
include_role, model_copy_gate_fail: false) and its verdict is compared with the truth.

Odd seeds are healthy worlds (every copy completes: the gate must open), even seeds mixed ones (it must stay
shut). A deciding job ends at least ``margin`` seconds before the timeout. The role reads all 20 regions at
the same time in each poll, and a poll lasts as long as its slowest region, so the last read of a region can
come up to one poll before the deadline; the margin is longer than such a poll can take under the world's
faults, so the truth never depends on a race. Random faults alone would not bound a poll: the collection retries
a request up to 9 times with jittered backoff (up to 91 s of sleeping), and with 35 % of listings failing, some
region of 20 fails 5 times in a row in about one poll in ten, which sleeps up to 31 s. A run on CI did exactly
that across the last completion and shut a gate that should have opened. So the endpoint serves a request after
MAX_IN_A_ROW faults in a row (per operation and region): a request then sleeps at most 0-1 s + 0-2 s, and a
region's poll (one listing, one custom-model read) at most 6 s of backoff, well within the margin.

Besides the verdict, a run measures what the role did, from the task timings (callback_plugins/
reliability_timing.py) and the endpoint's request log, both on the same monotonic clock; ``GateRun.timing_problems``
lists what it got wrong:

- watching, from the start of the role's first read to the moment it shows its verdict, must stay
  within the timeout plus one poll interval (a round's wait is rounded up to whole seconds), the last poll's
  own time (it starts by the deadline and takes its time), the last round's overhead (what a round spends
  outside the module's waiting and the role's pause: starting the module, which makes one client per region,
  and the role's own tasks; the deadline is fixed when the role starts, so only the last round's overhead can
  fall after it) and SLACK. An extra round, a wait past the deadline or a deadline that moves would all
  show;
- every poll lists each region exactly once (one successful ListModelCopyJobs request per region per poll,
  throttled attempts aside; a poll reads its regions at the same time), and the polls the module reported
  add up to the polls in the log;
- an open gate decides in the first poll that sees the last copy completed: at most one poll starts after the
  last deciding job ended;
- a gate with a copy still InProgress or Missing does not decide before its timeout;
- the copies are read and waited for by ONE task (no task per round), which prints a progress line at least
  once per round of reading (a report interval, in whole polls) while copies are pending, and not more often
  than once per round.
"""

from __future__ import annotations

import dataclasses
import json
import math
import random
import threading
import time
from pathlib import Path
from typing import Any

from harness import REGIONS, Endpoint, Playbook, failure_message, start_cases, workdir

GATE_REGIONS = REGIONS[:20]
NAME = "gated-model"
OTHER_NAME = "unrelated-model"
# Completed copies of the same source whose names contain NAME or are contained in it: the gate matches target
# names exactly, so none of them may decide NAME's copy (a substring match would open on them: a false open).
CONTAINING_NAMES = (f"{NAME}-canary", f"old-{NAME}", NAME[:-1])
STATUSES = ("Completed", "Failed", "InProgress", "Missing", "Deleted", "ModelCreating", "ModelFailed")
# A Deleted copy's job completed before the gate started; its custom model was deleted since. A ModelCreating or
# ModelFailed copy's job completed before the gate started; its model is pinned Creating, or Failed.
MODEL_STATES = {"Deleted": None, "ModelCreating": "Creating", "ModelFailed": "Failed"}
THROTTLE, ERROR500 = 0.3, 0.05  # share of ListModelCopyJobs requests
# Share of custom-model requests (GetCustomModel, ListCustomModels) throttled. Lower: a poll waits for its slowest
# region, and a region that retries both of its requests must still poll within the worlds' margin.
MODEL_THROTTLE = 0.1
MAX_IN_A_ROW = 2  # faults in a row for one operation in one region before the endpoint serves one (see above)
CALLBACKS = Path(__file__).resolve().parent / "callback_plugins"
# What the task timings and the request log do not show: the moments between a callback's timestamp and the
# thing it times (a task's start, its module's start), and the client's side of a poll the endpoint does not see.
SLACK = 2.0
# The role's tasks the measurements use (roles/model_copy_gate/tasks).
STARTED = "Check the timing inputs"
READ = "Read the copies and wait for them to settle"
# A progress line of that task (plugins/plugin_utils/_progress.py), printed between two rounds of its waiting.
PROGRESS = "model_copy_info: Still waiting... ["
VERDICT = "Show the verdict for each copy"  # its start: the gate's facts are set, the verdict is shown


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
    poll: int  # model_copy_gate_poll_interval
    report: int  # model_copy_gate_report_interval: the length of one round of reading
    duration: float  # how long a copy job stays InProgress before it ends (the endpoint's lifecycle)
    margin: float  # a deciding job ends at least this long before the timeout
    copies: tuple[Copy, ...]

    @property
    def open(self) -> bool:
        return all(copy.truth == "Completed" for copy in self.copies)

    @property
    def pending_at_timeout(self) -> bool:
        """Whether some copy is still InProgress, Missing, Deleted or ModelCreating when the timeout passes (the gate
        must wait it out: a Deleted copy may be copied again, a model being created may become Active)."""
        return any(copy.truth in ("InProgress", "Missing", "Deleted", "ModelCreating") for copy in self.copies)

    def failure_message(self, region: str) -> str:
        return f"Simulated failure of the copy to {region} (seed {self.seed})"

    def model_failure_message(self, region: str) -> str:
        return f"Simulated failure of the model copied to {region} (seed {self.seed})"


def make_world(
    seed: int, timeout: int = 30, poll: int = 1, report: int = 10, duration: float = 2.0, margin: float = 15.0
) -> World:
    rng = random.Random(seed)
    healthy = seed % 2 == 1
    latest = timeout - duration - margin  # a job stored by then ends before the earliest possible deadline
    if latest < 0:
        raise ValueError(f"a timeout of {timeout}s leaves no time for jobs to appear (margin {margin}s)")
    copies = []
    for region in GATE_REGIONS:
        truth = "Completed" if healthy else rng.choices(STATUSES, weights=(10, 4, 3, 3, 3, 2, 2))[0]
        appears_at, older = None, None
        if truth in MODEL_STATES:
            older = rng.choice([None, "Failed"])
        elif truth != "Missing":
            if rng.random() < 0.6:
                appears_at = round(rng.uniform(0.0, latest), 2)
            else:  # present from the start, possibly after an older job that must not decide
                older = rng.choice([None, *(s for s in STATUSES[:3] if s != truth)])
        copies.append(Copy(region, truth, appears_at, older))
    if not healthy and all(copy.truth == "Completed" for copy in copies):
        index = rng.randrange(len(copies))
        copies[index] = Copy(copies[index].region, "Failed", None, None)
    # Every mixed world holds a copy of each kind whose job completed but whose model is not there to deploy: a
    # false open on one of them is the failure that matters most.
    for truth in () if healthy else MODEL_STATES:
        if not any(copy.truth == truth for copy in copies):
            index = rng.choice([i for i, copy in enumerate(copies) if copy.truth not in MODEL_STATES])
            copies[index] = Copy(copies[index].region, truth, None, None)
    return World(seed, timeout, poll, report, duration, margin, tuple(copies))


@dataclasses.dataclass
class Measured:
    """What the role did: task timings (monotonic seconds) and the endpoint's ListModelCopyJobs requests."""

    watching: float  # from the start of the first read to the verdict shown
    decided_after: float  # from the start of the task that fixes the deadline to the verdict shown
    rounds: int  # reads (model_copy_info tasks): one, however long the wait
    reports: int  # progress lines printed by that task
    polls: int  # polls the module reported, all rounds together
    polls_in_log: int  # complete polls of every region in the endpoint's log
    requests: int  # ListModelCopyJobs requests, throttled and failed attempts included
    longest_poll: float  # from a poll's first request to its last answer
    last_poll: float
    round_overhead: float  # the largest: a read task's time outside its waiting, plus the tasks up to the verdict
    last_round_overhead: float
    lag: float | None  # from the last deciding job's end to the verdict (worlds that must open)
    polls_after_last_completion: int | None  # polls that started after that end (worlds that must open)
    problems: list[str]  # what could not be measured, and where the listings broke one per region per poll
    cut_polls: int = 0  # polls cut short by their round's deadline (a region still being retried then)
    answered_per_region: tuple[int, int] = (0, 0)  # successful listings of a region: the fewest and the most


@dataclasses.dataclass
class GateRun:
    seed: int
    truth_open: bool
    pending_at_timeout: bool
    gate_open: bool | None  # None: the gate neither opened nor shut (it failed)
    wrong: list[str]  # copies whose reported status or details differ from the truth
    error: str | None
    seconds: float  # the whole ansible-playbook run
    timeout: int
    poll: int
    report: int
    margin: float
    measured: Measured

    @property
    def watching(self) -> float:
        return self.measured.watching

    @property
    def bound(self) -> float:
        """What watching may take: timeout + one poll interval + the last poll + the last round's overhead + SLACK."""
        m = self.measured
        return self.timeout + self.poll + m.last_poll + m.last_round_overhead + SLACK

    @property
    def false_open(self) -> bool:
        return bool(self.gate_open) and not self.truth_open

    @property
    def false_block(self) -> bool:
        return self.gate_open is False and self.truth_open

    def timing_problems(self) -> list[str]:
        m = self.measured
        problems = list(m.problems)
        if self.watching > self.bound:
            problems.append(
                f"watched {self.watching:.1f}s, allowed {self.bound:.1f}s (timeout {self.timeout}s + poll {self.poll}s"
                f" + last poll {m.last_poll:.1f}s + last round's overhead {m.last_round_overhead:.1f}s"
                f" + slack {SLACK}s)"
            )
        rounds = math.ceil(self.watching / (self.poll * max(1, self.report // self.poll))) + 1
        # Counted from the answers, not from how the log splits into polls (a poll cut short by its round's deadline
        # and the next one's first answers interleave): every poll the module counts listed every region once, and
        # a poll it does not count, cut short while a region (or its custom-model read) was still retried, is at
        # most one per round.
        fewest, most = m.answered_per_region
        cut_allowed = rounds if math.isfinite(self.watching) else 0
        if not most - cut_allowed <= m.polls <= fewest:
            problems.append(
                f"the module reported {m.polls} polls; the endpoint answered each region {fewest} to {most} times"
                f" ({cut_allowed} polls cut short allowed)"
            )
        if math.isfinite(self.watching) and m.cut_polls > rounds:
            problems.append(f"{m.cut_polls} polls cut short, more than one per round ({rounds} rounds at most)")
        if self.pending_at_timeout and m.decided_after < self.timeout:
            problems.append(f"decided after {m.decided_after:.1f}s, before the {self.timeout}s timeout")
        if self.truth_open and (m.polls_after_last_completion or 0) > 1:
            problems.append(f"{m.polls_after_last_completion} polls started after the last copy completed")
        if m.rounds != 1:
            problems.append(f"the copies were read by {m.rounds} tasks, not one")
        # A line between two rounds of reading while copies are pending, and none more often. A round lasts its
        # wait, plus its last poll, plus what starting the module costs (seconds on a loaded machine), so the
        # fewest lines allowed count rounds of that length; the most, rounds of the wait alone.
        length = self.poll * max(1, self.report // self.poll)
        finite = math.isfinite(self.watching)  # not when the run could not be measured (m.problems says why)
        slowest = length + m.round_overhead + m.longest_poll  # a round's last poll may end after its wait
        least = int(self.watching // slowest) - 1 if self.pending_at_timeout and finite else 0
        if finite and not least <= m.reports <= math.ceil(self.watching / length):
            problems.append(f"{m.reports} progress lines in {self.watching:.1f}s of watching in rounds of {length}s")
        return problems

    @property
    def ok(self) -> bool:
        return (
            not self.wrong and self.error is None and self.gate_open == self.truth_open and not self.timing_problems()
        )


def _store(endpoint: Endpoint, world: World, copy: Copy, source: str) -> float:
    """Store the deciding job of ``copy`` (InProgress for good, or following the lifecycle to its end); returns
    a time no earlier than when the endpoint stored it."""
    job: dict[str, Any] = {"source_model_arn": source, "target_model_name": NAME}
    if copy.truth == "InProgress":
        job["status"] = "InProgress"  # pinned: never ends
    if copy.truth in MODEL_STATES:
        job["status"] = "Completed"
    arns = endpoint.seed(copy.region, jobs=[job])["job_arns"]
    if copy.truth in MODEL_STATES:
        client = endpoint.client(copy.region)
        model = client.get_model_copy_job(jobArn=arns[0])["targetModelArn"]
        if copy.truth == "Deleted":
            client.delete_custom_model(modelIdentifier=model)
        else:
            pin: dict[str, Any] = {"region": copy.region, "model_id": model, "status": MODEL_STATES[copy.truth]}
            if copy.truth == "ModelFailed":
                pin["failure_message"] = world.model_failure_message(copy.region)
            endpoint.control("POST", "models/status", pin)
    return time.monotonic()


def prepare(endpoint: Endpoint, world: World) -> tuple[str, dict[str, float]]:
    """Reset the endpoint and store what exists before the gate starts.

    Returns the source model ARN and, for each region whose deciding job is already stored, when it was.
    """
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
    stored = {}
    for copy in world.copies:
        noise = [
            {"source_model_arn": source, "target_model_name": OTHER_NAME, "status": "InProgress"},
            {"source_model_arn": other, "target_model_name": NAME, "status": "Failed"},
            *(
                {"source_model_arn": source, "target_model_name": name, "status": "Completed"}
                for name in CONTAINING_NAMES
            ),
        ]
        if copy.older:
            noise.append(
                {"source_model_arn": source, "target_model_name": NAME, "status": copy.older, "creation_time": day_ago}
            )
        endpoint.seed(copy.region, jobs=noise)
        if copy.truth != "Missing" and copy.appears_at is None:
            stored[copy.region] = _store(endpoint, world, copy, source)
    rules = [
        {"operation": "ListModelCopyJobs", "kind": "throttle", "probability": THROTTLE},
        {"operation": "ListModelCopyJobs", "kind": "error500", "probability": round(ERROR500 / (1 - THROTTLE), 6)},
        {"operation": "GetCustomModel", "kind": "throttle", "probability": MODEL_THROTTLE},
        {"operation": "ListCustomModels", "kind": "throttle", "probability": MODEL_THROTTLE},
    ]
    endpoint.faults(rules, seed=world.seed, max_in_a_row=MAX_IN_A_ROW)
    return source, stored


@dataclasses.dataclass
class RunningGate:
    world: World
    endpoint: Endpoint
    playbook: Playbook
    driver: threading.Thread
    timing_file: Path
    stored: dict[str, float]  # region -> when its deciding job was stored (filled in by the driver as it goes)
    errors: list[BaseException]


def start_gate(endpoint: Endpoint, world: World) -> RunningGate:
    """Set the world up, start the gate, and store the late jobs at their times from a thread."""
    source, stored = prepare(endpoint, world)
    work = workdir(f"gate-{world.seed}")
    timing_file = work / "timing.json"
    copies = [{"region": c.region, "source_model_arn": source, "target_model_name": NAME} for c in world.copies]
    host = {
        "case_target": "gate",
        "model_copy_gate_copies": copies,
        "model_copy_gate_timeout": world.timeout,
        "model_copy_gate_poll_interval": world.poll,
        "model_copy_gate_report_interval": world.report,
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
                stored[copy.region] = _store(endpoint, world, copy, source)
        except BaseException as e:  # re-raised by finish_gate; a thread's exception would otherwise vanish
            errors.append(e)

    driver = threading.Thread(target=store_late_jobs, daemon=True)
    driver.start()
    return RunningGate(world, endpoint, playbook, driver, timing_file, stored, errors)


def finish_gate(running: RunningGate) -> GateRun:
    run = running.playbook.wait()
    running.driver.join()
    if running.errors:
        raise running.errors[0]
    outcome = run.outcomes.get(f"gate-seed-{running.world.seed}") or {}
    timing = json.loads(running.timing_file.read_text()) if running.timing_file.exists() else []
    return judge(running.world, outcome, run.seconds, timing, running.endpoint.stats(), running.stored, run.output)


def run_gate(endpoint: Endpoint, world: World) -> GateRun:
    return finish_gate(start_gate(endpoint, world))


def _answered_per_region(stats: dict[str, Any]) -> tuple[int, int]:
    """Successful ListModelCopyJobs answers of each gate region: the fewest and the most."""
    counts = dict.fromkeys(GATE_REGIONS, 0)
    for entry in stats["log"]:
        if entry["operation"] == "ListModelCopyJobs" and entry["status"] == 200 and entry["region"] in counts:
            counts[entry["region"]] += 1
    return min(counts.values()), max(counts.values())


def _polls(stats: dict[str, Any]) -> tuple[list[tuple[float, float]], int, list[str], int]:
    """The complete polls in the endpoint's log, as (first request, last answer); the requests; what broke the
    rule of one successful listing per region per poll (a poll reads its regions at the same time, and the
    next poll starts only once every region has answered); the polls cut short.

    A request of a wait is retried only until the wait's deadline, so a poll still retrying a region when its
    round's wait ends is cut short there: the module does not count it, and the next round's poll lists every
    region again. Such a poll shows as regions listed again before the others were.
    """
    listings = sorted(
        (entry for entry in stats["log"] if entry["operation"] == "ListModelCopyJobs"), key=lambda e: e["time"]
    )
    problems = []
    if len(listings) != stats["requests"]["ListModelCopyJobs"]:
        problems.append(f"the endpoint's log kept {len(listings)} of {stats['requests']['ListModelCopyJobs']} listings")
    polls: list[tuple[float, float]] = []
    started: float | None = None
    answered = 0.0
    listed: set[str] = set()  # regions listed in the current poll
    cut = 0
    for entry in listings:
        started = entry["time"] if started is None else started
        if entry["status"] != 200:
            continue  # a throttled or failed attempt, retried
        if entry["region"] in listed:  # the poll before was cut short; this one starts here
            cut += 1
            started, answered, listed = entry["time"], 0.0, set()
        listed.add(entry["region"])
        answered = max(answered, entry["time"] + entry["elapsed_ms"] / 1000)
        if len(listed) == len(GATE_REGIONS):
            polls.append((started, answered))
            started, answered, listed = None, 0.0, set()
    if listed:  # the last poll, cut short by the deadline
        cut += 1
    return polls, len(listings), problems, cut


def measure(
    world: World, timing: list[dict[str, Any]], stats: dict[str, Any], stored: dict[str, float], output: str = ""
) -> Measured:
    problems: list[str] = []

    def tasks(name: str, status: str = "ok") -> list[dict[str, Any]]:
        return [task for task in timing if task["name"].endswith(name) and task["status"] == status]

    started, reads, verdict = tasks(STARTED), tasks(READ), tasks(VERDICT)
    reports = [line for line in output.splitlines() if PROGRESS in line]
    for name, found in ((STARTED, started), (READ, reads), (VERDICT, verdict)):
        if not found:
            problems.append(f"no task {name!r} ran")
    if any("elapsed" not in read or "polls" not in read for read in reads):
        problems.append(f"a {READ!r} task returned no elapsed or polls")
    polls, requests, listing_problems, cut = _polls(stats)
    problems += listing_problems
    durations = [end - start for start, end in polls] or [0.0]
    if problems:
        inf = float("inf")
        return Measured(
            inf,
            0.0,
            len(reads),
            len(reports),
            0,
            len(polls),
            requests,
            max(durations),
            durations[-1],
            0.0,
            0.0,
            None,
            None,
            problems,
        )
    decided = verdict[0]["start"]
    overheads = []
    for index, read in enumerate(reads):
        following = reads[index + 1]["start"] if index + 1 < len(reads) else decided
        overheads.append((read["end"] - read["start"] - read["elapsed"]) + (following - read["end"]))
    lag, after = None, None
    if world.open:
        last_end = max(stored[copy.region] for copy in world.copies) + world.duration
        lag = decided - last_end
        after = sum(start > last_end for start, _end in polls)
    return Measured(
        watching=decided - reads[0]["start"],
        decided_after=decided - started[0]["start"],
        rounds=len(reads),
        reports=len(reports),
        polls=sum(int(read["polls"]) for read in reads),
        polls_in_log=len(polls),
        requests=requests,
        longest_poll=max(durations),
        last_poll=durations[-1],
        round_overhead=max(overheads),
        last_round_overhead=overheads[-1],
        lag=lag,
        polls_after_last_completion=after,
        problems=problems,
        cut_polls=cut,
        answered_per_region=_answered_per_region(stats),
    )


def judge(
    world: World,
    outcome: dict[str, Any],
    seconds: float,
    timing: list[dict[str, Any]],
    stats: dict[str, Any],
    stored: dict[str, float],
    output: str = "",
) -> GateRun:
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
        if copy.truth == "ModelFailed" and got["failure_message"] != world.model_failure_message(copy.region):
            problems.append(f"failure_message {got['failure_message']!r}")
        if (copy.truth == "Missing") != (got["job_arn"] is None):
            problems.append(f"job_arn {got['job_arn']}")
        if problems:
            wrong.append(f"{copy.region}: {', '.join(problems)} [{copy}]")
    gate_open = outcome.get("gate_open") if error is None else None
    return GateRun(
        seed=world.seed,
        truth_open=world.open,
        pending_at_timeout=world.pending_at_timeout,
        gate_open=gate_open,
        wrong=wrong,
        error=error,
        seconds=seconds,
        timeout=world.timeout,
        poll=world.poll,
        report=world.report,
        margin=world.margin,
        measured=measure(world, timing, stats, stored, output),
    )


def summary(runs: list[GateRun]) -> dict[str, Any]:
    measured = [r.measured for r in runs]
    opened = [m for r, m in zip(runs, measured) if r.truth_open and m.lag is not None]
    polls = sum(m.polls_in_log for m in measured)
    return {
        "runs": len(runs),
        "regions": len(GATE_REGIONS),
        "expected_open": sum(r.truth_open for r in runs),
        "false_opens": sum(r.false_open for r in runs),
        "false_blocks": sum(r.false_block for r in runs),
        "errors": sum(r.error is not None for r in runs),
        "wrong_copies": sum(len(r.wrong) for r in runs),
        "timing_problems": sum(bool(r.timing_problems()) for r in runs),
        # How much longer than its timeout the gate watched, and what it was allowed past it.
        "max_watching_over_timeout": round(max((r.watching - r.timeout for r in runs), default=0.0), 1),
        "max_allowance": round(max((r.bound - r.timeout for r in runs), default=0.0), 1),
        "longest_poll": round(max((m.longest_poll for m in measured), default=0.0), 1),
        "max_round_overhead": round(max((m.round_overhead for m in measured), default=0.0), 1),
        "max_rounds": max((m.rounds for m in measured), default=0),
        "polls": polls,
        # ListModelCopyJobs requests per region per poll, throttled and failed attempts included (1 without faults).
        "requests_per_listing": round(sum(m.requests for m in measured) / (polls * len(GATE_REGIONS)), 2)
        if polls
        else 0,
        # Worlds that must open: from the last completion to the verdict, and the polls that started in between.
        "max_lag": round(max((m.lag or 0.0 for m in opened), default=0.0), 1),
        "max_polls_after_last_completion": max((m.polls_after_last_completion or 0 for m in opened), default=0),
        "seconds": round(sum(r.seconds for r in runs), 1),
    }
