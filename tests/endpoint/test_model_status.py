"""modelStatus of custom models: a copied model's Creating -> Active/Failed lifecycle, filters and the pin call."""

from __future__ import annotations

import time
from typing import Any

import pytest
from bedrock_endpoint.testing import ControlAPIError

WEST = "us-west-2"


def _copy(endpoint: Any, name: str, **lifecycle: Any) -> dict[str, Any]:
    """A Completed copy job to ``name`` in us-west-2, under the given lifecycle (jobs complete at once)."""
    source = endpoint.source_model("us-east-1", "trained")
    endpoint.control("POST", "lifecycle", {"duration_seconds": 0, **lifecycle})
    west = endpoint.client(WEST)
    job = west.get_model_copy_job(
        jobArn=west.create_model_copy_job(sourceModelArn=source, targetModelName=name)["jobArn"]
    )
    assert job["status"] == "Completed"
    return job


def _listed(client: Any, **filters: Any) -> dict[str, str]:
    return {m["modelName"]: m["modelStatus"] for m in client.list_custom_models(**filters)["modelSummaries"]}


def _pin(endpoint: Any, **body: Any) -> dict[str, Any]:
    return endpoint.control("POST", "models/status", {"region": WEST, **body})


def test_by_default_a_copied_model_is_active_once_its_job_completes(endpoint: Any) -> None:
    job = _copy(endpoint, "plain")
    model = endpoint.client(WEST).get_custom_model(modelIdentifier=job["targetModelArn"])
    assert model["modelStatus"] == "Active"
    assert "failureMessage" not in model
    assert _listed(endpoint.client(WEST)) == {"plain": "Active"}


def test_a_copied_model_is_creating_for_a_while_then_active(endpoint: Any, error_of: Any) -> None:
    job = _copy(endpoint, "slow", model_creating_seconds=1.0)
    west = endpoint.client(WEST)
    assert west.get_custom_model(modelIdentifier="slow")["modelStatus"] == "Creating"
    assert _listed(west) == {"slow": "Creating"}
    # Still a model: its name stays taken, and it can't be deleted while it is being created.
    taken = error_of(west.create_model_copy_job, sourceModelArn=job["sourceModelArn"], targetModelName="slow")
    assert taken.response["Error"]["Code"] == "ValidationException"
    busy = error_of(west.delete_custom_model, modelIdentifier="slow")
    assert busy.response["Error"]["Code"] == "ConflictException"
    assert "Creating" in busy.response["Error"]["Message"]
    time.sleep(1.1)
    model = west.get_custom_model(modelIdentifier=job["targetModelArn"])
    assert (model["modelStatus"], "failureMessage" in model) == ("Active", False)
    assert _listed(west) == {"slow": "Active"}
    west.delete_custom_model(modelIdentifier="slow")


def test_a_model_fail_rule_ends_the_model_failed_with_its_message(endpoint: Any) -> None:
    rules = [{"target_model_name_contains": "bad", "message": "Model import failed."}, {"region": "eu-west-1"}]
    _copy(endpoint, "bad-copy", model_creating_seconds=0.5, model_fail=rules)
    west = endpoint.client(WEST)
    source = endpoint.source_model("us-east-1", "trained")
    west.create_model_copy_job(sourceModelArn=source, targetModelName="good-copy")
    west.list_model_copy_jobs()  # the lifecycle is evaluated on read: this completes the job
    assert west.get_custom_model(modelIdentifier="bad-copy")["modelStatus"] == "Creating"
    time.sleep(0.6)
    failed = west.get_custom_model(modelIdentifier="bad-copy")
    assert (failed["modelStatus"], failed["failureMessage"]) == ("Failed", "Model import failed.")
    assert _listed(west) == {"bad-copy": "Failed", "good-copy": "Active"}
    # A Failed model is deleted like any other; its name is free again.
    west.delete_custom_model(modelIdentifier="bad-copy")
    assert _listed(west) == {"good-copy": "Active"}
    # A rule without a message gets the default one; registered source models are never failed by rules.
    view = endpoint.control("POST", "lifecycle", {"duration_seconds": 0, "model_fail": [{}]})
    assert "couldn't be created" in view["model_fail"][0]["message"]
    assert endpoint.client("us-east-1").get_custom_model(modelIdentifier=source)["modelStatus"] == "Active"


def test_list_filters_on_model_status(endpoint: Any) -> None:
    _copy(endpoint, "copy-a", model_fail=[{"target_model_name_contains": "-b"}])
    source = endpoint.source_model("us-east-1", "trained")
    west = endpoint.client(WEST)
    for name in ("copy-b", "copy-c"):
        west.create_model_copy_job(sourceModelArn=source, targetModelName=name)
    west.list_model_copy_jobs()
    _pin(endpoint, model_id="copy-c", status="Creating")
    assert _listed(west, modelStatus="Active") == {"copy-a": "Active"}
    assert _listed(west, modelStatus="Failed") == {"copy-b": "Failed"}
    assert _listed(west, modelStatus="Creating") == {"copy-c": "Creating"}
    assert _listed(west) == {"copy-a": "Active", "copy-b": "Failed", "copy-c": "Creating"}
    status, _headers, body = endpoint.raw("GET", "/custom-models", query={"modelStatus": "active"}, region=WEST)
    assert status == 400 and "modelStatus" in body["message"]


