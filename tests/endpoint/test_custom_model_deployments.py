"""Custom model deployments: the five operations, update in place, delete rules, tags, paging, faults, control."""

from __future__ import annotations

import time
import urllib.parse
from typing import Any

import pytest
from bedrock_endpoint.testing import ControlAPIError

DEPLOYMENTS = "/model-customization/custom-model-deployments"


def _configure(endpoint: Any, **config: Any) -> dict[str, Any]:
    view: dict[str, Any] = endpoint.control("POST", "custom-model-deployments/lifecycle", config)
    return view


def _deploy(client: Any, name: str, model: str, **extra: Any) -> str:
    response = client.create_custom_model_deployment(modelDeploymentName=name, modelArn=model, **extra)
    return str(response["customModelDeploymentArn"])


def _get(client: Any, identifier: str) -> dict[str, Any]:
    got: dict[str, Any] = client.get_custom_model_deployment(customModelDeploymentIdentifier=identifier)
    return got


def _error(error_of: Any, call: Any, **kwargs: Any) -> tuple[str, str]:
    error = error_of(call, **kwargs).response["Error"]
    return str(error["Code"]), str(error["Message"])


@pytest.fixture
def model(endpoint: Any) -> str:
    arn: str = endpoint.source_model(name="release-1")
    return arn


def test_create_is_creating_then_active_and_found_by_name_or_encoded_arn(endpoint: Any, model: str) -> None:
    _configure(endpoint, create_seconds=0.3)
    client = endpoint.client()
    arn = _deploy(client, "chat", model, description="the chat bot", tags=[{"key": "team", "value": "ml"}])
    assert arn.startswith("arn:aws:bedrock:us-east-1:123456789012:custom-model-deployment/")
    first = _get(client, arn)
    assert (first["status"], first["modelDeploymentName"], first["modelArn"]) == ("Creating", "chat", model)
    assert first["description"] == "the chat bot" and "updateDetails" not in first
    time.sleep(0.4)
    status, _headers, body = endpoint.raw("GET", f"{DEPLOYMENTS}/{urllib.parse.quote(arn, safe='')}")
    assert (status, body["status"]) == (200, "Active")
    assert body["lastUpdatedAt"] > body["createdAt"]
    assert client.list_tags_for_resource(resourceARN=arn)["tags"] == [{"key": "team", "value": "ml"}]


@pytest.mark.parametrize(
    "body, fields",
    [
        ({}, ["modelDeploymentName", "modelArn"]),
        ({"modelDeploymentName": "bad name", "modelArn": "arn:aws:s3:::x"}, ["modelDeploymentName", "modelArn"]),
        ({"modelDeploymentName": "ok", "modelArn": "MODEL", "description": ""}, ["description"]),
        ({"modelDeploymentName": "ok", "modelArn": "MODEL", "modelUnits": 1}, ["modelUnits"]),
        ({"modelDeploymentName": "ok", "modelArn": "MODEL", "tags": [{"key": "k"}]}, ["tags.1.member.value"]),
    ],
)
def test_create_validates_every_field(endpoint: Any, model: str, body: dict[str, Any], fields: list[str]) -> None:
    payload = {k: model if v == "MODEL" else v for k, v in body.items()}
    status, headers, answer = endpoint.raw("POST", DEPLOYMENTS, body=payload)
    assert (status, headers["x-amzn-errortype"]) == (400, "ValidationException")
    assert all(f"'{field}'" in answer["message"] for field in fields), answer["message"]


