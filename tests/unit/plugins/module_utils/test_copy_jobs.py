from __future__ import annotations

import io
import json

import boto3
import botocore.awsrequest
import botocore.exceptions
import pytest

from ansible_collections.amazon.bedrock.plugins.module_utils._bedrock import (
    AnsibleBedrockError,
    RetriesExhausted,
    RetryPolicy,
    keep_timestamps_as_text,
)
from ansible_collections.amazon.bedrock.plugins.module_utils._copy_jobs import (
    CopyJobListing,
    build_list_filters,
    create_model_copy_job,
    get_model_copy_job,
    newest_copy_jobs,
    shared_name_part,
)
from ansible_collections.amazon.bedrock.tests.unit.fakes import FakeBedrock, client_error, job_arn, summary

FAST = RetryPolicy(attempts=4, delay=0.01, max_delay=0.01)


def tokens_requested(fake: FakeBedrock) -> list[str | None]:
    return [call.get("nextToken") for call in fake.list_calls]


def test_every_job_once_across_pages(no_sleep):
    fake = FakeBedrock([summary(n) for n in range(2500)])
    listing = CopyJobListing(fake, {}, retry=FAST)
    arns = [job["jobArn"] for job in listing]
    assert arns == [job_arn(n) for n in range(2500)]
    assert [call["maxResults"] for call in fake.list_calls] == [1000, 1000, 1000]
    assert listing.pages == 3
    assert listing.next_token is None


def test_missing_credentials_say_where_to_give_them(no_sleep):
    fake = FakeBedrock([summary(1)], faults=[botocore.exceptions.NoCredentialsError()])
    with pytest.raises(AnsibleBedrockError) as info:
        list(CopyJobListing(fake, {}, retry=FAST))
    assert info.value.message.startswith("Failed to list model copy jobs (page 1): no AWS credentials found; give")
    assert "access_key and secret_key" in info.value.message
    assert len(fake.list_calls) == 1  # not retried
    assert no_sleep == []


def test_a_throttled_page_is_retried_from_its_own_token(no_sleep):
    throttle = client_error("ThrottlingException", status=429)
    # page 1 fine, page 2 throttled three times, then fine; page 3 fine
    fake = FakeBedrock([summary(n) for n in range(2500)], faults=[None, throttle, throttle, throttle])
    arns = [job["jobArn"] for job in CopyJobListing(fake, {}, retry=FAST)]
    assert len(arns) == len(set(arns)) == 2500
    assert tokens_requested(fake) == [None, "tok-1000", "tok-1000", "tok-1000", "tok-1000", "tok-2000"]
    assert len(no_sleep) == 3


@pytest.mark.parametrize(
    "fault",
    [
        client_error("InternalServerException", status=500),
        client_error("ServiceUnavailableException", status=503),
        botocore.exceptions.ConnectionClosedError(endpoint_url="http://127.0.0.1:1"),
        botocore.exceptions.ReadTimeoutError(endpoint_url="http://127.0.0.1:1"),
    ],
    ids=["500", "503", "closed", "read-timeout"],
)
def test_server_and_connection_errors_are_retried(no_sleep, fault):
    fake = FakeBedrock([summary(n) for n in range(3)], faults=[fault])
    assert len(list(CopyJobListing(fake, {}, retry=FAST))) == 3
    assert len(fake.list_calls) == 2


def test_exhausted_retries_say_throttled_and_how_many_attempts(no_sleep):
    throttle = client_error("ThrottlingException", status=429)
    fake = FakeBedrock([summary(n) for n in range(1500)], faults=[None] + [throttle] * 10)
    with pytest.raises(RetriesExhausted) as info:
        list(CopyJobListing(fake, {}, retry=FAST))
    assert "list model copy jobs (page 2)" in info.value.message
    assert "throttled (ThrottlingException) on all 4 attempts" in info.value.message
    assert tokens_requested(fake) == [None] + ["tok-1000"] * 4
    assert len(no_sleep) == 3


def test_backoff_grows_and_is_capped(no_sleep):
    throttle = client_error("ThrottlingException", status=429)
    fake = FakeBedrock([summary(1)], faults=[throttle] * 5)
    ceiling = RetryPolicy(attempts=6, delay=1.0, max_delay=5.0, jitter=lambda: 1.0)  # take the jitter ceiling
    list(CopyJobListing(fake, {}, retry=ceiling))
    assert no_sleep == [1.0, 2.0, 4.0, 5.0, 5.0]


