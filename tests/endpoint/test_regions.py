"""Which regions the endpoint serves, and how it refuses the others (as AWS refuses a badly scoped signature)."""

from __future__ import annotations

from typing import Any

import pytest
from bedrock_endpoint.common import served_regions
from bedrock_endpoint.testing import ControlAPIError
from botocore.exceptions import ClientError
from moto.bedrock.models import bedrock_backends

UNSERVED = ("us-west", "Oregon", "cn-north-1")  # a typo, a name people use, a partition's region without Bedrock


def test_served_regions_are_bedrocks_regions_in_every_partition() -> None:
    served = served_regions()
    assert {"us-east-1", "us-west-2", "eu-central-1", "us-gov-west-1"} <= served
    assert not served & set(UNSERVED)
    # moto has a backend for each (none of them can end in moto's KeyError, an HTTP 500).
    assert served <= set(bedrock_backends["123456789012"].regions)


@pytest.mark.parametrize("region", UNSERVED)
def test_an_unserved_region_is_a_403_that_names_it(endpoint: Any, region: str) -> None:
    client = endpoint.client(region)
    calls = (
        client.list_model_copy_jobs,
        client.list_custom_models,
        client.list_provisioned_model_throughputs,
        lambda: client.get_provisioned_model_throughput(provisionedModelId="pt"),
    )
    for call in calls:
        with pytest.raises(ClientError) as info:
            call()
        assert info.value.response["Error"] == {
            "Code": "InvalidSignatureException",
            "Message": f"Credential should be scoped to a valid region, not '{region}'.",
        }
        assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    log = endpoint.control("GET", "stats")["log"]
    assert [(entry["region"], entry["status"]) for entry in log] == [(region, 403)] * len(calls)


def test_the_refusal_comes_before_any_fault(endpoint: Any) -> None:
    endpoint.control("PUT", "faults", {"rules": [{"operation": "*", "kind": "error500"}]})
    status, headers, _body = endpoint.raw("GET", "/model-copy-jobs", region="us-west")
    assert (status, headers["x-amzn-errortype"]) == (403, "InvalidSignatureException")
    assert endpoint.control("GET", "faults")["rules"][0]["seen"] == 0
    assert endpoint.raw("GET", "/model-copy-jobs", region="us-west-2")[0] == 500


def test_every_served_region_answers(endpoint: Any) -> None:
    for region in sorted(served_regions()):
        status, _headers, body = endpoint.raw("GET", "/model-copy-jobs", region=region)
        assert (region, status, body) == (region, 200, {"modelCopyJobSummaries": []})


@pytest.mark.parametrize(
    "path, payload",
    [
        ("models", {"region": "us-west", "model_name": "base"}),
        ("seed", {"region": "us-west", "jobs": []}),
        ("provisioned-throughputs/seed", {"region": "us-west", "items": []}),
    ],
)
def test_the_control_api_refuses_an_unserved_region(endpoint: Any, path: str, payload: dict[str, Any]) -> None:
    with pytest.raises(ControlAPIError) as info:
        endpoint.control("POST", path, payload)
    assert info.value.status == 400
    assert "region 'us-west' is not served here" in info.value.payload["error"]
