"""Provisioned Throughput: the five operations, tagging, lifecycle, commitment, paging, faults and control calls."""

from __future__ import annotations

import time
import urllib.parse
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from bedrock_endpoint.testing import ControlAPIError
from botocore.exceptions import ClientError

FM_ID = "amazon.titan-text-lite-v1:0:4k"
FM_ARN = f"arn:aws:bedrock:us-east-1::foundation-model/{FM_ID}"
PT_PATH = "/provisioned-model-throughput"


def _lifecycle(endpoint: Any, **config: Any) -> dict[str, Any]:
    result: dict[str, Any] = endpoint.control("POST", "provisioned-throughputs/lifecycle", config)
    return result


def _create(client: Any, name: str, model: str, units: int = 1, **extra: Any) -> str:
    arn: str = client.create_provisioned_model_throughput(
        provisionedModelName=name, modelId=model, modelUnits=units, **extra
    )["provisionedModelArn"]
    return arn


def _code(exc: ClientError) -> str:
    return str(exc.response["Error"]["Code"])


def _message(exc: ClientError) -> str:
    return str(exc.response["Error"]["Message"])


# --- create, get, lifecycle -------------------------------------------------------------------------


def test_create_is_creating_then_in_service_after_the_configured_time(endpoint: Any) -> None:
    model = endpoint.source_model()
    _lifecycle(endpoint, create_seconds=None)  # never by time: no race with a slow machine
    client = endpoint.client()
    status, _headers, body = endpoint.raw(
        "POST", PT_PATH, body={"provisionedModelName": "first", "modelId": model, "modelUnits": 2}
    )
    assert status == 201
    arn = body["provisionedModelArn"]
    assert arn.startswith("arn:aws:bedrock:us-east-1:123456789012:provisioned-model/")
    got = client.get_provisioned_model_throughput(provisionedModelId=arn)
    assert got["status"] == "Creating"
    _lifecycle(endpoint, create_seconds=0.3)  # evaluated on read against the current configuration
    time.sleep(0.35)
    by_name = client.get_provisioned_model_throughput(provisionedModelId="first")
    assert by_name["status"] == "InService"
    assert by_name["provisionedModelArn"] == arn
    assert by_name["modelArn"] == by_name["desiredModelArn"] == model
    assert by_name["foundationModelArn"] == FM_ARN
    assert (by_name["modelUnits"], by_name["desiredModelUnits"]) == (2, 2)
    assert by_name["lastModifiedTime"] - by_name["creationTime"] == timedelta(seconds=0.3)
    assert "failureMessage" not in by_name and "commitmentDuration" not in by_name


def test_url_encoded_arn_in_the_path_is_decoded(endpoint: Any) -> None:
    model = endpoint.source_model()
    arn = _create(endpoint.client(), "encoded", model)
    status, _headers, body = endpoint.raw("GET", f"{PT_PATH}/{urllib.parse.quote(arn, safe='')}")
    assert (status, body["provisionedModelName"]) == (200, "encoded")
    other = arn[:-1] + ("z" if arn[-1] != "z" else "y")
    status, _headers, body = endpoint.raw("GET", f"{PT_PATH}/{urllib.parse.quote(other, safe='')}")
    assert status == 404 and "couldn't be found" in body["message"]


def test_model_can_be_a_custom_model_name_a_foundation_model_id_or_arn(endpoint: Any) -> None:
    endpoint.source_model(name="by-name")
    client = endpoint.client()
    by_name = client.get_provisioned_model_throughput(provisionedModelId=_create(client, "a", "by-name"))
    assert by_name["modelArn"].startswith("arn:aws:bedrock:us-east-1:123456789012:custom-model/")
    for name, model in (("b", FM_ID), ("c", FM_ARN)):
        got = client.get_provisioned_model_throughput(provisionedModelId=_create(client, name, model))
        assert got["modelArn"] == got["foundationModelArn"] == FM_ARN


