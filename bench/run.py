"""Benchmarks of amazon.bedrock against the local endpoint: one markdown table, the same figures as JSON.

Run it with ``make bench`` (builds and installs the collection, starts the endpoint, exports
BEDROCK_ENDPOINT_URL). docs/docsite/rst/benchmarks.rst explains every row and how it is measured.

Exits non-zero only when a measurement crashed; a missed target is a result, reported in the table.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import gc
import json
import math
import os
import platform
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import common
import events
import figures
import provisioned
import regions
import verdict as verdict_delay
from common import REGION, Endpoint, Run, list_calls, median, ratio, restarts

RESULTS = common.ROOT / "bench" / "results"
BIN = Path(sys.executable).parent
FULL = {
    "sizes": [1_000, 10_000, 50_000],
    "big": 10_000,
    "huge": 50_000,
    "in_process_reps": 5,
    "task_reps": 3,
    "wait_reps": 3,
}
QUICK = {"sizes": [1_000, 3_000], "big": 3_000, "huge": 3_000, "in_process_reps": 2, "task_reps": 1, "wait_reps": 1}
# Throttles on ListModelCopyJobs: 30 % of all requests, and one burst of 5 on a late page. Five outlasts
# botocore's own retries in both clients: 3 attempts for boto3 (standard mode, its default) and 5 for the
# AWS CLI v1 (legacy mode, its default), so the burst reaches the caller's own retry logic.
THROTTLE_SHARE = 0.3
BURST = 5
WAIT_REGIONS = ("us-west-2", "eu-central-1", "ap-northeast-1")
WAIT_JOBS = 50
COPY_SECONDS = 3.0
WAIT_SLEEP = 1
STAGGER_SECONDS = 1.0


@dataclasses.dataclass
class Waiting:
    """Processes that wait for the jobs, and how to learn when the gate opened (a time.monotonic())."""

    procs: list[subprocess.Popen[bytes]]
    gate_opened: Callable[[], float]
    results: dict[str, Path] = dataclasses.field(default_factory=dict)  # region -> the module's JSON output
    polls: Path | None = None  # the role's rounds: how many polls each made, one line per round


class Bench:
    def __init__(self, endpoint: Endpoint, work: Path, collections: Path, sizes: dict[str, Any]) -> None:
        self.endpoint = endpoint
        self.work = work
        self.collections = collections
        self.sizes = sizes
        self.env = common.aws_env(work, collections, endpoint.url)
        self.module_env = dict(self.env, PYTHONPATH=str(collections))
        self.module_path = collections / "ansible_collections/amazon/bedrock/plugins/modules/model_copy_job_info.py"
        self.results: dict[str, Any] = {}
        self.counter = 0
        sys.path.insert(0, str(collections))

    # sides ------------------------------------------------------------------------------------------

    def seed(self, count: int) -> str:
        """An endpoint holding ``count`` jobs in REGION (pinned statuses: nothing changes while listing)."""
        self.endpoint.reset()
        source = self.endpoint.model(REGION, "support-bot")
        self.endpoint.generate(REGION, count, source, "copy-", ["Completed", "Completed", "Failed", "InProgress"])
        return source

    def name(self, what: str) -> str:
        self.counter += 1
        return f"{self.counter:03d}-{what}"

    def module(self, args: dict[str, Any], what: str = "module") -> Run:
        """The module file run directly with its arguments as JSON, as Ansible's AnsiballZ wrapper runs it."""
        path = self.work / f"{self.name(what)}-args.json"
        path.write_text(json.dumps({"ANSIBLE_MODULE_ARGS": dict(args, endpoint_url=self.endpoint.url)}))
        return common.run([sys.executable, str(self.module_path), str(path)], self.module_env, self.work, path.stem)

    def cli(self, what: str = "cli") -> Run:
        cmd = [str(BIN / "aws"), "bedrock", "list-model-copy-jobs", "--endpoint-url", self.endpoint.url]
        return common.run([*cmd, "--region", REGION], self.env, self.work, self.name(what))

    def bare_script(self) -> Run:
        script = common.ROOT / "bench" / "bare_boto3.py"
        return common.run(
            [sys.executable, str(script), self.endpoint.url, REGION], self.env, self.work, self.name("bare")
        )

    def playbook(self, path: Path, *extra: str, what: str = "playbook", env: dict[str, str] | None = None) -> Run:
        cmd = [str(BIN / "ansible-playbook"), "-i", "localhost,", "-c", "local", str(path)]
        cmd += ["-e", f"ansible_python_interpreter={sys.executable}", "-e", f"endpoint={self.endpoint.url}", *extra]
        return common.run(cmd, dict(self.env, **(env or {})), self.work, self.name(what), cwd=self.work)

    def measured(self, action: Callable[[], Any]) -> tuple[Any, dict[str, Any]]:
        """Run ``action`` with fresh endpoint statistics; returns its value and what the endpoint saw."""
        self.endpoint.reset_stats()
        value = action()
        return value, self.endpoint.stats()

    # rows -------------------------------------------------------------------------------------------

    def listing_calls_and_memory(self) -> None:
        """Rows 1 and 6: API calls to list N jobs (module, AWS CLI, amazon.aws pattern); peak RSS."""
        import bare_boto3
        import baseline

        rows = []
        for n in self.sizes["sizes"]:
            self.seed(n)
            row: dict[str, Any] = {"jobs": n, "expected_calls": math.ceil(n / 1000)}
            memory = n in (self.sizes["big"], self.sizes["huge"])
            reps = 2 if memory else 1
            modules, bares = [], []
            for rep in range(reps):
                run, stats = self.measured(lambda: self.module({"region": REGION}))
                check(run.returncode == 0, f"module failed: {run.stderr}")
                found = len(run.json()["model_copy_jobs"])
                check(found == n, f"module returned {found} of {n} jobs")
                modules.append(describe(run, stats))
                if memory:
                    bare, stats = self.measured(self.bare_script)
                    check(bare.returncode == 0, f"bare boto3 script failed: {bare.stderr}")
                    bares.append(describe(bare, stats))
                if rep == 0:
                    cli, stats = self.measured(self.cli)
                    row["cli"] = describe(cli, stats)
                    if cli.returncode == 0:
                        row["cli"]["jobs"] = len(cli.json()["modelCopyJobSummaries"])
            row["module"] = modules
            if not bares:  # the listing-time figure (bench/figures.py) wants bare boto3 at every size
                bare, stats = self.measured(self.bare_script)
                check(bare.returncode == 0, f"bare boto3 script failed: {bare.stderr}")
                row["bare_timing"] = describe(bare, stats)
            jobs, stats = self.measured(
                lambda: baseline.list_model_copy_jobs(bare_boto3.client(self.endpoint.url, REGION))
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
        self.results["listing"] = rows

    def under_faults(self) -> None:
        """Row 2: 30 % throttles plus a burst on a late page; pages, retried pages and restarts per client."""
        import bare_boto3
        import baseline

        n = self.sizes["big"]
        self.seed(n)
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

        self.endpoint.faults(rules)
        run, stats = self.measured(lambda: self.module({"region": REGION}, "module-faults"))
        ok = run.returncode == 0 and len(run.json()["model_copy_jobs"]) == n
        result["module"] = summary(stats, ok=ok, wall=run.wall, error=None if ok else run.stderr[-500:])

        self.endpoint.faults(rules)
        started = time.perf_counter()
        try:
            jobs, stats = self.measured(
                lambda: baseline.list_model_copy_jobs(bare_boto3.client(self.endpoint.url, REGION))
            )
            error, ok = None, len(jobs) == n
        except Exception as e:  # a failed listing is a result here
            stats, error, ok = self.endpoint.stats(), str(e), False
        result["baseline"] = summary(stats, ok=ok, wall=time.perf_counter() - started, error=error)

        self.endpoint.faults(rules)
        run, stats = self.measured(lambda: self.cli("cli-faults"))
        ok = run.returncode == 0 and len(run.json()["modelCopyJobSummaries"]) == n
        result["cli"] = summary(stats, ok=ok, wall=run.wall, error=None if ok else run.stderr.strip()[-300:])
        self.endpoint.clear_faults()
        self.results["faults"] = result

    def in_process(self) -> None:
        """Row 3: the module's listing code vs a bare boto3 paginator, same process, same endpoint."""
        import bare_boto3

        from ansible_collections.amazon.bedrock.plugins.module_utils._bedrock import (
            keep_timestamps_as_text,
        )
        from ansible_collections.amazon.bedrock.plugins.module_utils._copy_jobs import (
            CopyJobListing,
        )
        from ansible_collections.amazon.bedrock.plugins.module_utils._facts import to_job_facts

        n = self.sizes["big"]
        self.seed(n)
        bare_client = bare_boto3.client(self.endpoint.url, REGION)
        module_client = keep_timestamps_as_text(bare_boto3.client(self.endpoint.url, REGION))
        default_client = bare_boto3.client(self.endpoint.url, REGION)
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
        for rep in range(self.sizes["in_process_reps"]):
            for name in names[rep % len(names) :] + names[: rep % len(names)]:
                gc.collect()
                self.endpoint.reset_stats()
                wall, cpu = time.perf_counter(), time.process_time()
                jobs = sides[name]()
                wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
                check(len(jobs) == n, f"{name} listed {len(jobs)} of {n} jobs")
                del jobs
                samples[name].append(
                    {"wall": wall, "cpu": cpu, "server_seconds": self.endpoint.stats()["server_seconds"]}
                )
        self.results["in_process"] = {
            "jobs": n,
            "reps": self.sizes["in_process_reps"],
            "samples": samples,
            **{name: medians(s) for name, s in samples.items()},
        }

    def whole_task(self) -> None:
        """Row 4: ansible-playbook with one model_copy_job_info task vs the AWS CLI, same jobs."""
        n = self.sizes["big"]
        self.seed(n)
        task = self.work / "list.yml"
        task.write_text(PLAY_LIST)
        noop = self.work / "noop.yml"
        noop.write_text(PLAY_NOOP)
        # The module's result, saved once, for a module that only prints it (bench/library/replay_result.py).
        saved = self.module({"region": REGION}, what="saved-result")
        check(saved.returncode == 0, f"module failed: {saved.stderr}")
        floor = self.work / "floor.yml"
        floor.write_text(PLAY_FLOOR.format(path=saved.stdout))
        library = {"ANSIBLE_LIBRARY": str(common.ROOT / "bench" / "library")}
        sides: dict[str, Callable[[], Run]] = {
            "playbook": lambda: self.playbook(task),
            "cli": self.cli,
            # Where the playbook's time goes: the module process by itself, ansible-playbook by itself, and
            # ansible-playbook running a module that returns the same result without any AWS work (the floor).
            "module": lambda: self.module({"region": REGION}),
            "noop_playbook": lambda: self.playbook(noop, what="noop-playbook"),
            "floor_playbook": lambda: self.playbook(floor, what="floor-playbook", env=library),
        }
        samples: dict[str, list[dict[str, Any]]] = {name: [] for name in sides}
        names = list(sides)
        for rep in range(self.sizes["task_reps"]):
            for name in names[rep % len(names) :] + names[: rep % len(names)]:
                run, stats = self.measured(sides[name])
                check(run.returncode == 0, f"{name} failed: {run.stderr}")
                if name == "cli":
                    found = len(run.json()["modelCopyJobSummaries"])
                    check(found == n, f"the AWS CLI returned {found} of {n} jobs")
                if name in ("playbook", "module"):
                    check(list_calls(stats) == math.ceil(n / 1000), f"the {name} made {list_calls(stats)} calls")
                samples[name].append(describe(run, stats))
        self.results["whole_task"] = {
            "jobs": n,
            "reps": self.sizes["task_reps"],
            "samples": samples,
            **{name: medians(s) for name, s in samples.items()},
        }

    def waiting(self) -> None:
        """Row 5: 50 jobs in progress across 3 regions: calls per poll, and delay from last completion to gate."""
        result: dict[str, Any] = {"jobs": WAIT_JOBS, "regions": list(WAIT_REGIONS), "wait_sleep": WAIT_SLEEP}
        # The delay depends on where the completion falls between two polls, so both run a few times.
        reps = self.sizes["wait_reps"]
        runs = [self._wait_with(self._start_module_waits, "module", rep / reps) for rep in range(reps)]
        result["module"] = summarise_waits(runs)
        role = self.collections / "ansible_collections/amazon/bedrock/roles/model_copy_gate"
        if role.is_dir() and self.sizes.get("role", True):
            runs = [self._wait_with(self._start_role, "role", rep / reps) for rep in range(reps)]
            result["role"] = summarise_waits(runs)
        self.results["waiting"] = result

    def _wait_setup(self) -> tuple[str, dict[str, list[str]]]:
        """Fresh endpoint: a source model, 1,000 finished jobs of another model in each region (noise)."""
        self.endpoint.reset()
        self.endpoint.lifecycle(duration_seconds=COPY_SECONDS)
        source = self.endpoint.model(REGION, "support-bot")
        other = self.endpoint.model(REGION, "other-bot")
        names: dict[str, list[str]] = {}
        for i, region in enumerate(WAIT_REGIONS):
            self.endpoint.generate(region, 1000, other, "old-", ["Completed", "Failed"])
            count = WAIT_JOBS // len(WAIT_REGIONS) + (1 if i < WAIT_JOBS % len(WAIT_REGIONS) else 0)
            names[region] = [f"release-42-{k:06d}" for k in range(count)]
        return source, names

    def _start_module_waits(self, source: str, names: dict[str, list[str]]) -> Waiting:
        """One model_copy_job_info wait per region, all at once, as three processes."""
        procs, results, ended = [], {}, {}
        for region in WAIT_REGIONS:
            args = {
                "region": region,
                "endpoint_url": self.endpoint.url,
                "source_model_arn": source,
                "target_model_name_contains": "release-42",
                "wait": True,
                "wait_sleep": WAIT_SLEEP,
                "wait_timeout": 120,
            }
            path = self.work / f"{self.name('wait-' + region)}-args.json"
            path.write_text(json.dumps({"ANSIBLE_MODULE_ARGS": args}))
            results[region] = path.with_suffix(".out")
            with open(results[region], "wb") as out:
                cmd = [sys.executable, str(self.module_path), str(path)]
                procs.append(subprocess.Popen(cmd, stdout=out, env=self.module_env))

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

    def _start_role(self, source: str, names: dict[str, list[str]]) -> Waiting:
        """The model_copy_gate role over the same 50 copies (one entry per copy, as the role asks)."""
        copies = [
            {"region": r, "source_model_arn": source, "target_model_name": name}
            for r in WAIT_REGIONS
            for name in names[r]
        ]
        (self.work / "copies.json").write_text(json.dumps({"copies": copies}))
        play = self.work / "gate.yml"
        play.write_text(PLAY_GATE.format(wait_sleep=WAIT_SLEEP))
        clock = self.work / "gate-clock"
        polls = self.work / "gate-polls"
        polls.unlink(missing_ok=True)
        env = dict(
            self.env,
            BENCH_GATE_CLOCK=str(clock),
            BENCH_GATE_POLLS=str(polls),
            ANSIBLE_CALLBACK_PLUGINS=str(common.ROOT / "bench" / "callback_plugins"),
        )
        env["ANSIBLE_CALLBACKS_ENABLED"] = "bench_gate_clock"
        cmd = [str(BIN / "ansible-playbook"), "-i", "localhost,", "-c", "local", str(play), "-e", "@copies.json"]
        cmd += ["-e", f"ansible_python_interpreter={sys.executable}", "-e", f"endpoint={self.endpoint.url}"]
        output = self.work / f"{self.name('gate')}.out"
        with open(output, "wb") as out:
            proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=self.work)

        def gate_opened() -> float:
            proc.wait(timeout=600)
            check(proc.returncode == 0, f"the gate playbook failed: {output.read_text()[-3000:]}")
            when, is_open = clock.read_text().split()
            check(is_open == "True", "the gate did not open")
            return float(when)

        return Waiting([proc], gate_opened, polls=polls)

    def _wait_with(self, start: Callable[..., Any], what: str, phase: float = 0.0) -> dict[str, Any]:
        """Start the waits, create the jobs once every wait is polling, time the gate.

        The jobs are created right after a poll was seen, plus ``phase`` of wait_sleep: where the
        completion falls between two polls decides most of the delay, so the repetitions spread it.
        """
        source, names = self._wait_setup()
        self.endpoint.reset_stats()
        launched = time.monotonic()
        waiting = start(source, names)
        # Every wait is polling (and seeing no job yet) before the jobs appear.
        deadline = time.monotonic() + 300
        while True:
            log = self.endpoint.stats()["log"]
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
            self.endpoint.generate(region, len(names[region]), source, "release-42-", [None])
        last_completion = seeded[-1] + COPY_SECONDS  # the earliest it can be: delays are never understated
        opened = waiting.gate_opened()
        stats = self.endpoint.stats()
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
        request = self._one_request(source)
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

    def _one_request(self, source: str) -> float:
        """Median wall time of one poll's request, measured the way the module makes it."""
        import bare_boto3

        from ansible_collections.amazon.bedrock.plugins.module_utils._bedrock import (
            keep_timestamps_as_text,
        )
        from ansible_collections.amazon.bedrock.plugins.module_utils._copy_jobs import (
            CopyJobListing,
        )

        times = []
        client = keep_timestamps_as_text(bare_boto3.client(self.endpoint.url, WAIT_REGIONS[-1]))
        filters = {"sourceModelArnEquals": source, "targetModelNameContains": "release-42"}
        for _attempt in range(6):
            started = time.perf_counter()
            list(CopyJobListing(client, filters))
            times.append(time.perf_counter() - started)
        return median(times[1:])