def test_the_model_must_exist_in_the_region_and_names_are_unique(endpoint: Any, model: str, error_of: Any) -> None:
    client = endpoint.client()
    missing = model.rsplit("/", 1)[0] + "/zzzzzzzzzzzz"
    assert _error(error_of, client.create_custom_model_deployment, modelDeploymentName="x", modelArn=missing)[0] == (
        "ResourceNotFoundException"
    )
    west = endpoint.client("us-west-2")
    code, _message = _error(error_of, west.create_custom_model_deployment, modelDeploymentName="x", modelArn=model)
    assert code == "ResourceNotFoundException"  # a model of us-east-1 can't be deployed in us-west-2
    _deploy(client, "taken", model)
    code, message = _error(error_of, client.create_custom_model_deployment, modelDeploymentName="taken", modelArn=model)
    assert code == "ValidationException" and "'taken' already exists" in message
    tags = [{"key": f"k{i}", "value": ""} for i in range(51)]
    code, _message = _error(
        error_of, client.create_custom_model_deployment, modelDeploymentName="tags", modelArn=model, tags=tags
    )
    assert code == "TooManyTagsException"


def test_a_client_request_token_makes_create_idempotent(endpoint: Any, model: str, error_of: Any) -> None:
    client = endpoint.client()
    first = _deploy(client, "idem", model, clientRequestToken="t-1")
    assert _deploy(client, "idem", model, clientRequestToken="t-1") == first
    code, message = _error(
        error_of,
        client.create_custom_model_deployment,
        modelDeploymentName="idem",
        modelArn=model,
        description="other",
        clientRequestToken="t-1",
    )
    assert code == "ValidationException" and "t-1" in message
    assert len(client.list_custom_model_deployments()["modelDeploymentSummaries"]) == 1


def test_update_swaps_the_model_in_place_or_keeps_the_old_one(endpoint: Any, model: str, error_of: Any) -> None:
    second = endpoint.source_model(name="release-2")
    third = endpoint.source_model(name="release-3")
    _configure(endpoint, create_seconds=0, update_seconds=None, fail=[{"operation": "update", "model_arn": third}])
    client = endpoint.client()
    arn = _deploy(client, "swap", model)
    answer = client.update_custom_model_deployment(customModelDeploymentIdentifier="swap", modelArn=second)
    assert answer["customModelDeploymentArn"] == arn
    got = _get(client, "swap")
    assert (got["status"], got["modelArn"]) == ("Active", model)  # it serves the old model while Updating
    assert got["updateDetails"] == {"modelArn": second, "updateStatus": "Updating"}
    code, message = _error(
        error_of, client.update_custom_model_deployment, customModelDeploymentIdentifier=arn, modelArn=third
    )
    assert code == "ValidationException" and "Updating" in message
    delete = client.delete_custom_model_deployment
    assert _error(error_of, delete, customModelDeploymentIdentifier=arn)[0] == "ConflictException"  # while Updating
    _configure(endpoint, create_seconds=0, update_seconds=0, fail=[{"operation": "update", "model_arn": third}])
    got = _get(client, arn)
    assert (got["modelArn"], got["updateDetails"]["updateStatus"]) == (second, "UpdateCompleted")
    client.update_custom_model_deployment(customModelDeploymentIdentifier="swap", modelArn=third)
    got = _get(client, arn)
    assert (got["status"], got["modelArn"], got["updateDetails"]) == (
        "Active",
        second,
        {"modelArn": third, "updateStatus": "UpdateFailed"},
    )
    assert got["failureMessage"]
    assert (
        client.list_custom_model_deployments(modelArnEquals=second)["modelDeploymentSummaries"][0]["modelArn"] == second
    )


def test_update_and_delete_refuse_a_deployment_still_creating(endpoint: Any, model: str, error_of: Any) -> None:
    _configure(endpoint, create_seconds=None)
    client = endpoint.client()
    _deploy(client, "slow", model)
    update = client.update_custom_model_deployment
    assert _error(error_of, update, customModelDeploymentIdentifier="slow", modelArn=model)[0] == "ValidationException"
    code, message = _error(error_of, client.delete_custom_model_deployment, customModelDeploymentIdentifier="slow")
    assert code == "ConflictException" and "Creating" in message
    bad = _error(error_of, client.get_custom_model_deployment, customModelDeploymentIdentifier="nope")
    assert bad[0] == "ResourceNotFoundException"