def test_unknown_or_foreign_models_are_refused(endpoint: Any, error_of: Any) -> None:
    west = endpoint.source_model("us-west-2", "west-model")
    client = endpoint.client()
    missing = west.replace("us-west-2", "us-east-1")
    for model in (missing, west, "no-such-model"):
        err = error_of(
            client.create_provisioned_model_throughput, provisionedModelName="x", modelId=model, modelUnits=1
        )
        assert _code(err) == "ResourceNotFoundException", model
        assert err.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    err = error_of(
        client.create_provisioned_model_throughput,
        provisionedModelName="x",
        modelId=FM_ARN.replace("us-east-1", "eu-west-1"),
        modelUnits=1,
    )
    assert _code(err) == "ValidationException" and "eu-west-1" in _message(err)
    assert client.list_provisioned_model_throughputs()["provisionedModelSummaries"] == []


def test_a_completed_copy_target_can_be_provisioned_before_anyone_read_the_job(endpoint: Any) -> None:
    source = endpoint.source_model()
    endpoint.control("POST", "lifecycle", {"duration_seconds": 0.2})
    client = endpoint.client("us-west-2")
    client.create_model_copy_job(sourceModelArn=source, targetModelName="copied")
    time.sleep(0.3)
    arn = _create(client, "serve-copy", "copied")
    got = client.get_provisioned_model_throughput(provisionedModelId=arn)
    assert "/amazon.titan-text-lite-v1:0:4k/" in got["modelArn"]
    assert got["foundationModelArn"] == FM_ARN.replace("us-east-1", "us-west-2")


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"modelId": FM_ID, "modelUnits": 1}, ["provisionedModelName"]),
        ({"provisionedModelName": "ok", "modelUnits": 1}, ["modelId"]),
        ({"provisionedModelName": "ok", "modelId": FM_ID}, ["modelUnits"]),
        (
            {"provisionedModelName": "bad name!", "modelId": FM_ID, "modelUnits": 0},
            ["modelUnits", "provisionedModelName"],
        ),
        ({"provisionedModelName": "x" * 64, "modelId": FM_ID, "modelUnits": 1}, ["provisionedModelName"]),
        ({"provisionedModelName": "ok", "modelId": FM_ID, "modelUnits": 1.5}, ["modelUnits"]),
        ({"provisionedModelName": "ok", "modelId": FM_ID, "modelUnits": True}, ["modelUnits"]),
        ({"provisionedModelName": "ok", "modelId": "arn:aws:s3:::bucket", "modelUnits": 1}, ["modelId"]),
        ({"provisionedModelName": "ok", "modelId": FM_ID, "modelUnits": 1, "commitmentDuration": "OneYear"}, []),
        ({"provisionedModelName": "ok", "modelId": FM_ID, "modelUnits": 1, "clientRequestToken": "-x"}, []),
        ({"provisionedModelName": "ok", "modelId": FM_ID, "modelUnits": 1, "tags": [{"key": "k"}]}, ["tags.1"]),
        ({"provisionedModelName": "ok", "modelId": FM_ID, "modelUnits": 1, "surprise": 1}, ["surprise"]),
    ],
)
def test_create_validates_every_field(endpoint: Any, body: dict[str, Any], fields: list[str]) -> None:
    status, headers, answer = endpoint.raw("POST", PT_PATH, body=body)
    assert status == 400
    assert headers["x-amzn-errortype"] == "ValidationException"
    extra = [k for k in ("commitmentDuration", "clientRequestToken") if k in body]
    for field in fields + extra:
        assert f"at '{field}" in answer["message"], (field, answer["message"])
    if len(fields) > 1:
        assert answer["message"].startswith(f"{len(fields)} validation errors detected")
    assert endpoint.raw("GET", "/provisioned-model-throughputs")[2]["provisionedModelSummaries"] == []


def test_names_are_unique_per_region(endpoint: Any, error_of: Any) -> None:
    client = endpoint.client()
    _create(client, "dup", FM_ID)
    err = error_of(client.create_provisioned_model_throughput, provisionedModelName="dup", modelId=FM_ID, modelUnits=1)
    assert _code(err) == "ValidationException" and "dup" in _message(err) and "already exists" in _message(err)
    assert _create(endpoint.client("us-west-2"), "dup", FM_ID).split(":")[3] == "us-west-2"


def test_client_request_token_makes_a_retried_create_idempotent(endpoint: Any, error_of: Any) -> None:
    client = endpoint.client()
    first = _create(client, "idem", FM_ID, clientRequestToken="token-1")
    assert _create(client, "idem", FM_ID, clientRequestToken="token-1") == first
    assert len(client.list_provisioned_model_throughputs()["provisionedModelSummaries"]) == 1
    err = error_of(
        client.create_provisioned_model_throughput,
        provisionedModelName="idem",
        modelId=FM_ID,
        modelUnits=2,
        clientRequestToken="token-1",
    )
    assert _code(err) == "ValidationException" and "token-1" in _message(err)


