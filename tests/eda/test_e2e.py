"""End to end: ansible-rulebook runs the example rulebook ``amazon.bedrock.deploy_on_copy`` against the local endpoint.

Run by hacking/eda-e2e.sh (``make eda-e2e``), which builds and installs the collection into .work/collections,
starts the endpoint (BEDROCK_ENDPOINT_URL) and puts the venv's bin (ansible-galaxy, ansible-playbook) and Java 17
on the way. ansible-rulebook resolves the rulebook, the ``amazon.bedrock.model_copy_jobs`` source and the playbooks
``amazon.bedrock.deploy_copy`` / ``amazon.bedrock.report_failed_copy`` from the INSTALLED collection; nothing is
loaded from the source tree (no ``-S``, and the working directory is a scratch directory).

One scenario, run twice (clean, then with 30 % of all ListModelCopyJobs requests throttled):

- before the rulebook starts, us-east-1 holds a finished copy of each kind (no events: ``emit_existing`` is false)
  and one copy in progress (watched: one event when it finishes);
- once the source has polled both regions, a copy is created in us-east-1 (it will complete), one in eu-west-1
  (it will fail), one in us-east-1 whose job will complete but whose custom model will fail, and one whose name
  the rulebook does not watch;
- all copies then change at one moment T (the endpoint's lifecycle turns them Completed/Failed), and the models of
  the completed ones are Creating for MODEL_CREATING_SECONDS after their jobs are seen Completed, then Active (or
  Failed): a completed copy is an event, and deployed, only once its model is Active; a model that fails is one
  failure event (the report playbook, with the model's failure message), never a deployment.

Evidence is what ansible-rulebook prints: its ``--print-events`` blocks (timestamped as they arrive) and the
playbooks' output (``Deploying <model> ... (copy job <arn>)``, ``Model copy job <arn> ... failed``). Expected:
each change is exactly one event, each completed copy runs the deploy playbook exactly once, the failed copy runs
the report playbook exactly once, nothing else happens during a quiet period of several polls, and (clean run)
the failed job's event arrives within ``delay_seconds`` plus one request of T, and each completed job's event no
earlier than MODEL_CREATING_SECONDS and within twice ``delay_seconds``, MODEL_CREATING_SECONDS and one request of T
(and the first poll of each region after T starts within ``delay_seconds``, give or take scheduling).
"""

from __future__ import annotations

import ast
import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
COLLECTIONS = ROOT / ".work" / "collections"
# Inventory, vars and the output of each ansible-rulebook run, kept for a look after a failure (one run per process).
WORKDIR = ROOT / ".work" / "eda-e2e" / f"run-{os.getpid()}"
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "tests" / "endpoint"))

from bedrock_endpoint.testing import control  # needs the path above

DELAY_SECONDS = 2
# How long the model of a completed copy stays Creating (from the moment its job is read Completed).
MODEL_CREATING_SECONDS = 3
# "One request" in the latency bound: a ListModelCopyJobs round trip as the source makes it, plus ansible-rulebook
# taking the event off the queue and printing it. Measured figures are printed; this is the ceiling.
ONE_REQUEST_SECONDS = 1.0
# After the last expected playbook output: this many polls of nothing new, so a duplicate would have shown.
QUIET_POLLS = 3
STARTUP_TIMEOUT = 45.0
STEP_TIMEOUT = 40.0
WATCHED = "e2e-"
OK_REGION, FAIL_REGION = "us-east-1", "eu-west-1"
THROTTLE_SHARE = 0.3
LIST = "ListModelCopyJobs"
DEPLOY_PLAY = "PLAY [Deploy a completed Amazon Bedrock model copy]"
REPORT_PLAY = "PLAY [Report a failed Amazon Bedrock model copy]"
ANSI = re.compile(r"\x1b\[[0-9;]*m")
EVENT_HEADER = re.compile(r"^\*\* \S+ \S+ \[received event\] \*+$")
DEPLOYED = re.compile(r'"msg": "Deployed \S+ in (\S+) on \S+ \(InService; copy job (\S+)\)"')
REPORTED = re.compile(r'"msg": "Model copy job (\S+) \(.* in (\S+)\) failed: ')
RECAP = re.compile(r"^localhost\s+: ok=\d+\s+changed=\d+\s+unreachable=(\d+)\s+failed=(\d+)")