@pytest.mark.parametrize("code", ["AccessDeniedException", "ValidationException", "ResourceNotFoundException"])
def test_other_errors_fail_at_once_with_a_clear_message(no_sleep, code):
    fake = FakeBedrock([summary(1)], faults=[client_error(code)])
    with pytest.raises(AnsibleBedrockError) as info:
        list(CopyJobListing(fake, {}, retry=FAST))
    assert not isinstance(info.value, RetriesExhausted)
    assert info.value.message == "Failed to list model copy jobs"
    assert info.value.exception.response["Error"]["Code"] == code
    assert len(fake.list_calls) == 1
    assert no_sleep == []


def test_limit_sets_page_size_and_returns_a_resume_token(no_sleep):
    fake = FakeBedrock([summary(n) for n in range(3000)])
    first = CopyJobListing(fake, {}, limit=1500, retry=FAST)
    got = [job["jobArn"] for job in first]
    assert [call["maxResults"] for call in fake.list_calls] == [1000, 500]
    assert got == [job_arn(n) for n in range(1500)]
    assert first.next_token == "tok-1500"

    rest = CopyJobListing(fake, {}, next_token=first.next_token, retry=FAST)
    assert [job["jobArn"] for job in rest] == [job_arn(n) for n in range(1500, 3000)]
    assert rest.next_token is None


def test_limit_that_consumes_everything_returns_no_token(no_sleep):
    fake = FakeBedrock([summary(n) for n in range(10)])
    listing = CopyJobListing(fake, {}, limit=10, retry=FAST)
    assert len(list(listing)) == 10
    assert listing.next_token is None


def test_a_job_served_twice_is_returned_once(no_sleep):
    fake = FakeBedrock([summary(1), summary(2), summary(2), summary(3)])
    assert [job["jobArn"] for job in CopyJobListing(fake, {}, retry=FAST)] == [job_arn(1), job_arn(2), job_arn(3)]


def test_filters_reach_the_api_under_their_api_names():
    options = {
        "status": "Completed",
        "source_account_id": "123456789012",
        "target_model_name_contains": "bot",
        "sort_order": "Ascending",
        "sort_by": None,
        "max_results": 5,
    }
    assert build_list_filters(options) == {
        "statusEquals": "Completed",
        "sourceAccountEquals": "123456789012",
        "targetModelNameContains": "bot",
        "sortOrder": "Ascending",
    }


def test_get_returns_none_for_an_unknown_job(no_sleep):
    fake = FakeBedrock([summary(1)])
    assert get_model_copy_job(fake, job_arn(1), retry=FAST)["status"] == "Completed"
    assert "ResponseMetadata" not in get_model_copy_job(fake, job_arn(1), retry=FAST)
    assert get_model_copy_job(fake, job_arn(99), retry=FAST) is None


def test_get_is_retried_when_throttled(no_sleep):
    fake = FakeBedrock([summary(1)], faults=[client_error("ThrottlingException", "GetModelCopyJob", 429)])
    assert get_model_copy_job(fake, job_arn(1), retry=FAST)["jobArn"] == job_arn(1)
    assert fake.get_calls == [job_arn(1), job_arn(1)]


def test_create_returns_the_arn_and_wraps_errors(no_sleep):
    fake = FakeBedrock([])
    params = {"sourceModelArn": "x", "targetModelName": "y", "clientRequestToken": "t"}
    assert create_model_copy_job(fake, params, retry=FAST) == job_arn(1)
    failing = FakeBedrock([], faults=[client_error("TooManyTagsException", "CreateModelCopyJob")])
    with pytest.raises(AnsibleBedrockError, match="Failed to create model copy job"):
        create_model_copy_job(failing, params, retry=FAST)


class _Body(io.BytesIO):
    def stream(self, **kwargs):
        yield self.getvalue()


def _answering_client(body: dict):
    """A real botocore client whose every request gets ``body`` back, without a network."""
    client = boto3.session.Session().client(
        "bedrock", region_name="us-west-2", aws_access_key_id="a", aws_secret_access_key="b"
    )
    raw = json.dumps(body).encode()
    headers = {"Content-Type": "application/json"}
    client.meta.events.register(
        "before-send", lambda request, **_: botocore.awsrequest.AWSResponse(request.url, 200, headers, _Body(raw))
    )
    return client


def test_timestamps_can_stay_text_on_a_real_client():
    page = {
        "modelCopyJobSummaries": [
            {"jobArn": job_arn(1), "status": "Completed", "creationTime": "2026-01-01T00:07:00.123Z"}
        ]
    }
    parsed = _answering_client(page).list_model_copy_jobs()
    assert not isinstance(parsed["modelCopyJobSummaries"][0]["creationTime"], str)
    client = _answering_client(page)
    assert keep_timestamps_as_text(client) is client
    assert client.list_model_copy_jobs()["modelCopyJobSummaries"][0]["creationTime"] == "2026-01-01T00:07:00.123Z"


def test_keeping_timestamps_as_text_leaves_a_test_double_alone():
    fake = FakeBedrock([summary(1)])
    assert keep_timestamps_as_text(fake) is fake