def test_fail_rules_make_a_create_fail_with_a_message(endpoint: Any) -> None:
    rule = {"name_contains": "doomed", "message": "Insufficient capacity for 3 model units."}
    view = _lifecycle(endpoint, create_seconds=0, fail=[rule])
    assert view["fail"][0]["operation"] == "create"
    client = endpoint.client()
    got = client.get_provisioned_model_throughput(provisionedModelId=_create(client, "doomed-1", FM_ID, 3))
    assert (got["status"], got["failureMessage"]) == ("Failed", "Insufficient capacity for 3 model units.")
    assert client.get_provisioned_model_throughput(provisionedModelId=_create(client, "fine", FM_ID))["status"] == (
        "InService"
    )
    summaries = client.list_provisioned_model_throughputs(statusEquals="Failed")["provisionedModelSummaries"]
    assert [s["provisionedModelName"] for s in summaries] == ["doomed-1"]
    client.delete_provisioned_model_throughput(provisionedModelId="doomed-1")  # a Failed one can be deleted


def test_control_call_forces_failed(endpoint: Any, error_of: Any) -> None:
    _lifecycle(endpoint, create_seconds=0)
    client = endpoint.client()
    arn = _create(client, "victim", FM_ID)
    view = endpoint.control(
        "POST", "provisioned-throughputs/fail", {"region": "us-east-1", "provisioned_model_id": arn, "message": "boom"}
    )
    assert (view["status"], view["failureMessage"]) == ("Failed", "boom")
    got = client.get_provisioned_model_throughput(provisionedModelId="victim")
    assert (got["status"], got["failureMessage"]) == ("Failed", "boom")
    err = error_of(
        client.update_provisioned_model_throughput, provisionedModelId="victim", desiredProvisionedModelName="y"
    )
    assert _code(err) == "ValidationException" and "Failed" in _message(err)
    with pytest.raises(ControlAPIError) as info:
        endpoint.control(
            "POST", "provisioned-throughputs/fail", {"region": "us-east-1", "provisioned_model_id": "nope"}
        )
    assert info.value.status == 400 and "nope" in info.value.payload["error"]


# --- update ---------------------------------------------------------------------------------------------


def test_update_swaps_the_model_in_place(endpoint: Any) -> None:
    first = endpoint.source_model(name="release-1")
    second = endpoint.source_model(name="release-2")
    _lifecycle(endpoint, create_seconds=0, update_seconds=None)
    client = endpoint.client()
    arn = _create(client, "serving", first)
    client.update_provisioned_model_throughput(provisionedModelId=arn, desiredModelId=second)
    during = client.get_provisioned_model_throughput(provisionedModelId=arn)
    assert (during["status"], during["modelArn"], during["desiredModelArn"]) == ("Updating", first, second)
    listed = client.list_provisioned_model_throughputs(modelArnEquals=first)["provisionedModelSummaries"]
    assert [s["provisionedModelArn"] for s in listed] == [arn]
    _lifecycle(endpoint, create_seconds=0, update_seconds=0)
    after = client.get_provisioned_model_throughput(provisionedModelId="serving")
    assert (after["status"], after["modelArn"], after["desiredModelArn"]) == ("InService", second, second)
    assert after["provisionedModelArn"] == arn
    assert client.list_provisioned_model_throughputs(modelArnEquals=first)["provisionedModelSummaries"] == []


def test_update_renames_and_refuses_taken_names(endpoint: Any, error_of: Any) -> None:
    _lifecycle(endpoint, create_seconds=0)
    client = endpoint.client()
    arn = _create(client, "old-name", FM_ID)
    _create(client, "taken", FM_ID)
    client.update_provisioned_model_throughput(provisionedModelId="old-name", desiredProvisionedModelName="new-name")
    got = client.get_provisioned_model_throughput(provisionedModelId="new-name")
    assert (got["provisionedModelArn"], got["status"]) == (arn, "InService")
    assert _code(error_of(client.get_provisioned_model_throughput, provisionedModelId="old-name")) == (
        "ResourceNotFoundException"
    )
    err = error_of(
        client.update_provisioned_model_throughput, provisionedModelId=arn, desiredProvisionedModelName="taken"
    )
    assert _code(err) == "ValidationException" and "taken" in _message(err)


