"""The event source's ``targets`` against the local endpoint: two accounts, each through its role, with sessions
shorter than the run, so botocore assumes the roles again while the source polls.

Run by hacking/eda-e2e.sh (``make eda-e2e``) with the endpoint's BEDROCK_ENDPOINT_URL and AWS_ENDPOINT_URL_STS. The
source is the INSTALLED one (.work/collections), run in this process with a queue that stops after the events.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "endpoint"))
sys.path.insert(0, str(ROOT / ".work" / "collections"))

from bedrock_endpoint.testing import control  # needs the path above

ROLES = {
    "111111111111": "arn:aws:iam::111111111111:role/bedrock-copy-gate",
    "222222222222": "arn:aws:iam::222222222222:role/bedrock-copy-gate",
}
REGION = "us-west-2"


class Enough(Exception):
    pass


class Queue:
    def __init__(self, wanted: int) -> None:
        self.events: list[dict[str, Any]] = []
        self.wanted = wanted

    async def put(self, event: dict[str, Any]) -> None:
        self.events.append(event)
        if len(self.events) >= self.wanted:
            raise Enough


@pytest.fixture
def url() -> str:
    found = os.environ.get("BEDROCK_ENDPOINT_URL")
    if not found or not os.environ.get("AWS_ENDPOINT_URL_STS"):
        pytest.skip("needs the local endpoint (hacking/with-endpoint.sh)")
    control(found, "POST", "reset")
    return found


def test_targets_in_two_accounts_with_sessions_shorter_than_the_run(url: str) -> None:
    from ansible_collections.amazon.bedrock.extensions.eda.plugins.event_source import model_copy_jobs as source

    control(url, "POST", "lifecycle", {"duration_seconds": 6})
    control(url, "POST", "sts/session-seconds", {"seconds": 2})
    model = control(url, "POST", "models", {"region": "us-east-1", "model_name": "targets-source"})["model_arn"]
    jobs = {
        account: control(
            url,
            "POST",
            "seed",
            {"region": REGION, "account_id": account, "jobs": [{"source_model_arn": model, "target_model_name": "t"}]},
        )["job_arns"][0]
        for account in ROLES
    }
    queue = Queue(wanted=2)
    args = {
        "targets": [{"region": REGION, "assume_role_arn": role} for role in ROLES.values()],
        "endpoint_url": url,
        "delay_seconds": 1,
    }
    with pytest.raises(Enough):
        asyncio.run(asyncio.wait_for(source.main(queue, args), timeout=60))
    found = {event["model_copy_job"]["job_arn"]: event["model_copy_job"]["status"] for event in queue.events}
    assert found == {jobs["111111111111"]: "Completed", jobs["222222222222"]: "Completed"}
    stats = control(url, "GET", "stats")
    # Two sessions at the start, and more as each neared its end (2 s) during the 6 s the copies took.
    assert stats["requests"]["AssumeRole"] > 2
    listed = {account: ops.get("ListModelCopyJobs", 0) for account, ops in stats["by_account"].items()}
    assert listed["111111111111"] >= 3 and listed["222222222222"] >= 3
    assert listed.get("123456789012", 0) == 0  # nothing read with the source's own credentials
