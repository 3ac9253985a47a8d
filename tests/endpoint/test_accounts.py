"""Accounts: moto's STS, each temporary access key in its role's account; refused roles; short sessions."""

from __future__ import annotations

import datetime
from typing import Any

import boto3
import pytest
from bedrock_endpoint.testing import ControlAPIError
from botocore.config import Config
from botocore.exceptions import ClientError
from conftest import Endpoint

ROLE_A = "arn:aws:iam::111111111111:role/bedrock-gate"
ROLE_B = "arn:aws:iam::222222222222:role/bedrock-gate"
FAST = Config(retries={"total_max_attempts": 1}, connect_timeout=5)


def sts(endpoint: Endpoint, **credentials: Any) -> Any:
    credentials = credentials or {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    return boto3.client("sts", endpoint_url=endpoint.url, region_name="us-east-1", config=FAST, **credentials)


def assume(endpoint: Endpoint, role: str, **extra: Any) -> dict[str, Any]:
    return sts(endpoint).assume_role(RoleArn=role, RoleSessionName="gate-test", **extra)["Credentials"]


def bedrock(endpoint: Endpoint, credentials: dict[str, Any], region: str = "us-east-1") -> Any:
    return boto3.client(
        "bedrock",
        endpoint_url=endpoint.url,
        region_name=region,
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
        config=FAST,
    )


def test_a_job_lives_in_the_account_of_the_access_key_that_created_it(endpoint: Endpoint) -> None:
    source = endpoint.source_model()
    in_a, in_b = bedrock(endpoint, assume(endpoint, ROLE_A)), bedrock(endpoint, assume(endpoint, ROLE_B))
    arn = in_a.create_model_copy_job(sourceModelArn=source, targetModelName="bot")["jobArn"]
    assert ":111111111111:model-copy-job/" in arn
    assert [j["jobArn"] for j in in_a.list_model_copy_jobs()["modelCopyJobSummaries"]] == [arn]
    assert in_b.list_model_copy_jobs()["modelCopyJobSummaries"] == []
    assert endpoint.client().list_model_copy_jobs()["modelCopyJobSummaries"] == []  # the default account's
    with pytest.raises(ClientError) as e:
        in_b.get_model_copy_job(jobArn=arn)
    assert e.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_seeded_jobs_are_seen_by_their_account_only(endpoint: Endpoint) -> None:
    source = endpoint.source_model()
    endpoint.control(
        "POST",
        "seed",
        {
            "region": "us-west-2",
            "account_id": "222222222222",
            "jobs": [{"source_model_arn": source, "target_model_name": "bot", "status": "Completed"}],
        },
    )
    found = bedrock(endpoint, assume(endpoint, ROLE_B), "us-west-2").list_model_copy_jobs()["modelCopyJobSummaries"]
    assert [j["targetModelName"] for j in found] == ["bot"]
    assert (
        bedrock(endpoint, assume(endpoint, ROLE_A), "us-west-2").list_model_copy_jobs()["modelCopyJobSummaries"] == []
    )


def test_a_refused_role_fails_assume_role_as_aws_does_until_reset(endpoint: Endpoint) -> None:
    endpoint.control("POST", "sts/refuse", {"role_arn": ROLE_A})
    with pytest.raises(ClientError) as e:
        assume(endpoint, ROLE_A)
    assert e.value.response["Error"]["Code"] == "AccessDenied"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert ROLE_A in e.value.response["Error"]["Message"]
    assert assume(endpoint, ROLE_B)["AccessKeyId"]  # other roles are trusted
    endpoint.control("POST", "reset")
    assert assume(endpoint, ROLE_A)["AccessKeyId"]


def test_a_role_trusting_only_its_external_id(endpoint: Endpoint) -> None:
    endpoint.control("POST", "sts/refuse", {"role_arn": ROLE_A, "external_id": "release-42"})
    with pytest.raises(ClientError):
        assume(endpoint, ROLE_A, ExternalId="wrong-id")
    with pytest.raises(ClientError):
        assume(endpoint, ROLE_A)
    assert assume(endpoint, ROLE_A, ExternalId="release-42")["AccessKeyId"]


def test_session_seconds_caps_the_expiration(endpoint: Endpoint) -> None:
    endpoint.control("POST", "sts/session-seconds", {"seconds": 5})
    expires = assume(endpoint, ROLE_A)["Expiration"]
    left = (expires - datetime.datetime.now(datetime.timezone.utc)).total_seconds()
    assert 0 < left <= 6
    assert endpoint.control("GET", "sts")["session_seconds"] == 5
    assert len(endpoint.control("GET", "sts")["issued_secret_keys"]) == 1
    endpoint.control("POST", "reset")
    expires = assume(endpoint, ROLE_A, DurationSeconds=900)["Expiration"]
    assert (expires - datetime.datetime.now(datetime.timezone.utc)).total_seconds() > 800


@pytest.mark.parametrize(
    "path, payload",
    [
        ("sts/refuse", {}),
        ("sts/refuse", {"role_arn": "not-a-role"}),
        ("sts/refuse", {"role_arn": ROLE_A, "error_code": "Teapot"}),
        ("sts/session-seconds", {"seconds": 0}),
        ("sts/session-seconds", {"seconds": "5"}),
    ],
)
def test_bad_control_calls_are_refused(endpoint: Endpoint, path: str, payload: dict[str, Any]) -> None:
    with pytest.raises(ControlAPIError) as e:
        endpoint.control("POST", path, payload)
    assert e.value.status == 400


def test_stats_count_requests_by_the_account_that_signed_them(endpoint: Endpoint) -> None:
    in_a = bedrock(endpoint, assume(endpoint, ROLE_A))
    in_b = bedrock(endpoint, assume(endpoint, ROLE_B), "us-west-2")
    endpoint.control("POST", "stats/reset")
    in_a.list_model_copy_jobs()
    in_b.list_model_copy_jobs()
    in_b.list_model_copy_jobs()
    sts(endpoint).get_caller_identity()
    stats = endpoint.control("GET", "stats")
    assert stats["by_account"] == {
        "111111111111": {"ListModelCopyJobs": 1},
        "222222222222": {"ListModelCopyJobs": 2},
        "123456789012": {"GetCallerIdentity": 1},
    }
    assert stats["requests"]["GetCallerIdentity"] == 1
    assert [entry.get("account") for entry in stats["log"]] == [
        "111111111111",
        "222222222222",
        "222222222222",
        "123456789012",
    ]