class Rulebook:
    """One ansible-rulebook process; a thread reads its output and timestamps every line (time.monotonic())."""

    def __init__(self, name: str, endpoint_url: str) -> None:
        self.dir = WORKDIR / name
        self.dir.mkdir(parents=True, exist_ok=True)
        home = self.dir / "home"
        home.mkdir(exist_ok=True)
        # The interpreter the playbooks' modules run with: this venv's (boto3, botocore), named explicitly.
        (self.dir / "inventory.yml").write_text(
            json.dumps(
                {
                    "all": {
                        "hosts": {
                            "localhost": {"ansible_connection": "local", "ansible_python_interpreter": sys.executable}
                        }
                    }
                }
            )
        )
        (self.dir / "vars.yml").write_text(
            json.dumps(
                {
                    "bedrock_regions": [OK_REGION, FAIL_REGION],
                    "bedrock_target_model_name_contains": WATCHED,
                    "bedrock_delay_seconds": DELAY_SECONDS,
                }
            )
        )
        (self.dir / "ansible.cfg").write_text("[defaults]\n")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "ANSIBLE_", "BOTO"))}
        env.update(
            PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
            HOME=str(home),
            ANSIBLE_CONFIG=str(self.dir / "ansible.cfg"),
            ANSIBLE_COLLECTIONS_PATH=str(COLLECTIONS),
            ANSIBLE_COLLECTIONS_SCAN_SYS_PATH="false",
            ANSIBLE_NOCOLOR="1",
            ANSIBLE_FORCE_COLOR="0",
            PYTHONUNBUFFERED="1",
            AWS_ACCESS_KEY_ID="testing",
            AWS_SECRET_ACCESS_KEY="testing",
            AWS_DEFAULT_REGION=OK_REGION,
            AWS_EC2_METADATA_DISABLED="true",
            # botocore's service-specific endpoint: the source and the playbooks' modules both reach the endpoint.
            AWS_ENDPOINT_URL_BEDROCK=endpoint_url,
        )
        cmd = [str(BIN / "ansible-rulebook"), "-r", "amazon.bedrock.deploy_on_copy", "--print-events"]
        cmd += ["-i", "inventory.yml", "--vars", "vars.yml"]
        self.lines: list[tuple[float, str]] = []
        self.lock = threading.Lock()
        self.log = open(self.dir / "ansible-rulebook.log", "w", encoding="utf-8")  # noqa: SIM115 - closed in stop()
        self.started = time.monotonic()
        self.proc = subprocess.Popen(
            cmd,
            cwd=self.dir,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
            start_new_session=True,  # its own process group: stop() can end the playbooks it started too
        )
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            line = ANSI.sub("", line.rstrip("\n"))
            self.log.write(line + "\n")
            with self.lock:
                self.lines.append((time.monotonic(), line))

    def snapshot(self) -> list[tuple[float, str]]:
        with self.lock:
            return list(self.lines)

    def text(self) -> str:
        return "\n".join(line for _t, line in self.snapshot())

    def tail(self, n: int = 40) -> str:
        return "\n".join(line for _t, line in self.snapshot()[-n:])

    def events(self) -> list[tuple[float, dict[str, Any]]]:
        """Every ``--print-events`` block so far: (when its header line arrived, the event)."""
        found = []
        lines = self.snapshot()
        for i, (arrived, line) in enumerate(lines):
            if not EVENT_HEADER.match(line):
                continue
            body = []
            for _t, following in lines[i + 1 :]:
                if following.startswith("*" * 20):
                    break
                body.append(following)
            else:
                continue  # the block is not complete yet
            start = body.index("Event:") + 1
            found.append((arrived, ast.literal_eval("\n".join(body[start:]))))
        return found

    def wait_for(self, what: str, ready: Callable[[], bool], timeout: float = STEP_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while not ready():
            if self.proc.poll() is not None:
                pytest.fail(
                    f"ansible-rulebook exited ({self.proc.returncode}) while waiting for {what}:\n{self.tail()}"
                )
            if time.monotonic() > deadline:
                pytest.fail(f"no {what} within {timeout:.0f}s; last output of ansible-rulebook:\n{self.tail()}")
            time.sleep(0.05)

    def stop(self) -> int:
        """SIGINT (what Ctrl-C sends), then SIGTERM, then SIGKILL to its process group; returns its exit status."""
        try:
            for sig, grace in ((signal.SIGINT, 15), (signal.SIGTERM, 5), (signal.SIGKILL, 5)):
                if self.proc.poll() is not None:
                    break
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, sig)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self.proc.wait(timeout=grace)
            self.reader.join(timeout=5)
            return self.proc.wait()
        finally:
            self.log.close()