PLAY_LIST = """\
- name: One model_copy_job_info task over every job
  hosts: localhost
  gather_facts: false
  tasks:
    - name: List every copy job
      amazon.bedrock.model_copy_job_info:
        region: us-east-1
        endpoint_url: "{{ endpoint }}"
"""

PLAY_FLOOR = """\
- name: A module that returns the saved result of model_copy_job_info, without any AWS work
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Print the saved result
      replay_result:
        path: {path}
"""

PLAY_NOOP = """\
- name: One task that does nothing (ansible-playbook's own cost)
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Nothing
      ansible.builtin.meta: noop
"""

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


class Failed(Exception):
    pass


def check(condition: bool, message: str) -> None:
    if not condition:
        raise Failed(message)


def describe(run: Run, stats: dict[str, Any]) -> dict[str, Any]:
    return {
        "wall": run.wall,
        "cpu": run.cpu,
        "max_rss_mb": run.max_rss_mb,
        "returncode": run.returncode,
        "calls": list_calls(stats),
        "server_seconds": stats["server_seconds"],
    }


def medians(samples: list[dict[str, Any]]) -> dict[str, float]:
    return {key: median([s[key] for s in samples]) for key in ("wall", "cpu", "server_seconds")}


def versions() -> dict[str, str]:
    import subprocess
    from importlib.metadata import version

    found = {"python": platform.python_version()}
    for dist in ("ansible-core", "boto3", "botocore", "awscli", "moto"):
        try:
            found[dist] = version(dist)
        except Exception:
            found[dist] = "not installed"
    try:
        out = subprocess.run([str(BIN / "aws"), "--version"], capture_output=True, text=True, check=False).stdout
        found["awscli botocore (vendored)"] = out.split("botocore/")[1].split()[0]
    except Exception:
        pass
    return found


