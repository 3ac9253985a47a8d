"""The event source's main(queue, args) with a list-backed queue, a virtual clock and scripted clients."""

from __future__ import annotations

import asyncio
import importlib.util
import logging
import pathlib
import threading
from typing import Any

import botocore.exceptions
import pytest

from ansible_collections.amazon.bedrock.plugins.module_utils._bedrock import RetryPolicy
from ansible_collections.amazon.bedrock.plugins.module_utils._copy_job_events import SourceFailed
from ansible_collections.amazon.bedrock.plugins.module_utils._facts import to_job_facts
from ansible_collections.amazon.bedrock.tests.unit.fakes import (
    SOURCE_ARN,
    FakeBedrock,
    client_error,
    job_arn,
    summary,
)

SOURCE = pathlib.Path(__file__).parents[6] / "extensions/eda/plugins/event_source/model_copy_jobs.py"
FAST = RetryPolicy(attempts=2, delay=0.0, max_delay=0.0)


def load_source() -> Any:
    spec = importlib.util.spec_from_file_location("model_copy_jobs_source", SOURCE)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


source = load_source()


class Stop(Exception):
    """Ends a test's run of main() once the virtual clock passes its limit."""


class VirtualTime:
    def __init__(self, limit: float) -> None:
        self.now = 0.0
        self.limit = limit
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        if self.now > self.limit:
            raise Stop
        await asyncio.sleep(0)


class ListQueue:
    def __init__(self, time: VirtualTime) -> None:
        self.events: list[dict[str, Any]] = []
        self.times: list[float] = []
        self._time = time

    async def put(self, event: dict[str, Any]) -> None:
        self.events.append(event)
        self.times.append(self._time.now)


class TimedBedrock(FakeBedrock):
    """Newest first; ``changes`` are (virtual time, job number, new status) applied when a request sees them."""

    def __init__(self, jobs: list[dict[str, Any]], time: VirtualTime, changes: list[tuple[float, int, str]] = ()):
        super().__init__(jobs)
        self.time = time
        self.changes = list(changes)

    def list_model_copy_jobs(self, **params: Any) -> dict[str, Any]:
        for when, n, status in list(self.changes):
            if self.time.now >= when:
                self.changes.remove((when, n, status))
                known = [job for job in self.jobs if job["jobArn"] == job_arn(n)]
                if known:
                    known[0]["status"] = status
                else:
                    self.jobs.append(summary(n, status))
        self.jobs.sort(key=lambda job: job["creationTime"], reverse=True)
        return super().list_model_copy_jobs(**params)


def run(args: dict[str, Any], clients: dict[str, Any], time: VirtualTime) -> ListQueue:
    queue = ListQueue(time)
    coro = source.main(queue, args, clock=time.clock, sleep=time.sleep, client_factory=clients.__getitem__, retry=FAST)
    with pytest.raises(Stop):
        asyncio.run(coro)
    return queue


def seen(queue: ListQueue) -> list[tuple[str, str, str | None]]:
    return [(e["model_copy_job"]["job_arn"], e["model_copy_job"]["status"], e["previous_status"]) for e in queue.events]


def test_changes_are_events_once_and_arrive_within_one_delay() -> None:
    time = VirtualTime(limit=600)
    client = TimedBedrock(
        [summary(1), summary(2, "InProgress")],
        time,
        changes=[(95, 2, "Completed"), (130, 3, "InProgress"), (250, 3, "Failed")],
    )
    queue = run({"regions": ["us-west-2"], "delay_seconds": 30}, {"us-west-2": client}, time)
    assert seen(queue) == [
        (job_arn(2), "Completed", "InProgress"),
        (job_arn(3), "InProgress", None),
        (job_arn(3), "Failed", "InProgress"),
    ]
    for changed, arrived in zip([95, 130, 250], queue.times):
        assert 0 <= arrived - changed <= 30
    assert queue.events[0]["model_copy_job"] == to_job_facts(summary(2, "Completed"))
    assert queue.events[0]["region"] == "us-west-2"
    # One request per poll: 600 s at 30 s a poll.
    assert len(client.list_calls) == 21
    assert set(time.sleeps) == {30}