SOURCE = summary(0)["sourceModelArn"]
OTHER_SOURCE = SOURCE.replace("abcdefghij12", "zyxwvutsrq98")


def newest_first(*jobs: dict) -> list[dict]:
    return sorted(jobs, key=lambda job: job["creationTime"], reverse=True)


def test_newest_job_per_copy_from_one_request_with_shared_filters(no_sleep):
    fake = FakeBedrock(
        newest_first(
            summary(1, targetModelName="release-42-a", status="Failed"),
            summary(2, targetModelName="release-42-b"),
            summary(3, targetModelName="release-42-a", status="InProgress"),
        )
    )
    found = newest_copy_jobs(fake, [(SOURCE, "release-42-a"), (SOURCE, "release-42-b")], retry=FAST)
    # The newest job of release-42-a is 3, not the older failed 1.
    assert [job["jobArn"] for job in found] == [job_arn(3), job_arn(2)]
    assert fake.list_calls == [
        {
            "sortBy": "CreationTime",
            "sortOrder": "Descending",
            "sourceModelArnEquals": SOURCE,
            "targetModelNameContains": "release-42-",
            "maxResults": 1000,
        }
    ]


def test_reading_stops_at_the_page_where_the_last_copy_is_found(no_sleep):
    old = [summary(n, targetModelName=f"old-{n}") for n in range(10, 2510)]
    fake = FakeBedrock(newest_first(summary(2600, targetModelName="a"), *old, summary(5, targetModelName="b")))
    # a is on page 1, b on page 3 (the oldest job): three requests, then no more.
    found = newest_copy_jobs(fake, [(SOURCE, "a"), (SOURCE, "b")], retry=FAST)
    assert [job["jobArn"] for job in found] == [job_arn(2600), job_arn(5)]
    assert len(fake.list_calls) == 3
    fake.list_calls.clear()
    assert newest_copy_jobs(fake, [(SOURCE, "a")], retry=FAST)[0]["jobArn"] == job_arn(2600)
    assert len(fake.list_calls) == 1


def test_a_copy_without_a_job_is_none_after_reading_everything(no_sleep):
    fake = FakeBedrock(newest_first(*[summary(n, targetModelName="bot") for n in range(1500)]))
    assert newest_copy_jobs(fake, [(SOURCE, "bot"), (SOURCE, "never")], retry=FAST)[1] is None
    assert len(fake.list_calls) == 2


def test_a_job_belongs_to_a_copy_by_source_and_exact_name(no_sleep):
    fake = FakeBedrock(
        newest_first(
            summary(4, targetModelName="bot-v2", sourceModelArn=OTHER_SOURCE),
            summary(3, targetModelName="support-bot-v2"),
            summary(2, targetModelName="bot"),
        )
    )
    found = newest_copy_jobs(fake, [(SOURCE, "bot-v2"), (OTHER_SOURCE, "bot"), (SOURCE, "bot")], retry=FAST)
    # Names that contain another copy's name never decide it: only equal names and equal sources count.
    assert [job and job["jobArn"] for job in found] == [None, None, job_arn(2)]
    # Two sources: no source filter; "bot" is all the names share.
    assert "sourceModelArnEquals" not in fake.list_calls[0]
    assert fake.list_calls[0]["targetModelNameContains"] == "bot"


@pytest.mark.parametrize(
    "names, shared",
    [
        (["release-42-us"], "release-42-us"),
        (["release-42-us", "release-42-eu"], "release-42-"),
        (["eu-release", "us-release"], "release"),  # "-release" would start with a separator
        (["abc", "xyz"], None),
        (["a_1", "b_1"], "1"),
    ],
)
def test_theshared_name_part_is_a_valid_filter(names, shared):
    assert shared_name_part(names) == shared


def test_throttling_while_reading_copies_retries_the_page(no_sleep):
    fake = FakeBedrock([summary(1, targetModelName="x")], faults=[client_error("ThrottlingException")])
    assert newest_copy_jobs(fake, [(SOURCE, "x")], retry=FAST)[0]["jobArn"] == job_arn(1)
    assert len(fake.list_calls) == 2


def test_a_newer_completed_canary_never_decides_the_copy_it_extends(no_sleep):
    fake = FakeBedrock(
        newest_first(
            summary(1, targetModelName="prod-model", status="InProgress"),
            summary(2, targetModelName="prod-model-canary", status="Completed"),
        )
    )
    found = newest_copy_jobs(fake, [(SOURCE, "prod-model")], retry=FAST)
    assert found[0]["jobArn"] == job_arn(1)
    assert found[0]["status"] == "InProgress"
    assert len(fake.list_calls) == 1
    assert fake.list_calls[0]["targetModelNameContains"] == "prod-model"
