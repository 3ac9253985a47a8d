from __future__ import annotations

import datetime

import pytest

from ansible_collections.amazon.bedrock.plugins.module_utils._facts import (
    COPY_STATUSES,
    JOB_FACT_KEYS,
    copy_label,
    copy_state,
    iso_utc,
    settled,
    status_counts,
    to_job_facts,
    wait_problem,
)
from ansible_collections.amazon.bedrock.tests.unit.fakes import job_arn, summary


def test_job_facts_are_snake_case_with_tags_as_a_dict():
    facts = to_job_facts(
        summary(
            7, status="Failed", failureMessage="KMS key denied", targetModelTags=[{"key": "CostCenter", "value": "42"}]
        )
    )
    assert set(facts) == set(JOB_FACT_KEYS)
    assert facts["job_arn"] == job_arn(7)
    assert facts["status"] == "Failed"
    assert facts["failure_message"] == "KMS key denied"
    assert facts["target_model_tags"] == {"CostCenter": "42"}
    assert facts["creation_time"] == "2026-01-01T00:07:00+00:00"
    assert facts["target_model_kms_key_arn"] is None


def test_missing_fields_are_none_and_tags_empty():
    facts = to_job_facts({"jobArn": job_arn(1), "status": "InProgress"})
    assert facts["creation_time"] is None
    assert facts["target_model_tags"] == {}
    assert facts["failure_message"] is None


def test_times_are_converted_to_utc():
    cet = datetime.timezone(datetime.timedelta(hours=1))
    assert iso_utc(datetime.datetime(2026, 3, 1, 13, 0, tzinfo=cet)) == "2026-03-01T12:00:00+00:00"
    assert iso_utc(datetime.datetime(2026, 3, 1, 13, 0)) == "2026-03-01T13:00:00+00:00"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-01T12:00:00.123Z", "2026-03-01T12:00:00.123000+00:00"),
        ("2026-03-01T12:00:00Z", "2026-03-01T12:00:00+00:00"),
        ("2026-03-01T13:00:00+01:00", "2026-03-01T12:00:00+00:00"),
        ("2026-03-01T12:00:00", "2026-03-01T12:00:00+00:00"),
        ("2026-03-01T12:00:00.1234Z", "2026-03-01T12:00:00.123400+00:00"),
        ("Sun, 01 Mar 2026 12:00:00 GMT", "2026-03-01T12:00:00+00:00"),
    ],
)
def test_times_sent_as_text_are_converted_to_utc(text, expected):
    assert iso_utc(text) == expected


def test_facts_are_the_same_whether_botocore_parsed_the_time_or_not():
    parsed = summary(
        7, sourceModelName="base", creationTime=datetime.datetime(2026, 1, 1, 0, 7, 0, 123000, datetime.timezone.utc)
    )
    text = dict(parsed, creationTime="2026-01-01T00:07:00.123Z")
    assert to_job_facts(text) == to_job_facts(parsed)
    assert to_job_facts(text)["creation_time"] == "2026-01-01T00:07:00.123000+00:00"


def test_status_counts_list_every_status():
    jobs = [to_job_facts(summary(n, status=s)) for n, s in enumerate(["Completed", "Completed", "InProgress"])]
    assert status_counts(jobs) == {"InProgress": 1, "Completed": 2, "Failed": 0}
    assert status_counts([]) == {"InProgress": 0, "Completed": 0, "Failed": 0}


def _jobs(*statuses):
    return [
        to_job_facts(summary(n, status=s, failureMessage="KMS key denied" if s == "Failed" else None))
        for n, s in enumerate(statuses, start=1)
    ]


@pytest.mark.parametrize(
    ("statuses", "missing", "expected"),
    [
        ((), [], False),
        (("Completed",), [], True),
        (("Completed", "Failed"), [], True),
        (("Completed", "InProgress"), [], False),
        (("Completed",), ["arn"], False),
    ],
)
def test_settled(statuses, missing, expected):
    assert settled(_jobs(*statuses), missing) is expected


def test_wait_problem_names_each_failed_job_with_its_message():
    message = wait_problem(_jobs("Completed", "Failed", "Failed"), [], timed_out=False, elapsed=5)
    assert message.startswith("2 model copy job(s) failed: ")
    assert f"{job_arn(2)} (target model copy-2): KMS key denied" in message
    assert f"{job_arn(3)} (target model copy-3): KMS key denied" in message
    assert "\n" not in message


def test_wait_problem_on_timeout_names_what_is_still_running_and_how_long():
    message = wait_problem(_jobs("Completed", "InProgress"), [job_arn(9)], timed_out=True, elapsed=1800.2)
    assert message.startswith("Timed out after 1800s waiting for 2 model copy job(s): ")
    assert f"{job_arn(2)} (target model copy-2, still InProgress)" in message
    assert f"{job_arn(9)} (not found yet)" in message
    assert job_arn(1) not in message


def test_wait_problem_on_timeout_with_nothing_matched():
    assert (
        wait_problem([], [], timed_out=True, elapsed=60)
        == "Timed out after 60s: no model copy job matched the selection"
    )


def test_no_problem_when_all_completed():
    assert wait_problem(_jobs("Completed"), [], timed_out=False, elapsed=1) is None


def test_epoch_seconds_still_convert():
    assert iso_utc(1767225600) == "2026-01-01T00:00:00+00:00"


COPY = {"region": "eu-west-1", "source_model_arn": "arn:src", "target_model_name": "bot"}


@pytest.mark.parametrize("status", ["Completed", "InProgress", "Failed"])
def test_a_copy_has_its_newest_jobs_status_and_a_model_arn_only_when_completed(status):
    job = to_job_facts(summary(7, status=status, failureMessage="boom" if status == "Failed" else None))
    state = copy_state(COPY, job)
    assert state == dict(
        COPY,
        status=status,
        job_arn=job_arn(7),
        target_model_arn=job["target_model_arn"] if status == "Completed" else None,
        failure_message="boom" if status == "Failed" else None,
    )
    assert job["target_model_arn"]  # the job had one; the copy hides it unless Completed


def test_a_copy_without_a_job_is_missing():
    assert copy_state(COPY, None) == dict(
        COPY, status="Missing", job_arn=None, target_model_arn=None, failure_message=None
    )


def test_copy_status_counts_include_missing():
    states = [copy_state(COPY, None), copy_state(COPY, to_job_facts(summary(1)))]
    assert status_counts(states, COPY_STATUSES) == {
        "InProgress": 0,
        "Completed": 1,
        "Failed": 0,
        "ModelCreating": 0,
        "ModelFailed": 0,
        "Deleted": 0,
        "Missing": 1,
    }


def test_a_missing_copy_is_named_on_timeout():
    message = wait_problem(_jobs("Completed"), [copy_label(COPY)], timed_out=True, elapsed=30)
    assert message == (
        "Timed out after 30s waiting for 1 model copy job(s): copy of arn:src to 'bot' in eu-west-1 (not found yet)"
    )
