"""GetCustomModel, DeleteCustomModel and ListCustomModels: by name or ARN, a deleted name is free, paging."""

from __future__ import annotations

import urllib.parse
from typing import Any

import pytest
from botocore.exceptions import ClientError, ParamValidationError


def _completed_copy(endpoint: Any, name: str = "bot-v1", region: str = "us-west-2") -> tuple[str, str]:
    """(source ARN, job) of a copy to ``name`` in ``region`` that has completed."""
    source = endpoint.source_model("us-east-1", "trained")
    endpoint.control("POST", "lifecycle", {"duration_seconds": 0})
    client = endpoint.client(region)
    job_arn = client.create_model_copy_job(sourceModelArn=source, targetModelName=name)["jobArn"]
    job = client.get_model_copy_job(jobArn=job_arn)
    assert job["status"] == "Completed"
    return source, job


def _code(exc: pytest.ExceptionInfo[ClientError]) -> str:
    return str(exc.value.response["Error"]["Code"])


@pytest.mark.parametrize("by", ["arn", "name"])
def test_get_and_delete_accept_a_name_or_an_arn(endpoint: Any, by: str) -> None:
    _source, job = _completed_copy(endpoint)
    west = endpoint.client("us-west-2")
    identifier = job["targetModelArn"] if by == "arn" else "bot-v1"

    model = west.get_custom_model(modelIdentifier=identifier)
    assert model["modelArn"] == job["targetModelArn"]
    assert model["modelName"] == "bot-v1"
    assert model["jobArn"] == job["jobArn"]
    assert model["modelStatus"] == "Active"

    assert west.delete_custom_model(modelIdentifier=identifier)["ResponseMetadata"]["HTTPStatusCode"] == 200
    for gone in (job["targetModelArn"], "bot-v1"):
        with pytest.raises(ClientError) as exc:
            west.get_custom_model(modelIdentifier=gone)
        assert _code(exc) == "ResourceNotFoundException"
    with pytest.raises(ClientError) as exc:
        west.delete_custom_model(modelIdentifier=identifier)
    assert _code(exc) == "ResourceNotFoundException"
    assert west.list_custom_models()["modelSummaries"] == []
    # The job is history: it still says Completed, with the ARN of the model that is gone.
    assert west.get_model_copy_job(jobArn=job["jobArn"])["status"] == "Completed"


def test_the_arn_arrives_url_encoded_and_is_decoded_once(endpoint: Any) -> None:
    _source, job = _completed_copy(endpoint)
    encoded = urllib.parse.quote(job["targetModelArn"], safe="")
    status, _headers, body = endpoint.raw("GET", f"/custom-models/{encoded}", region="us-west-2")
    assert (status, body["modelArn"]) == (200, job["targetModelArn"])
    twice = urllib.parse.quote(encoded, safe="")
    status, _headers, body = endpoint.raw("GET", f"/custom-models/{twice}", region="us-west-2")
    assert status == 400  # a still-encoded ARN is not a valid identifier


def test_a_model_is_found_only_in_its_own_region(endpoint: Any) -> None:
    _source, job = _completed_copy(endpoint)
    with pytest.raises(ClientError) as exc:
        endpoint.client("eu-west-1").get_custom_model(modelIdentifier=job["targetModelArn"])
    assert _code(exc) == "ResourceNotFoundException"
    with pytest.raises(ClientError) as exc:
        endpoint.client("eu-west-1").delete_custom_model(modelIdentifier="bot-v1")
    assert _code(exc) == "ResourceNotFoundException"
    assert endpoint.client("us-west-2").get_custom_model(modelIdentifier="bot-v1")["modelName"] == "bot-v1"


def test_a_deleted_copys_name_is_free_for_a_new_copy_job(endpoint: Any) -> None:
    source, job = _completed_copy(endpoint)
    west = endpoint.client("us-west-2")
    with pytest.raises(ClientError) as exc:
        west.create_model_copy_job(sourceModelArn=source, targetModelName="bot-v1")
    assert _code(exc) == "ValidationException"

    west.delete_custom_model(modelIdentifier=job["targetModelArn"])
    again = west.create_model_copy_job(sourceModelArn=source, targetModelName="bot-v1")["jobArn"]
    new_job = west.get_model_copy_job(jobArn=again)
    assert new_job["status"] == "Completed"
    assert new_job["targetModelArn"] != job["targetModelArn"]
    assert west.get_custom_model(modelIdentifier="bot-v1")["modelArn"] == new_job["targetModelArn"]
    with pytest.raises(ClientError) as exc:
        west.get_custom_model(modelIdentifier=job["targetModelArn"])
    assert _code(exc) == "ResourceNotFoundException"


def test_a_name_stays_taken_while_a_copy_to_it_is_in_progress(endpoint: Any) -> None:
    source = endpoint.source_model("us-east-1", "trained")
    west = endpoint.client("us-west-2")
    west.create_model_copy_job(sourceModelArn=source, targetModelName="bot-v1")
    with pytest.raises(ClientError) as exc:
        west.create_model_copy_job(sourceModelArn=source, targetModelName="bot-v1")
    assert _code(exc) == "ValidationException"


def test_a_deleted_source_model_cannot_be_copied(endpoint: Any) -> None:
    source = endpoint.source_model("us-east-1", "trained")
    endpoint.client("us-east-1").delete_custom_model(modelIdentifier=source)
    with pytest.raises(ClientError) as exc:
        endpoint.client("us-west-2").create_model_copy_job(sourceModelArn=source, targetModelName="bot-v1")
    assert _code(exc) == "ResourceNotFoundException"