def test_emit_existing_makes_every_matching_job_an_event_once() -> None:
    time = VirtualTime(limit=100)
    client = TimedBedrock([summary(1), summary(2, "Failed"), summary(3, "InProgress")], time, [(50, 3, "Completed")])
    queue = run({"regions": ["us-west-2"], "emit_existing": True, "delay_seconds": 10}, {"us-west-2": client}, time)
    assert sorted(seen(queue)) == [
        (job_arn(1), "Completed", None),
        (job_arn(2), "Failed", None),
        (job_arn(3), "Completed", "InProgress"),
        (job_arn(3), "InProgress", None),
    ]


def test_filters_reach_the_listing() -> None:
    time = VirtualTime(limit=5)
    client = TimedBedrock([], time)
    args = {"regions": "us-west-2", "source_model_arn": SOURCE_ARN, "target_model_name_contains": "prod"}
    run(args, {"us-west-2": client}, time)
    assert client.list_calls[0]["sourceModelArnEquals"] == SOURCE_ARN
    assert client.list_calls[0]["targetModelNameContains"] == "prod"


def test_throttles_and_server_errors_never_end_it_and_the_events_stay_exact(no_sleep: list[float]) -> None:
    time = VirtualTime(limit=400)
    client = TimedBedrock([summary(1, "InProgress")], time, [(40, 1, "Completed"), (45, 2, "InProgress")])
    throttle, server = (
        client_error("ThrottlingException", status=429),
        client_error("InternalServerException", status=500),
    )
    # Poll 1 fine; then more failures in a row than the page retry allows, twice over.
    client.faults = [None, throttle, throttle, throttle, server, server, server, None, throttle]
    queue = run({"regions": ["us-west-2"], "delay_seconds": 30}, {"us-west-2": client}, time)
    assert sorted(seen(queue)) == [(job_arn(1), "Completed", "InProgress"), (job_arn(2), "InProgress", None)]
    # Backed off after each failed poll: 30 s, then 60 s.
    assert time.sleeps[:3] == [30, 30, 60]


def test_an_endpoint_lost_after_the_region_answered_is_polled_again(no_sleep: list[float]) -> None:
    """Unreachable at the start ends the source (a wrong endpoint_url); unreachable later is a blip: back off."""
    time = VirtualTime(limit=400)
    client = TimedBedrock([summary(1, "InProgress")], time, [(40, 1, "Completed")])
    refused = botocore.exceptions.EndpointConnectionError(endpoint_url="https://bedrock.us-west-2.amazonaws.com")
    client.faults = [None, refused, refused]
    queue = run({"regions": ["us-west-2"], "delay_seconds": 30}, {"us-west-2": client}, time)
    assert sorted(seen(queue)) == [(job_arn(1), "Completed", "InProgress")]
    assert time.sleeps[:3] == [30, 30, 60]


@pytest.mark.parametrize("code", ["AccessDeniedException", "UnrecognizedClientException", "ExpiredTokenException"])
def test_access_denied_or_bad_credentials_end_it_with_one_line(code: str, caplog: pytest.LogCaptureFixture) -> None:
    time = VirtualTime(limit=100)
    client = TimedBedrock([summary(1)], time)
    client.faults = [client_error(code, status=403)]
    queue = ListQueue(time)
    coro = source.main(
        queue,
        {"regions": ["eu-west-1"]},
        clock=time.clock,
        sleep=time.sleep,
        client_factory={"eu-west-1": client}.__getitem__,
        retry=FAST,
    )
    with caplog.at_level(logging.WARNING), pytest.raises(SourceFailed) as raised:
        asyncio.run(coro)
    message = str(raised.value)
    assert message.startswith("model_copy_jobs: eu-west-1: Failed to list model copy jobs")
    assert code in message and "\n" not in message
    assert caplog.records == [] and queue.events == [] and len(client.list_calls) == 1