def test_update_refuses_what_aws_refuses(endpoint: Any, error_of: Any) -> None:
    base = endpoint.source_model(name="titan-tuned")
    other_base = endpoint.source_model(name="llama-tuned", base_model_id="meta.llama3-8b-instruct-v1:0")
    client = endpoint.client()
    creating = _create(client, "still-creating", base)  # the session default keeps it Creating for 10 s
    err = error_of(client.update_provisioned_model_throughput, provisionedModelId=creating, desiredModelId=base)
    assert _code(err) == "ValidationException" and "Creating" in _message(err)
    _lifecycle(endpoint, create_seconds=0)
    custom = _create(client, "custom", base)
    err = error_of(client.update_provisioned_model_throughput, provisionedModelId=custom, desiredModelId=other_base)
    assert _code(err) == "ValidationException" and "customized from" in _message(err)
    _create(client, "on-base", FM_ID)
    err = error_of(client.update_provisioned_model_throughput, provisionedModelId="on-base", desiredModelId=base)
    assert _code(err) == "ValidationException" and "base model" in _message(err)
    # Units and commitment cannot change in place: the request has no such fields, and the endpoint says so.
    status, _headers, body = endpoint.raw("PATCH", f"{PT_PATH}/custom", body={"modelUnits": 2})
    assert status == 400 and "'modelUnits'" in body["message"]
    err = error_of(client.update_provisioned_model_throughput, provisionedModelId="missing", desiredModelId=base)
    assert _code(err) == "ResourceNotFoundException"
    # The base model of a custom-model throughput is an allowed target.
    client.update_provisioned_model_throughput(provisionedModelId=custom, desiredModelId=FM_ID)
    assert client.get_provisioned_model_throughput(provisionedModelId=custom)["desiredModelArn"] == FM_ARN


def test_fail_rules_can_fail_an_update(endpoint: Any) -> None:
    first = endpoint.source_model(name="good")
    second = endpoint.source_model(name="bad-release")
    _lifecycle(endpoint, create_seconds=0, update_seconds=0, fail=[{"operation": "update", "model_arn": second}])
    client = endpoint.client()
    arn = _create(client, "swap", first)
    client.update_provisioned_model_throughput(provisionedModelId=arn, desiredModelId=second)
    got = client.get_provisioned_model_throughput(provisionedModelId=arn)
    assert (got["status"], got["modelArn"]) == ("Failed", first)
    assert got["failureMessage"]


# --- commitment and delete ----------------------------------------------------------------------------------


def test_a_commitment_blocks_delete_until_it_expires(endpoint: Any, error_of: Any) -> None:
    _lifecycle(endpoint, create_seconds=0)
    client = endpoint.client()
    arn = _create(client, "committed", FM_ID, commitmentDuration="OneMonth")
    got = client.get_provisioned_model_throughput(provisionedModelId=arn)
    assert got["commitmentDuration"] == "OneMonth"
    term = got["commitmentExpirationTime"] - got["creationTime"]
    assert term == timedelta(days=30)
    err = error_of(client.delete_provisioned_model_throughput, provisionedModelId=arn)
    assert _code(err) == "ConflictException"
    expiry = got["commitmentExpirationTime"].astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    assert expiry in _message(err)
    view = endpoint.control(
        "POST", "provisioned-throughputs/expire-commitment", {"region": "us-east-1", "provisioned_model_id": arn}
    )
    assert view["commitmentDuration"] == "OneMonth"
    client.delete_provisioned_model_throughput(provisionedModelId=arn)
    assert client.list_provisioned_model_throughputs()["provisionedModelSummaries"] == []


def test_commitment_terms_can_be_shortened_for_tests(endpoint: Any, error_of: Any) -> None:
    _lifecycle(endpoint, create_seconds=0, commitment_seconds={"SixMonths": 1.5})
    client = endpoint.client()
    arn = _create(client, "short-term", FM_ID, commitmentDuration="SixMonths")
    got = client.get_provisioned_model_throughput(provisionedModelId=arn)
    assert got["commitmentExpirationTime"] - got["creationTime"] == timedelta(seconds=1.5)
    assert _code(error_of(client.delete_provisioned_model_throughput, provisionedModelId=arn)) == "ConflictException"
    time.sleep(1.6)
    client.delete_provisioned_model_throughput(provisionedModelId=arn)
    summary = client.list_provisioned_model_throughputs()["provisionedModelSummaries"]
    assert summary == []