@contextlib.contextmanager
def rulebook(name: str, endpoint_url: str) -> Iterator[Rulebook]:
    running = Rulebook(name, endpoint_url)
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def endpoint_url() -> str:
    url = os.environ.get("BEDROCK_ENDPOINT_URL")
    if not url:
        pytest.fail("BEDROCK_ENDPOINT_URL is not set: run this through hacking/eda-e2e.sh (make eda-e2e)")
    if not (COLLECTIONS / "ansible_collections" / "amazon" / "bedrock" / "MANIFEST.json").is_file():
        pytest.fail("amazon.bedrock is not installed in .work/collections: run hacking/build.sh first")
    return url.rstrip("/")


def bedrock(url: str, region: str) -> Any:
    import boto3

    return boto3.session.Session().client(
        "bedrock", endpoint_url=url, region_name=region, aws_access_key_id="testing", aws_secret_access_key="testing"
    )


def lists_since(url: str, since: float, region: str, ok_only: bool = True) -> list[dict[str, Any]]:
    """The ListModelCopyJobs requests the endpoint received in ``region`` after ``since`` (its log, same clock)."""
    log = control(url, "GET", "stats")["log"]
    return [
        entry
        for entry in log
        if entry["operation"] == LIST
        and entry["region"] == region
        and entry["time"] >= since
        and (entry["status"] == 200 or not ok_only)
    ]


