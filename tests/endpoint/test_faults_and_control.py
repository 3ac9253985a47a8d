"""Fault injection, request statistics and the rest of the control API."""

from __future__ import annotations

import time
from typing import Any

import pytest
from bedrock_endpoint.testing import ControlAPIError
from botocore.exceptions import ClientError, ConnectionClosedError


def _faults(endpoint: Any, *rules: dict[str, Any], seed: int | None = None) -> None:
    endpoint.control("PUT", "faults", {"seed": seed, "rules": list(rules)})


def _outcome(call: Any, **kwargs: Any) -> str:
    """'ok', the AWS error code, or 'dropped' for one client call."""
    try:
        call(**kwargs)
    except ClientError as exc:
        return exc.response["Error"]["Code"]
    except ConnectionClosedError:
        return "dropped"
    return "ok"


def test_throttle_is_a_real_rest_json_throttling_error(endpoint: Any) -> None:
    _faults(endpoint, {"operation": "ListModelCopyJobs", "kind": "throttle", "count": 1})
    client = endpoint.client()
    with pytest.raises(ClientError) as info:
        client.list_model_copy_jobs()
    assert info.value.response["Error"]["Code"] == "ThrottlingException"
    assert info.value.response["Error"]["Message"] == "Too many requests, please wait before trying again."
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 429
    assert _outcome(client.list_model_copy_jobs) == "ok"  # count 1: fired once
    status, headers, body = endpoint.raw("GET", "/model-copy-jobs")
    assert status == 200
    _faults(endpoint, {"operation": "*", "kind": "throttle"})
    status, headers, body = endpoint.raw("GET", "/model-copy-jobs")
    assert (status, headers["x-amzn-errortype"], body) == (
        429,
        "ThrottlingException",
        {"message": "Too many requests, please wait before trying again."},
    )


def test_error500_is_an_internal_server_exception(endpoint: Any) -> None:
    _faults(endpoint, {"operation": "GetModelCopyJob", "kind": "error500", "count": None})
    client = endpoint.client()
    arn = "arn:aws:bedrock:us-east-1:123456789012:model-copy-job/abcdef123456"
    with pytest.raises(ClientError) as info:
        client.get_model_copy_job(jobArn=arn)
    assert info.value.response["Error"]["Code"] == "InternalServerException"
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    assert _outcome(client.list_model_copy_jobs) == "ok"  # other operations are untouched
    assert _outcome(client.get_model_copy_job, jobArn=arn) == "InternalServerException"  # unlimited


def test_drop_cuts_the_response_after_the_request_took_effect(endpoint: Any) -> None:
    source = endpoint.source_model()
    _faults(endpoint, {"operation": "CreateModelCopyJob", "kind": "drop", "count": 1})
    client = endpoint.client()
    kwargs = {"sourceModelArn": source, "targetModelName": "dropped", "clientRequestToken": "retry-me"}
    assert _outcome(client.create_model_copy_job, **kwargs) == "dropped"
    # The job exists; retrying with the same token returns it instead of a name conflict.
    [job] = client.list_model_copy_jobs()["modelCopyJobSummaries"]
    assert client.create_model_copy_job(**kwargs)["jobArn"] == job["jobArn"]
    # botocore's own retries treat a drop as retryable.
    _faults(endpoint, {"operation": "ListModelCopyJobs", "kind": "drop", "count": 2})
    assert len(endpoint.client(retries=3).list_model_copy_jobs()["modelCopyJobSummaries"]) == 1
    assert endpoint.control("GET", "stats")["faults"]["drop"] == 3


def test_latency_delays_then_serves_normally(endpoint: Any) -> None:
    _faults(endpoint, {"operation": "ListModelCopyJobs", "kind": "latency", "latency_ms": 300, "count": 1})
    client = endpoint.client()
    started = time.monotonic()
    assert _outcome(client.list_model_copy_jobs) == "ok"
    assert time.monotonic() - started >= 0.3
    started = time.monotonic()
    client.list_model_copy_jobs()
    assert time.monotonic() - started < 0.3
    stats = endpoint.control("GET", "stats")
    assert stats["faults"]["latency"] == 1
    assert stats["server_seconds"] >= 0.3
    assert stats["log"][0]["fault"] == "latency"
    assert stats["log"][0]["latency_ms"] == 300


