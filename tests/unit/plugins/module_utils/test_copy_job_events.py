from __future__ import annotations

from typing import Any

import botocore.exceptions
import pytest

from ansible_collections.amazon.bedrock.plugins.module_utils._bedrock import (
    AnsibleBedrockError,
    EndpointUnreachable,
    RetriesExhausted,
    RetryPolicy,
    is_transient,
)
from ansible_collections.amazon.bedrock.plugins.module_utils._copy_job_events import (
    Backoff,
    RegionWatch,
    describe,
    listing_filters,
)
from ansible_collections.amazon.bedrock.plugins.module_utils._facts import to_job_facts
from ansible_collections.amazon.bedrock.tests.unit.fakes import SOURCE_ARN, FakeBedrock, client_error, job_arn, summary

FAST = RetryPolicy(attempts=3, delay=0.0, max_delay=0.0)


class NewestFirst(FakeBedrock):
    """FakeBedrock that lists newest first, as the watch asks, and checks that it asks."""

    def list_model_copy_jobs(self, **params: Any) -> dict[str, Any]:
        assert params["sortBy"] == "CreationTime" and params["sortOrder"] == "Descending"
        self.jobs.sort(key=lambda job: job["creationTime"], reverse=True)
        return super().list_model_copy_jobs(**params)

    def set_status(self, n: int, status: str, **extra: Any) -> None:
        for job in self.jobs:
            if job["jobArn"] == job_arn(n):
                job.update(status=status, **extra)
                return
        raise AssertionError(f"no job {n}")


def watch(client: FakeBedrock, emit_existing: bool = False) -> RegionWatch:
    return RegionWatch(client, "us-west-2", listing_filters(None, None), emit_existing, retry=FAST)


def arns(events: list[dict[str, Any]]) -> list[tuple[str, str, str | None]]:
    return [(e["model_copy_job"]["job_arn"], e["model_copy_job"]["status"], e["previous_status"]) for e in events]


def test_filters_are_the_listing_filters_newest_first() -> None:
    assert listing_filters(SOURCE_ARN, "prod") == {
        "sourceModelArnEquals": SOURCE_ARN,
        "targetModelNameContains": "prod",
        "sortBy": "CreationTime",
        "sortOrder": "Descending",
    }
    assert listing_filters(None, None) == {"sortBy": "CreationTime", "sortOrder": "Descending"}


def test_existing_jobs_are_not_events_but_in_progress_ones_fire_when_they_finish() -> None:
    client = NewestFirst([summary(1), summary(2, "Failed"), summary(3, "InProgress")])
    w = watch(client)
    assert w.poll() == []
    assert w.poll() == []
    client.set_status(3, "Completed")
    events = w.poll()
    assert arns(events) == [(job_arn(3), "Completed", "InProgress")]
    assert events[0]["region"] == "us-west-2"
    assert w.poll() == []


def test_emit_existing_reports_every_job_once_at_start() -> None:
    client = NewestFirst([summary(1), summary(2, "Failed"), summary(3, "InProgress")])
    w = watch(client, emit_existing=True)
    assert sorted(arns(w.poll())) == [
        (job_arn(1), "Completed", None),
        (job_arn(2), "Failed", None),
        (job_arn(3), "InProgress", None),
    ]
    assert w.poll() == []
    client.set_status(3, "Failed", failureMessage="quota")
    assert arns(w.poll()) == [(job_arn(3), "Failed", "InProgress")]


def test_event_carries_the_job_exactly_as_model_copy_job_info_shapes_it() -> None:
    client = NewestFirst([summary(1)])
    w = watch(client)
    w.poll()
    client.jobs.append(summary(2, "InProgress"))
    (event,) = w.poll()
    assert event == {
        "model_copy_job": to_job_facts(summary(2, "InProgress")),
        "region": "us-west-2",
        "previous_status": None,
        "model_status": None,
    }
    assert event["model_copy_job"]["target_model_tags"] == {"Team": "search"}


def test_new_job_already_finished_is_one_event_and_each_change_once() -> None:
    client = NewestFirst([summary(1)])
    w = watch(client)
    w.poll()
    client.jobs += [summary(2, "InProgress"), summary(3, "Completed")]
    assert sorted(arns(w.poll())) == [(job_arn(2), "InProgress", None), (job_arn(3), "Completed", None)]
    assert w.poll() == []
    client.set_status(2, "Completed")
    assert arns(w.poll()) == [(job_arn(2), "Completed", "InProgress")]
    assert w.poll() == [] and w.poll() == []


def test_steady_state_is_one_request_and_stops_at_known_finished_jobs() -> None:
    # 2,500 jobs: three pages of 1,000. Only the first poll reads them all.
    jobs = [summary(n) for n in range(1, 2501)]
    jobs[-1]["status"] = "InProgress"  # the newest job is pending
    client = NewestFirst(jobs)
    w = watch(client)
    w.poll()
    assert w.last_requests == 3
    for _poll in range(5):
        assert w.poll() == []
        assert w.last_requests == 1
    client.set_status(2500, "Completed")
    client.jobs.append(summary(2501, "InProgress"))
    assert sorted(arns(w.poll())) == [(job_arn(2500), "Completed", "InProgress"), (job_arn(2501), "InProgress", None)]
    assert w.last_requests == 1


def test_an_old_pending_job_is_read_even_past_the_first_page() -> None:
    jobs = [summary(n) for n in range(1, 1501)]
    jobs[0]["status"] = "InProgress"  # the oldest job, on the second page
    client = NewestFirst(jobs)
    w = watch(client)
    w.poll()
    assert w.poll() == [] and w.last_requests == 2
    client.set_status(1, "Completed")
    assert arns(w.poll()) == [(job_arn(1), "Completed", "InProgress")]
    assert w.poll() == [] and w.last_requests == 1