def run_scenario(url: str, name: str, throttles: bool) -> dict[str, Any]:
    """The scenario of the module docstring; returns what happened (events, playbook outputs, timings)."""
    control(url, "POST", "reset")
    # Jobs stay InProgress until the lifecycle is changed at T; names containing "bad" then fail.
    fail_rule = {"target_model_name_contains": "bad", "message": "Copy failed: e2e test failure."}
    # Names containing "broken": the job completes, then its model fails.
    model_fail = [{"target_model_name_contains": "broken", "message": "Model import failed: e2e test failure."}]
    control(url, "POST", "lifecycle", {"duration_seconds": None, "polls": None, "fail": [fail_rule]})
    # The deploy playbook waits for its provisioned throughput: in service at once, so its first poll ends it.
    control(url, "POST", "provisioned-throughputs/lifecycle", {"create_seconds": 0, "update_seconds": 0})
    ok_source = control(url, "POST", "models", {"region": OK_REGION, "model_name": "e2e-base"})["model_arn"]
    fail_source = control(url, "POST", "models", {"region": FAIL_REGION, "model_name": "e2e-base"})["model_arn"]
    earlier = "2024-01-01T00:00:00Z"
    seeded = control(
        url,
        "POST",
        "seed",
        {
            "region": OK_REGION,
            "jobs": [
                {
                    "source_model_arn": ok_source,
                    "target_model_name": "e2e-done",
                    "status": "Completed",
                    "creation_time": earlier,
                },
                {
                    "source_model_arn": ok_source,
                    "target_model_name": "e2e-old-bad",
                    "status": "Failed",
                    "creation_time": earlier,
                },
                {"source_model_arn": ok_source, "target_model_name": "e2e-early"},  # InProgress, follows the lifecycle
            ],
        },
    )["job_arns"]
    early = seeded[2]
    if throttles:
        rule = {"operation": LIST, "kind": "throttle", "probability": THROTTLE_SHARE}
        control(url, "PUT", "faults", {"seed": 12, "rules": [rule]})

    with rulebook(name, url) as rb:
        # The source's first poll of each region has been answered: what exists now is "existing".
        rb.wait_for(
            "first successful poll of both regions",
            lambda: all(lists_since(url, rb.started, r) for r in (OK_REGION, FAIL_REGION)),
            timeout=STARTUP_TIMEOUT,
        )
        startup = time.monotonic() - rb.started
        ok = bedrock(url, OK_REGION).create_model_copy_job(sourceModelArn=ok_source, targetModelName="e2e-ok")
        bad = bedrock(url, FAIL_REGION).create_model_copy_job(sourceModelArn=fail_source, targetModelName="e2e-bad")
        broken = bedrock(url, OK_REGION).create_model_copy_job(sourceModelArn=ok_source, targetModelName="e2e-broken")
        bedrock(url, OK_REGION).create_model_copy_job(sourceModelArn=ok_source, targetModelName="unwatched-copy")
        ok_arn, bad_arn, broken_arn = ok["jobArn"], bad["jobArn"], broken["jobArn"]
        rb.wait_for("InProgress events of the new copies", lambda: len(rb.events()) >= 3)

        changed_at = time.monotonic()
        lifecycle = {"duration_seconds": 0, "polls": None, "fail": [fail_rule]}
        lifecycle.update(model_creating_seconds=MODEL_CREATING_SECONDS, model_fail=model_fail)
        control(url, "POST", "lifecycle", lifecycle)

        def done() -> bool:
            text = rb.text()
            return (
                len(DEPLOYED.findall(text)) >= 2 and len(REPORTED.findall(text)) >= 2 and text.count("PLAY RECAP") >= 4
            )

        rb.wait_for("the deploy playbook for both completed copies and the report playbook", done)
        # A duplicate event would come with a later poll: watch a few more (and see that the source keeps polling).
        quiet_from = time.monotonic()
        time.sleep(QUIET_POLLS * DELAY_SECONDS + 1)
        polls_after = {r: len(lists_since(url, quiet_from, r)) for r in (OK_REGION, FAIL_REGION)}
        requests = control(url, "GET", "stats")
        text = rb.text()
        events = rb.events()
        rc = rb.stop()

    finishing = {}
    for arrived, event in events:
        job = event["model_copy_job"]
        if job["status"] != "InProgress":
            finishing[job["job_arn"]] = arrived - changed_at
    first_list_after = {
        r: min((e["time"] for e in lists_since(url, changed_at, r)), default=None) for r in (OK_REGION, FAIL_REGION)
    }
    return {
        "arns": {"ok": ok_arn, "bad": bad_arn, "early": early, "broken": broken_arn},
        "events": [event for _t, event in events],
        "deployed": Counter(arn for _region, arn in DEPLOYED.findall(text)),
        "reported": Counter(arn for arn, _region in REPORTED.findall(text)),
        "deploy_plays": text.count(DEPLOY_PLAY),
        "report_plays": text.count(REPORT_PLAY),
        "recaps": [tuple(int(n) for n in m.groups()) for m in map(RECAP.match, text.splitlines()) if m],
        "latency": finishing,
        "poll_after_change": {r: (t - changed_at if t is not None else None) for r, t in first_list_after.items()},
        "polls_in_quiet_period": polls_after,
        "startup_seconds": startup,
        "throttled": requests["faults"]["throttle"],
        "list_requests": requests["requests"][LIST],
        "rc": rc,
        "output": text,
    }


Seen = tuple[str, str, str | None, str, str | None]  # job ARN, region, previous_status, status, model_status


def expected_events(arns: dict[str, str]) -> Counter[Seen]:
    return Counter(
        {
            (arns["ok"], OK_REGION, None, "InProgress", None): 1,
            (arns["bad"], FAIL_REGION, None, "InProgress", None): 1,
            (arns["broken"], OK_REGION, None, "InProgress", None): 1,
            (arns["early"], OK_REGION, "InProgress", "Completed", "Active"): 1,
            (arns["ok"], OK_REGION, "InProgress", "Completed", "Active"): 1,
            (arns["bad"], FAIL_REGION, "InProgress", "Failed", None): 1,
            (arns["broken"], OK_REGION, "InProgress", "Failed", "Failed"): 1,
        }
    )


def observed_events(events: list[dict[str, Any]]) -> Counter[Seen]:
    return Counter(
        (
            e["model_copy_job"]["job_arn"],
            e["region"],
            e["previous_status"],
            e["model_copy_job"]["status"],
            e["model_status"],
        )
        for e in events
    )