def test_delete_removes_it_and_a_second_delete_is_not_found(endpoint: Any, error_of: Any) -> None:
    client = endpoint.client()
    arn = _create(client, "short-lived", FM_ID)
    err = error_of(client.delete_provisioned_model_throughput, provisionedModelId=arn)
    assert _code(err) == "ConflictException" and "Creating" in _message(err)
    _lifecycle(endpoint, create_seconds=0)
    status, _headers, body = endpoint.raw("DELETE", f"{PT_PATH}/{urllib.parse.quote(arn, safe='')}")
    assert (status, body) == (200, {})
    for call, kwargs in (
        (client.get_provisioned_model_throughput, {"provisionedModelId": arn}),
        (client.delete_provisioned_model_throughput, {"provisionedModelId": "short-lived"}),
    ):
        assert _code(error_of(call, **kwargs)) == "ResourceNotFoundException"
    _create(client, "short-lived", FM_ID)  # the name is free again


def test_bad_identifiers_are_validation_errors(endpoint: Any) -> None:
    status, _headers, body = endpoint.raw("GET", f"{PT_PATH}/{urllib.parse.quote('no spaces!', safe='')}")
    assert status == 400 and "provisionedModelId" in body["message"]
    foreign = "arn:aws:bedrock:us-west-2:123456789012:provisioned-model/abcdefabcdef"
    assert endpoint.raw("GET", f"{PT_PATH}/{urllib.parse.quote(foreign, safe='')}")[0] == 404


# --- tags ------------------------------------------------------------------------------------------------------


def test_tags_on_create_and_through_tag_resource(endpoint: Any, error_of: Any) -> None:
    client = endpoint.client()
    arn = _create(client, "tagged", FM_ID, tags=[{"key": "team", "value": "ml"}, {"key": "env", "value": "dev"}])
    assert client.list_tags_for_resource(resourceARN=arn)["tags"] == [
        {"key": "team", "value": "ml"},
        {"key": "env", "value": "dev"},
    ]
    client.tag_resource(resourceARN=arn, tags=[{"key": "env", "value": "prod"}, {"key": "new", "value": ""}])
    client.untag_resource(resourceARN=arn, tagKeys=["team", "absent"])
    tags = {t["key"]: t["value"] for t in client.list_tags_for_resource(resourceARN=arn)["tags"]}
    assert tags == {"env": "prod", "new": ""}
    too_many = [{"key": f"k{i}", "value": "v"} for i in range(49)]
    assert _code(error_of(client.tag_resource, resourceARN=arn, tags=too_many)) == "TooManyTagsException"
    missing = arn[:-1] + ("a" if arn[-1] != "a" else "b")
    for call, kwargs in (
        (client.list_tags_for_resource, {}),
        (client.tag_resource, {"tags": [{"key": "a", "value": "b"}]}),
        (client.untag_resource, {"tagKeys": ["a"]}),
    ):
        assert _code(error_of(call, resourceARN=missing, **kwargs)) == "ResourceNotFoundException"
    assert _code(error_of(endpoint.client("us-west-2").list_tags_for_resource, resourceARN=arn)) == (
        "ResourceNotFoundException"
    )
    status, _headers, body = endpoint.raw("POST", "/tagResource", body={"resourceARN": arn, "tags": [{"key": "a"}]})
    assert status == 400 and "tags.1.member.value" in body["message"]


def test_tagging_other_bedrock_resources_still_goes_to_moto(endpoint: Any) -> None:
    model = endpoint.source_model(tags={"origin": "control"})
    client = endpoint.client()
    client.list_custom_models()  # moto receives registered models on its next call
    client.tag_resource(resourceARN=model, tags=[{"key": "k", "value": "v"}])
    tags = {t["key"]: t["value"] for t in client.list_tags_for_resource(resourceARN=model)["tags"]}
    assert tags == {"origin": "control", "k": "v"}