def test_delete_is_immediate_or_takes_delete_seconds(endpoint: Any, model: str, error_of: Any) -> None:
    _configure(endpoint, create_seconds=0, delete_seconds=0.3)
    client = endpoint.client()
    arn = _deploy(client, "going", model)
    client.delete_custom_model_deployment(customModelDeploymentIdentifier=arn)
    assert _get(client, arn)["status"] == "Active"  # still there while it is being deleted
    code, _message = _error(error_of, client.delete_custom_model_deployment, customModelDeploymentIdentifier=arn)
    assert code == "ConflictException"
    time.sleep(0.4)
    assert client.list_custom_model_deployments()["modelDeploymentSummaries"] == []
    _configure(endpoint, create_seconds=0)
    _deploy(client, "going", model)  # the name is free again
    client.delete_custom_model_deployment(customModelDeploymentIdentifier="going")
    code, _message = _error(error_of, client.get_custom_model_deployment, customModelDeploymentIdentifier="going")
    assert code == "ResourceNotFoundException"


def test_a_deployed_model_cannot_be_deleted(endpoint: Any, model: str, error_of: Any) -> None:
    _configure(endpoint, create_seconds=0)
    client = endpoint.client()
    _deploy(client, "serving", model)
    code, message = _error(error_of, client.delete_custom_model, modelIdentifier=model)
    assert code == "ConflictException" and "serving" in message
    client.delete_custom_model_deployment(customModelDeploymentIdentifier="serving")
    client.delete_custom_model(modelIdentifier=model)


def test_fail_rules_and_the_fail_control_call(endpoint: Any, model: str) -> None:
    _configure(endpoint, create_seconds=0, fail=[{"name_contains": "doomed", "message": "no capacity"}])
    client = endpoint.client()
    got = _get(client, _deploy(client, "doomed-1", model))
    assert (got["status"], got["failureMessage"]) == ("Failed", "no capacity")
    _deploy(client, "fine", model)
    view = endpoint.control(
        "POST", "custom-model-deployments/fail", {"region": "us-east-1", "deployment_id": "fine", "message": "boom"}
    )
    assert (view["status"], view["failureMessage"]) == ("Failed", "boom")
    failed = client.list_custom_model_deployments(statusEquals="Failed")["modelDeploymentSummaries"]
    assert sorted(s["customModelDeploymentName"] for s in failed) == ["doomed-1", "fine"]
    with pytest.raises(ControlAPIError) as info:
        endpoint.control("POST", "custom-model-deployments/fail", {"region": "us-east-1", "deployment_id": "nope"})
    assert info.value.status == 400 and "nope" in info.value.payload["error"]


def test_seeded_deployments_page_once_each_with_filters(endpoint: Any, model: str) -> None:
    seeded = endpoint.control(
        "POST",
        "custom-model-deployments/seed",
        {
            "region": "us-east-1",
            "items": [
                {"name": "special", "model_arn": model, "status": "Failed", "creation_time": "2020-01-01T00:00:00Z"}
            ],
            "generate": {"count": 25, "name_prefix": "bulk-", "model_arn": model, "statuses": ["Active", "Creating"]},
        },
    )
    assert seeded["count"] == 26 and len(seeded["custom_model_deployment_arns"]) == 26
    client = endpoint.client()
    paginator = client.get_paginator("list_custom_model_deployments")
    pages = list(paginator.paginate(sortOrder="Ascending", PaginationConfig={"PageSize": 10}))
    names = [s["customModelDeploymentName"] for p in pages for s in p["modelDeploymentSummaries"]]
    assert names == ["special", *(f"bulk-{i:06d}" for i in range(25))]
    assert endpoint.control("GET", "stats")["deployment_list_pages"] == {"1": 1, "2": 1, "3": 1}
    active = client.list_custom_model_deployments(statusEquals="Active", nameContains="bulk")[
        "modelDeploymentSummaries"
    ]
    assert len(active) == 13
    after = client.list_custom_model_deployments(createdAfter="2021-01-01T00:00:00Z")["modelDeploymentSummaries"]
    assert len(after) == 25
    token = client.list_custom_model_deployments(maxResults=5)["nextToken"]
    status, _headers, body = endpoint.raw(
        "GET", DEPLOYMENTS, {"maxResults": "5", "nextToken": token, "nameContains": "b"}
    )
    assert status == 400 and "nextToken" in body["message"]
    for bad in ({"items": [{"name": "special", "model_arn": model}]}, {"generate": {"count": 1}}):
        with pytest.raises(ControlAPIError) as info:
            endpoint.control("POST", "custom-model-deployments/seed", {"region": "us-east-1", **bad})
        assert info.value.status == 400


