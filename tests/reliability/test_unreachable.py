"""Part of the reliability suite: an endpoint no connection can be made to fails fast.

Each case is a whole ``ansible-playbook`` run of one task whose ``endpoint_url`` nothing listens on, whose host
name does not resolve, or whose listener never completes a connection (its accept queue is full, so the
connection attempt times out after the modules' 5 s connect timeout). The run must end within 10 s of wall time
(ansible-playbook's start-up included), the task must fail with one line that names the URL, and the output
must hold no traceback and no credential. The runs go one after the other, so each one's wall time is its own.

On a machine so busy that ansible-playbook alone takes seconds, 10 s measures the machine: so right before each
case the same one-task playbook runs against the live endpoint (a listing that finds nothing), and a case may
also take up to that run's time plus the connect timeout and 2 s. Retries, the bug this guards against, cost
much more: 9 attempts with jittered backoff took about 29 s on an idle machine.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest
from harness import (
    FAKE,
    REGIONS,
    Endpoint,
    Playbook,
    PlaybookRun,
    cases_inventory,
    leaks,
    module_defaults,
    workdir,
)

# Port 9 (discard) on loopback: nothing listens there, the connection is refused at once.
REFUSED = "http://127.0.0.1:9"
# .invalid never resolves (RFC 2606).
UNRESOLVED = "http://bedrock.endpoint.invalid:9"
# Filled in by connect_timeout_url(): a listener that answers no connection attempt.
TIMES_OUT = "connect-timeout"
LIMIT_SECONDS = 10.0
CONNECT_TIMEOUT = 5.0  # the modules' (plugins/module_utils/_clients.py)
SOURCE = "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-lite-v1"
COPY_REGIONS = ("us-east-1", "eu-west-1", "ap-south-1")
assert set(COPY_REGIONS) <= set(REGIONS)

MODULES = {"info": "model_copy_job_info", "job": "model_copy_job", "copies": "model_copy_info"}
CASES: dict[str, tuple[str, dict[str, Any], str]] = {
    # id: (module, its options, endpoint_url)
    "job-info": ("info", {}, REFUSED),
    "job-info-by-arn": (
        "info",
        {"job_arns": ["arn:aws:bedrock:us-west-2:123456789012:model-copy-job/abcdefghijkl"]},
        REFUSED,
    ),
    "job": ("job", {"source_model_arn": SOURCE, "target_model_name": "unreachable-copy"}, REFUSED),
    "copies-3-regions": (
        "copies",
        {
            "copies": [
                {"source_model_arn": SOURCE, "target_model_name": "unreachable-copy", "region": region}
                for region in COPY_REGIONS
            ]
        },
        REFUSED,
    ),
    "job-info-unresolved": ("info", {}, UNRESOLVED),
    "copies-3-regions-connect-timeout": (
        "copies",
        {
            "copies": [
                {"source_model_arn": SOURCE, "target_model_name": "unreachable-copy", "region": region}
                for region in COPY_REGIONS
            ]
        },
        TIMES_OUT,
    ),
}


@contextlib.contextmanager
def connect_timeout_url() -> Iterator[str]:
    """The URL of a loopback listener whose accept queue is full: Linux drops further connection attempts
    (SYNs) unanswered, so a client waits for its connect timeout, as behind a firewall that drops packets."""
    with contextlib.ExitStack() as stack:
        server = stack.enter_context(socket.socket())
        server.bind(("127.0.0.1", 0))
        server.listen(0)
        port = server.getsockname()[1]
        for _n in range(4):  # never accepted: they fill the queue
            client = stack.enter_context(socket.socket())
            client.setblocking(False)
            with contextlib.suppress(BlockingIOError):
                client.connect(("127.0.0.1", port))
        time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"


def one_task(endpoint: Endpoint, case_id: str, url: str, target: str = "", args: Any = None) -> PlaybookRun:
    """One ansible-playbook run of nothing but the case's task: its wall time is the user's wait."""
    if not target:
        target, args = CASES[case_id][:2]
    play = {
        "name": "Unreachable endpoint",
        "hosts": "all",
        "gather_facts": False,
        "module_defaults": module_defaults(endpoint.url),
        "tasks": [{"name": "Run the case", f"amazon.bedrock.{MODULES[target]}": args}],
    }
    inventory = cases_inventory(endpoint, {case_id: {"case_endpoint_url": url}})
    extra = {"reliability_credentials": FAKE.secrets()}
    return Playbook([play], inventory, workdir(f"unreachable-{case_id}"), extra_vars=extra).wait(timeout=180)


def failure(run: PlaybookRun, case_id: str) -> dict[str, Any] | None:
    """The result the task failed with, from the default callback's ``fatal: [host]: FAILED! => {...}`` line."""
    found = re.search(r"^fatal: \[" + re.escape(case_id) + r"\]: FAILED! => (\{.*\})$", run.output, re.MULTILINE)
    return json.loads(found.group(1)) if found else None


@pytest.fixture(scope="module")
def runs(endpoint_session: Endpoint) -> dict[str, tuple[PlaybookRun, dict[str, Any] | None, str, float]]:
    done = {}
    with connect_timeout_url() as times_out:
        for case_id, (_target, _args, url) in CASES.items():
            reachable = one_task(endpoint_session, f"{case_id}-reachable", endpoint_session.url, "info", {})
            assert reachable.rc == 0, reachable.output
            url = times_out if url == TIMES_OUT else url
            run = one_task(endpoint_session, case_id, url)
            done[case_id] = (run, failure(run, case_id), url, reachable.seconds)
            print(f"{case_id}: ansible-playbook took {run.seconds:.1f}s (reachable endpoint: {reachable.seconds:.1f}s)")
    return done


@pytest.mark.parametrize("case_id", CASES)
def test_an_unreachable_endpoint_fails_within_10s_naming_the_url(runs: dict[str, Any], case_id: str) -> None:
    run, result, url, reachable = runs[case_id]
    assert run.rc != 0 and result is not None, f"did not fail:\n{run.output}"
    msg = result["msg"]
    limit = max(LIMIT_SECONDS, reachable + CONNECT_TIMEOUT + 2.0)
    assert run.seconds <= limit, f"ansible-playbook took {run.seconds:.1f}s (reachable: {reachable:.1f}s): {msg}"
    kind = "ConnectTimeoutError" if CASES[case_id][2] == TIMES_OUT else "EndpointConnectionError"
    # scheme, host and port first, then why, short: not the 250-character request URL
    assert f"cannot connect to {url} ({kind}: " in msg and "), not retried; check endpoint_url" in msg
    assert "model-copy-jobs" not in msg and len(msg) < 400 and "\n" not in msg
    assert "attempts" not in msg  # not retried: no "on all N attempts"
    assert "Traceback" not in run.output and "exception" not in result
    assert leaks(run.output) == []


def test_model_copy_info_names_a_region_it_could_not_reach(runs: dict[str, Any]) -> None:
    msg = (runs["copies-3-regions"][1] or {}).get("msg", "")
    assert msg.split(":", 1)[0] in COPY_REGIONS
    assert "Failed to list model copy jobs (page 1)" in msg
