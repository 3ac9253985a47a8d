"""CreateModelCopyJob and GetModelCopyJob through boto3 (and raw HTTP where botocore validates first)."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any

import pytest

JOB_ARN_RE = re.compile(r"arn:aws:bedrock:us-west-2:123456789012:model-copy-job/[a-z0-9]{12}")


def test_create_then_get_returns_the_full_job(endpoint: Any) -> None:
    source = endpoint.source_model("us-east-1", "base-chat")
    client = endpoint.client("us-west-2")
    before = datetime.now(timezone.utc).replace(microsecond=0)
    created = client.create_model_copy_job(
        sourceModelArn=source,
        targetModelName="chat-copy",
        modelKmsKeyId="12345678-1234-1234-1234-123456789012",
        targetModelTags=[{"key": "team", "value": "ml"}],
    )
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert JOB_ARN_RE.fullmatch(created["jobArn"])

    job = client.get_model_copy_job(jobArn=created["jobArn"])
    assert job["jobArn"] == created["jobArn"]
    assert job["status"] == "InProgress"
    assert job["creationTime"] >= before
    assert job["sourceModelArn"] == source
    assert job["sourceModelName"] == "base-chat"
    assert job["sourceAccountId"] == "123456789012"
    assert job["targetModelName"] == "chat-copy"
    assert re.fullmatch(
        r"arn:aws:bedrock:us-west-2:123456789012:custom-model/amazon\.titan-text-lite-v1:0:4k/[a-z0-9]{12}",
        job["targetModelArn"],
    )
    assert job["targetModelKmsKeyArn"] == "arn:aws:kms:us-west-2:123456789012:key/12345678-1234-1234-1234-123456789012"
    assert job["targetModelTags"] == [{"key": "team", "value": "ml"}]
    assert "failureMessage" not in job


def test_jobs_live_in_the_region_of_the_request_signature(endpoint: Any) -> None:
    source = endpoint.source_model()
    arn = endpoint.client("eu-west-1").create_model_copy_job(sourceModelArn=source, targetModelName="m1")["jobArn"]
    assert ":eu-west-1:" in arn
    assert endpoint.client("eu-west-1").get_model_copy_job(jobArn=arn)["status"] == "InProgress"
    assert endpoint.client("us-east-1").list_model_copy_jobs()["modelCopyJobSummaries"] == []


BAD_CREATE_BODIES = [
    ({"sourceModelArn": "arn:aws:s3:::bucket", "targetModelName": "ok"}, "sourceModelArn"),
    ({"targetModelName": "ok"}, "sourceModelArn"),
    ({"sourceModelArn": "{source}", "targetModelName": "-starts-with-dash"}, "targetModelName"),
    ({"sourceModelArn": "{source}", "targetModelName": "a" * 64}, "targetModelName"),
    ({"sourceModelArn": "{source}", "targetModelName": "double__underscore"}, "targetModelName"),
    ({"sourceModelArn": "{source}", "targetModelName": ""}, "targetModelName"),
    ({"sourceModelArn": "{source}", "targetModelName": "ok", "modelKmsKeyId": "not a key"}, "modelKmsKeyId"),
    (
        {"sourceModelArn": "{source}", "targetModelName": "ok", "targetModelTags": [{"key": "bad!", "value": "v"}]},
        "targetModelTags.1.member.key",
    ),
    (
        {"sourceModelArn": "{source}", "targetModelName": "ok", "targetModelTags": [{"key": "k", "value": "v" * 257}]},
        "targetModelTags.1.member.value",
    ),
    ({"sourceModelArn": "{source}", "targetModelName": "ok", "clientRequestToken": "bad token"}, "clientRequestToken"),
]


@pytest.mark.parametrize(("body", "parameter"), BAD_CREATE_BODIES)
def test_create_rejects_invalid_input(endpoint: Any, body: dict[str, Any], parameter: str) -> None:
    source = endpoint.source_model()
    body = {k: (source if v == "{source}" else v) for k, v in body.items()}
    status, headers, payload = endpoint.raw("POST", "/model-copy-jobs", body=body)
    assert status == 400
    assert headers["x-amzn-errortype"] == "ValidationException"
    assert f"at '{parameter}'" in payload["message"]
    assert endpoint.client().list_model_copy_jobs()["modelCopyJobSummaries"] == []


def test_more_than_200_tags_is_too_many_tags(endpoint: Any, error_of: Any) -> None:
    source = endpoint.source_model()
    client = endpoint.client()
    tags = [{"key": f"k{i}", "value": "v"} for i in range(201)]
    err = error_of(client.create_model_copy_job, sourceModelArn=source, targetModelName="m", targetModelTags=tags)
    assert err.response["Error"]["Code"] == "TooManyTagsException"
    client.create_model_copy_job(sourceModelArn=source, targetModelName="m", targetModelTags=tags[:200])


def test_unknown_source_model_is_not_found(endpoint: Any, error_of: Any) -> None:
    source = endpoint.source_model("us-east-1", "real")
    missing = source[:-12] + "000000000000"
    err = error_of(endpoint.client().create_model_copy_job, sourceModelArn=missing, targetModelName="m")
    assert err.response["Error"]["Code"] == "ResourceNotFoundException"
    assert err.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_target_name_must_be_free_in_the_target_region(endpoint: Any, error_of: Any) -> None:
    source = endpoint.source_model("us-east-1", "src")
    west = endpoint.client("us-west-2")
    west.create_model_copy_job(sourceModelArn=source, targetModelName="taken")
    err = error_of(west.create_model_copy_job, sourceModelArn=source, targetModelName="taken")
    assert err.response["Error"]["Code"] == "ValidationException"
    assert "taken" in err.response["Error"]["Message"]
    # Another region is another namespace; a registered custom model also occupies its name.
    endpoint.client("eu-central-1").create_model_copy_job(sourceModelArn=source, targetModelName="taken")
    endpoint.source_model("us-west-2", "registered")
    err = error_of(west.create_model_copy_job, sourceModelArn=source, targetModelName="registered")
    assert err.response["Error"]["Code"] == "ValidationException"


def test_a_failed_job_frees_its_target_name(endpoint: Any) -> None:
    source = endpoint.source_model()
    endpoint.control("POST", "lifecycle", {"duration_seconds": 0, "fail": [{"target_model_name_contains": "doomed"}]})
    client = endpoint.client()
    first = client.create_model_copy_job(sourceModelArn=source, targetModelName="doomed")["jobArn"]
    assert client.get_model_copy_job(jobArn=first)["status"] == "Failed"
    second = client.create_model_copy_job(sourceModelArn=source, targetModelName="doomed")["jobArn"]
    assert second != first


def test_client_request_token_makes_create_idempotent(endpoint: Any, error_of: Any) -> None:
    source = endpoint.source_model()
    client = endpoint.client()
    kwargs = {"sourceModelArn": source, "targetModelName": "idem", "clientRequestToken": "token-1"}
    first = client.create_model_copy_job(**kwargs)["jobArn"]
    assert client.create_model_copy_job(**kwargs)["jobArn"] == first
    assert len(client.list_model_copy_jobs()["modelCopyJobSummaries"]) == 1
    err = error_of(client.create_model_copy_job, **{**kwargs, "targetModelName": "other"})
    assert err.response["Error"]["Code"] == "ValidationException"
    assert "clientRequestToken" in err.response["Error"]["Message"]


def test_get_unknown_and_malformed_job_arns(endpoint: Any, error_of: Any) -> None:
    client = endpoint.client("us-west-2")
    err = error_of(
        client.get_model_copy_job, jobArn="arn:aws:bedrock:us-west-2:123456789012:model-copy-job/abcdef123456"
    )
    assert err.response["Error"]["Code"] == "ResourceNotFoundException"
    assert err.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    for bad in ("not-an-arn", "arn:aws:bedrock:us-west-2:123456789012:model-copy-job/ABCDEF123456"):
        err = error_of(client.get_model_copy_job, jobArn=bad)
        assert err.response["Error"]["Code"] == "ValidationException"
        assert "jobArn" in err.response["Error"]["Message"]


def test_concurrent_creates_and_lists_are_consistent(endpoint: Any) -> None:
    """The server is threaded: parallel creates must neither lose nor duplicate jobs."""
    from concurrent.futures import ThreadPoolExecutor

    source = endpoint.source_model()

    def create(worker: int) -> list[str]:
        client = endpoint.client()
        arns = []
        for i in range(10):
            arns.append(client.create_model_copy_job(sourceModelArn=source, targetModelName=f"w{worker}-{i}")["jobArn"])
            client.list_model_copy_jobs(maxResults=5)
        return arns

    with ThreadPoolExecutor(max_workers=8) as pool:
        created = [arn for arns in pool.map(create, range(8)) for arn in arns]
    listed = [job["jobArn"] for job in endpoint.client().list_model_copy_jobs()["modelCopyJobSummaries"]]
    assert len(created) == len(set(created)) == 80
    assert sorted(listed) == sorted(created)
    assert endpoint.control("GET", "stats")["requests"]["CreateModelCopyJob"] == 80
