"""Part of the reliability suite: an endpoint no connection can be made to fails fast.

Each case is a whole ``ansible-playbook`` run of one task whose ``endpoint_url`` nothing listens on (or whose
host name does not resolve). The run must end within 10 s of wall time (ansible-playbook's start-up included),
the task must fail with one line that names the URL, and the output must hold no traceback and no credential.
The runs go one after the other, so each one's wall time is its own.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from harness import FAKE, PYTHON, REGIONS, Endpoint, Playbook, PlaybookRun, leaks, module_defaults, workdir

# Port 9 (discard) on loopback: nothing listens there, the connection is refused at once.
REFUSED = "http://127.0.0.1:9"
# .invalid never resolves (RFC 2606).
UNRESOLVED = "http://bedrock.endpoint.invalid:9"
LIMIT_SECONDS = 10.0
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
}


def one_task(endpoint: Endpoint, case_id: str) -> PlaybookRun:
    """One ansible-playbook run of nothing but the case's task: its wall time is the user's wait."""
    target, args, url = CASES[case_id]
    play = {
        "name": "Unreachable endpoint",
        "hosts": "all",
        "gather_facts": False,
        "module_defaults": module_defaults(endpoint.url),
        "tasks": [{"name": "Run the case", f"amazon.bedrock.{MODULES[target]}": args}],
    }
    host = {"case_endpoint_url": url}
    inventory = {
        "all": {
            "vars": {
                "ansible_connection": "local",
                "ansible_python_interpreter": PYTHON,
                "reliability_endpoint_url": endpoint.url,
            },
            "hosts": {case_id: host},
        }
    }
    extra = {"reliability_credentials": FAKE.secrets()}
    return Playbook([play], inventory, workdir(f"unreachable-{case_id}"), extra_vars=extra).wait(timeout=120)


def failure(run: PlaybookRun, case_id: str) -> dict[str, Any] | None:
    """The result the task failed with, from the default callback's ``fatal: [host]: FAILED! => {...}`` line."""
    found = re.search(r"^fatal: \[" + re.escape(case_id) + r"\]: FAILED! => (\{.*\})$", run.output, re.MULTILINE)
    return json.loads(found.group(1)) if found else None


@pytest.fixture(scope="module")
def runs(endpoint_session: Endpoint) -> dict[str, tuple[PlaybookRun, dict[str, Any] | None]]:
    done = {}
    for case_id in CASES:
        run = one_task(endpoint_session, case_id)
        done[case_id] = (run, failure(run, case_id))
        print(f"{case_id}: ansible-playbook took {run.seconds:.1f}s")
    return done


@pytest.mark.parametrize("case_id", CASES)
def test_an_unreachable_endpoint_fails_within_10s_naming_the_url(runs: dict[str, Any], case_id: str) -> None:
    run, result = runs[case_id]
    url = CASES[case_id][2]
    assert run.rc != 0 and result is not None, f"did not fail:\n{run.output}"
    msg = result["msg"]
    assert run.seconds <= LIMIT_SECONDS, f"ansible-playbook took {run.seconds:.1f}s: {msg}"
    assert f'Could not connect to the endpoint URL: "{url}/' in msg
    assert "cannot connect to the endpoint, not retried" in msg and "\n" not in msg
    assert "attempts" not in msg  # not retried: no "on all N attempts"
    assert "Traceback" not in run.output and "exception" not in result
    assert leaks(run.output) == []


def test_model_copy_info_names_a_region_it_could_not_reach(runs: dict[str, Any]) -> None:
    msg = (runs["copies-3-regions"][1] or {}).get("msg", "")
    assert msg.split(":", 1)[0] in COPY_REGIONS
    assert "Failed to list model copy jobs (page 1)" in msg