# --- list -------------------------------------------------------------------------------------------------------


def _seed(endpoint: Any, region: str = "us-east-1", **payload: Any) -> dict[str, Any]:
    result: dict[str, Any] = endpoint.control("POST", "provisioned-throughputs/seed", {"region": region, **payload})
    return result


def test_list_filters_and_sort_orders(endpoint: Any) -> None:
    custom = endpoint.source_model(name="tuned")
    t0 = datetime(2024, 3, 1, tzinfo=timezone.utc)
    items = [
        {
            "name": f"{'blue' if i % 2 else 'green'}-{i}",
            "model_id": custom if i % 3 == 0 else FM_ID,
            "status": ("InService", "Failed", "Creating", "Updating")[i % 4],
            "creation_time": (t0 + timedelta(hours=i)).isoformat(),
            "commitment_duration": "OneMonth" if i == 5 else None,
        }
        for i in range(12)
    ]
    for item in items:
        if item["commitment_duration"] is None:
            del item["commitment_duration"]
    assert _seed(endpoint, items=items)["count"] == 12
    client = endpoint.client()

    def names(**kwargs: Any) -> list[str]:
        return [
            s["provisionedModelName"]
            for s in client.list_provisioned_model_throughputs(**kwargs)["provisionedModelSummaries"]
        ]

    assert names() == [f"{'blue' if i % 2 else 'green'}-{i}" for i in reversed(range(12))]
    assert names(sortOrder="Ascending", sortBy="CreationTime")[:2] == ["green-0", "blue-1"]
    assert names(statusEquals="Failed", sortOrder="Ascending") == ["blue-1", "blue-5", "blue-9"]
    assert names(nameContains="green", sortOrder="Ascending") == [f"green-{i}" for i in range(0, 12, 2)]
    assert names(modelArnEquals=custom, sortOrder="Ascending") == ["green-0", "blue-3", "green-6", "blue-9"]
    after, before = t0 + timedelta(hours=2), t0 + timedelta(hours=5)
    assert names(creationTimeAfter=after, creationTimeBefore=before, sortOrder="Ascending") == ["blue-3", "green-4"]
    summary = client.list_provisioned_model_throughputs(nameContains="blue-5")["provisionedModelSummaries"][0]
    assert summary["commitmentDuration"] == "OneMonth" and "commitmentExpirationTime" in summary
    assert "failureMessage" not in summary  # summaries carry no failure message; Get does
    assert client.get_provisioned_model_throughput(provisionedModelId="blue-5")["failureMessage"]
    assert client.list_provisioned_model_throughputs(nameContains="nothing")["provisionedModelSummaries"] == []
    assert endpoint.client("us-west-2").list_provisioned_model_throughputs()["provisionedModelSummaries"] == []


@pytest.mark.parametrize("order", ["Ascending", "Descending"])
def test_paging_2500_returns_each_exactly_once(endpoint: Any, order: str) -> None:
    result = _seed(endpoint, generate={"count": 2500, "model_id": FM_ID, "statuses": ["InService"]})
    assert result["count"] == 2500 and "provisioned_model_arns" not in result
    paginator = endpoint.client().get_paginator("list_provisioned_model_throughputs")
    pages = list(paginator.paginate(sortOrder=order))
    names = [s["provisionedModelName"] for page in pages for s in page["provisionedModelSummaries"]]
    assert [len(page["provisionedModelSummaries"]) for page in pages] == [1000, 1000, 500]
    assert sorted(names) == [f"pt-{i:06d}" for i in range(2500)]
    assert names == sorted(names, reverse=order == "Descending")
    assert "nextToken" not in pages[-1]
    assert endpoint.control("GET", "stats")["provisioned_list_pages"] == {"1": 1, "2": 1, "3": 1}