def test_a_failed_poll_changes_nothing_so_the_next_reports_the_change_once(no_sleep: list[float]) -> None:
    jobs = [summary(n) for n in range(1, 1501)]
    jobs[0]["status"] = "InProgress"
    client = NewestFirst(jobs)
    w = watch(client)
    w.poll()
    client.jobs.append(summary(1501, "InProgress"))
    client.set_status(1, "Completed")
    # Page 1 is read, page 2 keeps failing: no events, nothing remembered.
    client.faults = [None, *[client_error("ThrottlingException", status=429)] * 10]
    with pytest.raises(RetriesExhausted) as raised:
        w.poll()
    client.faults = []
    assert is_transient(raised.value)
    assert sorted(arns(w.poll())) == [(job_arn(1), "Completed", "InProgress"), (job_arn(1501), "InProgress", None)]
    assert w.poll() == []


def test_throttles_are_retried_per_page_and_the_events_stay_the_same(no_sleep: list[float]) -> None:
    client = NewestFirst([summary(1, "InProgress")])
    w = watch(client)
    w.poll()
    client.set_status(1, "Completed")
    client.faults = [
        client_error("ThrottlingException", status=429),
        client_error("InternalServerException", status=500),
    ]
    assert arns(w.poll()) == [(job_arn(1), "Completed", "InProgress")]
    assert w.last_requests == 1 and len(client.list_calls) == 4


def test_a_pending_job_the_listing_no_longer_shows_is_dropped() -> None:
    client = NewestFirst([summary(1), summary(2, "InProgress")])
    w = watch(client)
    w.poll()
    client.jobs[:] = [job for job in client.jobs if job["jobArn"] != job_arn(2)]
    assert w.poll() == []
    assert w.pending() == set()


@pytest.mark.parametrize(
    ("error", "transient"),
    [
        (client_error("ThrottlingException", status=429), True),
        (client_error("InternalServerException", status=500), True),
        (client_error("SomethingNew", status=503), True),
        (client_error("AccessDeniedException", status=403), False),
        (client_error("UnrecognizedClientException", status=403), False),
        (client_error("ValidationException", status=400), False),
        (AnsibleBedrockError(message="x", exception=client_error("AccessDeniedException", status=403)), False),
        (AnsibleBedrockError(message="x", exception=client_error("ServiceUnavailableException", status=503)), True),
        (AnsibleBedrockError(message="x", exception=botocore.exceptions.NoCredentialsError()), False),
        # An endpoint no connection can be made to ends the source; a connection lost mid-request does not.
        (
            AnsibleBedrockError(message="x", exception=botocore.exceptions.EndpointConnectionError(endpoint_url="u")),
            False,
        ),
        (EndpointUnreachable(message="Failed to list model copy jobs (page 1): cannot connect to the endpoint"), False),
        (AnsibleBedrockError(message="x", exception=botocore.exceptions.ConnectTimeoutError(endpoint_url="u")), False),
        (AnsibleBedrockError(message="x", exception=botocore.exceptions.ConnectionClosedError(endpoint_url="u")), True),
        (AnsibleBedrockError(message="x", exception=botocore.exceptions.ReadTimeoutError(endpoint_url="u")), True),
        (
            AnsibleBedrockError(
                message="x", exception=botocore.exceptions.PartialCredentialsError(provider="p", cred_var="c")
            ),
            False,
        ),
        (RetriesExhausted(message="x", exception=client_error("ThrottlingException", status=429)), True),
    ],
)
def test_is_transient(error: BaseException, transient: bool) -> None:
    assert is_transient(error) is transient


def test_describe_is_one_line_naming_region_code_and_message() -> None:
    error = AnsibleBedrockError(
        message="Failed to list model copy jobs", exception=client_error("AccessDeniedException", status=403)
    )
    assert describe(error, "eu-west-1") == (
        "model_copy_jobs: eu-west-1: Failed to list model copy jobs: An error occurred (AccessDeniedException) when"
        " calling the ListModelCopyJobs operation: AccessDeniedException happened"
    )
    no_creds = AnsibleBedrockError(message="Failed", exception=botocore.exceptions.NoCredentialsError())
    line = describe(no_creds, "us-east-1")
    assert "aws_access_key_id" in line and "\n" not in line


def test_backoff_doubles_up_to_the_cap_and_resets() -> None:
    backoff = Backoff(2, 30)
    assert [backoff.next() for _step in range(6)] == [2, 4, 8, 16, 30, 30]
    backoff.reset()
    assert backoff.next() == 2


def test_an_unreachable_endpoint_ends_the_source_after_one_request(no_sleep: list[float]) -> None:
    client = NewestFirst([summary(1)])
    client.faults = [botocore.exceptions.EndpointConnectionError(endpoint_url="http://127.0.0.1:9/model-copy-jobs")]
    with pytest.raises(EndpointUnreachable) as raised:
        watch(client).poll()
    assert not is_transient(raised.value) and len(client.list_calls) == 1 and no_sleep == []
    line = describe(raised.value, "us-west-2")
    assert "http://127.0.0.1:9/model-copy-jobs" in line and "\n" not in line


def test_a_connection_dropped_mid_response_is_retried_from_its_page(no_sleep: list[float]) -> None:
    client = NewestFirst([summary(1, "InProgress")])
    w = watch(client)
    w.poll()
    client.set_status(1, "Completed")
    client.faults = [botocore.exceptions.ConnectionClosedError(endpoint_url="http://127.0.0.1:9/model-copy-jobs")]
    assert arns(w.poll()) == [(job_arn(1), "Completed", "InProgress")]
    assert len(client.list_calls) == 3 and len(no_sleep) == 1