@pytest.mark.parametrize(
    "parameter, value",
    [
        ("statusEquals", "Updating"),
        ("modelArnEquals", "arn:aws:s3:::x"),
        ("createdBefore", "soon"),
        ("maxResults", "1001"),
        ("sortBy", "Name"),
    ],
)
def test_bad_list_parameters_name_themselves(endpoint: Any, parameter: str, value: str) -> None:
    status, headers, body = endpoint.raw("GET", DEPLOYMENTS, {parameter: value})
    assert (status, headers["x-amzn-errortype"]) == (400, "ValidationException")
    assert f"'{parameter}'" in body["message"]


def test_faults_counters_lifecycle_defaults_and_reset(endpoint: Any, model: str) -> None:
    default = endpoint.control("GET", "custom-model-deployments/lifecycle")
    assert default == {"create_seconds": 10.0, "update_seconds": 10.0, "delete_seconds": None, "fail": []}
    with pytest.raises(ControlAPIError):
        _configure(endpoint, fail=[{"operation": "delete"}])
    _configure(endpoint, create_seconds=0)
    rules = [
        {"operation": "CreateCustomModelDeployment", "kind": "drop", "count": 1},
        {"operation": "ListCustomModelDeployments", "kind": "throttle", "count": 1},
    ]
    endpoint.control("PUT", "faults", {"rules": rules})
    client = endpoint.client(retries=3)
    arn = _deploy(client, "retried", model, clientRequestToken="same")  # the drop ate the first answer
    assert [
        s["customModelDeploymentArn"] for s in client.list_custom_model_deployments()["modelDeploymentSummaries"]
    ] == [arn]
    client.update_custom_model_deployment(customModelDeploymentIdentifier=arn, modelArn=model)  # same model: no-op
    stats = endpoint.control("GET", "stats")
    assert {k: v for k, v in stats["requests"].items() if "Deployment" in k} == {
        "CreateCustomModelDeployment": 2,
        "GetCustomModelDeployment": 0,
        "UpdateCustomModelDeployment": 1,
        "DeleteCustomModelDeployment": 0,
        "ListCustomModelDeployments": 2,
    }
    assert stats["deployment_list_pages"] == {"1": 2}
    _configure(endpoint, create_seconds=1)
    endpoint.control("POST", "reset")
    assert endpoint.control("GET", "custom-model-deployments/lifecycle") == default
    assert endpoint.client().list_custom_model_deployments()["modelDeploymentSummaries"] == []


def test_tokens_and_tags_stay_with_their_resource(endpoint: Any, model: str, error_of: Any) -> None:
    endpoint.control(
        "POST",
        "provisioned-throughputs/seed",
        {"region": "us-east-1", "generate": {"count": 3, "model_id": "amazon.titan-text-lite-v1:0:4k"}},
    )
    client = endpoint.client()
    token = client.list_provisioned_model_throughputs(maxResults=1)["nextToken"]
    status, _headers, body = endpoint.raw("GET", DEPLOYMENTS, {"nextToken": token})
    assert status == 400 and "nextToken" in body["message"]  # a throughput token is not a deployment cursor
    arn = _deploy(client, "tagged", model)
    client.untag_resource(resourceARN=arn, tagKeys=["absent"])
    gone = arn[:-12] + "000000000000"
    assert _error(error_of, client.list_tags_for_resource, resourceARN=gone)[0] == "ResourceNotFoundException"
    assert client.list_tags_for_resource(resourceARN=arn)["tags"] == []
