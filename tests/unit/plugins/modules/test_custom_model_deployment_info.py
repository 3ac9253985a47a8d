from __future__ import annotations

import pytest

from ansible_collections.amazon.bedrock.plugins.module_utils._facts import DEPLOYMENT_FACT_KEYS
from ansible_collections.amazon.bedrock.plugins.modules.custom_model_deployment_info import main
from ansible_collections.amazon.bedrock.tests.unit.deployment_fakes import FakeDeployments, deployment, deployment_arn
from ansible_collections.amazon.bedrock.tests.unit.fakes import client_error
from ansible_collections.amazon.bedrock.tests.unit.provisioned_fakes import model_arn


def test_one_by_name_with_tags_and_update_details(run_module, no_sleep):
    update = {"modelArn": model_arn(2), "updateStatus": "UpdateCompleted"}
    fake = FakeDeployments([deployment(1, "bot", description="d", updateDetails=update)])
    fake.tags[deployment_arn(1)] = {"Team": "a"}
    result = run_module(main, {"name": "bot"}, fake)
    (found,) = result["custom_model_deployments"]
    assert found["custom_model_deployment_arn"] == deployment_arn(1)
    assert found["tags"] == {"Team": "a"} and found["description"] == "d"
    assert found["update_details"] == {"model_arn": model_arn(2), "update_status": "UpdateCompleted"}


def test_an_unknown_name_is_an_empty_list(run_module, no_sleep):
    result = run_module(main, {"name": deployment_arn(9)}, FakeDeployments())
    assert result["custom_model_deployments"] == [] and result["changed"] is False


def test_a_listing_has_every_key_and_null_for_what_it_does_not_give(run_module, no_sleep):
    fake = FakeDeployments([deployment(n) for n in range(1, 4)])
    result = run_module(main, {"status": "Active", "model_arn": model_arn(1)}, fake)
    deployments = result["custom_model_deployments"]
    assert [d["name"] for d in deployments] == ["dep-1", "dep-2", "dep-3"]
    assert all(set(d) == set(DEPLOYMENT_FACT_KEYS) for d in deployments)
    assert deployments[0]["tags"] is None and deployments[0]["update_details"] is None
    assert deployments[0]["description"] is None and deployments[0]["status"] == "Active"
    params = fake.calls[0][1]
    assert params["statusEquals"] == "Active" and params["modelArnEquals"] == model_arn(1)
    assert "next_token" not in result


def test_a_capped_listing_gives_a_next_token_that_continues_it(run_module, no_sleep):
    fake = FakeDeployments([deployment(n) for n in range(1, 1501)])
    first = run_module(main, {"max_results": 1200}, fake)
    assert len(first["custom_model_deployments"]) == 1200 and first["next_token"] == "tok-1200"
    rest = run_module(main, {"next_token": first["next_token"]}, fake)
    assert len(rest["custom_model_deployments"]) == 300 and "next_token" not in rest


def test_a_throttled_page_is_retried_alone(run_module, no_sleep):
    throttled = client_error("ThrottlingException", "ListCustomModelDeployments")
    fake = FakeDeployments([deployment(n) for n in range(1, 2501)], faults=[None, throttled, None, None])
    result = run_module(main, {}, fake)
    assert len(result["custom_model_deployments"]) == 2500
    assert [params.get("nextToken") for _op, params in fake.calls] == [None, "tok-1000", "tok-1000", "tok-2000"]


@pytest.mark.parametrize(
    "args, named",
    [
        ({"name": "bad name"}, "name: "),
        ({"model_arn": model_arn(1).replace("custom-model", "provisioned-model")}, "model_arn: "),
        ({"creation_time_after": "yesterday"}, "creation_time_after: "),
        ({"max_results": 0}, "max_results: "),
        ({"name_contains": "a b"}, "name_contains: "),
    ],
)
def test_bad_options_fail_before_any_request(run_module, args, named):
    result = run_module(main, args)
    assert result["failed"] is True and result["msg"].startswith(named)


def test_name_and_filters_are_mutually_exclusive(run_module):
    result = run_module(main, {"name": "bot", "status": "Active"})
    assert result["failed"] is True and "mutually exclusive" in result["msg"]
