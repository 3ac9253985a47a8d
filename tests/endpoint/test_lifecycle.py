"""Job lifecycle: by time, by observations, fail rules, and the custom model a completed copy registers."""

from __future__ import annotations

import time
from typing import Any

from conftest import SESSION_COPY_DURATION


def test_lifecycle_defaults_come_from_the_cli_and_reset_restores_them(endpoint: Any) -> None:
    assert endpoint.control("GET", "lifecycle") == {
        "duration_seconds": SESSION_COPY_DURATION,
        "polls": None,
        "fail": [],
        "model_read_lag_seconds": 0.0,
        "model_creating_seconds": 0.0,
        "model_fail": [],
    }
    endpoint.control("POST", "lifecycle", {"duration_seconds": 1, "polls": 3})
    assert endpoint.control("GET", "lifecycle")["polls"] == 3
    endpoint.control("POST", "reset")
    assert endpoint.control("GET", "lifecycle")["duration_seconds"] == SESSION_COPY_DURATION


def test_jobs_complete_after_the_configured_time(endpoint: Any) -> None:
    source = endpoint.source_model()
    endpoint.control("POST", "lifecycle", {"duration_seconds": 0.4})
    client = endpoint.client("us-west-2")
    arn = client.create_model_copy_job(sourceModelArn=source, targetModelName="timed")["jobArn"]
    assert client.get_model_copy_job(jobArn=arn)["status"] == "InProgress"
    time.sleep(0.5)
    job = client.get_model_copy_job(jobArn=arn)
    assert job["status"] == "Completed"
    assert "failureMessage" not in job


def test_jobs_complete_after_n_observations_by_get_or_list(endpoint: Any) -> None:
    source = endpoint.source_model()
    endpoint.control("POST", "lifecycle", {"duration_seconds": None, "polls": 2})
    client = endpoint.client()
    arn = client.create_model_copy_job(sourceModelArn=source, targetModelName="polled")["jobArn"]
    assert client.get_model_copy_job(jobArn=arn)["status"] == "InProgress"  # observation 1
    [summary] = client.list_model_copy_jobs()["modelCopyJobSummaries"]  # observation 2
    assert summary["status"] == "InProgress"
    assert client.get_model_copy_job(jobArn=arn)["status"] == "Completed"
    # A listing that filters a job out does not observe it.
    other = client.create_model_copy_job(sourceModelArn=source, targetModelName="unseen")["jobArn"]
    for _dummy in range(3):
        client.list_model_copy_jobs(targetModelNameContains="polled")
    assert client.get_model_copy_job(jobArn=other)["status"] == "InProgress"


def test_fail_rules_end_matching_jobs_failed(endpoint: Any) -> None:
    source = endpoint.source_model()
    rules = [
        {"target_model_name_contains": "bad", "message": "Copy failed: KMS key not usable"},
        {"region": "eu-west-1"},
    ]
    endpoint.control("POST", "lifecycle", {"duration_seconds": 0, "fail": rules})
    east, eu = endpoint.client("us-east-1"), endpoint.client("eu-west-1")
    bad = east.create_model_copy_job(sourceModelArn=source, targetModelName="bad-one")["jobArn"]
    good = east.create_model_copy_job(sourceModelArn=source, targetModelName="good-one")["jobArn"]
    in_eu = eu.create_model_copy_job(sourceModelArn=source, targetModelName="good-one")["jobArn"]
    failed = east.get_model_copy_job(jobArn=bad)
    assert (failed["status"], failed["failureMessage"]) == ("Failed", "Copy failed: KMS key not usable")
    assert east.get_model_copy_job(jobArn=good)["status"] == "Completed"
    eu_job = eu.get_model_copy_job(jobArn=in_eu)
    assert eu_job["status"] == "Failed"
    assert eu_job["failureMessage"]
    assert [j["jobArn"] for j in east.list_model_copy_jobs(statusEquals="Failed")["modelCopyJobSummaries"]] == [bad]


def test_lifecycle_changes_apply_to_jobs_still_in_progress(endpoint: Any) -> None:
    source = endpoint.source_model()
    client = endpoint.client()
    arn = client.create_model_copy_job(sourceModelArn=source, targetModelName="waiting")["jobArn"]
    assert client.get_model_copy_job(jobArn=arn)["status"] == "InProgress"
    endpoint.control("POST", "lifecycle", {"duration_seconds": 0, "fail": [{"source_model_arn": source}]})
    assert client.get_model_copy_job(jobArn=arn)["status"] == "Failed"


def test_completion_registers_the_target_custom_model(endpoint: Any) -> None:
    source = endpoint.source_model("us-east-1", "origin")
    endpoint.control("POST", "lifecycle", {"duration_seconds": 0})
    west = endpoint.client("us-west-2")
    arn = west.create_model_copy_job(
        sourceModelArn=source, targetModelName="copied", targetModelTags=[{"key": "k", "value": "v"}]
    )["jobArn"]
    job = west.get_model_copy_job(jobArn=arn)
    assert job["status"] == "Completed"
    # moto's own custom-model API sees it ...
    model = west.get_custom_model(modelIdentifier=job["targetModelArn"])
    assert (model["modelArn"], model["modelName"]) == (job["targetModelArn"], "copied")
    assert "copied" in [m["modelName"] for m in west.list_custom_models()["modelSummaries"]]
    # ... the name is taken in us-west-2 ...
    err_code = None
    try:
        west.create_model_copy_job(sourceModelArn=source, targetModelName="copied")
    except west.exceptions.ValidationException as exc:
        err_code = exc.response["Error"]["Code"]
    assert err_code == "ValidationException"
    # ... and it can be the source of a further copy.
    onward = endpoint.client("eu-west-1").create_model_copy_job(
        sourceModelArn=job["targetModelArn"], targetModelName="copied-again"
    )["jobArn"]
    chained = endpoint.client("eu-west-1").get_model_copy_job(jobArn=onward)
    assert chained["sourceModelName"] == "copied"
    assert chained["status"] == "Completed"


def test_seeded_jobs_keep_a_given_status_and_follow_the_lifecycle_otherwise(endpoint: Any) -> None:
    source = endpoint.source_model()
    endpoint.control("POST", "lifecycle", {"duration_seconds": None, "polls": 0})
    jobs = [
        {"source_model_arn": source, "target_model_name": "pinned", "status": "InProgress"},
        {"source_model_arn": source, "target_model_name": "follows"},
        {"source_model_arn": source, "target_model_name": "done", "status": "Completed"},
        {"source_model_arn": source, "target_model_name": "broken", "status": "Failed", "failure_message": "boom"},
    ]
    arns = endpoint.control("POST", "seed", {"region": "us-east-1", "jobs": jobs})["job_arns"]
    client = endpoint.client()
    got = [client.get_model_copy_job(jobArn=arn) for arn in arns]
    assert [j["status"] for j in got] == ["InProgress", "Completed", "Completed", "Failed"]
    assert got[3]["failureMessage"] == "boom"
    names = {m["modelName"] for m in client.list_custom_models()["modelSummaries"]}
    assert {"follows", "done"} <= names
    assert "pinned" not in names
