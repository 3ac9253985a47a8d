"""Part of the reliability suite: retries never carry a wait past its deadline, nor end it before.

Each case is a whole ``ansible-playbook`` run against the local endpoint, whose fault rules fail given requests
with HTTP 500. The runs set the collection's test-only backoff (``AMAZON_BEDROCK_TEST_BACKOFF``: base and cap of
the backoff, in seconds); what is retried and until when is the collection's real code. (That a page throttled
20 times in a row is asked again, and only it, is in the model_copy_job_info integration target.)

- ``model_copy_info`` with ``wait: true`` and a 10 s ``wait_timeout``, one of whose two regions answers every
  request with HTTP 500 (from the start, or after the first poll), ends within the timeout plus one poll: timed
  out, the copies as the last good poll read them (or none, when no poll could read them), never a "retries
  exhausted" error and never 48 s later.
- ``custom_model_deployment`` with ``wait: true`` whose create went through and whose wait's reads are all
  throttled fails at its 10 s ``wait_timeout`` with one line naming the deployment it could not read, and still
  reports the create (one CreateCustomModelDeployment sent).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from harness import Endpoint, Playbook, PlaybookRun, leaks, start_cases, workdir

FAST_BACKOFF = {"AMAZON_BEDROCK_TEST_BACKOFF": "0.01,0.05"}
CALLBACKS = Path(__file__).resolve().parent / "callback_plugins"
JOBS = 2500
TIMEOUT = 10
SLEEP = 2
# Starting the module (AnsiballZ, one client per region) and ending it, which the wait does not count: generous
# for a busy two-core machine. The bound this guards is the 48 s a 10 s gate ran before.
MODULE_START_AND_END = 6.0


def run_cases(endpoint: Endpoint, name: str, hosts: dict[str, dict[str, Any]]) -> tuple[PlaybookRun, list[dict]]:
    work = workdir(name)
    timing = work / "timing.json"
    env = dict(
        FAST_BACKOFF,
        ANSIBLE_CALLBACK_PLUGINS=str(CALLBACKS),
        ANSIBLE_CALLBACKS_ENABLED="reliability_timing",
        RELIABILITY_TIMING_FILE=str(timing),
    )
    playbook: Playbook = start_cases(endpoint, hosts, work, env=env)
    run = playbook.wait(timeout=300)
    return run, json.loads(timing.read_text()) if timing.exists() else []


@pytest.fixture(scope="module")
def failing_region(endpoint_session: Endpoint) -> Iterator[tuple[PlaybookRun, list[dict]]]:
    endpoint = endpoint_session
    endpoint.reset()
    source = endpoint.source_model("us-east-1", "retry-base")
    for region, name in (("us-west-2", "r-ok"), ("eu-central-1", "r-500"), ("eu-west-1", "r-later")):
        endpoint.seed(region, jobs=[{"source_model_arn": source, "target_model_name": name, "status": "InProgress"}])
    rule = {"operation": "ListModelCopyJobs", "kind": "error500"}
    endpoint.faults([dict(rule, region="eu-central-1"), dict(rule, region="eu-west-1", skip=1)])

    def copies(region: str, name: str) -> list[dict[str, str]]:
        ok = {"region": "us-west-2", "source_model_arn": source, "target_model_name": "r-ok"}
        return [ok, {"region": region, "source_model_arn": source, "target_model_name": name}]

    wait = {"wait": True, "wait_timeout": TIMEOUT, "wait_sleep": SLEEP}
    hosts = {
        "500-from-the-start": {
            "case_target": "copies",
            "case_args": dict(wait, copies=copies("eu-central-1", "r-500")),
        },
        "500-after-a-poll": {"case_target": "copies", "case_args": dict(wait, copies=copies("eu-west-1", "r-later"))},
    }
    run, timing = run_cases(endpoint, "retry-wait", hosts)
    endpoint.faults([])
    yield run, timing


def test_a_wait_while_a_region_answers_500s_ends_within_its_timeout_plus_one_poll(failing_region) -> None:
    run, timing = failing_region
    [task] = [task for task in timing if task["name"] == "model_copy_info"]
    took = task["end"] - task["start"]
    assert took <= TIMEOUT + SLEEP + MODULE_START_AND_END, f"the task took {took:.1f}s:\n{run.output}"
    assert "Traceback" not in run.output and leaks(run.output) == []
    for case_id in ("500-from-the-start", "500-after-a-poll"):
        failure = run.outcomes[case_id]["failure"]
        assert failure and failure["timed_out"] is True, run.output
        assert TIMEOUT <= failure["elapsed"] <= TIMEOUT + SLEEP, failure
        assert "\n" not in failure["msg"] and "on all" not in failure["msg"]  # not "retries exhausted"


def test_a_region_failing_from_the_start_times_out_before_the_copies_could_be_read(failing_region) -> None:
    run, _timing = failing_region
    failure = run.outcomes["500-from-the-start"]["failure"]
    assert failure["msg"].startswith("Timed out after ")
    assert " before the copies could be read: eu-central-1: Failed to list model copy jobs (page 1): " in failure["msg"]
    assert "got a server error (InternalServerException) on " in failure["msg"]
    assert failure["msg"].endswith("until wait_timeout")
    assert "copies" not in failure and failure["polls"] == 0


def test_a_region_failing_after_a_poll_ends_with_the_timeout_verdict_and_the_last_good_facts(failing_region) -> None:
    run, _timing = failing_region
    failure = run.outcomes["500-after-a-poll"]["failure"]
    assert failure["msg"].startswith("Timed out after ") and " waiting for 2 model copy job(s): " in failure["msg"]
    assert [copy["status"] for copy in failure["copies"]] == ["InProgress", "InProgress"]
    assert failure["polls"] >= 1


@pytest.fixture(scope="module")
def throttled_deployment_wait(endpoint_session: Endpoint) -> Iterator[tuple[PlaybookRun, list[dict], dict]]:
    """custom_model_deployment creates a deployment, then every read of its wait is throttled until wait_timeout.

    The rule lets the first two GetCustomModelDeployment requests through: the read by name before the create
    (not found) and the read back after it.
    """
    endpoint = endpoint_session
    endpoint.reset()
    model = endpoint.source_model("us-west-2", "retry-deployed")
    endpoint.faults([{"operation": "GetCustomModelDeployment", "kind": "throttle", "region": "us-west-2", "skip": 2}])
    endpoint.reset_stats()
    args = {"name": "retry-cmd", "model": model, "wait": True, "wait_timeout": TIMEOUT, "wait_sleep": SLEEP}
    hosts = {"cmd-throttled-wait": {"case_target": "cmd", "case_region": "us-west-2", "case_args": args}}
    run, timing = run_cases(endpoint, "retry-cmd-wait", hosts)
    stats = endpoint.stats()
    endpoint.faults([])
    yield run, timing, stats


def test_a_deployment_wait_throttled_until_its_deadline_fails_in_one_line_and_reports_the_create(
    throttled_deployment_wait,
) -> None:
    run, timing, stats = throttled_deployment_wait
    [task] = [task for task in timing if task["name"] == "custom_model_deployment"]
    took = task["end"] - task["start"]
    assert took <= TIMEOUT + SLEEP + MODULE_START_AND_END, f"the task took {took:.1f}s:\n{run.output}"
    assert "Traceback" not in run.output and leaks(run.output) == []
    failure = run.outcomes["cmd-throttled-wait"]["failure"]
    assert failure, run.output
    msg = failure["msg"]
    assert "\n" not in msg and msg.startswith(f"Timed out after {TIMEOUT}s before arn:aws:bedrock:us-west-2:"), msg
    assert ":custom-model-deployment/" in msg and " could be read: Failed to get custom model deployment " in msg
    assert "throttled (ThrottlingException) on " in msg and msg.endswith("until wait_timeout"), msg
    assert failure["timed_out"] is True and failure["polls"] == 0
    assert TIMEOUT <= failure["elapsed"] <= TIMEOUT + SLEEP, failure
    assert failure["changed"] is True and failure["client_request_token"]  # the create is still reported
    assert stats["requests"]["CreateCustomModelDeployment"] == 1