def collection_version(collections: Path, name: str) -> str:
    manifest = collections / "ansible_collections" / "amazon" / name / "MANIFEST.json"
    return json.loads(manifest.read_text())["collection_info"]["version"]


# the table ---------------------------------------------------------------------------------------------


def fmt_ratio(value: float) -> str:
    return f"{value:.2f}"


def pct(part: float, whole: float) -> str:
    return f"{100 * part / whole:.0f} %" if whole else "n/a"


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def table_rows(r: dict[str, Any]) -> list[list[str]]:
    rows: list[list[str]] = []
    if "listing" in r:
        for row in r["listing"]:
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
                    verdict(ours == want),
                ]
            )
    if "faults" in r:
        f = r["faults"]
        m, b, c = f["module"], f["baseline"], f["cli"]

        def outcome(side: dict[str, Any]) -> str:
            if not side["ok"]:
                return f"failed after {side['calls']} calls"
            return f"{side['calls']} calls, {side['restarts']} restart{'s' if side['restarts'] != 1 else ''}"

        retried = m["calls"] - f["pages"]
        ok = m["ok"] and m["restarts"] == 0 and m["calls"] == f["pages"] + m["throttled"]
        rows.append(
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
                verdict(ok),
            ]
        )
    if "in_process" in r:
        p = r["in_process"]
        m, b, d = p["module"], p["bare"], p["module_botocore_times"]
        wall = ratio(m["wall"], b["wall"])
        rows.append(
            [
                "3",
                f"In-process: listing + facts of {p['jobs']:,} jobs vs bare boto3 paginator, wall, "
                f"median of {p['reps']}",
                f"CPU ratio {fmt_ratio(ratio(m['cpu'], b['cpu']))}; "
                f"endpoint {pct(m['server_seconds'], m['wall'])} of wall",
                f"bare boto3; endpoint {pct(b['server_seconds'], b['wall'])} of wall",
                fmt_ratio(wall),
                "≤ 1.10",
                verdict(wall <= 1.10),
            ]
        )
        rows.append(
            [
                "3",
                "… the same with botocore parsing timestamps (the module's client keeps them as text)",
                f"CPU ratio {fmt_ratio(ratio(d['cpu'], b['cpu']))}",
                "bare boto3",
                fmt_ratio(ratio(d["wall"], b["wall"])),
                "(for comparison)",
                "",
            ]
        )
    if "whole_task" in r:
        w = r["whole_task"]
        pb, cli, noop = w["playbook"], w["cli"], w["noop_playbook"]
        wall = ratio(pb["wall"], cli["wall"])
        rows.append(
            [
                "4",
                f"Whole task: `ansible-playbook`, one `model_copy_job_info` task over {w['jobs']:,} jobs, wall, "
                f"median of {w['reps']}",
                f"CPU ratio {fmt_ratio(ratio(pb['cpu'], cli['cpu']))}; "
                f"endpoint {pct(pb['server_seconds'], pb['wall'])} of wall",
                f"`aws bedrock list-model-copy-jobs`; endpoint {pct(cli['server_seconds'], cli['wall'])} of wall",
                fmt_ratio(wall),
                "< 1.0",
                verdict(wall < 1.0),
            ]
        )
        rows.append(
            [
                "4",
                "… where the time goes: the module process alone / `ansible-playbook` with one no-op task / "
                "`ansible-playbook` with a module that only prints the same result (the floor)",
                f"{fmt_ratio(ratio(w['module']['wall'], cli['wall']))} / {fmt_ratio(ratio(noop['wall'], cli['wall']))}"
                f" / {fmt_ratio(ratio(w['floor_playbook']['wall'], cli['wall']))}",
                "`aws bedrock list-model-copy-jobs`",
                "",
                "(for comparison)",
                "",
            ]
        )
    if "waiting" in r:
        wt = r["waiting"]
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
                    verdict(max(per_poll) <= 1.0),
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
                    verdict(side["delay_ratio"] <= 1.0),
                ]
            )
    if "listing" in r:
        for row in r["listing"]:
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
                    "≤ 1.5",
                    verdict(row["rss_ratio"] <= 1.5),
                ]
            )
    rows += regions.table_rows(r)
    rows += verdict_delay.table_rows(r)
    rows += provisioned.table_rows(r)
    rows += events.table_rows(r)
    for name, error in r.get("errors", {}).items():
        rows.append(["!", f"{name}: crashed", error.splitlines()[-1][:200] if error else "", "", "", "", "**error**"])
    return rows