def test_tokens_are_opaque_and_bound_to_their_filters(endpoint: Any, error_of: Any) -> None:
    _seed(endpoint, generate={"count": 5, "model_id": FM_ID})
    client = endpoint.client()
    token = client.list_provisioned_model_throughputs(maxResults=2)["nextToken"]
    assert "pt-" not in token
    page2 = client.list_provisioned_model_throughputs(maxResults=2, nextToken=token)
    assert len(page2["provisionedModelSummaries"]) == 2
    for kwargs in (
        {"nextToken": token[:-2] + ("xx" if not token.endswith("xx") else "yy")},
        {"nextToken": token, "nameContains": "pt"},
        {"nextToken": token, "sortOrder": "Ascending"},
    ):
        err = error_of(client.list_provisioned_model_throughputs, **kwargs)
        assert _code(err) == "ValidationException" and "nextToken" in _message(err)
    copy_token = None
    endpoint.control("POST", "seed", {"region": "us-east-1", "generate": {"count": 3, "source_model_arn": FM_ARN}})
    copy_token = client.list_model_copy_jobs(maxResults=1)["nextToken"]
    err = error_of(client.list_provisioned_model_throughputs, nextToken=copy_token)
    assert _code(err) == "ValidationException"  # a copy-job token is not a provisioned-throughput token
    endpoint.control("POST", "reset")
    err = error_of(client.list_provisioned_model_throughputs, maxResults=2, nextToken=token)
    assert "expired" in _message(err)


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ({"maxResults": "0"}, "maxResults"),
        ({"maxResults": "1001"}, "maxResults"),
        ({"maxResults": "ten"}, "maxResults"),
        ({"statusEquals": "Deleting"}, "statusEquals"),
        ({"sortBy": "Name"}, "sortBy"),
        ({"sortOrder": "Up"}, "sortOrder"),
        ({"nameContains": "bad name"}, "nameContains"),
        ({"modelArnEquals": "arn:aws:s3:::x"}, "modelArnEquals"),
        ({"creationTimeAfter": "yesterday"}, "creationTimeAfter"),
        ({"creationTimeBefore": "2024-13-01"}, "creationTimeBefore"),
        ({"nextToken": ""}, "nextToken"),
    ],
)
def test_bad_list_parameters_are_rejected_with_their_name(endpoint: Any, query: dict[str, str], parameter: str) -> None:
    status, headers, body = endpoint.raw("GET", "/provisioned-model-throughputs", query)
    assert status == 400 and headers["x-amzn-errortype"] == "ValidationException"
    assert f"'{parameter}'" in body["message"]


# --- faults, counters, control --------------------------------------------------------------------------------


def test_faults_and_counters_per_operation(endpoint: Any) -> None:
    _seed(endpoint, generate={"count": 5, "model_id": FM_ID, "statuses": ["InService"]})
    rules = [
        {"operation": "ListProvisionedModelThroughputs", "kind": "throttle", "count": 1, "page": 2},
        {"operation": "CreateProvisionedModelThroughput", "kind": "drop", "count": 1},
        {"operation": "GetProvisionedModelThroughput", "kind": "error500", "count": 1},
        {
            "operation": "UpdateProvisionedModelThroughput",
            "kind": "error",
            "error_code": "AccessDeniedException",
            "status": 403,
            "count": 1,
        },
        {"operation": "TagResource", "kind": "throttle", "count": 1},
    ]
    endpoint.control("PUT", "faults", {"rules": rules})
    client = endpoint.client(retries=3)
    pages = list(client.get_paginator("list_provisioned_model_throughputs").paginate(PaginationConfig={"PageSize": 2}))
    assert sum(len(p["provisionedModelSummaries"]) for p in pages) == 5
    arn = _create(client, "after-a-drop", FM_ID, clientRequestToken="retry-me")  # the drop ate the first answer
    assert client.get_provisioned_model_throughput(provisionedModelId=arn)["provisionedModelName"] == "after-a-drop"
    with pytest.raises(ClientError) as info:
        endpoint.client().update_provisioned_model_throughput(provisionedModelId=arn, desiredProvisionedModelName="z")
    assert _code(info.value) == "AccessDeniedException"
    client.tag_resource(resourceARN=arn, tags=[{"key": "a", "value": "b"}])
    stats = endpoint.control("GET", "stats")
    requests = stats["requests"]
    assert requests["ListProvisionedModelThroughputs"] == 4  # pages 1, 2 (throttled), 2, 3
    assert requests["CreateProvisionedModelThroughput"] == 2
    assert requests["GetProvisionedModelThroughput"] == 2
    assert requests["UpdateProvisionedModelThroughput"] == 1
    assert requests["TagResource"] == 2
    assert stats["provisioned_list_pages"] == {"1": 1, "2": 2, "3": 1}
    assert stats["faults"] == {"throttle": 2, "error500": 1, "drop": 1, "latency": 0, "error": 1}
    assert len(client.list_provisioned_model_throughputs()["provisionedModelSummaries"]) == 6  # one create, not two