def test_latency_combines_with_a_later_fault(endpoint: Any) -> None:
    _faults(
        endpoint,
        {"operation": "*", "kind": "latency", "latency_ms": 200, "count": 1},
        {"operation": "*", "kind": "error500", "count": 1},
    )
    started = time.monotonic()
    assert _outcome(endpoint.client().list_model_copy_jobs) == "InternalServerException"
    assert time.monotonic() - started >= 0.2
    assert endpoint.control("GET", "stats")["faults"] == {
        "throttle": 0,
        "error500": 1,
        "drop": 0,
        "latency": 1,
        "error": 0,
    }


def test_error_returns_the_given_aws_error_code(endpoint: Any) -> None:
    denied = "User: arn:aws:iam::123456789012:user/ci is not authorized to perform: bedrock:ListModelCopyJobs"
    _faults(
        endpoint,
        {
            "operation": "ListModelCopyJobs",
            "kind": "error",
            "error_code": "AccessDeniedException",
            "status": 403,
            "message": denied,
            "region": "eu-west-1",
        },
        {"operation": "CreateModelCopyJob", "kind": "error", "error_code": "ServiceQuotaExceededException", "count": 1},
    )
    with pytest.raises(ClientError) as info:
        endpoint.client("eu-west-1").list_model_copy_jobs()
    assert info.value.response["Error"] == {"Code": "AccessDeniedException", "Message": denied}
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert _outcome(endpoint.client("us-east-1").list_model_copy_jobs) == "ok"  # another region
    kwargs = {"sourceModelArn": endpoint.source_model(), "targetModelName": "quota"}
    assert _outcome(endpoint.client().create_model_copy_job, **kwargs) == "ServiceQuotaExceededException"
    assert endpoint.client().list_model_copy_jobs()["modelCopyJobSummaries"] == []  # not processed
    stats = endpoint.control("GET", "stats")
    assert stats["faults"]["error"] == 2
    assert [e.get("fault") for e in stats["log"]] == ["error", None, "error", None]
    assert stats["log"][2]["status"] == 400  # the default status


def test_skip_count_and_rule_order(endpoint: Any) -> None:
    throttle = {"operation": "ListModelCopyJobs", "kind": "throttle", "skip": 1, "count": 2}
    _faults(endpoint, throttle, {"operation": "*", "kind": "error500", "count": 1})
    client = endpoint.client()
    outcomes = [_outcome(client.list_model_copy_jobs) for _dummy in range(5)]
    # Request 1 skips the throttle rule and falls to the error500 rule; 2-3 throttle; then both are spent.
    assert outcomes == ["InternalServerException", "ThrottlingException", "ThrottlingException", "ok", "ok"]
    rules = endpoint.control("GET", "faults")["rules"]
    assert [(r["seen"], r["fired"]) for r in rules] == [(5, 2), (3, 1)]


def test_rules_can_target_a_region_and_a_list_page(endpoint: Any) -> None:
    source = endpoint.source_model()
    endpoint.control("POST", "seed", {"region": "us-east-1", "generate": {"count": 5, "source_model_arn": source}})
    _faults(
        endpoint,
        {"operation": "ListModelCopyJobs", "kind": "throttle", "page": 2, "count": 1},
        {"operation": "*", "kind": "error500", "region": "ap-south-1"},
    )
    client = endpoint.client()
    first = client.list_model_copy_jobs(maxResults=2)
    assert _outcome(client.list_model_copy_jobs, maxResults=2, nextToken=first["nextToken"]) == "ThrottlingException"
    second = client.list_model_copy_jobs(maxResults=2, nextToken=first["nextToken"])  # the retry of page 2
    client.list_model_copy_jobs(maxResults=2, nextToken=second["nextToken"])
    assert _outcome(endpoint.client("ap-south-1").list_model_copy_jobs) == "InternalServerException"
    stats = endpoint.control("GET", "stats")
    assert stats["list_pages"] == {"1": 2, "2": 2, "3": 1}
    assert [(e["page"], e["status"]) for e in stats["log"]] == [(1, 200), (2, 429), (2, 200), (3, 200), (1, 500)]
    assert stats["log"][-1]["region"] == "ap-south-1"