def test_seeded_completed_jobs_register_models_that_follow_the_model_lifecycle(endpoint: Any) -> None:
    endpoint.control("POST", "lifecycle", {"model_creating_seconds": 0.5, "model_fail": [{"region": WEST}]})
    source = endpoint.source_model("us-east-1", "trained")
    jobs = [{"source_model_arn": source, "target_model_name": "seeded", "status": "Completed"}]
    endpoint.control("POST", "seed", {"region": WEST, "jobs": jobs})
    west = endpoint.client(WEST)
    assert west.get_custom_model(modelIdentifier="seeded")["modelStatus"] == "Creating"
    time.sleep(0.6)
    assert west.get_custom_model(modelIdentifier="seeded")["modelStatus"] == "Failed"


def test_the_control_call_pins_a_status_now(endpoint: Any) -> None:
    job = _copy(endpoint, "pinned", model_creating_seconds=60)
    west = endpoint.client(WEST)
    view = _pin(endpoint, model_id=job["targetModelArn"], status="Active")
    assert (view["modelStatus"], view["modelArn"]) == ("Active", job["targetModelArn"])
    assert west.get_custom_model(modelIdentifier="pinned")["modelStatus"] == "Active"
    view = _pin(endpoint, model_id="pinned", status="Failed", failure_message="Quota exceeded.")
    assert (view["modelStatus"], view["failureMessage"]) == ("Failed", "Quota exceeded.")
    got = west.get_custom_model(modelIdentifier="pinned")
    assert (got["modelStatus"], got["failureMessage"]) == ("Failed", "Quota exceeded.")
    # Pinned: a lifecycle change leaves it alone; a registered source model can be pinned too.
    endpoint.control("POST", "lifecycle", {"duration_seconds": 0})
    assert west.get_custom_model(modelIdentifier="pinned")["modelStatus"] == "Failed"
    view = _pin(endpoint, model_id="trained", status="Creating", region="us-east-1")
    assert (view["modelStatus"], "failureMessage" in view) == ("Creating", False)
    assert _pin(endpoint, model_id="pinned", status="Failed")["failureMessage"].startswith("The custom model")


@pytest.mark.parametrize(
    "body, words",
    [
        ({"model_id": "pinned", "status": "Deleted"}, "enum"),
        ({"model_id": "pinned"}, "status"),
        ({"status": "Active"}, "model_id"),
        ({"model_id": "pinned", "status": "Active", "failure_message": "x"}, "failure_message"),
        ({"model_id": "pinned", "status": "Failed", "failure_message": 7}, "failure_message"),
        ({"model_id": "pinned", "status": "Active", "colour": "red"}, "unknown field"),
        ({"model_id": "pinned", "status": "Active", "region": None}, "region"),
        ({"model_id": "pinned", "status": "Active", "account_id": "1"}, "account"),
        ({"model_id": "nope", "status": "Active"}, "couldn't be found"),
        ({"model_id": "pinned", "status": "Active", "region": "eu-west-1"}, "couldn't be found"),
    ],
)
def test_the_control_call_refuses_bad_payloads(endpoint: Any, body: dict[str, Any], words: str) -> None:
    _copy(endpoint, "pinned")
    with pytest.raises(ControlAPIError) as info:
        _pin(endpoint, **body)
    assert info.value.status == 400
    assert words in info.value.payload["error"]
    assert info.value.payload["error"].startswith("models/status")


@pytest.mark.parametrize(
    "lifecycle, words",
    [
        ({"model_creating_seconds": -1}, "model_creating_seconds must be a number >= 0"),
        ({"model_creating_seconds": True}, "model_creating_seconds must be a number >= 0"),
        ({"model_fail": {"region": "x"}}, "model_fail must be a list"),
        ({"model_fail": [{"region": 1}]}, "model_fail[0] values must be strings"),
        ({"model_fail": [{"name": "x"}]}, "unknown field"),
    ],
)
def test_the_lifecycle_refuses_bad_model_settings(endpoint: Any, lifecycle: dict[str, Any], words: str) -> None:
    with pytest.raises(ControlAPIError) as info:
        endpoint.control("POST", "lifecycle", lifecycle)
    assert info.value.status == 400 and words in info.value.payload["error"]


@pytest.mark.parametrize("status", ["Creating", "Failed"])
def test_a_model_that_is_not_active_cannot_be_provisioned(endpoint: Any, error_of: Any, status: str) -> None:
    job = _copy(endpoint, "not-ready")
    _pin(endpoint, model_id="not-ready", status=status)
    west = endpoint.client(WEST)
    refused = error_of(
        west.create_provisioned_model_throughput, provisionedModelName="pt", modelId=job["targetModelArn"], modelUnits=1
    )
    assert refused.response["Error"]["Code"] == "ValidationException"
    assert f"is {status}" in refused.response["Error"]["Message"]
    _pin(endpoint, model_id="not-ready", status="Active")
    arn = west.create_provisioned_model_throughput(provisionedModelName="pt", modelId="not-ready", modelUnits=1)
    assert arn["provisionedModelArn"]