def test_list_filters_sorts_and_pages_with_opaque_tokens(endpoint: Any) -> None:
    east = endpoint.client("us-east-1")
    for i in range(5):
        endpoint.source_model("us-east-1", f"model-{i}")
    endpoint.source_model("us-east-1", "other")
    endpoint.source_model("eu-west-1", "model-elsewhere")

    names = [m["modelName"] for m in east.list_custom_models(nameContains="model")["modelSummaries"]]
    assert names == [f"model-{i}" for i in (4, 3, 2, 1, 0)]  # newest first by default
    ascending = east.list_custom_models(nameContains="model", sortBy="CreationTime", sortOrder="Ascending")
    assert [m["modelName"] for m in ascending["modelSummaries"]] == [f"model-{i}" for i in range(5)]

    seen, token, pages = [], None, 0
    while True:
        page = east.list_custom_models(maxResults=2, **({"nextToken": token} if token else {}))
        pages += 1
        seen += [m["modelName"] for m in page["modelSummaries"]]
        token = page.get("nextToken")
        if not token:
            break
        assert "model" not in token  # opaque: it names nothing
    assert (pages, sorted(seen)) == (3, sorted([*(f"model-{i}" for i in range(5)), "other"]))

    summary = east.list_custom_models(nameContains="other")["modelSummaries"][0]
    assert set(summary) == {
        "modelArn",
        "modelName",
        "creationTime",
        "baseModelArn",
        "baseModelName",
        "ownerAccountId",
        "modelStatus",
    }
    assert east.list_custom_models(isOwned=False)["modelSummaries"] == []
    assert east.list_custom_models(modelStatus="Creating")["modelSummaries"] == []


def test_a_token_only_continues_the_listing_it_came_from(endpoint: Any) -> None:
    for i in range(3):
        endpoint.source_model("us-east-1", f"model-{i}")
    east = endpoint.client("us-east-1")
    token = east.list_custom_models(maxResults=1)["nextToken"]
    with pytest.raises(ClientError) as exc:
        east.list_custom_models(maxResults=1, nextToken=token, nameContains="model-1")
    assert _code(exc) == "ValidationException"


@pytest.mark.parametrize(
    "query, where",
    [
        ({"maxResults": "0"}, "maxResults"),
        ({"maxResults": "1001"}, "maxResults"),
        ({"nameContains": "bad name"}, "nameContains"),
        ({"sortBy": "Name"}, "sortBy"),
        ({"sortOrder": "Up"}, "sortOrder"),
        ({"modelStatus": "Deleted"}, "modelStatus"),
        ({"isOwned": "maybe"}, "isOwned"),
        ({"creationTimeAfter": "yesterday"}, "creationTimeAfter"),
        ({"baseModelArnEquals": "arn:aws:s3:::bucket"}, "baseModelArnEquals"),
    ],
)
def test_list_rejects_what_the_service_model_rejects(endpoint: Any, query: dict[str, str], where: str) -> None:
    status, headers, body = endpoint.raw("GET", "/custom-models", query=query)
    assert status == 400
    assert headers["x-amzn-errortype"].startswith("ValidationException")
    assert where in body["message"]


def test_get_rejects_a_malformed_identifier(endpoint: Any) -> None:
    with pytest.raises((ClientError, ParamValidationError)):
        endpoint.client().get_custom_model(modelIdentifier="")
    status, _headers, body = endpoint.raw("GET", "/custom-models/" + urllib.parse.quote("no spaces", safe=""))
    assert status == 400
    assert "modelIdentifier" in body["message"]


def test_custom_model_requests_are_counted_and_can_fault(endpoint: Any) -> None:
    _completed_copy(endpoint)
    endpoint.control("POST", "stats/reset")
    endpoint.control("PUT", "faults", {"rules": [{"operation": "ListCustomModels", "kind": "throttle", "count": 1}]})
    west = endpoint.client("us-west-2")
    with pytest.raises(ClientError) as exc:
        west.list_custom_models()
    assert _code(exc) == "ThrottlingException"
    assert [m["modelName"] for m in west.list_custom_models()["modelSummaries"]] == ["bot-v1"]
    west.get_custom_model(modelIdentifier="bot-v1")
    west.delete_custom_model(modelIdentifier="bot-v1")
    requests = endpoint.control("GET", "stats")["requests"]
    assert (requests["ListCustomModels"], requests["GetCustomModel"], requests["DeleteCustomModel"]) == (2, 1, 1)
    assert requests["ListModelCopyJobs"] == 0


def test_a_copied_model_can_be_made_to_lag_its_completed_job(endpoint: Any) -> None:
    """model_read_lag_seconds: Get and List do not show a copy job's model until that long after it completed."""
    import time

    source = endpoint.source_model("us-east-1", "trained")
    endpoint.control("POST", "lifecycle", {"duration_seconds": 0, "model_read_lag_seconds": 1.5})
    west = endpoint.client("us-west-2")
    job_arn = west.create_model_copy_job(sourceModelArn=source, targetModelName="laggy")["jobArn"]
    job = west.get_model_copy_job(jobArn=job_arn)
    assert job["status"] == "Completed"
    with pytest.raises(ClientError) as missing:
        west.get_custom_model(modelIdentifier=job["targetModelArn"])
    assert _code(missing) == "ResourceNotFoundException"
    assert west.list_custom_models(nameContains="laggy")["modelSummaries"] == []
    time.sleep(1.6)
    assert west.get_custom_model(modelIdentifier=job["targetModelArn"])["modelArn"] == job["targetModelArn"]
    assert [m["modelArn"] for m in west.list_custom_models(nameContains="laggy")["modelSummaries"]] == [
        job["targetModelArn"]
    ]
    with pytest.raises(Exception, match="model_read_lag_seconds must be a number >= 0"):
        endpoint.control("POST", "lifecycle", {"model_read_lag_seconds": -1})
