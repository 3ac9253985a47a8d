"""The pieces of a wait that rides out an unreachable endpoint: the error's URL, the failure and its message."""

from __future__ import annotations

import datetime

import botocore.exceptions
import pytest

from ansible_collections.amazon.bedrock.plugins.module_utils._bedrock import (
    DEFAULT_RETRY,
    EndpointUnreachable,
    call,
    is_unreachable,
    outage_failure,
    utc_before,
)
from ansible_collections.amazon.bedrock.plugins.module_utils._waiting import WaitOutcome
from ansible_collections.amazon.bedrock.plugins.plugin_utils._progress import Pending

URL = "http://127.0.0.1:9/model-copy-jobs?maxResults=1000"


def refuse(**_params):
    raise botocore.exceptions.EndpointConnectionError(endpoint_url=URL, error="Connection refused")


def test_an_unreachable_endpoint_error_carries_its_url():
    with pytest.raises(EndpointUnreachable) as caught:
        call(DEFAULT_RETRY, "list model copy jobs", refuse)
    assert caught.value.url == URL
    assert is_unreachable(caught.value)
    assert not is_unreachable(ValueError("x"))


def test_a_wait_that_ended_reachable_has_no_outage_failure():
    assert outage_failure(WaitOutcome("v", 3, 10.0, True, failed_polls=2)) is None


def test_a_wait_that_ended_unreachable_fails_in_one_line_naming_the_url_and_since_when():
    with pytest.raises(EndpointUnreachable) as caught:
        call(DEFAULT_RETRY, "get model copy job", refuse)
    error = caught.value
    outcome = WaitOutcome("v", 1, 60.0, True, failed_polls=7, error=error, failing_for=42.0)
    failure = outage_failure(outcome)
    assert failure is not None
    since = failure["unreachable_since"]
    assert failure["endpoint_unreachable"] == URL
    assert failure["msg"].startswith(f"Cannot connect to the endpoint {URL} since {since}: 7 poll(s) failed")
    assert "\n" not in failure["msg"]
    # since is about 42 s ago, to the second.
    then = datetime.datetime.strptime(since, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)
    ago = (datetime.datetime.now(datetime.timezone.utc) - then).total_seconds()
    assert 41 <= ago <= 45


def test_utc_before_counts_back_from_now():
    now = datetime.datetime(2026, 12, 4, 19, 0, 5, tzinfo=datetime.timezone.utc)
    assert utc_before(65, now) == "2026-12-04T18:59:00Z"


def test_a_progress_line_says_what_else_the_wait_rides_out():
    pending = Pending(labels=("prod (InProgress)",), total=1, noun="copies", note="endpoint unreachable since T")
    assert pending.line(False) == "1 of 1 copies pending: prod (InProgress); endpoint unreachable since T"
    assert pending.line(True) == "1 of 1 copies pending; endpoint unreachable since T"
