from __future__ import annotations

import datetime

from ansible_collections.amazon.bedrock.plugins.module_utils._facts import (
    JOB_FACT_KEYS,
    iso_utc,
    status_counts,
    to_job_facts,
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


def test_status_counts_list_every_status():
    jobs = [to_job_facts(summary(n, status=s)) for n, s in enumerate(["Completed", "Completed", "InProgress"])]
    assert status_counts(jobs) == {"InProgress": 1, "Completed": 2, "Failed": 0}
    assert status_counts([]) == {"InProgress": 0, "Completed": 0, "Failed": 0}