def check_outcome(result: dict[str, Any]) -> None:
    arns = result["arns"]
    # The rulebook (and with it the source and playbooks it names) came from the installed collection.
    installed = COLLECTIONS / "ansible_collections/amazon/bedrock/extensions/eda/rulebooks/deploy_on_copy.yml"
    assert f"Loading rulebook from {installed}" in result["output"], result["output"][:2000]
    assert observed_events(result["events"]) == expected_events(arns), result["output"][-6000:]
    for event in result["events"]:
        assert set(event) == {"meta", "model_copy_job", "region", "previous_status", "model_status"}
        assert event["meta"]["source"]["name"] == "amazon.bedrock.model_copy_jobs"
        assert WATCHED in event["model_copy_job"]["target_model_name"]
    messages = {
        e["model_copy_job"]["job_arn"]: e["model_copy_job"]["failure_message"]
        for e in result["events"]
        if e["model_copy_job"]["status"] == "Failed"
    }
    assert messages == {
        arns["bad"]: "Copy failed: e2e test failure.",
        arns["broken"]: "Model import failed: e2e test failure.",
    }
    # Each completed copy deployed exactly once, each failed one (job or model) reported exactly once, nothing else.
    assert result["deployed"] == Counter({arns["ok"]: 1, arns["early"]: 1}), result["output"][-6000:]
    assert result["reported"] == Counter({arns["bad"]: 1, arns["broken"]: 1}), result["output"][-6000:]
    assert (result["deploy_plays"], result["report_plays"]) == (2, 2)
    assert result["recaps"] == [(0, 0)] * 4, result["recaps"]
    # A completed copy's event came only after its model could have become Active (never while it was Creating).
    for name in ("ok", "early", "broken"):
        assert result["latency"][arns[name]] >= MODEL_CREATING_SECONDS, (name, result["latency"])
    # The source kept polling every region during the quiet period (so a duplicate had its chances).
    assert all(n >= QUIET_POLLS - 1 for n in result["polls_in_quiet_period"].values()), result["polls_in_quiet_period"]
    # ansible-rulebook stopped on SIGINT (exit 130, or 0), without needing SIGTERM or SIGKILL.
    assert result["rc"] in (0, 130), result["rc"]


def report(name: str, result: dict[str, Any]) -> None:
    latency = ", ".join(f"{v:.2f}s" for v in sorted(result["latency"].values()))
    poll = ", ".join(f"{r} {v:.2f}s" for r, v in result["poll_after_change"].items() if v is not None)
    print(
        f"\n{name}: {len(result['events'])} events, deploy playbook {result['deploy_plays']}x,"
        f" report playbook {result['report_plays']}x; startup to first polls {result['startup_seconds']:.1f}s;"
        f" finishing events {latency} after the change (bounds: failed job {DELAY_SECONDS + ONE_REQUEST_SECONDS:.1f}s,"
        f" completed jobs {MODEL_CREATING_SECONDS:.1f}s to"
        f" {2 * DELAY_SECONDS + MODEL_CREATING_SECONDS + ONE_REQUEST_SECONDS:.1f}s);"
        f" first poll after the change: {poll}; ListModelCopyJobs {result['list_requests']},"
        f" throttled {result['throttled']}; ansible-rulebook exit {result['rc']}"
    )


def test_each_change_is_one_event_and_one_playbook_run(endpoint_url: str) -> None:
    result = run_scenario(endpoint_url, "clean", throttles=False)
    report("clean", result)
    check_outcome(result)
    assert result["throttled"] == 0
    # The failed job's event arrived within delay_seconds + one request of the change: the next poll started
    # within delay_seconds of it, and the event reached ansible-rulebook within one request of that poll. A
    # completed job's model is Creating from that poll on, and the first poll after it is Active sends the event.
    arns = result["arns"]
    assert len(result["latency"]) == 4
    assert result["latency"][arns["bad"]] <= DELAY_SECONDS + ONE_REQUEST_SECONDS, result["latency"]
    for name in ("ok", "early", "broken"):
        seconds = result["latency"][arns[name]]
        assert seconds <= 2 * DELAY_SECONDS + MODEL_CREATING_SECONDS + ONE_REQUEST_SECONDS, (name, seconds)
    for region, seconds in result["poll_after_change"].items():
        assert seconds is not None and seconds <= DELAY_SECONDS + 0.5, (region, seconds)


def test_same_events_with_30_percent_throttles(endpoint_url: str) -> None:
    result = run_scenario(endpoint_url, "throttled", throttles=True)
    report("throttled", result)
    check_outcome(result)
    # The throttles happened (on the source's polls and the playbooks' reads) and did not end the source.
    assert result["throttled"] >= 3, result["throttled"]