def test_lifecycle_control_defaults_validation_and_reset(endpoint: Any) -> None:
    default = endpoint.control("GET", "provisioned-throughputs/lifecycle")
    assert default == {
        "create_seconds": 10.0,
        "update_seconds": 10.0,
        "commitment_seconds": {"OneMonth": 30 * 86400.0, "SixMonths": 180 * 86400.0},
        "fail": [],
        "model_unit_quota": None,
    }
    changed = _lifecycle(endpoint, create_seconds=None, update_seconds=1)
    assert (changed["create_seconds"], changed["update_seconds"]) == (None, 1.0)
    for bad in (
        {"create_seconds": -1},
        {"fail": [{"operation": "delete"}]},
        {"commitment_seconds": {"OneYear": 1}},
        {"surprise": 1},
    ):
        with pytest.raises(ControlAPIError) as info:
            _lifecycle(endpoint, **bad)
        assert info.value.status == 400
    endpoint.control("POST", "reset")
    assert endpoint.control("GET", "provisioned-throughputs/lifecycle") == default


def test_seed_validates_and_refuses_taken_names(endpoint: Any) -> None:
    _seed(endpoint, items=[{"name": "one", "model_id": FM_ID}])
    bad_payloads = [
        {"items": [{"name": "one", "model_id": FM_ID}]},
        {"items": [{"name": "bad name", "model_id": FM_ID}]},
        {"items": [{"name": "x", "model_id": "unknown-custom-model"}]},
        {"items": [{"name": "x", "model_id": FM_ID, "status": "Deleting"}]},
        {"items": [{"name": "x", "model_id": FM_ID, "model_units": 0}]},
        {"generate": {"count": -1, "model_id": FM_ID}},
        {"generate": {"count": 1, "model_id": FM_ID, "name_prefix": "x" * 63}},
    ]
    for payload in bad_payloads:
        with pytest.raises(ControlAPIError) as info:
            _seed(endpoint, **payload)
        assert info.value.status == 400, payload
    assert len(endpoint.client().list_provisioned_model_throughputs()["provisionedModelSummaries"]) == 1


def test_a_custom_model_in_use_cannot_be_deleted(endpoint: Any, error_of: Any) -> None:
    first = endpoint.source_model(name="in-use")
    second = endpoint.source_model(name="next-release")
    _lifecycle(endpoint, create_seconds=0, update_seconds=None)
    client = endpoint.client()
    _create(client, "serving", first)
    err = error_of(client.delete_custom_model, modelIdentifier=first)
    assert _code(err) == "ConflictException" and "serving" in _message(err)
    client.update_provisioned_model_throughput(provisionedModelId="serving", desiredModelId=second)
    for model in (first, second):  # while Updating, both the current and the desired model are in use
        assert _code(error_of(client.delete_custom_model, modelIdentifier=model)) == "ConflictException"
    _lifecycle(endpoint, create_seconds=0, update_seconds=0)
    client.delete_custom_model(modelIdentifier=first)  # the swap is over: the old release can go
    assert _code(error_of(client.delete_custom_model, modelIdentifier=second)) == "ConflictException"
    client.delete_provisioned_model_throughput(provisionedModelId="serving")
    client.delete_custom_model(modelIdentifier=second)
    assert client.list_custom_models()["modelSummaries"] == []


def test_a_model_unit_quota_refuses_creates_beyond_it(endpoint: Any, error_of: Any) -> None:
    _lifecycle(endpoint, create_seconds=0, model_unit_quota=3)
    client = endpoint.client()
    _create(client, "two-units", FM_ID, 2)
    err = error_of(client.create_provisioned_model_throughput, provisionedModelName="x", modelId=FM_ID, modelUnits=2)
    assert _code(err) == "ServiceQuotaExceededException" and "quota of 3" in _message(err)
    _create(client, "one-unit", FM_ID, 1)  # exactly at the quota
    _create(endpoint.client("us-west-2"), "elsewhere", FM_ID, 3)  # the quota is per region
    client.delete_provisioned_model_throughput(provisionedModelId="two-units")
    _create(client, "after-delete", FM_ID, 2)