def test_one_region_failing_for_good_stops_the_others() -> None:
    time = VirtualTime(limit=1000)
    good = TimedBedrock([summary(1)], time)
    bad = TimedBedrock([], time)
    bad.faults = [None, client_error("AccessDeniedException", status=403)]
    coro = source.main(
        ListQueue(time),
        {"regions": ["us-west-2", "eu-west-1"], "delay_seconds": 10},
        clock=time.clock,
        sleep=time.sleep,
        client_factory={"us-west-2": good, "eu-west-1": bad}.__getitem__,
        retry=FAST,
    )
    with pytest.raises(SourceFailed, match="eu-west-1"):
        asyncio.run(coro)


def test_regions_are_polled_concurrently_a_slow_one_does_not_delay_the_others() -> None:
    time = VirtualTime(limit=200)
    released = threading.Event()

    class Slow(TimedBedrock):
        def list_model_copy_jobs(self, **params: Any) -> dict[str, Any]:
            if len(self.list_calls) == 1:  # the second poll hangs until the fast region's event is out
                assert released.wait(10), "the fast region's event never came"
            return super().list_model_copy_jobs(**params)

    slow_out = threading.Event()

    class Fast(TimedBedrock):
        def list_model_copy_jobs(self, **params: Any) -> dict[str, Any]:
            # Once its event is out, it waits for the slow region's: otherwise, on a busy machine, its polls could
            # run virtual time out (they cost no real time) before the released thread is scheduled again.
            if released.is_set():
                assert slow_out.wait(10), "the slow region's event never came"
            return super().list_model_copy_jobs(**params)

    slow = Slow([summary(1, "InProgress")], time, [(45, 1, "Completed")])
    fast = Fast([summary(2, "InProgress")], time, [(45, 2, "Completed")])
    queue = ListQueue(time)
    original_put = queue.put

    async def put(event: dict[str, Any]) -> None:
        await original_put(event)
        (released if event["region"] == "us-west-2" else slow_out).set()

    queue.put = put  # type: ignore[method-assign]
    coro = source.main(
        queue,
        {"regions": ["eu-west-1", "us-west-2"], "delay_seconds": 10},
        clock=time.clock,
        sleep=time.sleep,
        client_factory={"eu-west-1": slow, "us-west-2": fast}.__getitem__,
        retry=FAST,
    )
    with pytest.raises(Stop):
        asyncio.run(coro)
    assert [e["region"] for e in queue.events] == ["us-west-2", "eu-west-1"]
    assert [e["previous_status"] for e in queue.events] == ["InProgress", "InProgress"]


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        ({"regions": []}, "regions: expected a non-empty list"),
        ({"regions": ["not a region"]}, "regions[0]: expected an AWS region name"),
        ({"delay_seconds": 0}, "delay_seconds: must be greater than 0"),
        ({"delay_seconds": "soon"}, "delay_seconds: expected a number"),
        ({"emit_existing": "maybe"}, "emit_existing: expected true or false"),
        ({"source_model_arn": "arn:nope"}, "source_model_arn: expected a Bedrock"),
        ({"target_model_name_contains": "bad name!"}, "target_model_name_contains: expected"),
        ({"aws_secret_access_key": ""}, "aws_secret_access_key: expected a non-empty string"),
        ({"region": "us-east-1"}, "region: is not an argument of this source"),
    ],
)
def test_bad_arguments_end_it_before_any_request(args: dict[str, Any], problem: str) -> None:
    time = VirtualTime(limit=10)
    client = TimedBedrock([], time)
    coro = source.main(
        ListQueue(time),
        {"regions": ["us-west-2"], **args},
        clock=time.clock,
        sleep=time.sleep,
        client_factory={"us-west-2": client}.__getitem__,
    )
    with pytest.raises(SourceFailed) as raised:
        asyncio.run(coro)
    assert str(raised.value).startswith(f"model_copy_jobs: {problem}")
    assert client.list_calls == []