def test_probability_is_reproducible_with_a_seed(endpoint: Any) -> None:
    def run() -> list[str]:
        _faults(endpoint, {"operation": "*", "kind": "throttle", "probability": 0.5}, seed=7)
        status = [endpoint.raw("GET", "/model-copy-jobs")[0] for _dummy in range(30)]
        return ["T" if s == 429 else "." for s in status]

    first = run()
    assert run() == first
    assert 3 < first.count("T") < 27


def test_max_in_a_row_caps_runs_of_faults_per_operation_and_region(endpoint: Any) -> None:
    rules = [
        {"operation": "ListModelCopyJobs", "kind": "throttle", "probability": 1.0, "count": 7},
        {"operation": "ListModelCopyJobs", "kind": "error500"},
    ]
    endpoint.control("PUT", "faults", {"max_in_a_row": 2, "rules": rules})

    def statuses(region: str, n: int) -> str:
        return "".join(
            {200: ".", 429: "T", 500: "E"}[endpoint.raw("GET", "/model-copy-jobs", region=region)[0]]
            for _dummy in range(n)
        )

    # Throttles and 500s count in one run: two faults, then one request served, whatever rule would fire.
    assert statuses("us-east-1", 6) == "TT.TT."
    # Another region has its own run; the throttle rule fires its last time there, then the 500 rule takes over.
    assert statuses("us-west-2", 6) == "TT.TE."
    assert endpoint.control("GET", "faults")["max_in_a_row"] == 2
    endpoint.control("PUT", "faults", {"rules": rules[1:]})  # the limit is part of the configuration it replaces
    assert statuses("us-east-1", 3) == "EEE"


def test_stats_count_every_non_control_request(endpoint: Any) -> None:
    source = endpoint.source_model()
    client = endpoint.client()
    arn = client.create_model_copy_job(sourceModelArn=source, targetModelName="counted")["jobArn"]
    client.get_model_copy_job(jobArn=arn)
    client.list_model_copy_jobs(statusEquals="InProgress")
    endpoint.raw("GET", "/model-copy-jobs", {"maxResults": "0"})  # invalid, still counted
    client.list_model_customization_jobs()  # a Bedrock operation the counters do not name
    endpoint.control("GET", "faults")  # control requests are not counted
    stats = endpoint.control("GET", "stats")
    assert stats["total"] == 5
    assert {k: v for k, v in stats["requests"].items() if v} == {
        "ListModelCopyJobs": 2,
        "GetModelCopyJob": 1,
        "CreateModelCopyJob": 1,
        "Other": 1,
    }
    assert sum(stats["requests"].values()) == 5  # every other operation counted zero
    assert stats["list_pages"] == {"1": 2}
    assert [e["status"] for e in stats["log"]] == [201, 200, 200, 400, 200]
    assert stats["log"][2]["query"] == {"statusEquals": "InProgress"}
    assert stats["server_seconds"] > 0
    zeroed = endpoint.control("POST", "stats/reset")
    assert (zeroed["total"], zeroed["log"], zeroed["list_pages"]) == (0, [], {})


def test_log_times_are_on_this_machines_monotonic_clock(endpoint: Any) -> None:
    client = endpoint.client("us-east-1")
    before = time.monotonic()
    client.list_model_copy_jobs()
    client.list_model_copy_jobs()
    after = time.monotonic()
    times = [e["time"] for e in endpoint.control("GET", "stats")["log"]]
    assert before <= times[0] <= times[1] <= after