HEADER = ["#", "measurement", "amazon.bedrock", "compared with", "ratio", "target", "result"]


def markdown(rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def rst(rows: list[list[str]]) -> str:
    out = [".. list-table::", "   :header-rows: 1", ""]
    for row in [HEADER, *rows]:
        for i, cell in enumerate(row):
            text = cell.replace("`", "``") or " "
            out.append(f"   {'* -' if i == 0 else '  -'} {text}")
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="small sizes and one repetition (a smoke test, not figures)"
    )
    parser.add_argument("--rows", default="1,2,3,4,5,7,8,9,10", help="comma-separated rows to run (6 comes with 1)")
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
    steps = [
        (1, "listing", "Rows 1 and 6: API calls and peak RSS", Bench.listing_calls_and_memory),
        (2, "faults", "Row 2: API calls under faults", Bench.under_faults),
        (3, "in_process", "Row 3: in-process cost", Bench.in_process),
        (4, "whole_task", "Row 4: whole task", Bench.whole_task),
        (5, "waiting", "Row 5: waiting", Bench.waiting),
        (7, "regions", "Row 7: 20 regions vs 1 region", regions.run),
        (8, "verdict", "Row 8: the gate's verdict delay", verdict_delay.run),
        (9, "provisioned", "Row 9: provisioned throughput listing", provisioned.run),
        (10, "events", "Row 10: event source requests per poll", events.run),
    ]
    with common.scratch() as work, common.collections_snapshot(work) as collections:
        results["versions"] = versions()
        results["versions"]["amazon.aws"] = collection_version(collections, "aws")
        results["versions"]["amazon.bedrock"] = collection_version(collections, "bedrock")
        sizes = dict(QUICK if args.quick else FULL, role=not args.no_role)
        bench = Bench(Endpoint(url), work, collections, sizes)
        bench.results = results
        for number, key, title, step in steps:
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
    table = markdown(rows)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = started.strftime("%Y%m%dT%H%M%SZ")
    payload = json.dumps(results, indent=2, default=str)
    for name in (f"bench-{stamp}.json", "latest.json"):
        (RESULTS / name).write_text(payload + "\n")
    (RESULTS / "latest.md").write_text(table + "\n")
    (RESULTS / "latest.rst").write_text(rst(rows) + "\n")
    figures.draw(results, RESULTS)
    print(table)
    took = sum(results["seconds"].values())
    print(f"\nbench: figures in bench/results/latest.json (also bench-{stamp}.json); {took:.0f}s")
    return 1 if results["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