def test_without_regions_the_environment_region_is_watched(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ap-south-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    factory, region = source._boto3_clients(
        {
            "aws_access_key_id": None,
            "aws_secret_access_key": None,
            "aws_session_token": None,
            "profile": None,
            "endpoint_url": "http://127.0.0.1:9",
        }
    )
    assert region == "ap-south-1"
    client = factory(region)
    assert client.meta.region_name == "ap-south-1" and client.meta.endpoint_url == "http://127.0.0.1:9"


def test_an_unknown_profile_is_one_line() -> None:
    with pytest.raises(SourceFailed, match=r"^model_copy_jobs: profile: "):
        source._boto3_clients(
            {
                "aws_access_key_id": None,
                "aws_secret_access_key": None,
                "aws_session_token": None,
                "profile": "no-such-profile-here",
                "endpoint_url": None,
            }
        )


ROLE = "arn:aws:iam::111111111111:role/bedrock-copy-gate"


def test_targets_watch_each_region_in_its_account(caplog: pytest.LogCaptureFixture) -> None:
    time = VirtualTime(limit=100)
    own, theirs = TimedBedrock([summary(1)], time), TimedBedrock([summary(2)], time)
    asked: list[Any] = []

    def factory(region: str, account: Any = None) -> Any:
        asked.append((region, None if account is None else account.role_arn))
        return own if account is None else theirs

    queue = ListQueue(time)
    args = {
        "targets": [{"region": "us-west-2"}, {"region": "us-west-2", "assume_role_arn": ROLE}],
        "emit_existing": True,
    }
    coro = source.main(queue, args, clock=time.clock, sleep=time.sleep, client_factory=factory, retry=FAST)
    with caplog.at_level(logging.INFO), pytest.raises(Stop):
        asyncio.run(coro)
    assert asked == [("us-west-2", None), ("us-west-2", ROLE)]
    assert sorted(e["model_copy_job"]["job_arn"] for e in queue.events) == [job_arn(1), job_arn(2)]
    assert f"us-west-2, us-west-2 (role {ROLE})" in caplog.text


@pytest.mark.parametrize(
    "args, message",
    [
        (
            {"regions": ["us-west-2"], "targets": [{"region": "us-west-2"}]},
            "targets: give regions or targets, not both",
        ),
        ({"targets": []}, "targets: expected a non-empty list"),
        (
            {"targets": [{"region": "us-west-2", "assume_role_arn": "nope"}]},
            "targets[0].assume_role_arn: expected an IAM",
        ),
        ({"targets": [{"region": "Oregon"}]}, "targets[0].region: expected an AWS region name"),
        ({"targets": [{"region": "us-west-2", "role": ROLE}]}, "targets[0].role: is not a key of a target"),
    ],
)
def test_bad_targets_end_it_before_any_request(args: dict[str, Any], message: str) -> None:
    time = VirtualTime(limit=10)
    with pytest.raises(SourceFailed) as raised:
        asyncio.run(source.main(ListQueue(time), args, clock=time.clock, sleep=time.sleep, client_factory=_no_client))
    assert str(raised.value).startswith(f"model_copy_jobs: {message}")


def _no_client(*args: Any) -> Any:
    raise AssertionError("no client may be made for bad arguments")


def test_a_role_that_cannot_be_assumed_ends_it_naming_the_target(monkeypatch: pytest.MonkeyPatch) -> None:
    from ansible_collections.amazon.bedrock.plugins.module_utils import _accounts

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise client_error("AccessDenied", "AssumeRole", 403)

    monkeypatch.setattr(_accounts, "assumed_role_credentials", refuse)
    options = {
        "aws_access_key_id": "testing",
        "aws_secret_access_key": "testing",
        "aws_session_token": None,
        "profile": None,
        "endpoint_url": "http://127.0.0.1:9",
    }
    targets = [{"region": "us-west-2"}, {"region": "eu-west-1", "assume_role_arn": ROLE}]
    with pytest.raises(SourceFailed) as raised:
        source._boto3_clients(options, targets)
    assert (
        str(raised.value)
        == f"model_copy_jobs: targets[1]: could not assume role {ROLE}: AccessDenied: AccessDenied happened"
    )
