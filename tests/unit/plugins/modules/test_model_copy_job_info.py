from __future__ import annotations

import pytest

from ansible_collections.amazon.bedrock.plugins.modules.model_copy_job_info import main
from ansible_collections.amazon.bedrock.tests.unit.fakes import FakeBedrock, client_error, job_arn, summary


def test_lists_every_job_as_facts(run_module, no_sleep):
    fake = FakeBedrock([summary(n, status="Completed" if n % 3 else "InProgress") for n in range(1, 1201)])
    result = run_module(main, {}, fake)
    assert result["changed"] is False
    assert len(result["model_copy_jobs"]) == 1200
    assert result["model_copy_jobs"][0]["job_arn"] == job_arn(1)
    assert result["model_copy_jobs"][0]["target_model_tags"] == {"Team": "search"}
    assert result["status_counts"] == {"InProgress": 400, "Completed": 800, "Failed": 0}
    assert "next_token" not in result


def test_filters_are_sent_under_their_api_names(run_module, no_sleep):
    fake = FakeBedrock([])
    run_module(
        main,
        {
            "status": "Failed",
            "creation_time_after": "2026-01-01",
            "source_account_id": "123456789012",
            "target_model_name_contains": "bot",
            "sort_by": "CreationTime",
            "sort_order": "Ascending",
        },
        fake,
    )
    sent = fake.list_calls[0]
    assert sent["statusEquals"] == "Failed"
    assert sent["creationTimeAfter"].isoformat() == "2026-01-01T00:00:00+00:00"
    assert sent["sourceAccountEquals"] == "123456789012"
    assert sent["targetModelNameContains"] == "bot"
    assert sent["sortBy"] == "CreationTime"
    assert sent["sortOrder"] == "Ascending"
    assert sent["maxResults"] == 1000


def test_max_results_caps_and_returns_next_token(run_module, no_sleep):
    fake = FakeBedrock([summary(n) for n in range(30)])
    first = run_module(main, {"max_results": 20}, fake)
    assert len(first["model_copy_jobs"]) == 20
    assert first["next_token"] == "tok-20"
    rest = run_module(main, {"max_results": 20, "next_token": first["next_token"]}, fake)
    assert [j["job_arn"] for j in rest["model_copy_jobs"]] == [job_arn(n) for n in range(20, 30)]
    assert "next_token" not in rest


def test_job_arns_get_each_job_and_report_the_missing_one(run_module, no_sleep):
    fake = FakeBedrock([summary(1), summary(2, status="Failed", failureMessage="boom")])
    result = run_module(main, {"job_arns": [job_arn(2), job_arn(9), job_arn(2)]}, fake)
    assert [j["job_arn"] for j in result["model_copy_jobs"]] == [job_arn(2)]
    assert result["missing_job_arns"] == [job_arn(9)]
    assert result["status_counts"]["Failed"] == 1
    assert fake.get_calls == [job_arn(2), job_arn(9)]
    assert fake.list_calls == []


def test_check_mode_still_reads(run_module, no_sleep):
    fake = FakeBedrock([summary(1)])
    result = run_module(main, {"_ansible_check_mode": True}, fake)
    assert result["changed"] is False
    assert len(result["model_copy_jobs"]) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"status": "Done"}, "value of status must be one of: InProgress, Completed, Failed, got: Done"),
        ({"sort_order": "up"}, "value of sort_order must be one of"),
        ({"max_results": "many"}, "max_results"),
        ({"max_results": 0}, "max_results: must be greater than 0, got 0"),
        ({"source_account_id": "42"}, "source_account_id: expected a 12-digit AWS account id, got '42'"),
        ({"creation_time_before": "soon"}, "creation_time_before: expected an ISO-8601"),
        ({"job_arns": [job_arn(1)], "status": "Completed"}, "parameters are mutually exclusive: job_arns|status"),
        ({"job_arns": ["not-an-arn"]}, "job_arns[0]: expected a model copy job ARN"),
        ({"unknown_option": 1}, "Unsupported parameters"),
    ],
)
def test_bad_input_fails_before_any_client_is_made(run_module, args, message):
    result = run_module(main, args, None)
    assert result["failed"] is True
    assert message in result["msg"]
    assert "exception" not in result
    assert result["_clients_created"] == []


def test_throttled_until_exhausted_says_so(run_module, no_sleep):
    fake = FakeBedrock([summary(1)], faults=[client_error("ThrottlingException", status=429)] * 20)
    result = run_module(main, {}, fake)
    assert result["failed"] is True
    assert "throttled (ThrottlingException) on all 9 attempts" in result["msg"]
    assert len(fake.list_calls) == 9


def test_access_denied_is_a_clear_failure(run_module, no_sleep):
    fake = FakeBedrock([summary(1)], faults=[client_error("AccessDeniedException", status=403)])
    result = run_module(main, {}, fake)
    assert result["failed"] is True
    assert result["msg"].startswith("Failed to list model copy jobs: ")
    assert "AccessDeniedException" in result["msg"]
    assert result["error"]["code"] == "AccessDeniedException"
    assert len(fake.list_calls) == 1