def test_reset_clears_everything(endpoint: Any) -> None:
    source = endpoint.source_model()
    client = endpoint.client()
    client.create_model_copy_job(sourceModelArn=source, targetModelName="gone")
    endpoint.control("POST", "lifecycle", {"duration_seconds": 0, "polls": 1})
    _faults(endpoint, {"operation": "CreateModelCopyJob", "kind": "throttle"})
    assert endpoint.control("POST", "reset") == {"reset": True}
    assert endpoint.control("GET", "faults") == {"max_in_a_row": None, "rules": []}
    assert endpoint.control("GET", "stats")["total"] == 0
    assert endpoint.control("GET", "lifecycle")["polls"] is None
    assert client.list_model_copy_jobs()["modelCopyJobSummaries"] == []
    assert client.list_custom_models()["modelSummaries"] == []
    with pytest.raises(ClientError) as info:  # the source model is gone too
        client.create_model_copy_job(sourceModelArn=source, targetModelName="gone")
    assert info.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_model_registration_is_idempotent_and_validated(endpoint: Any) -> None:
    first = endpoint.source_model("us-east-1", "same", tags={"owner": "me"})
    assert endpoint.source_model("us-east-1", "same") == first
    assert endpoint.source_model("us-east-1", "same", account_id="111122223333") != first
    model = endpoint.client().get_custom_model(modelIdentifier=first)
    assert model["modelName"] == "same"
    with pytest.raises(ControlAPIError) as info:
        endpoint.control("POST", "models", {"region": "us-east-1", "model_name": "bad name"})
    assert info.value.status == 400
    assert "model_name" in info.value.payload["error"]


@pytest.mark.parametrize(
    ("method", "path", "payload"),
    [
        ("PUT", "faults", {"rules": [{"operation": "Nope", "kind": "throttle"}]}),
        ("PUT", "faults", {"rules": [{"operation": "*", "kind": "explode"}]}),
        ("PUT", "faults", {"rules": [{"operation": "*", "kind": "throttle", "probability": 2}]}),
        ("PUT", "faults", {"rules": [{"operation": "*", "kind": "throttle", "typo": 1}]}),
        ("PUT", "faults", {"max_in_a_row": 0, "rules": []}),
        ("PUT", "faults", {"max_in_a_row": True, "rules": []}),
        ("PUT", "faults", {"rules": [{"operation": "*", "kind": "error"}]}),
        ("PUT", "faults", {"rules": [{"operation": "*", "kind": "throttle", "error_code": "AccessDenied"}]}),
        ("PUT", "faults", {"rules": [{"operation": "*", "kind": "error", "error_code": "Bad Code"}]}),
        ("PUT", "faults", {"rules": [{"operation": "*", "kind": "error", "error_code": "X", "status": 200}]}),
        ("POST", "lifecycle", {"duration_seconds": -1}),
        ("POST", "seed", {"jobs": []}),
        ("POST", "seed", {"region": "us-east-1", "jobs": [{"target_model_name": "x"}]}),
        ("POST", "seed", {"region": "us-east-1", "generate": {"count": -1, "source_model_arn": "x"}}),
    ],
)
def test_bad_control_payloads_are_400(endpoint: Any, method: str, path: str, payload: Any) -> None:
    with pytest.raises(ControlAPIError) as info:
        endpoint.control(method, path, payload)
    assert info.value.status == 400
    assert info.value.payload["error"]


def test_unknown_control_routes(endpoint: Any) -> None:
    with pytest.raises(ControlAPIError) as info:
        endpoint.control("GET", "nothing-here")
    assert info.value.status == 404
    with pytest.raises(ControlAPIError) as info:
        endpoint.control("DELETE", "stats")
    assert info.value.status == 405


def test_generated_seed_follows_the_recipe(endpoint: Any) -> None:
    source = endpoint.source_model()
    generate = {
        "count": 6,
        "source_model_arn": source,
        "target_model_name_prefix": "gen-",
        "statuses": ["Completed", "Failed"],
        "start_time": "2024-01-01T00:00:00Z",
        "step_seconds": 3600,
        "source_account_ids": ["111111111111", "222222222222", "333333333333"],
        "tags": {"batch": "1"},
    }
    result = endpoint.control("POST", "seed", {"region": "us-east-1", "generate": generate})
    assert result["count"] == 6 and len(result["job_arns"]) == 6
    jobs = endpoint.client().list_model_copy_jobs(sortOrder="Ascending")["modelCopyJobSummaries"]
    assert [j["targetModelName"] for j in jobs] == [f"gen-{i:06d}" for i in range(6)]
    assert [j["status"] for j in jobs] == ["Completed", "Failed"] * 3
    assert [j["sourceAccountId"] for j in jobs] == ["111111111111", "222222222222", "333333333333"] * 2
    assert [j["creationTime"].hour for j in jobs] == list(range(6))
    assert all(j["targetModelTags"] == [{"key": "batch", "value": "1"}] for j in jobs)
    assert [j["jobArn"] for j in jobs] == result["job_arns"]
